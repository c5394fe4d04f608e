"""Ensemble: the mean of its members, predict / evaluate / summary, and one pickle-free file for all members."""

import numpy as np
import pytest

import rosenblatt as rb


class Scale(rb.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer="random_normal")

    def call(self, x):
        return x * self.w


def member(seed, hidden=4, extra=()):
    model = rb.Sequential([rb.layers.Input((2,)), *extra, rb.layers.Dense(hidden, activation="relu"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=seed)
    return model


def trained_members(k=3):
    x, y = rb.data.points.make_moons(120, seed=0)
    members = []
    for seed in range(k):
        m = member(seed)
        m.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy")
        m.fit(x, y, epochs=2, verbose=0, seed=seed)
        members.append(m)
    return members, x, y


def test_output_is_the_mean_of_the_members():
    members, x, y = trained_members()
    ensemble = rb.models.Ensemble(members)
    expected = np.mean([m.predict(x) for m in members], axis=0)
    np.testing.assert_allclose(ensemble.predict(x, batch_size=50), expected, rtol=1e-6)
    assert [m.name for m in ensemble.members] == ["sequential", "sequential_1", "sequential_2"]
    assert len(ensemble.weights) == sum(len(m.weights) for m in members)


def test_evaluate_after_compile_and_summary():
    members, x, y = trained_members()
    ensemble = rb.models.Ensemble(members)
    ensemble.compile(loss="binary_crossentropy", metrics=["accuracy"])
    loss, accuracy = ensemble.evaluate(x, y)
    p = ensemble.predict(x)[:, 0]
    assert accuracy == pytest.approx(np.mean((p > 0.5) == y))
    assert loss == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), rel=1e-5)
    text = []
    ensemble.summary(print_fn=text.append)
    assert "sequential_2 (Sequential)" in text[0] and "(None, 1)" in text[0]


def test_save_and_load_in_one_file_without_pickle(tmp_path):
    members, x, y = trained_members()
    ensemble = rb.models.Ensemble(members, name="three")
    ensemble.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    path = tmp_path / "ensemble.npz"
    ensemble.save(path)
    with np.load(path, allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)
    again = rb.models.load_model(path)
    assert isinstance(again, rb.models.Ensemble) and again.name == "three" and len(again.members) == 3
    np.testing.assert_array_equal(again.predict(x), ensemble.predict(x))
    assert again.evaluate(x, y) == pytest.approx(ensemble.evaluate(x, y))


def test_members_of_other_shapes_and_nested_ensembles_round_trip(tmp_path):
    x = np.random.default_rng(0).normal(size=(5, 2)).astype(np.float32)
    inner = rb.models.Ensemble([member(0, hidden=3), member(1, hidden=7)])
    outer = rb.models.Ensemble([inner, member(2, hidden=5)])
    outer.save(tmp_path / "nested.npz")
    again = rb.models.load_model(tmp_path / "nested.npz")
    np.testing.assert_array_equal(again.predict(x), outer.predict(x))
    assert isinstance(again.members[0], rb.models.Ensemble)


def test_a_member_with_a_custom_layer_needs_its_class(tmp_path):
    ensemble = rb.models.Ensemble([member(0, extra=[Scale()]), member(1)])
    path = tmp_path / "custom.npz"
    ensemble.save(path)
    with pytest.raises(ValueError, match=r"custom_objects=\{'Scale': Scale\}"):
        rb.models.load_model(path)
    again = rb.models.load_model(path, custom_objects={"Scale": Scale})
    x = np.ones((2, 2), dtype=np.float32)
    np.testing.assert_array_equal(again.predict(x), ensemble.predict(x))


def test_bad_members_are_clear_errors():
    with pytest.raises(ValueError, match="non-empty"):
        rb.models.Ensemble([])
    with pytest.raises(ValueError, match="member 1 must be a model or layer, got str"):
        rb.models.Ensemble([member(0), "model.npz"])
    two_outputs = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"differ in shape: \[\(1, 1\), \(1, 2\)\]"):
        rb.models.Ensemble([member(0), two_outputs])(np.zeros((1, 2)))
