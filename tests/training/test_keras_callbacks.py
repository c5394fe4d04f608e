"""The callbacks Keras users expect, with Keras's names, arguments and numbers (worked out by hand here)."""

import csv
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.callbacks import (
    CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler, ModelCheckpoint, ReduceLROnPlateau,
    TerminateOnNaN,
)
from rosenblatt.compat import tensorflow as tf


def model_and_data(lr=0.05, dtype="float32"):
    x, y = rb.data.points.make_xor(96, seed=2)
    model = rb.Sequential([rb.layers.Input((2,), dtype=dtype), rb.layers.Dense(6, activation="tanh", dtype=dtype),
                           rb.layers.Dense(1, activation="sigmoid", dtype=dtype)], seed=0)
    model.compile(optimizer=rb.optimizers.SGD(lr), loss="binary_crossentropy", metrics=["accuracy"])
    return model, x, y


def test_they_are_under_tf_keras_callbacks():
    for name in ["ModelCheckpoint", "BackupAndRestore", "LearningRateScheduler", "TerminateOnNaN",
                 "ReduceLROnPlateau", "CSVLogger", "EarlyStopping", "LambdaCallback", "Callback", "History"]:
        assert getattr(tf.keras.callbacks, name) is getattr(rb.callbacks, name)


def test_learning_rate_scheduler_sets_eta_at_each_epoch_start():
    model, x, y = model_and_data(0.1)
    seen = []
    spy = LambdaCallback(on_epoch_begin=lambda epoch, logs: seen.append(model.optimizer.learning_rate))
    history = model.fit(x, y, epochs=4, verbose=0, callbacks=[
        LearningRateScheduler(lambda epoch, lr: lr if epoch < 2 else lr * 0.5), spy])
    assert seen == [0.1, 0.1, 0.05, 0.025]
    assert history.history["learning_rate"] == [0.1, 0.1, 0.05, 0.025]
    model.fit(x, y, epochs=2, verbose=0, callbacks=[LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))])
    assert model.optimizer.learning_rate == 0.02
    with pytest.raises(ValueError, match="LearningRateScheduler: the learning rate must be a finite number"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[LearningRateScheduler(lambda epoch: float("nan"))])


def test_reduce_lr_on_plateau_by_hand():
    """Keras's rule: the monitored value flat; patience 2, factor 0.5, cooldown 1."""
    model, x, y = model_and_data(0.1)
    flat = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(score=1.0))
    history = model.fit(x, y, epochs=8, verbose=0, callbacks=[
        flat, ReduceLROnPlateau(monitor="score", factor=0.5, patience=2, cooldown=1)])
    # epoch 0 best; 1 wait 1; 2 wait 2 -> 0.05, cooldown 1; 3 the cooldown ends (counter 0, wait 0), then
    # wait 1; 4 wait 2 -> 0.025; 5 wait 1; 6 wait 2 -> 0.0125.  Logs show the rate the epoch ran with.
    assert history.history["learning_rate"] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]
    assert model.optimizer.learning_rate == 0.0125
    with pytest.raises(ValueError, match="factor must be in"):
        ReduceLROnPlateau(factor=1.5)


def test_reduce_lr_on_plateau_respects_min_lr_and_improvement():
    model, x, y = model_and_data(0.1)
    values = iter([5.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0])
    feed = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(score=next(values)))
    history = model.fit(x, y, epochs=8, verbose=0, callbacks=[
        feed, ReduceLROnPlateau(monitor="score", factor=0.1, patience=2, min_lr=0.005)])
    assert history.history["learning_rate"] == [0.1, 0.1, 0.1, 0.1, 0.010000000000000002, 0.010000000000000002,
                                               0.010000000000000002, 0.005]


def test_terminate_on_nan_stops_after_the_batch():
    model, x, y = model_and_data()
    poison = LambdaCallback(on_train_batch_end=lambda batch, logs: logs.update(loss=float("nan")))
    model.fit(x, y, epochs=5, batch_size=16, verbose=0, callbacks=[poison, TerminateOnNaN()])
    assert model.optimizer.iterations == 1


def test_csv_logger_writes_the_history(tmp_path):
    model, x, y = model_and_data()
    path = tmp_path / "log.csv"
    history = model.fit(x, y, epochs=3, verbose=0, validation_data=(x, y), callbacks=[CSVLogger(path)])
    rows = list(csv.DictReader(open(path)))
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert list(rows[0]) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    for key in ("loss", "val_accuracy"):
        assert [float(r[key]) for r in rows] == history.history[key]
    model.fit(x, y, epochs=2, verbose=0, callbacks=[CSVLogger(path, separator=";", append=True)])
    lines = open(path).read().splitlines()
    assert len(lines) == 1 + 3 + 2 and lines[-1].startswith("1;")


