"""The operations on tensors.  Each primitive op is one ``apply`` of a table entry; derived ops
(``reduce_mean``, ``reduce_min``, ``subtract`` of lists, ...) are composed of primitives, so
their gradients need no code of their own.

>>> import rosenblatt as rb
>>> rb.reduce_mean(rb.constant([[1.0, 2.0], [3.0, 4.0]]), axis=0).numpy()
array([2., 3.], dtype=float32)
>>> rb.matmul(rb.constant([[1.0, 2.0]]), rb.constant([[3.0], [4.0]])).numpy()
array([[11.]], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from rosenblatt import dtypes
from rosenblatt.autodiff.primitives import PRIMITIVES
from rosenblatt.autodiff.tape import _ACTIVE
from rosenblatt.autodiff.tensor import Tensor, Variable

_PLAIN = (np.ndarray, float, int, np.generic)


def _array(x):
    if isinstance(x, Tensor):
        return x._value if not x._traced else x.__array__()  # a traced tensor's values are refused
    if isinstance(x, _PLAIN):
        return x
    try:
        return dtypes.to_array(x)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected a tensor, an array or a number, got {type(x).__name__}") from exc


def apply(name: str, *inputs, **params) -> Tensor:
    """Run primitive ``name`` on ``inputs`` and let every active tape record it."""
    prim = PRIMITIVES[name]
    arrays = [x._value if isinstance(x, Tensor) else _array(x) for x in inputs]
    out = prim.forward(*arrays, **params)
    saved = None
    if prim.saves:
        out, saved = out
    result = Tensor.__new__(Tensor)
    result._value = out if type(out) is np.ndarray else np.asarray(out)
    result._logits = None
    tapes = _ACTIVE.get()
    if tapes:
        for tape in tapes:
            tape._record(result, inputs, arrays, prim, saved, params)
    return result


def _snapshot(x, result):
    """A view of a Variable must not change when the Variable is later assigned."""
    if isinstance(x, Variable):
        result._value = result._value.copy()
    return result


# -- arithmetic ----------------------------------------------------------------------------
def add(x, y):
    """x + y, broadcasting."""
    return apply("add", x, y)


def subtract(x, y):
    """x − y, broadcasting."""
    return apply("subtract", x, y)


def multiply(x, y):
    """x ⊙ y (element-wise), broadcasting."""
    return apply("multiply", x, y)


def divide(x, y):
    """x / y (element-wise, true division), broadcasting."""
    return apply("divide", x, y)


def pow(x, y):  # noqa: A001 - TensorFlow's name
    """x ** y (element-wise)."""
    return apply("power", x, y)


def matmul(a, b):
    """The matrix product a·b (batched over leading axes, as ``numpy.matmul``)."""
    return apply("matmul", a, b)


def negative(x):
    """−x."""
    return apply("negative", x)


def exp(x):
    """eˣ."""
    return apply("exp", x)


def log(x):
    """The natural logarithm ln x."""
    return apply("log", x)


def sqrt(x):
    """√x."""
    return apply("sqrt", x)


def sin(x):
    """sin x (radians)."""
    return apply("sin", x)


def cos(x):
    """cos x (radians)."""
    return apply("cos", x)


def square(x):
    """x²."""
    return apply("square", x)


def abs(x):  # noqa: A001 - TensorFlow's name
    """|x|; its derivative at 0 is taken as 0."""
    return apply("abs", x)


def maximum(x, y):
    """The element-wise maximum; at ties the gradient goes to ``x``."""
    return apply("maximum", x, y)


def minimum(x, y):
    """The element-wise minimum; at ties the gradient goes to ``x``."""
    return apply("minimum", x, y)


def where(condition, x, y):
    """``x`` where ``condition`` holds, else ``y`` (the condition is not differentiated)."""
    return apply("where", np.asarray(_array(condition), dtype=bool), x, y)


def prelu(x, alpha):
    """The parametric ReLU: x if x > 0, else α·x, with α broadcast against x and differentiated too.

    ∂/∂x = 1 if x > 0 else α;  ∂/∂α = 0 if x > 0 else x (summed over broadcast axes). The layer is
    ``rosenblatt.layers.PReLU``.

    >>> import rosenblatt as rb
    >>> rb.autodiff.ops.prelu(rb.constant([[-2.0, 3.0]]), rb.constant([0.25, 0.5])).numpy()
    array([[-0.5,  3. ]], dtype=float32)
    """
    return apply("prelu", x, alpha)


def clip_by_value(x, clip_value_min, clip_value_max):
    """x limited to [min, max]; the gradient passes only where x lies inside."""
    return apply("clip", x, clip_value_min, clip_value_max)


clip = clip_by_value


def cast(x, dtype):
    """x converted to ``dtype``; the gradient is cast back (and is None for integer inputs)."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor) and x.dtype == dtype:
        return x
    return apply("cast", x, dtype=dtype)


