"""``export_onnx(model, path, opset=17)``: a model as an ONNX file, to run in ONNX Runtime and elsewhere.

What is exported: a ``Sequential``, a functional ``Model(inputs, outputs)`` (branches, ``Concatenate``,
``Add``, several inputs and outputs), an ``Ensemble`` (ŷ = (1/K) Σₖ fₖ(x)) and a ``TestTimeAugmentation``
(ŷ = (1/|V|) Σ_v f(v(x)), each view two ``Gather`` of rows and columns), and models nested in them, of the
layers in :data:`~rosenblatt.interop.onnx_layers.CONVERTERS`.  A model is read through its attributes
(``layers``, ``inputs`` / ``outputs``, ``members``, ``model``), never by importing ``rosenblatt.models``.
What is not: a subclassed ``Model`` (its ``call`` is Python code, not a graph), a layer the table does not
know, a custom activation function; each is a ValueError that names the layer and its class.

The ONNX graph computes ``model.predict`` (inference: no dropout, no augmentation, moving statistics):

* one input per ``Input`` (its name; ``input`` for a ``Sequential`` built without one), one output per
  model output, named after the layer that makes it (after the model for an ensemble or test-time
  augmentation); the batch axis is dynamic (``batch``);
* channels last (NHWC) in and out, as the library; ``Conv`` and pooling run NCHW inside a ``Transpose``
  pair (see :mod:`rosenblatt.interop.onnx_layers`);
* the weights as initializers in the layers' float type, the model's summary as ``doc_string``,
  ``rosenblatt`` and its version as producer.

>>> import numpy as np, onnxruntime
>>> import rosenblatt as rb
>>> model = rb.Sequential([rb.layers.Input((3,)), rb.layers.Dense(2, activation="tanh")], seed=0)
>>> proto = to_onnx(model)
>>> [i.name for i in proto.graph.input], [o.name for o in proto.graph.output], proto.producer_name
(['input_layer'], ['dense'], 'rosenblatt')
>>> session = onnxruntime.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
>>> x = np.ones((4, 3), np.float32)
>>> bool(np.allclose(session.run(None, {"input_layer": x})[0], model.predict(x), atol=1e-6))
True
"""

from __future__ import annotations

import numpy as np

from rosenblatt import __version__
from rosenblatt.interop.onnx_graph import Graph, onnx
from rosenblatt.interop.onnx_layers import CONVERTERS
from rosenblatt.io.atomic import writing
from rosenblatt.layers.core import InputLayer
from rosenblatt.layers.symbolic import topological

DEFAULT_OPSET = 17
"""A common choice that ONNX Runtime releases of several years run; ``opset=`` picks another, from
:data:`MIN_OPSET` up to the installed ``onnx`` package's newest."""
MIN_OPSET = 13
"""The first opset whose ``Softmax`` works on one axis, as the library's does."""


def to_onnx(model, opset: int = DEFAULT_OPSET):
    """``model`` as an ``onnx.ModelProto`` (see the module), checked with ``onnx.checker`` (full check).

    Args:
        model: a built ``Sequential``, functional model, ``Ensemble`` or ``TestTimeAugmentation``.
        opset: the ONNX operator set version (default 17).
    """
    package = onnx()
    helper = package.helper
    top = package.defs.onnx_opset_version()
    if isinstance(opset, bool) or not isinstance(opset, (int, np.integer)) or not MIN_OPSET <= opset <= top:
        raise ValueError(f"ONNX export: opset must be an int from {MIN_OPSET} to {top} (the installed onnx's "
                         f"newest), got {opset!r}")
    dtype = _one_dtype(model)
    g = Graph(int(opset), dtype)
    inputs = _graph_inputs(model)
    for name, _ in inputs:
        g.take(name)
    output_names = [g.name(name) for name in _output_names(model)]  # two outputs of one layer: p, p_1
    names, shapes = _convert(g, model, [n for n, _ in inputs], [s for _, s in inputs], multi=True)
    for name, value in zip(output_names, names):
        g.nodes.append(helper.make_node("Identity", [value], [name], name=name))
    g.prune(output_names)
    elem = helper.np_dtype_to_tensor_dtype(dtype)
    graph = helper.make_graph(
        g.nodes, model.name,
        [helper.make_tensor_value_info(n, elem, ("batch",) + tuple(s[1:])) for n, s in inputs],
        [helper.make_tensor_value_info(n, elem, ("batch",) + tuple(s[1:])) for n, s in zip(output_names, shapes)],
        initializer=g.initializers)
    opsets = [helper.make_opsetid("", int(opset))]
    proto = helper.make_model(graph, opset_imports=opsets, producer_name="rosenblatt", producer_version=__version__,
                              doc_string=_doc_string(model))
    proto.ir_version = helper.find_min_ir_version_for(opsets)
    helper.set_model_props(proto, {"layout": "channels_last (NHWC) inputs and outputs", "source": type(model).__name__})
    package.checker.check_model(proto, full_check=True)
    return proto


