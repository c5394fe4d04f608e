"""PyTorch on the CPU, its ordinary training loop: ``zero_grad``, forward, loss, ``backward``, ``step``.

Two optimizers: ``torch.optim.Adam`` as constructed by default (on the CPU, the for-loop over
parameters) and ``Adam(fused=True)`` (one fused kernel for all parameters).  The data is shared with
NumPy (``torch.from_numpy``, no copy); mini-batches are gathered with a random permutation per epoch,
and the whole tensor is used when b ≥ m, as the NumPy and rosenblatt loops do.
"""

from __future__ import annotations

from benchmarks.harness import MiniBatches, RosenbrockRunner
from benchmarks.numpy_runs import rosenbrock_gradient_floats


def available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def _optimizer(torch, w, params, fused):
    cls = torch.optim.SGD if w.optimizer == "sgd" else torch.optim.Adam
    return cls(params, lr=w.learning_rate, fused=True) if fused else cls(params, lr=w.learning_rate)


class MLP(MiniBatches):
    def __init__(self, w, data, fused, seed=0):
        import torch

        self.torch = torch
        torch.manual_seed(seed)
        dtype = torch.float64 if w.dtype == "float64" else torch.float32
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(w.sizes[:-1], w.sizes[1:])):
            layers.append(torch.nn.Linear(fan_in, fan_out, dtype=dtype))
            if i < len(w.sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.net = torch.nn.Sequential(*layers)
        self.loss = torch.nn.BCEWithLogitsLoss() if w.loss == "bce" else torch.nn.CrossEntropyLoss()
        self.opt = _optimizer(torch, w, self.net.parameters(), fused)
        self.x, self.y = torch.from_numpy(data.x), torch.from_numpy(data.y)
        self.w = w
        self.generator = torch.Generator().manual_seed(seed + 1)

    def step(self, x, y):
        self.opt.zero_grad()
        loss = self.loss(self.net(x), y)
        loss.backward()
        self.opt.step()
        return loss.item()

    def permutation(self, n):
        return self.torch.randperm(n, generator=self.generator)


class Rosenbrock(RosenbrockRunner):
    """The same analytic gradient, written into ``p.grad``, then ``optimizer.step()``."""

    def __init__(self, w, fused):
        import torch

        self.torch, self.w, self.fused = torch, w, fused

    def steps(self, n, step=True):
        torch = self.torch
        p = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
        opt = _optimizer(torch, self.w, [p], self.fused)
        with torch.no_grad():
            for _ in range(n):
                x, y = p.tolist()
                p.grad = torch.tensor(rosenbrock_gradient_floats(x, y), dtype=torch.float64)
                if step:
                    opt.step()
        return p

    def gradients(self, n):
        self.steps(n, step=False)


def make(w, data, fused=False):
    if w.kind == "rosenbrock":
        return Rosenbrock(w, fused)
    return MLP(w, data, fused)


RUNNERS = {"torch": make, "torch fused": lambda w, data: make(w, data, fused=True)}

