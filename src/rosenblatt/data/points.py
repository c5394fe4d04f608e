"""Two-class point sets in the plane, for the lecture's "blue vs green points": no download, pure NumPy.

Each ``make_*(n_samples, noise, seed)`` returns ``(x, y)``: ``x`` float64 of shape ``(n_samples, 2)``
and ``y`` int64 labels in {0, 1} of shape ``(n_samples,)``, with ``n_samples // 2`` points of class 0
and the rest of class 1, in random order.  ``noise`` is the standard deviation of Gaussian noise
added to each coordinate; ``seed`` is ``None`` (fresh entropy), an int or a ``numpy.random.Generator``.

=================  ==========================  =======================  ===========================
set                shape of the classes        best linear classifier   small ReLU network
=================  ==========================  =======================  ===========================
``make_blobs``     two Gaussian clouds         ≈ 100 %                  ≈ 100 %
``make_moons``     two interleaving half moons ≈ 85 %                   > 97 %
``make_circles``   a ring around a disc        ≈ 50 % (logistic loss)   > 97 %
``make_xor``       four clouds, XOR of signs   ≈ 50 % (logistic loss)   > 97 %
``make_spirals``   two interleaved spirals     ≈ 55 %                   > 97 %, more slowly
=================  ==========================  =======================  ===========================

For ``make_circles`` and ``make_xor`` the classes are balanced and symmetric about the origin, so the
logistic loss of a linear model is smallest at :math:`w = 0`: gradient descent on a network with linear
activations (a linear model however deep) predicts :math:`\\sigma(b) \\approx 0.5` everywhere and stays
near chance, while a ReLU network separates them.

>>> x, y = make_circles(n_samples=200, seed=0)
>>> x.shape, x.dtype, y.shape, y.dtype, int(y.sum())
((200, 2), dtype('float64'), (200,), dtype('int64'), 100)
>>> sorted(POINT_SETS)
['blobs', 'circles', 'moons', 'spirals', 'xor']
"""

from __future__ import annotations

import numbers

import numpy as np


def _check(caller, n_samples, noise, seed):
    """Validate the common arguments; return the generator."""
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool) or n_samples < 2:
        raise ValueError(f"{caller}: n_samples must be an int ≥ 2 (one point of each class at least); "
                         f"got {n_samples!r}")
    if not isinstance(noise, numbers.Real) or isinstance(noise, bool) or not 0 <= noise < np.inf:
        raise ValueError(f"{caller}: noise must be a finite number ≥ 0 (a standard deviation); got {noise!r}")
    if not (seed is None or isinstance(seed, np.random.Generator) or (
            isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0)):
        raise ValueError(f"{caller}: seed must be None, an int ≥ 0 or a numpy.random.Generator; got {seed!r}")
    return np.random.default_rng(seed)


def _finish(parts, noise, rng):
    """Stack the classes (class k = parts[k]), add noise, shuffle the order."""
    x = np.concatenate(parts).astype(np.float64)
    y = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in enumerate(parts)])
    x += rng.normal(0.0, noise, size=x.shape) if noise else 0.0
    order = rng.permutation(len(y))
    return x[order], y[order]


def make_blobs(n_samples=200, noise=0.5, seed=None):
    """Two Gaussian clouds centred at (-1, -1) (class 0) and (1, 1) (class 1): linearly separable.

    .. math:: x \\sim \\mathcal N(\\mu_y, \\text{noise}^2 I), \\quad \\mu_0 = (-1, -1),\\ \\mu_1 = (1, 1)

    Args:
        n_samples: number of points (default 200). noise: standard deviation (default 0.5).
        seed: None, int or Generator (default None).

    >>> x, y = make_blobs(100, seed=1)
    >>> bool(np.mean((x.sum(axis=1) > 0) == y) > 0.95)
    True
    """
    rng = _check("make_blobs", n_samples, noise, seed)
    n0 = n_samples // 2
    return _finish([np.full((n0, 2), -1.0), np.full((n_samples - n0, 2), 1.0)], noise, rng)


