"""Small layers without weights of their own: Activation, Dropout, Flatten, Reshape, InputLayer.

>>> import rosenblatt as rb
>>> Activation("relu")(rb.constant([-1.0, 3.0])).numpy()
array([0., 3.], dtype=float32)
>>> Flatten()(rb.constant(np.ones((2, 3, 4)))).shape
(2, 12)
>>> Reshape((4, 3))(rb.constant(np.ones((2, 12)))).shape
(2, 4, 3)
"""

from __future__ import annotations

import numpy as np

from rosenblatt import activations
from rosenblatt.autodiff.ops import multiply, reshape
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.symbolic import KerasTensor


class Activation(Layer):
    """Applies an activation function g element-wise: a = g(z)."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """During training, zeroes each input with probability ``rate`` and scales the rest by 1/(1 − rate).

    Args:
        rate: the fraction dropped, 0 ≤ rate < 1.
        seed: an int or ``numpy.random.Generator`` for the masks (repeatable runs).
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)):
            raise TypeError(f"Dropout: rate must be a number in [0, 1), got {rate!r} ({type(rate).__name__})")
        if not 0 <= rate < 1:
            raise ValueError(f"Dropout: rate must be in [0, 1), got {rate}")
        self.rate = float(rate)
        self.seed = seed
        self._mask_rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        keep = self._mask_rng.random(inputs.shape) >= self.rate
        return multiply(inputs, keep.astype(inputs.dtype) / (1.0 - self.rate))

    def get_config(self):
        seed = self.seed if isinstance(self.seed, int) else None
        return {**super().get_config(), "rate": self.rate, "seed": seed}


class Flatten(Layer):
    """Reshapes (m, d₁, d₂, …) to (m, d₁·d₂·…), e.g. 64×64×3 images to 12288 features."""

    def call(self, inputs):
        return reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], int(np.prod(rest)) if None not in rest else None)


class Reshape(Layer):
    """Reshapes each sample to ``target_shape``: (m, d₁, …) → (m, *target_shape), e.g. rows of 12288 values
    back to 64×64×3 pictures.  One entry of ``target_shape`` may be −1 (inferred)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            shape = tuple(int(d) for d in target_shape)
        except (TypeError, ValueError):
            raise ValueError(f"Reshape: target_shape must be a tuple of ints, got {target_shape!r}") from None
        if any(d == 0 or d < -1 for d in shape) or shape.count(-1) > 1:
            raise ValueError(f"Reshape: target_shape needs sizes ≥ 1 and at most one -1, got {target_shape!r}")
        self.target_shape = shape

    def build(self, input_shape):
        size, known = int(np.prod(input_shape[1:])), int(np.prod([d for d in self.target_shape if d != -1]))
        if (size % known) if -1 in self.target_shape else size != known:
            raise ValueError(f"Reshape '{self.name}': cannot reshape samples of shape {tuple(input_shape[1:])} "
                             f"({size} values) to {self.target_shape}")

    def call(self, inputs):
        return reshape(inputs, (inputs.shape[0],) + self.target_shape)

    def compute_output_shape(self, input_shape):
        shape = self.target_shape
        if -1 in shape and None not in input_shape[1:]:
            rest = int(np.prod(input_shape[1:])) // int(np.prod([d for d in shape if d != -1]))
            shape = tuple(rest if d == -1 else d for d in shape)
        return (input_shape[0],) + shape

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class InputLayer(Layer):
    """Declares the shape of one sample, so a ``Sequential`` can build at once."""

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, input_shape=None, **kwargs):
        shape = shape if shape is not None else input_shape
        if shape is None:
            raise ValueError("InputLayer needs a shape, e.g. InputLayer(shape=(2,))")
        if not isinstance(shape, (tuple, list)) or not all(
                d is None or (isinstance(d, (int, np.integer)) and not isinstance(d, bool) and d > 0) for d in shape):
            hint = f"; write shape=({shape},)" if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool) \
                else ""
            raise TypeError(f"Input: shape must be a tuple of positive ints (or None), one per axis of a sample, e.g. "
                            f"(2,) or (64, 64, 3); got {shape!r}{hint}")
        super().__init__(name=name or "input_layer", dtype=dtype, input_shape=tuple(shape), **kwargs)
        self.shape = tuple(shape)

    def get_config(self):
        return {**super().get_config(), "shape": list(self.shape)}


def Input(shape, dtype=None, name=None):
    """A symbolic batch of inputs of ``shape`` (without the batch axis): the start of a functional model
    (``Model(inputs=Input(...), outputs=...)``), or the first entry of ``Sequential([Input(...), ...])``.

    >>> Input((2,)).shape
    (None, 2)
    """
    layer = InputLayer(shape=shape, dtype=dtype, name=name)
    return KerasTensor((None,) + layer.shape, layer._dtype, layer)
