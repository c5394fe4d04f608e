"""The learning-rate range test: its curve by the formulas, its suggestions against real 20-epoch runs."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import sweep


def mlp(optimizer="adam", seed=0):
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="relu"),
                           rb.layers.Dense(8, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def circles():
    return rb.data.points.make_circles(n_samples=1000, seed=0)


def test_curve_follows_the_formulas(circles):
    found = sweep.lr_find(mlp(), *circles, start_lr=1e-5, end_lr=1.0, num_iter=120, stop_div=False)
    i = np.arange(120)
    assert np.allclose(found.learning_rates, 1e-5 * (1.0 / 1e-5) ** (i / 119), rtol=1e-12)
    v, by_hand = 0.0, []
    for k, loss in enumerate(found.losses):  # v = β v + (1 − β) J, Ĵ = v / (1 − β^(k+1)), written out
        v = 0.98 * v + 0.02 * loss
        by_hand.append(v / (1 - 0.98 ** (k + 1)))
    assert np.allclose(found.smoothed, by_hand, rtol=1e-12)
    read = slice(12, -5)  # the first tenth and the last 5 steps are not read
    lrs, smooth = found.learning_rates[read], found.smoothed[read]
    assert found.lr_at_minimum == lrs[np.argmin(smooth)]
    assert found.suggestion_minimum == pytest.approx(found.lr_at_minimum / 10)
    slopes = np.diff(smooth) / np.diff(np.log(lrs))
    assert found.suggestion_steep == lrs[np.argmin(slopes[:np.argmin(smooth)])]


def test_suggestions_lie_where_a_20_epoch_run_converges(circles):
    # over five starting points: the minimum-based suggestion of one start can be an outlier (seed 0 puts the
    # smoothed loss's minimum at 4.3, so its suggestion is 0.43, above the largest rate that converges)
    found = [sweep.lr_find(mlp("adam", seed=s), *circles) for s in range(5)]
    rates = [3.0, 1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5]
    rows = sweep.run(sweep.grid(optimizer="adam", learning_rate=rates), "mlp", "circles", epochs=20,
                     workers=2, progress=False)
    converged = [r["learning_rate"] for r in rows if r["status"] == "ok" and r["final_val_accuracy"] >= 0.97]
    assert min(converged) > 3e-5 and max(converged) < 3.0  # the range has two ends: the test can fail
    for kind in ("suggestion_steep", "suggestion_minimum"):
        suggestions = [getattr(f, kind) for f in found]
        inside = [min(converged) <= v <= max(converged) for v in suggestions]
        assert sum(inside) >= 4 and min(converged) <= np.median(suggestions) <= max(converged), \
            (kind, suggestions, converged)


def test_weights_are_restored_and_the_optimizer_untouched(circles):
    x, y = circles
    model, twin = mlp(), mlp()
    optimizer, before = model.optimizer, model.get_weights()
    found = sweep.lr_find(model, x, y, num_iter=60)
    assert found.stopped_early or len(found.losses) == 60
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert model.optimizer is optimizer and optimizer.iterations == 0 and optimizer.learning_rate == 0.001
    # and training afterwards is exactly training a model that never saw the range test
    h1 = model.fit(x, y, epochs=2, batch_size=32, verbose=0, seed=1).history
    h2 = twin.fit(x, y, epochs=2, batch_size=32, verbose=0, seed=1).history
    assert h1 == h2


def test_a_blow_up_stops_the_test_and_still_restores(circles):
    x, y = circles
    model = mlp("sgd")
    before = model.get_weights()
    found = sweep.lr_find(model, x, y, start_lr=1e-2, end_lr=1e7, num_iter=200)
    assert found.stopped_early and len(found.losses) < 200
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


@pytest.mark.parametrize("kw, message", [
    ({"start_lr": 0}, "start_lr must be a number > 0"),
    ({"end_lr": 1e-9}, "end_lr must be a number > 1e-07"),
    ({"num_iter": 1.5}, "num_iter must be an int"),
    ({"beta": 1.0}, r"beta must be in \[0, 1\)"),
])
def test_bad_arguments_are_named(circles, kw, message):
    with pytest.raises(ValueError, match=message):
        sweep.lr_find(mlp(), *circles, **kw)


def test_an_uncompiled_model_is_refused(circles):
    model = rb.Sequential([rb.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="compile the model first"):
        sweep.lr_find(model, *circles)
