"""Keras 3 ``.weights.h5`` files: the layout by hand, round trips, the real Keras reading rosenblatt's file and
rosenblatt reading Keras's (same predictions to 1e-6), and every refusal."""

import os
from pathlib import Path

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import interop
from rosenblatt.io import ModelFileError

h5py = pytest.importorskip("h5py")
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # Keras on NumPy 2

NAMES = ["mlp", "cat_conv", "cat_conv_bn", "flatten_net"]


def built(arch, name, seed):
    model = arch.BUILDERS[name](rb)
    model.build(model._input_shape)
    return arch.randomize(model, seed)


@pytest.fixture(scope="module")
def keras():
    os.environ.setdefault("KERAS_BACKEND", "torch")  # Keras 3 on the installed PyTorch
    return pytest.importorskip("keras")


def test_the_file_is_keras_3s_layout(arch, tmp_path):
    model = built(arch, "cat_conv_bn", seed=0)
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        assert sorted(f["layers"]) == sorted(
            ["reshape", "average_pooling2d", "normalization", "random_flip", "random_translation", "conv2d",
             "batch_normalization", "activation", "max_pooling2d", "conv2d_1", "batch_normalization_1",
             "activation_1", "max_pooling2d_1", "conv2d_2", "batch_normalization_2", "activation_2",
             "global_average_pooling2d", "dropout", "dense"])
        bn, layer = f["layers/batch_normalization_1/vars"], model.layers[10]
        assert bn.attrs["name"] == layer.name and list(bn) == ["0", "1", "2", "3"]
        for i, w in enumerate((layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance)):
            assert np.array_equal(bn[str(i)][()], w.numpy())
        assert np.array_equal(f["layers/conv2d/vars/0"][()], model.layers[5].kernel.numpy())  # HWIO, as Keras
        count = f["layers/normalization/vars/2"]
        assert count.shape == () and count.dtype == np.int32
        assert len(f["layers/dropout/vars"]) == 0 and f["vars"].attrs["name"] == model.name


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_is_bit_identical(arch, name, tmp_path):
    model, again = built(arch, name, seed=0), built(arch, name, seed=1)
    model.save_weights(tmp_path / "m.weights.h5")
    again.load_weights(tmp_path / "m.weights.h5")
    for w, v in zip(model.weights, again.weights):
        assert w.dtype == v.dtype and np.array_equal(w.numpy(), v.numpy()), w.name


def test_a_file_keras_wrote_predicts_what_keras_predicted():
    """tests/interop/data/keras_conv.weights.h5 was written by Keras 3 itself (make_keras_file.py beside it):
    checked without Keras installed."""
    data = Path(__file__).parent / "data"
    expected = np.load(data / "keras_conv_expected.npz")
    L = rb.layers
    model = rb.Sequential([L.Input((8, 8, 3)), L.Normalization(), L.Conv2D(4, 3, padding="same", activation="relu"),
                           L.BatchNormalization(), L.MaxPooling2D(2), L.Conv2D(2, 3, use_bias=False), L.Flatten(),
                           L.Dense(5, activation="relu"), L.Dense(1, activation="sigmoid")])
    model.load_weights(data / "keras_conv.weights.h5")
    assert not np.allclose(model.layers[2].moving_variance.numpy(), 1.0)  # the file's statistics, not the start
    np.testing.assert_allclose(model.predict(expected["x"]), expected["y"], rtol=0, atol=1e-6)


def _keras_model(keras, arch, name, x):
    model = arch.BUILDERS[name](keras)
    model(x[:1])
    return model


@pytest.mark.parametrize("name", NAMES)
def test_keras_reads_rosenblatts_file_and_rosenblatt_reads_keras(keras, arch, name, tmp_path):
    x = arch.inputs(name)
    ours = built(arch, name, seed=0)
    ours.save_weights(tmp_path / "ours.weights.h5")
    theirs = _keras_model(keras, arch, name, x)
    theirs.load_weights(tmp_path / "ours.weights.h5")
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours.predict(x), rtol=0, atol=1e-6)

    arch.randomize(theirs, seed=5)  # Keras's own numbers, into a fresh rosenblatt model
    theirs.save_weights(tmp_path / "theirs.weights.h5")
    again = built(arch, name, seed=9)
    again.load_weights(tmp_path / "theirs.weights.h5")
    for w, v in zip([w for w in theirs.weights if not w.path.endswith("count")], again.weights, strict=True):
        assert np.array_equal(np.asarray(w.numpy()), v.numpy()), w.path
    np.testing.assert_allclose(again.predict(x), np.asarray(theirs.predict(x, verbose=0)), rtol=0, atol=1e-6)


def _branches(lib):
    L = lib.layers
    x = L.Input((4,))
    a = L.Dense(3, activation="relu")(x)
    b = L.Dense(2, activation="tanh")(x)
    y = L.Dense(1, activation="sigmoid")(L.Concatenate()([a, b]))
    return lib.Model(x, y)


def test_a_functional_model_both_ways(keras, arch, tmp_path):
    ours = arch.randomize(_branches(rb), seed=0)
    assert interop.keras_weights.keys(ours) == ["input_layer", "dense", "dense_1", "concatenate", "dense_2"]
    ours.save_weights(tmp_path / "f.weights.h5")
    theirs = _branches(keras)
    theirs.load_weights(tmp_path / "f.weights.h5")
    x = np.random.default_rng(0).random((5, 4)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours.predict(x), rtol=0, atol=1e-6)
    theirs.compile("adam", "mse")
    theirs.fit(x, x[:, :1], verbose=0)  # a compiled model's file has an optimizer group too: ignored
    theirs.save_weights(tmp_path / "g.weights.h5")
    again = _branches(rb)
    again.load_weights(tmp_path / "g.weights.h5")
    np.testing.assert_allclose(again.predict(x), np.asarray(theirs.predict(x, verbose=0)), rtol=0, atol=1e-6)