# -- reductions -----------------------------------------------------------------------------
def _axis(axis):
    if axis is None or isinstance(axis, (int, np.integer)):
        return axis
    return tuple(int(a) for a in np.ravel(_array(axis)))


def reduce_sum(x, axis=None, keepdims=False):
    """Σ over ``axis`` (all axes by default)."""
    return apply("reduce_sum", x, axis=_axis(axis), keepdims=keepdims)


def reduce_mean(x, axis=None, keepdims=False):
    """The mean over ``axis``: Σx / n (composed of ``reduce_sum`` and ``divide``)."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    axis = _axis(axis)
    total = reduce_sum(x, axis, keepdims)
    count = x._value.size // max(total._value.size, 1) if x._value.size else 1
    return divide(total, count)


def reduce_max(x, axis=None, keepdims=False):
    """The maximum over ``axis``; ties share the gradient equally."""
    return apply("reduce_max", x, axis=_axis(axis), keepdims=keepdims)


def reduce_min(x, axis=None, keepdims=False):
    """The minimum over ``axis``, as −max(−x)."""
    return negative(reduce_max(negative(x), axis, keepdims))


# -- shapes ---------------------------------------------------------------------------------
def reshape(x, shape):
    """The same elements in a new shape (one dimension may be −1)."""
    shape = tuple(int(s) for s in np.ravel(_array(shape))) if not isinstance(shape, tuple) else shape
    return _snapshot(x, apply("reshape", x, shape=shape))


def transpose(x, perm=None):
    """Axes permuted by ``perm`` (reversed by default)."""
    return _snapshot(x, apply("transpose", x, perm=None if perm is None else tuple(perm)))


def concat(values, axis):
    """Tensors joined along an existing ``axis``."""
    return apply("concat", *values, axis=int(axis))


def _index(key):
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, Tensor):
        return key._value
    return key


def getitem(x, key):
    """``x[key]``: slices, integers, ``None``, ``...``, integer and boolean arrays."""
    return _snapshot(x, apply("getitem", x, index=_index(key)))


# -- comparisons (not differentiated) -----------------------------------------------------
def _compare(fn):
    def op(x, y):
        return Tensor(fn(_array(x), _array(y)))

    op.__name__ = fn.__name__
    op.__doc__ = f"Element-wise ``{fn.__name__}``, a boolean tensor (no gradient)."
    return op


equal, not_equal = _compare(np.equal), _compare(np.not_equal)
less, less_equal = _compare(np.less), _compare(np.less_equal)
greater, greater_equal = _compare(np.greater), _compare(np.greater_equal)


def argmax(x, axis=0):
    """Index of the largest value along ``axis`` (int64, no gradient)."""
    return Tensor(np.argmax(_array(x), axis=axis))


def zeros(shape, dtype=dtypes.float32):
    """A tensor of zeros."""
    return Tensor(np.zeros(shape, dtype=dtypes.as_dtype(dtype)))


def ones(shape, dtype=dtypes.float32):
    """A tensor of ones."""
    return Tensor(np.ones(shape, dtype=dtypes.as_dtype(dtype)))


def zeros_like(x):
    """Zeros with the shape and dtype of ``x``."""
    return Tensor(np.zeros_like(_array(x)))


def ones_like(x):
    """Ones with the shape and dtype of ``x``."""
    return Tensor(np.ones_like(_array(x)))


# -- the operators of Tensor ---------------------------------------------------------------
def _install_operators():
    def binary(op):
        return (lambda a, b: op(a, b)), (lambda a, b: op(b, a))

    for name, op in [("add", add), ("sub", subtract), ("mul", multiply), ("truediv", divide),
                     ("pow", pow), ("matmul", matmul)]:
        forward, reflected = binary(op)
        setattr(Tensor, f"__{name}__", forward)
        setattr(Tensor, f"__r{name}__", reflected)
    Tensor.__neg__ = negative
    Tensor.__pos__ = lambda a: a
    Tensor.__abs__ = abs
    Tensor.__getitem__ = getitem
    for name, op in [("eq", equal), ("ne", not_equal), ("lt", less), ("le", less_equal),
                     ("gt", greater), ("ge", greater_equal)]:
        setattr(Tensor, f"__{name}__", op)
    Tensor.__hash__ = object.__hash__


_install_operators()
