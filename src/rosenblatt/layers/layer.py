"""``Layer``: Keras's contract — ``build`` on the first call, ``add_weight``, ``call``.

A layer turns an input tensor into an output tensor.  It creates its weights lazily in
``build(input_shape)``, the first time it sees an input, so ``Dense(4)`` need not know its input
size in advance.  Sub-layers assigned as attributes are tracked, so a layer made of layers lists
all their weights.

>>> import rosenblatt as rb
>>> class Scale(Layer):
...     def build(self, input_shape):
...         self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer="ones")
...     def call(self, x):
...         return x * self.w
>>> layer = Scale()
>>> layer(rb.constant([[1.0, 2.0]])).numpy()
array([[1., 2.]], dtype=float32)
>>> [w.name for w in layer.trainable_weights]
['w']
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np

from rosenblatt import dtypes, initializers, regularizers
from rosenblatt.autodiff.ops import cast
from rosenblatt.autodiff.tensor import Tensor, Variable, changes
from rosenblatt.layers import allocation
from rosenblatt.layers.symbolic import KerasTensor, call_symbolically


def _snake(name: str) -> str:
    """Keras's default layer names: ``BatchNormalization`` → ``batch_normalization``, ``Conv2D`` → ``conv2d``."""
    return re.sub(r"(\d)_d$", r"\1d", re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower())


