"""Losses: how far predictions ŷ are from labels y; J(W) = (1/m)·Σᵢ L(ŷ⁽ⁱ⁾, y⁽ⁱ⁾).

The lecture's binary cross-entropy, L(ŷ, y) = −y·log(ŷ) − (1 − y)·log(1 − ŷ).  When ŷ comes
from a sigmoid (a ``Dense(1, activation="sigmoid")``), the loss is computed from the logits z
as max(z, 0) − z·y + log(1 + e^(−|z|)): exact, with no NaN however saturated the sigmoid.

>>> import rosenblatt as rb
>>> y = rb.constant([1.0, 0.0])
>>> p = rb.math.sigmoid(rb.constant([2.0, -1.0]))
>>> round(float(BinaryCrossentropy()(y, p)), 6)    # mean of −log σ(2) and −log(1 − σ(−1))
0.220095
>>> float(MeanSquaredError()(rb.constant([1.0, 2.0]), rb.constant([1.5, 2.0])))
0.125
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff import ops
from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.naming import did_you_mean

EPSILON = 1e-7  # Keras's clip for probabilities that did not come with logits


def _prepare(y_true, y_pred, who, sparse=False):
    """Tensors of matching rank: labels (m,) against predictions (m, 1) become (m, 1)."""
    if not sparse and type(y_true) is np.ndarray and isinstance(y_pred, Tensor):  # fit's labels: often ready
        value = y_pred._value
        if y_true.dtype == value.dtype and value.dtype.kind == "f":
            if y_true.shape == value.shape:
                return y_true, y_pred
            if y_true.shape == value.shape[:-1] and value.shape[-1:] == (1,):  # labels (m,), outputs (m, 1)
                return y_true[..., None], y_pred
    y_pred = y_pred if isinstance(y_pred, Tensor) else Tensor(y_pred)
    if y_pred.dtype.kind != "f":
        y_pred = ops.cast(y_pred, "float32")
    true = np.asarray(getattr(y_true, "_value", y_true))
    if true.dtype.kind not in "biuf":
        raise ValueError(f"{who}: labels must be numbers, got an array of dtype {true.dtype}")
    if sparse:
        if true.ndim == y_pred.ndim and true.shape[-1:] == (1,):
            true = true[..., 0]
        if true.shape != y_pred.shape[:-1]:
            raise ValueError(f"{who}: labels of shape {true.shape} do not match predictions of shape {y_pred.shape}")
        return true, y_pred
    true = match_rank(true, y_pred.shape, who)
    return true.astype(y_pred.dtype, copy=False), y_pred


def match_rank(true, shape, who):
    """Labels of shape (m,) against predictions (m, 1) become (m, 1), and (m, 1) against (m,) become (m,);
    any other difference is an error naming both shapes (labels are never silently broadcast)."""
    if true.ndim == len(shape) - 1 and shape[-1:] == (1,):
        true = true[..., None]
    elif true.ndim == len(shape) + 1 and true.shape[-1:] == (1,):
        true = true[..., 0]
    if true.shape != tuple(shape):
        raise ValueError(f"{who}: y_true has shape {true.shape} but y_pred has shape {tuple(shape)}")
    return true


def _logits(y_pred, kind, from_logits):
    """The logits z behind ŷ if there are any (given, or remembered by the sigmoid/softmax)."""
    if from_logits:
        return y_pred
    remembered = getattr(y_pred, "_logits", None)
    if remembered is not None and remembered[0] == kind:
        return remembered[1]
    return None


def _remembered(y_pred, from_logits):
    """σ(z) as the sigmoid computed it, when ``y_pred`` is that sigmoid's output (else None)."""
    return None if from_logits else y_pred._value


# -- the loss functions, per sample ------------------------------------------------------------
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """L = −y·log ŷ − (1 − y)·log(1 − ŷ), averaged over the last axis; one value per sample."""
    true, y_pred = _prepare(y_true, y_pred, "binary_crossentropy")
    return ops.reduce_mean(_bce_elements(true, y_pred, from_logits, label_smoothing), axis=-1)


