"""Each optimizer against the lecture's equations written out by hand, float64, to 1e-10.

The references below are the equations as printed (v_corr = v / (1 − β1^t), …), in plain NumPy
expressions with fresh temporaries: nothing is shared with the library's in-place code.
"""

import math

import numpy as np
import pytest

from rosenblatt import optimizers as O
from rosenblatt.optimizers import slots as base


def ref_sgd(g, W, st, t, lr, momentum=0.0, nesterov=False):
    if momentum == 0:
        return W - lr * g
    st["velocity"] = momentum * st.get("velocity", 0) - lr * g
    if nesterov:
        return W + momentum * st["velocity"] - lr * g
    return W + st["velocity"]


def ref_momentum(g, W, st, t, lr, beta):
    st["v"] = beta * st.get("v", 0) + (1 - beta) * g
    return W - lr * st["v"]


def ref_rmsprop(g, W, st, t, lr, rho, eps):
    st["s"] = rho * st.get("s", 0) + (1 - rho) * g**2
    return W - lr * g / (np.sqrt(st["s"]) + eps)


def ref_adam(g, W, st, t, lr, b1, b2, eps, amsgrad=False, weight_decay=0.0):
    W = W - lr * weight_decay * W
    st["v"] = b1 * st.get("v", 0) + (1 - b1) * g
    st["s"] = b2 * st.get("s", 0) + (1 - b2) * g**2
    s = st["s"]
    if amsgrad:
        s = st["s_max"] = np.maximum(st.get("s_max", 0), s)
    v_corr = st["v"] / (1 - b1**t)
    s_corr = s / (1 - b2**t)
    return W - lr * v_corr / (np.sqrt(s_corr) + eps)


def ref_adagrad(g, W, st, t, lr, s0, eps):
    st["s"] = st.get("s", s0) + g**2
    return W - lr * g / (np.sqrt(st["s"]) + eps)


def ref_adadelta(g, W, st, t, lr, rho, eps):
    st["s"] = rho * st.get("s", 0) + (1 - rho) * g**2
    delta = np.sqrt(st.get("d", 0) + eps) / np.sqrt(st["s"] + eps) * g
    st["d"] = rho * st.get("d", 0) + (1 - rho) * delta**2
    return W - lr * delta


def ref_nadam(g, W, st, t, lr, b1, b2, eps, psi):
    mu = lambda i: b1 * (1 - 0.5 * 0.96 ** (i * psi))  # noqa: E731
    prod = st["prod"] = st.get("prod", 1.0) * mu(t)
    st["v"] = b1 * st.get("v", 0) + (1 - b1) * g
    st["s"] = b2 * st.get("s", 0) + (1 - b2) * g**2
    denom = np.sqrt(st["s"] / (1 - b2**t)) + eps
    return (W - lr * (1 - mu(t)) / (1 - prod) * g / denom
            - lr * mu(t + 1) / (1 - prod * mu(t + 1)) * st["v"] / denom)


# (optimizer, reference, its hyper-parameters, learning rate on the bowl, on Rosenbrock)
CASES = {
    "sgd": (lambda lr: O.SGD(lr), lambda lr: dict(lr=lr), ref_sgd, 0.1, 1e-4),
    "sgd-momentum": (lambda lr: O.SGD(lr, momentum=0.9), lambda lr: dict(lr=lr, momentum=0.9), ref_sgd, 0.05, 1e-4),
    "sgd-nesterov": (lambda lr: O.SGD(lr, momentum=0.8, nesterov=True),
                     lambda lr: dict(lr=lr, momentum=0.8, nesterov=True), ref_sgd, 0.05, 1e-4),
    "momentum": (lambda lr: O.Momentum(lr, beta=0.9), lambda lr: dict(lr=lr, beta=0.9), ref_momentum, 0.1, 1e-3),
    "rmsprop": (lambda lr: O.RMSprop(lr, rho=0.9, epsilon=1e-8), lambda lr: dict(lr=lr, rho=0.9, eps=1e-8),
                ref_rmsprop, 0.01, 1e-3),
    "adam": (lambda lr: O.Adam(lr), lambda lr: dict(lr=lr, b1=0.9, b2=0.999, eps=1e-8), ref_adam, 0.05, 1e-2),
    "adam-amsgrad": (lambda lr: O.Adam(lr, beta_1=0.8, beta_2=0.99, epsilon=1e-6, amsgrad=True),
                     lambda lr: dict(lr=lr, b1=0.8, b2=0.99, eps=1e-6, amsgrad=True), ref_adam, 0.05, 1e-2),
    "adamw": (lambda lr: O.AdamW(lr, weight_decay=0.1), lambda lr: dict(lr=lr, b1=0.9, b2=0.999, eps=1e-8,
                                                                        weight_decay=0.1), ref_adam, 0.05, 1e-2),
    "nadam": (lambda lr: O.Nadam(lr), lambda lr: dict(lr=lr, b1=0.9, b2=0.999, eps=1e-8, psi=0.004),
              ref_nadam, 0.05, 1e-2),
    "adagrad": (lambda lr: O.Adagrad(lr), lambda lr: dict(lr=lr, s0=0.1, eps=1e-7), ref_adagrad, 0.3, 0.1),
    "adadelta": (lambda lr: O.Adadelta(lr), lambda lr: dict(lr=lr, rho=0.95, eps=1e-6), ref_adadelta, 1.0, 1.0),
}


