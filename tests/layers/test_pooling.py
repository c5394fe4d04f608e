"""AveragePooling2D and Reshape: values by hand and against PyTorch, gradients by finite differences, saving."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.autodiff.gradcheck import check_gradients


def test_each_output_is_the_mean_of_its_block():
    rng = np.random.default_rng(0)
    x = rng.random((2, 6, 4, 3))
    y = rb.layers.AveragePooling2D((3, 2), dtype="float64")(x).numpy()
    assert y.shape == (2, 2, 2, 3)
    for u in range(2):
        for v in range(2):
            np.testing.assert_allclose(y[:, u, v, :], x[:, 3 * u:3 * u + 3, 2 * v:2 * v + 2, :].mean(axis=(1, 2)))


def test_left_over_rows_and_columns_are_dropped_as_in_keras():
    x = np.arange(2 * 5 * 7 * 1, dtype=np.float64).reshape(2, 5, 7, 1)
    y = rb.layers.AveragePooling2D(2, dtype="float64")(x).numpy()
    assert y.shape == (2, 2, 3, 1)
    np.testing.assert_allclose(y, x[:, :4, :6].reshape(2, 2, 2, 3, 2, 1).mean(axis=(2, 4)))


def test_same_as_torch_avg_pool2d():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(1).random((3, 64, 64, 3))
    y = rb.layers.AveragePooling2D(8, dtype="float64")(x).numpy()
    expected = torch.nn.functional.avg_pool2d(torch.tensor(x).permute(0, 3, 1, 2), 8).permute(0, 2, 3, 1)
    np.testing.assert_allclose(y, expected.numpy(), rtol=1e-12)


def test_same_as_the_loaders_pool():
    x = np.random.default_rng(2).integers(0, 256, (4, 64, 64, 3), dtype=np.uint8)
    model = rb.Sequential([rb.layers.Input((12288,), dtype="float64"), rb.layers.Reshape((64, 64, 3), dtype="float64"),
                           rb.layers.AveragePooling2D(8, dtype="float64"), rb.layers.Flatten(dtype="float64")])
    prep = rb.datasets.catvnoncat.preprocess
    np.testing.assert_allclose(model.predict(prep(x)), prep(x, pool=8), rtol=1e-12)


@pytest.mark.parametrize("pool", [2, (2, 3)])
def test_gradient_matches_finite_differences(pool):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 5, 6, 2))
    layer = rb.layers.AveragePooling2D(pool, dtype="float64")
    weights = rng.normal(size=layer(x).shape)  # so that Σf weighs each output differently
    assert check_gradients(lambda t: layer(t) * weights, x, raise_error=True)


def test_gradient_through_reshape_pool_flatten_dense():
    rng = np.random.default_rng(4)
    model = rb.Sequential([rb.layers.Input((4 * 4 * 2,), dtype="float64"), rb.layers.Reshape((4, 4, 2), dtype="float64"),
                           rb.layers.AveragePooling2D(2, dtype="float64"), rb.layers.Flatten(dtype="float64"),
                           rb.layers.Dense(3, activation="tanh", dtype="float64")], seed=0)
    assert check_gradients(lambda t: model(t), rng.normal(size=(3, 32)), raise_error=True)


def test_bad_arguments_name_the_value():
    with pytest.raises(ValueError, match="pool_size .* got 0"):
        rb.layers.AveragePooling2D(0)
    with pytest.raises(ValueError, match="AveragePooling2D: strides .* got 0"):
        rb.layers.AveragePooling2D(2, strides=0)
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same', got 'full'"):
        rb.layers.AveragePooling2D(2, padding="full")
    with pytest.raises(ValueError, match=r"\(m, height, width, channels\).*\(1, 12\)"):
        rb.Sequential([rb.layers.Input((12,)), rb.layers.AveragePooling2D(2)])
    with pytest.raises(ValueError, match="3 x 3 pool does not fit in 2 x 8"):
        rb.layers.AveragePooling2D(3)(np.zeros((1, 2, 8, 1)))
    with pytest.raises(ValueError, match=r"12 values\) to \(5, 5\)"):
        rb.layers.Reshape((5, 5))(np.zeros((1, 12)))
    with pytest.raises(ValueError, match="at most one -1"):
        rb.layers.Reshape((-1, -1))


def test_reshape_infers_minus_one():
    model = rb.Sequential([rb.layers.Input((12,)), rb.layers.Reshape((-1, 3))])
    assert model.output_shapes[-1] == (None, 4, 3)
    assert model.predict(np.zeros((2, 12))).shape == (2, 4, 3)


def test_save_and_load_a_model_with_pooling(tmp_path):
    x = np.random.default_rng(5).random((6, 8 * 8 * 3)).astype(np.float32)
    norm = rb.layers.Normalization()
    norm.adapt(x.reshape(6, 4, 2, 4, 2, 3).mean(axis=(2, 4)).reshape(6, -1))
    model = rb.Sequential([rb.layers.Input((192,)), rb.layers.Reshape((8, 8, 3)), rb.layers.AveragePooling2D(2),
                           rb.layers.Flatten(), norm, rb.layers.Dense(1, activation="sigmoid")], seed=0)
    model.save(tmp_path / "m.npz")
    again = rb.models.load_model(tmp_path / "m.npz")
    assert [type(l).__name__ for l in again.layers] == ["Reshape", "AveragePooling2D", "Flatten", "Normalization",
                                                        "Dense"]
    assert again.layers[1].pool_size == (2, 2) and again.layers[1].name == "average_pooling2d"
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
