"""Conv2D, the poolings and BatchNormalization as layers, against PyTorch 2.13 (float64, 1e-8 relative):
outputs and every gradient; BatchNormalization in training and inference, its moving statistics by the formula."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.autodiff.gradcheck import check_gradients

torch = pytest.importorskip("torch")
F = torch.nn.functional


def close(ours, theirs):
    theirs = np.asarray(theirs)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-8 * max(1.0, np.abs(theirs).max()))


def nchw(a):
    return torch.tensor(np.ascontiguousarray(np.transpose(a, (0, 3, 1, 2))), requires_grad=True)


def nhwc(t):
    return t.detach().numpy().transpose(0, 2, 3, 1)


def tape(layer, x, g, training=None):
    xt = rb.constant(x)
    with rb.GradientTape() as t:
        t.watch(xt)
        y = layer(xt, training=training)
        loss = rb.reduce_sum(y * g)
    return y.numpy(), t.gradient(loss, [xt] + layer.trainable_weights)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides,dilation", [(1, 1), (2, 1), ((1, 3), 1), (1, 2), (1, (2, 1))])
@pytest.mark.parametrize("use_bias", [True, False])
def test_conv2d_layer_matches_torch(padding, strides, dilation, use_bias):
    rng = np.random.default_rng(hash((padding, str(strides), str(dilation), use_bias)) % 2**32)
    x = rng.normal(size=(2, 9, 8, 3))
    layer = rb.layers.Conv2D(4, (3, 2), strides=strides, padding=padding, dilation_rate=dilation,
                             use_bias=use_bias, activation="tanh", bias_initializer="random_normal", dtype="float64")
    layer(x)
    g = rng.normal(size=layer.compute_output_shape(x.shape))
    y, grads = tape(layer, x, g)

    s, d = layer.strides, layer.dilation_rate
    pads = []
    for size, k, ss, dd in zip((8, 9), (2, 3), s[::-1], d[::-1]):  # torch's pad takes the last axis first
        _, lo, hi = rb.autodiff.primitives.conv.output_size(size, k, ss, dd, padding)
        pads += [lo, hi]
    xt = nchw(x)
    wt = torch.tensor(layer.kernel.numpy().transpose(3, 2, 0, 1), requires_grad=True)
    bt = torch.tensor(layer.bias.numpy(), requires_grad=True) if use_bias else None
    yt = torch.tanh(F.conv2d(F.pad(xt, pads), wt, bt, stride=s, dilation=d))
    yt.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(y, nhwc(yt))
    close(grads[0].numpy(), nhwc(xt.grad))
    close(grads[1].numpy(), wt.grad.numpy().transpose(2, 3, 1, 0))
    if use_bias:
        close(grads[2].numpy(), bt.grad.numpy())


@pytest.mark.parametrize("pool,strides", [(2, None), (3, 1), ((2, 3), (1, 2))])
def test_max_pooling_layer_matches_torch(pool, strides):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 7, 9, 3))
    layer = rb.layers.MaxPooling2D(pool, strides=strides, dtype="float64")
    g = rng.normal(size=layer.compute_output_shape(x.shape))
    y, (gx,) = tape(layer, x, g)
    xt = nchw(x)
    yt = F.max_pool2d(xt, layer.pool_size, layer.strides)
    yt.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(y, nhwc(yt))
    close(gx.numpy(), nhwc(xt.grad))


@pytest.mark.parametrize("keepdims", [False, True])
def test_global_average_pooling_matches_torch(keepdims):
    rng = np.random.default_rng(12)
    x = rng.normal(size=(3, 5, 4, 2))
    layer = rb.layers.GlobalAveragePooling2D(keepdims=keepdims, dtype="float64")
    g = rng.normal(size=layer.compute_output_shape(x.shape))
    y, (gx,) = tape(layer, x, g)
    xt = nchw(x)
    yt = F.adaptive_avg_pool2d(xt, 1)
    yt = yt.permute(0, 2, 3, 1) if keepdims else yt[:, :, 0, 0]
    yt.backward(torch.tensor(g))
    close(y, yt.detach().numpy())
    close(gx.numpy(), nhwc(xt.grad))


@pytest.mark.parametrize("shape", [(6, 4), (3, 5, 4, 2)])
def test_batch_normalization_training_matches_torch(shape):
    rng = np.random.default_rng(13)
    x = rng.normal(2.0, 3.0, size=shape)
    c = shape[-1]
    layer = rb.layers.BatchNormalization(momentum=0.9, epsilon=1e-3, gamma_initializer="random_normal",
                                         beta_initializer="random_normal", dtype="float64")
    layer(x)
    gamma, beta = layer.gamma.numpy(), layer.beta.numpy()
    g = rng.normal(size=shape)
    y, (gx, gg, gb) = tape(layer, x, g, training=True)

    to_t = (lambda a: nchw(a)) if len(shape) == 4 else (lambda a: torch.tensor(a, requires_grad=True))
    back = nhwc if len(shape) == 4 else (lambda t: t.detach().numpy())
    xt, gt, bt = to_t(x), torch.tensor(gamma, requires_grad=True), torch.tensor(beta, requires_grad=True)
    rm, rv = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
    yt = F.batch_norm(xt, rm, rv, gt, bt, training=True, momentum=0.1, eps=1e-3)
    yt.backward(torch.tensor(g.transpose(0, 3, 1, 2)) if len(shape) == 4 else torch.tensor(g))
    close(y, back(yt))
    close(gx.numpy(), back(xt.grad))
    close(gg.numpy(), gt.grad.numpy())
    close(gb.numpy(), bt.grad.numpy())
    # moving statistics by the formula (Keras: the biased variance; torch keeps the unbiased one)
    axes = tuple(range(len(shape) - 1))
    close(layer.moving_mean.numpy(), 0.9 * 0 + 0.1 * x.mean(axis=axes))
    close(layer.moving_variance.numpy(), 0.9 * 1 + 0.1 * x.var(axis=axes))
    close(layer.moving_mean.numpy(), rm.numpy())


def test_batch_normalization_inference_matches_torch():
    rng = np.random.default_rng(14)
    x = rng.normal(size=(3, 4, 5, 2))
    layer = rb.layers.BatchNormalization(epsilon=1e-2, dtype="float64")
    layer(x)
    mean, var, gamma, beta = rng.normal(size=2), rng.uniform(0.5, 2, 2), rng.normal(size=2), rng.normal(size=2)
    layer.set_weights([gamma, beta, mean, var])
    g = rng.normal(size=x.shape)
    y, (gx, gg, gb) = tape(layer, x, g, training=False)
    xt, gt, bt = nchw(x), torch.tensor(gamma, requires_grad=True), torch.tensor(beta, requires_grad=True)
    yt = F.batch_norm(xt, torch.tensor(mean), torch.tensor(var), gt, bt, training=False, eps=1e-2)
    yt.backward(torch.tensor(g.transpose(0, 3, 1, 2)))
    close(y, nhwc(yt))
    close(gx.numpy(), nhwc(xt.grad))
    close(gg.numpy(), gt.grad.numpy())
    close(gb.numpy(), bt.grad.numpy())
    np.testing.assert_array_equal(layer.moving_mean.numpy(), mean)  # inference changes no statistics


def test_batch_normalization_gradient_by_finite_differences():
    rng = np.random.default_rng(15)
    layer = rb.layers.BatchNormalization(dtype="float64", gamma_initializer="random_normal")
    x = rng.normal(size=(5, 3))
    layer(x)
    w = rng.normal(size=(5, 3))
    assert check_gradients(lambda t: layer(t, training=True) * w, x, raise_error=True)


def test_frozen_batch_normalization_runs_in_inference_mode():
    layer = rb.layers.BatchNormalization(dtype="float64")
    x = np.random.default_rng(16).normal(5.0, 1.0, (8, 2))
    layer.trainable = False
    np.testing.assert_allclose(layer(x, training=True).numpy(), x / np.sqrt(1 + 1e-3))
    assert layer.trainable_weights == [] and np.all(layer.moving_mean.numpy() == 0)


def test_augmentation_is_only_active_in_training():
    x = np.random.default_rng(17).normal(size=(4, 6, 6, 2))
    for layer in (rb.layers.RandomFlip(seed=0), rb.layers.RandomTranslation(0.3, 0.3, seed=0)):
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x.astype(np.float32))
        assert not np.array_equal(layer(x, training=True).numpy(), x.astype(np.float32))


def test_random_flip_mirrors_each_picture_or_leaves_it():
    x = np.random.default_rng(18).normal(size=(64, 3, 5, 1))
    y = rb.layers.RandomFlip("horizontal", seed=1, dtype="float64")(x, training=True).numpy()
    mirrored = np.all(y == x[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(mirrored | np.all(y == x, axis=(1, 2, 3))) and 16 < mirrored.sum() < 48
    y = rb.layers.RandomFlip("vertical", seed=1, dtype="float64")(x, training=True).numpy()
    assert np.all(np.all(y == x[:, ::-1], axis=(1, 2, 3)) | np.all(y == x, axis=(1, 2, 3)))


@pytest.mark.parametrize("fill_mode,expected", [
    ("reflect", [1, 0, 0, 1, 2]), ("wrap", [3, 4, 0, 1, 2]), ("nearest", [0, 0, 0, 1, 2]), ("constant", [9, 9, 0, 1, 2]),
])
def test_translation_fill_modes_as_keras_documents_them(fill_mode, expected):
    x = np.arange(5.0).reshape(1, 1, 5, 1)  # a b c d e shifted right by 2 pixels
    layer = rb.layers.RandomTranslation(0.0, (0.4, 0.4), fill_mode=fill_mode, interpolation="nearest",
                                        fill_value=9.0, dtype="float64")
    np.testing.assert_array_equal(layer(x, training=True).numpy().ravel(), expected)
    down = rb.layers.RandomTranslation((0.4, 0.4), 0.0, fill_mode=fill_mode, interpolation="nearest",
                                       fill_value=9.0, dtype="float64")
    np.testing.assert_array_equal(down(x.reshape(1, 5, 1, 1), training=True).numpy().ravel(), expected)


def test_bilinear_translation_mixes_neighbours_and_keeps_the_gradient():
    x = np.arange(5.0).reshape(1, 1, 5, 1)
    layer = rb.layers.RandomTranslation(0.0, (0.1, 0.1), fill_mode="nearest", dtype="float64")  # 0.5 pixel right
    np.testing.assert_allclose(layer(x, training=True).numpy().ravel(), [0, 0.5, 1.5, 2.5, 3.5])
    rng = np.random.default_rng(19)
    shift = rb.layers.RandomTranslation(0.2, 0.2, fill_mode="constant", fill_value=0.5, seed=3, dtype="float64")
    w = rng.normal(size=(2, 5, 5, 1))
    state = shift._shift_rng.bit_generator.state
    def f(t):
        shift._shift_rng.bit_generator.state = state  # the same shifts at every evaluation
        return shift(t, training=True) * w
    assert check_gradients(f, rng.normal(size=(2, 5, 5, 1)), raise_error=True)


def test_bad_arguments_name_the_layer_and_value():
    with pytest.raises(ValueError, match="Conv2D: filters must be a positive integer, got 0"):
        rb.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match=r"Conv2D: kernel_size .* got \(3, 0\)"):
        rb.layers.Conv2D(2, (3, 0))
    with pytest.raises(ValueError, match="Conv2D: padding must be 'valid' or 'same', got 'full'"):
        rb.layers.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match=r"Conv2D 'conv2d' expects images .* got input shape \(2, 5\)"):
        rb.layers.Conv2D(2, 3)(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="does not fit in 4 x 4"):
        rb.layers.Conv2D(2, 3, dilation_rate=2)(np.zeros((1, 4, 4, 1)))
    conv = rb.layers.Conv2D(2, 3)
    conv(np.zeros((1, 5, 5, 3)))
    with pytest.raises(ValueError, match=r"expects images of shape \(m, H, W, 3\), got shape \(1, 5, 5, 2\)"):
        conv(np.zeros((1, 5, 5, 2)))
    with pytest.raises(ValueError, match="BatchNormalization: momentum must be in"):
        rb.layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="expects 3 features on axis -1, got input shape"):
        bn = rb.layers.BatchNormalization()
        bn(np.zeros((2, 3)))
        bn(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="RandomFlip: mode must be one of"):
        rb.layers.RandomFlip("sideways")
    with pytest.raises(ValueError, match="RandomTranslation: fill_mode must be one of"):
        rb.layers.RandomTranslation(0.1, 0.1, fill_mode="mirror")


def test_a_conv_net_saves_and_loads(tmp_path):
    rng = np.random.default_rng(20)
    model = rb.Sequential([
        rb.layers.Input((8, 8, 3)), rb.layers.RandomFlip("horizontal", seed=1), rb.layers.RandomTranslation(0.1, 0.1, seed=2),
        rb.layers.Conv2D(4, 3, padding="same", activation="relu"), rb.layers.BatchNormalization(),
        rb.layers.MaxPooling2D(), rb.layers.Conv2D(6, 3, strides=(1, 2), dilation_rate=1, use_bias=False),
        rb.layers.AveragePooling2D(2, strides=1, padding="same"), rb.layers.GlobalAveragePooling2D(),
        rb.layers.Dropout(0.2), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    x, y = rng.normal(size=(16, 8, 8, 3)).astype(np.float32), rng.integers(0, 2, (16, 1)).astype(np.float32)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert not np.all(model.layers[3].moving_mean.numpy() == 0)  # trained in training mode
    model.save(tmp_path / "conv.npz")
    again = rb.models.load_model(tmp_path / "conv.npz")
    assert [type(l).__name__ for l in again.layers] == [type(l).__name__ for l in model.layers]
    assert again.layers[5].strides == (1, 2) and again.layers[6].padding == "same"
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
