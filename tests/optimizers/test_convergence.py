"""Every optimizer converges on a convex bowl and on Rosenbrock, with the learning rate written here;
a too-large learning rate is reported as DivergenceError, not as a silent NaN.

Rosenbrock starts at (−1.5, 2) (two numbers: the pure-Python path); the bowl ½ Σ a_i w_i², a_i in
[0.5, 2], starts at linspace(−2, 3, 24) (the array path).
"""

import numpy as np
import pytest

from rosenblatt import optimizers as O
from rosenblatt import schedules as S

# name: (make(learning_rate), η on the bowl, steps allowed there, η on Rosenbrock, steps allowed there)
CONVERGES = {
    "sgd": (lambda lr: O.SGD(lr), 0.5, 100, 2e-3, 6_000),
    "sgd-momentum": (lambda lr: O.SGD(lr, momentum=0.9), 0.1, 500, 5e-4, 4_000),
    "sgd-nesterov": (lambda lr: O.SGD(lr, momentum=0.9, nesterov=True), 0.1, 500, 5e-4, 4_000),
    "momentum": (lambda lr: O.Momentum(lr), 1.0, 500, 5e-3, 4_000),
    # RMSprop's step is about η · sign(dW) near the bottom: it needs a small η to settle.
    "rmsprop": (lambda lr: O.RMSprop(lr), 1e-3, 4_000, 1e-3, 8_000),
    "adam": (lambda lr: O.Adam(lr), 0.1, 500, 0.1, 2_000),
    "adamw": (lambda lr: O.AdamW(lr), 0.1, 500, 0.03, 4_000),
    "nadam": (lambda lr: O.Nadam(lr), 0.03, 500, 0.01, 4_000),
    "adagrad": (lambda lr: O.Adagrad(lr), 1.0, 100, 1.0, 15_000),
    # Adadelta crawls along Rosenbrock's valley at a constant η: it needs the rate to decay.
    "adadelta": (lambda lr: O.Adadelta(lr), 1.0, 1_500, S.ExponentialDecay(1.0, 2000, 0.7), 8_000),
}


def _run(opt, gradient, W, steps, target, tol):
    for t in range(1, steps + 1):
        opt.apply_gradients([(gradient(W), W)])
        if np.max(np.abs(W - target)) < tol:
            return t
    return None


@pytest.mark.parametrize("name", CONVERGES)
def test_converges_on_a_convex_bowl(name, landscapes):
    make, lr, steps, _, _ = CONVERGES[name]
    W = np.linspace(-2.0, 3.0, 24)
    assert _run(make(lr), landscapes["bowl"][1], W, steps, 0.0, 1e-3), f"{name} did not reach the bowl's bottom"


@pytest.mark.parametrize("name", CONVERGES)
def test_converges_on_rosenbrock(name, landscapes):
    make, _, _, lr, steps = CONVERGES[name]
    W = np.array([-1.5, 2.0])
    assert _run(make(lr), landscapes["rosenbrock"][1], W, steps, 1.0, 1e-2), f"{name} stopped at {W}"


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("size", [2, 24])
def test_too_large_a_learning_rate_is_divergence(dtype, size, landscapes):
    gradient = landscapes["rosenbrock"][1]
    W, opt, last = np.resize(np.array([-1.5, 2.0], dtype=dtype), size), O.SGD(0.1), None
    with pytest.raises(O.DivergenceError, match="learning rate 0.1") as caught:
        for _ in range(100):
            last = W.copy()
            opt.apply_gradients([(gradient(W), W)])
    error = caught.value
    assert not error.applied and error.variable == 0 and error.step == opt.iterations + 1
    np.testing.assert_array_equal(W, last)  # the bad step changed nothing
    assert np.isfinite(W).all()


@pytest.mark.parametrize("name", CONVERGES)
def test_every_optimizer_reports_divergence(name, landscapes):
    """Adaptive steps are bounded by η, so an absurd η is what it takes; it must still not end in NaN."""
    make = CONVERGES[name][0]
    W, opt = np.array([-1.5, 2.0]), make(1e200)
    with pytest.raises(O.DivergenceError):
        for _ in range(100):
            opt.apply_gradients([(landscapes["rosenbrock"][1](W), W)])
    assert np.isfinite(W).all()


@pytest.mark.parametrize("size", [2, 24])
def test_an_update_that_overflows_is_caught(size):
    """A finite gradient, but W − η dW overflows: the tiny path catches it before writing; the array path
    after writing, puts the chunk back as it was, and says so: no inf is left in W either way."""
    W, other = np.full(size, 1.0), np.ones(3)
    opt = O.SGD(1e300)
    with pytest.raises(O.DivergenceError) as caught:
        opt.apply_gradients([(np.ones(3), other), (np.full(size, 1e10), W)])
    assert caught.value.variable == 1 and caught.value.applied is (size > 16)
    np.testing.assert_array_equal(W, np.full(size, 1.0))
    assert "put back" in str(caught.value) or size <= 16
    assert opt.iterations == 0


@pytest.mark.parametrize("name, dtype", [("sgd", np.float32), ("sgd", np.float64), ("adam", np.float32)])
def test_no_inf_reaches_weights_or_slots_when_an_update_overflows(dtype, name):
    """float32 overflows at 3.4e38: SGD(1e300) left inf in the weights before the chunk was put back."""
    W = np.full(5000, 1.0, dtype)
    before = W.copy()
    opt = O.SGD(1e300) if name == "sgd" else O.Adam(1e300)
    with pytest.raises(O.DivergenceError, match="put back"):
        for _ in range(3):
            opt.apply_gradients([(np.full(5000, 1e10 if name == "sgd" else 1.0, dtype), W)])
    assert np.isfinite(W).all()
    assert all(np.isfinite(v).all() for k, v in opt.get_state().items() if "/" in k)
    if opt.iterations == 0:
        np.testing.assert_array_equal(W, before)


def test_nan_gradient_leaves_every_variable_alone():
    a, b = np.ones(40, np.float32), np.ones(3)
    opt = O.Adam(0.1)
    opt.apply_gradients([(np.ones(40, np.float32), a), (np.ones(3), b)])
    before = a.copy(), b.copy(), opt.get_state()
    bad = np.ones(3)
    bad[1] = np.nan
    with pytest.raises(O.DivergenceError, match="gradient that is not finite"):
        opt.apply_gradients([(np.ones(40, np.float32), a), (bad, b)])
    np.testing.assert_array_equal(a, before[0])
    np.testing.assert_array_equal(b, before[1])
    assert opt.iterations == 1
    for key, value in opt.get_state().items():
        np.testing.assert_array_equal(value, before[2][key])


def test_check_finite_can_be_turned_off():
    W = np.ones(3)
    O.SGD(0.1, check_finite=False).apply_gradients([(np.full(3, np.nan), W)])
    assert np.isnan(W).all()


def test_trajectory_draws_the_path(landscapes):
    path = O.trajectory(O.Adam(0.1), landscapes["rosenbrock"][1], (-1.5, 2.0), 2_000)
    assert path.shape == (2_001, 2) and np.allclose(path[-1], 1.0, atol=1e-2)
    short = O.trajectory(O.SGD(0.1), landscapes["rosenbrock"][1], (-1.5, 2.0), 100, stop_on_divergence=True)
    assert 1 < len(short) < 101 and np.isfinite(short).all()
