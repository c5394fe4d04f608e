"""Convolution and pooling over (m, H, W, C) images (channels last), with their vector-Jacobian products.

Notation: a kernel W of shape (k_h, k_w, C, F), strides (s_h, s_w), dilation (d_h, d_w); after padding
the input to X̃, output pixel (u, v) of filter f is the cross-correlation (what every framework calls
a convolution)

    Z_{n,u,v,f} = b_f + Σ_{i<k_h} Σ_{j<k_w} Σ_c X̃_{n, s_h·u + d_h·i, s_w·v + d_w·j, c} · W_{i,j,c,f}.

It is computed as one matrix product ("im2col"): the windows of X̃ are laid out as the rows of a
matrix P of shape (m·H_o·W_o, k_h·k_w·C) (a strided view, then one copy), so Z = P·W + b with W seen as
(k_h·k_w·C, F); for short windows (k_h·k_w·C < 64) b rides in the product, [P 1]·[W; b].  Its VJPs are
the dense layer's: ∂J/∂W = Pᵀ·G, ∂J/∂b = Σ_rows G = 1ᵀ·G, ∂J/∂P = G·Wᵀ, and ∂J/∂X adds each window's
gradient back where the window came from ("col2im"): for each kernel position (i, j) in turn, the block
G·W_{ij}ᵀ (m·H_o·W_o × C) is added to the inputs that position reached (padding dropped by clipping).
Measured against ``einsum`` on the window view and against k_h·k_w shifted products, and the whole
training step against PyTorch's: benchmarks/conv_speed.py and the conv net's section of docs/speed.md.

Padding, as TensorFlow: ``"valid"`` takes only whole windows, H_o = ⌊(H − d_h(k_h − 1) − 1) / s_h⌋ + 1;
``"same"`` gives H_o = ⌈H / s_h⌉ and pads p = max((H_o − 1)·s_h + d_h(k_h − 1) + 1 − H, 0) rows,
⌊p/2⌋ above and the rest below (so an odd p puts the extra row at the bottom, unlike PyTorch's
symmetric padding).

Pooling: max pooling pads with −∞ and sends each output's gradient to the (first) largest input of its
window; average pooling divides by the number of *real* inputs in each window (padding not counted, as
TensorFlow does), so ∂J/∂x adds g/count over every window that holds x.

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> _max_pool2d(x, pool_size=(2, 2), strides=(2, 2))[0][0, :, :, 0]
array([[ 5.,  7.],
       [13., 15.]])
>>> _conv2d(x, np.ones((2, 2, 1, 1)))[0][0, :, :, 0]     # sums of 2 × 2 windows
array([[10., 14., 18.],
       [26., 30., 34.],
       [42., 46., 50.]])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from rosenblatt.autodiff.primitives import pool_kernels
from rosenblatt.autodiff.primitives.base import Primitive
from rosenblatt.autodiff.primitives.nn import ACTIVATIONS


def output_size(size: int, k: int, s: int, d: int, padding: str) -> tuple[int, int, int]:
    """(output size, padding before, padding after) along one axis, TensorFlow's rule (see the module).

    >>> output_size(5, 3, 2, 1, "same"), output_size(5, 3, 2, 1, "valid"), output_size(4, 3, 1, 2, "same")
    ((3, 1, 1), (2, 0, 0), (4, 2, 2))
    """
    span = d * (k - 1) + 1
    if padding == "valid":
        return (size - span) // s + 1, 0, 0
    out = -(-size // s)
    total = max((out - 1) * s + span - size, 0)
    return out, total // 2, total - total // 2


def _geometry(x_shape, k, strides, dilation, padding):
    (kh, kw), (sh, sw), (dh, dw) = k, strides, dilation
    ho, top, bottom = output_size(x_shape[1], kh, sh, dh, padding)
    wo, left, right = output_size(x_shape[2], kw, sw, dw, padding)
    if ho < 1 or wo < 1:
        raise ValueError(f"a {kh} x {kw} window (dilation {dh} x {dw}) does not fit in {x_shape[1]} x {x_shape[2]} "
                         f"images with padding='valid'")
    return ho, wo, ((0, 0), (top, bottom), (left, right), (0, 0))


def _pad(x, pads, value=0.0):
    if not any(p for pair in pads for p in pair):
        return x
    (_, _), (top, bottom), (left, right), _ = pads  # only the picture's axes are padded
    n, h, w, c = x.shape
    xp = np.empty((n, h + top + bottom, w + left + right, c), x.dtype)
    for rows, cols in (((0, top), (0, w + left + right)), ((top + h, top + h + bottom), (0, w + left + right)),
                       ((top, top + h), (0, left)), ((top, top + h), (left + w, left + w + right))):
        xp[:, rows[0]:rows[1], cols[0]:cols[1]] = value  # the border only: the inside is written once, below
    xp[:, top:top + h, left:left + w] = x
    return xp


def _windows(xp, k, strides, dilation, ho, wo):
    """The view (m, H_o, W_o, k_h, k_w, C) of every window of ``xp`` (no copy)."""
    n, _, _, c = xp.shape
    s0, s1, s2, s3 = xp.strides
    return as_strided(xp, (n, ho, wo, k[0], k[1], c),
                      (s0, s1 * strides[0], s2 * strides[1], s1 * dilation[0], s2 * dilation[1], s3), writeable=False)


def _col2im(gwin, padded_shape, k, strides, dilation, ho, wo, pads):
    """∂J/∂X from ∂J/∂(windows) of shape (m, H_o, W_o, k_h, k_w, C): each window's gradient added back in place."""
    gxp = np.zeros(padded_shape, gwin.dtype)
    (sh, sw), (dh, dw) = strides, dilation
    for i in range(k[0]):
        rows = slice(i * dh, i * dh + sh * (ho - 1) + 1, sh)
        for j in range(k[1]):
            gxp[:, rows, j * dw: j * dw + sw * (wo - 1) + 1: sw, :] += gwin[:, :, :, i, j, :]
    (_, _), (top, bottom), (left, right), _ = pads
    return gxp[:, top: padded_shape[1] - bottom, left: padded_shape[2] - right, :]


