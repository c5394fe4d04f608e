"""The functional API: ``Model(inputs, outputs)``, a graph of layers called on symbolic tensors.

``Input(shape)`` gives a :class:`~rosenblatt.layers.symbolic.KerasTensor`; each layer called on one records
itself and returns another; ``Model(inputs=..., outputs=...)`` walks those records back from the outputs and
keeps the calls in an order where every layer's inputs come first.  Calling the model runs them in that order
on real tensors, so branches (one tensor into two layers) and merges (``Concatenate``, ``Add``) are just
more calls, and the gradient is the tape's as for any composition.

>>> import numpy as np
>>> import rosenblatt as rb
>>> x = rb.layers.Input((4,))
>>> a = rb.layers.Dense(3, activation="relu")(x)
>>> b = rb.layers.Dense(2, activation="tanh")(x)
>>> y = rb.layers.Dense(1, activation="sigmoid")(rb.layers.Concatenate()([a, b]))
>>> model = rb.Model(inputs=x, outputs=y)
>>> type(model).__name__, model(np.zeros((5, 4))).shape, model.count_params()
('Functional', (5, 1), 31)
>>> [layer.name for layer in model.layers]
['input_layer', 'dense', 'dense_1', 'concatenate', 'dense_2']
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tape import no_recording
from rosenblatt.layers.core import InputLayer
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.symbolic import KerasTensor, call_symbolically, topological
from rosenblatt.models.model import Model


def _as_list(tensors, what):
    many = isinstance(tensors, (list, tuple))
    tensors = list(tensors) if many else [tensors]
    for t in tensors:
        if not isinstance(t, KerasTensor):
            raise TypeError(f"Model: {what} must be symbolic tensors (from Input(...) and layers), got "
                            f"{type(t).__name__}")
    return tensors, many


class Functional(Model):
    """A model made of layers called on symbolic tensors (see the module).

    Args:
        inputs: a KerasTensor from ``Input``, or a list of them.
        outputs: a KerasTensor made from them, or a list.
        name: the model's name (default ``"functional"``).
        seed: an int: re-initialize every layer's weights from one generator made from it (repeatable runs),
            as ``Sequential(seed=...)`` does.
    """

    def __init__(self, inputs, outputs, name=None, seed=None, trainable=True):
        super().__init__(name=name or "functional", trainable=trainable)
        self._inputs, self._many_inputs = _as_list(inputs, "inputs")
        self._outputs, self._many_outputs = _as_list(outputs, "outputs")
        self.seed = seed
        self._nodes = topological(self._outputs)
        known = {id(t) for t in self._inputs}
        for t in self._nodes:
            if not t.inbound and id(t) not in known:
                raise ValueError(f"Model '{self.name}': the outputs depend on {t.layer.name}, which is not among the "
                                 f"inputs")
        for t in self._inputs:
            if not isinstance(t.layer, InputLayer) or t.inbound:
                raise ValueError(f"Model '{self.name}': inputs must come straight from Input(...), got {t}")
        for t in self._nodes:
            if all(t.layer is not layer for layer in self._layers):
                self._layers.append(t.layer)
        taken = set()
        for layer in self._layers:  # unique names, as Sequential makes them: dense, dense_1, ...
            if layer.name in taken:
                i = 1
                while f"{layer.name}_{i}" in taken:
                    i += 1
                layer.name = f"{layer.name}_{i}"
            taken.add(layer.name)
        if seed is not None:
            self._reinitialize(np.random.default_rng(seed))
        self.output_shapes = [next(t.shape for t in self._nodes if t.layer is layer) for layer in self._layers]
        self.built = True
        self._build_shape = self._inputs[0].shape

    @property
    def layers(self) -> list[Layer]:
        return list(self._layers)

    @property
    def inputs(self) -> list:
        return list(self._inputs)

    @property
    def outputs(self) -> list:
        return list(self._outputs)

    def _reinitialize(self, rng):
        """Build every layer again, its initializers drawing from ``rng`` (in the graph's order)."""
        for layer in self._layers:
            layer.built, layer._weights, layer._regularized, layer._rng = False, [], [], rng
        with no_recording():
            values = {}
            for t in self._nodes:
                if t.inbound:
                    args = [values[id(i)] for i in t.inbound]
                    values[id(t)] = t.layer(args if len(args) > 1 or _merges(t.layer) else args[0], training=False)
                else:
                    values[id(t)] = np.zeros((1,) + tuple(1 if d is None else d for d in t.shape[1:]), t.dtype)

    def _convert(self, inputs):
        if self._many_inputs:
            if not isinstance(inputs, (list, tuple)) or len(inputs) != len(self._inputs):
                raise ValueError(f"Model '{self.name}' takes a list of {len(self._inputs)} inputs, got "
                                 f"{type(inputs).__name__}")
            return [Layer._convert(self, x) for x in inputs]
        return Layer._convert(self, inputs)

    def call(self, inputs, training=None):
        given = inputs if self._many_inputs else [inputs]
        values = {}
        for t, x in zip(self._inputs, given):
            if x.ndim != len(t.shape) or any(d is not None and d != n for d, n in zip(t.shape[1:], x.shape[1:])):
                raise ValueError(f"Model '{self.name}': input '{t.layer.name}' expects shape {t.shape}, got "
                                 f"{tuple(x.shape)}")
            values[id(t)] = x
        for t in self._nodes:
            if t.inbound:
                args = [values[id(i)] for i in t.inbound]
                values[id(t)] = t.layer(args if len(args) > 1 or _merges(t.layer) else args[0], training=training)
            elif id(t) not in values:
                raise ValueError(f"Model '{self.name}': no value for input '{t.layer.name}'")
        out = [values[id(t)] for t in self._outputs]
        return out if self._many_outputs else out[0]

    # -- saving ----------------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The layers, and the calls as indices: node i is ``layers[nodes[i]["layer"]]`` on nodes ``inputs``."""
        from rosenblatt.models.config import layer_to_config

        index = {id(t): i for i, t in enumerate(self._nodes)}
        layer_index = {id(layer): i for i, layer in enumerate(self._layers)}
        return {
            "name": self.name, "seed": self.seed,
            "layers": [layer_to_config(layer) for layer in self._layers],
            "nodes": [{"layer": layer_index[id(t.layer)], "inputs": [index[id(i)] for i in t.inbound]}
                      for t in self._nodes],
            "inputs": [index[id(t)] for t in self._inputs], "outputs": [index[id(t)] for t in self._outputs],
            "many_inputs": self._many_inputs, "many_outputs": self._many_outputs,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The model ``get_config`` describes, with fresh weights (the loader sets them)."""
        from rosenblatt.models.config import layer_from_config

        try:
            layers = [layer_from_config(spec, custom_objects) for spec in config["layers"]]
            tensors = []
            for node in config["nodes"]:
                layer, inbound = layers[int(node["layer"])], [tensors[int(i)] for i in node["inputs"]]
                if not inbound:
                    if not isinstance(layer, InputLayer):
                        raise ValueError(f"node of layer {layer.name!r} has no inputs but is not an InputLayer")
                    tensors.append(KerasTensor((None,) + layer.shape, layer._dtype, layer))
                else:
                    tensors.append(call_symbolically(layer, inbound if len(inbound) > 1 or _merges(layer)
                                                     else inbound[0]))
            inputs = [tensors[int(i)] for i in config["inputs"]]
            outputs = [tensors[int(i)] for i in config["outputs"]]
        except (KeyError, IndexError, TypeError) as exc:
            raise ValueError(f"a damaged functional model description ({type(exc).__name__}: {exc})") from exc
        return cls(inputs if config.get("many_inputs") else inputs[0],
                   outputs if config.get("many_outputs") else outputs[0], name=config.get("name"))


def _merges(layer) -> bool:
    from rosenblatt.layers.merging import _Merge

    return isinstance(layer, _Merge)
