"""A model's weights in Keras 3's ``.weights.h5`` file (``model.save_weights("m.weights.h5")``; h5py).

Keras 3 writes one HDF5 group per layer, ``layers/<key>/vars/0``, ``…/1``, … in the order the layer created
its variables, and ``vars`` groups whose ``name`` attribute is the layer's (the model's at the root).  The key
is the layer's *class* in snake case, counted within the model: ``dense``, ``dense_1``, ``conv2d``,
``batch_normalization``, … (a functional model counts its ``input_layer`` too; a ``Sequential`` does not).
rosenblatt's layers have Keras's names and layouts, so the arrays are the same:

| layer                | vars                                                     |
|----------------------|----------------------------------------------------------|
| ``Dense``            | 0: kernel (n_in, n_out), 1: bias                          |
| ``Conv2D``           | 0: kernel (k_h, k_w, C, F), 1: bias                       |
| ``BatchNormalization`` | γ, β (when scale, center), moving_mean, moving_variance |
| ``Normalization``    | 0: mean, 1: variance, 2: count (an int32 Keras keeps, unused; written 0) |
| the others           | none (an empty group)                                     |

A model inside the model is a group of its own ``layers`` (``layers/sequential/layers/dense/vars/0``), as Keras
nests them.  Reading never runs code (HDF5 holds numbers); each dataset's shape and dtype are checked against the layer's
before it is read, every value must be finite, and any fault is a
:class:`~rosenblatt.io.errors.ModelFileError` naming the file and the layer.  An ``optimizer`` group (a
compiled Keras model's) is ignored: these are weights only.

>>> import rosenblatt as rb, tempfile, os
>>> model = rb.Sequential([rb.layers.Input((3,)), rb.layers.Dense(2), rb.layers.Dense(1)])
>>> keys(model)
['dense', 'dense_1']
>>> path = os.path.join(tempfile.mkdtemp(), "m.weights.h5")
>>> save_keras_weights(model, path)
>>> load_keras_weights(model, path)
"""

from __future__ import annotations

import os
import re

import numpy as np

from rosenblatt.extras import install_hint
from rosenblatt.io.atomic import replacing
from rosenblatt.io.errors import ModelFileError
from rosenblatt.layers import BatchNormalization, Conv2D, Dense, InputLayer, Normalization


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError(f"Keras .weights.h5 files need h5py: {install_hint('interop')}") from None
    return h5py


def snake_case(name: str) -> str:
    """Keras's key for a class name.

    >>> snake_case("Conv2D"), snake_case("GlobalAveragePooling2D"), snake_case("BatchNormalization")
    ('conv2d', 'global_average_pooling2d', 'batch_normalization')
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _layers(model):
    if not hasattr(model, "add") and not hasattr(model, "outputs"):
        raise ValueError(f"model '{model.name}' ({type(model).__name__}) is neither a Sequential nor a functional "
                         "model: Keras keys a subclassed model's layers by its attributes; the .weights.h5 layout "
                         "here covers those two")
    functional = not hasattr(model, "add")  # a Sequential leaves its Input out, a functional model keeps it
    return [layer for layer in model.layers if functional or not isinstance(layer, InputLayer)]


def keys(model) -> list[str]:
    """Each layer's group name under ``layers/``, as Keras counts them."""
    used, out = {}, []
    for layer in _layers(model):
        base = snake_case(type(layer).__name__)
        n = used.get(base, 0)
        out.append(base if n == 0 else f"{base}_{n}")
        used[base] = n + 1
    return out


def variables(layer) -> list:
    """The layer's variables in Keras's order (``"count"`` stands for Normalization's unused counter)."""
    if type(layer) in (Dense, Conv2D):
        return [layer.kernel] + ([layer.bias] if layer.use_bias else [])
    if type(layer) is BatchNormalization:
        return [w for w in (layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance) if w is not None]
    if type(layer) is Normalization:
        return [layer.mean, layer.variance, "count"]
    if layer.weights:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': no Keras layout is known for its weights")
    return []


def save_keras_weights(model, path):
    """Write ``model``'s weights to ``path`` (``….weights.h5``) in Keras 3's layout; Keras reads it with
    ``keras_model.load_weights(path)`` (atomically: a failure leaves the old file)."""
    if not getattr(model, "built", False):
        raise ValueError(f"model '{model.name}' has no weights yet: build it (or call it on data) first")
    h5py = _h5py()
    with replacing(path) as tmp, h5py.File(tmp, "w") as f:
        _write(f, model)