def _compare(name, gradient, start, lr, steps=150):
    make, hyper, ref, _, _ = CASES[name]
    W, R, st, opt = np.array(start, dtype=np.float64), np.array(start, dtype=np.float64), {}, make(lr)
    for t in range(1, steps + 1):
        opt.apply_gradients([(gradient(W), W)])
        R = ref(gradient(R), R, st, t, **hyper(lr))
        np.testing.assert_allclose(W, R, rtol=1e-10, atol=1e-12, err_msg=f"{name} at step {t}")
    return W


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("size", [2, 24])  # 2 numbers: the pure-Python path; 24: the array path
def test_bowl_matches_the_lecture(name, size, landscapes):
    start = np.linspace(-2.0, 3.0, size)
    _compare(name, landscapes["bowl"][1], start, CASES[name][3])


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("size", [2, 24])
def test_rosenbrock_matches_the_lecture(name, size, landscapes):
    start = np.resize([-1.5, 2.0], size)
    _compare(name, landscapes["rosenbrock"][1], start, CASES[name][4])


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("extra", [{}, {"clipnorm": 1.0, "weight_decay": 0.1}, {"clipvalue": 0.5}])
def test_both_paths_give_the_same_bits(name, extra, monkeypatch):
    """The pure-Python update of tiny float64 variables is the array update, operation for operation."""
    rng = np.random.default_rng(7)
    make, lr = CASES[name][0], CASES[name][4]
    start = rng.normal(size=6) * 0.3
    grads = [rng.normal(size=6) * 10.0 ** rng.uniform(-3, 2) for _ in range(60)]
    paths = []
    for small in (16, 0):
        monkeypatch.setattr(base, "SMALL", small)
        opt, W = make(lr), start.copy()
        if extra:  # the same optimizer, rebuilt with clipping and weight decay
            opt = type(opt).from_config({**opt.get_config(), **extra})
        for g in grads:
            opt.apply_gradients([(g, W)])
        assert opt._records[0].small is (small > 0)
        paths.append((W, opt.get_state()))
    (W1, s1), (W2, s2) = paths
    assert W1.tobytes() == W2.tobytes()
    for key in s1:
        assert np.asarray(s1[key]).tobytes() == np.asarray(s2[key]).tobytes(), key


def test_chunked_update_equals_one_pass(monkeypatch):
    """Cutting a variable into cache-sized chunks does not change a bit."""
    rng = np.random.default_rng(3)
    W0, grads = rng.normal(size=(300, 7)), [rng.normal(size=(300, 7)) for _ in range(5)]
    results = []
    for chunk_bytes in (base.CHUNK_BYTES, 8 * 64):
        monkeypatch.setattr(base, "CHUNK_BYTES", chunk_bytes)
        opt, W = O.Nadam(0.01, clipnorm=5.0), W0.copy()
        for g in grads:
            opt.apply_gradients([(g, W)])
        results.append(W)
    assert len(opt._records[0].chunks) > 1
    assert results[0].tobytes() == results[1].tobytes()


def test_learning_rate_stays_a_python_float():
    opt = O.Adam(np.float32(0.1))
    assert type(opt.learning_rate) is float and opt.learning_rate == float(np.float32(0.1))
    assert math.isclose(O.SGD(learning_rate=1e-3).learning_rate, 1e-3)
