"""Which PyTorch modules a model becomes, in order: the plan behind the state_dict's names.

Each rosenblatt layer becomes one or more modules.  A ``Sequential`` is one ``nn.Sequential`` of them all; only
modules with weights put names in the state_dict (``"0.weight"``, ``"0.bias"``, …), so the indices count the
modules without weights too.  A functional model gets one ``nn.Sequential`` per layer, named by the layer
(``"dense.0.weight"``), and its merges are ``Concatenate`` and ``Add`` modules.

| rosenblatt layer                   | PyTorch modules                                                        |
|------------------------------------|------------------------------------------------------------------------|
| ``Dense(k, activation=g)``         | ``Linear(n, k)``, then g's module (``ReLU``, ``Sigmoid``, …; none for linear) |
| ``Conv2D(F, k, activation=g)``     | [``ZeroPad2d`` if "same" is uneven] ``Conv2d(C, F, k)``, then g's module |
| ``BatchNormalization``             | ``BatchNorm1d`` (rows) or ``BatchNorm2d`` (pictures): eps = ε, momentum = 1 − Keras's momentum |
| ``Normalization`` (μ, σ²)          | ``Standardize``: rosenblatt's small module, buffers ``mean``, ``variance`` (PyTorch has none) |
| ``MaxPooling2D`` / ``AveragePooling2D`` | [a pad if "same" needs one] ``MaxPool2d`` / ``AvgPool2d``         |
| ``GlobalAveragePooling2D`` / ``GlobalMaxPooling2D`` | ``AdaptiveAvgPool2d(1)`` / ``AdaptiveMaxPool2d(1)``, ``Flatten`` |
| ``Flatten`` of pictures            | ``Flatten`` (the next ``Dense`` takes (c, h, w) columns); else ``Permute``, ``Flatten`` |
| ``Reshape`` to (H, W, C)           | ``Unflatten``, ``Permute`` to (C, H, W)                                  |
| ``Activation(g)``, ``Dropout(p)``  | g's module, ``Dropout(p)``                                             |
| ``RandomFlip``, ``RandomTranslation`` | ``Identity`` (they act in training only)                            |

>>> import rosenblatt as rb
>>> model = rb.Sequential([rb.layers.Input((8, 8, 3)), rb.layers.Conv2D(4, 3, activation="relu"),
...                        rb.layers.Flatten(), rb.layers.Dense(1, activation="sigmoid")])
>>> [m.kind for m in modules(model)]
['Conv2d', 'ReLU', 'Flatten', 'Linear', 'Sigmoid']
>>> list(state_names(model))
['0.weight', '0.bias', '3.weight', '3.bias']
"""

from __future__ import annotations

from typing import NamedTuple

from rosenblatt import activations
from rosenblatt.interop.layouts import same_padding
from rosenblatt.layers import (Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense,
                               Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, MaxPooling2D,
                               Normalization, RandomFlip, RandomTranslation, Reshape)

ACTIVATION_MODULES = {"relu": ("ReLU", {}), "sigmoid": ("Sigmoid", {}), "tanh": ("Tanh", {}),
                      "leaky_relu": ("LeakyReLU", {"negative_slope": 0.2}), "elu": ("ELU", {"alpha": 1.0}),
                      "softplus": ("Softplus", {}), "swish": ("SiLU", {}), "silu": ("SiLU", {}),
                      "gelu": ("GELU", {}), "softmax": ("Softmax", {}), "log_softmax": ("LogSoftmax", {})}
"""Each activation's PyTorch module (softmax's ``dim`` is the channel axis: 1)."""

