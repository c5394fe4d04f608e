"""rosenblatt: deep learning from the perceptron up, on NumPy, with TensorFlow's names.

>>> import rosenblatt as rb
>>> float(rb.math.sigmoid(rb.constant(2, dtype=rb.float32)))
0.8807970...
"""

from rosenblatt import (
    activations, backprop, callbacks, data, datasets, dtypes, initializers, io, layers, losses, math, metrics, models,
    nn, optimizers, plots, regularizers, schedules, training, utils,
)
from rosenblatt.backprop import explain
from rosenblatt.autodiff import *  # noqa: F401,F403 - the tensor API lives at the top level, as in TensorFlow
from rosenblatt.dtypes import bool, float16, float32, float64, int32, int64, uint8  # noqa: A004
from rosenblatt.models import Model, Sequential, load_model

__version__ = "0.1.0"
