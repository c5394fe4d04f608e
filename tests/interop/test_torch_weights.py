"""PyTorch state_dicts in safetensors files: the layouts by hand, bit-identical round trips through PyTorch, the
same predictions in PyTorch to 1e-6, weights from a PyTorch network written by hand, and every refusal."""

import json
import struct

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import interop
from rosenblatt.io import ModelFileError

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")

NAMES = ["mlp", "cat_conv", "cat_conv_bn", "flatten_net"]


def built(arch, name, seed):
    model = arch.BUILDERS[name](rb)
    model.build(model._input_shape)
    return arch.randomize(model, seed)


def as_torch_input(x):
    return torch.from_numpy(interop.nhwc_to_nchw(x) if x.ndim == 4 else x)


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_through_pytorch_is_bit_identical_and_predicts_the_same(arch, name, tmp_path):
    original = built(arch, name, seed=0)
    interop.save_torch_state_dict(original, tmp_path / "a.safetensors")
    net = interop.to_torch_module(built(arch, name, seed=99))  # other weights, replaced by the file's
    net.load_state_dict(safetensors_torch.load_file(tmp_path / "a.safetensors"), strict=True)
    safetensors_torch.save_file(net.state_dict(), tmp_path / "b.safetensors")
    again = built(arch, name, seed=7)
    interop.load_torch_state_dict(again, tmp_path / "b.safetensors")
    for w, v in zip(original.weights, again.weights):
        assert w.dtype == v.dtype and np.array_equal(w.numpy(), v.numpy()), w.name
    x = arch.inputs(name)
    with torch.no_grad():
        theirs = net(as_torch_input(x)).numpy()
    np.testing.assert_allclose(theirs, original.predict(x), rtol=0, atol=1e-6)
    assert theirs.dtype == np.float32


@pytest.mark.parametrize("batch_norm", [False, True])
def test_the_cat_conv_recipe_itself_converts_both_ways(arch, batch_norm, tmp_path):
    """``rosenblatt cats train --recipe conv``'s network (64 × 64 pictures; fewer filters, to be quick)."""
    from rosenblatt.apps.cats import conv_recipe

    x = np.random.default_rng(0).random((4, 64 * 64 * 3)).astype(np.float32)
    recipe = conv_recipe.CONV.with_options(filters=(4, 8), batch_norm=batch_norm)
    model = arch.randomize(conv_recipe.build(recipe, x, seed=0), seed=1)
    model.save_weights(tmp_path / "cat.safetensors")
    net = interop.to_torch_module(conv_recipe.build(recipe, x, seed=2))
    net.load_state_dict(safetensors_torch.load_file(tmp_path / "cat.safetensors"))
    again = conv_recipe.build(recipe, x, seed=3)
    interop.load_torch_state_dict(again, net.state_dict())
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
    with torch.no_grad():
        theirs = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, model.predict(x), rtol=0, atol=1e-6)


def test_the_layouts_written_out_by_hand(arch):
    model = built(arch, "flatten_net", seed=3)
    conv, dense = model.layers[0], model.layers[-1]
    state = interop.torch_state_dict(model)
    K, W = conv.kernel.numpy(), state["1.weight"]     # 0 is a ZeroPad2d: "same" pads 7 rows unevenly
    for f, c, i, j in [(0, 0, 0, 0), (2, 1, 1, 0), (1, 0, 0, 1)]:
        assert W[f, c, i, j] == K[i, j, c, f]          # Conv2d's (F, C, k_h, k_w) against Keras's (k_h, k_w, C, F)
    H, Wd, C = model.layers[-3]._build_shape[1:]       # what Flatten flattens
    kernel, linear = dense.kernel.numpy(), state[[k for k in state if k.endswith(".weight")][-1]]
    for u, h, w, c in [(0, 0, 0, 0), (3, 1, 2, 4), (2, 1, 0, 1)]:
        # rosenblatt flattens (h, w, c), PyTorch (c, h, w)
        assert linear[u, c * H * Wd + h * Wd + w] == kernel[(h * Wd + w) * C + c, u]
    mlp = built(arch, "mlp", seed=4)
    assert np.array_equal(interop.torch_state_dict(mlp)["0.weight"], mlp.layers[0].kernel.numpy().T)
    assert list(interop.torch_state_dict(mlp)) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]


def test_batch_normalization_names_and_momentum(arch):
    model = built(arch, "cat_conv_bn", seed=5)
    net = interop.to_torch_module(model)
    bn = next(m for m in net if isinstance(m, torch.nn.BatchNorm2d))
    assert bn.eps == 1e-3 and bn.momentum == pytest.approx(0.01)  # Keras's momentum 0.99 keeps 99 % of the old
    assert {"7.weight", "7.bias", "7.running_mean", "7.running_var", "7.num_batches_tracked"} <= set(net.state_dict())
    layer = next(layer for layer in model.layers if isinstance(layer, rb.layers.BatchNormalization))
    x = np.random.default_rng(0).normal(size=(8, 4, 4, 4)).astype(np.float32)
    layer(x, training=True)  # one training batch moves the moving mean the same way in both
    bn.train()
    bn(as_torch_input(x))
    np.testing.assert_allclose(bn.running_mean.numpy(), layer.moving_mean.numpy(), rtol=0, atol=1e-6)


def test_weights_from_a_pytorch_network_written_by_hand():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                              torch.nn.Flatten(), torch.nn.Linear(4 * 4 * 4, 3), torch.nn.Tanh(),
                              torch.nn.Linear(3, 1)).eval()
    L = rb.layers
    model = rb.Sequential([L.Input((8, 8, 3)), L.Conv2D(4, 3, padding="same", activation="relu"),
                           L.MaxPooling2D(2), L.Flatten(), L.Dense(3, activation="tanh"), L.Dense(1)])
    assert [k for k in interop.torch_state_dict(model)] == list(net.state_dict())
    interop.load_torch_state_dict(model, net.state_dict())
    x = np.random.default_rng(2).random((5, 8, 8, 3)).astype(np.float32)
    with torch.no_grad():
        theirs = net(as_torch_input(x)).numpy()
    np.testing.assert_allclose(model.predict(x), theirs, rtol=0, atol=1e-6)


def test_float64_stays_float64_and_save_weights_picks_the_format_by_suffix(arch, tmp_path):
    model = arch.randomize(arch.mlp(rb, dtype="float64"), seed=1)
    model.save_weights(tmp_path / "m.safetensors")
    assert all(t.dtype == torch.float64 for t in safetensors_torch.load_file(tmp_path / "m.safetensors").values())
    again = arch.mlp(rb, dtype="float64")
    again.load_weights(tmp_path / "m.safetensors")
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
    net = interop.to_torch_module(model)
    x = np.random.default_rng(0).random((4, 5))
    np.testing.assert_allclose(net(torch.from_numpy(x)).detach().numpy(), model.predict(x), rtol=0, atol=1e-12)


