"""Symbolic tensors for the functional API: what ``Input(shape)`` returns and what a layer called on one returns.

A :class:`KerasTensor` holds no numbers, only the shape of a batch (``None`` for the batch axis), the dtype, and
where it came from: the layer and the symbolic inputs it was called on.  :class:`~rosenblatt.models.Model`
``(inputs, outputs)`` follows those links back to find the graph of layers.  The output shape is found by
running the layer once on zeros (one sample, nothing recorded), which also builds it.

>>> import rosenblatt as rb
>>> x = rb.layers.Input((8, 8, 3))
>>> y = rb.layers.Conv2D(4, 3)(x)
>>> x, y.shape
(<KerasTensor shape=(None, 8, 8, 3) dtype=float32 from input_layer>, (None, 6, 6, 4))
"""

from __future__ import annotations

import numpy as np

from rosenblatt import dtypes
from rosenblatt.autodiff.tape import no_recording


class KerasTensor:
    """A placeholder for a batch of shape ``shape`` (first axis None), made by ``layer`` from ``inbound``."""

    def __init__(self, shape, dtype, layer, inbound=()):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.layer = layer
        self.inbound = list(inbound)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape} dtype={self.dtype.name} from {self.layer.name}>"


def _zeros(t: KerasTensor) -> np.ndarray:
    return np.zeros((1,) + tuple(1 if d is None else d for d in t.shape[1:]), t.dtype)


def call_symbolically(layer, inputs):
    """The KerasTensor of ``layer(inputs)``, ``inputs`` one KerasTensor or a list of them (a merge layer)."""
    many = isinstance(inputs, (list, tuple))
    inbound = list(inputs) if many else [inputs]
    for t in inbound:
        if not isinstance(t, KerasTensor):
            raise TypeError(f"{type(layer).__name__} '{layer.name}': in the functional API every input must come "
                            f"from Input(...) or a layer, got {type(t).__name__}")
    with no_recording():
        arrays = [_zeros(t) for t in inbound]
        out = layer.__call__(arrays if many else arrays[0], training=False)
    return KerasTensor((None,) + tuple(out.shape[1:]), out.dtype, layer, inbound)


def topological(outputs) -> list:
    """The symbolic tensors leading to ``outputs``, each after its inputs (an iterative depth-first walk)."""
    order, done, stack = [], set(), [(t, False) for t in reversed(outputs)]
    while stack:
        t, expanded = stack.pop()
        if id(t) in done:
            continue
        if expanded:
            done.add(id(t))
            order.append(t)
            continue
        stack.append((t, True))
        stack.extend((i, False) for i in reversed(t.inbound) if id(i) not in done)
    return order