def _bce_elements(true, y_pred, from_logits, label_smoothing):
    if label_smoothing:
        true = true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    z = _logits(y_pred, "sigmoid", from_logits)
    if z is not None:
        return apply("sigmoid_cross_entropy_with_logits", z, true, probabilities=_remembered(y_pred, from_logits))
    p = ops.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
    return -(true * ops.log(p) + (1.0 - true) * ops.log(1.0 - p))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0):
    """L = −Σ_c y_c·log ŷ_c over the classes (last axis), for one-hot labels."""
    true, y_pred = _prepare(y_true, y_pred, "categorical_crossentropy")
    if label_smoothing:
        true = true * (1.0 - label_smoothing) + label_smoothing / true.shape[-1]
    z = _logits(y_pred, "softmax", from_logits)
    if z is not None:
        return apply("softmax_cross_entropy_with_logits", z, true)
    p = y_pred / ops.reduce_sum(y_pred, axis=-1, keepdims=True)
    p = ops.clip_by_value(p, EPSILON, 1.0 - EPSILON)
    return -ops.reduce_sum(true * ops.log(p), axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """L = −log ŷ_y, for integer class labels y."""
    labels, y_pred = _sparse_labels(y_true, y_pred, "sparse_categorical_crossentropy")
    z = _logits(y_pred, "softmax", from_logits)
    if z is not None:
        return apply("sparse_softmax_cross_entropy_with_logits", z, labels)
    k = y_pred.shape[-1]
    p = ops.clip_by_value(y_pred / ops.reduce_sum(y_pred, axis=-1, keepdims=True), EPSILON, 1.0 - EPSILON)
    onehot = np.eye(k, dtype=y_pred.dtype)[labels]
    return -ops.reduce_sum(onehot * ops.log(p), axis=-1)


def _sparse_labels(y_true, y_pred, who):
    """Integer labels in [0, k), checked, and the predictions as a float tensor."""
    labels, y_pred = _prepare(y_true, y_pred, who, sparse=True)
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError(f"{who}: labels must be integer class indices")
    if labels.dtype != np.int64:
        labels = labels.astype(np.int64)
    k = y_pred.shape[-1]
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ValueError(f"{who}: labels must be in [0, {k}), got {labels.min()}..{labels.max()}")
    return labels, y_pred


def mean_squared_error(y_true, y_pred):
    """L = mean over the last axis of (ŷ − y)²."""
    true, y_pred = _prepare(y_true, y_pred, "mean_squared_error")
    return ops.reduce_mean(ops.square(y_pred - true), axis=-1)


# -- the loss objects -----------------------------------------------------------------------------
REDUCTIONS = ("sum_over_batch_size", "sum", "none", None)


class Loss:
    """A loss object: ``loss(y_true, y_pred, sample_weight=None)`` gives one scalar.

    Args:
        reduction: ``"sum_over_batch_size"`` (default: the mean, J(W) of the lecture),
            ``"sum"``, or ``"none"``/None (one value per sample).
        name: a label.
    """

    def __init__(self, reduction="sum_over_batch_size", name=None):
        if reduction not in REDUCTIONS:
            raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
        self.reduction = reduction
        self.name = name or type(self).__name__

    def call(self, y_true, y_pred):
        """Per-element (or per-sample) losses; subclasses override."""
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None and self.reduction == "sum_over_batch_size":
            mean = self._mean(y_true, y_pred)
            if mean is not None:
                return mean
        losses = self.call(y_true, y_pred)
        if sample_weight is not None:
            w = np.asarray(getattr(sample_weight, "_value", sample_weight), dtype=losses.dtype)
            while w.ndim < losses.ndim:
                w = w[..., None]
            losses = losses * w
        if self.reduction in ("none", None):
            return losses
        total = ops.reduce_sum(losses)
        if self.reduction == "sum":
            return total
        return ops.divide(total, max(losses._value.size, 1))

    def _mean(self, y_true, y_pred):
        """J = (1/N) Σ L as one primitive (a cross-entropy on logits), or None where there is none."""
        return None

    def get_config(self) -> dict:
        return {"reduction": self.reduction, "name": self.name}


class BinaryCrossentropy(Loss):
    """Binary cross-entropy, the lecture's loss for "cat or not".

    Args:
        from_logits: whether ``y_pred`` holds logits z rather than probabilities σ(z) (default False;
            a sigmoid output is recognised and computed from its logits anyway).
        label_smoothing: y ← y·(1 − s) + s/2 (default 0).

    The mean runs over every element of the batch (for a (m, 1) output, the mean over m, which is
    Keras's and PyTorch's ``BCEWithLogitsLoss``'s number).  Called with two arrays instead of
    options, ``BinaryCrossentropy(y, ŷ)`` — as a lecture slide writes it — returns the per-sample
    losses, like :func:`binary_crossentropy`.
    """

    def __new__(cls, *args, **kwargs):
        if len(args) == 2 and all(_is_array(a) for a in args):
            return binary_crossentropy(*args)
        return super().__new__(cls)

    def __init__(self, from_logits=False, label_smoothing=0.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name or "binary_crossentropy")
        self.from_logits = bool(from_logits)
        self.label_smoothing = float(label_smoothing)

    def call(self, y_true, y_pred):
        true, y_pred = _prepare(y_true, y_pred, self.name)
        return _bce_elements(true, y_pred, self.from_logits, self.label_smoothing)

    def _mean(self, y_true, y_pred):
        true, y_pred = _prepare(y_true, y_pred, self.name)
        z = _logits(y_pred, "sigmoid", self.from_logits)
        if z is None:
            return None
        if self.label_smoothing:
            true = true * (1.0 - self.label_smoothing) + 0.5 * self.label_smoothing
        return apply("sigmoid_cross_entropy_with_logits", z, true, mean=True,
                     probabilities=_remembered(y_pred, self.from_logits))

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(Loss):
    """−Σ_c y_c·log ŷ_c for one-hot labels; softmax outputs are computed from their logits."""

    def __init__(self, from_logits=False, label_smoothing=0.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name or "categorical_crossentropy")
        self.from_logits, self.label_smoothing = bool(from_logits), float(label_smoothing)

    def call(self, y_true, y_pred):
        return categorical_crossentropy(y_true, y_pred, self.from_logits, self.label_smoothing)

    def _mean(self, y_true, y_pred):
        true, y_pred = _prepare(y_true, y_pred, self.name)
        z = _logits(y_pred, "softmax", self.from_logits)
        if z is None:
            return None
        if self.label_smoothing:
            true = true * (1.0 - self.label_smoothing) + self.label_smoothing / true.shape[-1]
        return apply("softmax_cross_entropy_with_logits", z, true, mean=True)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits, "label_smoothing": self.label_smoothing}


