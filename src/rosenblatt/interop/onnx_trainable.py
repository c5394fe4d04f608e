"""The trainable activations in ONNX (see ``rosenblatt.layers.trainable_activations``).

* ``PReLU``: f = z if z > 0 else α·z is ONNX's ``PRelu(z, α)``; α, of shape input_shape[1:] (1 on the shared
  axes), broadcasts as it is against the (batch, ...) input.
* ``Swish``: f = z·σ(βz) is ``Mul(z, Sigmoid(Mul(β, z)))``, β one number.
* ``AdaptivePiecewiseLinear``: f = max(0, z) + Σₛ aₛ·max(0, bₛ − z) is
  ``Add(Relu(z), ReduceSum(Mul(a', Relu(Sub(b', z))), axes=[0]))`` with a, b of shape (S, ...) seen as
  (S, 1, ...), the hinge axis first as the layer computes it.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.layers import AdaptivePiecewiseLinear, PReLU, Swish


def _value(variable):
    return np.asarray(variable.numpy())


def prelu(g, layer, inputs, shapes):
    alpha = g.weight(layer.alpha, _value(layer.alpha), f"{layer.name}/alpha")
    return g.node("PRelu", [inputs[0], alpha], f"{layer.name}/prelu"), shapes[0]


def swish(g, layer, inputs, shapes):
    beta = g.weight(layer.beta, _value(layer.beta), f"{layer.name}/beta")
    scaled = g.node("Mul", [beta, inputs[0]], f"{layer.name}/beta_z")
    gate = g.node("Sigmoid", [scaled], f"{layer.name}/sigmoid")
    return g.node("Mul", [inputs[0], gate], f"{layer.name}/swish"), shapes[0]


def adaptive_piecewise_linear(g, layer, inputs, shapes):
    name, z = layer.name, inputs[0]
    per_sample = tuple(layer._per_sample)
    a = g.weight(layer.a, _value(layer.a).reshape(per_sample), f"{name}/a")
    b = g.weight(layer.b, _value(layer.b).reshape(per_sample), f"{name}/b")
    hinges = g.node("Relu", [g.node("Sub", [b, z], f"{name}/b_minus_z")], f"{name}/hinges")
    weighted = g.node("Mul", [a, hinges], f"{name}/a_hinges")
    axes = g.constant(np.asarray([0], np.int64), f"{name}/hinge_axis")
    total = g.node("ReduceSum", [weighted, axes], f"{name}/sum", keepdims=0)
    return g.node("Add", [g.node("Relu", [z], f"{name}/relu"), total], f"{name}/apl"), shapes[0]


CONVERTERS = {PReLU: prelu, Swish: swish, AdaptivePiecewiseLinear: adaptive_piecewise_linear}
