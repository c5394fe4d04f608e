"""``to_categorical``: integer class labels as one-hot rows, as ``tf.keras.utils.to_categorical``.

For labels y ∈ {0, …, K − 1}, row i is e_{y_i}: a 1 in column y_i, 0 elsewhere (the targets of a softmax
output trained with categorical cross-entropy).

>>> to_categorical([0, 2, 1])
array([[1., 0., 0.],
       [0., 0., 1.],
       [0., 1., 0.]], dtype=float32)
>>> to_categorical([[1], [0]], num_classes=3).shape     # a trailing axis of 1 is dropped, as Keras does
(2, 3)
"""

from __future__ import annotations

import numpy as np

from rosenblatt import dtypes


def to_categorical(x, num_classes=None, dtype="float32") -> np.ndarray:
    """One-hot encode integer labels ``x`` (any shape) into shape ``x.shape + (num_classes,)``.

    Args:
        x: class labels, integers ≥ 0 (floats that are whole numbers are accepted).
        num_classes: K; default ``max(x) + 1``.
        dtype: of the result (default ``"float32"``).
    """
    y = np.asarray(getattr(x, "_value", x))
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
            raise ValueError("to_categorical: labels must be whole numbers, got non-integer values such as "
                             f"{y[(~np.isfinite(y)) | (y != np.round(y))].ravel()[0]!r}")
        y = y.astype(np.int64)
    elif y.dtype.kind not in "iub":
        raise ValueError(f"to_categorical: labels must be integers, got dtype {y.dtype}")
    if y.ndim > 1 and y.shape[-1] == 1:
        y = y[..., 0]
    if y.size and y.min() < 0:
        raise ValueError(f"to_categorical: labels must be ≥ 0, got {int(y.min())}")
    k = int(y.max()) + 1 if num_classes is None and y.size else int(num_classes or 0)
    if y.size and y.max() >= k:
        raise ValueError(f"to_categorical: label {int(y.max())} does not fit num_classes={k} (labels 0 … {k - 1})")
    out = np.zeros(y.shape + (k,), dtypes.as_dtype(dtype))
    np.put_along_axis(out, y[..., None].astype(np.intp), 1, axis=-1)
    return out


__all__ = ["to_categorical"]
