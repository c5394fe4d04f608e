import os
import zipfile

import numpy as np
import pytest

import rosenblatt as rb


class Scale(rb.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer="random_normal")

    def call(self, x):
        return x * self.w


def trained(tmp_path):
    x, y = rb.data.points.make_xor(200, seed=0)
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="tanh"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=1)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=3, verbose=0, seed=0)
    return model, x, y


def test_round_trip_keeps_predictions_and_optimizer_state(tmp_path):
    model, x, y = trained(tmp_path)
    path = tmp_path / "model.npz"
    model.save(path)
    again = rb.models.load_model(path)
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    assert again.optimizer.iterations == model.optimizer.iterations
    # training resumes exactly: one more epoch on both gives the same weights
    model.fit(x, y, epochs=1, verbose=0, shuffle=False)
    again.fit(x, y, epochs=1, verbose=0, shuffle=False)
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_file_has_no_pickle(tmp_path):
    model, _, _ = trained(tmp_path)
    path = tmp_path / "model.npz"
    model.save(path)
    with np.load(path, allow_pickle=False) as data:
        for key in data.files:
            assert data[key].dtype != object


def test_custom_layer_needs_its_class(tmp_path):
    model = rb.Sequential([rb.layers.Input((3,)), Scale(), rb.layers.Dense(1)])
    path = tmp_path / "custom.npz"
    model.save(path)
    with pytest.raises(ValueError, match=r"custom_objects=\{'Scale': Scale\}"):
        rb.models.load_model(path)
    again = rb.models.load_model(path, custom_objects={"Scale": Scale})
    np.testing.assert_array_equal(again.layers[0].w.numpy(), model.layers[0].w.numpy())


def test_a_crash_mid_save_leaves_the_old_file(tmp_path, monkeypatch):
    model, x, _ = trained(tmp_path)
    path = tmp_path / "model.npz"
    model.save(path)
    before = path.read_bytes()

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("killed mid-save")

    monkeypatch.setattr(np.lib.format, "write_array", boom)
    with pytest.raises(KeyboardInterrupt):
        model.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "json", "pickle"])
def test_damaged_or_hostile_files_are_clear_errors(tmp_path, damage):
    model, _, _ = trained(tmp_path)
    path = tmp_path / "model.npz"
    model.save(path)
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    elif damage == "json":
        np.savez(path, format=np.array("rosenblatt.model/1"), config=np.array("{not json"))
    else:  # an object array needs pickle to load: it must be refused, never unpickled
        np.savez(path, format=np.array("rosenblatt.model/1"), config=np.array([{"evil": 1}], dtype=object))
    with pytest.raises(ValueError):
        rb.models.load_model(path)


def test_weights_only(tmp_path):
    model, x, _ = trained(tmp_path)
    path = tmp_path / "w.npz"
    model.save_weights(path)
    other = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="tanh"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=9)
    other.load_weights(path)
    np.testing.assert_array_equal(other.predict(x), model.predict(x))
    wrong = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(3)])
    with pytest.raises(ValueError, match="weights"):
        wrong.load_weights(path)


def test_a_model_with_non_finite_weights_is_refused_at_save_not_at_load(tmp_path):
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1)])
    model.layers[0].kernel._value[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"weight 0 \(kernel\) holds non-finite values"):
        model.save(tmp_path / "m.npz")
    assert os.listdir(tmp_path) == []
