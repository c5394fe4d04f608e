"""Saving and loading models: one verified ``.npz`` file, never pickle, never code from the file.

The file (format ``rosenblatt.model/2``) is a zip of ``.npy`` members, covered byte for byte by a
SHA-256 (see :mod:`rosenblatt.io.archive`), holding

* ``format``: ``"rosenblatt.model/2"``;
* ``config``: the architecture as a JSON string (layer classes, their arguments, the input shape; for
  an :class:`~rosenblatt.models.Ensemble`, each member's architecture; for a
  :class:`~rosenblatt.models.TestTimeAugmentation`, the wrapped model's and the views);
* ``compile``: the loss, metrics and optimizer settings as JSON (when compiled);
* ``weight_0``, ``weight_1``, …: the weight arrays, in the order of ``model.weights`` (an ensemble's:
  member after member);
* ``optimizer_state/…``: the optimizer's state, so that training resumes exactly.

Saving is atomic and durable (:mod:`rosenblatt.io.atomic`): a crash, a kill or a full disk leaves the
previous file intact.  Loading checks, in this order: the digest; the format; each array's header
(numbers only, its size what the member holds) before reading it; the JSON (size, depth); every layer
class against the library's own list (``rosenblatt.layers.BUILT_IN``, or the classes the caller passes
in ``custom_objects``; a name is never imported); building the model under a cap on what it may allocate
(the file's own number count); each weight's shape and dtype against what the built model asks for;
every weight and optimizer-state value finite; each optimizer slot's shape and dtype against its weight.
Any failure is one :class:`~rosenblatt.io.errors.ModelFileError` (a ``ValueError``) naming the file.
Files of format 1 (no digest) still load, with a warning that they cannot be verified.

>>> import rosenblatt as rb, tempfile, os
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")])
>>> path = os.path.join(tempfile.mkdtemp(), "m.npz")
>>> model.save(path)
>>> again = load_model(path)
>>> bool(np.all(again.get_weights()[0] == model.get_weights()[0]))
True
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np

from rosenblatt.io.archive import ArchiveReader, write_archive
from rosenblatt.io.atomic import writing
from rosenblatt.models.config import model_from_config, model_to_config
from rosenblatt.io.errors import ModelFileError
from rosenblatt.layers import allocation

FORMAT = "rosenblatt.model/2"
WEIGHTS_FORMAT = "rosenblatt.weights/2"
_LEGACY = {"rosenblatt.model/1": FORMAT, "rosenblatt.weights/1": WEIGHTS_FORMAT}
_JSON_DEPTH = 64
_MAX_LAYERS = 10_000
_SLACK = 1 << 20  # numbers a build may take beyond the file's own (its one zero sample)


def _write(path, arrays: dict):
    with writing(path) as f:
        write_archive(f, arrays)


def _text(s: str) -> np.ndarray:
    return np.array(s)


_KERAS_SUFFIXES = (".keras", ".h5", ".hdf5")


def _refuse_keras_suffix(path, call):
    """A Keras file name (``.keras``, ``.h5``) would promise a file Keras reads; rosenblatt writes ``.npz``.

    >>> _refuse_keras_suffix("m.keras", "save")
    Traceback (most recent call last):
    ...
    ValueError: save('m.keras'): rosenblatt writes its own format, a NumPy .npz archive ...
    """
    name = os.fspath(path)
    suffix = next((s for s in _KERAS_SUFFIXES if str(name).lower().endswith(s)), None)
    if suffix is not None:
        stem = str(name)[: -len(suffix)].removesuffix(".weights")
        raise ValueError(
            f"{call}({name!r}): rosenblatt writes its own format, a NumPy .npz archive (JSON architecture and "
            f"arrays, no pickle), not Keras's {suffix} file, and Keras cannot read it. Save to "
            f"{stem + ('.weights' if call == 'save_weights' else '')}.npz and read it back with "
            f"rosenblatt.models.load_model (or model.load_weights); for Keras, save the weights alone to "
            f"{stem}.weights.h5 (Keras 3's layout) with model.save_weights.")


def save_model(model, path):
    """Write ``model`` (architecture, weights, compile settings, optimizer state) to ``path``.

    A Keras file name (``m.keras``, ``m.h5``) is a ``ValueError``: the file is not Keras's format."""
    _refuse_keras_suffix(path, "save")
    _write(path, model_arrays(model))