def export_onnx(model, path, opset: int = DEFAULT_OPSET):
    """Write ``model`` to the ONNX file ``path`` (all at once: a failed export leaves no half file); returns
    the ``onnx.ModelProto``.  See :func:`to_onnx` for the arguments."""
    proto = to_onnx(model, opset)
    with writing(path) as f:
        f.write(proto.SerializeToString())
    return proto


# -- what the model is, read through its attributes ----------------------------------------------------------
_MODELS = {  # class (module.qualname) -> how to convert it; a subclass is accepted if it keeps its call
    "rosenblatt.models.sequential.Sequential": "sequential",
    "rosenblatt.models.functional.Functional": "functional",
    "rosenblatt.models.ensemble.Ensemble": "ensemble",
    "rosenblatt.models.test_time_augmentation.TestTimeAugmentation": "test_time_augmentation",
}


def _known(obj, table, key):
    """The entry of the nearest class of ``obj`` in ``table``, if ``obj``'s class keeps that class's ``call``."""
    for cls in type(obj).__mro__:
        if key(cls) in table:
            return table[key(cls)] if type(obj).call is cls.call else None
    return None


def _kind(obj):
    return _known(obj, _MODELS, lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _unknown(obj):
    cls = type(obj)
    what = f"{cls.__name__} '{obj.name}' (class {cls.__module__}.{cls.__qualname__})"
    if any(c.__name__ == "Model" and c.__module__ == "rosenblatt.models.model" for c in cls.__mro__):
        return ValueError(f"ONNX export: the model {what} computes in its own call, which is Python code, not a "
                          f"graph; the exporter converts Sequential, functional Model(inputs, outputs), Ensemble "
                          f"and TestTimeAugmentation models")
    known = ", ".join(sorted(c.__name__ for c in CONVERTERS))
    return ValueError(f"ONNX export: the layer {what} has no ONNX conversion; the exporter knows {known} "
                      f"(add one to CONVERTERS in rosenblatt/interop/onnx_layers.py)")


def _sample_shape(model):
    """The input shape (None, …) of a model that is not functional, as it was built."""
    if _kind(model) == "functional":
        return tuple(model.inputs[0].shape)
    if _kind(model) in ("ensemble", "test_time_augmentation"):
        inner = model.members[0] if _kind(model) == "ensemble" else model.model
        return _sample_shape(inner)
    shape = getattr(model, "_input_shape", None) or getattr(model, "_build_shape", None)
    if not getattr(model, "built", False) or shape is None:
        raise ValueError(f"ONNX export: {type(model).__name__} '{model.name}' is not built; give it an Input(...) "
                         f"or call it on data first, so that its input shape is known")
    return (None,) + tuple(shape[1:])


def _leaves(obj):
    """The layers of ``obj`` that are not models, inside nested models too."""
    kind = _kind(obj)
    if kind is None:
        return [obj]
    inner = {"ensemble": lambda: obj.members, "test_time_augmentation": lambda: [obj.model]}.get(
        kind, lambda: getattr(obj, "_layers", obj.layers))()
    return [leaf for layer in inner for leaf in _leaves(layer)]


def _one_dtype(model):
    """The float type of every layer (the graph's, its inputs' too: an ``Input`` of another type is cast by the
    library, so the graph takes the type the layers compute in); a ValueError if the layers mix several."""
    dtypes = sorted({layer.dtype for layer in _leaves(model) if not isinstance(layer, InputLayer)}
                    or {model.dtype})
    if len(dtypes) != 1:
        raise ValueError(f"ONNX export: the layers of '{model.name}' compute in {', '.join(dtypes)}; the exporter "
                         f"writes a graph of one float type (give every layer and Input the same dtype)")
    return np.dtype(dtypes[0])


def _graph_inputs(model):
    """[(name, shape)] of the ONNX graph's inputs."""
    if _kind(model) == "functional":
        return [(t.layer.name, tuple(t.shape)) for t in model.inputs]
    if _kind(model) is None:
        raise _unknown(model)
    return [(_input_name(model), _sample_shape(model))]


def _input_name(model):
    """The name of the first ``Input`` (of the first member, of the wrapped model), else ``input``."""
    kind = _kind(model)
    if kind in ("ensemble", "test_time_augmentation"):
        return _input_name(model.members[0] if kind == "ensemble" else model.model)
    if kind == "functional":
        return model.inputs[0].layer.name
    first = getattr(model, "_layers", [None])[:1]
    return first[0].name if first and isinstance(first[0], InputLayer) else "input"


def _output_names(model):
    if _kind(model) == "functional":
        return [t.layer.name for t in model.outputs]
    if _kind(model) == "sequential" and model.layers:
        return [model.layers[-1].name]
    return ["output"] if _kind(model) == "sequential" else [model.name]


def _convert(g, obj, inputs, shapes, multi=False):
    """Append ``obj`` (a model or a layer) to ``g``: ``(output name, shape)``, or lists of them if ``multi``."""
    kind = _kind(obj)
    if kind == "functional":
        names, out_shapes = _functional(g, obj, inputs, shapes)
    elif kind is not None:
        if len(inputs) != 1:
            raise ValueError(f"ONNX export: {type(obj).__name__} '{obj.name}' takes one input, got {len(inputs)}")
        name, shape = {"sequential": _sequential, "ensemble": _ensemble,
                       "test_time_augmentation": _test_time_augmentation}[kind](g, obj, inputs[0], shapes[0])
        names, out_shapes = [name], [shape]
    else:
        convert = _known(obj, CONVERTERS, lambda cls: cls)
        if convert is None:
            raise _unknown(obj)
        name, shape = convert(g, obj, inputs, shapes)
        names, out_shapes = [name], [tuple(shape)]
    if multi:
        return names, out_shapes
    if len(names) != 1:
        raise ValueError(f"ONNX export: the model '{obj.name}' inside another gives {len(names)} outputs; only a "
                         f"model's own outputs may be several")
    return names[0], out_shapes[0]


def _nested(g, obj, inputs, shapes):
    """``obj`` converted with its value names under ``scope/obj.name/`` (the layers of two members may share names)."""
    outer = g.scope
    g.scope = f"{outer}{obj.name}/"
    try:
        return _convert(g, obj, inputs, shapes)
    finally:
        g.scope = outer


def _layer_or_model(g, obj, inputs, shapes):
    return _nested(g, obj, inputs, shapes) if _kind(obj) is not None else _convert(g, obj, inputs, shapes)


def _sequential(g, model, x, shape):
    for layer in model.layers:
        x, shape = _layer_or_model(g, layer, [x], [shape])
    return x, shape


def _functional(g, model, inputs, shapes):
    """Each call of the graph, in an order where its inputs come first (as the model runs them)."""
    values = {id(t): (name, tuple(shape)) for t, name, shape in zip(model.inputs, inputs, shapes)}
    for t in topological(model.outputs):
        if t.inbound:
            given = [values[id(i)] for i in t.inbound]
            values[id(t)] = _layer_or_model(g, t.layer, [n for n, _ in given], [s for _, s in given])
    return [values[id(t)][0] for t in model.outputs], [values[id(t)][1] for t in model.outputs]


def _mean(g, outputs, base):
    """(1/K) Σₖ yₖ: added left to right, then divided by K, as the library computes it."""
    total = outputs[0]
    for i, y in enumerate(outputs[1:]):
        total = g.node("Add", [total, y], f"{base}/sum")
    return g.node("Div", [total, g.floats(len(outputs), f"{base}/count")], f"{base}/mean") if len(outputs) > 1 \
        else total


def _ensemble(g, model, x, shape):
    outputs = [_nested(g, member, [x], [shape]) for member in model.members]
    return _mean(g, [name for name, _ in outputs], model.name), outputs[0][1]


def _test_time_augmentation(g, model, x, shape):
    """Each view v(x) = x'[rows, cols]: the rows of pictures reshaped to (m, h, w, c), two Gathers, reshaped back."""
    name, (h, w, c) = model.name, model.image_shape
    rows_in = len(shape) == 2
    pictures = g.node("Reshape", [x, g.constant(np.asarray((-1, h, w, c), np.int64), f"{name}/picture_shape")],
                      f"{name}/pictures") if rows_in else x
    back = g.constant(np.asarray((-1, h * w * c), np.int64), f"{name}/row_shape") if rows_in else None
    outputs = []
    for k, (rows, cols) in enumerate(model.views()):
        view = g.node("Gather", [pictures, g.constant(np.asarray(rows, np.int64), f"{name}/view_{k}/rows")],
                      f"{name}/view_{k}/gather_rows", axis=1)
        view = g.node("Gather", [view, g.constant(np.asarray(cols, np.int64), f"{name}/view_{k}/cols")],
                      f"{name}/view_{k}/gather_cols", axis=2)
        if rows_in:
            view = g.node("Reshape", [view, back], f"{name}/view_{k}/rows_of_values")
        outputs.append(_nested(g, model.model, [view], [shape]))
    return _mean(g, [out for out, _ in outputs], name), outputs[0][1]


def _doc_string(model) -> str:
    lines = []
    try:
        model.summary(print_fn=lines.append)
    except Exception:  # a summary is a courtesy; the export does not depend on it
        lines = [f"{type(model).__name__} '{model.name}'"]
    return ("\n".join(lines) + "\n\nExported by rosenblatt " + __version__ + ": inference (no dropout, no "
            "augmentation, moving statistics); inputs and outputs channels last (NHWC) as in the library, with a "
            "dynamic batch axis.")
