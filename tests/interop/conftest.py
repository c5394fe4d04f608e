"""The architectures the weights tests convert, built from the public API of a Keras-like module (``rosenblatt``
or ``keras``), with every weight random (BatchNormalization's moving statistics too); the fixture ``arch``
hands this module to the tests (``arch.cat_conv(rb)``)."""

import sys

import numpy as np
import pytest


@pytest.fixture
def arch():
    return sys.modules[__name__]


def mlp(lib, dtype="float32"):
    L = lib.layers
    return lib.Sequential([L.Input((5,), dtype=dtype), L.Dense(7, activation="relu", dtype=dtype),
                           L.Dense(4, activation="tanh", dtype=dtype), L.Dense(1, activation="sigmoid", dtype=dtype)])


def cat_conv(lib, side=16, batch_norm=False):
    """The shape of ``rosenblatt cats train --recipe conv`` (pictures as rows, Reshape, a 2 × 2 average pool,
    Normalization, the flips and shifts, three 3 × 3 "same" convolutions, max-pools, global average pool,
    Dropout, one sigmoid unit), small."""
    L = lib.layers
    layers = [L.Input((side * side * 3,)), L.Reshape((side, side, 3)), L.AveragePooling2D(2), L.Normalization(),
              L.RandomFlip("horizontal"), L.RandomTranslation(0.1, 0.1, fill_mode="reflect")]
    for i, filters in enumerate((4, 6, 8)):
        if batch_norm:
            layers += [L.Conv2D(filters, 3, padding="same", use_bias=False), L.BatchNormalization(),
                       L.Activation("relu")]
        else:
            layers.append(L.Conv2D(filters, 3, padding="same", activation="relu"))
        if i < 2:
            layers.append(L.MaxPooling2D(2))
    layers += [L.GlobalAveragePooling2D(), L.Dropout(0.3), L.Dense(1, activation="sigmoid")]
    return lib.Sequential(layers)


def flatten_net(lib):
    """Strided and uneven "same" padding, a "same" max-pool that pads, Flatten into Dense, softmax."""
    L = lib.layers
    return lib.Sequential([L.Input((7, 6, 2)), L.Conv2D(3, 2, strides=2, padding="same", activation="tanh"),
                           L.Conv2D(5, 3, strides=(2, 1), padding="same"), L.BatchNormalization(),
                           L.MaxPooling2D(2, strides=1, padding="same"), L.Flatten(), L.Dropout(0.1),
                           L.Dense(4, activation="softmax")])


def randomize(model, seed):
    """Every weight drawn at random: variances in [0.5, 1.5), the rest normal; Normalization's too."""
    rng = np.random.default_rng(seed)
    for w in model.weights:
        value = np.asarray(w.numpy())
        if value.dtype.kind != "f":
            continue
        positive = "variance" in w.name or "gamma" in w.name
        new = rng.uniform(0.5, 1.5, value.shape) if positive else rng.normal(0, 0.5, value.shape)
        w.assign(new.astype(value.dtype))
    return model


def inputs(model_name, seed=1, m=6):
    rng = np.random.default_rng(seed)
    shape = {"mlp": (m, 5), "cat_conv": (m, 16 * 16 * 3), "cat_conv_bn": (m, 16 * 16 * 3),
             "flatten_net": (m, 7, 6, 2)}[model_name]
    return rng.random(shape).astype(np.float32)


BUILDERS = {"mlp": mlp, "cat_conv": cat_conv, "cat_conv_bn": lambda lib: cat_conv(lib, batch_norm=True),
            "flatten_net": flatten_net}
