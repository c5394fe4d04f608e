"""Layers: the building blocks of a network (Keras's names).

>>> import rosenblatt as rb
>>> get("Dense").__name__
'Dense'
"""

from rosenblatt.layers.core import Activation, Dropout, Flatten, Input, InputLayer
from rosenblatt.layers.dense import Dense
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.normalization import Normalization

BUILT_IN = {cls.__name__: cls for cls in (Activation, Dense, Dropout, Flatten, InputLayer, Normalization)}


def get(class_name: str, custom_objects: dict | None = None):
    """The layer class called ``class_name``: a built-in, or one the user passes in ``custom_objects``."""
    classes = {**BUILT_IN, **(custom_objects or {})}
    if class_name not in classes:
        raise ValueError(
            f"unknown layer class {class_name!r}; a layer of your own is re-created from your class: "
            f"pass custom_objects={{{class_name!r}: {class_name}}}"
        )
    return classes[class_name]


__all__ = ["Activation", "Dense", "Dropout", "Flatten", "Input", "InputLayer", "Layer", "Normalization", "get"]
