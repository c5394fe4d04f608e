"""The growing ONNX graph that the exporter writes layer by layer: nodes, weights, unique names.

A :class:`Graph` hands out unique value names (``dense``, ``dense_1``, … under a scope such as the member
of an ensemble, ``sequential_1/dense``), stores each weight once however often its layer is called,
makes small constants, and remembers, for a channels-last (NHWC) value, the channels-first (NCHW) value it
was transposed from, so that two convolutions or poolings in a row need no Transpose pair between them
(the Transpose back that no one reads is pruned at the end).

>>> graph = Graph(opset=17, dtype="float32")
>>> y = graph.node("Relu", ["x"], "dense")
>>> y, graph.node("Relu", [y], "dense")
('dense', 'dense_1')
>>> [n.op_type for n in graph.nodes]
['Relu', 'Relu']
"""

from __future__ import annotations

import numpy as np

NHWC_TO_NCHW = (0, 3, 1, 2)
NCHW_TO_NHWC = (0, 2, 3, 1)


def onnx():
    """The ``onnx`` package, or an ImportError that says how to install it."""
    try:
        import onnx as package
    except ImportError:
        from rosenblatt.extras import install_hint

        raise ImportError(f"ONNX export needs the onnx package: {install_hint('onnx')}") from None
    return package


class Graph:
    """The nodes and initializers of one ONNX graph under construction (see the module).

    Args:
        opset: the ONNX operator set the nodes are written for (some operators changed their inputs:
            Reduce* take ``axes`` as an input from opset 18).
        dtype: the model's float type, for weights and constants.
    """

    def __init__(self, opset: int, dtype):
        self.opset, self.dtype = int(opset), np.dtype(dtype)
        self.nodes, self.initializers = [], []
        self._taken: set[str] = set()
        self._weights: dict = {}            # (id(owner), tag) -> initializer name
        self._owners: list = []             # kept alive, so that their ids stay unique
        self._nchw: dict[str, str] = {}     # NHWC value -> the NCHW value it was made from
        self.scope = ""

    def name(self, base: str) -> str:
        """A value name not used yet: ``scope/base``, else with ``_1``, ``_2``, … appended."""
        base = f"{self.scope}{base}"
        name, i = base, 0
        while name in self._taken:
            i += 1
            name = f"{base}_{i}"
        self._taken.add(name)
        return name

    def take(self, name: str) -> str:
        """Reserve ``name`` as it is (a graph input's); a ValueError if it is taken."""
        if name in self._taken:
            raise ValueError(f"ONNX export: two values would be called {name!r}")
        self._taken.add(name)
        return name

    def node(self, op: str, inputs, base: str, **attributes) -> str:
        """Append one node with one output, called after ``base``; returns the output's name."""
        out = self.name(base)
        self.nodes.append(onnx().helper.make_node(op, list(inputs), [out], name=out, **attributes))
        return out

    def weight(self, owner, array, base: str, tag: str = "") -> str:
        """The initializer holding ``array``, stored once per ``owner`` (a Variable; a layer with a ``tag`` for
        a value computed from its weights) however often the layer is called."""
        key = (id(owner), tag)
        if key not in self._weights:
            name = self.name(base)
            value = np.ascontiguousarray(array)
            self.initializers.append(onnx().numpy_helper.from_array(value, name))
            self._weights[key] = name
            self._owners.append(owner)
        return self._weights[key]

    def constant(self, array, base: str) -> str:
        """A new initializer holding ``array`` (an int64 shape, a float scale, ...)."""
        name = self.name(base)
        self.initializers.append(onnx().numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def floats(self, value, base: str) -> str:
        """A float constant of the model's dtype."""
        return self.constant(np.asarray(value, self.dtype), base)

    # -- channels last outside, channels first inside Conv and pooling ------------------------------------
    def to_nchw(self, x: str, base: str) -> str:
        """``x`` (NHWC) as NCHW: the value it was made from when there is one, else a Transpose."""
        if x in self._nchw:
            return self._nchw[x]
        return self.node("Transpose", [x], f"{base}/nchw", perm=list(NHWC_TO_NCHW))

    def to_nhwc(self, x: str, base: str) -> str:
        """``x`` (NCHW) transposed back to NHWC; remembered, so a next Conv or pooling can start from ``x``."""
        out = self.node("Transpose", [x], base, perm=list(NCHW_TO_NHWC))
        self._nchw[out] = x
        return out

    def prune(self, outputs) -> None:
        """Drop the nodes and initializers that no output needs (a Transpose back to NHWC whose next layer
        took the NCHW value instead)."""
        needed, kept = set(outputs), []
        for node in reversed(self.nodes):
            if any(out in needed for out in node.output):
                kept.append(node)
                needed.update(node.input)
        self.nodes = kept[::-1]
        self.initializers = [t for t in self.initializers if t.name in needed]

    # -- operators whose signature changed between opsets -----------------------------------------------
    def reduce(self, op: str, x: str, axes, base: str, keepdims: bool) -> str:
        """``ReduceMean`` / ``ReduceMax`` over ``axes``: an attribute before opset 18, an input from 18."""
        if self.opset >= 18:
            return self.node(op, [x, self.constant(np.asarray(axes, np.int64), f"{base}/axes")], base,
                             keepdims=int(keepdims))
        return self.node(op, [x], base, axes=list(axes), keepdims=int(keepdims))
