"""Automatic differentiation: tensors, the primitive table, derived ops and ``GradientTape``.

>>> import rosenblatt as rb
>>> w = rb.Variable(2.0)
>>> with rb.GradientTape() as tape:
...     loss = (w * 3.0 - 1.0) ** 2
>>> float(tape.gradient(loss, w))   # 2·(3w − 1)·3 at w = 2
30.0
"""

from rosenblatt.autodiff.ops import (
    abs, add, apply, argmax, cast, clip, clip_by_value, concat, divide, equal, exp, getitem, greater,
    greater_equal, less, less_equal, log, matmul, maximum, minimum, multiply, negative, not_equal, ones,
    ones_like, pow, reduce_max, reduce_mean, reduce_min, reduce_sum, reshape, sin, cos, sqrt, square, subtract,
    transpose, where, zeros, zeros_like,
)
from rosenblatt.autodiff.tracing import Function, function
from rosenblatt.autodiff.tape import GradientTape
from rosenblatt.autodiff.tensor import Tensor, Variable, constant, convert_to_tensor, is_tensor, range

__all__ = [
    "Tensor", "Variable", "constant", "convert_to_tensor", "is_tensor", "range", "GradientTape", "apply", "Function", "function",
    "abs", "add", "argmax", "cast", "clip", "clip_by_value", "concat", "divide", "equal", "exp", "getitem",
    "greater", "greater_equal", "less", "less_equal", "log", "matmul", "maximum", "minimum", "multiply",
    "negative", "not_equal", "ones", "ones_like", "pow", "reduce_max", "reduce_mean", "reduce_min",
    "reduce_sum", "reshape", "sin", "cos", "sqrt", "square", "subtract", "transpose", "where", "zeros", "zeros_like",
]
