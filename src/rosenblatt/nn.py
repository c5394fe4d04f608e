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


def _pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def conv2d(input, filters, strides=1, padding="VALID", dilations=1):  # noqa: A002 - TensorFlow's names
    """``tf.nn.conv2d`` on (m, H, W, C) inputs and (k_h, k_w, C, F) filters (see the ``conv2d`` primitive).

    >>> import numpy as np
    >>> conv2d(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), padding="SAME").numpy()[0, :, :, 0]
    array([[4., 4., 2.],
           [4., 4., 2.],
           [2., 2., 1.]])
    """
    return apply("conv2d", input, filters, strides=_pair(strides), padding=padding.lower(),
                 dilation=_pair(dilations))


def max_pool2d(input, ksize, strides, padding="VALID"):  # noqa: A002
    """``tf.nn.max_pool2d`` on (m, H, W, C) inputs."""
    return apply("max_pool2d", input, pool_size=_pair(ksize), strides=_pair(strides), padding=padding.lower())


def avg_pool2d(input, ksize, strides, padding="VALID"):  # noqa: A002
    """``tf.nn.avg_pool2d`` on (m, H, W, C) inputs (padding not counted in the means)."""
    return apply("avg_pool2d", input, pool_size=_pair(ksize), strides=_pair(strides), padding=padding.lower())


__all__ += ["conv2d", "max_pool2d", "avg_pool2d"]
