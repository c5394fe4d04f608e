"""``Conv2D``: a bank of F filters slid over (m, H, W, C) images, a = g(X ⋆ W + b).

The kernel W has shape (k_h, k_w, C, F) and the bias b shape (F,) (Keras's layout, channels last);
output pixel (u, v) of filter f is

    z_{n,u,v,f} = b_f + Σ_{i<k_h} Σ_{j<k_w} Σ_c x̃_{n, s_h·u + d_h·i, s_w·v + d_w·j, c} · W_{i,j,c,f},

x̃ the padded input, s the strides, d the dilation (see :mod:`rosenblatt.autodiff.primitives.conv` for the
padding rule and the VJPs).  The convolution is one primitive, element-wise activations included (as in
``Dense``); another activation (softmax) is applied after it.

>>> import numpy as np
>>> layer = Conv2D(4, 3, padding="same", activation="relu")
>>> layer(np.zeros((2, 8, 8, 3))).shape, layer.kernel.shape, layer.bias.shape
((2, 8, 8, 4), (3, 3, 3, 4), (4,))
>>> Conv2D(2, (3, 1), strides=2)(np.zeros((1, 7, 7, 1))).shape
(1, 3, 4, 2)
"""

from __future__ import annotations

from rosenblatt import activations, initializers, regularizers
from rosenblatt.autodiff.heap import keep_freed_memory
from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.primitives.conv import output_size
from rosenblatt.autodiff.primitives.nn import ACTIVATIONS
from rosenblatt.layers.layer import Layer


def pair(value, layer: str, what: str) -> tuple[int, int]:
    """An int or a pair of ints ≥ 1 as a pair, else a ValueError naming the layer and the argument.

    >>> pair(3, "Conv2D", "kernel_size"), pair([1, 2], "Conv2D", "strides")
    ((3, 3), (1, 2))
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value_pair = (value, value)
    else:
        try:
            value_pair = tuple(value)
        except TypeError:
            value_pair = ()
    if len(value_pair) != 2 or not all(isinstance(p, int) and not isinstance(p, bool) and p >= 1 for p in value_pair):
        raise ValueError(f"{layer}: {what} must be an int ≥ 1 or a pair of them, got {value!r}")
    return value_pair


def check_padding(padding, layer: str) -> str:
    padding = padding.lower() if isinstance(padding, str) else padding
    if padding not in ("valid", "same"):
        raise ValueError(f"{layer}: padding must be 'valid' or 'same', got {padding!r}")
    return padding


def check_data_format(data_format, layer: str):
    if data_format not in (None, "channels_last"):
        raise ValueError(f"{layer}: only data_format='channels_last' (images of shape (m, H, W, C)) is supported, "
                         f"got {data_format!r}")


def check_images(layer, input_shape):
    if input_shape is None or len(input_shape) != 4:
        raise ValueError(f"{type(layer).__name__} '{layer.name}' expects images of shape (m, height, width, channels), "
                         f"got input shape {input_shape}")


class Conv2D(Layer):
    """2-D convolution layer, as ``tf.keras.layers.Conv2D``.

    Args:
        filters: F, the number of filters (output channels); a positive integer.
        kernel_size: k or (k_h, k_w).
        strides: s or (s_h, s_w) (default 1).
        padding: ``"valid"`` (default: whole windows only) or ``"same"`` (output ⌈H / s⌉ × ⌈W / s⌉).
        data_format: ``None`` or ``"channels_last"`` only.
        dilation_rate: d or (d_h, d_w) (default 1): the kernel's taps are d pixels apart.
        activation: a name, a function or None (linear).
        use_bias: whether to add b (default True).
        kernel_initializer: how W starts (default ``"glorot_uniform"``, fans k_h·k_w·C and k_h·k_w·F).
        bias_initializer: how b starts (default ``"zeros"``).
        kernel_regularizer, bias_regularizer: optional penalties added to the loss.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 activation=None, use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f"Conv2D: filters must be a positive integer, got {filters!r}")
        self.filters = filters
        self.kernel_size = pair(kernel_size, "Conv2D", "kernel_size")
        self.strides = pair(strides, "Conv2D", "strides")
        self.dilation_rate = pair(dilation_rate, "Conv2D", "dilation_rate")
        self.padding = check_padding(padding, "Conv2D")
        check_data_format(data_format, "Conv2D")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        name = activations.serialize(self.activation)
        self._fused = name if name in ACTIVATIONS else None  # element-wise: computed inside the primitive

    def build(self, input_shape):
        check_images(self, input_shape)
        self.compute_output_shape(input_shape)  # raises if the kernel does not fit
        keep_freed_memory()  # a conv net's step frees and allocates the same big arrays: keep their pages
        c = int(input_shape[-1])
        self.kernel = self.add_weight("kernel", self.kernel_size + (c, self.filters), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = self.add_weight("bias", (self.filters,), self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None

    def call(self, inputs):
        if inputs.ndim != 4 or inputs.shape[-1] != self.kernel.shape[2]:
            raise ValueError(f"Conv2D '{self.name}' expects images of shape (m, H, W, {self.kernel.shape[2]}), "
                             f"got shape {inputs.shape}")
        weights = (self.kernel, self.bias) if self.use_bias else (self.kernel,)
        fused = self._fused
        z = apply("conv2d", inputs, *weights, strides=self.strides, padding=self.padding,
                  dilation=self.dilation_rate, activation=fused or "linear")
        return z if fused else self.activation(z)

    def compute_output_shape(self, input_shape):
        m, h, w, _ = input_shape
        sizes = []
        for size, k, s, d in zip((h, w), self.kernel_size, self.strides, self.dilation_rate):
            out = None if size is None else output_size(int(size), k, s, d, self.padding)[0]
            if out is not None and out < 1:
                raise ValueError(f"Conv2D '{self.name}': a {self.kernel_size} kernel with dilation {self.dilation_rate} "
                                 f"does not fit in {h} x {w} images with padding='valid'")
            sizes.append(out)
        return (m, sizes[0], sizes[1], self.filters)

    def get_config(self) -> dict:
        name = activations.serialize(self.activation)
        if name is None:
            raise ValueError(f"Conv2D '{self.name}': a custom activation function cannot be saved by name")
        return {
            **super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
            "strides": list(self.strides), "padding": self.padding, "dilation_rate": list(self.dilation_rate),
            "activation": name, "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }
