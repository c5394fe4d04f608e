"""ONNX export: every layer type, the functional API, the cat models, run in ONNX Runtime against ``model.predict``.

"The same predictions to 1e-6": |onnx − predict| ≤ 1e-6 + 1e-6·|predict| element by element (float32).
"""

from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

import rosenblatt as rb  # noqa: E402
from rosenblatt.activations import _BY_NAME  # noqa: E402  (every built-in activation's name)
from rosenblatt.interop import export_onnx, to_onnx  # noqa: E402
from rosenblatt.interop.onnx_layers import ACTIVATIONS, CONVERTERS  # noqa: E402
from rosenblatt.layers import BUILT_IN  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "catvnoncat"
needs_data = pytest.mark.skipif(not (DATA / "train_catvnoncat.h5").exists(), reason="the cat data is not available")
L = rb.layers


def session(proto):
    return ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])


def run_onnx(model, *xs, opset=17):
    proto = to_onnx(model, opset=opset)
    s = session(proto)
    return s.run(None, {i.name: x for i, x in zip(s.get_inputs(), xs)})


def assert_same(model, *xs, opset=17):
    """The ONNX graph of ``model`` gives ``model.predict``'s outputs to 1e-6; returns the largest difference."""
    got = run_onnx(model, *xs, opset=opset)
    if len(xs) == 1 and len(got) == 1:
        want = [model.predict(xs[0])]
    else:  # predict takes one array and gives one: call the model as predict does, without recording
        with rb.autodiff.tape.no_recording():
            want = [np.asarray(y) for y in model(list(xs) if len(xs) > 1 else xs[0], training=False)]
    assert len(got) == len(want)
    worst = 0.0
    for g, w in zip(got, want):
        assert g.shape == w.shape and g.dtype == w.dtype == np.float32
        np.testing.assert_allclose(g, w, rtol=1e-6, atol=1e-6)
        worst = max(worst, float(np.max(np.abs(g - w))))
    return worst


def rand(*shape, seed=0, scale=1.0):
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(np.float32)


def stats_set(layer, seed=1):
    """Give a BatchNormalization or Normalization statistics and γ, β far from their start."""
    rng = np.random.default_rng(seed)
    for w in layer.weights:
        name = w.name.split("/")[-1]
        positive = "variance" in name or "gamma" in name
        w.assign((rng.uniform(0.5, 2.0, w.shape) if positive else rng.normal(0, 1, w.shape)).astype(np.float32))


def seq(*layers, shape):
    return rb.Sequential([L.Input(shape)] + list(layers), seed=0)


def _bn_model(axis, shape):
    bn = L.BatchNormalization(axis=axis)
    model = seq(bn, shape=shape)
    stats_set(bn)
    return model


def _norm_model():
    norm = L.Normalization()
    model = seq(norm, L.Dense(2), shape=(4,))
    norm.adapt(rand(50, 4, seed=3, scale=3.0) + 5.0)
    return model


# (id, class covered, model factory, input) — one case at least for every class in BUILT_IN
CASES = [
    ("dense-relu", L.Dense, lambda: seq(L.Dense(6, activation="relu"), shape=(5,)), rand(9, 5)),
    ("dense-no-bias", L.Dense, lambda: seq(L.Dense(3, use_bias=False), shape=(5,)), rand(9, 5)),
    ("dense-3d", L.Dense, lambda: seq(L.Dense(3, activation="tanh"), shape=(4, 5)), rand(9, 4, 5)),
    ("activation-softmax", L.Activation, lambda: seq(L.Activation("softmax"), shape=(6,)), rand(9, 6, scale=4)),
    ("conv-valid", L.Conv2D, lambda: seq(L.Conv2D(4, 3), shape=(7, 8, 3)), rand(5, 7, 8, 3)),
    ("conv-same-odd", L.Conv2D, lambda: seq(L.Conv2D(4, (4, 3), padding="same", activation="relu"), shape=(7, 8, 3)),
     rand(5, 7, 8, 3)),
    ("conv-strides-same", L.Conv2D, lambda: seq(L.Conv2D(3, 3, strides=(2, 3), padding="same"), shape=(9, 10, 2)),
     rand(4, 9, 10, 2)),
    ("conv-strides-valid", L.Conv2D, lambda: seq(L.Conv2D(3, 2, strides=2, use_bias=False), shape=(9, 9, 2)),
     rand(4, 9, 9, 2)),
    ("conv-dilation-same", L.Conv2D, lambda: seq(L.Conv2D(3, 3, dilation_rate=(2, 1), padding="same",
                                                          activation="elu"), shape=(8, 7, 2)), rand(4, 8, 7, 2)),
    ("conv-dilation-valid", L.Conv2D, lambda: seq(L.Conv2D(3, 2, dilation_rate=2), shape=(8, 7, 2)), rand(4, 8, 7, 2)),
    ("conv-softmax", L.Conv2D, lambda: seq(L.Conv2D(5, 1, activation="softmax"), shape=(4, 4, 3)), rand(3, 4, 4, 3)),
    ("maxpool", L.MaxPooling2D, lambda: seq(L.MaxPooling2D(2), shape=(7, 9, 3)), rand(4, 7, 9, 3)),
    ("maxpool-same-strides", L.MaxPooling2D, lambda: seq(L.MaxPooling2D(3, strides=2, padding="same"),
                                                         shape=(7, 8, 2)), rand(4, 7, 8, 2)),
    ("avgpool", L.AveragePooling2D, lambda: seq(L.AveragePooling2D((2, 3)), shape=(7, 9, 3)), rand(4, 7, 9, 3)),
    ("avgpool-same", L.AveragePooling2D, lambda: seq(L.AveragePooling2D(3, strides=2, padding="same"),
                                                     shape=(7, 8, 2)), rand(4, 7, 8, 2)),
    ("global-avg", L.GlobalAveragePooling2D, lambda: seq(L.GlobalAveragePooling2D(), shape=(5, 6, 3)),
     rand(4, 5, 6, 3)),
    ("global-avg-keepdims", L.GlobalAveragePooling2D, lambda: seq(L.GlobalAveragePooling2D(keepdims=True),
                                                                  shape=(5, 6, 3)), rand(4, 5, 6, 3)),
    ("global-max", L.GlobalMaxPooling2D, lambda: seq(L.GlobalMaxPooling2D(), shape=(5, 6, 3)), rand(4, 5, 6, 3)),
    ("batchnorm-rows", L.BatchNormalization, lambda: _bn_model(-1, (6,)), rand(8, 6)),
    ("batchnorm-images", L.BatchNormalization, lambda: _bn_model(-1, (4, 5, 3)), rand(8, 4, 5, 3)),
    ("batchnorm-axis1", L.BatchNormalization, lambda: _bn_model(1, (4, 5, 3)), rand(8, 4, 5, 3)),
    ("dropout", L.Dropout, lambda: seq(L.Dense(4), L.Dropout(0.5, seed=0), shape=(3,)), rand(6, 3)),
    ("flatten-after-conv", L.Flatten, lambda: seq(L.Conv2D(3, 2), L.Flatten(), L.Dense(2), shape=(5, 4, 2)),
     rand(6, 5, 4, 2)),
    ("reshape", L.Reshape, lambda: seq(L.Reshape((4, -1)), L.Dense(2), shape=(12,)), rand(6, 12)),
    ("normalization", L.Normalization, _norm_model, rand(6, 4, scale=3.0)),
    ("random-flip", L.RandomFlip, lambda: seq(L.RandomFlip(seed=0), shape=(4, 4, 1)), rand(3, 4, 4, 1)),
    ("random-translation", L.RandomTranslation, lambda: seq(L.RandomTranslation(0.3, 0.3, seed=0), shape=(6, 6, 1)),
     rand(3, 6, 6, 1)),
    ("input-layer", L.InputLayer, lambda: rb.Sequential([L.InputLayer(shape=(3,)), L.Dense(2)], seed=0), rand(4, 3)),
]


def _functional_concat():
    x = L.Input((4,))
    a, b = L.Dense(3, activation="relu")(x), L.Dense(2, activation="tanh")(x)
    return rb.Model(inputs=x, outputs=L.Dense(1, activation="sigmoid")(L.Concatenate()([a, b])))


def _functional_add():
    x = L.Input((6, 6, 2))
    y = L.Conv2D(2, 3, padding="same", activation="relu")(x)
    return rb.Model(inputs=x, outputs=L.GlobalMaxPooling2D()(L.Add()([x, y, L.Conv2D(2, 1)(x)])))


def _trained(layer, shape):
    """A model with the trainable activation ``layer``, its parameters moved off their starting values."""
    model = seq(L.Dense(shape[-1]), layer, shape=shape)
    rng = np.random.default_rng(4)
    for w in layer.weights:
        w.assign(rng.normal(0, 0.7, w.shape).astype(np.float32))
    return model


