"""``evaluate`` and ``predict``: forward passes in batches, with no tape recording."""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tape import no_recording
from rosenblatt.metrics import Mean
from rosenblatt.training import data_adapter


def predict(model, x, batch_size=None, verbose=0):
    """The model's outputs for ``x`` (array or Dataset) as one NumPy array."""
    if data_adapter.is_dataset(x):
        chunks = (xb for xb, _, _ in data_adapter.dataset_batches(x))
    else:
        batch_size = data_adapter.check_batch_size(batch_size, "predict")
        x, _, _ = data_adapter.check_arrays(x, None, None, "predict", data_adapter.input_count(model))
        chunks = (xb for xb, _, _ in data_adapter.array_batches(x, None, None, batch_size))
    with no_recording():
        outputs = [np.asarray(model(xb, training=False)._value) for xb in chunks]
    if not outputs:
        raise ValueError("predict: no data")
    return outputs[0] if len(outputs) == 1 else np.concatenate(outputs)


def evaluate(model, x=None, y=None, batch_size=None, verbose=0, sample_weight=None, return_dict=False):
    """The compiled loss and metrics over the data.

    Returns the loss alone if no metrics were compiled, else ``[loss, metric, ...]``
    (``return_dict=True``: ``{"loss": ..., name: ...}``), as Keras does.
    """
    if model.loss is None:
        raise ValueError("call model.compile(loss=...) before evaluate")
    if data_adapter.is_dataset(x):
        batches = data_adapter.dataset_batches(x)
    else:
        batch_size = data_adapter.check_batch_size(batch_size, "evaluate")
        x, y, sample_weight = data_adapter.check_arrays(x, y, sample_weight, "evaluate", data_adapter.input_count(model))
        if y is None:
            raise ValueError("evaluate: labels y are required")
        batches = data_adapter.array_batches(x, y, sample_weight, batch_size)
    loss_mean = Mean(name="loss")
    metrics = model.compiled_metrics
    for m in metrics:
        m.reset_state()
    seen = 0
    with no_recording():
        for xb, yb, wb in batches:
            n = data_adapter.rows(xb)
            seen += n
            pred = model(xb, training=False)
            loss = model.compute_loss(yb, pred, wb)
            loss_mean.update_state(np.full(n, float(loss._value)))
            for m in metrics:
                m.update_state(yb, pred._value, wb)
    if not seen:
        raise ValueError("evaluate: no data: 0 samples to evaluate on")
    results = {"loss": float(loss_mean.result()._value)}
    results.update({m.name: float(m.result()._value) for m in metrics})
    if return_dict:
        return results
    return results["loss"] if not metrics else list(results.values())
