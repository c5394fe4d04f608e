"""Each layer and activation of the library as ONNX operators: two tables, ``CONVERTERS`` and ``ACTIVATIONS``.

A converter ``convert(graph, layer, inputs, shapes)`` receives the names of the layer's input values and their
shapes (``None`` for the batch axis and any unknown size), appends the layer's nodes to the
:class:`~rosenblatt.interop.onnx_graph.Graph` and returns ``(output name, output shape)``.  To export a new
layer, write its converter here and add one entry to ``CONVERTERS``; a new activation function is one entry
in ``ACTIVATIONS``.

Layout: the library is channels last (NHWC), ONNX's ``Conv``, ``MaxPool`` and ``AveragePool`` are channels
first (NCHW).  The exported graph keeps every value NHWC, as the model does, and wraps those operators in a
``Transpose`` to NCHW and one back (none between two of them in a row); so ``Flatten``, ``Reshape``,
``Concatenate`` and ``BatchNormalization`` see the same axes as in the library, and the flattening order of
a picture is the library's (row, column, channel).  Weights change layout where ONNX wants it: a Conv2D
kernel (k_h, k_w, C, F) becomes (F, C, k_h, k_w); a Dense kernel stays (n, k), since Y = X·W + b is
``MatMul`` then ``Add``.  Padding ``"same"`` is written out as TensorFlow pads, ⌊p/2⌋ before and the rest
after (``auto_pad="SAME_UPPER"`` where a picture's size is not known).

Inference only: ``Dropout``, ``RandomFlip`` and ``RandomTranslation`` pass their input through, and
``BatchNormalization`` uses its moving statistics, y = γ ⊙ (z − μ_moving) / √(σ²_moving + ε) + β, computed
in the library's order (Sub, Div, Mul, Add) so that the float32 results agree to the last bits.

>>> sorted(ACTIVATIONS)[:4], "Conv2D" in {cls.__name__ for cls in CONVERTERS}
(['elu', 'gelu', 'leaky_relu', 'linear'], True)
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt import activations as activations_module
from rosenblatt.autodiff.primitives.conv import output_size
from rosenblatt.layers import (Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense,
                               Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer,
                               MaxPooling2D, Normalization, RandomFlip, RandomTranslation, Reshape)


def _gelu(g, x, base):
    """z·Φ(z) = ½·z·(1 + erf(z/√2)) (exact, as the library): ``Gelu`` from opset 20, else composed."""
    if g.opset >= 20:
        return g.node("Gelu", [x], base)
    erf = g.node("Erf", [g.node("Div", [x, g.floats(math.sqrt(2.0), f"{base}/sqrt2")], f"{base}/scaled")],
                 f"{base}/erf")
    half_x = g.node("Mul", [x, g.floats(0.5, f"{base}/half")], f"{base}/half_x")
    return g.node("Mul", [half_x, g.node("Add", [erf, g.floats(1.0, f"{base}/one")], f"{base}/one_plus")], base)


# name -> (write(graph, x, base) -> output, element-wise?); element-wise ones may run on NCHW values
ACTIVATIONS = {
    "linear": (lambda g, x, base: x, True),
    "sigmoid": (lambda g, x, base: g.node("Sigmoid", [x], base), True),
    "tanh": (lambda g, x, base: g.node("Tanh", [x], base), True),
    "relu": (lambda g, x, base: g.node("Relu", [x], base), True),
    "leaky_relu": (lambda g, x, base: g.node("LeakyRelu", [x], base, alpha=0.2), True),  # the library's α
    "elu": (lambda g, x, base: g.node("Elu", [x], base, alpha=1.0), True),
    "softplus": (lambda g, x, base: g.node("Softplus", [x], base), True),
    "swish": (lambda g, x, base: g.node("Mul", [x, g.node("Sigmoid", [x], f"{base}/sigmoid")], base), True),
    "gelu": (_gelu, True),
    "softmax": (lambda g, x, base: g.node("Softmax", [x], base, axis=-1), False),
    "log_softmax": (lambda g, x, base: g.node("LogSoftmax", [x], base, axis=-1), False),
}


def activation_of(layer):
    """The name of ``layer.activation`` in ``ACTIVATIONS``, else a ValueError naming the layer."""
    name = activations_module.serialize(layer.activation)
    if name not in ACTIVATIONS:
        fn = getattr(layer.activation, "__name__", type(layer.activation).__name__)
        raise ValueError(f"ONNX export: {type(layer).__name__} '{layer.name}' has the activation {fn!r}, which has "
                         f"no ONNX conversion; the exporter knows {', '.join(sorted(ACTIVATIONS))} "
                         f"(add one to ACTIVATIONS in rosenblatt/interop/onnx_layers.py)")
    return name


def _activate(g, layer, x, base):
    return ACTIVATIONS[activation_of(layer)][0](g, x, base)


def _value(variable):
    return np.asarray(variable.numpy())


# -- layers with weights ----------------------------------------------------------------------------------
def dense(g, layer, inputs, shapes):
    """Y = g(X·W + b): ``MatMul`` (any number of leading axes), ``Add``, the activation."""
    name = layer.name
    z = g.node("MatMul", [inputs[0], g.weight(layer.kernel, _value(layer.kernel), f"{name}/kernel")],
               f"{name}/matmul")
    if layer.use_bias:
        z = g.node("Add", [z, g.weight(layer.bias, _value(layer.bias), f"{name}/bias")], f"{name}/bias_add")
    return _activate(g, layer, z, f"{name}/{activation_of(layer)}"), layer.compute_output_shape(shapes[0])


def _pads(g, shape, window, strides, dilation, padding):
    """ONNX's pads [top, left, bottom, right] for TensorFlow's padding rule, or ``auto_pad`` if a size is unknown."""
    h, w = shape[1:3]
    if padding == "valid":
        return {"pads": [0, 0, 0, 0]}
    if h is None or w is None:
        return {"auto_pad": "SAME_UPPER"}  # TensorFlow's: the odd pixel of padding after
    (_, top, bottom), (_, left, right) = (output_size(int(n), k, s, d, padding)
                                          for n, k, s, d in zip((h, w), window, strides, dilation))
    return {"pads": [top, left, bottom, right]}


def conv2d(g, layer, inputs, shapes):
    """``Conv`` on NCHW with the kernel as (F, C, k_h, k_w); an element-wise activation before transposing back."""
    name = layer.name
    kernel = g.weight(layer.kernel, _value(layer.kernel).transpose(3, 2, 0, 1), f"{name}/kernel")
    weights = [kernel] + ([g.weight(layer.bias, _value(layer.bias), f"{name}/bias")] if layer.use_bias else [])
    z = g.node("Conv", [g.to_nchw(inputs[0], name)] + weights, f"{name}/conv", kernel_shape=list(layer.kernel_size),
               strides=list(layer.strides), dilations=list(layer.dilation_rate),
               **_pads(g, shapes[0], layer.kernel_size, layer.strides, layer.dilation_rate, layer.padding))
    act = activation_of(layer)
    write, elementwise = ACTIVATIONS[act]
    if elementwise:
        out = g.to_nhwc(write(g, z, f"{name}/{act}"), f"{name}/nhwc")
    else:
        out = write(g, g.to_nhwc(z, f"{name}/nhwc"), f"{name}/{act}")
    return out, layer.compute_output_shape(shapes[0])


def batch_normalization(g, layer, inputs, shapes):
    """Inference: (z − μ_moving) / √(σ²_moving + ε), then ⊙ γ and + β, each along the layer's axis."""
    name, ndim = layer.name, len(shapes[0])
    along = [1] * ndim
    along[layer.axis % ndim] = -1
    mean = _value(layer.moving_mean).reshape(along)
    scale = np.sqrt(_value(layer.moving_variance) + layer.epsilon).astype(layer.moving_variance.dtype).reshape(along)
    y = g.node("Sub", [inputs[0], g.weight(layer.moving_mean, mean, f"{name}/moving_mean")], f"{name}/centred")
    y = g.node("Div", [y, g.weight(layer, scale, f"{name}/scale", tag="scale")], f"{name}/normalised")
    if layer.gamma is not None:
        y = g.node("Mul", [y, g.weight(layer.gamma, _value(layer.gamma).reshape(along), f"{name}/gamma")],
                   f"{name}/scaled")
    if layer.beta is not None:
        y = g.node("Add", [y, g.weight(layer.beta, _value(layer.beta).reshape(along), f"{name}/beta")],
                   f"{name}/shifted")
    return y, shapes[0]


