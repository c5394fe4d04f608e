"""Sequential(seed=...): one generator for the model's life, however the model is built."""

import numpy as np

import rosenblatt as rb


def test_layers_of_one_shape_get_different_weights_when_the_model_starts_with_an_input():
    # the bug this guards against: each add() rebuilt the model from a fresh default_rng(seed), so every new
    # layer's weights were the first numbers of the same stream (equal kernels for layers of equal shapes)
    model = rb.Sequential([rb.layers.Input((8,)), rb.layers.Dense(8), rb.layers.Dense(8), rb.layers.Dense(8)], seed=0)
    kernels = [layer.kernel.numpy() for layer in model.layers]
    assert not np.array_equal(kernels[0], kernels[1]) and not np.array_equal(kernels[1], kernels[2])
    assert not np.allclose(kernels[0].ravel()[:8] / kernels[1].ravel()[:8], kernels[0].ravel()[0] / kernels[1].ravel()[0])


def test_built_layer_by_layer_or_at_once_the_same_seed_gives_the_same_weights():
    layers = lambda: [rb.layers.Dense(5, activation="relu"), rb.layers.Dense(5), rb.layers.Dense(1)]  # noqa: E731
    with_input = rb.Sequential([rb.layers.Input((3,))] + layers(), seed=7)
    at_once = rb.Sequential(layers(), seed=7)
    at_once.build((None, 3))
    by_add = rb.Sequential(seed=7)
    by_add.add(rb.layers.Input((3,)))
    for layer in layers():
        by_add.add(layer)
    for a, b, c in zip(with_input.get_weights(), at_once.get_weights(), by_add.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    again = rb.Sequential([rb.layers.Input((3,))] + layers(), seed=7)
    for a, b in zip(with_input.get_weights(), again.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)  # and it repeats
