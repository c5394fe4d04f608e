"""Layers: the building blocks of a network (Keras's names).

>>> import rosenblatt as rb
>>> get("Dense").__name__
'Dense'
"""

from rosenblatt.layers.augmentation import RandomFlip, RandomTranslation
from rosenblatt.layers.batch_normalization import BatchNormalization
from rosenblatt.layers.convolutional import Conv2D
from rosenblatt.layers.core import Activation, Dropout, Flatten, Input, InputLayer, Reshape
from rosenblatt.layers.dense import Dense
from rosenblatt.layers.layer import Layer
from rosenblatt.layers.merging import Add, Concatenate
from rosenblatt.layers.normalization import Normalization
from rosenblatt.layers.pooling import AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D
from rosenblatt.layers.symbolic import KerasTensor
from rosenblatt.layers.trainable_activations import AdaptivePiecewiseLinear, PReLU, Swish
from rosenblatt.naming import did_you_mean

Convolution2D, MaxPool2D, AvgPool2D, GlobalAvgPool2D, GlobalMaxPool2D = (  # Keras's other names
    Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D)

BUILT_IN = {cls.__name__: cls for cls in (Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D,
                                          Dense, Dropout, Flatten, GlobalAveragePooling2D, GlobalMaxPooling2D,
                                          InputLayer, MaxPooling2D, Normalization, RandomFlip, RandomTranslation,
                                          Reshape)}
BUILT_IN.update({cls.__name__: cls for cls in (AdaptivePiecewiseLinear, PReLU, Swish)})  # trainable activations


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


__all__ = ["Activation", "Add", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Concatenate", "Conv2D",
           "Convolution2D", "Dense", "Dropout", "Flatten", "GlobalAveragePooling2D", "GlobalAvgPool2D",
           "GlobalMaxPool2D", "GlobalMaxPooling2D", "Input", "InputLayer", "KerasTensor", "Layer", "MaxPool2D",
           "MaxPooling2D", "Normalization", "RandomFlip", "RandomTranslation", "Reshape", "get"]
__all__ += ["AdaptivePiecewiseLinear", "PReLU", "Swish"]