CASES += [("prelu", L.PReLU, lambda: _trained(L.PReLU(), (5,)), rand(9, 5)),
          ("prelu-shared-images", L.PReLU, lambda: seq(L.Conv2D(3, 2), L.PReLU(shared_axes=[1, 2]),
                                                       shape=(5, 5, 2)), rand(4, 5, 5, 2)),
          ("swish", L.Swish, lambda: _trained(L.Swish(), (4,)), rand(9, 4, scale=3)),
          ("apl", L.AdaptivePiecewiseLinear, lambda: _trained(L.AdaptivePiecewiseLinear(hinges=3), (4,)),
           rand(9, 4, scale=2)),
          ("apl-images", L.AdaptivePiecewiseLinear, lambda: seq(L.Conv2D(2, 1), L.AdaptivePiecewiseLinear(
              shared_axes=[1, 2]), shape=(4, 4, 3)), rand(3, 4, 4, 3))]

CASES += [("concatenate", L.Concatenate, _functional_concat, rand(7, 4)),
          ("add-residual", L.Add, _functional_add, rand(3, 6, 6, 2))]


@pytest.mark.parametrize("factory, x", [pytest.param(f, x, id=i) for i, _, f, x in CASES])
def test_each_layer_type_gives_predict(factory, x):
    assert_same(factory(), x)


def test_every_built_in_layer_has_a_case_and_a_converter():
    covered = {cls for _, cls, _, _ in CASES}
    assert set(BUILT_IN.values()) <= covered, sorted(c.__name__ for c in set(BUILT_IN.values()) - covered)
    assert set(BUILT_IN.values()) <= set(CONVERTERS)


@pytest.mark.parametrize("name", sorted(set(_BY_NAME) - {"silu"}))
def test_dense_and_activation_with_every_activation(name):
    assert name in ACTIVATIONS
    x = rand(64, 5, scale=4.0)
    assert_same(seq(L.Dense(7, activation=name), shape=(5,)), x)
    assert_same(seq(L.Activation(name), shape=(5,)), x)
    assert_same(seq(L.Conv2D(3, 2, activation=name), shape=(4, 4, 2)), rand(4, 4, 4, 2, scale=2.0))


@pytest.mark.parametrize("opset", [13, 17, 18, 20, 21])
def test_opsets(opset):
    model = seq(L.Conv2D(3, 3, padding="same", activation="gelu"), L.GlobalAveragePooling2D(), L.Dense(2,
                activation="softmax"), shape=(6, 6, 2))
    assert_same(model, rand(3, 6, 6, 2), opset=opset)
    assert to_onnx(model, opset=opset).opset_import[0].version == opset


def test_bad_opset_is_refused():
    model = seq(L.Dense(1), shape=(2,))
    for opset in (12, 10 ** 4, "17", True):
        with pytest.raises(ValueError, match="opset must be an int from 13"):
            to_onnx(model, opset=opset)


def test_conv_pool_chain_has_one_transpose_pair():
    model = seq(L.Conv2D(3, 3, activation="relu"), L.MaxPooling2D(2), L.Conv2D(4, 2), L.AveragePooling2D(1),
                L.Flatten(), shape=(9, 9, 2))
    ops = [n.op_type for n in to_onnx(model).graph.node]
    assert ops.count("Transpose") == 2, ops
    assert_same(model, rand(3, 9, 9, 2))


def test_flatten_order_is_channels_last():
    """A Dense after Flatten reads (row, column, channel) order: an NCHW flattening would give other numbers."""
    model = seq(L.Conv2D(3, 1, kernel_initializer="ones", use_bias=False), L.Flatten(), shape=(2, 2, 1))
    x = np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1)
    (got,) = run_onnx(model, x)
    np.testing.assert_array_equal(got[0], np.repeat(np.arange(4.0), 3))  # by hand: each pixel's 3 channels


def test_functional_two_branches_two_inputs_two_outputs():
    a, b = L.Input((3,), name="left"), L.Input((2,), name="right")
    h = L.Dense(4, activation="relu")(a)
    joined = L.Concatenate()([h, L.Dense(4)(b)])
    out1 = L.Dense(1, activation="sigmoid", name="p")(joined)
    out2 = L.Add()([h, L.Dense(4, activation="swish")(joined)])
    model = rb.Model(inputs=[a, b], outputs=[out1, out2])
    proto = to_onnx(model)
    assert [i.name for i in proto.graph.input] == ["left", "right"]
    assert [o.name for o in proto.graph.output] == ["p", "add"]
    assert_same(model, rand(5, 3), rand(5, 2, seed=1))


