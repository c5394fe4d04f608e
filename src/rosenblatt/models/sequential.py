"""``Sequential``: layers applied one after the other, a = g⁽ᴸ⁾(… g⁽¹⁾(X·W⁽¹⁾ + b⁽¹⁾) …).

>>> import rosenblatt as rb
>>> model = Sequential([rb.layers.Dense(4, activation="sigmoid"), rb.layers.Dense(2)], seed=0)
>>> model(np.zeros((5, 3))).shape
(5, 2)
>>> [layer.name for layer in model.layers]
['dense', 'dense_1']
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.tape import no_recording
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.layers import allocation
from rosenblatt.layers.core import InputLayer
from rosenblatt.layers.dense import Dense
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.symbolic import KerasTensor
from rosenblatt.models.model import Model


class Sequential(Model):
    """A stack of layers.

    Args:
        layers: a list of layers (more can be added with :meth:`add`).
        name: the model's name (default ``"sequential"``).
        seed: an int that makes weight initialization repeatable: layers whose initializers
            have no seed of their own draw from one generator made from it.
    """

    def __init__(self, layers=None, name=None, seed=None, trainable=True, dtype=None):
        super().__init__(name=name or "sequential", trainable=trainable, dtype=dtype)
        self.seed = seed
        self._seed_rng = None  # the generator made from seed, at the first build
        self._input_shape = None
        self._plan = False  # see _make_plan; False: not made yet
        self.output_shapes: list = []
        if isinstance(layers, Layer) or (layers is not None and not isinstance(layers, (list, tuple))):
            kind = type(layers).__name__
            raise TypeError(f"Sequential expects a list of layers, got {'one ' if isinstance(layers, Layer) else ''}"
                            f"{kind}; write Sequential([{kind}(...), ...])" if isinstance(layers, Layer) else
                            f"Sequential expects a list of layers, got {kind} ({layers!r:.60})")
        for layer in layers or []:
            self.add(layer)

    @property
    def layers(self) -> list[Layer]:
        return [layer for layer in self._layers if not isinstance(layer, InputLayer)]

    def add(self, layer):
        """Append a layer; its name is made unique within the model (``dense``, ``dense_1``, ...)."""
        if isinstance(layer, KerasTensor) and isinstance(layer.layer, InputLayer):  # Input(shape)
            layer = layer.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add expects a Layer, got {type(layer).__name__}")
        taken = {l.name for l in self._layers}
        if layer.name in taken:
            base, i = layer.name, 1
            while f"{base}_{i}" in taken:
                i += 1
            layer.name = f"{base}_{i}"
        if not self._layers and layer._input_shape_arg is not None:
            self._input_shape = (None,) + layer._input_shape_arg
            if not isinstance(layer, InputLayer) and layer.dtype != "float32":
                self._dtype = layer._dtype
        self._layers.append(layer)
        self._plan = False
        self.built = False
        if self._input_shape is not None:
            self.build(self._input_shape)

    def pop(self):
        """Remove the last layer."""
        layer = self._layers.pop()
        self._plan = False
        self.built = False
        return layer

    def build(self, input_shape=None):
        """Create every layer's weights by passing one zero sample through the stack."""
        input_shape = tuple(input_shape if input_shape is not None else self._input_shape or ())
        if len(input_shape) < 2:
            raise ValueError(f"Sequential '{self.name}' needs an input shape with a batch axis, got {input_shape}")
        # one generator for the model's life: a model built layer by layer (an Input first, then each add)
        # draws each new layer's weights further along the same stream, as a model built at once does
        if self.seed is not None and self._seed_rng is None:
            self._seed_rng = np.random.default_rng(self.seed)
        rng = self._seed_rng if self.seed is not None else None
        dtype = next((l._dtype for l in self._layers), self._dtype)
        sample = (1,) + tuple(1 if d is None else d for d in input_shape[1:])
        allocation.reserve(math.prod(sample), f"Sequential '{self.name}': a sample of shape {sample[1:]}")
        x = np.zeros(sample, dtype=dtype)
        self.output_shapes = []
        with no_recording():
            for layer in self._layers:
                if rng is not None and layer._rng is None:
                    layer._rng = rng
                x = layer(x)
                self.output_shapes.append((None,) + tuple(x.shape[1:]))
        self._input_shape = (None,) + tuple(input_shape[1:])
        self.built = True
        self._plan = False
        self._pack_weights()  # one buffer: the optimizer updates all weights at once

    def call(self, inputs, training=None):
        plan = self._plan if self._plan is not False else self._make_plan()
        if plan is not None and _fits(plan, inputs):
            weights, activations, last = plan
            x = apply("dense_stack", inputs, *weights, activations=activations)
            return x if last is None else last.activation(x)
        x = inputs
        for layer in self._layers:
            x = layer(x, training=training)
        return x

    def _make_plan(self):
        """How ``call`` runs a multi-layer perceptron: as one ``dense_stack`` primitive.

        When every layer is a built :class:`Dense` (exactly that class) with a bias, all of one dtype (an
        ``Input`` too), each with an activation that runs inside the dense primitive (the last layer may
        have any: it is applied after, so that a loss still finds sigmoid's or softmax's logits), the plan
        is (kernels and biases, activations, the last layer or None); otherwise None, and the layers are
        called one by one.  The numbers are the same either way; one tape entry instead of one or two per
        layer saves ~10 % of a step of the tiny [2, 8, 8, 1] network (measured).  Made on the first call
        after a change of layers.
        """
        self._plan = None
        dense = [layer for layer in self._layers if not isinstance(layer, InputLayer)]
        if not dense or not all(type(layer) is Dense and layer.built and layer.use_bias for layer in dense):
            return None
        if any(layer._dtype != dense[0]._dtype for layer in self._layers):  # an Input of another dtype casts
            return None
        if any(layer._fused is None for layer in dense[:-1]):
            return None
        weights = [w for layer in dense for w in (layer.kernel, layer.bias)]
        last = dense[-1] if dense[-1]._fused is None else None
        activations = tuple(layer._fused or "linear" for layer in dense)
        self._plan = (weights, activations, last)
        return self._plan

    def get_config(self) -> dict:
        from rosenblatt.models.config import layer_to_config

        return {
            "name": self.name, "seed": self.seed,
            "input_shape": None if self._input_shape is None else list(self._input_shape[1:]),
            "layers": [layer_to_config(layer) for layer in self._layers],
        }


def _fits(plan, x) -> bool:
    """Whether ``x`` is a batch of rows the stack takes as it is (else the layers check and cast it)."""
    value, kernel = x._value if isinstance(x, Tensor) else None, plan[0][0]._value
    return value is not None and value.ndim == 2 and value.shape[1] == kernel.shape[0] and value.dtype == kernel.dtype