def normalization(g, layer, inputs, shapes):
    """x̂ = (x − μ) / √(σ² + ε), μ and σ² along the last axis (as the library broadcasts them)."""
    name = layer.name
    scale = np.sqrt(_value(layer.variance) + layer.epsilon).astype(layer.variance.dtype)
    y = g.node("Sub", [inputs[0], g.weight(layer.mean, _value(layer.mean), f"{name}/mean")], f"{name}/centred")
    return g.node("Div", [y, g.weight(layer, scale, f"{name}/scale", tag="scale")], f"{name}/normalised"), shapes[0]


# -- pooling ------------------------------------------------------------------------------------------------
def pooling2d(g, layer, inputs, shapes):
    """``MaxPool`` / ``AveragePool`` on NCHW; an average leaves the padding out (``count_include_pad=0``)."""
    op = "MaxPool" if isinstance(layer, MaxPooling2D) else "AveragePool"
    name = layer.name
    pooled = g.node(op, [g.to_nchw(inputs[0], name)], f"{name}/pool", kernel_shape=list(layer.pool_size),
                    strides=list(layer.strides),
                    **_pads(g, shapes[0], layer.pool_size, layer.strides, (1, 1), layer.padding))
    return g.to_nhwc(pooled, f"{name}/nhwc"), layer.compute_output_shape(shapes[0])


