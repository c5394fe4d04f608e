"""Element types, named as in TensorFlow, and the rule that turns Python values into arrays.

``rosenblatt.float32`` *is* ``numpy.float32``, so ``x.dtype == rb.float32`` works as in TensorFlow.

>>> to_array(2.0).dtype, to_array(2).dtype, to_array(np.zeros(2)).dtype
(dtype('float32'), dtype('int32'), dtype('float64'))
>>> as_dtype("float64")
dtype('float64')
"""

from __future__ import annotations

import numpy as np

float16 = np.float16
float32 = np.float32
float64 = np.float64
double = np.float64
int8 = np.int8
int16 = np.int16
int32 = np.int32
int64 = np.int64
uint8 = np.uint8
bool = np.bool_  # noqa: A001 - TensorFlow's name
string = np.str_

_DEFAULT_FLOAT = np.dtype(np.float32)
_DEFAULT_INT = np.dtype(np.int32)


def as_dtype(dtype) -> np.dtype:
    """A :class:`numpy.dtype` from a name (``"float64"``), a NumPy type or a dtype."""
    try:
        return np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"not a data type: {dtype!r}") from exc


def to_array(value, dtype=None) -> np.ndarray:
    """Convert ``value`` to an ndarray with TensorFlow's defaults.

    Python floats (and lists of them) become ``float32`` and Python ints ``int32``; NumPy
    arrays and NumPy scalars keep their dtype; ``dtype`` overrides both.
    """
    if getattr(value, "_traced", False):  # inside rosenblatt.function's trace: a new constant would freeze it
        value.__array__()  # raises, naming the fix
    value = getattr(value, "_value", value)
    if dtype is not None:
        dtype = as_dtype(dtype)
        if isinstance(value, np.ndarray) and value.dtype == dtype:
            return value
        array = np.asarray(value)
        if array.dtype.kind not in "biufc" and dtype.kind in "biufc":
            raise ValueError(f"cannot convert a {array.dtype} value to {dtype}: expected numbers")
        return array.astype(dtype, copy=False)
    if isinstance(value, np.ndarray):
        return value
    array = np.asarray(value)
    if not isinstance(value, np.generic):
        if array.dtype == np.float64:
            return array.astype(_DEFAULT_FLOAT)
        if array.dtype == np.int64:
            return array.astype(_DEFAULT_INT)
    return array


def is_floating(dtype) -> bool:
    """Whether ``dtype`` is a floating-point type."""
    return np.dtype(dtype).kind == "f"
