"""Rosenblatt's perceptron: his rule written out by hand, Novikoff's bound, XOR, bad input."""

import numpy as np
import pytest

from rosenblatt.models import Perceptron


def separable(seed, m=200, n=2, margin=0.2):
    """Points at distance ≥ ``margin`` from a random line (hyperplane) u·(1, x) = 0, labelled by its side."""
    rng = np.random.default_rng(seed)
    u = rng.normal(size=n + 1)
    u /= np.linalg.norm(u)
    x = np.empty((0, n))
    while len(x) < m:
        cand = rng.uniform(-3, 3, size=(4 * m, n))
        dist = np.abs(u[0] + cand @ u[1:])
        x = np.vstack([x, cand[dist >= margin]])[:m]
    y = (u[0] + x @ u[1:] > 0).astype(np.int64)
    return x, y, u


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("eta", [1.0, 0.05])
def test_converges_within_novikoffs_bound(seed, eta):
    x, y, u = separable(seed, n=2 + seed % 3, margin=0.1 + 0.05 * (seed % 4))
    augmented = np.column_stack([np.ones(len(x)), x])
    R = np.max(np.linalg.norm(augmented, axis=1))
    gamma = np.min(np.abs(augmented @ u))  # u is a unit vector that separates: its margin bounds the best
    bound = (R / gamma) ** 2
    p = Perceptron(learning_rate=eta)
    history = p.fit(x, y, epochs=10_000, seed=seed)
    assert p.converged
    assert p.evaluate(x, y) == 1.0
    assert history.history["mistakes"][-1] == 0
    assert 0 < p.updates <= bound, (p.updates, bound)
    assert p.updates == sum(history.history["mistakes"])


def test_never_reaches_100_percent_on_xor():
    x = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    y = np.array([0, 1, 1, 0])
    for seed in range(20):
        p = Perceptron(learning_rate=0.5)
        history = p.fit(x, y, epochs=200, seed=seed)
        assert not p.converged
        assert max(history.history["accuracy"]) <= 0.75
        assert min(history.history["mistakes"]) >= 1
    noisy_x = np.repeat(x, 25, axis=0) + np.random.default_rng(0).normal(0, 0.1, (100, 2))
    p = Perceptron()
    history = p.fit(noisy_x, np.repeat(y, 25), epochs=100, seed=0)
    assert not p.converged and max(history.history["accuracy"]) < 1.0


def test_rule_written_out_by_hand():
    """Two passes of W ← W + η (y − ŷ) x in the given order, computed here by hand."""
    x = np.array([[2.0, 1.0], [-1.0, -2.0], [1.0, -1.0]])
    y = np.array([1, 0, 0])
    p = Perceptron(learning_rate=0.5, shuffle=False)
    p.fit(x, y, epochs=2)
    W, w0 = np.zeros(2), 0.0
    for _ in range(2):
        for xi, yi in zip(x, y):
            y_hat = float(w0 + xi @ W >= 0)
            W, w0 = W + 0.5 * (yi - y_hat) * xi, w0 + 0.5 * (yi - y_hat)
    np.testing.assert_array_equal(p.W, W)
    assert p.w0 == w0


def test_lecture_example_and_slide_misprint():
    p = Perceptron.from_weights(w0=1, W=[3, -2])
    z = p.decision_function([[-2, 2]])[0, 0]
    assert z == -9
    y_hat = 1 / (1 + np.exp(9))
    assert round(y_hat, 12) == 0.000123394576
    assert abs(y_hat - 0.00012338161) > 1e-8  # the slide's value is off in the fifth significant digit


@pytest.mark.parametrize("call, message", [
    (lambda p: p.fit(np.zeros((3, 2)), [0, 1]), "3 examples but y has 2"),
    (lambda p: p.fit(np.zeros((2, 2)), [0, 2]), "labels must be 0 or 1, got 2"),
    (lambda p: p.fit(np.zeros(4), [0, 1, 0, 1]), r"must be \(m, n\)"),
    (lambda p: p.fit(np.full((2, 2), np.nan), [0, 1]), "NaN"),
    (lambda p: p.fit(np.zeros((2, 2)), [0, 1], epochs=0), "epochs must be an int ≥ 1, got 0"),
    (lambda p: p.predict(np.zeros((2, 2))), "no weights yet"),
    (lambda p: Perceptron.from_weights(0, [1, 2]).predict(np.zeros((2, 3))), "expects 2 features"),
    (lambda p: Perceptron(learning_rate=0), "learning_rate must be a finite number > 0, got 0"),
])
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call(Perceptron())
