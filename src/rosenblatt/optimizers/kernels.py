"""Optional compiled updates: one pass over memory instead of one per NumPy call.

An optimizer's ``_update`` is a few NumPy calls, each a pass over its arrays. On a large variable the
update is bound by memory (Adam over the 3 M weights of a 12288 × 256 layer makes 12 passes), and a
loop that reads dW, W, v and s once and writes W, v and s once is faster. When
`numba <https://numba.pydata.org>`_ is installed (``pip install -e ".[fast]"`` from the checkout), :func:`get`
returns such a loop, compiled on first use and cached on disk; without numba it returns None and the
NumPy calls are used. Importing numba costs about a second, once per process, so the optimizers use
the loop only on variables of at least ``MIN_SIZE`` numbers, where each step saves milliseconds.

The loop performs the same IEEE operations, in the same order and the same precision, as the NumPy
calls (the constants are cast to the arrays' dtype first, and nothing is reassociated or fused into
one multiply–add), so both paths give the same bits; ``tests/optimizers/test_kernels.py`` checks it.
``ROSENBLATT_KERNELS=numpy`` in the environment turns the loops off.

The Adam loop, for each element i, with the constants of ``Adam._constants`` (η' and ε' carry the
bias correction):

    v_i = β1 v_i + (1 − β1) dW_i
    s_i = β2 s_i + (1 − β2) dW_i²
    W_i = W_i − η' v_i / (√s_i + ε')

With ``guard`` (the optimizer's ``check_finite``) the loop guards itself, so that no inf or NaN is
ever written into W, v or s: it runs over blocks of ``BLOCK`` elements, computes a block's new v, s and W
into a small buffer (in L1 cache), checks that they are finite (x − x = 0 fails only for inf and NaN; the
check is vectorised with the rest), and only then writes the block. On a non-finite number it returns
the flat position of the first element whose new v, s or W is not finite, without writing that block or
any after it: the elements before its block keep this step, and none of them holds a non-finite value.
It returns −1 when every element was updated. (s overflows alone, to inf, in float32 for
|dW| > ~1.8e19 while W stays finite, since v / √s is then 0; that is caught too.) Without ``guard`` the
loop writes every element in one pass, inf and NaN included, and returns −1.

The buffer costs a few per cent: the loop is bound by the divisions and square roots, not by memory
(12288 × 20 float32, measured on a loaded machine: about 1.1–1.2× the unguarded loop, against 2.1× for
copying W and the slots aside before the update). One buffer per array would not vectorise: LLVM then
needs more run-time alias checks than it makes, so the buffer is one (3, BLOCK) array.
"""

from __future__ import annotations

from rosenblatt.extras import numba_or_none

MIN_SIZE = 1 << 15
"""Variables of at least this many numbers use a compiled loop when there is one (32,768: the cat
network's first layer and larger; Adam on the 12288 × 20 layer: 0.69 ms a step with NumPy calls, 0.23 with
the loop, measured)."""

_compiled = {}




BLOCK = 512
"""Elements per block of the guarded loop (a 6 KiB float32 buffer: in L1; 512 was the fastest of
256–4096, measured)."""


def _adam(numba):
    import numpy as np

    # error_model="numpy": a division by zero gives inf, as in NumPy, instead of raising; that lets the
    # compiler vectorise the loop (4× faster in cache, measured)
    jit = numba.njit(cache=True, nogil=True, error_model="numpy")

    @jit
    def step(W, dW, v, s, β1, one_β1, β2, one_β2, ε, η):  # in place, every element
        for i in range(W.size):
            g = dW[i]
            v_i = v[i] * β1 + g * one_β1
            s_i = s[i] * β2 + (g * g) * one_β2
            v[i], s[i], W[i] = v_i, s_i, W[i] - (v_i / (np.sqrt(s_i) + ε)) * η

    @jit
    def step_into(new, W, dW, v, s, β1, one_β1, β2, one_β2, ε, η):  # into new[0] (W), new[1] (v), new[2] (s)
        finite = True
        for i in range(W.size):
            g = dW[i]
            v_i = v[i] * β1 + g * one_β1
            s_i = s[i] * β2 + (g * g) * one_β2
            w = W[i] - (v_i / (np.sqrt(s_i) + ε)) * η
            new[0, i], new[1, i], new[2, i] = w, v_i, s_i
            finite &= ((w - w) == 0) & ((v_i - v_i) == 0) & ((s_i - s_i) == 0)
        return finite

    @jit
    def put(target, source):
        for i in range(target.size):
            target[i] = source[i]

    @jit
    def adam(W, dW, v, s, β1, one_β1, β2, one_β2, ε, η, guard):
        if not guard:
            step(W, dW, v, s, β1, one_β1, β2, one_β2, ε, η)
            return -1
        new = np.empty((3, BLOCK), W.dtype)
        for lo in range(0, W.size, BLOCK):
            hi = min(lo + BLOCK, W.size)
            if not step_into(new, W[lo:hi], dW[lo:hi], v[lo:hi], s[lo:hi], β1, one_β1, β2, one_β2, ε, η):
                for j in range(hi - lo):
                    if not ((new[0, j] - new[0, j]) == 0 and (new[1, j] - new[1, j]) == 0
                            and (new[2, j] - new[2, j]) == 0):
                        return lo + j
            put(W[lo:hi], new[0])
            put(v[lo:hi], new[1])
            put(s[lo:hi], new[2])
        return -1

    return adam


_SOURCES = {"adam": _adam}


def warm_up() -> bool:
    """Compile (or load from numba's cache) every loop now, for float32 and float64, rather than in the
    first training step; returns whether there are loops. Timings and progress bars then start clean.

    >>> warm_up() == (get("adam") is not None)   # loops exist exactly when numba is there and not turned off
    True
    """
    loop = get("adam")
    if loop is None:
        return False
    import numpy as np

    for dtype in (np.float32, np.float64):
        a = np.ones(1, dtype)
        loop(a, a.copy(), a.copy(), a.copy(), *(dtype(0.5),) * 6, True)
    return True


def get(name):
    """The compiled loop ``name`` ("adam"), or None without numba."""
    if name not in _compiled:
        numba = numba_or_none()
        _compiled[name] = None if numba is None else _SOURCES[name](numba)
    return _compiled[name]