# -- convolution ---------------------------------------------------------------------------------------
def _reach(size, out_size, offset, s):
    """Which inputs r = s·u + offset (0 ≤ r < size) the outputs u < out_size of one kernel position reach:
    (their slice of the input, the outputs' slice, whether they are every input), or (None, None, False).

    >>> _reach(5, 5, -1, 1), _reach(5, 3, 0, 2)
    ((slice(0, 4, 1), slice(1, 5, None), False), (slice(0, 5, 2), slice(0, 3, None), False))
    """
    first = max(0, -(offset // s)) if offset < 0 else 0
    last = min(out_size - 1, (size - 1 - offset) // s)
    if last < first:
        return None, None, False
    return (slice(s * first + offset, s * last + offset + 1, s), slice(first, last + 1),
            s == 1 and last - first + 1 == size)


def _patches(xp, k, strides, dilation, ho, wo, ones=False):
    """P, the (m·H_o·W_o, k_h·k_w·C) matrix of windows, in one copy (``ones``: with a last column of 1s).
    Without dilation across columns a window row (k_w·C numbers) is contiguous in X̃, and the view says so:
    NumPy then copies runs, not single pixels."""
    n, _, _, c = xp.shape
    s0, s1, s2, s3 = xp.strides
    if dilation[1] == 1 and s3 == xp.itemsize and s2 == c * s3:
        view = as_strided(xp, (n, ho, wo, k[0], k[1] * c),
                          (s0, s1 * strides[0], s2 * strides[1], s1 * dilation[0], s3), writeable=False)
    else:
        view = _windows(xp, k, strides, dilation, ho, wo)
    width = k[0] * k[1] * c
    if not ones:
        return np.ascontiguousarray(view).reshape(n * ho * wo, width)
    buf = np.empty((n, ho, wo, width + 1), xp.dtype)
    windows = buf[..., :width]
    windows.shape = view.shape  # splits the last axis only: a view of buf, never a copy
    windows[...] = view
    buf[..., width] = 1
    return buf.reshape(n * ho * wo, width + 1)


# The bias rides in the product (P gets a column of 1s, W a row b) when a window is short: then adding b
# would cost a pass over Z of the same order as the product (cat net's first layer, k_h·k_w·C = 27: −0.6 ms
# forward, and ∂J/∂b comes out of ∂J/∂W's product, −0.5 ms); past 64 it saves nothing and widens Pᵀ·G.
FOLD_BIAS_BELOW = 64


def _conv2d(x, w, *b, strides=(1, 1), padding="valid", dilation=(1, 1), activation="linear"):
    # Z = P·W + b, a = g(Z), P the (m·H_o·W_o, k_h·k_w·C) matrix of windows (saved for the VJP, with Z when
    # g' needs it); element-wise activations run here, as in the dense primitive
    kh, kw, c, f = w.shape
    ho, wo, pads = _geometry(x.shape, (kh, kw), strides, dilation, padding)
    xp = _pad(x, pads)
    fold = bool(b) and kh * kw * c < FOLD_BIAS_BELOW
    patches = _patches(xp, (kh, kw), strides, dilation, ho, wo, ones=fold)
    if fold:  # [P 1]·[W; b] = P·W + b
        wb = np.empty((kh * kw * c + 1, f), np.result_type(patches.dtype, w.dtype))
        wb[:-1], wb[-1] = w.reshape(-1, f), b[0]
        z = patches @ wb
    else:
        z = patches @ w.reshape(-1, f)
        if b:
            z += b[0]
    fn, _, needs_z = ACTIVATIONS[activation]
    if activation == "relu":
        a = np.maximum(z, 0, out=z)
    else:
        a = fn(z) if activation != "linear" else z
    return a.reshape(x.shape[0], ho, wo, f), (patches, fold, pads, z if needs_z else None)


def _conv2d_vjp(g, out, saved, x, w, *b, strides=(1, 1), padding="valid", dilation=(1, 1), activation="linear",
                needs=(True, True, True)):
    # G = ∂J/∂Z = g ⊙ g'(Z);  ∂J/∂W = Pᵀ·G,  ∂J/∂b = Σ_rows G,  ∂J/∂X = col2im(G·Wᵀ)
    patches, fold, pads, z = saved
    kh, kw, c, f = w.shape
    _, ho, wo, _ = g.shape
    g2 = g.reshape(-1, f)
    if activation != "linear":
        g2 = ACTIVATIONS[activation][1](g2, z, out.reshape(-1, f))
    gb = None
    if fold and (needs[1] or needs[2]):  # [P 1]ᵀ·G = [∂J/∂W; ∂J/∂b]
        both = patches.T @ g2
        gw, gb = both[:-1].reshape(w.shape), both[-1]
    else:
        gw = (patches.T @ g2).reshape(w.shape) if needs[1] else None
    gx = None
    if needs[0]:
        # G·W_{ij}ᵀ for each kernel position (i, j) in turn, into one reused (m·H_o·W_o, C) block (it stays in
        # cache), added where that position's inputs came from
        w_t = w.reshape(kh * kw, c, f).transpose(0, 2, 1)
        block = np.empty((g2.shape[0], c), g2.dtype)
        block_image = block.reshape(-1, ho, wo, c)
        (sh, sw), (dh, dw) = strides, dilation
        (_, _), (top, _), (left, _), _ = pads
        rows = [_reach(x.shape[1], ho, i * dh - top, sh) for i in range(kh)]
        cols = [_reach(x.shape[2], wo, j * dw - left, sw) for j in range(kw)]
        # straight into ∂J/∂X (no padded array): a position whose outputs reach every input (the centre of a
        # "same" stride-1 kernel) is written first, the others added; else it starts from zeros
        full = [(i, j) for i in range(kh) for j in range(kw) if rows[i][2] and cols[j][2]]
        gx = np.empty(x.shape, g2.dtype) if full else np.zeros(x.shape, g2.dtype)
        order = full[:1] + [(i, j) for i in range(kh) for j in range(kw) if (i, j) not in full[:1]]
        for n_done, (i, j) in enumerate(order):
            (to_r, from_r, _), (to_c, from_c, _) = rows[i], cols[j]
            if to_r is None or to_c is None:
                continue  # this kernel position only ever saw padding
            np.matmul(g2, w_t[i * kw + j], out=block)
            if n_done == 0 and full:
                gx[...] = block_image
            else:
                gx[:, to_r, to_c] += block_image[:, from_r, from_c]
    if not b:
        return gx, gw
    if gb is None and needs[2]:  # Σ_rows G as 1ᵀ·G, a matrix-vector product: ~7× faster than sum(axis=0)
        gb = np.ones(g2.shape[0], g2.dtype) @ g2
    return gx, gw, gb if needs[2] else None


# -- pooling ---------------------------------------------------------------------------------------------
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
    "conv2d": Primitive(_conv2d, _conv2d_vjp, saves=True, selective=True),
    "max_pool2d": Primitive(_max_pool2d, _max_pool2d_vjp, saves=True),
    "avg_pool2d": Primitive(_avg_pool2d, _avg_pool2d_vjp),
}
