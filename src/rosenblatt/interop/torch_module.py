"""``to_torch_module``: the PyTorch ``nn.Sequential`` that computes what a rosenblatt ``Sequential`` computes.

Its modules are those of :mod:`rosenblatt.interop.torch_plan`, its ``state_dict`` has exactly the names and
arrays of :func:`~rosenblatt.interop.torch_weights.torch_state_dict`, and it is in ``eval()`` mode (Dropout
off, BatchNorm on its running statistics: what ``model.predict`` does).  Pictures go in as PyTorch takes them,
(m, C, H, W) (:func:`~rosenblatt.interop.layouts.nhwc_to_nchw`); rows of features as they are.

Three small modules fill the gaps in ``torch.nn``: ``Standardize`` (Keras's ``Normalization``: buffers
``mean`` and ``variance``, (x − μ) / √(σ² + ε) per channel), ``Permute`` and ``Reshape``.

>>> import rosenblatt as rb, numpy as np, torch
>>> model = rb.Sequential([rb.layers.Input((3,)), rb.layers.Dense(2, activation="tanh")], seed=0)
>>> net = to_torch_module(model)
>>> net
Sequential(
  (0): Linear(in_features=3, out_features=2, bias=True)
  (1): Tanh()
)
>>> x = np.ones((4, 3), np.float32)
>>> bool(np.allclose(net(torch.from_numpy(x)).detach().numpy(), model.predict(x), atol=1e-6))
True
"""

from __future__ import annotations

import functools

import numpy as np

from rosenblatt.extras import install_hint
from rosenblatt.interop.torch_plan import modules
from rosenblatt.interop.torch_weights import torch_state_dict


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError(f"to_torch_module needs PyTorch: {install_hint('bench')}, or pip install torch") from None
    return torch


@functools.cache
def helper_modules():
    """The classes ``Standardize``, ``Permute``, ``Reshape`` (``torch.nn.Module``\\ s), made on first use."""
    torch = _torch()

    class Standardize(torch.nn.Module):
        """Keras's ``Normalization``: (x − μ) / √(σ² + ε), μ and σ² per feature (axis 1), as buffers."""

        def __init__(self, num_features, epsilon=1e-7):
            super().__init__()
            self.epsilon = epsilon
            self.register_buffer("mean", torch.zeros(num_features))
            self.register_buffer("variance", torch.ones(num_features))

        def forward(self, x):
            shape = (1, -1) + (1,) * (x.dim() - 2)
            return (x - self.mean.reshape(shape)) / torch.sqrt(self.variance + self.epsilon).reshape(shape)

        def extra_repr(self):
            return f"{self.mean.shape[0]}, epsilon={self.epsilon}"

    class Permute(torch.nn.Module):
        """``x.permute(*dims)``: (0, 3, 1, 2) makes NHWC pictures NCHW, (0, 2, 3, 1) the reverse."""

        def __init__(self, dims):
            super().__init__()
            self.dims = tuple(dims)

        def forward(self, x):
            return x.permute(*self.dims)

        def extra_repr(self):
            return f"dims={self.dims}"

    class Reshape(torch.nn.Module):
        """Each sample to ``shape`` (the batch axis kept)."""

        def __init__(self, shape):
            super().__init__()
            self.shape = tuple(shape)

        def forward(self, x):
            return x.reshape((x.shape[0],) + self.shape)

        def extra_repr(self):
            return f"shape={self.shape}"

    return {"Standardize": Standardize, "Permute": Permute, "Reshape": Reshape}


def to_torch_module(model):
    """The ``torch.nn.Sequential`` equivalent to the built rosenblatt ``Sequential`` ``model``, with its weights
    (copied), in ``eval()`` mode and of the model's dtype."""
    torch = _torch()
    extra = helper_modules()
    net = torch.nn.Sequential(*[(extra.get(m.kind) or getattr(torch.nn, m.kind))(**m.args) for m in modules(model)])
    dtypes = {w._value.dtype for w in model.weights} or {np.dtype(np.float32)}
    if dtypes == {np.dtype(np.float64)}:
        net = net.double()
    state = {name: torch.from_numpy(array.copy()) for name, array in torch_state_dict(model).items()}
    net.load_state_dict(state, strict=True)
    return net.eval()