def test_two_outputs_of_one_layer_get_two_names():
    x = L.Input((3,))
    y = L.Dense(2, name="p")(x)
    model = rb.Model(inputs=x, outputs=[y, y])
    assert [o.name for o in to_onnx(model).graph.output] == ["p", "p_1"]


def test_shared_layer_weights_are_stored_once():
    dense = L.Dense(3)
    x = L.Input((3,))
    model = rb.Model(inputs=x, outputs=dense(dense(x)))
    proto = to_onnx(model)
    assert sorted(t.name for t in proto.graph.initializer) == ["dense/bias", "dense/kernel"]
    assert_same(model, rand(4, 3))


def test_nested_models_ensemble_and_test_time_augmentation():
    members = [seq(L.Reshape((4, 4, 1)), L.Conv2D(2, 3, padding="same", activation="relu"), L.Flatten(),
                   L.Dense(1, activation="sigmoid"), shape=(16,)) for _ in range(3)]
    for k, member in enumerate(members):
        member.set_weights([rand(*w.shape, seed=k + 10) for w in member.get_weights()])
    ensemble = rb.models.Ensemble(members)
    assert_same(ensemble, rand(6, 16))
    tta = rb.models.TestTimeAugmentation(ensemble, image_shape=(4, 4, 1), flip=True, shift=1, cell=2)
    assert_same(tta, rand(6, 16))
    outer = rb.Sequential([L.Input((16,)), members[0], L.Dense(2)], seed=1)  # a model used as a layer
    assert_same(outer, rand(6, 16))


def test_metadata_checker_and_dynamic_batch(tmp_path):
    model = seq(L.Conv2D(2, 3), L.GlobalAveragePooling2D(), L.Dense(1, activation="sigmoid"), shape=(5, 5, 3))
    proto = model.export_onnx(tmp_path / "m.onnx", opset=17)
    loaded = onnx.load(str(tmp_path / "m.onnx"))
    onnx.checker.check_model(loaded, full_check=True)
    assert loaded.producer_name == "rosenblatt" and loaded.producer_version == rb.__version__
    assert "conv2d" in loaded.doc_string and "NHWC" in loaded.doc_string
    assert loaded.SerializeToString() == proto.SerializeToString()
    dims = loaded.graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == ["batch", 5, 5, 3]
    s = session(loaded)
    for m in (1, 7):
        x = rand(m, 5, 5, 3, seed=m)
        np.testing.assert_allclose(s.run(None, {"input_layer": x})[0], model.predict(x), rtol=1e-6, atol=1e-6)


def test_sequential_without_input_is_exported_once_built():
    model = rb.Sequential([L.Dense(3, activation="relu"), L.Dense(1)], seed=0)
    with pytest.raises(ValueError, match="not built"):
        to_onnx(model)
    model(np.zeros((2, 4), np.float32))
    assert [i.name for i in to_onnx(model).graph.input] == ["input"]
    assert_same(model, rand(5, 4))


def test_float64_graph_and_mixed_types():
    """float64 layers make a float64 graph (ONNX Runtime's CPU kernels of Conv and Erf are float32 only, so a
    Dense relu network here); an Input of another type is cast by the library, so the graph takes the layers'."""
    model = rb.Sequential([L.Input((4,), dtype="float64"), L.Dense(3, activation="relu", dtype="float64"),
                           L.Dense(2, activation="softmax", dtype="float64")], seed=0)
    x = np.random.default_rng(0).standard_normal((5, 4))
    (got,) = run_onnx(model, x)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, model.predict(x), rtol=1e-12, atol=1e-12)
    cast = rb.Sequential([L.Input((4,), dtype="float64"), L.Dense(3)], seed=0)
    assert to_onnx(cast).graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    with pytest.raises(ValueError, match="compute in float32, float64"):
        to_onnx(rb.Sequential([L.Input((4,)), L.Dense(3), L.Dense(2, dtype="float64")], seed=0))


class Doubler(rb.layers.Layer):
    def call(self, x):
        return x * 2.0


class LoudDense(rb.layers.Dense):
    def call(self, x):
        return super().call(x) * 10.0


