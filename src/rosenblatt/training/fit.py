"""``fit``: the training loop of the lecture, batch by batch.

For each epoch and each mini-batch (X_b, y_b):

1. forward pass under a ``GradientTape``: ŷ = model(X_b), J = loss(y_b, ŷ) (+ penalties);
2. ∂J/∂W for every trainable weight, from the tape;
3. ``optimizer.apply_gradients``: W ← W − η·(the optimizer's step);
4. update the running loss and metrics.

A NaN or infinite loss, or an optimizer that reports divergence, stops training with a
message; no non-finite value is ever written into the weights, so the model keeps the weights
of the last finite update.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from rosenblatt.autodiff.tape import GradientTape
from rosenblatt.metrics import Mean
from rosenblatt.training import data_adapter
from rosenblatt.training.callbacks import Callback, History
from rosenblatt.training.evaluate import evaluate
from rosenblatt.training.progress import Progress
from rosenblatt.training.resume import Loop


class Diverged(ArithmeticError):
    """The loss or an update became non-finite."""


def train_step(model, x, y, sample_weight=None, weights=None):
    """One step of gradient descent on one batch; returns (loss value, predictions array).

    ``weights``: the trainable weights to update (default ``model.trainable_weights``, read after the
    forward pass, so that a model that builds itself on its first call is trained from its first step).
    """
    with GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(y, y_pred, sample_weight)
    value = float(loss._value)
    if not math.isfinite(value):
        raise Diverged(f"the loss is {value}")
    if weights is None:
        weights = model.trainable_weights
    grads = tape._gradient_arrays(loss, weights)  # tape.gradient's arrays, without wrapping them in tensors
    model.optimizer.apply_gradients(zip(grads, weights))
    return value, y_pred._value


def fit(model, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
        validation_split=0.0, validation_data=None, shuffle=True, sample_weight=None,
        initial_epoch=0, seed=None):
    """Train ``model`` for ``epochs`` passes over the data.

    Args:
        x, y: arrays (m samples on the first axis), or ``x`` a :class:`rosenblatt.data.Dataset`
            of ``(x, y)`` batches (then ``y``, ``batch_size`` and ``shuffle`` are not used).
        batch_size: b, with 1 ≤ b ≤ m (default 32).  b = m is full-batch gradient descent.
        epochs: the number of the last epoch, as in Keras: epochs ``initial_epoch`` … ``epochs - 1`` run
            (``fit(epochs=60, initial_epoch=20)`` trains 40 epochs; ``initial_epoch >= epochs`` none).
        verbose: 0 silent, 1 a progress bar per epoch, 2 one line per epoch; ``"auto"`` is 1.
        callbacks: a list of :class:`~rosenblatt.training.callbacks.Callback`.
        validation_split: fraction of the (unshuffled) data held out at the end for validation.
        validation_data: ``(x_val, y_val)`` evaluated after each epoch (logs ``val_*``).
        shuffle: reshuffle the samples before each epoch (arrays only).
        sample_weight: optional per-sample weights.
        initial_epoch: the epoch to start at (to resume a run that ended after ``initial_epoch`` epochs).
        seed: an int or ``numpy.random.Generator`` for the shuffling (repeatable runs).

    Returns:
        a :class:`~rosenblatt.training.callbacks.History`.
    """
    if model.optimizer is None or model.loss is None:
        raise ValueError("call model.compile(optimizer=..., loss=...) before fit")
    for arg, value in (("epochs", epochs), ("initial_epoch", initial_epoch)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"fit: {arg} must be a non-negative integer, got {value!r}")
    epochs, initial_epoch = int(epochs), int(initial_epoch)
    verbose = _check_verbose(verbose)
    callbacks = _check_callbacks(callbacks)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    use_dataset = data_adapter.is_dataset(x)
    if use_dataset:
        if y is not None:
            raise ValueError("fit: when x is a Dataset, the labels come from it; do not pass y")
        batches = lambda start=0: data_adapter.dataset_batches(x, start)  # noqa: E731
        steps = _safe_len(x)
    else:
        batch_size = data_adapter.check_batch_size(batch_size, "fit")
        x, y, sample_weight = data_adapter.check_arrays(x, y, sample_weight, "fit", data_adapter.input_count(model))
        if y is None:
            raise ValueError("fit: labels y are required")
        data_adapter.check_labels_for(model.loss, y, "fit")
        if not 0 <= validation_split < 1:
            raise ValueError(f"fit: validation_split must be in [0, 1), got {validation_split}")
        n = data_adapter.rows(x)
        if n == 0:
            raise ValueError(f"fit: no training data: x has 0 samples (shape {_shapes(x)}); there is nothing to learn "
                             "from")
        if validation_split and validation_data is None:
            cut = int(n * (1 - validation_split))
            if cut == 0:
                raise ValueError(f"fit: validation_split={validation_split} of {n} samples leaves none to "
                                 "train on; use more data or a smaller validation_split")
            validation_data = (data_adapter.take(x, slice(cut, None)), y[cut:])
            x, y = data_adapter.take(x, slice(None, cut)), y[:cut]
            sample_weight = None if sample_weight is None else sample_weight[:cut]
        x, y = _cast_for(model, x, y)
        batches = lambda start=0: data_adapter.array_batches(x, y, sample_weight, batch_size, shuffle, rng,  # noqa: E731
                                                             reuse=True, start=start)
        steps = math.ceil(data_adapter.rows(x) / batch_size)

    if model.built:
        model._pack_weights()  # one buffer for all weights: one optimizer update per step, not one per weight
    history = History()
    callbacks = list(callbacks) + [history]
    for cb in callbacks:
        cb.set_model(model)
    model.stop_training = False
    model.history = history
    loss_mean = Mean(name="loss")
    loop = Loop(model, rng, x if use_dataset else None, initial_epoch, loss_mean)
    loop.callbacks = callbacks
    model._fit_loop = loop
    try:
        for cb in callbacks:
            cb.on_train_begin({})
        for restore in loop.after_train_begin:  # e.g. other callbacks' counters, once they have reset them
            restore()
        _epochs(model, loop, callbacks, history, batches, steps, epochs, verbose, validation_data,
                None if use_dataset else batch_size)
        for cb in callbacks:
            cb.on_train_end(dict(history.last_logs()))
    finally:
        model._fit_loop = None
    return history


def _epochs(model, loop, callbacks, history, batches, steps, epochs, verbose, validation_data, batch_size):
    """Epochs ``loop.epoch`` … ``epochs - 1`` (Keras's numbering); a resumed epoch skips its done batches."""
    # the batch hooks that do something (History's do not), and the progress bar's logs, looked up once
    batch_begin = [cb.on_train_batch_begin for cb in callbacks if _overrides(cb, "on_train_batch_begin")]
    batch_end = [cb.on_train_batch_end for cb in callbacks if _overrides(cb, "on_train_batch_end")]
    loss_mean = loop.loss_mean
    logs_now = lambda: _logs(loss_mean, model)  # noqa: E731
    while loop.epoch < epochs and not model.stop_training:
        epoch = loop.epoch
        resumed, loop.resumed = loop.resumed, False
        if resumed:  # a backup restored the epoch's order and the metrics of its first loop.step batches
            loop.set_data_state(loop.epoch_start)
        else:
            loop.step = 0
            loop.epoch_start = loop.data_state()
            loss_mean.reset_state()
            for m in model.compiled_metrics:
                m.reset_state()
        for cb in callbacks:
            cb.on_epoch_begin(epoch, {})
        progress = Progress(verbose, epoch, epochs, steps)
        weights = model.trainable_weights if model.built else None  # once per epoch, as Keras compiles once
        step = loop.step - 1  # stays -1 if an epoch gives no batch at all
        for step, (xb, yb, wb) in enumerate(batches(loop.step), start=loop.step):
            for hook in batch_begin:
                hook(step, {})
            try:
                value, pred = train_step(model, xb, yb, wb, weights)
                if weights is None:
                    weights = model.trainable_weights
            except ArithmeticError as exc:
                _stop(model, history, progress, f"epoch {epoch + 1}, batch {step + 1}: {exc}")
                break
            n = data_adapter.rows(xb)
            loss_mean.total += value * n
            loss_mean.count += n
            for m in model.compiled_metrics:
                m.update_state(yb, pred, wb)
            loop.step = step + 1
            progress.update(logs_now)
            if batch_end:
                batch_logs = logs_now()
                for hook in batch_end:
                    hook(step, batch_logs)
            if model.stop_training:
                break
        if history.stopped_reason:
            break
        if step < 0:
            raise ValueError(f"fit: the Dataset gave no batches in epoch {epoch + 1}; there is nothing to learn "
                             "from (an empty Dataset, or one already consumed?)")
        loss_mean._out_dtype(np.zeros(0, model._dtype))
        logs = _logs(loss_mean, model)
        if validation_data is not None:
            val = evaluate(model, *validation_data[:2], batch_size=batch_size, verbose=0, return_dict=True)
            logs.update({f"val_{k}": v for k, v in val.items()})
        progress.close(logs)
        loop.epoch, loop.step = epoch + 1, 0
        loop.epoch_start = loop.data_state()
        for cb in callbacks:
            cb.on_epoch_end(epoch, logs)
        for after in loop.after_epoch_end:  # e.g. a backup, once every callback (History last) has seen the epoch
            after()


def _check_verbose(verbose) -> int:
    if verbose == "auto":
        return 1
    if not isinstance(verbose, (int, np.integer)) or verbose not in (0, 1, 2):
        raise ValueError(f"fit: verbose must be 0 (silent), 1 (a progress bar), 2 (one line per epoch) or "
                         f"'auto', got {verbose!r}")
    return int(verbose)


def _check_callbacks(callbacks) -> list:
    if callbacks is None:
        return []
    if isinstance(callbacks, Callback):
        raise TypeError(f"fit: callbacks must be a list of callbacks, got one {type(callbacks).__name__}; "
                        f"write callbacks=[{type(callbacks).__name__}(...)]")
    callbacks = list(callbacks)
    for cb in callbacks:
        if not isinstance(cb, Callback):
            raise TypeError(f"fit: callbacks must be Callback objects, got {type(cb).__name__} ({cb!r:.60})")
    return callbacks


def _overrides(callback, hook) -> bool:
    """Whether ``callback`` does something in ``hook`` (its class's method, or a function set on it)."""
    return hook in vars(callback) or getattr(type(callback), hook, None) is not getattr(Callback, hook)


def _logs(loss_mean, model) -> dict:
    logs = {"loss": loss_mean.total / loss_mean.count if loss_mean.count else float("nan")}
    for m in model.compiled_metrics:
        logs[m.name] = float(m.result()._value)
    return logs


def _stop(model, history, progress, where):
    message = (f"Training stopped at {where}. No non-finite value was written into the weights: "
               "the model keeps the weights of the last finite update. Try a smaller learning rate.")
    if progress.bar is not None:
        progress.bar.close()
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    history.stopped_reason = message
    model.stop_training = True


def _shapes(x):
    return [part.shape for part in x] if isinstance(x, tuple) else x.shape


def _cast_for(model, x, y):
    """Inputs in the model's float dtype once, not per batch; labels as floats of that dtype."""
    dtype = next((w.dtype for w in model.weights), None) or _first_layer_dtype(model)
    if isinstance(x, tuple):
        x = tuple(p.astype(dtype) if p.dtype != dtype and p.dtype.kind in "biuf" else p for p in x)
    elif x.dtype != dtype and x.dtype.kind in "biuf":
        x = x.astype(dtype)
    loss_name = type(model.loss).__name__
    if y.dtype != dtype and "Sparse" not in loss_name:
        y = y.astype(dtype)
    return x, y


def _first_layer_dtype(model):
    layers = getattr(model, "_layers", [])
    return layers[0]._dtype if layers else model._dtype


def _safe_len(dataset):
    try:
        return len(dataset)
    except TypeError:
        return None


__all__ = ["fit", "train_step", "Diverged"]