class Layer:
    """The base of every layer.

    Args:
        trainable: whether its weights are trained (listed in ``trainable_weights``).
        name: a label for summaries and errors; by default the class name in snake case
            (a ``Sequential`` makes names unique: ``dense``, ``dense_1``, ...).
        dtype: the dtype of its weights and computations (``"float32"`` by default); floating
            and integer inputs are cast to it.
        input_shape: optional shape of one sample, e.g. ``(2,)``, so a model can be built at once.
    """

    _autocast = True  # cast inputs to this layer's dtype (models leave that to their layers)

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None, input_dim=None, **kwargs):
        if kwargs:
            raise TypeError(f"{type(self).__name__} got unexpected arguments: {sorted(kwargs)}")
        self.name = name or _snake(type(self).__name__)
        self._trainable = bool(trainable)
        self._dtype = dtypes.as_dtype(dtype or dtypes.float32)
        self.built = False
        self._weights: list[Variable] = []
        self._layers: list[Layer] = []
        self._regularized: list[tuple] = []
        self._rng = None  # a numpy Generator that initializers use when they have no seed
        if input_dim is not None:
            input_shape = (input_dim,)
        self._input_shape_arg = None if input_shape is None else tuple(input_shape)
        self._call_takes_training = None

    def __setattr__(self, key, value):
        if isinstance(value, Layer) and key != "_parent" and "_layers" in self.__dict__:
            if all(value is not layer for layer in self._layers):
                self._layers.append(value)
        changes[0] += 1  # what trainable_weights lists may have changed (see there)
        super().__setattr__(key, value)

    # -- properties ---------------------------------------------------------------------------
    @property
    def dtype(self) -> str:
        return self._dtype.name

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self) -> list[Variable]:
        """All weights, own first, then those of sub-layers (each once)."""
        seen, out = set(), []
        for w in self._weights + [w for layer in self._layers for w in layer.weights]:
            if id(w) not in seen:
                seen.add(id(w))
                out.append(w)
        return out

    @property
    def trainable_weights(self) -> list[Variable]:
        """The trainable weights, own first, then those of sub-layers (each once); a new list each time.

        Kept from one call to the next while nothing that decides it changes (``tensor.changes``: any
        attribute set on a layer, a weight added, a variable's ``trainable`` set): the lecture's loop asks
        for it twice a step, and walking the layers was ~8 % of the tiny network's step (measured).
        """
        cached = self.__dict__.get("_trainable_cache")
        if cached is not None and cached[0] == changes[0]:
            return list(cached[1])
        version = changes[0]
        if not self._trainable:
            weights = []
        else:
            weights = [w for w in self._weights if w.trainable]
            if self._layers:
                weights = _unique(weights + [w for layer in self._layers for w in layer.trainable_weights])
        self.__dict__["_trainable_cache"] = (version, tuple(weights))  # not through __setattr__: no change
        return weights

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    @property
    def losses(self) -> list[Tensor]:
        """Regularization terms of this layer and its sub-layers (recorded by an active tape)."""
        own = [reg(w) for w, reg in self._regularized] if self._regularized and self._trainable else []
        for layer in self._layers:
            if layer._regularized or layer._layers:
                own += layer.losses
        return own

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the weight arrays, in the order of ``weights``."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Set every weight from a list of arrays of the same shapes, in the order of ``weights``."""
        mine = self.weights
        weights = list(weights)
        if len(weights) != len(mine):
            raise ValueError(f"{type(self).__name__} '{self.name}' has {len(mine)} weights, got {len(weights)} arrays")
        for w, value in zip(mine, weights):
            value = np.asarray(value)
            if value.shape != w.shape:
                raise ValueError(
                    f"{type(self).__name__} '{self.name}': weight '{w.name}' has shape {w.shape}, got {value.shape}"
                )
        for w, value in zip(mine, weights):
            w.assign(value)

    def _pack_weights(self):
        """Lay the trainable weights side by side in one buffer; each Variable's array becomes a view of it.

        Values do not change. An optimizer then updates them as one array: a few NumPy calls per step
        instead of a few per weight, which is most of an update for small layers. Only when all are of one
        dtype; nothing is copied when they already lie that way.
        """
        weights = self.trainable_weights
        if len(weights) < 2 or any(w._value.dtype != weights[0]._value.dtype for w in weights):
            return
        if _consecutive([w._value for w in weights]):
            return
        buffer = np.empty(sum(w._value.size for w in weights), weights[0]._value.dtype)
        lo = 0
        for w in weights:
            value = w._value
            block = buffer[lo:lo + value.size]
            column_major = value.ndim > 1 and not value.flags.c_contiguous  # a large Dense kernel keeps its layout
            view = block.reshape(value.shape[::-1]).T if column_major else block.reshape(value.shape)
            view[...] = value
            w._value = view
            lo += view.size

    def count_params(self) -> int:
        return int(sum(w._value.size for w in self.weights))

    # -- building ------------------------------------------------------------------------------
    def add_weight(self, name=None, shape=None, initializer=None, dtype=None, trainable=True,
                   regularizer=None):
        """Create, track and return a :class:`Variable`.

        ``name`` may come first, positionally, as in the lecture's ``add_weight("weight", shape=...)``;
        a shape given first is accepted too (Keras 3's order).  The default initializer is
        ``glorot_uniform``.
        """
        if shape is None and name is not None and not isinstance(name, str):
            name, shape = None, name
        if shape is None:
            raise ValueError(f"{type(self).__name__} '{self.name}': add_weight needs a shape")
        shape = tuple(int(s) for s in shape)
        allocation.reserve(math.prod(shape), f"{type(self).__name__} '{self.name}': weight of shape {shape}")
        init = initializers.get(initializer if initializer is not None else "glorot_uniform")
        dtype = dtypes.as_dtype(dtype or self._dtype)
        value = init(shape, dtype=dtype, rng=self._rng) if isinstance(init, initializers.Initializer) \
            else np.asarray(init(shape, dtype=dtype), dtype=dtype)
        variable = Variable(value, trainable=trainable, name=name or f"weight_{len(self._weights)}", dtype=dtype)
        self._weights.append(variable)
        changes[0] += 1
        if regularizer is not None:
            self._regularized.append((variable, regularizers.get(regularizer)))
        return variable

    def build(self, input_shape):
        """Create the weights, given the input's shape; called once, on the first call."""

    def call(self, inputs, *args, **kwargs):
        """The forward computation; subclasses override it."""
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def _maybe_build(self, input_shape):
        if not self.built:
            self._build_shape = None if input_shape is None else tuple(input_shape)
            self.build(self._build_shape)
            self.built = True

    def _convert(self, inputs):
        """Inputs as a tensor of this layer's dtype (numbers only)."""
        if isinstance(inputs, Tensor):
            x = inputs
        elif isinstance(inputs, Layer):
            raise TypeError(f"{type(self).__name__} '{self.name}' was called on the {type(inputs).__name__} "
                            f"'{inputs.name}', not on data; a model from Input layers is written "
                            "Sequential([Input(shape), Dense(...), ...]), or Model(inputs, outputs) with the layers "
                            "called on inputs = Input(shape)")
        elif isinstance(inputs, (list, tuple, dict)) and not _is_numeric_sequence(inputs):
            return inputs
        else:
            x = Tensor.__new__(Tensor)
            value = inputs if type(inputs) is np.ndarray else np.asarray(getattr(inputs, "_value", inputs))
            x._value, x._logits = value, None
        dtype = x._value.dtype
        if dtype == self._dtype:
            return x
        kind = dtype.kind
        if kind not in "biuf":
            raise ValueError(
                f"{type(self).__name__} '{self.name}' expects numeric input, got an array of dtype {x.dtype}"
            )
        if self._autocast and (kind != "f" or self._dtype.kind == "f"):
            x = cast(x, self._dtype)
        return x

    def __call__(self, inputs, *args, training=None, **kwargs):
        if type(inputs) is KerasTensor:  # the functional API: record the call, compute only the shape
            return call_symbolically(self, inputs)
        x = self._convert(inputs)
        if not self.built:
            self._maybe_build(x.shape if isinstance(x, Tensor) else None)
        takes_training = self._call_takes_training
        if takes_training is None:
            params = inspect.signature(self.call).parameters
            takes_training = self._call_takes_training = "training" in params or any(
                p.kind is p.VAR_KEYWORD for p in params.values())
        if takes_training:
            kwargs["training"] = training
        return self.call(x, *args, **kwargs)

    # -- saving ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments that re-create this layer (JSON-able)."""
        return {"name": self.name, "trainable": self._trainable, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


def _consecutive(arrays) -> bool:
    """Whether the arrays lie one after the other in one buffer."""
    base = arrays[0].base
    if base is None:
        return False
    position = arrays[0].__array_interface__["data"][0]
    for a in arrays:
        if a.base is not base or a.__array_interface__["data"][0] != position or not (
                a.flags.c_contiguous or a.flags.f_contiguous):
            return False
        position += a.nbytes
    return True


def _unique(variables):
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _is_numeric_sequence(value) -> bool:
    if isinstance(value, dict):
        return False
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False
