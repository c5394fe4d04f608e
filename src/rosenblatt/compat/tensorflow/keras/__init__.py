"""``tf.keras``: rosenblatt's layers, models, losses, metrics and optimizers under Keras's names."""

import rosenblatt as _rb
from rosenblatt.compat.missing import Alias, module_getattr
from rosenblatt.compat.tensorflow.keras import callbacks, optimizers
from rosenblatt.layers import Input
from rosenblatt.models import Model, Sequential

activations = Alias(__name__ + ".activations", "tf.keras.activations", _rb.activations)
datasets = Alias(__name__ + ".datasets", "tf.keras.datasets", _rb.datasets)
initializers = Alias(__name__ + ".initializers", "tf.keras.initializers", _rb.initializers)
layers = Alias(__name__ + ".layers", "tf.keras.layers", _rb.layers)
losses = Alias(__name__ + ".losses", "tf.keras.losses", _rb.losses)
metrics = Alias(__name__ + ".metrics", "tf.keras.metrics", _rb.metrics)
models = Alias(__name__ + ".models", "tf.keras.models", _rb.models)
regularizers = Alias(__name__ + ".regularizers", "tf.keras.regularizers", _rb.regularizers)
utils = Alias(__name__ + ".utils", "tf.keras.utils", _rb.utils)
__getattr__ = module_getattr(__name__, "tf.keras")
