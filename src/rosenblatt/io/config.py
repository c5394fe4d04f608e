"""Layers to and from JSON-able configs.  Only built-in classes are made from names; a layer of
the user's own class is re-created from the class the user passes, never from the file.
"""

from __future__ import annotations

from rosenblatt import layers as layers_module
from rosenblatt.layers.layer import Layer


def layer_to_config(layer) -> dict:
    """``{"class_name", "config", "builtin"}`` for one layer."""
    builtin = type(layer) in layers_module.BUILT_IN.values()
    overridden = type(layer).get_config is not Layer.get_config
    config = layer.get_config() if builtin or overridden else {}
    return {"class_name": type(layer).__name__, "builtin": builtin, "name": layer.name, "config": config}


def layer_from_config(spec: dict, custom_objects: dict | None = None):
    """The layer that ``spec`` describes."""
    name = spec.get("class_name")
    if not isinstance(name, str):
        raise ValueError(f"not a layer description: {spec!r:.200}")
    if spec.get("builtin"):
        cls = layers_module.BUILT_IN.get(name)
        if cls is None:
            raise ValueError(f"unknown built-in layer class {name!r}")
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
