"""Saving and loading models: one ``.npz`` file, never pickle.

The file is a NumPy zip archive holding

* ``format``: ``"rosenblatt.model/1"``;
* ``config``: the architecture as a JSON string (layer classes, their arguments, the input shape; for
  an :class:`~rosenblatt.models.Ensemble`, each member's architecture; for a
  :class:`~rosenblatt.models.TestTimeAugmentation`, the wrapped model's and the views);
* ``compile``: the loss, metrics and optimizer settings as JSON (when compiled);
* ``weight_0``, ``weight_1``, …: the weight arrays, in the order of ``model.weights`` (an ensemble's:
  member after member);
* ``optimizer_state/…``: the optimizer's state, so that training resumes exactly.

It is written to a temporary file in the same folder and renamed over the target, so a crash
mid-save leaves the previous file intact.  Loading uses ``numpy.load(allow_pickle=False)`` and
JSON, so a hostile file cannot run code; a truncated or foreign file gives a ``ValueError``.

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
import zipfile

import numpy as np

from rosenblatt.io.atomic import replacing
from rosenblatt.io.config import model_from_config, model_to_config

FORMAT = "rosenblatt.model/1"


def _atomic_savez(path, arrays: dict):
    with replacing(path) as tmp, open(tmp, "wb") as f:
        np.savez(f, **arrays)


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
            f"arrays, no pickle), not Keras's {suffix} file, and Keras cannot read it; rosenblatt has no {suffix} "
            f"export. Save to {stem + ('.weights' if call == 'save_weights' else '')}.npz and read it back with "
            f"rosenblatt.models.load_model (or model.load_weights).")


def save_model(model, path):
    """Write ``model`` (architecture, weights, compile settings, optimizer state) to ``path``.

    A Keras file name (``m.keras``, ``m.h5``) is a ``ValueError``: the file is not Keras's format."""
    _refuse_keras_suffix(path, "save")
    if not model.built:
        raise ValueError(f"model '{model.name}' has no weights yet: call it on data (or build it) before saving")
    arrays = {"format": _text(FORMAT), "config": _text(json.dumps(model_to_config(model)))}
    for i, w in enumerate(model.weights):
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
    _atomic_savez(path, arrays)


def _json_default(value):
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if callable(value) and hasattr(value, "get_config"):
        return {"class_name": type(value).__name__, "config": value.get_config()}
    raise TypeError(f"cannot save {type(value).__name__} in a model file")


def _open(path):
    try:
        data = np.load(os.fspath(path), allow_pickle=False)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValueError(f"{path}: not a readable rosenblatt model file ({exc})") from exc
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: not a rosenblatt model file (a single array, not an archive)")
    return data


def _read_json(data, key, path):
    try:
        return json.loads(str(data[key]))
    except KeyError as exc:
        raise ValueError(f"{path}: not a rosenblatt model file (no '{key}' entry)") from exc
    except (ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path}: the '{key}' entry is damaged ({exc})") from exc


def load_model(path, custom_objects=None, compile=True):  # noqa: A002 - Keras's name
    """Re-create a model saved by ``model.save``.

    Args:
        path: the file.
        custom_objects: ``{"ClassName": ClassName}`` for layers or models of your own classes.
        compile: also restore the optimizer (with its state), loss and metrics.
    """
    with _open(path) as data:
        try:
            fmt = str(data["format"])
        except (KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
            raise ValueError(f"{path}: not a rosenblatt model file") from exc
        if fmt != FORMAT:
            raise ValueError(f"{path}: unknown format {fmt!r:.80}, expected {FORMAT!r}")
        spec = _read_json(data, "config", path)
        model = _build_model(spec, custom_objects, path)
        _assign_weights(model, data, path)
        if compile and "compile" in data.files:
            _restore_compile(model, _read_json(data, "compile", path), data)
    return model


def _build_model(spec, custom_objects, path):
    if not isinstance(spec, dict):
        raise ValueError(f"{path}: the model description is not an object")
    return model_from_config(spec, custom_objects)


def _weight_arrays(data, path):
    count = sum(1 for k in data.files if k.startswith("weight_"))
    try:
        return [data[f"weight_{i}"] for i in range(count)]
    except (KeyError, ValueError, zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"{path}: the weights are damaged or missing ({exc})") from exc


def _assign_weights(model, data, path):
    arrays = _weight_arrays(data, path)
    if len(arrays) != len(model.weights):
        raise ValueError(f"{path}: the file has {len(arrays)} weight arrays, the model has {len(model.weights)}")
    model.set_weights(arrays)


def _restore_compile(model, compiled, data):
    from rosenblatt import losses, metrics, optimizers

    opt_spec = compiled.get("optimizer") or {}
    optimizer = optimizers.deserialize(opt_spec) if hasattr(optimizers, "deserialize") else optimizers.get(
        opt_spec.get("class_name", "sgd").lower())
    loss = losses.get(compiled["loss"]) if compiled.get("loss") else None
    model.compile(optimizer=optimizer, loss=loss)
    model.compiled_metrics = [_metric(m) for m in compiled.get("metrics", [])]
    state = {k[len("optimizer_state/"):]: data[k] for k in data.files if k.startswith("optimizer_state/")}
    if state and hasattr(optimizer, "set_state"):
        optimizer.set_state(state, model.trainable_weights) if _takes_variables(optimizer) else optimizer.set_state(state)


def _takes_variables(optimizer) -> bool:
    import inspect

    return len(inspect.signature(optimizer.set_state).parameters) > 1


def _metric(spec):
    from rosenblatt import metrics

    cls = {c.__name__: c for c in (metrics.BinaryAccuracy, metrics.CategoricalAccuracy,
                                    metrics.SparseCategoricalAccuracy, metrics.Precision, metrics.Recall,
                                    metrics.Mean)}.get(spec.get("class_name"))
    if cls is None:
        raise ValueError(f"unknown metric class {spec.get('class_name')!r}")
    return cls(**spec.get("config", {}))


def save_weights(model, path):
    """Write only the weight arrays to ``path`` (atomically); a Keras name (``.weights.h5``) is a ``ValueError``."""
    _refuse_keras_suffix(path, "save_weights")
    _atomic_savez(path, {"format": _text("rosenblatt.weights/1"),
                         **{f"weight_{i}": w._value for i, w in enumerate(model.weights)}})


def load_weights(model, path):
    """Set ``model``'s weights from a file made by ``save_weights`` or ``save``."""
    with _open(path) as data:
        _assign_weights(model, data, path)
