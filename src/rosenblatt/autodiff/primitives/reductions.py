"""Reductions over axes, with their vector-Jacobian products."""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.primitives.base import Primitive


def _expand_to(g, x, axis, keepdims):
    """Re-insert the reduced axes of ``g`` so that it broadcasts against ``x``."""
    if axis is None:
        return np.reshape(g, (1,) * x.ndim) if not keepdims else g
    if not keepdims:
        axes = (axis,) if np.isscalar(axis) else tuple(axis)
        g = np.expand_dims(g, tuple(a % x.ndim for a in axes))
    return g


def _reduce_sum(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


def _reduce_sum_vjp(g, out, saved, x, axis=None, keepdims=False):
    # every element of x contributes with weight 1
    return (np.broadcast_to(_expand_to(g, x, axis, keepdims), x.shape),)


def _reduce_max(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


def _reduce_max_vjp(g, out, saved, x, axis=None, keepdims=False):
    # the gradient goes to the maxima, shared equally among ties (as TensorFlow does)
    is_max = x == _expand_to(out, x, axis, keepdims)
    count = np.sum(is_max, axis=axis, keepdims=True)
    return (is_max * (_expand_to(g, x, axis, keepdims) / count),)


TABLE = {
    "reduce_sum": Primitive(_reduce_sum, _reduce_sum_vjp),
    "reduce_max": Primitive(_reduce_max, _reduce_max_vjp),
}