def test_model_checkpoint_save_best_only_keeps_the_best_epoch(tmp_path):
    model, x, y = model_and_data(0.5)
    weights, path = [], tmp_path / "best.npz"
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: weights.append(model.get_weights()))
    history = model.fit(x, y, epochs=6, verbose=0, validation_data=(x[:30], y[:30]),
                        callbacks=[record, ModelCheckpoint(path, monitor="val_loss", save_best_only=True)])
    best = int(np.argmin(history.history["val_loss"]))
    for a, b in zip(rb.models.load_model(path).get_weights(), weights[best]):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_names_files_by_epoch_and_logs_and_saves_weights_only(tmp_path):
    model, x, y = model_and_data()
    pattern = str(tmp_path / "w-{epoch:02d}-{loss:.3f}.npz")
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[ModelCheckpoint(pattern, save_weights_only=True,
                                                                              monitor="loss")])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"w-{e + 1:02d}-{v:.3f}.npz" for e, v in enumerate(history.history["loss"])]
    other, _, _ = model_and_data()
    other.load_weights(tmp_path / names[-1])
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_model_checkpoint_every_n_batches(tmp_path):
    model, x, y = model_and_data()
    saved = []
    check = ModelCheckpoint(str(tmp_path / "m-{epoch}-{batch}.npz"), save_freq=4)
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[check])  # 6 batches an epoch, 12 in all
    saved = sorted(p.name for p in tmp_path.iterdir())
    assert saved == ["m-1-3.npz", "m-2-1.npz", "m-2-5.npz"]
    with pytest.raises(ValueError, match="'val_loss' is not in the logs"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(tmp_path / "b.npz", save_best_only=True)])


def test_early_stopping_restore_best_weights_restores_the_best_epoch():
    model, x, y = model_and_data(2.0)
    weights = []
    record = LambdaCallback(on_epoch_end=lambda epoch, logs: weights.append(model.get_weights()))
    values = iter([3.0, 2.0, 2.5, 1.0, 1.5, 1.6, 1.7, 1.8, 1.9])
    feed = LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(score=next(values)))
    stop = EarlyStopping(monitor="score", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=9, verbose=0, callbacks=[feed, record, stop])
    assert stop.best_epoch == 3 and history.epoch[-1] < 8
    assert any(np.any(a != b) for a, b in zip(weights[-1], weights[3]))  # training moved on after the best
    for a, b in zip(model.get_weights(), weights[3]):
        np.testing.assert_array_equal(a, b)


def test_lambda_callback_takes_keras_arguments_and_old_names():
    model, x, y = model_and_data()
    calls = {"begin": 0, "batch": 0, "old": 0, "end": []}
    cb = LambdaCallback(on_train_begin=lambda logs: calls.update(begin=calls["begin"] + 1),
                        on_train_batch_end=lambda batch, logs: calls.update(batch=calls["batch"] + 1),
                        on_batch_begin=lambda batch, logs: calls.update(old=calls["old"] + 1),
                        on_train_end=lambda logs: calls["end"].append(sorted(logs)))
    model.fit(x, y, epochs=2, batch_size=32, verbose=0, callbacks=[cb])
    assert calls == {"begin": 1, "batch": 6, "old": 6, "end": [["accuracy", "loss"]]}
    with pytest.raises(TypeError, match="unknown hook 'on_epoch_finish'"):
        LambdaCallback(on_epoch_finish=print)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_an_absurd_learning_rate_never_puts_inf_in_the_weights(dtype):
    """float32: η = 1e300 is inf, the first update overflows and is put back, fit stops with its warning;
    float64: the weights grow to ~1e299 but stay finite."""
    model, x, y = model_and_data(1e300, dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(x, y, epochs=3, verbose=0)
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert all(np.isfinite(v).all() for v in model.optimizer.get_state().values() if np.ndim(v))
    if dtype == "float32":
        assert any("No non-finite value was written" in str(w.message) for w in caught)


def test_early_stopping_counts_patience_as_keras_does():
    """Keras 3's rule, written out: wait += 1 each watched epoch, 0 again on an improvement (that beats the
    baseline), stop when wait >= patience and epoch > 0. Patience 2 on J = 1, 0.9, 0.95, 0.96, ... stops at
    epoch 3 (the second epoch without improvement), patience 0 and 1 at the first one (epoch 2)."""
    values = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98]
    for patience, expected in ((0, 2), (1, 2), (2, 3), (3, 4)):
        stop = EarlyStopping(monitor="score", patience=patience)
        stop.set_model(type("M", (), {"stop_training": False})())
        stop.on_train_begin()
        for epoch, value in enumerate(values):
            stop.on_epoch_end(epoch, {"score": value})
            if stop.model.stop_training:
                break
        assert stop.stopped_epoch == expected, patience