def model_arrays(model) -> dict:
    """The arrays of ``model``'s file, by entry name (see the module's docstring)."""
    if not model.built:
        raise ValueError(f"model '{model.name}' has no weights yet: call it on data (or build it) before saving")
    arrays = {"format": _text(FORMAT), "config": _text(json.dumps(model_to_config(model)))}
    for i, w in enumerate(model.weights):
        if not np.isfinite(w._value).all():  # the loader would refuse the file: say so now, not at load
            raise ValueError(f"model '{model.name}': weight {i} ({w.name}) holds non-finite values; a model file "
                             "holds finite weights only")
        arrays[f"weight_{i}"] = w._value
    if model.optimizer is not None:
        from rosenblatt import losses

        compiled = {
            "optimizer": {"class_name": type(model.optimizer).__name__, "config": model.optimizer.get_config()},
            "loss": losses.serialize(model.loss) if model.loss is not None else None,
            "metrics": [{"class_name": type(m).__name__, "config": m.get_config()} for m in model.compiled_metrics],
        }
        arrays["compile"] = _text(json.dumps(compiled, default=_json_default))
        state = model.optimizer.get_state() if hasattr(model.optimizer, "get_state") else {}
        for key, value in state.items():
            arrays[f"optimizer_state/{key}"] = np.asarray(value)
    return arrays


def _json_default(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if callable(value) and hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    raise TypeError(f"cannot save {type(value).__name__} in a model file")


def _guarded(path, read):
    """Run ``read(archive)``; anything but a ModelFileError (or a missing file) becomes one."""
    label = os.fspath(path)
    try:
        with ArchiveReader(path, label) as archive:
            return read(archive, label)
    except (ModelFileError, FileNotFoundError):
        raise
    except Exception as exc:  # noqa: BLE001 - the promise: one error type, whatever the file holds
        raise ModelFileError(label, f"does not describe a model this library can build "
                                    f"({type(exc).__name__}: {str(exc)[:300]})") from exc


def _check_format(archive, label, expected):
    fmt = archive.text("format", limit=100)
    current = _LEGACY.get(fmt, fmt)
    if current != expected:
        raise ModelFileError(label, f"has format {fmt!r:.80}, expected {expected!r}")
    if fmt == current and not archive.verified:
        raise ModelFileError(label, "is damaged: a file of format 2 must end with its SHA-256, and this one does not")
    if fmt != current:
        warnings.warn(f"{label}: saved by an earlier version ({fmt}): it carries no checksum, so damage cannot be "
                      "detected; its content is checked. Save it again to add one.", UserWarning, stacklevel=4)


def _read_json(archive, key, label):
    text = archive.text(key)
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ModelFileError(label, f"the '{key}' entry is not valid JSON ({type(exc).__name__}: {exc})") from exc
    _check_depth(value, key, label)
    return value


def _check_depth(value, key, label):
    """At most _JSON_DEPTH levels and _MAX_LAYERS descriptions (objects with a class_name): building a model
    takes time per layer, so a small file of a million empty layers is refused before it is built."""
    stack, described = [(value, 1)], 0
    while stack:
        item, depth = stack.pop()
        if depth > _JSON_DEPTH:
            raise ModelFileError(label, f"the '{key}' entry nests deeper than {_JSON_DEPTH} levels")
        if isinstance(item, dict) and "class_name" in item:
            described += 1
            if described > _MAX_LAYERS:
                raise ModelFileError(label, f"the '{key}' entry describes more than {_MAX_LAYERS} layers")
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children)


def load_model(path, custom_objects=None, compile=True):  # noqa: A002 - Keras's name
    """Re-create a model saved by ``model.save``.

    Args:
        path: the file.
        custom_objects: ``{"ClassName": ClassName}`` for layers or models of your own classes.
        compile: also restore the optimizer (with its state), loss and metrics.

    Raises:
        ModelFileError: the file is damaged, foreign or hostile (the message names the file and the fault).
    """
    def read(archive, label):
        _check_format(archive, label, FORMAT)
        spec = _read_json(archive, "config", label)
        if not isinstance(spec, dict):
            raise ModelFileError(label, f"the model description is a {type(spec).__name__}, not an object")
        arrays = _weight_arrays(archive, label)
        budget = 2 * sum(a.size for a in arrays) + _SLACK
        try:
            with allocation.capped(budget):
                model = model_from_config(spec, custom_objects)
        except ModelFileError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise ModelFileError(label, f"its model description cannot be built ({type(exc).__name__}: "
                                        f"{str(exc)[:300]})") from exc
        _assign_weights(model, arrays, label)
        if compile and "compile" in archive.names:
            _restore_compile(model, _read_json(archive, "compile", label), archive, label)
        return model

    return _guarded(path, read)


def _weight_arrays(archive, label):
    names = [n for n in archive.names if n.startswith("weight_")]
    expected = [f"weight_{i}" for i in range(len(names))]
    if sorted(names) != sorted(expected):
        raise ModelFileError(label, f"has weight entries {sorted(names)[:8]}…, expected weight_0 … "
                                    f"weight_{len(names) - 1}")
    arrays = []
    for name in expected:
        array = archive.array(name)
        if array.dtype.kind != "f":
            raise ModelFileError(label, f"entry '{name}' has dtype {array.dtype}; weights are floating-point")
        _check_finite(array, name, label)
        arrays.append(array)
    return arrays


def _check_finite(array, name, label):
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
        raise ModelFileError(label, f"entry '{name}' holds {array[bad]} at index {bad}; a model's weights and "
                                    "optimizer state must be finite")


