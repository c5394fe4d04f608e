"""The 2-D point sets: shapes, balance, determinism, and what linear and ReLU models make of them."""

import numpy as np
import pytest

from rosenblatt.data import points

SETS = sorted(points.POINT_SETS)


@pytest.mark.parametrize("name", SETS)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_shape_dtype_balance(name, n):
    x, y = points.get(name)(n_samples=n, seed=0)
    assert x.shape == (n, 2) and x.dtype == np.float64 and np.isfinite(x).all()
    assert y.shape == (n,) and y.dtype == np.int64 and set(y.tolist()) == {0, 1}
    assert int((y == 0).sum()) == n // 2


@pytest.mark.parametrize("name", SETS)
def test_seeded_runs_repeat_and_seeds_differ(name):
    make = points.get(name)
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    g = make(seed=np.random.default_rng(1))
    assert g[0].shape == (200, 2)
    assert not np.array_equal(make()[0], make()[0])  # no seed: fresh entropy


@pytest.mark.parametrize("name", SETS)
def test_classes_are_mixed_in_order(name):
    _, y = points.get(name)(n_samples=100, seed=0)
    assert 0 < y[:50].sum() < 50  # not sorted by class


def _accuracy(x, y, hidden, steps=1500, seed=0):
    """Full-batch Adam on the logistic loss for 2 -> hidden ReLU layers -> 1 (hidden=() is linear)."""
    rng = np.random.default_rng(seed)
    sizes = (2, *hidden, 1)
    params = []
    for a, b in zip(sizes, sizes[1:]):
        params += [rng.normal(0, np.sqrt(2 / a), (a, b)), np.zeros(b)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    t = y[:, None].astype(float)
    for step in range(1, steps + 1):
        acts = [x]
        for i in range(0, len(params) - 2, 2):
            acts.append(np.maximum(acts[-1] @ params[i] + params[i + 1], 0))
        p = 1 / (1 + np.exp(-(acts[-1] @ params[-2] + params[-1])))
        delta = (p - t) / len(x)
        grads = []
        for i in range(len(params) - 2, -1, -2):
            grads = [acts[i // 2].T @ delta, delta.sum(0)] + grads
            delta = (delta @ params[i].T) * (acts[i // 2] > 0)
        for j, g in enumerate(grads):
            m[j] = 0.9 * m[j] + 0.1 * g
            v[j] = 0.999 * v[j] + 0.001 * g * g
            params[j] -= 0.02 * (m[j] / (1 - 0.9 ** step)) / (np.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8)
    return float(np.mean((p[:, 0] > 0.5) == y))


@pytest.mark.parametrize("name", ["circles", "xor"])
def test_linear_stays_near_chance_and_a_small_relu_network_separates(name):
    x, y = points.get(name)(n_samples=400, seed=0)
    assert _accuracy(x, y, hidden=()) < 0.6
    assert _accuracy(x, y, hidden=(8, 8)) > 0.97


def test_blobs_are_linearly_separable_and_moons_mostly():
    assert _accuracy(*points.make_blobs(n_samples=400, seed=0), hidden=(), steps=500) > 0.97
    assert 0.8 < _accuracy(*points.make_moons(n_samples=400, seed=0), hidden=(), steps=500) < 0.95


@pytest.mark.parametrize("kwargs, pattern", [
    ({"n_samples": 1}, r"n_samples must be an int ≥ 2 .*; got 1"),
    ({"n_samples": 10.0}, r"n_samples must be an int ≥ 2 .*; got 10.0"),
    ({"noise": -0.1}, r"noise must be a finite number ≥ 0 .*; got -0.1"),
    ({"noise": float("nan")}, r"noise must be a finite number ≥ 0 .*; got nan"),
    ({"seed": -1}, r"seed must be None, an int ≥ 0 or a numpy.random.Generator; got -1"),
])
@pytest.mark.parametrize("name", SETS)
def test_bad_arguments(name, kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        points.get(name)(**kwargs)


def test_set_specific_arguments():
    with pytest.raises(ValueError, match=r"factor must be a number in \(0, 1\) .*; got 1.5"):
        points.make_circles(factor=1.5)
    with pytest.raises(ValueError, match=r"turns must be a finite number > 0; got 0"):
        points.make_spirals(turns=0)
    with pytest.raises(ValueError, match=r"unknown point set 'cats'; expected one of \['blobs'"):
        points.get("cats")
