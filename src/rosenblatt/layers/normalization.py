"""``Normalization``: standardise inputs, x̂ = (x − μ) / √(σ² + ε), with μ, σ² learnt by ``adapt``.

>>> import numpy as np
>>> norm = Normalization()
>>> norm.adapt(np.array([[0.0], [2.0]]))
>>> norm(np.array([[1.0], [3.0]])).numpy().ravel()
array([0., 2.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.ops import divide, subtract
from rosenblatt.layers.layer import Layer


class Normalization(Layer):
    """Feature-wise standardisation with non-trainable mean and variance.

    Args:
        axis: the feature axis kept (default −1: one mean per feature).
        mean, variance: given statistics (else call :meth:`adapt` on training data).
        epsilon: added to the variance to avoid dividing by 0 (default 1e-7... stored as given).
    """

    def __init__(self, axis=-1, mean=None, variance=None, epsilon=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = float(epsilon)
        self._given = None if mean is None else (np.asarray(mean), np.asarray(variance))

    def build(self, input_shape):
        k = int(input_shape[self.axis])
        self.mean = self.add_weight("mean", (k,), "zeros", trainable=False)
        self.variance = self.add_weight("variance", (k,), "ones", trainable=False)
        if self._given is not None:
            self.mean.assign(np.broadcast_to(self._given[0], (k,)))
            self.variance.assign(np.broadcast_to(self._given[1], (k,)))

    def adapt(self, data):
        """Set μ and σ² to the per-feature mean and variance of ``data`` (an array)."""
        data = np.asarray(getattr(data, "_value", data), dtype=np.float64)
        if not self.built:
            self._maybe_build(data.shape)
        axes = tuple(i for i in range(data.ndim) if i != self.axis % data.ndim)
        self.mean.assign(data.mean(axis=axes))
        self.variance.assign(data.var(axis=axes))

    def call(self, inputs):
        scale = np.sqrt(self.variance._value + self.epsilon).astype(self.variance.dtype)
        return divide(subtract(inputs, self.mean), scale)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
