"""Against torch.optim (CPU, float64): 200 steps on Rosenbrock from (−1.5, 2), to 1e-9 relative.

Each case maps this library's hyper-parameters onto PyTorch's as the optimizer's docstring says.
"""

import numpy as np
import pytest

from rosenblatt import optimizers as O

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def float64_torch():
    """PyTorch keeps some per-step scalars (NAdam's μ product) in the default dtype: make it float64."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(previous)


CASES = {
    "sgd": (lambda: O.SGD(1e-4), lambda p: torch.optim.SGD(p, lr=1e-4)),
    "sgd-momentum": (lambda: O.SGD(1e-4, momentum=0.9), lambda p: torch.optim.SGD(p, lr=1e-4, momentum=0.9)),
    "sgd-nesterov": (lambda: O.SGD(1e-4, momentum=0.9, nesterov=True),
                     lambda p: torch.optim.SGD(p, lr=1e-4, momentum=0.9, nesterov=True)),
    "momentum": (lambda: O.Momentum(1e-3, beta=0.9), lambda p: torch.optim.SGD(p, lr=1e-3 * (1 - 0.9), momentum=0.9)),
    "rmsprop": (lambda: O.RMSprop(1e-2, rho=0.9, epsilon=1e-8),
                lambda p: torch.optim.RMSprop(p, lr=1e-2, alpha=0.9, eps=1e-8)),
    "adam": (lambda: O.Adam(1e-2), lambda p: torch.optim.Adam(p, lr=1e-2, betas=(0.9, 0.999), eps=1e-8)),
    "adam-amsgrad": (lambda: O.Adam(1e-2, amsgrad=True), lambda p: torch.optim.Adam(p, lr=1e-2, amsgrad=True)),
    "adamw": (lambda: O.AdamW(1e-2, weight_decay=0.01), lambda p: torch.optim.AdamW(p, lr=1e-2, weight_decay=0.01)),
    "nadam": (lambda: O.Nadam(1e-2), lambda p: torch.optim.NAdam(p, lr=1e-2, eps=1e-8, momentum_decay=0.004)),
    "adagrad": (lambda: O.Adagrad(1e-1, initial_accumulator_value=0.0, epsilon=1e-10),
                lambda p: torch.optim.Adagrad(p, lr=1e-1, initial_accumulator_value=0.0, eps=1e-10)),
    "adadelta": (lambda: O.Adadelta(1.0, rho=0.95, epsilon=1e-6),
                 lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.95, eps=1e-6)),
}


def _paths(make_ours, make_theirs, gradient, start, steps):
    W, ours = np.array(start, dtype=np.float64), make_ours()
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    theirs = make_theirs([p])
    a, b = [], []
    for _ in range(steps):
        ours.apply_gradients([(gradient(W), W)])
        p.grad = torch.from_numpy(gradient(p.detach().numpy().copy()))
        theirs.step()
        a.append(W.copy())
        b.append(p.detach().numpy().copy())
    return np.array(a), np.array(b)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("size", [2, 24])  # the pure-Python path and the array path
def test_rosenbrock_against_torch(name, size, landscapes):
    start = np.resize([-1.5, 2.0], size)
    a, b = _paths(*CASES[name], landscapes["rosenbrock"][1], start, 200)
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=0)
    assert not np.allclose(a[-1], start), "the optimizer should have moved"


def test_float32_against_torch(landscapes):
    """float32 variables stay float32 and agree with PyTorch's float32 Adam to float32 precision."""
    W = np.array([-1.5, 2.0] * 20, dtype=np.float32)
    p = torch.tensor(W.copy(), requires_grad=True)
    ours, theirs = O.Adam(1e-2), torch.optim.Adam([p], lr=1e-2)
    grad = landscapes["rosenbrock"][1]
    for _ in range(50):
        g = grad(W.astype(np.float64)).astype(np.float32)
        ours.apply_gradients([(g, W)])
        p.grad = torch.from_numpy(g)
        theirs.step()
    assert W.dtype == np.float32 and ours.get_slot(W, "v").dtype == np.float32
    np.testing.assert_allclose(W, p.detach().numpy(), rtol=1e-5)
