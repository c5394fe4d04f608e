"""``trainable_weights`` is cached between calls; every change that decides it must show at once."""

import itertools

import numpy as np

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from rosenblatt.autodiff.primitives import nn


def _model():
    return tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(3, activation="relu"),
                                tf.keras.layers.Dense(1)], seed=0)


def test_the_list_follows_variables_layers_and_models():
    model = _model()
    first, second = model.layers[0], model.layers[1]
    assert [w.name for w in model.trainable_weights] == ["kernel", "bias", "kernel", "bias"]
    assert model.trainable_weights is not model.trainable_weights  # a new list each time
    first.bias.trainable = False
    assert [id(w) for w in model.trainable_weights] == [id(first.kernel), id(second.kernel), id(second.bias)]
    first.bias.trainable = True
    second.trainable = False
    assert [id(w) for w in model.trainable_weights] == [id(first.kernel), id(first.bias)]
    model.trainable = False
    assert model.trainable_weights == []
    model.trainable = True
    assert len(model.trainable_weights) == 4
    model.add(tf.keras.layers.Dense(2))
    assert len(model.trainable_weights) == 6
    model.pop()
    assert len(model.trainable_weights) == 4


def test_a_weight_added_later_is_listed():
    class Scale(tf.keras.layers.Layer):
        def build(self, input_shape):
            self.add_weight("w", shape=[int(input_shape[-1])], initializer="ones")  # not assigned to an attribute

    layer = Scale()
    assert layer.trainable_weights == []
    layer(rb.constant([[1.0, 2.0]]))
    assert [w.name for w in layer.trainable_weights] == ["w"]


def test_a_tape_sees_what_the_list_says():
    model = _model()
    x = np.ones((4, 2), np.float32)
    model.layers[0].kernel.trainable = False
    with rb.GradientTape() as tape:
        loss = rb.reduce_sum(model(x))
    assert tape.gradient(loss, model.layers[0].kernel) is None
    assert len(model.trainable_weights) == 3


def test_np_dot_is_matmul_for_the_dense_products():
    """The dense primitives use np.dot for 2-D products: the same bits and memory order as @."""
    rng = np.random.default_rng(0)
    for dtype, (m, k, n), orders in itertools.product((np.float32, np.float64), [(1, 1, 1), (32, 2, 8), (32, 8, 1),
                                                      (209, 300, 20), (64, 128, 7)], itertools.product("CF", "CF")):
        a = np.asarray(rng.standard_normal((m, k)), dtype, order=orders[0])
        b = np.asarray(rng.standard_normal((k, n)), dtype, order=orders[1])
        for x, y in ((a, b), (b.T, a.T)):
            expected, got = x @ y, nn._dot(x, y)
            assert got.tobytes() == expected.tobytes() and got.flags.c_contiguous == expected.flags.c_contiguous
