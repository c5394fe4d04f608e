"""TensorFlow's names, as aliases of rosenblatt's objects (no logic of its own).

With ``import rosenblatt.compat.tensorflow as tf`` the lecture's code runs unchanged.

>>> import rosenblatt.compat.tensorflow as tf
>>> x = tf.constant(2, dtype=tf.float32)
>>> print(tf.math.sigmoid(x).numpy())
0.8807971
"""

from rosenblatt import data, math, nn
from rosenblatt.activations import sigmoid, tanh
from rosenblatt.autodiff import (
    GradientTape, Tensor, Variable, abs, add, argmax, cast, clip_by_value, concat, constant, convert_to_tensor,
    divide, equal, exp, greater, is_tensor, less, log, matmul, maximum, minimum, multiply, ones, ones_like,
    range, reduce_max, reduce_mean, reduce_min, reduce_sum, reshape, sqrt, square, subtract, transpose, where,
    zeros, zeros_like,
)
from rosenblatt.compat.tensorflow import keras
from rosenblatt.dtypes import bool, float16, float32, float64, int8, int16, int32, int64, string, uint8  # noqa: A004
