"""Shared test functions: the cost landscapes every optimizer is run on."""

import numpy as np
import pytest


def rosenbrock(w):
    """J(x, y) = (1 − x)² + 100 (y − x²)², chained over consecutive pairs for more than two numbers."""
    x, y = w[:-1], w[1:]
    return float(np.sum((1 - x) ** 2 + 100 * (y - x * x) ** 2))


def rosenbrock_gradient(w):
    x, y = w[:-1], w[1:]
    g = np.zeros_like(w)
    with np.errstate(over="ignore", invalid="ignore"):  # diverging runs overflow on purpose
        g[:-1] += -2 * (1 - x) - 400 * x * (y - x * x)
        g[1:] += 200 * (y - x * x)
    return g


BOWL_SCALES = np.linspace(0.5, 2.0, 24)


def bowl(w):
    """A convex, ill-conditioned bowl J = ½ Σ a_i w_i², a_i in [0.5, 2]."""
    return 0.5 * float(np.sum(BOWL_SCALES[: w.size] * w * w))


def bowl_gradient(w):
    return BOWL_SCALES[: w.size] * w


@pytest.fixture
def landscapes():
    """{"rosenbrock": (J, dJ/dW), "bowl": (J, dJ/dW)} (test modules cannot import conftest directly)."""
    return {"rosenbrock": (rosenbrock, rosenbrock_gradient), "bowl": (bowl, bowl_gradient)}
