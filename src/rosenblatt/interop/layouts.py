"""The layout conversions between rosenblatt (Keras's layouts, channels last) and PyTorch (channels first).

| rosenblatt (as Keras)                      | PyTorch                                   | conversion                    |
|--------------------------------------------|-------------------------------------------|-------------------------------|
| ``Dense`` kernel W (n_in, n_out)           | ``Linear.weight`` (n_out, n_in)           | Wᵀ                            |
| ``Dense`` after ``Flatten`` of (H, W, C)   | ``Linear.weight`` after NCHW ``Flatten``  | Wᵀ, columns (h, w, c) → (c, h, w) |
| ``Conv2D`` kernel (k_h, k_w, C, F) (HWIO)  | ``Conv2d.weight`` (F, C, k_h, k_w) (OIHW) | axes (3, 2, 0, 1)             |
| images (m, H, W, C) (NHWC)                 | (m, C, H, W) (NCHW)                       | axes (0, 3, 1, 2)             |
| ``BatchNormalization`` γ, β, moving μ, σ²  | ``weight``, ``bias``, ``running_mean``, ``running_var`` | as they are (+ ``num_batches_tracked``) |

Biases are the same vectors.  Every conversion is a transpose or a permutation, so a round trip is
bit-identical.

>>> import numpy as np
>>> W = np.arange(6.0).reshape(3, 2)                  # 3 inputs, 2 units
>>> dense_to_linear(W).shape, bool((linear_to_dense(dense_to_linear(W)) == W).all())
((2, 3), True)
>>> K = np.zeros((3, 3, 4, 8))                        # 3 × 3 kernel, 4 channels in, 8 filters
>>> hwio_to_oihw(K).shape, oihw_to_hwio(hwio_to_oihw(K)).shape
((8, 4, 3, 3), (3, 3, 4, 8))

After ``Flatten``, a picture's values come in the order (h, w, c) in rosenblatt and (c, h, w) in PyTorch;
the first ``Dense`` after it absorbs the difference in its columns, so the PyTorch network is the usual
``Conv2d → … → Flatten → Linear``:

>>> W = np.arange(2 * 2 * 3 * 1.0).reshape(12, 1)     # Flatten of (2, 2, 3), one unit
>>> x = np.arange(12.0).reshape(1, 2, 2, 3)           # one picture, NHWC
>>> a = x.reshape(1, -1) @ W                           # rosenblatt: (h, w, c) order
>>> b = x.transpose(0, 3, 1, 2).reshape(1, -1) @ dense_to_linear(W, (2, 2, 3)).T   # PyTorch: (c, h, w)
>>> bool((a == b).all())
True
"""

from __future__ import annotations

import numpy as np


def dense_to_linear(kernel, flattened=None):
    """``Dense``'s kernel (n_in, n_out) as ``Linear``'s weight (n_out, n_in); ``flattened`` = (H, W, C) when the
    inputs are a flattened NHWC picture (PyTorch flattens (C, H, W))."""
    weight = np.asarray(kernel).T
    if flattened is not None:
        h, w, c = flattened
        weight = weight.reshape(-1, h, w, c).transpose(0, 3, 1, 2).reshape(weight.shape[0], -1)
    return np.ascontiguousarray(weight)


def linear_to_dense(weight, flattened=None):
    """The inverse of :func:`dense_to_linear`."""
    weight = np.asarray(weight)
    if flattened is not None:
        h, w, c = flattened
        weight = weight.reshape(-1, c, h, w).transpose(0, 2, 3, 1).reshape(weight.shape[0], -1)
    return np.ascontiguousarray(weight.T)


def hwio_to_oihw(kernel):
    """``Conv2D``'s kernel (k_h, k_w, C, F) as ``Conv2d``'s weight (F, C, k_h, k_w)."""
    return np.ascontiguousarray(np.asarray(kernel).transpose(3, 2, 0, 1))


def oihw_to_hwio(weight):
    """The inverse of :func:`hwio_to_oihw`."""
    return np.ascontiguousarray(np.asarray(weight).transpose(2, 3, 1, 0))


def nhwc_to_nchw(images):
    """A batch of pictures (m, H, W, C) as PyTorch takes them, (m, C, H, W)."""
    return np.ascontiguousarray(np.asarray(images).transpose(0, 3, 1, 2))


def nchw_to_nhwc(images):
    """The inverse of :func:`nhwc_to_nchw`."""
    return np.ascontiguousarray(np.asarray(images).transpose(0, 2, 3, 1))


def same_padding(size, k, s, d=1):
    """TensorFlow's ``"same"`` padding along one axis: (before, after); the odd pixel goes after.

    >>> same_padding(5, 3, 2), same_padding(4, 2, 1), same_padding(8, 3, 1)
    ((1, 1), (0, 1), (1, 1))
    """
    out = -(-size // s)
    total = max((out - 1) * s + d * (k - 1) + 1 - size, 0)
    return total // 2, total - total // 2
