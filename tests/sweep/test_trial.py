"""One trial: the same numbers as a hand-written fit, divergence and exceptions recorded, the lecture's decay."""

import json
import math

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import sweep
from rosenblatt.sweep.trial import Task, make_optimizer, run_trial


def trial(**kw):
    return sweep.grid(**kw)[0]


def test_a_trial_is_the_fit_a_user_would_write():
    t = trial(optimizer="adam", learning_rate=0.02, batch_size=50, seed=3)
    row = run_trial(t, Task(model="mlp", data="moons", epochs=5, n_samples=300, data_seed=7))
    x, y = rb.data.points.make_moons(n_samples=300, seed=7)
    x_val, y_val = rb.data.points.make_moons(n_samples=150, seed=8)
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="relu"),
                           rb.layers.Dense(8, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=3)
    model.compile(optimizer=rb.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=5, batch_size=50, verbose=0, seed=3, validation_data=(x_val, y_val))
    assert json.loads(row["curves"]) == history.history
    assert row["final_val_accuracy"] == history.history["val_accuracy"][-1]
    assert row["status"] == "ok" and row["reason"] == "" and row["epochs_run"] == 5
    assert row["initial_loss"] == pytest.approx(math.log(2), abs=0.05)


def test_decay_is_the_lecture_inverse_time_decay_per_epoch():
    opt = make_optimizer(trial(optimizer="sgd", learning_rate=0.5, decay=1.0), steps_per_epoch=10)
    lecture = lambda epoch_num: 0.5 / (1 + 1.0 * epoch_num)  # noqa: E731 - the lecture's formula, by hand
    for step in (0, 9, 10, 25, 99):
        opt.iterations = step
        assert opt.current_learning_rate() == pytest.approx(lecture(step // 10))


def test_a_diverging_trial_is_recorded_with_its_reason():
    row = run_trial(trial(optimizer="sgd", learning_rate=1e6, batch_size=32), Task(epochs=5, n_samples=200))
    assert row["status"] == "diverged"
    assert "loss" in row["reason"] and row["reason"]
    assert row["epochs_run"] < 5 or not row["final_loss"] <= 2 * row["initial_loss"]


def raises(seed):
    raise RuntimeError(f"no model for seed {seed}")


def not_compiled(seed):
    return rb.Sequential([rb.layers.Dense(1, activation="sigmoid")], seed=seed)


def test_an_exception_is_a_row_with_its_reason_not_a_crash():
    row = run_trial(trial(seed=4), Task(model=raises, epochs=1, n_samples=50))
    assert row["status"] == "error"
    assert row["reason"].startswith("RuntimeError: no model for seed 4")
    row = run_trial(trial(), Task(model=not_compiled, epochs=1, n_samples=50))
    assert row["status"] == "error" and "must return a compiled model" in row["reason"]


def test_arrays_and_a_callable_model():
    def model_fn(seed):
        m = rb.Sequential([rb.layers.Dense(1, activation="sigmoid")], seed=seed)
        m.compile(loss="binary_crossentropy", metrics=["accuracy"])
        return m

    x, y = rb.data.points.make_blobs(n_samples=100, seed=0)
    row = run_trial(trial(learning_rate=0.1), Task(model=model_fn, data=(x, y), epochs=10))
    assert row["status"] == "ok" and row["final_accuracy"] > 0.9 and math.isnan(row["final_val_loss"])
    assert row["data"].startswith("arrays:")


@pytest.mark.parametrize("kw, message", [
    ({"model": "resnet"}, "model must be one of"),
    ({"data": "mnist"}, "data must be one of"),
    ({"epochs": 0}, "epochs must be an int ≥ 1"),
    ({"data": (np.zeros(3),)}, "data must be a name or arrays"),
])
def test_task_refuses_bad_arguments(kw, message):
    with pytest.raises(ValueError, match=message):
        Task(**kw)


CATS = rb.datasets.catvnoncat.find_data()  # the command line's own search ($ROSENBLATT_DATA, the cache, ...)


@pytest.mark.skipif(CATS is None, reason="the cat data is not where rosenblatt looks (see README, Cat vs non-cat)")
def test_the_cat_data_a_logistic_unit_learns_it():
    pytest.importorskip("h5py")
    row = run_trial(trial(learning_rate=0.01, batch_size=32), Task(model="logistic", data="cats", epochs=10,
                                                                     cats_path=str(CATS)))
    assert row["status"] == "ok" and row["data"] == "cats"
    assert row["final_accuracy"] > 0.8 and row["final_loss"] < row["initial_loss"]


def test_missing_cat_data_is_an_error_row_naming_where_it_looked(tmp_path):
    row = run_trial(trial(), Task(model="logistic", data="cats", epochs=1, cats_path=str(tmp_path)))
    assert row["status"] == "error" and str(tmp_path) in row["reason"]