def _assign_weights(model, arrays, label):
    weights = model.weights
    if not model.built or len(arrays) != len(weights):
        raise ModelFileError(label, f"the file has {len(arrays)} weight arrays, the model has "
                                    f"{len(weights) if model.built else 'no'} weights"
                                    + ("" if model.built else " (it is not built)"))
    for i, (array, w) in enumerate(zip(arrays, weights)):
        if array.shape != tuple(w.shape) or array.dtype != w.dtype:
            raise ModelFileError(label, f"weight_{i} ({w.name}) is {array.dtype} of shape {array.shape}; the model "
                                        f"expects {w.dtype} of shape {tuple(w.shape)}")
    model.set_weights(arrays)


def _restore_compile(model, compiled, archive, label):
    from rosenblatt import losses, optimizers

    if not isinstance(compiled, dict):
        raise ModelFileError(label, "the 'compile' entry is not an object")
    opt_spec = compiled.get("optimizer") or {}
    optimizer = optimizers.deserialize(opt_spec)
    loss = losses.get(compiled["loss"]) if compiled.get("loss") else None
    model.compile(optimizer=optimizer, loss=loss)
    model.compiled_metrics = [_metric(m) for m in compiled.get("metrics", [])]
    prefix = "optimizer_state/"
    state = {n[len(prefix):]: archive.array(n) for n in archive.names if n.startswith(prefix)}
    if state:
        _check_state(state, model.trainable_weights, label)
        optimizer.set_state(state)


def _check_state(state, variables, label):
    """Each optimizer-state entry against the weight it belongs to: shape, dtype, finiteness."""
    for key, value in state.items():
        name = f"optimizer_state/{key}"
        index, _, slot = key.partition("/")
        if not slot:
            if value.ndim != 0 or value.dtype.kind not in "iuf":
                raise ModelFileError(label, f"entry '{name}' should be one number, got {value.dtype} {value.shape}")
            _check_finite(value, name, label)
            if key == "iterations" and not (value.dtype.kind in "iu" and 0 <= int(value) < 2**62):
                raise ModelFileError(label, f"entry '{name}' should be a count of steps, got {value!r}")
            continue
        if not index.isdigit() or int(index) >= len(variables):
            raise ModelFileError(label, f"entry '{name}' names variable {index!r:.20}; the model has "
                                        f"{len(variables)} trainable weights")
        w = variables[int(index)]
        if value.shape != tuple(w.shape) or value.dtype != w.dtype:
            raise ModelFileError(label, f"entry '{name}' is {value.dtype} of shape {value.shape}; its weight "
                                        f"({w.name}) is {w.dtype} of shape {tuple(w.shape)}")
        _check_finite(value, name, label)


def _metric(spec):
    from rosenblatt import metrics

    cls = {c.__name__: c for c in (metrics.BinaryAccuracy, metrics.CategoricalAccuracy,
                                    metrics.SparseCategoricalAccuracy, metrics.Precision, metrics.Recall,
                                    metrics.Mean)}.get(spec.get("class_name"))
    if cls is None:
        raise ValueError(f"unknown metric class {spec.get('class_name')!r}")
    return cls(**spec.get("config", {}))


def _foreign_weights(path):
    """The functions (save, load) of another framework's weights file that ``path`` names, else None:
    ``….weights.h5`` is Keras 3's, ``….safetensors`` a PyTorch state_dict (see :mod:`rosenblatt.interop`)."""
    name = str(os.fspath(path)).lower()
    if name.endswith(".weights.h5"):
        from rosenblatt.interop.keras_weights import load_keras_weights, save_keras_weights

        return save_keras_weights, load_keras_weights
    if name.endswith(".safetensors"):
        from rosenblatt.interop.torch_weights import load_torch_state_dict, save_torch_state_dict

        return save_torch_state_dict, load_torch_state_dict
    return None


def save_weights(model, path):
    """Write only the weight arrays to ``path`` (atomically, durably, with a SHA-256).

    ``….weights.h5`` writes Keras 3's weights file and ``….safetensors`` a PyTorch state_dict instead
    (:mod:`rosenblatt.interop`); another Keras name (``m.h5``, ``m.keras``) is a ``ValueError``."""
    foreign = _foreign_weights(path)
    if foreign is not None:
        return foreign[0](model, path)
    _refuse_keras_suffix(path, "save_weights")
    _write(path, {"format": _text(WEIGHTS_FORMAT),
                  **{f"weight_{i}": w._value for i, w in enumerate(model.weights)}})


def load_weights(model, path):
    """Set ``model``'s weights from a file made by ``save_weights`` or ``save`` (``….weights.h5``: Keras 3's,
    ``….safetensors``: a PyTorch state_dict)."""
    foreign = _foreign_weights(path)
    if foreign is not None:
        return foreign[1](model, path)
    def read(archive, label):
        fmt = archive.text("format", limit=100)
        _check_format(archive, label, FORMAT if _LEGACY.get(fmt, fmt) == FORMAT else WEIGHTS_FORMAT)
        _assign_weights(model, _weight_arrays(archive, label), label)

    _guarded(path, read)
