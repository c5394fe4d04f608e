"""TensorFlow's names, as aliases of rosenblatt's objects (no logic of its own).

With ``import rosenblatt.compat.tensorflow as tf`` the lecture's code runs unchanged.

>>> import rosenblatt.compat.tensorflow as tf
>>> x = tf.constant(2, dtype=tf.float32)
>>> print(tf.math.sigmoid(x).numpy())
0.8807971

A TensorFlow name rosenblatt lacks (``tf.random.normal``, ``tf.keras.layers.Conv3D``) raises
:class:`~rosenblatt.compat.missing.NotInRosenblatt`, saying so (see :mod:`rosenblatt.compat.missing`).
"""

import rosenblatt.data as _data
import rosenblatt.math as _math
import rosenblatt.nn as _nn
from rosenblatt.activations import sigmoid, tanh
from rosenblatt.autodiff import (
    GradientTape, Tensor, Variable, abs, add, argmax, cast, clip_by_value, concat, constant, convert_to_tensor,
    divide, equal, exp, function, greater, is_tensor, less, log, matmul, maximum, minimum, multiply, ones, ones_like,
    range, reduce_max, reduce_mean, reduce_min, reduce_sum, reshape, sqrt, square, subtract, transpose, where,
    zeros, zeros_like,
)
from rosenblatt.compat.missing import Alias, module_getattr
from rosenblatt.compat.tensorflow import keras
from rosenblatt.dtypes import bool, float16, float32, float64, int8, int16, int32, int64, string, uint8  # noqa: A004

data = Alias(__name__ + ".data", "tf.data", _data)
math = Alias(__name__ + ".math", "tf.math", _math)
nn = Alias(__name__ + ".nn", "tf.nn", _nn)
__getattr__ = module_getattr(__name__, "tf")