def _is_model(layer) -> bool:
    return hasattr(layer, "add") or (hasattr(layer, "outputs") and hasattr(layer, "inputs"))


def _write(group, model):
    """``layers/<key>/vars/<i>`` for each layer, a model inside the model as its own ``layers`` (Keras's nesting)."""
    layers = group.create_group("layers")
    for key, layer in zip(keys(model), _layers(model)):
        if _is_model(layer):
            _write(layers.create_group(key), layer)
            continue
        vars_ = layers.create_group(key).create_group("vars")
        vars_.attrs["name"] = layer.name
        for i, w in enumerate(variables(layer)):
            value = np.array(0, np.int32) if isinstance(w, str) else np.ascontiguousarray(w._value)
            if value.dtype.kind == "f" and not np.isfinite(value).all():
                raise ValueError(f"model '{model.name}': {w.name} of layer '{layer.name}' holds non-finite "
                                 "values; a weights file holds finite weights only")
            vars_.create_dataset(str(i), data=value)
    group.create_group("vars").attrs["name"] = model.name


def load_keras_weights(model, path):
    """Set ``model``'s weights from a Keras 3 ``.weights.h5`` file (Keras's or :func:`save_keras_weights`'s).

    Raises:
        ModelFileError: a layer's group is missing or extra, a shape, dtype or value does not fit, or the file
            is not HDF5.
    """
    h5py, label = _h5py(), os.fspath(path)
    if not os.path.exists(label):
        raise FileNotFoundError(f"no file {label!r}")
    try:
        f = h5py.File(label, "r")
    except OSError as exc:
        raise ModelFileError(label, f"is not an HDF5 file ({str(exc)[:200]})") from exc
    with f:
        try:
            assignments = _read(f, model, label)
        except ModelFileError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged file: one error type
            raise ModelFileError(label, f"cannot be read as Keras weights ({type(exc).__name__}: "
                                        f"{str(exc)[:200]})") from exc
    for variable, value in assignments:
        variable.assign(value)


def _read(f, model, label, prefix=""):
    h5py, names, layers = _h5py(), keys(model), _layers(model)
    group = f.get("layers")
    if not isinstance(group, h5py.Group):
        raise ModelFileError(label, f"has no '{prefix}layers' group: it is not a Keras 3 .weights.h5 file"
                             if not prefix else f"has no '{prefix}layers' group for the model inside the model")
    found = sorted(group.keys())
    missing, extra = [n for n in names if n not in group], [n for n in found if n not in names]
    if missing or extra:
        raise ModelFileError(label, f"its layers do not fit model '{model.name}': missing {missing[:6]}, unexpected "
                                    f"{extra[:6]} (the model's: {names[:8]})")
    assignments = []
    for key, layer in zip(names, layers):
        if _is_model(layer):
            assignments += _read(group[key], layer, label, f"{prefix}layers/{key}/")
            continue
        assignments += _layer_arrays(group[key].get("vars"), layer, label,
                                     f"{prefix}layers/{key} ({type(layer).__name__} '{layer.name}')")
    return assignments


def _layer_arrays(stored, layer, label, where):
    h5py, expected = _h5py(), variables(layer)
    count = 0 if stored is None else len(stored)
    if type(layer) is Normalization and count == 0:
        return []  # Keras built it from mean= and variance= (constants, not variables): ours keeps its own
    if count != len(expected):
        raise ModelFileError(label, f"{where} has {count} arrays; the layer has {len(expected)}")
    assignments = []
    for i, w in enumerate(expected):
        data = stored.get(str(i))
        if not isinstance(data, h5py.Dataset):
            raise ModelFileError(label, f"{where}: vars/{i} is missing or not an array")
        if isinstance(w, str):
            if data.shape != () or data.dtype.kind not in "iu":
                raise ModelFileError(label, f"{where}: vars/{i} (count) should be one integer, got {data.dtype} "
                                            f"of shape {data.shape}")
            continue
        if data.shape != tuple(w.shape) or data.dtype != w.dtype:
            raise ModelFileError(label, f"{where}: vars/{i} ({w.name}) is {data.dtype} of shape {data.shape}; "
                                        f"the layer expects {w.dtype} of shape {tuple(w.shape)}")
        value = data[()]
        if not np.isfinite(value).all():
            bad = tuple(int(j) for j in np.argwhere(~np.isfinite(value))[0])
            raise ModelFileError(label, f"{where}: vars/{i} ({w.name}) holds {value[bad]} at index {bad}; "
                                        "weights must be finite")
        assignments.append((w, value))
    return assignments
