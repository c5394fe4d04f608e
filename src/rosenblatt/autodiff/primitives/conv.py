"""Convolution over (m, H, W, C) images (channels last), with its vector-Jacobian product.

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

The pooling primitives, which share the padding rule and the window helpers, are in :mod:`pooling`.

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> _conv2d(x, np.ones((2, 2, 1, 1)))[0][0, :, :, 0]     # sums of 2 × 2 windows
array([[10., 14., 18.],
       [26., 30., 34.],
       [42., 46., 50.]])
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

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


TABLE = {
    "conv2d": Primitive(_conv2d, _conv2d_vjp, saves=True, selective=True),
}
