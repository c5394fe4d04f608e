import warnings

import numpy as np
import pytest

import rosenblatt as rb


def circles(n=400, seed=0):
    return rb.data.points.make_circles(n_samples=n, noise=0.05, seed=seed)


def model_for(seed=0, dtype=None, hidden="relu"):
    kw = {} if dtype is None else {"dtype": dtype}
    return rb.Sequential([rb.layers.Dense(8, activation=hidden, **kw), rb.layers.Dense(8, activation=hidden, **kw),
                          rb.layers.Dense(1, activation="sigmoid", **kw)], seed=seed)


def test_fit_learns_a_non_linear_set_and_returns_history():
    x, y = circles()
    model = model_for()
    model.compile(optimizer=rb.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=40, batch_size=32, verbose=0, seed=0)
    assert len(history.history["loss"]) == 40
    assert history.history["loss"][-1] < history.history["loss"][0] / 5
    loss, acc = model.evaluate(x, y)
    assert acc > 0.97
    assert model.predict(x[:5]).shape == (5, 1)


def test_fit_is_repeatable_with_seeds():
    x, y = circles()
    runs = []
    for _ in range(2):
        model = model_for(seed=3)
        model.compile(optimizer="sgd", loss="binary_crossentropy")
        runs.append(model.fit(x, y, epochs=3, verbose=0, seed=5).history["loss"])
    assert runs[0] == runs[1]


def test_float64_end_to_end():
    x, y = circles()
    model = model_for(dtype="float64")
    model.compile(optimizer=rb.optimizers.SGD(0.1), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=1, verbose=0)
    assert all(w.dtype == np.float64 for w in model.weights)
    with rb.GradientTape() as tape:
        loss = model.loss(y, model(x))
    assert loss.dtype == np.float64
    assert all(g.dtype == np.float64 for g in tape.gradient(loss, model.trainable_weights))


def test_validation_data_and_split_and_early_stopping():
    x, y = circles()
    model = model_for()
    model.compile(optimizer=rb.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    stop = rb.training.EarlyStopping(monitor="val_loss", patience=0, min_delta=10.0, restore_best_weights=True)
    history = model.fit(x, y, epochs=20, validation_split=0.25, verbose=0, callbacks=[stop])
    assert "val_loss" in history.history and "val_accuracy" in history.history
    assert len(history.epoch) == 2  # nothing improves by 10, so it stops after patience


def test_fit_on_a_dataset():
    x, y = circles()
    ds = rb.data.Dataset.from_tensor_slices((x, y)).shuffle(400, seed=0).batch(50)
    model = model_for()
    model.compile(optimizer=rb.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(ds, epochs=30, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def test_progress_bar_is_shown(capsys):
    pytest.importorskip("tqdm")
    x, y = circles(100)
    model = model_for()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, verbose=1)
    out = capsys.readouterr()
    assert "Epoch 2/2" in out.out + out.err


def test_divergence_stops_with_a_message_and_finite_weights():
    x, y = circles()
    model = rb.Sequential([rb.layers.Dense(8), rb.layers.Dense(1)], seed=0)
    model.compile(optimizer=rb.optimizers.SGD(5.0), loss="mse")  # far too large: it blows up
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, y, epochs=50, verbose=0)
    assert history.stopped_reason and "Training stopped" in history.stopped_reason
    assert any("Training stopped" in str(w.message) for w in caught)
    assert all(np.isfinite(w.numpy()).all() for w in model.weights)
    assert len(history.epoch) < 50


@pytest.mark.parametrize("kwargs,match", [
    (dict(x=np.array([["a", "b"]]), y=np.array([1.0])), "must be numbers"),
    (dict(x=np.zeros((3, 2)), y=np.array([0.0, np.nan, 1.0])), "NaN"),
    (dict(x=np.zeros((3, 2)), y=np.zeros(4)), "3 samples but y has 4"),
    (dict(x=np.zeros((3, 2)), y=np.zeros(3), batch_size=0), "batch_size must be a positive integer, got 0"),
    (dict(x=np.zeros((3, 5)), y=np.zeros(3)), r"expects 2 input features, got 5"),
    (dict(x=np.float64(1.0), y=np.zeros(3)), "scalar"),
    (dict(x=np.zeros(3), y=np.zeros(3)), r"expects inputs of shape \(batch, 2\), got shape \(3,\)"),
    (dict(x=np.array([[0.0, 1.0], [np.nan, 0.0], [1.0, 1.0]]), y=np.zeros(3)), r"inputs x contain nan at index \(1, 0\)"),
    (dict(x=np.array([[0.0, 1.0], [2.0, -np.inf]]), y=np.zeros(2)), r"inputs x contain -inf at index \(1, 1\)"),
    (dict(x=np.zeros((3, 2)), y=np.array([0.0, 255.0, 255.0])), r"labels in \[0, 1\].*0.0 to 255.0 \(divide by 255\?\)"),
    (dict(x=np.zeros((3, 2)), y=np.array([0, -1, 1])), r"labels in \[0, 1\].*from -1 to 1"),
])
def test_bad_input_is_a_clear_value_error(kwargs, match):
    model = model_for()
    model.build((None, 2))
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    with pytest.raises(ValueError, match=match):
        model.fit(**kwargs, verbose=0)


def test_wrong_shape_names_the_layer_and_both_shapes():
    model = rb.Sequential([rb.layers.Dense(20), rb.layers.Dense(7), rb.layers.Dense(1)])
    model.build((None, 20))
    with pytest.raises(ValueError, match=r"Dense 'dense' expects 20 input features, got 12288"):
        model(np.zeros((2, 12288)))
    with pytest.raises(ValueError, match=r"y_true has shape \(2, 3\) but y_pred has shape \(2, 1\)"):
        rb.losses.BinaryCrossentropy()(np.zeros((2, 3)), model(np.zeros((2, 20))))


def test_fit_needs_compile():
    with pytest.raises(ValueError, match="compile"):
        model_for().fit(np.zeros((2, 2)), np.zeros(2))


def test_shuffled_batches_gathered_into_one_buffer_are_the_rows_of_the_permutation():
    from rosenblatt.training.data_adapter import array_batches

    x = np.arange(70, dtype=np.float32).reshape(35, 2)
    y = np.arange(35)
    fresh = [(xb.copy(), yb) for xb, yb, _ in array_batches(x, y, None, 8, True, np.random.default_rng(3))]
    seen = []
    for xb, yb, _ in array_batches(x, y, None, 8, True, np.random.default_rng(3), reuse=True):
        np.testing.assert_array_equal(xb, x[yb])  # this batch's rows, whatever the buffer held before
        seen.append((xb.copy(), yb))
    assert len(seen) == len(fresh) == 5 and len(seen[-1][1]) == 3
    for (a, ya), (b, yb) in zip(fresh, seen):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(ya, yb)