class SparseCategoricalCrossentropy(Loss):
    """−log ŷ_y for integer labels y ∈ {0, …, k − 1}."""

    def __init__(self, from_logits=False, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name or "sparse_categorical_crossentropy")
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        return sparse_categorical_crossentropy(y_true, y_pred, self.from_logits)

    def _mean(self, y_true, y_pred):
        labels, y_pred = _sparse_labels(y_true, y_pred, self.name)
        z = _logits(y_pred, "softmax", self.from_logits)
        return None if z is None else apply("sparse_softmax_cross_entropy_with_logits", z, labels, mean=True)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


class MeanSquaredError(Loss):
    """(ŷ − y)², averaged."""

    def __init__(self, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction, name or "mean_squared_error")

    def call(self, y_true, y_pred):
        true, y_pred = _prepare(y_true, y_pred, self.name)
        return ops.square(y_pred - true)


def _is_array(a) -> bool:
    return isinstance(a, (Tensor, np.ndarray, list)) and np.ndim(getattr(a, "_value", a)) >= 1


_BY_NAME = {
    "binary_crossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
}
_CLASSES = {cls.__name__: cls for cls in set(_BY_NAME.values())}


def get(identifier) -> Loss:
    """A loss object from a name (``"binary_crossentropy"``), an instance or a function ``f(y, ŷ)``."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        key = identifier if identifier in _BY_NAME else _snake(identifier)
        if key in _BY_NAME:
            return _BY_NAME[key]()
    if isinstance(identifier, dict) and identifier.get("class_name") in _CLASSES:
        return _CLASSES[identifier["class_name"]](**identifier.get("config", {}))
    if callable(identifier):
        return _FunctionLoss(identifier)
    raise ValueError(f"unknown loss {identifier!r}; {did_you_mean(identifier, _BY_NAME)}expected one of "
                     f"{sorted(_BY_NAME)}, a Loss or a function")


def serialize(loss: Loss) -> dict | None:
    if type(loss).__name__ in _CLASSES:
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return None


def _snake(name):
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class _FunctionLoss(Loss):
    def __init__(self, fn):
        super().__init__(name=getattr(fn, "__name__", "loss"))
        self.fn = fn

    def call(self, y_true, y_pred):
        return self.fn(y_true, y_pred)
