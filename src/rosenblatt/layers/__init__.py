"""Layers: the building blocks of a network (Keras's names).

>>> import rosenblatt as rb
>>> get("Dense").__name__
'Dense'
"""

from rosenblatt.layers.core import Activation, Dropout, Flatten, Input, InputLayer, Reshape
from rosenblatt.layers.dense import Dense
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.normalization import Normalization
from rosenblatt.layers.pooling import AveragePooling2D
from rosenblatt.naming import did_you_mean

BUILT_IN = {cls.__name__: cls for cls in (Activation, AveragePooling2D, Dense, Dropout, Flatten, InputLayer,
                                          Normalization, Reshape)}


def get(class_name: str, custom_objects: dict | None = None):
    """The layer class called ``class_name``: a built-in, or one the user passes in ``custom_objects``."""
    classes = {**BUILT_IN, **(custom_objects or {})}
    if class_name not in classes:
        raise ValueError(
            f"unknown layer class {class_name!r}; {did_you_mean(class_name, BUILT_IN)}a layer of your own is "
            f"re-created from your class: "
            f"pass custom_objects={{{class_name!r}: {class_name}}}"
        )
    return classes[class_name]


__all__ = ["Activation", "AveragePooling2D", "Dense", "Dropout", "Flatten", "Input", "InputLayer", "Layer",
           "Normalization", "Reshape", "get"]
