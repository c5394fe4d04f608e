"""TensorFlow's ``tf.nn`` names: activations and losses on logits (aliases and thin wrappers).

>>> import rosenblatt as rb
>>> rb.nn.relu(rb.constant([-2.0, 2.0])).numpy()
array([0., 2.], dtype=float32)
"""

from rosenblatt.activations import elu, gelu, leaky_relu, log_softmax, relu, sigmoid, silu, softmax, softplus, swish, tanh
from rosenblatt.autodiff.ops import apply


def sigmoid_cross_entropy_with_logits(labels, logits):
    """Element-wise −y·log σ(z) − (1 − y)·log(1 − σ(z)), computed stably from the logits z."""
    return apply("sigmoid_cross_entropy_with_logits", logits, labels)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1):
    """Per-row −Σ_c y_c·log softmax(z)_c."""
    return apply("softmax_cross_entropy_with_logits", logits, labels, axis=axis)


def sparse_softmax_cross_entropy_with_logits(labels, logits):
    """Per-row −log softmax(z)_y for integer labels y."""
    import numpy as np

    return apply("sparse_softmax_cross_entropy_with_logits", logits, np.asarray(getattr(labels, "_value", labels)))


__all__ = ["elu", "gelu", "leaky_relu", "log_softmax", "relu", "sigmoid", "silu", "softmax", "softplus", "swish",
           "tanh", "sigmoid_cross_entropy_with_logits", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits"]
