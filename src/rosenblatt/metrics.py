"""Metrics: running summaries of predictions, with ``update_state`` / ``result`` / ``reset_state``.

Metrics are bookkeeping, not part of the model, so they work on NumPy arrays and record nothing
on a tape.  Totals are kept in float64; ``result()`` has the dtype of the predictions seen
(float64 in, float64 out; float32 otherwise).

>>> import numpy as np
>>> acc = BinaryAccuracy()
>>> acc.update_state([1, 0, 1], [0.9, 0.2, 0.4])
>>> float(acc.result())
0.666666...
>>> acc.reset_state(); float(acc.result())
0.0
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.losses import match_rank
from rosenblatt.naming import did_you_mean


def _np(x):
    return np.asarray(getattr(x, "_value", x))


def _match(y_true, y_pred, who):
    pred = _np(y_pred)
    return match_rank(_np(y_true), pred.shape, who), pred


class Metric:
    """Base class.  Subclasses implement ``update_state`` and ``result``."""

    def __init__(self, name=None, dtype=None):
        self.name = name or type(self).__name__.lower()
        self._dtype = np.dtype(dtype) if dtype is not None else None
        self.reset_state()

    def _out_dtype(self, pred):
        if self._dtype is None:
            self._dtype = np.dtype(np.float64) if pred.dtype == np.float64 else np.dtype(np.float32)
        return self._dtype

    def reset_state(self):
        """Forget everything seen so far."""

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self) -> Tensor:
        raise NotImplementedError

    def __call__(self, *args, **kwargs) -> Tensor:
        """``update_state`` then ``result``."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


class Mean(Metric):
    """The (weighted) mean of the values given: Σ wᵢ·vᵢ / Σ wᵢ."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, values, sample_weight=None):
        v = _np(values)
        self._out_dtype(v if v.dtype.kind == "f" else np.zeros(0, np.float32))
        v = v.astype(np.float64)
        if sample_weight is None:
            self.total += float(v.sum())
            self.count += v.size
        else:
            w = np.broadcast_to(_np(sample_weight).astype(np.float64).reshape(
                _np(sample_weight).shape + (1,) * (v.ndim - _np(sample_weight).ndim)), v.shape)
            self.total += float((v * w).sum())
            self.count += float(w.sum())

    def result(self):
        value = self.total / self.count if self.count else 0.0
        return Tensor(np.asarray(value, dtype=self._dtype or np.float32))


class _MeanOf(Mean):
    """A Mean over a per-sample score ``score(y_true, y_pred)``."""

    def update_state(self, y_true, y_pred, sample_weight=None):
        pred = _np(y_pred)
        self._out_dtype(pred if pred.dtype.kind == "f" else np.zeros(0, np.float32))
        super().update_state(self.score(y_true, y_pred), sample_weight)


class BinaryAccuracy(_MeanOf):
    """The fraction of samples with (ŷ > threshold) == y; threshold 0.5 by default."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        self.threshold = float(threshold)
        super().__init__(name, dtype)

    def score(self, y_true, y_pred):
        true, pred = _match(y_true, y_pred, self.name)
        return np.mean(true == (pred > self.threshold), axis=-1)

    def get_config(self):
        return {**super().get_config(), "threshold": self.threshold}


class CategoricalAccuracy(_MeanOf):
    """The fraction of samples whose largest ŷ is at the class of the one-hot y."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def score(self, y_true, y_pred):
        true, pred = _match(y_true, y_pred, self.name)
        return (np.argmax(true, axis=-1) == np.argmax(pred, axis=-1)).astype(np.float64)


class SparseCategoricalAccuracy(_MeanOf):
    """The fraction of samples whose largest ŷ is at the integer label y."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def score(self, y_true, y_pred):
        true, pred = _np(y_true), _np(y_pred)
        if true.ndim == pred.ndim and true.shape[-1:] == (1,):
            true = true[..., 0]
        if true.shape != pred.shape[:-1]:
            raise ValueError(f"{self.name}: labels of shape {true.shape} do not match predictions {pred.shape}")
        return (np.argmax(pred, axis=-1) == true).astype(np.float64)


class _Confusion(Metric):
    def __init__(self, thresholds=0.5, name=None, dtype=None):
        self.thresholds = float(thresholds)
        super().__init__(name, dtype)

    def reset_state(self):
        self.true_positives = self.false_positives = self.false_negatives = 0.0

    def update_state(self, y_true, y_pred, sample_weight=None):
        true, pred = _match(y_true, y_pred, self.name)
        self._out_dtype(pred if pred.dtype.kind == "f" else np.zeros(0, np.float32))
        t, p = true > 0.5, pred > self.thresholds
        w = 1.0 if sample_weight is None else np.broadcast_to(
            _np(sample_weight).reshape(_np(sample_weight).shape + (1,) * (t.ndim - _np(sample_weight).ndim)), t.shape)
        self.true_positives += float(np.sum((t & p) * w))
        self.false_positives += float(np.sum((~t & p) * w))
        self.false_negatives += float(np.sum((t & ~p) * w))

    def _ratio(self, num, den):
        return Tensor(np.asarray(num / den if den else 0.0, dtype=self._dtype or np.float32))

    def get_config(self):
        return {**super().get_config(), "thresholds": self.thresholds}


class Precision(_Confusion):
    """TP / (TP + FP): of the samples called positive, the fraction that are."""

    def __init__(self, thresholds=0.5, name="precision", dtype=None):
        super().__init__(thresholds, name, dtype)

    def result(self):
        return self._ratio(self.true_positives, self.true_positives + self.false_positives)


class Recall(_Confusion):
    """TP / (TP + FN): of the positive samples, the fraction found."""

    def __init__(self, thresholds=0.5, name="recall", dtype=None):
        super().__init__(thresholds, name, dtype)

    def result(self):
        return self._ratio(self.true_positives, self.true_positives + self.false_negatives)


_BY_NAME = {
    "binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy, "precision": Precision,
    "recall": Recall, "mean": Mean,
}


def get(identifier, loss=None) -> Metric:
    """A metric from a name or instance; ``"accuracy"`` picks the accuracy that fits ``loss``."""
    if isinstance(identifier, Metric):
        return identifier
    if identifier in ("accuracy", "acc"):
        kind = type(loss).__name__ if loss is not None else ""
        cls = {"CategoricalCrossentropy": CategoricalAccuracy,
               "SparseCategoricalCrossentropy": SparseCategoricalAccuracy}.get(kind, BinaryAccuracy)
        return cls(name="accuracy")
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    raise ValueError(f"unknown metric {identifier!r}; {did_you_mean(identifier, [*_BY_NAME, 'accuracy'])}expected "
                     f"'accuracy', one of {sorted(_BY_NAME)} or a Metric")
