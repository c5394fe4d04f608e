"""``BatchNormalization``: standardise each feature over the batch, then scale and shift, as Keras does.

For a batch of activations z (the feature axis kept, every other axis averaged: for images (m, H, W, C)
the statistics are per channel, over m·H·W values):

    training:   μ = mean(z),  σ² = mean((z − μ)²)  (the biased variance)
                ẑ = (z − μ) / √(σ² + ε),   y = γ ⊙ ẑ + β
                moving_mean ← momentum · moving_mean + (1 − momentum) · μ
                moving_variance ← momentum · moving_variance + (1 − momentum) · σ²
    inference:  y = γ ⊙ (z − moving_mean) / √(moving_variance + ε) + β

γ (``gamma``, starts at 1) and β (``beta``, 0) are trained; the moving statistics are not.  It is composed of
primitives, so ∂J/∂z (through μ and σ² too) follows from theirs.  Keras's defaults: ``momentum`` 0.99,
``epsilon`` 10⁻³ (PyTorch's: momentum 0.1 *for the new value*, i.e. Keras's 0.9, ε 10⁻⁵, and an unbiased
σ² in the moving variance).  A layer whose ``trainable`` is False runs in inference mode, as in Keras.

>>> import numpy as np
>>> bn = BatchNormalization(momentum=0.5, epsilon=0.0, dtype="float64")
>>> bn(np.array([[1.0], [3.0]]), training=True).numpy().ravel()
array([-1.,  1.])
>>> bn.moving_mean.numpy(), bn.moving_variance.numpy()
(array([1.]), array([1.]))
>>> bn(np.array([[1.0], [3.0]])).numpy().ravel()          # inference: the moving statistics
array([0., 2.])
"""

from __future__ import annotations

import numpy as np

from rosenblatt import initializers, regularizers
from rosenblatt.autodiff.ops import add, divide, multiply, reduce_mean, reshape, sqrt, square, subtract
from rosenblatt.layers.layer import Layer


class BatchNormalization(Layer):
    """Batch normalization (Ioffe & Szegedy, 2015), as ``tf.keras.layers.BatchNormalization``.

    Args:
        axis: the feature axis (default −1, channels last).
        momentum: how much of the old moving statistics is kept per training batch (default 0.99).
        epsilon: ε, added to the variance (default 10⁻³).
        center: learn β (default True); scale: learn γ (default True).
        beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer:
            zeros, ones, zeros, ones by default.
        beta_regularizer, gamma_regularizer: optional penalties.
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise ValueError(f"BatchNormalization: axis must be an int, got {axis!r}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNormalization: momentum must be in [0, 1], got {momentum!r}")
        if not epsilon >= 0.0:
            raise ValueError(f"BatchNormalization: epsilon must be ≥ 0, got {epsilon!r}")
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.initializers = {k: initializers.get(v) for k, v in (
            ("beta", beta_initializer), ("gamma", gamma_initializer), ("moving_mean", moving_mean_initializer),
            ("moving_variance", moving_variance_initializer))}
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)

    def build(self, input_shape):
        if input_shape is None or not -len(input_shape) <= self.axis < len(input_shape):
            raise ValueError(f"BatchNormalization '{self.name}': axis {self.axis} is not an axis of inputs of shape "
                             f"{input_shape}")
        self._axis = self.axis % len(input_shape)
        k = input_shape[self._axis]
        if k is None:
            raise ValueError(f"BatchNormalization '{self.name}' needs a known size on axis {self.axis}, got input "
                             f"shape {input_shape}")
        k = (int(k),)
        init = self.initializers
        self.gamma = self.add_weight("gamma", k, init["gamma"], regularizer=self.gamma_regularizer) \
            if self.scale else None
        self.beta = self.add_weight("beta", k, init["beta"], regularizer=self.beta_regularizer) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", k, init["moving_mean"], trainable=False)
        self.moving_variance = self.add_weight("moving_variance", k, init["moving_variance"], trainable=False)

    def call(self, inputs, training=None):
        if inputs.ndim <= self._axis or inputs.shape[self._axis] != self.moving_mean.shape[0]:
            raise ValueError(f"BatchNormalization '{self.name}' expects {self.moving_mean.shape[0]} features on axis "
                             f"{self.axis}, got input shape {inputs.shape}")
        axes = tuple(i for i in range(inputs.ndim) if i != self._axis)
        shape = [1] * inputs.ndim
        shape[self._axis] = -1
        if training and self.trainable:
            mu = reduce_mean(inputs, axis=axes, keepdims=True)
            centred = subtract(inputs, mu)
            var = reduce_mean(square(centred), axis=axes, keepdims=True)
            normalised = divide(centred, sqrt(add(var, self.epsilon)))
            m = self.momentum
            for moving, batch in ((self.moving_mean, mu), (self.moving_variance, var)):
                moving.assign(m * moving._value + (1.0 - m) * batch._value.reshape(-1))
        else:
            mean = self.moving_mean._value.reshape(shape)
            scale = np.sqrt(self.moving_variance._value + self.epsilon).astype(self.moving_variance.dtype)
            normalised = divide(subtract(inputs, mean), scale.reshape(shape))
        if self.gamma is not None:
            normalised = multiply(normalised, _along(self.gamma, shape))
        if self.beta is not None:
            normalised = add(normalised, _along(self.beta, shape))
        return normalised

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                **{f"{k}_initializer": initializers.serialize(v) for k, v in self.initializers.items()},
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer)}


def _along(weight, shape):
    """γ or β shaped to broadcast along the feature axis (itself for the last axis)."""
    return weight if shape[-1] == -1 else reshape(weight, shape)