def test_a_normalization_keras_made_from_given_statistics_keeps_its_own(tmp_path):
    """Keras's Normalization(mean=..., variance=...) holds its statistics as constants: its group is empty."""
    def build(seed):
        return rb.Sequential([rb.layers.Input((3,)), rb.layers.Normalization(mean=[1.0, 2.0, 3.0],
                                                                             variance=[4.0, 5.0, 6.0]),
                              rb.layers.Dense(2)], seed=seed)
    model = build(seed=0)
    model.save_weights(tmp_path / "m.weights.h5")
    _edit(tmp_path / "m.weights.h5", lambda f: [f["layers/normalization/vars"].pop(i) for i in "012"])
    again = build(seed=1)
    assert not np.array_equal(model.layers[1].kernel.numpy(), again.layers[1].kernel.numpy())
    again.load_weights(tmp_path / "m.weights.h5")
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))


def _nested(lib):
    L = lib.layers
    inner = lib.Sequential([L.Input((3,)), L.Dense(4, activation="relu"), L.Dense(2)])
    x = L.Input((3,))
    return lib.Model(x, L.Dense(1, activation="sigmoid")(L.Concatenate()([inner(x), L.Dense(2)(x)])))


def test_models_inside_models_nest_as_keras_nests_them(keras, arch, tmp_path):
    ours = arch.randomize(_nested(rb), seed=0)
    ours.save_weights(tmp_path / "n.weights.h5")
    with h5py.File(tmp_path / "n.weights.h5", "r") as f:
        assert sorted(f["layers/sequential/layers"]) == ["dense", "dense_1"]
    theirs = _nested(keras)
    theirs.load_weights(tmp_path / "n.weights.h5")
    x = np.random.default_rng(0).random((5, 3)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), ours.predict(x), rtol=0, atol=1e-6)
    arch.randomize(theirs, seed=1)
    theirs.save_weights(tmp_path / "k.weights.h5")
    again = _nested(rb)
    again.load_weights(tmp_path / "k.weights.h5")
    np.testing.assert_allclose(again.predict(x), np.asarray(theirs.predict(x, verbose=0)), rtol=0, atol=1e-6)
    with pytest.raises(ValueError, match=r"a model inside the model does not convert to PyTorch yet"):
        interop.torch_state_dict(rb.Sequential([rb.layers.Input((3,)), _nested(rb)]))


# -- refusals -----------------------------------------------------------------------------------------------------
def _edit(path, change):
    with h5py.File(path, "r+") as f:
        change(f)


@pytest.mark.parametrize("change, message", [
    (lambda f: f["layers"].pop("dense_1"), r"missing \['dense_1'\]"),
    (lambda f: f["layers"].create_group("conv2d"), r"unexpected \['conv2d'\]"),
    (lambda f: (f["layers/dense/vars"].pop("1"), f["layers/dense/vars"].create_dataset("1", data=np.zeros(3))),
     r"layers/dense \(Dense 'dense'\): vars/1 \(bias\) is float64 of shape \(3,\); the layer expects float32 of "
     r"shape \(7,\)"),
    (lambda f: f["layers/dense_2/vars"].pop("1"), r"layers/dense_2 \(Dense 'dense_2'\) has 1 arrays; the layer has 2"),
    (lambda f: f["layers/dense_1/vars/0"].__setitem__((1, 2), np.inf), r"holds inf at index \(1, 2\)"),
    (lambda f: f.pop("layers"), r"no 'layers' group"),
])
def test_a_file_that_does_not_fit_is_refused_and_nothing_is_set(arch, tmp_path, change, message):
    model = built(arch, "mlp", seed=0)
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    _edit(path, change)
    before = [w.copy() for w in arch.randomize(model, seed=3).get_weights()]
    with pytest.raises(ModelFileError, match=message):
        model.load_weights(path)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_a_subclassed_model_says_it_is_not_covered(tmp_path):
    class Mine(rb.Model):
        def __init__(self):
            super().__init__()
            self.dense = rb.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    model = Mine()
    model(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"'mine' \(Mine\) is neither a Sequential nor a functional model"):
        model.save_weights(tmp_path / "m.weights.h5")
    assert not (tmp_path / "m.weights.h5").exists()


@pytest.mark.parametrize("content", [b"", b"not HDF5 at all", b"\x89HDF\r\n\x1a\n" + b"\0" * 40])
def test_a_damaged_file_is_one_clear_error(arch, tmp_path, content):
    model = built(arch, "mlp", seed=0)
    model.save_weights(tmp_path / "good.weights.h5")
    truncated = (tmp_path / "good.weights.h5").read_bytes()[:1000]
    for data in (content, truncated):
        (tmp_path / "m.weights.h5").write_bytes(data)
        with pytest.raises(ModelFileError, match=r"m\.weights\.h5: "):
            model.load_weights(tmp_path / "m.weights.h5")
    with pytest.raises(FileNotFoundError):
        model.load_weights(tmp_path / "none.weights.h5")
