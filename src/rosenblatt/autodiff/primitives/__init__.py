"""The one table of differentiable operations.

Each entry pairs an operation's forward value with its vector-Jacobian product (VJP), the
only place in the library where derivatives are written down.  Everything else (layers,
losses, ``reduce_mean``, ...) is composed of these entries, so its gradient follows.

An entry is a :class:`Primitive`:

* ``forward(*arrays, **params) -> out`` (or ``(out, saved)`` when ``saves`` is true), on plain
  NumPy arrays;
* ``vjp(g, out, saved, *arrays, **params) -> tuple`` with one gradient per array input, each of
  that input's shape (``None`` for an input that is not differentiable, such as a label), where
  ``g`` is ∂J/∂out;
* ``selective`` entries (the matrix products, the dense layer, the convolution, the losses on logits) also take
  ``needs=(bool, …)``, which inputs the tape wants a gradient for, and skip the others' work.

>>> sorted(PRIMITIVES)[:4]
['abs', 'add', 'avg_pool2d', 'cast']
>>> import numpy as np
>>> x, y = np.array([3.0]), np.array([4.0])
>>> out = PRIMITIVES["multiply"].forward(x, y)
>>> PRIMITIVES["multiply"].vjp(np.ones(1), out, None, x, y)    # (∂J/∂x, ∂J/∂y) = (g·y, g·x)
(array([4.]), array([3.]))
"""

from rosenblatt.autodiff.primitives import arithmetic, conv, nn, pooling, reductions, shape, trainable
from rosenblatt.autodiff.primitives.base import Primitive, unbroadcast

PRIMITIVES: dict[str, Primitive] = {**arithmetic.TABLE, **reductions.TABLE, **shape.TABLE, **nn.TABLE,
                                   **conv.TABLE, **pooling.TABLE, **trainable.TABLE}

__all__ = ["PRIMITIVES", "Primitive", "unbroadcast"]
