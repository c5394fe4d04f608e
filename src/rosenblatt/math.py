"""TensorFlow's ``tf.math`` names: element-wise math and reductions (aliases).

>>> import rosenblatt as rb
>>> float(rb.math.sigmoid(rb.constant(0.0)))
0.5
"""

from rosenblatt.activations import sigmoid, softplus, tanh
from rosenblatt.autodiff.ops import (
    abs, add, argmax, divide, equal, exp, greater, greater_equal, less, less_equal, log, maximum, minimum,
    multiply, negative, not_equal, pow, reduce_max, reduce_mean, reduce_min, reduce_sum, sqrt, square,
    subtract,
)

__all__ = ["sigmoid", "softplus", "tanh", "abs", "add", "argmax", "divide", "equal", "exp", "greater",
           "greater_equal", "less", "less_equal", "log", "maximum", "minimum", "multiply", "negative",
           "not_equal", "pow", "reduce_max", "reduce_mean", "reduce_min", "reduce_sum", "sqrt", "square",
           "subtract"]