def make_moons(n_samples=200, noise=0.1, seed=None):
    """Two interleaving half circles (scikit-learn's moons).

    .. math:: \\text{class 0: } (\\cos t, \\sin t), \\qquad \\text{class 1: } (1 - \\cos t, \\tfrac12 - \\sin t),
              \\qquad t \\in [0, \\pi] \\text{ evenly spaced}

    Args:
        n_samples: number of points (default 200). noise: standard deviation (default 0.1).
        seed: None, int or Generator (default None).

    >>> x, y = make_moons(10, noise=0.0, seed=0)
    >>> bool(np.allclose(np.linalg.norm(x[y == 0], axis=1), 1.0))
    True
    """
    rng = _check("make_moons", n_samples, noise, seed)
    n0 = n_samples // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n_samples - n0)
    outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    inner = np.stack([1 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)
    return _finish([outer, inner], noise, rng)


def make_circles(n_samples=200, noise=0.05, factor=0.5, seed=None):
    """A ring of radius 1 (class 0) around a ring of radius ``factor`` (class 1).

    .. math:: \\text{class 0: } (\\cos t, \\sin t), \\qquad \\text{class 1: } \\text{factor}\\,(\\cos t, \\sin t),
              \\qquad t \\in [0, 2\\pi) \\text{ evenly spaced}

    Args:
        n_samples: number of points (default 200). noise: standard deviation (default 0.05).
        factor: radius of the inner ring, in (0, 1) (default 0.5).
        seed: None, int or Generator (default None).

    >>> x, y = make_circles(8, noise=0.0, factor=0.25, seed=0)
    >>> np.round(np.linalg.norm(x, axis=1)[np.argsort(y)], 2).tolist()
    [1.0, 1.0, 1.0, 1.0, 0.25, 0.25, 0.25, 0.25]
    """
    rng = _check("make_circles", n_samples, noise, seed)
    if not isinstance(factor, numbers.Real) or not 0 < factor < 1:
        raise ValueError(f"make_circles: factor must be a number in (0, 1) (inner radius); got {factor!r}")
    n0 = n_samples // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n_samples - n0, endpoint=False)
    outer = np.stack([np.cos(t0), np.sin(t0)], axis=1)
    inner = factor * np.stack([np.cos(t1), np.sin(t1)], axis=1)
    return _finish([outer, inner], noise, rng)


def make_xor(n_samples=200, noise=0.3, seed=None):
    """Four clouds at (±1, ±1); class 1 where the signs agree (x₁ x₂ > 0), class 0 where they differ.

    .. math:: y = [\\operatorname{sign} \\mu_1 = \\operatorname{sign} \\mu_2], \\qquad
              x \\sim \\mathcal N(\\mu, \\text{noise}^2 I), \\quad \\mu \\in \\{\\pm 1\\}^2

    Args:
        n_samples: number of points (default 200). noise: standard deviation (default 0.3).
        seed: None, int or Generator (default None).

    >>> x, y = make_xor(100, seed=0)
    >>> bool(np.mean((x[:, 0] * x[:, 1] > 0) == y) > 0.95)
    True
    """
    rng = _check("make_xor", n_samples, noise, seed)
    n0 = n_samples // 2
    n1 = n_samples - n0

    def clouds(n, centres):
        return np.repeat(np.array(centres, dtype=np.float64), [n // 2, n - n // 2], axis=0)

    return _finish([clouds(n0, [(1, -1), (-1, 1)]), clouds(n1, [(1, 1), (-1, -1)])], noise, rng)


def make_spirals(n_samples=200, noise=0.1, turns=1.0, seed=None):
    """Two interleaved spirals: class 1 is class 0 turned by half a revolution.

    .. math:: r = t, \\quad \\theta = 2\\pi \\cdot \\text{turns} \\cdot t, \\quad t \\in [0.1, 1],
              \\qquad \\text{class 0: } r(\\cos\\theta, \\sin\\theta),
              \\quad \\text{class 1: } -r(\\cos\\theta, \\sin\\theta)

    Args:
        n_samples: number of points (default 200). noise: standard deviation (default 0.1).
        turns: revolutions of each arm, > 0 (default 1.0).
        seed: None, int or Generator (default None).

    >>> x, y = make_spirals(50, noise=0.0, seed=0)
    >>> bool(np.linalg.norm(x, axis=1).max() <= 1.0)
    True
    """
    rng = _check("make_spirals", n_samples, noise, seed)
    if not isinstance(turns, numbers.Real) or not 0 < turns < np.inf:
        raise ValueError(f"make_spirals: turns must be a finite number > 0; got {turns!r}")
    n0 = n_samples // 2

    def arm(n, sign):
        t = np.linspace(0.1, 1.0, n)
        theta = 2 * np.pi * turns * t
        return sign * t[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)

    return _finish([arm(n0, 1.0), arm(n_samples - n0, -1.0)], noise, rng)


POINT_SETS = {"blobs": make_blobs, "moons": make_moons, "circles": make_circles, "xor": make_xor,
              "spirals": make_spirals}


def get(name):
    """The point-set function called ``name`` (``"circles"``, ``"moons"``, …).

    >>> get("moons") is make_moons
    True
    """
    try:
        return POINT_SETS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown point set {name!r}; expected one of {sorted(POINT_SETS)}") from None
