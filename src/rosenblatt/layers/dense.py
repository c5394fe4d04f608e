"""``Dense``: the fully connected layer of the lecture, a = g(X·W + b).

With m samples of n features and k units: X is (m × n), the kernel W is (n × k) (Keras's
layout), the bias b is (k,), and z = X·W + b, a = g(z) are (m × k).  For element-wise
activations the whole layer is one fused primitive; for sigmoid and softmax the activation is
kept separate so that a cross-entropy loss can use the exact logits z.  A large kernel (at least
``COLUMN_MAJOR`` numbers) is stored column by column: its shape and values are Keras's, only the
memory order differs, because the matrix products run faster that way.

>>> import rosenblatt as rb
>>> layer = Dense(units=2, activation="sigmoid", kernel_initializer="ones")
>>> layer(rb.constant([[1.0, -1.0, 0.5]])).numpy()
array([[0.62245935, 0.62245935]], dtype=float32)
>>> layer.kernel.shape, layer.bias.shape
((3, 2), (2,))
"""

from __future__ import annotations

import numpy as np

from rosenblatt import activations, initializers, regularizers
from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.primitives.nn import ACTIVATIONS
from rosenblatt.layers.layer import Layer

COLUMN_MAJOR = 1 << 15
"""Kernels of at least this many numbers are stored column-major (Fortran order): W keeps its (n × k)
shape and values, but each column is contiguous. OpenBLAS then computes both products of a large layer
faster: the forward X·W, and the backward ∂J/∂W = Xᵀ·dZ as (dZᵀ·X)ᵀ, which lands in the same layout
(first layer of the cat network, float32 batch 64: 2.0 → 1.5 ms a step; of the wide network's, batch 32:
16.3 → 12.5 ms; measured). Optimizers follow the layout: slots and updates run in memory order."""

# activations that run inside the fused dense primitive (sigmoid and softmax keep their logits)
_FUSED = {name for name in ACTIVATIONS if name != "sigmoid"}


class Dense(Layer):
    """A densely connected layer: ``activation(inputs @ kernel + bias)``.

    Args:
        units: k, the number of neurons (output features); a positive integer.
        activation: a name (``"relu"``), a function (``tf.nn.relu``) or None (linear).
        use_bias: whether to add b (default True).
        kernel_initializer: how W starts (default ``"glorot_uniform"``).
        bias_initializer: how b starts (default ``"zeros"``).
        kernel_regularizer, bias_regularizer: optional penalties added to the loss.
        **kwargs: ``name``, ``dtype``, ``trainable``, ``input_shape`` (see :class:`Layer`).
    """

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) and not hasattr(units, "__index__") or int(units) < 1:
            raise ValueError(f"Dense: units must be a positive integer, got {units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        name = activations.serialize(self.activation)
        self._fused = name if name in _FUSED else None

    def build(self, input_shape):
        if len(input_shape) == 1 and input_shape[-1] is not None:
            raise ValueError(f"Dense '{self.name}' expects inputs of shape (batch, features), got shape {input_shape}: "
                             "one row per sample (reshape a single sample to (1, n), a column to (m, 1))")
        if len(input_shape) < 1 or input_shape[-1] is None:
            raise ValueError(f"Dense '{self.name}' needs inputs with a known last dimension, got shape {input_shape}")
        n = int(input_shape[-1])
        self.kernel = self.add_weight("kernel", (n, self.units), self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        if n * self.units >= COLUMN_MAJOR and self.units > 1:  # the same numbers, stored column by column
            self.kernel._value = np.asfortranarray(self.kernel._value)
        self.bias = self.add_weight("bias", (self.units,), self.bias_initializer,
                                    regularizer=self.bias_regularizer) if self.use_bias else None

    def call(self, inputs):
        kernel = self.kernel
        if inputs._value.ndim < 2 or inputs._value.shape[-1:] != kernel._value.shape[:1]:
            n = kernel.shape[0]
            if inputs.ndim < 2:
                raise ValueError(f"Dense '{self.name}' expects inputs of shape (batch, {n}), got shape {inputs.shape}: "
                                 "one row per sample (reshape a single sample to (1, n), a column to (m, 1))")
            raise ValueError(
                f"Dense '{self.name}' expects {n} input features, got {inputs.shape[-1]} (input shape {inputs.shape})"
            )
        if self._fused is not None:
            if self.use_bias:
                return apply("dense", inputs, kernel, self.bias, activation=self._fused)
            return apply("dense", inputs, kernel, activation=self._fused)
        return self.activation(apply("dense", inputs, kernel, self.bias) if self.use_bias
                               else apply("dense", inputs, kernel))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        name = activations.serialize(self.activation)
        if name is None:
            raise ValueError(f"Dense '{self.name}': a custom activation function cannot be saved by name")
        return {
            **super().get_config(), "units": self.units, "activation": name, "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
        }
