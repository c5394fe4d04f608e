"""Layers that merge branches: ``Concatenate`` (side by side along an axis) and ``Add`` (element-wise sum).

Called on a list of tensors, symbolic ones too (the functional API: ``Add()([a, b])``).

>>> import numpy as np
>>> Concatenate()([np.ones((2, 3)), np.zeros((2, 1))]).shape
(2, 4)
>>> Add()([np.ones((2, 3)), np.ones((2, 3))]).numpy()[0]
array([2., 2., 2.], dtype=float32)
"""

from __future__ import annotations

from rosenblatt.autodiff.ops import add, concat
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.symbolic import KerasTensor, call_symbolically


class _Merge(Layer):
    def _convert(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects a list of at least 2 tensors, "
                             f"got {type(inputs).__name__}")
        return [Layer._convert(self, x) for x in inputs]

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)) and any(isinstance(x, KerasTensor) for x in inputs):
            return call_symbolically(self, list(inputs))
        x = self._convert(inputs)
        if not self.built:
            self._maybe_build([t.shape for t in x])
        return self.call(x)


class Concatenate(_Merge):
    """Join tensors along ``axis`` (default −1); the other axes must agree."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def build(self, input_shape):
        shapes = [tuple(s) for s in input_shape]
        ndim = len(shapes[0])
        if any(len(s) != ndim for s in shapes) or not -ndim <= self.axis < ndim:
            raise ValueError(f"Concatenate '{self.name}': cannot join shapes {shapes} on axis {self.axis}")
        axis = self.axis % ndim
        rest = {s[:axis] + s[axis + 1:] for s in shapes}
        if len({tuple(d for d in r[1:]) for r in rest}) > 1:
            raise ValueError(f"Concatenate '{self.name}': shapes {shapes} differ off axis {self.axis}")

    def call(self, inputs):
        return concat(list(inputs), axis=self.axis)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Add(_Merge):
    """The element-wise sum of tensors of one shape (a residual connection: ``Add()([x, f(x)])``)."""

    def build(self, input_shape):
        shapes = [tuple(s)[1:] for s in input_shape]
        if len(set(shapes)) > 1:
            raise ValueError(f"Add '{self.name}': inputs must have one shape, got {[tuple(s) for s in input_shape]}")

    def call(self, inputs):
        total = inputs[0]
        for x in inputs[1:]:
            total = add(total, x)
        return total
