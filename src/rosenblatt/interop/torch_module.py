"""``to_torch_module``: the PyTorch module that computes what a rosenblatt ``Sequential`` or functional model does.

Its modules are those of :mod:`rosenblatt.interop.torch_plan`, its ``state_dict`` has exactly the names and
arrays of :func:`~rosenblatt.interop.torch_weights.torch_state_dict`, and it is in ``eval()`` mode (Dropout
off, BatchNorm on its running statistics: what ``model.predict`` does).  Pictures go in as PyTorch takes them,
(m, C, H, W) (:func:`~rosenblatt.interop.layouts.nhwc_to_nchw`); rows of features as they are.

Small modules fill the gaps in ``torch.nn``: ``Standardize`` (Keras's ``Normalization``: buffers ``mean`` and
``variance``, (x − μ) / √(σ² + ε) per channel), ``Permute``, ``Reshape``, and for functional models
``Concatenate``, ``Add`` and ``Graph`` (the layers' ``nn.Sequential`` modules called node by node).

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
from rosenblatt.interop.torch_plan import layer_modules, modules
from rosenblatt.interop.torch_weights import torch_state_dict


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError(f"to_torch_module needs PyTorch: {install_hint('bench')}, or pip install torch") from None
    return torch


@functools.cache
def helper_modules():
    """The classes ``Standardize``, ``Permute``, ``Reshape`` (subclasses of ``torch.nn.Module``), made on first use."""
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

    class Concatenate(torch.nn.Module):
        """``torch.cat`` of a list of tensors along ``dim``."""

        def __init__(self, dim):
            super().__init__()
            self.dim = dim

        def forward(self, xs):
            return torch.cat(list(xs), dim=self.dim)

    class Add(torch.nn.Module):
        """The sum of a list of tensors."""

        def forward(self, xs):
            total = xs[0]
            for x in xs[1:]:
                total = total + x
            return total

    class Graph(torch.nn.Module):
        """A functional model: one ``nn.Sequential`` per layer (by the layer's name), called node by node;
        ``nodes`` is [(layer name or None for an input, [indices of its inputs])]."""

        def __init__(self, layers, nodes, inputs, outputs, many_inputs, many_outputs):
            super().__init__()
            for name, module in layers.items():
                self.add_module(name, module)
            self.nodes, self.inputs, self.outputs = nodes, inputs, outputs
            self.many_inputs, self.many_outputs = many_inputs, many_outputs

        def forward(self, *xs):
            given = list(xs[0]) if self.many_inputs and len(xs) == 1 else list(xs)
            values = dict(zip(self.inputs, given))
            for i, (name, inbound) in enumerate(self.nodes):
                if name is not None:
                    args = [values[j] for j in inbound]
                    module = getattr(self, name)
                    merges = isinstance(module[0], (Concatenate, Add))
                    values[i] = module(args) if merges else module(args[0])
            out = [values[i] for i in self.outputs]
            return out if self.many_outputs else out[0]

    return {"Standardize": Standardize, "Permute": Permute, "Reshape": Reshape, "Concatenate": Concatenate,
            "Add": Add, "Graph": Graph}


def to_torch_module(model):
    """The PyTorch module equivalent to the built rosenblatt ``model`` (a ``Sequential``: an ``nn.Sequential``; a
    functional model: a ``Graph`` of one ``nn.Sequential`` per layer), with its weights (copied), in ``eval()``
    mode and of the model's dtype."""
    torch = _torch()
    extra = helper_modules()

    def make(found):
        return torch.nn.Sequential(*[(extra.get(m.kind) or getattr(torch.nn, m.kind))(**m.args) for m in found])

    net = make(modules(model)) if hasattr(model, "add") else _graph(model, make, extra["Graph"])
    dtypes = {w._value.dtype for w in model.weights} or {np.dtype(np.float32)}
    if dtypes == {np.dtype(np.float64)}:
        net = net.double()
    state = {name: torch.from_numpy(array) for name, array in torch_state_dict(model).items()}
    net.load_state_dict(state, strict=True)
    return net.eval()


def _graph(model, make, graph_class):
    layers = {layer.name: make(found) for layer, found in layer_modules(model)}
    order, index, stack = [], {}, [(t, False) for t in reversed(model.outputs)]
    while stack:  # the symbolic tensors, each after its inputs (iterative depth-first)
        t, expanded = stack.pop()
        if id(t) in index:
            continue
        if expanded:
            index[id(t)] = len(order)
            order.append(t)
        else:
            stack.append((t, True))
            stack.extend((i, False) for i in reversed(t.inbound) if id(i) not in index)
    nodes = [(t.layer.name if t.inbound else None, [index[id(i)] for i in t.inbound]) for t in order]
    return graph_class(layers, nodes, [index[id(t)] for t in model.inputs], [index[id(t)] for t in model.outputs],
                       getattr(model, "_many_inputs", len(model.inputs) > 1),
                       getattr(model, "_many_outputs", len(model.outputs) > 1))