PARAMETERS = {"Linear": ("weight", "bias"), "Conv2d": ("weight", "bias"),
              "BatchNorm1d": ("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
              "Standardize": ("mean", "variance")}
PARAMETERS["BatchNorm2d"] = PARAMETERS["BatchNorm1d"]
_ELEMENTWISE = (Activation, Dropout, RandomFlip, RandomTranslation)


class Module(NamedTuple):
    """One PyTorch module: its class name, its constructor's arguments, and the rosenblatt layer whose weights
    it holds (None for one without weights); ``flattened`` is the (H, W, C) a ``Linear`` after a picture's
    ``Flatten`` reorders."""

    kind: str
    args: dict
    layer: object = None
    flattened: tuple | None = None


def state_names(model):
    """The state_dict's names, in order, each with its (module, parameter name): ``"0.weight"`` for a
    ``Sequential`` (an ``nn.Sequential``), ``"dense.0.weight"`` for a functional model (one ``nn.Sequential``
    per layer, by the layer's name)."""
    names = {}
    groups = [("", modules(model))] if _sequential(model) else [(f"{layer.name}.", found)
                                                                for layer, found in layer_modules(model)]
    for prefix, found in groups:
        for i, module in enumerate(found):
            for parameter in _parameters(module):
                names[f"{prefix}{i}.{parameter}"] = (module, parameter)
    return names


def _sequential(model) -> bool:
    _check_built(model)
    if hasattr(model, "add"):
        return True
    if hasattr(model, "outputs") and hasattr(model, "inputs"):
        return False
    raise ValueError(f"model '{model.name}' ({type(model).__name__}) is neither a Sequential nor a functional "
                     "model: its call() has no PyTorch counterpart to name; the PyTorch weights cover those two")


def _check_built(model):
    if not getattr(model, "built", False):
        raise ValueError(f"model '{model.name}' has no weights yet: build it (or call it on data) first")


def _parameters(module):
    if module.kind not in PARAMETERS:
        return ()
    layer = module.layer
    if module.kind in ("Linear", "Conv2d"):
        return ("weight", "bias") if layer.use_bias else ("weight",)
    if module.kind.startswith("BatchNorm"):
        affine = ("weight", "bias") if module.args["affine"] else ()
        return affine + ("running_mean", "running_var", "num_batches_tracked")
    return PARAMETERS[module.kind]


def modules(model) -> list[Module]:
    """The modules of the ``nn.Sequential`` equivalent to ``model`` (a built ``Sequential``; see the module)."""
    if not _sequential(model):
        raise ValueError(f"model '{model.name}' is functional: see layer_modules")
    layers = [layer for layer in model.layers if not isinstance(layer, InputLayer)]
    plan, flattened = [], None  # every picture (m, H, W, C) is (m, C, H, W) on the PyTorch side
    for i, layer in enumerate(layers):
        step, flattened = _layer(layer, tuple(getattr(layer, "_build_shape", None) or ()), flattened,
                                 layers[i + 1:])
        plan += step
    return plan


def layer_modules(model) -> list:
    """[(layer, its modules)] for a functional model's layers (Input layers left out).  A merge is one module,
    ``Concatenate`` (PyTorch's ``dim``) or ``Add``; a ``Flatten`` of pictures keeps rosenblatt's (h, w, c) order
    (``Permute``, ``Flatten``): in a graph, the layer after it is not always one Dense."""
    _check_built(model)
    out = []
    for layer in model.layers:
        if isinstance(layer, InputLayer):
            continue
        if "." in layer.name:
            raise ValueError(f"{type(layer).__name__} '{layer.name}': a PyTorch module's name cannot hold a '.'")
        if type(layer) in (Concatenate, Add):
            shape = tuple(layer._build_shape[0])
            axis = getattr(layer, "axis", -1) % len(shape)
            dim = (0, 2, 3, 1)[axis] if len(shape) == 4 else axis  # the channel axis is 1 in PyTorch
            out.append((layer, [Module("Concatenate", {"dim": dim}) if type(layer) is Concatenate
                                else Module("Add", {})]))
        else:
            out.append((layer, _layer(layer, tuple(getattr(layer, "_build_shape", None) or ()), None, ())[0]))
    return out


def _layer(layer, shape, flattened, rest):
    """(its modules, the (H, W, C) a following Dense must reorder)."""
    name = f"{type(layer).__name__} '{layer.name}'"
    if type(layer) is Dense:
        if len(shape) != 2:
            raise ValueError(f"{name}: PyTorch's Linear here would need inputs of shape (m, n), got {shape}")
        return [Module("Linear", {"in_features": shape[1], "out_features": layer.units, "bias": layer.use_bias},
                       layer, flattened)] + _activation(layer, name), None
    if type(layer) is Conv2D:
        pads = [same_padding(n, k, s, d) if layer.padding == "same" else (0, 0)
                for n, k, s, d in zip(shape[1:3], layer.kernel_size, layer.strides, layer.dilation_rate)]
        even = all(a == b for a, b in pads)
        conv = Module("Conv2d", {"in_channels": shape[3], "out_channels": layer.filters,
                                 "kernel_size": layer.kernel_size, "stride": layer.strides,
                                 "dilation": layer.dilation_rate, "bias": layer.use_bias,
                                 "padding": tuple(a for a, _ in pads) if even else (0, 0)}, layer)
        pad = [] if even else [Module("ZeroPad2d", {"padding": (*pads[1], *pads[0])})]
        return pad + [conv] + _activation(layer, name), None
    if isinstance(layer, (MaxPooling2D, AveragePooling2D)):
        return _pooling(layer, shape, name), None
    if isinstance(layer, (GlobalAveragePooling2D, GlobalMaxPooling2D)):
        kind = "AdaptiveAvgPool2d" if isinstance(layer, GlobalAveragePooling2D) else "AdaptiveMaxPool2d"
        return [Module(kind, {"output_size": 1})] + ([] if layer.keepdims else [Module("Flatten", {})]), None
    if type(layer) is BatchNormalization:
        if layer.axis % len(shape) != len(shape) - 1 or len(shape) not in (2, 4):
            raise ValueError(f"{name}: PyTorch's BatchNorm normalises channels: rows (m, k) or pictures "
                             f"(m, H, W, C) with axis=-1; got axis {layer.axis} on inputs of shape {shape}")
        if layer.scale != layer.center:
            raise ValueError(f"{name}: PyTorch's BatchNorm has both γ and β (affine=True) or neither; this layer "
                             f"has scale={layer.scale}, center={layer.center}")
        kind = "BatchNorm2d" if len(shape) == 4 else "BatchNorm1d"
        momentum = round(1.0 - layer.momentum, 12)  # PyTorch's is the weight of the new batch
        return [Module(kind, {"num_features": shape[-1], "eps": layer.epsilon, "momentum": momentum,
                              "affine": layer.scale}, layer)], flattened
    if type(layer) is Normalization:
        if layer.axis % len(shape) != len(shape) - 1:
            raise ValueError(f"{name}: only axis=-1 (one μ, σ² per feature or channel) converts, got {layer.axis}")
        return [Module("Standardize", {"num_features": shape[-1], "epsilon": layer.epsilon}, layer)], flattened
    if type(layer) is Flatten:
        if len(shape) == 4 and _dense_next(rest):
            return [Module("Flatten", {})], tuple(shape[1:])
        back = [Module("Permute", {"dims": (0, 2, 3, 1)})] if len(shape) == 4 else []
        return back + [Module("Flatten", {})], None
    if type(layer) is Reshape:
        back = [Module("Permute", {"dims": (0, 2, 3, 1)})] if len(shape) == 4 else []
        target = tuple(layer.compute_output_shape(shape)[1:])
        step = [Module("Unflatten", {"dim": 1, "unflattened_size": target})] if len(shape) == 2 else \
            [Module("Reshape", {"shape": target})]
        return back + step + ([Module("Permute", {"dims": (0, 3, 1, 2)})] if len(target) == 3 else []), None
    if type(layer) is Activation:
        found = _activation(layer, name)
        return found or [Module("Identity", {})], flattened
    if type(layer) is Dropout:
        return [Module("Dropout", {"p": layer.rate})], flattened
    if type(layer) in (RandomFlip, RandomTranslation):
        return [Module("Identity", {})], flattened
    if hasattr(layer, "layers"):
        raise ValueError(f"{name}: a model inside the model does not convert to PyTorch yet; build its layers into "
                         "the outer model instead")
    raise ValueError(f"{name}: no PyTorch counterpart is known for this layer class")


def _dense_next(rest) -> bool:
    """Whether the next layer with weights after a Flatten is a Dense (element-wise layers between)."""
    for layer in rest:
        if not isinstance(layer, _ELEMENTWISE):
            return type(layer) is Dense
    return False


def _activation(layer, name):
    key = activations.serialize(layer.activation)
    if key in (None, "linear"):
        if key is None:
            raise ValueError(f"{name}: its activation is a function of your own; PyTorch's module cannot be named")
        return []
    if key not in ACTIVATION_MODULES:
        raise ValueError(f"{name}: no PyTorch module is known for activation {key!r}")
    kind, args = ACTIVATION_MODULES[key]
    return [Module(kind, {**args, "dim": 1} if kind in ("Softmax", "LogSoftmax") else dict(args))]


def _pooling(layer, shape, name):
    kind = "MaxPool2d" if isinstance(layer, MaxPooling2D) else "AvgPool2d"
    pads = [same_padding(n, p, s) if layer.padding == "same" else (0, 0)
            for n, p, s in zip(shape[1:3], layer.pool_size, layer.strides)]
    args = {"kernel_size": layer.pool_size, "stride": layer.strides}
    if not any(a or b for a, b in pads):
        return [Module(kind, args)]
    if kind == "MaxPool2d":  # padding never wins a max: pad with −∞
        return [Module("ConstantPad2d", {"padding": (*pads[1], *pads[0]), "value": float("-inf")}), Module(kind, args)]
    if all(a == b and 2 * a <= p for (a, b), p in zip(pads, layer.pool_size)):
        return [Module(kind, {**args, "padding": tuple(a for a, _ in pads), "count_include_pad": False})]
    raise ValueError(f"{name}: padding='same' pads {pads} here, unevenly; PyTorch's AvgPool2d pads evenly and a "
                     "zero pad would be averaged in")
