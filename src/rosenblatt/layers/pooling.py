"""Pooling over (m, H, W, C) images, channel by channel: ``MaxPooling2D``, ``AveragePooling2D``,
``GlobalAveragePooling2D``, ``GlobalMaxPooling2D``.

With a pool of p_h × p_w and strides (s_h, s_w) (default: the pool, blocks side by side),

    max:      y_{n,u,v,c} = max_{a<p_h, b<p_w} x̃_{n, s_h·u + a, s_w·v + b, c}
    average:  y_{n,u,v,c} = (1 / |window|) Σ_{a<p_h} Σ_{b<p_w} x_{n, s_h·u + a, s_w·v + b, c}

(|window| counts only real pixels: padding is not averaged in, as TensorFlow does; ``"valid"``, the default,
drops rows and columns left over).  Both are primitives (``max_pool2d``, ``avg_pool2d``); the global ones
are a ``reduce_mean`` / ``reduce_max`` over H and W, y_{n,c} = mean_{u,v} x_{n,u,v,c}.

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> AveragePooling2D(2)(x).numpy()[0, :, :, 0]
array([[ 2.5,  4.5],
       [10.5, 12.5]], dtype=float32)
>>> MaxPooling2D(2, strides=1, padding="same")(x).numpy()[0, :, :, 0]
array([[ 5.,  6.,  7.,  7.],
       [ 9., 10., 11., 11.],
       [13., 14., 15., 15.],
       [13., 14., 15., 15.]], dtype=float32)
>>> GlobalAveragePooling2D()(x).numpy()
array([[7.5]], dtype=float32)
"""

from __future__ import annotations

from rosenblatt.autodiff.ops import apply, reduce_max, reduce_mean
from rosenblatt.autodiff.primitives.conv import output_size
from rosenblatt.layers.convolutional import check_data_format, check_images, check_padding, pair
from rosenblatt.layers.layer import Layer


class _Pooling2D(Layer):
    _primitive = ""

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None, **kwargs):
        cls = type(self).__name__
        super().__init__(name=name, **kwargs)
        self.pool_size = pair(pool_size, cls, "pool_size")
        self.strides = self.pool_size if strides is None else pair(strides, cls, "strides")
        self.padding = check_padding(padding, cls)
        check_data_format(data_format, cls)

    def build(self, input_shape):
        check_images(self, input_shape)
        (h, w), (ph, pw) = input_shape[1:3], self.pool_size
        if self.padding == "valid" and (h < ph or w < pw):
            raise ValueError(f"{type(self).__name__} '{self.name}': a {ph} x {pw} pool does not fit in {h} x {w} "
                             f"images")

    def call(self, inputs):
        if inputs.ndim != 4:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects images of shape (m, height, width, "
                             f"channels), got shape {inputs.shape}")
        return apply(self._primitive, inputs, pool_size=self.pool_size, strides=self.strides, padding=self.padding)

    def compute_output_shape(self, input_shape):
        m, h, w, c = input_shape
        rows, cols = (None if n is None else output_size(int(n), p, s, 1, self.padding)[0]
                      for n, p, s in zip((h, w), self.pool_size, self.strides))
        return (m, rows, cols, c)

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "padding": self.padding}


class MaxPooling2D(_Pooling2D):
    """Max pooling, as ``tf.keras.layers.MaxPooling2D``.

    Args:
        pool_size: p or (p_h, p_w) (default 2).
        strides: s or (s_h, s_w); ``None`` (default) means the pool size.
        padding: ``"valid"`` (default) or ``"same"`` (padding never wins a max).
        data_format: ``None`` or ``"channels_last"`` only.
    """

    _primitive = "max_pool2d"


class AveragePooling2D(_Pooling2D):
    """Average pooling, as ``tf.keras.layers.AveragePooling2D`` (arguments as :class:`MaxPooling2D`; padding is
    left out of each mean).  With the default strides and ``"valid"`` it is a reshape and two means."""

    _primitive = "avg_pool2d"


class _GlobalPooling2D(Layer):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        check_data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)

    def build(self, input_shape):
        check_images(self, input_shape)

    def compute_output_shape(self, input_shape):
        m, _, _, c = input_shape
        return (m, 1, 1, c) if self.keepdims else (m, c)

    def get_config(self):
        return {**super().get_config(), "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean of each channel over the whole picture: (m, H, W, C) → (m, C) (``keepdims``: (m, 1, 1, C))."""

    def call(self, inputs):
        return reduce_mean(inputs, axis=(1, 2), keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The largest value of each channel over the whole picture: (m, H, W, C) → (m, C)."""

    def call(self, inputs):
        return reduce_max(inputs, axis=(1, 2), keepdims=self.keepdims)
