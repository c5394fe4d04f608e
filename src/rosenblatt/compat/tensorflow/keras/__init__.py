"""``tf.keras``: rosenblatt's layers, models, losses, metrics and optimizers under Keras's names."""

from rosenblatt import activations, initializers, layers, losses, metrics, models, regularizers
from rosenblatt.compat.tensorflow.keras import callbacks, optimizers
from rosenblatt.layers import Input
from rosenblatt.models import Model, Sequential