def test_a_large_kernel_stored_column_by_column_converts_the_same(tmp_path):
    model = rb.Sequential([rb.layers.Input((64 * 64 * 3,)), rb.layers.Dense(4, activation="relu"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=0)
    assert model.layers[0].kernel._value.flags.f_contiguous  # a large kernel is stored column by column
    model.save_weights(tmp_path / "m.safetensors")
    again = rb.Sequential([rb.layers.Input((64 * 64 * 3,)), rb.layers.Dense(4, activation="relu"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=1)
    again.load_weights(tmp_path / "m.safetensors")
    assert again.layers[0].kernel._value.flags.f_contiguous  # the layout the layer chose is kept
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
    x = np.random.default_rng(0).random((3, 64 * 64 * 3)).astype(np.float32)
    with torch.no_grad():
        theirs = interop.to_torch_module(again)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, again.predict(x), rtol=0, atol=1e-6)


def test_a_bfloat16_state_dict_is_a_clear_error(arch):
    model = built(arch, "mlp", seed=0)
    state = {k: torch.from_numpy(v).to(torch.bfloat16) for k, v in interop.torch_state_dict(model).items()}
    with pytest.raises(ModelFileError, match=r"state_dict: holds a value NumPy cannot read.*float32"):
        interop.load_torch_state_dict(model, state)


# -- refusals -----------------------------------------------------------------------------------------------------
def _unchanged(model, before):
    return all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


@pytest.mark.parametrize("change, message", [
    (lambda s: s.pop("2.bias"), r"missing \['2\.bias'\]"),
    (lambda s: s.update({"9.weight": np.zeros(3, np.float32)}), r"unexpected \['9\.weight'\]"),
    (lambda s: s.update({"2.weight": np.zeros((4, 8), np.float32)}),
     r"'2\.weight' \(Dense 'dense_1'\) is float32 of shape \(4, 8\); the layer expects float32 of shape \(4, 7\)"),
    (lambda s: s.update({"0.bias": s["0.bias"].astype(np.float64)}), r"'0\.bias' \(Dense 'dense'\) is float64"),
    (lambda s: s["4.weight"].__setitem__((0, 1), np.nan), r"'4\.weight'.* holds nan at index \(0, 1\)"),
])
def test_a_state_dict_that_does_not_fit_is_refused_and_nothing_is_set(arch, tmp_path, change, message):
    model = built(arch, "mlp", seed=0)
    state = interop.torch_state_dict(model)
    change(state)
    before = model.get_weights()
    safetensors_torch.save_file({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()},
                                tmp_path / "bad.safetensors")
    with pytest.raises(ModelFileError, match=message) as caught:
        interop.load_torch_state_dict(model, tmp_path / "bad.safetensors")
    assert "bad.safetensors" in str(caught.value)
    assert _unchanged(model, before)


def _hostile_files():
    good = safetensors_torch.save({"0.weight": torch.zeros(7, 5)})
    n = struct.unpack("<Q", good[:8])[0]
    header = json.loads(good[8:8 + n])
    header["0.weight"]["data_offsets"] = [0, 10**12]       # claims a terabyte
    lying = json.dumps(header).encode()
    return {"truncated": good[: len(good) // 2], "empty": b"", "garbage": b"\x93NUMPY not a safetensors file",
            "huge header": struct.pack("<Q", 2**62) + b"{}", "offsets past the end": struct.pack("<Q", len(lying))
            + lying + good[8 + n:], "pickle": b"\x80\x04\x95cos\nsystem\n(S'touch pwned'\ntR."}


@pytest.mark.parametrize("kind", sorted(_hostile_files()))
def test_a_damaged_or_hostile_file_is_one_clear_error(arch, tmp_path, kind):
    path = tmp_path / "m.safetensors"
    path.write_bytes(_hostile_files()[kind])
    model = built(arch, "mlp", seed=0)
    before = model.get_weights()
    with pytest.raises(ModelFileError, match=r"m\.safetensors: (is not a readable safetensors file|its names)"):
        model.load_weights(path)
    assert _unchanged(model, before) and not (tmp_path / "pwned").exists()


def residual(seed):
    L = rb.layers
    x = L.Input((6, 6, 2))
    a = L.Conv2D(3, 3, padding="same", activation="relu")(x)
    b = L.BatchNormalization()(L.Conv2D(2, 1)(x))
    merged = L.Concatenate()([a, b])
    r = L.Add()([L.Conv2D(5, 1)(merged), merged])
    y = L.Dense(2, activation="softmax")(L.Flatten()(L.MaxPooling2D(2)(r)))
    return rb.Model(x, y, seed=seed)


def test_a_functional_model_round_trips_and_predicts_the_same(arch, tmp_path):
    model = arch.randomize(residual(seed=0), seed=1)
    net = interop.to_torch_module(model)
    assert list(net.state_dict())[:4] == ["conv2d.0.weight", "conv2d.0.bias", "conv2d_1.0.weight", "conv2d_1.0.bias"]
    safetensors_torch.save_file(net.state_dict(), tmp_path / "f.safetensors")
    again = residual(seed=2)
    again.load_weights(tmp_path / "f.safetensors")
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), again.get_weights()))
    x = np.random.default_rng(0).random((4, 6, 6, 2)).astype(np.float32)
    with torch.no_grad():
        theirs = net(as_torch_input(x)).numpy()
    np.testing.assert_allclose(theirs, model.predict(x), rtol=0, atol=1e-6)


def test_models_without_a_pytorch_counterpart_say_so():
    class Mine(rb.Model):
        def __init__(self):
            super().__init__()
            self.dense = rb.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

    subclassed = Mine()
    subclassed(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"'mine' \(Mine\) is neither a Sequential nor a functional model"):
        interop.torch_state_dict(subclassed)
    odd = rb.Sequential([rb.layers.Input((4, 4, 2)), rb.layers.BatchNormalization(axis=1)])
    with pytest.raises(ValueError, match=r"BatchNormalization 'batch_normalization'.*axis=-1"):
        interop.torch_state_dict(odd)
    with pytest.raises(ValueError, match=r"no weights yet"):
        interop.torch_state_dict(rb.Sequential([rb.layers.Dense(2)]))
