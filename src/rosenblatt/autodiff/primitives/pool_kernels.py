"""Optional compiled max pooling for 2 × 2 windows side by side (the cat net's): one pass over memory each way.

NumPy's max pooling (:func:`rosenblatt.autodiff.primitives.pooling._max_pool2d`) makes p_h·p_w passes for the
maximum and as many again for which window position k gave it, and its VJP one pass per position.  With
`numba <https://numba.pydata.org>`_ installed (``pip install -e ".[fast]"``) and 2 × 2 windows side by side, a
compiled loop reads each input once and writes the maximum and k together; the VJP writes each input's
gradient once (g where k is its position, else 0).  Measured on the cat conv net's first pool, 32 × 32 × 32
× 32 float32 inputs: 1.2 → 0.2 ms forward, 0.9 → 0.2 ms backward.

The loop gives the same numbers as the NumPy passes, ties and NaN included: k is the first position holding
the maximum (``t > best`` keeps the earlier one), a NaN in a window makes its maximum NaN (as
``np.maximum``) and k the last position (as the NumPy passes, where no value equals NaN);
``tests/autodiff/test_pool_kernels.py`` checks it.  Arrays under ``MIN_SIZE`` numbers, integer inputs, other
window sizes and overlapping or padded windows take the NumPy path; so does everything when numba is missing or
``ROSENBLATT_KERNELS=numpy`` is set (as for the optimizers' loops).

>>> import numpy as np
>>> x = np.arange(16.0).reshape(1, 4, 4, 1)
>>> out, arg = np.empty((1, 2, 2, 1)), np.empty((1, 2, 2, 1), np.uint8)
>>> if (loops := get()) is not None:
...     loops[0](x, out, arg)
... else:
...     out[...], arg[...] = x.reshape(1, 2, 2, 2, 2, 1).max(axis=(2, 4)), 3
>>> out[0, :, :, 0], arg[0, :, :, 0]
(array([[ 5.,  7.],
       [13., 15.]]), array([[3, 3],
       [3, 3]], dtype=uint8))
"""

from __future__ import annotations

from rosenblatt.extras import numba_or_none

MIN_SIZE = 1 << 15
"""Inputs of at least this many numbers use the loops (importing numba costs about a second, once)."""

_loops: list = []




def _compile(numba):
    jit = numba.njit(cache=True, nogil=True)

    # 2 × 2 windows only, written out: with the window's size a run-time loop the compiler vectorises nothing
    # (measured 5 ms instead of 0.2 on the cat net's first pool)
    @jit
    def forward(x, out, arg):  # out, arg: (m, H_o, W_o, C); x: 2 × 2 windows side by side from (0, 0)
        m, ho, wo, c = out.shape
        for n in range(m):
            for u in range(ho):
                for v in range(wo):
                    for ch in range(c):
                        best = x[n, 2 * u, 2 * v, ch]
                        k = 0
                        t = x[n, 2 * u, 2 * v + 1, ch]
                        if t > best or (t != t and best == best):  # the first maximum; a NaN wins
                            best, k = t, 1
                        t = x[n, 2 * u + 1, 2 * v, ch]
                        if t > best or (t != t and best == best):
                            best, k = t, 2
                        t = x[n, 2 * u + 1, 2 * v + 1, ch]
                        if t > best or (t != t and best == best):
                            best, k = t, 3
                        out[n, u, v, ch] = best
                        arg[n, u, v, ch] = 3 if best != best else k

    @jit
    def backward(g, arg, gx):  # gx: (m, 2·H_o, 2·W_o, C), every element written
        m, ho, wo, c = g.shape
        zero = g.dtype.type(0)
        for n in range(m):
            for u in range(ho):
                for a in range(2):
                    for v in range(wo):
                        for b in range(2):
                            k = 2 * a + b
                            for ch in range(c):
                                gx[n, 2 * u + a, 2 * v + b, ch] = g[n, u, v, ch] if arg[n, u, v, ch] == k else zero

    return forward, backward


def get():
    """(forward, backward) compiled loops, or None without numba (compiled on first use, cached on disk)."""
    if not _loops:
        numba = numba_or_none()
        _loops.append(None if numba is None else _compile(numba))
    return _loops[0]


def path() -> str:
    """Which max pooling runs for 2 × 2 windows side by side on large inputs: ``"numba"`` or ``"numpy"``."""
    return "numpy" if get() is None else "numba"
