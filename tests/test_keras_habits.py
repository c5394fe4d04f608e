"""Keras habits get clear answers (issue 15, item 7)."""

import inspect

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from rosenblatt.compat.missing import NotInRosenblatt

# keras.callbacks.EarlyStopping's signature in Keras 3 (and 2.x since 2.11), written out
KERAS_EARLY_STOPPING = {"monitor": "val_loss", "min_delta": 0, "patience": 0, "verbose": 0, "mode": "auto",
                        "baseline": None, "restore_best_weights": False, "start_from_epoch": 0}


def small_model(seed=0):
    model = rb.Sequential([rb.layers.Dense(4, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy")
    return model


def circles():
    return rb.data.points.make_circles(n_samples=64, seed=0)


def test_early_stopping_takes_every_keras_argument_with_keras_defaults():
    params = inspect.signature(tf.keras.callbacks.EarlyStopping).parameters
    assert list(params) == list(KERAS_EARLY_STOPPING)
    assert {k: p.default for k, p in params.items()} == KERAS_EARLY_STOPPING
    tf.keras.callbacks.EarlyStopping(monitor="loss", min_delta=0.01, patience=3, verbose=1, mode="min",
                                     baseline=0.5, restore_best_weights=True, start_from_epoch=2)
    for bad in (dict(patience=-1), dict(verbose=-1), dict(start_from_epoch=1.5), dict(patience=True)):
        with pytest.raises(ValueError, match=next(iter(bad))):
            rb.training.EarlyStopping(**bad)


def test_early_stopping_verbose_says_when_it_stops_and_what_it_restores(capsys):
    x, y = circles()
    stop = rb.training.EarlyStopping(monitor="loss", min_delta=100.0, patience=0, verbose=1,
                                     restore_best_weights=True)
    history = small_model().fit(x, y, epochs=10, verbose=0, callbacks=[stop])
    out = capsys.readouterr().out
    assert len(history.epoch) == 2
    assert "Epoch 2: early stopping" in out and "best epoch: 1." in out
    rb.training.EarlyStopping(monitor="loss", min_delta=100.0, verbose=0).set_model(small_model())
    small_model().fit(x, y, epochs=10, verbose=0, callbacks=[rb.training.EarlyStopping(monitor="loss", min_delta=100.0)])
    assert capsys.readouterr().out == ""


def test_early_stopping_start_from_epoch_and_baseline():
    x, y = circles()
    stop = rb.training.EarlyStopping(monitor="loss", min_delta=100.0, start_from_epoch=4)
    assert len(small_model().fit(x, y, epochs=10, verbose=0, callbacks=[stop]).epoch) == 6  # watches from epoch 5
    # the loss improves every epoch, but never beats a baseline of 0: it counts as no improvement
    stop = rb.training.EarlyStopping(monitor="loss", patience=2, baseline=0.0)
    assert len(small_model().fit(x, y, epochs=10, verbose=0, callbacks=[stop]).epoch) == 2
    stop = rb.training.EarlyStopping(monitor="loss", patience=2)  # without a baseline it trains on
    assert len(small_model().fit(x, y, epochs=10, verbose=0, callbacks=[stop]).epoch) == 10


@pytest.mark.parametrize("name", ["m.keras", "m.h5", "M.HDF5"])
def test_save_refuses_a_keras_file_name_and_says_what_it_writes(tmp_path, name):
    model = small_model()
    model(np.zeros((1, 2)))
    with pytest.raises(ValueError, match=r"(?i)\.npz archive.*not Keras.s.*Save to .*m\.npz"):
        model.save(tmp_path / name)
    assert not (tmp_path / name).exists()
    with pytest.raises(ValueError, match=r"(?i)Save to .*m\.weights\.npz.*m\.weights\.h5"):
        model.save_weights(tmp_path / name)  # Keras 3 itself names a weights file ….weights.h5
    assert not (tmp_path / name).exists()
    model.save(tmp_path / "m.npz")
    assert rb.models.load_model(tmp_path / "m.npz").count_params() == model.count_params()


@pytest.mark.parametrize("expression, tf_name", [
    ("tf.keras.applications", "tf.keras.applications"), ("tf.random.normal", "tf.random"),
    ("tf.keras.layers.Conv3DTranspose", "tf.keras.layers.Conv3DTranspose"),
    ("tf.keras.optimizers.Lion", "tf.keras.optimizers.Lion"), ("tf.keras.callbacks.TensorBoard", None),
    ("tf.math.bessel_i0", None), ("tf.nn.conv3d", None), ("tf.data.TFRecordDataset", None),
    ("tf.keras.optimizers.schedules.PolynomialDecayWithWarmup", None), ("tf.keras.losses.Poissonish", None),
])
def test_a_name_keras_has_and_rosenblatt_lacks_says_so(expression, tf_name):
    with pytest.raises(NotInRosenblatt) as e:
        eval(expression, {"tf": tf})
    text = str(e.value)
    assert text.startswith((tf_name or expression) + " is TensorFlow's, and not part of rosenblatt yet")
    assert "rosenblatt.layers" not in text and "module" not in text  # no internal module named
    assert isinstance(e.value, AttributeError)  # hasattr and getattr(..., default) still work
    assert getattr(tf, "random", 42) == 42 and not hasattr(tf.keras, "applications" if "applications" in expression else "zzz")


def test_the_namespaces_follow_the_library_as_names_are_added(monkeypatch):
    # nothing is listed by hand: every public name of the aliased module is there, and a new one appears
    for name in rb.layers.__all__ if hasattr(rb.layers, "__all__") else dir(rb.layers):
        if not name.startswith("_"):
            assert getattr(tf.keras.layers, name) is getattr(rb.layers, name)
    assert "Dense" in dir(tf.keras.layers)

    class Conv9D(rb.layers.Layer):
        pass

    monkeypatch.setattr(rb.layers, "Conv9D", Conv9D, raising=False)
    assert tf.keras.layers.Conv9D is Conv9D
    from rosenblatt.compat.tensorflow.keras.layers import Dense  # importable by its TensorFlow path, too

    assert Dense is rb.layers.Dense


def test_fit_on_empty_data_is_an_error():
    model = small_model()
    with pytest.raises(ValueError, match=r"fit: no training data: x has 0 samples"):
        model.fit(np.zeros((0, 2)), np.zeros(0), epochs=3, verbose=0)
    with pytest.raises(ValueError, match=r"validation_split=0.5 of 1 samples leaves none"):
        model.fit(np.zeros((1, 2)), np.zeros(1), validation_split=0.5, verbose=0)
    empty = rb.data.Dataset.from_tensor_slices((np.zeros((0, 2)), np.zeros(0))).batch(4)
    with pytest.raises(ValueError, match="the Dataset gave no batches"):
        model.fit(empty, epochs=2, verbose=0)
    model.fit(np.zeros((4, 2)), np.zeros(4), verbose=0)
    with pytest.raises(ValueError, match="evaluate: no data"):
        model.evaluate(np.zeros((0, 2)), np.zeros(0))


@pytest.mark.parametrize("a, b, words", [
    ((2, 3), (2, 3), r"a's last axis \(3\) to equal b's second-to-last axis \(2\)"),
    ((3,), (4,), r"a's last axis \(3\) to equal b's only axis \(4\)"),
    ((2, 2, 3), (4, 3, 2), r"batch axes \(2,\) and \(4,\) do not broadcast"),
    ((), (3,), "at least one axis"),
])
def test_matmul_of_mismatched_shapes_names_both_shapes(a, b, words):
    with pytest.raises(ValueError) as e:
        tf.matmul(tf.ones(a), tf.ones(b))
    text = str(e.value)
    assert text.startswith(f"matmul: shapes {a} and {b}") and "gufunc" not in text and "signature" not in text
    assert __import__("re").search(words, text)
