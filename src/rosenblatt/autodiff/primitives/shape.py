"""Operations that move elements around (reshape, transpose, slices, concat)."""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.primitives.base import Primitive


def _reshape(x, shape):
    return np.reshape(x, shape)


def _reshape_vjp(g, out, saved, x, shape):
    return (np.reshape(g, x.shape),)


def _transpose(x, perm=None):
    return np.transpose(x, perm)


def _transpose_vjp(g, out, saved, x, perm=None):
    inverse = None if perm is None else np.argsort(perm)
    return (np.transpose(g, inverse),)


def _getitem(x, index):
    return x[index]


def _getitem_vjp(g, out, saved, x, index):
    gx = np.zeros(x.shape, dtype=g.dtype)
    np.add.at(gx, index, g)  # add.at so that repeated indices accumulate
    return (gx,)


def _concat(*xs, axis=0):
    return np.concatenate(xs, axis=axis)


def _concat_vjp(g, out, saved, *xs, axis=0):
    bounds = np.cumsum([x.shape[axis] for x in xs])[:-1]
    return tuple(np.split(g, bounds, axis=axis))


TABLE = {
    "reshape": Primitive(_reshape, _reshape_vjp),
    "transpose": Primitive(_transpose, _transpose_vjp),
    "getitem": Primitive(_getitem, _getitem_vjp),
    "concat": Primitive(_concat, _concat_vjp),
}
