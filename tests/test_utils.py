"""to_categorical against the definition and torch.nn.functional.one_hot; the point-set loaders' splits."""

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf


def test_to_categorical_is_one_hot():
    y = np.random.default_rng(0).integers(0, 5, (4, 3))
    out = tf.keras.utils.to_categorical(y, num_classes=6)
    assert out.shape == (4, 3, 6) and out.dtype == np.float32
    for idx in np.ndindex(y.shape):
        want = np.zeros(6)
        want[y[idx]] = 1
        np.testing.assert_array_equal(out[idx], want)
    torch = pytest.importorskip("torch")
    np.testing.assert_array_equal(out, torch.nn.functional.one_hot(torch.tensor(y), 6).numpy())


def test_to_categorical_trains_a_softmax_net():
    (x, y), _ = rb.datasets.blobs.load_data(n_samples=100, seed=1)
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(2, activation="softmax")], seed=0)
    model.compile(optimizer=rb.optimizers.Adam(0.05), loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, rb.utils.to_categorical(y), epochs=60, batch_size=16, verbose=0)
    assert model.evaluate(x, rb.utils.to_categorical(y), verbose=0)[1] > 0.9


def test_to_categorical_mistakes():
    with pytest.raises(ValueError, match="label 3 does not fit num_classes=3"):
        rb.utils.to_categorical([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="must be ≥ 0, got -1"):
        rb.utils.to_categorical([0, -1])
    with pytest.raises(ValueError, match="whole numbers.*0.5"):
        rb.utils.to_categorical([0.0, 0.5])
    np.testing.assert_array_equal(rb.utils.to_categorical([1.0, 0.0]), [[0, 1], [1, 0]])


@pytest.mark.parametrize("name", ["blobs", "circles", "moons", "spirals", "xor"])
def test_point_loaders_split_each_class(name):
    loader = getattr(tf.keras.datasets, name)
    (x_train, y_train), (x_test, y_test) = loader.load_data(n_samples=200, test_split=0.2, seed=3)
    assert x_train.shape == (160, 2) and x_test.shape == (40, 2)
    assert int(y_test.sum()) == 20 and int(y_train.sum()) == 80
    x_all, _ = rb.data.points.get(name)(n_samples=200, seed=np.random.default_rng(3))
    both = np.concatenate([x_train, x_test])
    assert sorted(map(tuple, both)) == sorted(map(tuple, x_all))  # a split of the very points make_* draws
    again = loader.load_data(n_samples=200, test_split=0.2, seed=3)
    np.testing.assert_array_equal(again[1][0], x_test)
    with pytest.raises(ValueError, match="test_split must be in"):
        loader.load_data(test_split=1.0)
