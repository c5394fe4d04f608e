"""Layers and models to and from JSON-able configs.  Only built-in classes are made from names; a layer
of the user's own class is re-created from the class the user passes, never from the file.

A model is ``{"class_name": "Sequential", "config": {..., "layers": [...]}}``, ``{"class_name": "Functional",
"config": {..., "layers": [...], "nodes": [{"layer", "inputs"}, ...], "inputs", "outputs"}}``, ``{"class_name":
"Ensemble", "config": {"name", "members": [a model, ...]}}`` (members nest), ``{"class_name":
"TestTimeAugmentation", "config": {"name", "model": a model, "image_shape", "flip", "shift", "cell"}}``, or,
for a model of the user's own class, a layer description with the ``input_shape`` it was built for.
"""

from __future__ import annotations

import numpy as np

from rosenblatt import layers as layers_module
from rosenblatt.autodiff.tape import no_recording
from rosenblatt.layers.layer import Layer
from rosenblatt.naming import did_you_mean


def layer_to_config(layer) -> dict:
    """``{"class_name", "config", "builtin"}`` for one layer; a model used as a layer (a Sequential or a
    functional model inside another) nests its own description under ``"model"``."""
    if _library_model(layer):
        return {"class_name": type(layer).__name__, "builtin": True, "name": layer.name,
                "model": model_to_config(layer)}
    builtin = type(layer) in layers_module.BUILT_IN.values()
    overridden = type(layer).get_config is not Layer.get_config
    config = layer.get_config() if builtin or overridden else {}
    return {"class_name": type(layer).__name__, "builtin": builtin, "name": layer.name, "config": config}


def layer_from_config(spec: dict, custom_objects: dict | None = None):
    """The layer that ``spec`` describes."""
    name = spec.get("class_name")
    if not isinstance(name, str):
        raise ValueError(f"not a layer description: {spec!r:.200}")
    if "model" in spec:  # a model used as a layer
        model = model_from_config(spec["model"], custom_objects)
        if spec.get("name"):
            model.name = spec["name"]
        return model
    if spec.get("builtin"):
        cls = layers_module.BUILT_IN.get(name)
        if cls is None:
            raise ValueError(f"unknown built-in layer class {name!r:.80}; {did_you_mean(name, layers_module.BUILT_IN)}"
                             f"the built-in layers are {sorted(layers_module.BUILT_IN)}")
    else:
        cls = (custom_objects or {}).get(name)
        if cls is None:
            raise ValueError(
                f"the file holds a layer of your own class {name!r}; load it with "
                f"load_model(path, custom_objects={{{name!r}: {name}}})"
            )
    config = dict(spec.get("config") or {})
    layer = cls(**config)
    if spec.get("name"):
        layer.name = spec["name"]
    return layer


def _library_model(layer) -> bool:
    """A model of the library's own classes (described by :func:`model_to_config`, not as a layer)."""
    from rosenblatt.models.ensemble import Ensemble
    from rosenblatt.models.functional import Functional
    from rosenblatt.models.sequential import Sequential
    from rosenblatt.models.test_time_augmentation import TestTimeAugmentation

    return type(layer) is Functional or isinstance(layer, (Sequential, Ensemble, TestTimeAugmentation))


def model_to_config(model) -> dict:
    """The JSON-able description of ``model`` (architecture only, no weights)."""
    from rosenblatt.models.ensemble import Ensemble
    from rosenblatt.models.functional import Functional
    from rosenblatt.models.sequential import Sequential
    from rosenblatt.models.test_time_augmentation import TestTimeAugmentation

    if type(model) is Functional:
        return {"class_name": "Functional", "config": model.get_config()}
    if isinstance(model, Sequential):
        return {"class_name": "Sequential", "config": model.get_config()}
    if isinstance(model, (Ensemble, TestTimeAugmentation)):
        return {"class_name": type(model).__name__, "config": model.get_config()}
    spec = layer_to_config(model)
    spec["input_shape"] = None if getattr(model, "_build_shape", None) is None else list(model._build_shape[1:])
    return spec


def model_from_config(spec, custom_objects: dict | None = None):
    """The model that ``spec`` (from :func:`model_to_config`) describes, built, with fresh weights."""
    from rosenblatt.models.ensemble import Ensemble
    from rosenblatt.models.sequential import Sequential
    from rosenblatt.models.test_time_augmentation import TestTimeAugmentation

    if not isinstance(spec, dict):
        raise ValueError(f"not a model description: {spec!r:.200}")
    config = spec.get("config") or {}
    if spec.get("class_name") == "Sequential":
        model = Sequential(name=config.get("name"), seed=config.get("seed"))
        for layer_spec in config.get("layers", []):
            model.add(layer_from_config(layer_spec, custom_objects))
        if config.get("input_shape") is not None and not model.built:
            model.build((None,) + tuple(config["input_shape"]))
        return model
    if spec.get("class_name") == "Functional":
        from rosenblatt.models.functional import Functional

        return Functional.from_config(config, custom_objects)
    if spec.get("class_name") == "Ensemble":
        members = config.get("members")
        if not isinstance(members, list) or not members:
            raise ValueError(f"an Ensemble description needs a non-empty list of members, got {members!r:.200}")
        return Ensemble([model_from_config(m, custom_objects) for m in members], name=config.get("name"))
    if spec.get("class_name") == "TestTimeAugmentation":
        if not isinstance(config.get("model"), dict):
            raise ValueError(f"a TestTimeAugmentation description needs its model, got {config!r:.200}")
        options = {k: config[k] for k in ("image_shape", "flip", "shift", "cell", "name") if k in config}
        return TestTimeAugmentation(model_from_config(config["model"], custom_objects), **options)
    model = layer_from_config(spec, custom_objects)
    if spec.get("input_shape") is not None:
        with no_recording():
            model(np.zeros((1,) + tuple(spec["input_shape"]), dtype=model._dtype))
    return model
