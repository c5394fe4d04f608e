"""The functional API: a two-branch model builds, trains, saves and loads; its gradients are a hand composition's."""

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf


def two_branch(seed=0):
    x = tf.keras.Input((6, 6, 2), dtype="float64")
    a = tf.keras.layers.Conv2D(3, 3, padding="same", activation="relu", dtype="float64")(x)
    a = tf.keras.layers.GlobalAveragePooling2D(dtype="float64")(a)
    b = tf.keras.layers.Flatten(dtype="float64")(x)
    b = tf.keras.layers.Dense(3, activation="tanh", dtype="float64")(b)
    merged = tf.keras.layers.Concatenate(dtype="float64")([a, tf.keras.layers.Add(dtype="float64")([a, b])])
    y = tf.keras.layers.Dense(1, activation="sigmoid", dtype="float64")(merged)
    return tf.keras.Model(inputs=x, outputs=y, seed=seed)


def data(n=24):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 6, 6, 2))
    return x, (x[:, :3].mean(axis=(1, 2, 3)) > 0).astype(np.float64)[:, None]


def test_gradients_equal_the_hand_composition():
    model = two_branch()
    assert [type(l).__name__ for l in model.layers] == ["InputLayer", "Conv2D", "GlobalAveragePooling2D", "Flatten",
                                                        "Dense", "Add", "Concatenate", "Dense"]
    conv, dense, out = model.layers[1], model.layers[4], model.layers[7]
    x, y = data(5)
    kernel, bias = conv.kernel.numpy(), conv.bias.numpy()
    w1, b1, w2, b2 = (v.numpy() for v in (dense.kernel, dense.bias, out.kernel, out.bias))

    def hand(k, bk, v1, c1, v2, c2):  # the same network written with tf.nn / tf ops only
        a = tf.reduce_mean(tf.nn.relu(tf.nn.conv2d(x, k, padding="SAME") + bk), axis=(1, 2))
        b = tf.tanh(tf.matmul(tf.reshape(x, (5, -1)), v1) + c1)
        z = tf.matmul(tf.concat([a, a + b], axis=1), v2) + c2
        return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z))

    params = [tf.Variable(p, dtype="float64") for p in (kernel, bias, w1, b1, w2, b2)]
    with tf.GradientTape() as tape:
        want = hand(*params)
    want_grads = tape.gradient(want, params)
    loss_fn = tf.keras.losses.BinaryCrossentropy()
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    np.testing.assert_allclose(float(loss), float(want), rtol=1e-12)
    assert len(grads) == len(want_grads) == 6
    for g, h in zip(grads, want_grads):
        np.testing.assert_allclose(g.numpy(), h.numpy(), rtol=1e-10, atol=1e-14)


def test_trains_saves_and_loads(tmp_path):
    model = two_branch()
    x, y = data()
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    model.save(tmp_path / "f.npz")
    again = tf.keras.models.load_model(tmp_path / "f.npz")
    assert type(again).__name__ == "Functional"
    assert [l.name for l in again.layers] == [l.name for l in model.layers]
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    again.fit(x, y, epochs=1, batch_size=8, verbose=0)  # the optimizer state came back too


def test_seed_makes_weights_repeatable():
    first, second = two_branch(seed=3), two_branch(seed=3)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first.get_weights()[0], two_branch(seed=4).get_weights()[0])


def test_summary_lists_every_layer_with_its_shape():
    lines = []
    two_branch().summary(print_fn=lines.append)
    text = lines[0]
    assert "conv2d (Conv2D)" in text and "(None, 6, 6, 3)" in text and "concatenate (Concatenate)" in text
    assert "(None, 6)" in text and "Total params: 283" in text
    assert "concatenate (Concatenate)                          (None, 6)              0  global_average_pooling2d, add" in text


def test_two_inputs_and_a_shared_layer():
    left, right = rb.layers.Input((3,), name="left"), rb.layers.Input((3,), name="right")
    shared = rb.layers.Dense(2, name="shared")
    model = rb.Model([left, right], rb.layers.Add()([shared(left), shared(right)]))
    assert len(model.trainable_weights) == 2
    a, b = np.ones((4, 3), np.float32), np.zeros((4, 3), np.float32)
    want = a @ shared.kernel.numpy() + 2 * shared.bias.numpy()
    np.testing.assert_allclose(model([a, b]).numpy(), want, rtol=1e-6)
    with pytest.raises(ValueError, match="takes a list of 2 inputs"):
        model(a)


def test_mistakes_name_what_is_wrong():
    x = rb.layers.Input((4,))
    y = rb.layers.Dense(2)(x)
    with pytest.raises(TypeError, match="outputs must be symbolic tensors"):
        rb.Model(x, np.zeros(2))
    with pytest.raises(ValueError, match=r"Add 'add': inputs must have one shape"):
        rb.layers.Add()([x, y])
    with pytest.raises(ValueError, match=r"input 'input_layer' expects shape \(None, 4\), got \(2, 5\)"):
        rb.Model(x, y)(np.zeros((2, 5)))
    other = rb.layers.Input((4,))
    with pytest.raises(ValueError, match="not among the inputs"):
        rb.Model(x, rb.layers.Add()([y, rb.layers.Dense(2)(other)]))