class QuietDense(rb.layers.Dense):
    """A subclass that keeps Dense's call: exported as a Dense."""


def test_unknown_layer_names_the_layer_and_its_class():
    model = seq(L.Dense(2), Doubler(name="twice"), shape=(3,))
    with pytest.raises(ValueError, match=r"layer Doubler 'twice' \(class .*Doubler\) has no ONNX conversion; "
                                         r"the exporter knows Activation, AdaptivePiecewiseLinear, Add"):
        to_onnx(model)
    with pytest.raises(ValueError, match="LoudDense 'loud_dense'"):
        to_onnx(seq(LoudDense(2), shape=(3,)))
    assert_same(seq(QuietDense(2), shape=(3,)), rand(4, 3))


def test_custom_activation_and_subclassed_model_are_refused():
    with pytest.raises(ValueError, match=r"Dense 'dense' has the activation 'cube', which has no ONNX conversion"):
        def cube(z):
            return z * z * z
        to_onnx(seq(L.Dense(2, activation=cube), shape=(3,)))

    class TwoLayer(rb.Model):
        def __init__(self):
            super().__init__()
            self.hidden = L.Dense(2)

        def call(self, x):
            return self.hidden(x)

    model = TwoLayer()
    model(np.zeros((1, 3), np.float32))
    with pytest.raises(ValueError, match="its own call, which is Python code"):
        to_onnx(model)


def test_failed_export_leaves_no_file(tmp_path):
    with pytest.raises(ValueError):
        export_onnx(seq(Doubler(), shape=(3,)), tmp_path / "m.onnx")
    assert list(tmp_path.iterdir()) == []


# -- the cat models --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cats():
    (x, y), _ = rb.datasets.catvnoncat.load_data(DATA)
    return rb.datasets.catvnoncat.preprocess(x, np.float32), y


@needs_data
def test_cat_mlp_recipe_ensemble_with_test_time_augmentation(cats):
    from rosenblatt.apps.cats import recipe

    x, y = cats
    small = recipe.DEFAULT.with_options(layers=(16,), epochs=1, members=2)
    model, _ = recipe.train(small, x, y, seed=0)
    assert type(model).__name__ == "TestTimeAugmentation"
    assert [i.name for i in to_onnx(model).graph.input] == ["input_layer"]  # the members' Input
    assert_same(model, x[:64])


@needs_data
@pytest.mark.parametrize("batch_norm", [False, True])
def test_cat_conv_recipe(cats, batch_norm):
    from rosenblatt.apps.cats import conv_recipe

    x, y = cats
    small = conv_recipe.CONV.with_options(filters=(4, 8, 8), epochs=1, batch_size=64, batch_norm=batch_norm)
    model, _ = conv_recipe.train(small, x[:128], y[:128], seed=0)
    assert_same(model, x[:64])


# -- the command line ---------------------------------------------------------------------------------------
def test_cli_exports_a_saved_model(tmp_path, capsys):
    from rosenblatt.apps.cli import main

    model = _functional_concat()
    model.save(tmp_path / "m.npz")
    assert main(["export-onnx", str(tmp_path / "m.npz"), str(tmp_path / "m.onnx"), "--opset", "18"]) == 0
    text = capsys.readouterr().out
    assert "wrote" in text and "opset 18" in text and "input_layer (batch, 4)" in text
    x = rand(5, 4)
    got = session(onnx.load(str(tmp_path / "m.onnx"))).run(None, {"input_layer": x})[0]
    np.testing.assert_allclose(got, model.predict(x), rtol=1e-6, atol=1e-6)


def test_cli_mistakes(tmp_path, capsys):
    from rosenblatt.apps.cli import main

    seq(L.Dense(1), shape=(2,)).save(tmp_path / "m.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a model")
    for argv, words in (([str(tmp_path / "none.npz"), str(tmp_path / "o.onnx")], "no model file"),
                        ([str(tmp_path / "m.npz"), str(tmp_path)], "is a folder"),
                        ([str(tmp_path / "m.npz"), str(tmp_path / "no" / "o.onnx")], "does not exist"),
                        ([str(tmp_path / "junk.npz"), str(tmp_path / "o.onnx")], "junk.npz"),
                        ([str(tmp_path / "m.npz"), str(tmp_path / "o.onnx"), "--opset", "9"], "opset")):
        assert main(["export-onnx"] + argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("rosenblatt export-onnx: ") and words in err and "Traceback" not in err
    assert not (tmp_path / "o.onnx").exists()
