"""What a primitive is, and ``unbroadcast``: summing a gradient back to its input's shape."""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np


class Primitive(NamedTuple):
    """A forward function on arrays and its vector-Jacobian product (see the package docs).

    ``selective``: the VJP takes ``needs``, one bool per input, and may return None where it is False
    (the tape passes which inputs lead to a watched tensor).  Worth it where an unneeded gradient costs
    a matrix product: ∂J/∂X of a network's first layer, ∂J/∂y of a loss's labels.
    """

    forward: Callable
    vjp: Callable
    saves: bool = False
    selective: bool = False


def unbroadcast(g: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``g`` over the axes that broadcasting added or stretched, to get back ``shape``.

    If ``x`` of shape (1, 3) was broadcast against (4, 3), ∂J/∂x is ∂J/∂out summed over axis 0.

    >>> unbroadcast(np.ones((4, 3)), (1, 3))
    array([[4., 4., 4.]])
    >>> unbroadcast(np.ones((4, 3)), (1, 1))
    array([[12.]])
    """
    if g.shape == shape:
        return g
    extra = g.ndim - len(shape)
    if extra:
        g = g.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    return g.reshape(shape)