def global_pooling2d(g, layer, inputs, shapes):
    """The mean or max over H and W, axes 1 and 2 of the NHWC value (no Transpose needed)."""
    op = "ReduceMean" if isinstance(layer, GlobalAveragePooling2D) else "ReduceMax"
    return (g.reduce(op, inputs[0], (1, 2), f"{layer.name}/{op.lower()}", layer.keepdims),
            layer.compute_output_shape(shapes[0]))


# -- shapes, merges, inference-time identities -------------------------------------------------------------
def flatten(g, layer, inputs, shapes):
    """(m, d₁, d₂, …) → (m, d₁·d₂·…) in C order, the library's order for NHWC pictures."""
    return g.node("Flatten", [inputs[0]], f"{layer.name}/flatten", axis=1), layer.compute_output_shape(shapes[0])


def reshape(g, layer, inputs, shapes):
    """``Reshape`` to (batch, *target_shape); the 0 copies the batch size."""
    target = g.constant(np.asarray((0,) + layer.target_shape, np.int64), f"{layer.name}/shape")
    return g.node("Reshape", [inputs[0], target], f"{layer.name}/reshape"), layer.compute_output_shape(shapes[0])


def activation(g, layer, inputs, shapes):
    return _activate(g, layer, inputs[0], f"{layer.name}/{activation_of(layer)}"), shapes[0]


def identity(g, layer, inputs, shapes):
    """Dropout and the augmentation layers at inference, and an InputLayer: the input itself (no node)."""
    return inputs[0], shapes[0]


def concatenate(g, layer, inputs, shapes):
    axis = layer.axis % len(shapes[0])
    sizes = [s[axis] for s in shapes]
    shape = shapes[0][:axis] + (None if None in sizes else sum(sizes),) + shapes[0][axis + 1:]
    return g.node("Concat", list(inputs), f"{layer.name}/concat", axis=layer.axis), shape


def add(g, layer, inputs, shapes):
    """x₁ + x₂ + …, added left to right as the library does."""
    total = inputs[0]
    for i, x in enumerate(inputs[1:], 1):
        total = g.node("Add", [total, x], f"{layer.name}/add" if i == len(inputs) - 1 else f"{layer.name}/partial")
    return total, shapes[0]


CONVERTERS = {
    Activation: activation, Add: add, AveragePooling2D: pooling2d, BatchNormalization: batch_normalization,
    Concatenate: concatenate, Conv2D: conv2d, Dense: dense, Dropout: identity, Flatten: flatten,
    GlobalAveragePooling2D: global_pooling2d, GlobalMaxPooling2D: global_pooling2d, InputLayer: identity,
    MaxPooling2D: pooling2d, Normalization: normalization, RandomFlip: identity, RandomTranslation: identity,
    Reshape: reshape,
}
"""Layer class → converter.  A subclass of one of these is exported with it unless it overrides ``call``."""

from rosenblatt.interop.onnx_trainable import CONVERTERS as _TRAINABLE  # noqa: E402 - the trainable activations

CONVERTERS.update(_TRAINABLE)
