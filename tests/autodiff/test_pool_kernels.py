"""The compiled max pooling (pool_kernels) against the NumPy passes: the same maxima, the same window position
of each (the first, on ties; the last where a NaN is), the same gradients; and where it does not apply."""

import numpy as np
import pytest

from rosenblatt.autodiff.primitives import pool_kernels, pooling

pytestmark = pytest.mark.skipif(pool_kernels.get() is None, reason="numba is not installed (the fast extra)")


def both_paths(monkeypatch, x, g_seed=0, **params):
    """(out, arg, ∂J/∂x) by the loops and by the NumPy passes, and whether the loops ran each way."""
    runs = {"forward": 0, "backward": 0}
    forward, backward = pool_kernels.get()

    def counted(name, fn):
        def run(*a):
            runs[name] += 1
            return fn(*a)
        return run

    results = []
    for min_size, loops in ((0, (counted("forward", forward), counted("backward", backward))), (1 << 62, None)):
        monkeypatch.setattr(pool_kernels, "MIN_SIZE", min_size)
        if loops:
            monkeypatch.setattr(pool_kernels, "_loops", [loops])
        out, saved = pooling._max_pool2d(x, **params)
        g = np.random.default_rng(g_seed).normal(size=out.shape).astype(x.dtype)
        (gx,) = pooling._max_pool2d_vjp(g, out, saved, x, **params)
        results.append((out, saved[0], gx))
        monkeypatch.undo()
    return results, runs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("pool", [(2, 2), (3, 3), (2, 3)])
def test_loops_equal_the_numpy_passes_ties_included(monkeypatch, dtype, pool):
    rng = np.random.default_rng(1)
    x = np.maximum(rng.integers(-2, 3, (3, 6, 12, 5)), 0).astype(dtype)  # relu'd small integers: many ties
    (fast, slow), runs = both_paths(monkeypatch, x, pool_size=pool, strides=pool)
    assert runs == ({"forward": 1, "backward": 1} if pool == (2, 2) else {"forward": 0, "backward": 0})
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    # each window's gradient went to exactly one input, its first maximum (row by row)
    assert np.count_nonzero(fast[2]) == fast[0].size  # windows cover x (6 × 12): g is never 0
    first = fast[1][0, 0, 0, 0]
    window = x[0, :pool[0], :pool[1], 0].ravel()
    assert first == np.flatnonzero(window == window.max())[0]


def test_nan_windows_as_the_numpy_passes(monkeypatch):
    x = np.random.default_rng(2).normal(size=(2, 4, 4, 3))
    x[0, 1, 0, 0] = x[1, 2, 3, 2] = x[1, 3, 3, 2] = np.nan
    (fast, slow), _ = both_paths(monkeypatch, x)
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a, b)  # NaN where NaN
    assert np.isnan(fast[0][0, 0, 0, 0]) and fast[1][0, 0, 0, 0] == 3


def test_left_over_rows_forward_by_the_loop_backward_by_numpy(monkeypatch):
    x = np.random.default_rng(3).normal(size=(2, 7, 5, 4))  # 'valid' drops the last row and column
    (fast, slow), runs = both_paths(monkeypatch, x, pool_size=(2, 2), strides=(2, 2))
    assert runs == {"forward": 1, "backward": 0}
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("params", [dict(pool_size=(2, 2), strides=(1, 1)),  # overlapping windows
                                    dict(pool_size=(2, 2), strides=(2, 2), padding="same")])  # padded (7 × 5)
def test_overlapping_or_padded_windows_take_the_numpy_path(monkeypatch, params):
    x = np.random.default_rng(4).normal(size=(2, 7, 5, 4))
    (fast, slow), runs = both_paths(monkeypatch, x, **params)
    assert runs == {"forward": 0, "backward": 0}
    for a, b in zip(fast, slow):
        np.testing.assert_array_equal(a, b)


def test_integers_and_small_inputs_take_the_numpy_path():
    assert not pooling._side_by_side(np.zeros((64, 32, 32, 32), np.int32), (2, 2), (2, 2), ((0, 0),) * 4)
    assert not pooling._side_by_side(np.zeros((1, 4, 4, 1)), (2, 2), (2, 2), ((0, 0),) * 4)
    assert pooling._side_by_side(np.zeros((32, 32, 32, 32), np.float32), (2, 2), (2, 2), ((0, 0),) * 4)
    assert pool_kernels.path() == "numba"
