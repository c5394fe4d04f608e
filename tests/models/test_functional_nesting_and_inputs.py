"""Models inside models (saved and loaded), and functional models of several inputs in fit/evaluate/predict."""

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf


def inner_functional():
    x = tf.keras.Input((4,))
    h = tf.keras.layers.Dense(3, activation="tanh")(x)
    return tf.keras.Model(inputs=x, outputs=tf.keras.layers.Dense(2, activation="relu")(h), name="encoder")


def outer_with(inner):
    z = tf.keras.Input((4,))
    a = inner(z)
    b = tf.keras.layers.Dense(2)(z)
    y = tf.keras.layers.Dense(1, activation="sigmoid")(tf.keras.layers.Concatenate()([a, b]))
    return tf.keras.Model(inputs=z, outputs=y, seed=3)


@pytest.mark.parametrize("make_inner", [inner_functional, lambda: tf.keras.Sequential(
    [tf.keras.Input((4,)), tf.keras.layers.Dense(5, activation="relu"), tf.keras.layers.Dense(2)], name="encoder")],
    ids=["functional-in-functional", "sequential-in-functional"])
def test_a_nested_model_saves_and_loads_with_its_weights_and_names(tmp_path, make_inner):
    model = outer_with(make_inner())
    x = np.random.default_rng(0).normal(size=(7, 4)).astype(np.float32)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, (x[:, :1] > 0).astype(np.float32), epochs=2, batch_size=4, verbose=0)
    model.save(tmp_path / "nested.npz")
    again = tf.keras.models.load_model(tmp_path / "nested.npz")
    assert [layer.name for layer in again.layers] == [layer.name for layer in model.layers]
    assert type(again.get_layer("encoder")) is type(model.get_layer("encoder"))
    for w, v in zip(model.weights, again.weights, strict=True):
        np.testing.assert_array_equal(w.numpy(), v.numpy())
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    # and it trains on from where it was, as the original does (the optimizer state came back too)
    y = (x[:, :1] > 0).astype(np.float32)
    model.fit(x, y, epochs=1, batch_size=7, verbose=0, shuffle=False)
    again.fit(x, y, epochs=1, batch_size=7, verbose=0, shuffle=False)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def test_a_functional_model_inside_a_sequential_saves_and_loads(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((4,)), inner_functional(), tf.keras.layers.Dense(1)])
    x = np.ones((3, 4), np.float32)
    model.save(tmp_path / "m.npz")
    np.testing.assert_array_equal(tf.keras.models.load_model(tmp_path / "m.npz").predict(x), model.predict(x))


def two_inputs(seed=0):
    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    merged = tf.keras.layers.Concatenate()([a, b])
    return tf.keras.Model(inputs=[a, b], outputs=tf.keras.layers.Dense(1, activation="sigmoid")(merged), seed=seed)


def one_input_twin(model):
    """The same network on the two inputs side by side in one array, with the same starting weights."""
    x = tf.keras.Input((5,))
    twin = tf.keras.Model(inputs=x, outputs=tf.keras.layers.Dense(1, activation="sigmoid")(x))
    twin.set_weights(model.get_weights())
    return twin


def data(n=30):
    rng = np.random.default_rng(2)
    xa, xb = rng.normal(size=(n, 3)).astype(np.float32), rng.normal(size=(n, 2)).astype(np.float32)
    return xa, xb, ((xa[:, 0] + xb[:, 1]) > 0).astype(np.float32)[:, None]


def test_fit_on_two_inputs_trains_exactly_as_the_same_network_on_one_concatenated_input():
    xa, xb, y = data()
    model = two_inputs()
    twin = one_input_twin(model)
    for m in (model, twin):
        m.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    h2 = model.fit([xa, xb], y, epochs=4, batch_size=8, seed=5, validation_split=0.2, verbose=0)
    h1 = twin.fit(np.concatenate([xa, xb], axis=1), y, epochs=4, batch_size=8, seed=5, validation_split=0.2, verbose=0)
    for w, v in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_array_equal(w, v)  # the same shuffles, batches and updates, to the last bit
    assert h2.history == h1.history
    both = np.concatenate([xa, xb], axis=1)
    np.testing.assert_array_equal(model.predict((xa, xb), batch_size=7), twin.predict(both, batch_size=7))
    assert model.evaluate([xa, xb], y, batch_size=7) == twin.evaluate(both, y, batch_size=7)


def test_fit_on_a_dataset_of_two_input_batches():
    xa, xb, y = data()
    model, twin = two_inputs(), None
    twin = one_input_twin(model)
    for m in (model, twin):
        m.compile(optimizer="sgd", loss="binary_crossentropy")
    model.fit(rb.data.Dataset.from_tensor_slices(((xa, xb), y)).batch(8), epochs=2, verbose=0)
    twin.fit(rb.data.Dataset.from_tensor_slices((np.concatenate([xa, xb], axis=1), y)).batch(8), epochs=2, verbose=0)
    for w, v in zip(model.get_weights(), twin.get_weights(), strict=True):
        np.testing.assert_allclose(w, v, rtol=1e-6)


@pytest.mark.parametrize("x, words", [
    (lambda xa, xb: xa, "the model takes 2 inputs; pass x as a list of 2 arrays"),
    (lambda xa, xb: [xa], "got list of 1"),
    (lambda xa, xb: [xa, xb[:-1]], "the inputs have [30, 29] samples"),
    (lambda xa, xb: [xa, np.where(xb > 1, np.nan, xb)], "inputs x[1] contain nan"),
])
def test_wrong_inputs_for_a_two_input_model_say_what_is_wrong(x, words):
    xa, xb, y = data()
    model = two_inputs()
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    with pytest.raises(ValueError, match=None) as info:
        model.fit(x(xa, xb), y, verbose=0)
    assert words in str(info.value)


def test_get_layer_by_name_or_index_as_keras():
    model = outer_with(inner_functional())
    assert model.get_layer("encoder") is model.layers[1] is model.get_layer(index=1)
    for kwargs, words in (({"name": "nope"}, "no layer named 'nope'; the layers are"), ({"index": 9}, "out of range"),
                          ({}, "either a name or an index")):
        with pytest.raises(ValueError, match=words):
            model.get_layer(**kwargs)
