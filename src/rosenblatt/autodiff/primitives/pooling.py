"""Max and average pooling over (m, H, W, C) images (channels last), with their vector-Jacobian products.

Windows of p_h × p_w with strides (s_h, s_w) and TensorFlow's padding (see :mod:`conv`'s ``output_size``):
max pooling pads with −∞ and sends each output's gradient to the (first) largest input of its window;
average pooling divides by the number of *real* inputs in each window (padding not counted, as TensorFlow
does), so ∂J/∂x adds g/count over every window that holds x.  2 × 2 max pooling of windows side by side runs
as compiled loops when numba is installed (:mod:`pool_kernels`).

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> _max_pool2d(x, pool_size=(2, 2), strides=(2, 2))[0][0, :, :, 0]
array([[ 5.,  7.],
       [13., 15.]])
>>> _avg_pool2d(x)[0, :, :, 0]
array([[ 2.5,  4.5],
       [10.5, 12.5]])
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.primitives import pool_kernels
from rosenblatt.autodiff.primitives.base import Primitive
from rosenblatt.autodiff.primitives.conv import _col2im, _geometry, _pad, _windows


def _taps(xp, pool_size, strides, ho, wo):
    """The p_h·p_w strided views xp[:, a + s_h·u, b + s_w·v, :] (each (m, H_o, W_o, C)), one per window position."""
    (sh, sw) = strides
    return [xp[:, a: a + sh * (ho - 1) + 1: sh, b: b + sw * (wo - 1) + 1: sw, :]
            for a in range(pool_size[0]) for b in range(pool_size[1])]


def _side_by_side(x, pool_size, strides, pads):
    """Whether the compiled loops of :mod:`pool_kernels` apply: float inputs of at least MIN_SIZE numbers, no
    padding, 2 × 2 windows side by side, numba present."""
    return (tuple(strides) == tuple(pool_size) == (2, 2) and x.dtype.kind == "f"
            and x.size >= pool_kernels.MIN_SIZE and not any(p for pair in pads for p in pair)
            and pool_kernels.get() is not None)


def _max_pool2d(x, pool_size=(2, 2), strides=(2, 2), padding="valid"):
    # whole-array passes over the window positions (no fancy indexing, no copy of the windows): the running
    # maximum, then which position k gave it (the first, on ties, as PyTorch; NaN inputs are not handled)
    ho, wo, pads = _geometry(x.shape, pool_size, strides, (1, 1), padding)
    if _side_by_side(x, pool_size, strides, pads):  # one compiled pass (pool_kernels), the same numbers
        shape = (x.shape[0], ho, wo, x.shape[3])
        best, arg = np.empty(shape, x.dtype), np.empty(shape, np.uint8)
        pool_kernels.get()[0](x, best, arg)
        return best, (arg, x.shape, pads)
    lowest = -np.inf if x.dtype.kind in "fc" else (np.iinfo(x.dtype).min if x.dtype.kind in "iu" else False)
    xp = _pad(x, pads, lowest)  # padding never wins a max
    taps = _taps(xp, pool_size, strides, ho, wo)
    best = np.maximum(taps[0], taps[1]) if len(taps) > 1 else taps[0].copy()
    for tap in taps[2:]:
        np.maximum(best, tap, out=best)
    # the first k with tap_k = max, from the last position back: A_k = [tap_k ≠ max]·(1 + A_{k+1}), A_{K−1} = 0
    # (integer passes on a byte per output: ~10× cheaper than selecting with np.where)
    index_type = np.uint8 if len(taps) < 256 else np.intp
    arg, differs = np.zeros(best.shape, index_type), np.empty(best.shape, bool)
    for k in range(len(taps) - 2, -1, -1):
        np.not_equal(taps[k], best, out=differs)
        arg += 1
        np.multiply(arg, differs.view(np.uint8), out=arg)
    return best, (arg, xp.shape, pads)


def _max_pool2d_vjp(g, out, saved, x, pool_size=(2, 2), strides=(2, 2), padding="valid"):
    # g goes to the (first) maximum of each window
    arg, padded_shape, pads = saved
    _, ho, wo, _ = g.shape
    chosen = np.empty(arg.shape, bool)
    if tuple(strides) == tuple(pool_size) and padded_shape[1:3] == (ho * pool_size[0], wo * pool_size[1]):
        # windows side by side, covering the picture: each input is in one window, so write, do not add
        gxp = np.empty(padded_shape, g.dtype)
        if arg.dtype == np.uint8 and _side_by_side(gxp, pool_size, strides, pads):
            pool_kernels.get()[1](g, arg, gxp)
            return (gxp,)
        for k, tap in enumerate(_taps(gxp, pool_size, strides, ho, wo)):
            np.multiply(g, np.equal(arg, k, out=chosen), out=tap)
    else:
        gxp = np.zeros(padded_shape, g.dtype)
        for k, tap in enumerate(_taps(gxp, pool_size, strides, ho, wo)):
            np.add(tap, g, out=tap, where=np.equal(arg, k, out=chosen))
    (_, _), (top, bottom), (left, right), _ = pads
    return (gxp[:, top: padded_shape[1] - bottom, left: padded_shape[2] - right, :],)


def _counts(x_shape, pool_size, strides, padding, dtype):
    """How many real (unpadded) inputs each window of an average pool holds: (1, H_o, W_o, 1)."""
    ho, wo, pads = _geometry(x_shape, pool_size, strides, (1, 1), padding)
    if padding == "valid" or not any(p for pair in pads for p in pair):
        return np.array(pool_size[0] * pool_size[1], dtype)
    ones = _pad(np.ones((1, x_shape[1], x_shape[2], 1), dtype), pads)
    return _windows(ones, pool_size, strides, (1, 1), ho, wo).sum(axis=(3, 4))


def _avg_pool2d(x, pool_size=(2, 2), strides=(2, 2), padding="valid"):
    (ph, pw), (sh, sw) = pool_size, strides
    ho, wo, pads = _geometry(x.shape, pool_size, strides, (1, 1), padding)
    if padding == "valid" and (ph, pw) == (sh, sw):  # blocks side by side: a reshape and two means
        n, _, _, c = x.shape
        blocks = x[:, : ho * ph, : wo * pw].reshape(n, ho, ph, wo, pw, c)
        return blocks.mean(axis=2).mean(axis=3)  # rows of a block first: ~6× faster than both axes at once
    xp = _pad(x, pads)
    total = np.zeros((x.shape[0], ho, wo, x.shape[3]), np.result_type(x.dtype, np.float32))
    for i in range(ph):
        for j in range(pw):
            total += xp[:, i: i + sh * (ho - 1) + 1: sh, j: j + sw * (wo - 1) + 1: sw, :]
    return total / _counts(x.shape, pool_size, strides, padding, total.dtype)


def _avg_pool2d_vjp(g, out, saved, x, pool_size=(2, 2), strides=(2, 2), padding="valid"):
    # each input of a window gets g / (the window's count of real inputs)
    ho, wo, pads = _geometry(x.shape, pool_size, strides, (1, 1), padding)
    share = g / _counts(x.shape, pool_size, strides, padding, g.dtype)
    n, _, _, c = x.shape
    (ph, pw), (sh, sw) = pool_size, strides
    if padding == "valid" and (ph, pw) == (sh, sw):  # blocks side by side: g/count spread over each block
        gx = np.zeros(x.shape, share.dtype)
        gx[:, : ho * ph, : wo * pw] = np.broadcast_to(share[:, :, None, :, None, :],
                                                      (n, ho, ph, wo, pw, c)).reshape(n, ho * ph, wo * pw, c)
        return (gx,)
    padded_shape = (n, x.shape[1] + sum(pads[1]), x.shape[2] + sum(pads[2]), c)
    gwin = np.broadcast_to(share[:, :, :, None, None, :], (n, ho, wo, pool_size[0], pool_size[1], c))
    return (_col2im(gwin, padded_shape, pool_size, strides, (1, 1), ho, wo, pads),)


TABLE = {
    "max_pool2d": Primitive(_max_pool2d, _max_pool2d_vjp, saves=True),
    "avg_pool2d": Primitive(_avg_pool2d, _avg_pool2d_vjp),
}
