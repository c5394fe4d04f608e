"""PReLU, Swish (trainable β) and AdaptivePiecewiseLinear: values and gradients (input and parameters) against
PyTorch (``nn.PReLU``, and autograd of the formulas written out), against the formulas and derivatives written
by hand, against finite differences; training moves the parameters; saving and loading; bad input."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.layers import AdaptivePiecewiseLinear, PReLU, Swish

torch = pytest.importorskip("torch")

TOL = dict(rtol=1e-10, atol=1e-12)


def inputs(rng, *shape):
    """Normal values with some exact zeros and exact hinge points, where the one-sided slopes differ."""
    x = rng.normal(0, 1.5, shape)
    x.reshape(-1)[::7] = 0.0
    return x


def tape(layer, x):
    """The layer's output and the gradients of Σ (output ⊙ u) for a fixed random u, for x and every weight."""
    x = rb.constant(x)
    u = np.random.default_rng(99).normal(size=layer(x).shape)
    with rb.GradientTape() as t:
        t.watch(x)
        out = layer(x)
        loss = rb.reduce_sum(out * u)
    grads = t.gradient(loss, [x] + layer.weights)
    return out.numpy(), [g.numpy() for g in grads], u


def float64(layer, x, **weights):
    """The same layer in float64, built for x, with the given weights."""
    layer = type(layer)(**{**layer.get_config(), "dtype": "float64"})
    layer._maybe_build((None,) + x.shape[1:])
    for w in layer.weights:
        w.assign(weights[w.name])
    return layer


# -- PReLU -----------------------------------------------------------------------------------------------
def test_prelu_matches_torch_per_unit():
    rng = np.random.default_rng(0)
    x, alpha = inputs(rng, 16, 5), rng.normal(0.2, 0.3, 5)
    layer = float64(PReLU(), x, alpha=alpha)
    out, (gx, galpha), u = tape(layer, x)
    module = torch.nn.PReLU(num_parameters=5, dtype=torch.float64)
    module.weight.data = torch.tensor(alpha)
    xt = torch.tensor(x, requires_grad=True)
    yt = module(xt)
    (yt * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
    np.testing.assert_allclose(gx, xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(galpha, module.weight.grad.numpy(), **TOL)


def test_prelu_matches_torch_per_channel_of_images():
    # NHWC with α shared over height and width is PyTorch's NCHW nn.PReLU(C)
    rng = np.random.default_rng(1)
    x, alpha = inputs(rng, 3, 4, 5, 2), rng.normal(0.2, 0.3, 2)
    layer = float64(PReLU(shared_axes=[1, 2]), x, alpha=alpha.reshape(1, 1, 2))
    out, (gx, galpha), u = tape(layer, x)
    assert layer.alpha.shape == (1, 1, 2)
    module = torch.nn.PReLU(num_parameters=2, dtype=torch.float64)
    module.weight.data = torch.tensor(alpha)
    xt = torch.tensor(x.transpose(0, 3, 1, 2).copy(), requires_grad=True)
    yt = module(xt)
    (yt * torch.tensor(u.transpose(0, 3, 1, 2).copy())).sum().backward()
    np.testing.assert_allclose(out, yt.detach().numpy().transpose(0, 2, 3, 1), **TOL)
    np.testing.assert_allclose(gx, xt.grad.numpy().transpose(0, 2, 3, 1), **TOL)
    np.testing.assert_allclose(galpha.reshape(2), module.weight.grad.numpy(), **TOL)


def test_prelu_one_shared_alpha_matches_torch_and_the_formula():
    rng = np.random.default_rng(2)
    x, alpha = inputs(rng, 8, 3), np.array([0.3])
    layer = float64(PReLU(shared_axes=1), x, alpha=alpha)
    out, (gx, galpha), u = tape(layer, x)
    module = torch.nn.PReLU(dtype=torch.float64)
    module.weight.data = torch.tensor(alpha)
    xt = torch.tensor(x, requires_grad=True)
    (module(xt) * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(gx, xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(galpha, module.weight.grad.numpy(), **TOL)
    # by hand: g = z if z > 0 else α·z;  ∂g/∂z = 1 if z > 0 else α;  ∂g/∂α = 0 if z > 0 else z
    positive = x > 0
    np.testing.assert_array_equal(out, np.where(positive, x, 0.3 * x))
    np.testing.assert_allclose(gx, u * np.where(positive, 1.0, 0.3), **TOL)
    np.testing.assert_allclose(galpha, [np.sum(u * np.where(positive, 0.0, x))], **TOL)


# -- Swish with β ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("beta", [1.0, 0.4, -1.3, 3.0])
def test_swish_matches_torch_autograd_and_the_formula(beta):
    rng = np.random.default_rng(3)
    x = inputs(rng, 10, 4)
    layer = float64(Swish(), x, beta=np.array(beta))
    out, (gx, gbeta), u = tape(layer, x)
    xt, bt = torch.tensor(x, requires_grad=True), torch.tensor(beta, dtype=torch.float64, requires_grad=True)
    yt = xt * torch.sigmoid(bt * xt)
    (yt * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
    np.testing.assert_allclose(gx, xt.grad.numpy(), **TOL)
    np.testing.assert_allclose(gbeta, bt.grad.numpy(), **TOL)
    # by hand: g = z·σ(βz);  ∂g/∂z = σ + βz·σ(1 − σ);  ∂g/∂β = z²·σ(1 − σ)
    s = 1 / (1 + np.exp(-beta * x))
    np.testing.assert_allclose(out, x * s, **TOL)
    np.testing.assert_allclose(gx, u * (s + beta * x * s * (1 - s)), **TOL)
    np.testing.assert_allclose(gbeta, np.sum(u * x * x * s * (1 - s)), **TOL)


def test_swish_beta_one_is_the_fixed_swish():
    x = rb.constant(np.linspace(-5, 5, 41))
    np.testing.assert_allclose(Swish(dtype="float64")(x).numpy(), rb.activations.swish(x).numpy(), rtol=1e-15)


# -- the adaptive piecewise-linear unit -------------------------------------------------------------------
def apl_by_hand(x, a, b):
    """g = max(0, z) + Σₛ aₛ·max(0, −z + bₛ), and ∂g/∂z, ∂g/∂aₛ, ∂g/∂bₛ per sample, written out hinge by hinge
    (a[s], b[s]: hinge s of every unit)."""
    g = np.maximum(0, x) + sum(a[s] * np.maximum(0, -x + b[s]) for s in range(len(a)))
    dz = (x > 0).astype(float) - sum(a[s] * (b[s] > x) for s in range(len(a)))
    da = np.stack([np.maximum(0, b[s] - x) for s in range(len(a))], axis=1)  # (m, S, ...)
    db = np.stack([a[s] * (b[s] > x) for s in range(len(a))], axis=1)
    return g, dz, da, db


@pytest.mark.parametrize("hinges", [1, 3])
def test_apl_matches_torch_autograd_and_the_formula(hinges):
    rng = np.random.default_rng(4 + hinges)
    x = inputs(rng, 12, 5)
    a, b = rng.normal(0, 0.8, (hinges, 5)), rng.normal(0, 1.0, (hinges, 5))
    x[0, :] = b[0]  # exactly at a hinge: PyTorch's relu′(0) = 0, as ours
    layer = float64(AdaptivePiecewiseLinear(hinges=hinges), x, a=a, b=b)
    out, (gx, ga, gb), u = tape(layer, x)
    xt = torch.tensor(x, requires_grad=True)
    at, bt = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    yt = torch.relu(xt) + sum(at[s] * torch.relu(-xt + bt[s]) for s in range(hinges))
    (yt * torch.tensor(u)).sum().backward()
    np.testing.assert_allclose(out, yt.detach().numpy(), **TOL)
    for ours, theirs in [(gx, xt.grad), (ga, at.grad), (gb, bt.grad)]:
        np.testing.assert_allclose(ours, theirs.numpy(), **TOL)
    g, dz, da, db = apl_by_hand(x, a, b)
    np.testing.assert_allclose(out, g, **TOL)
    np.testing.assert_allclose(gx, u * dz, **TOL)
    np.testing.assert_allclose(ga, np.sum(u[:, None] * da, axis=0), **TOL)
    np.testing.assert_allclose(gb, np.sum(u[:, None] * db, axis=0), **TOL)


def test_apl_shared_over_channels():
    rng = np.random.default_rng(8)
    x = inputs(rng, 2, 3, 4, 2)
    a, b = rng.normal(0, 0.8, (2, 1, 1, 2)), rng.normal(0, 1.0, (2, 1, 1, 2))  # (S, H, W, C), H and W shared
    layer = float64(AdaptivePiecewiseLinear(shared_axes=[1, 2]), x, a=a, b=b)
    out, (gx, ga, gb), u = tape(layer, x)
    g, dz, da, db = apl_by_hand(x, a, b)
    np.testing.assert_allclose(out, g, **TOL)
    np.testing.assert_allclose(ga, np.sum(u[:, None] * da, axis=(0, 2, 3), keepdims=True)[0], **TOL)
    np.testing.assert_allclose(gb, np.sum(u[:, None] * db, axis=(0, 2, 3), keepdims=True)[0], **TOL)


# -- finite differences: every input and every parameter of each layer ----------------------------------------
@pytest.mark.parametrize("make", [lambda: PReLU(), lambda: PReLU(shared_axes=[2]), lambda: Swish(),
                                  lambda: AdaptivePiecewiseLinear(hinges=2)], ids=["prelu", "prelu-shared", "swish",
                                                                                   "apl"])
def test_layer_gradients_match_finite_differences(make):
    rng = np.random.default_rng(11)
    x = rng.uniform(-2, 2, (4, 3, 2))
    x = np.where(np.abs(x) < 0.1, 0.5, x)
    layer = make()
    weights = {"alpha": rng.normal(0.2, 0.3, (3, 1) if layer.__dict__.get("shared_axes") else (3, 2)),
               "beta": np.array(0.7), "a": rng.normal(0, 0.8, (2, 3, 2)), "b": rng.uniform(-2, 2, (2, 3, 2))}
    layer = float64(layer, x, **weights)
    _, grads, u = tape(layer, x)

    def loss():
        return float(np.sum(layer(rb.constant(x)).numpy() * u))

    eps = 1e-6
    for array, grad in zip([x] + [w._value for w in layer.weights], grads):
        numeric = np.zeros_like(array, dtype=float)
        for i in range(array.size):
            keep = array.flat[i]
            array.flat[i] = keep + eps
            up = loss()
            array.flat[i] = keep - eps
            down = loss()
            array.flat[i] = keep
            numeric.flat[i] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


# -- training, float32, saving --------------------------------------------------------------------------
def network(activation, seed=0):
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8), activation,
                           rb.layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=rb.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    return model


@pytest.mark.parametrize("make", [PReLU, Swish, AdaptivePiecewiseLinear])
def test_training_moves_the_activations_parameters(make):
    x, y = rb.data.points.get("circles")(n_samples=200, seed=0)
    activation = make()
    model = network(activation)
    before = [w.numpy() for w in activation.weights]
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0, seed=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
    for w, start in zip(activation.weights, before):
        assert w.dtype == "float32"
        assert np.abs(w.numpy() - start).max() > 0.05, w.name


def test_a_fixed_beta_is_saved_but_not_trained():
    x, y = rb.data.points.get("moons")(n_samples=64, seed=0)
    activation = Swish(beta_initializer=1.5, trainable_beta=False)
    model = network(activation)
    model.fit(x, y, epochs=2, verbose=0)
    assert activation.trainable_weights == [] and float(activation.beta) == 1.5
    assert activation.non_trainable_weights == [activation.beta]


def test_save_and_load_round_trip(tmp_path):
    x, _ = rb.data.points.get("xor")(n_samples=50, seed=1)
    layers = [rb.layers.Input((2,)), rb.layers.Dense(6), PReLU(alpha_initializer="random_normal"),
              rb.layers.Dense(6), Swish(beta_initializer=0.5, beta_regularizer="l2"),
              rb.layers.Reshape((3, 2)), AdaptivePiecewiseLinear(hinges=3, shared_axes=[1]),
              PReLU(shared_axes=[1, 2], alpha_initializer=rb.initializers.Constant(0.1)),
              rb.layers.Flatten(), rb.layers.Dense(1, activation="sigmoid")]
    model = rb.Sequential(layers, seed=3)
    for w in model.weights:  # every parameter away from its initial value
        w.assign(w.numpy() + np.random.default_rng(0).normal(0, 0.3, w.shape))
    model.save(tmp_path / "m.npz")
    again = rb.models.load_model(tmp_path / "m.npz")
    np.testing.assert_array_equal(again.predict(x), model.predict(x))
    for ours, theirs in zip(model.layers, again.layers):
        assert type(ours) is type(theirs) and ours.get_config() == theirs.get_config()
        for v, w in zip(ours.weights, theirs.weights):
            assert v.name == w.name
            np.testing.assert_array_equal(v.numpy(), w.numpy())
    trainable = (PReLU, Swish, AdaptivePiecewiseLinear)
    names = [(type(l).__name__, [(w.name, w.shape) for w in l.weights])
             for l in again.layers if isinstance(l, trainable)]
    assert names == [("PReLU", [("alpha", (6,))]), ("Swish", [("beta", ())]),
                     ("AdaptivePiecewiseLinear", [("a", (3, 1, 2)), ("b", (3, 1, 2))]),
                     ("PReLU", [("alpha", (1, 1))])]
    assert [l.name for l in again.layers if type(l) is PReLU] == ["p_re_lu", "p_re_lu_1"]  # Keras's names


def test_keras_names():
    import rosenblatt.compat.tensorflow as tf

    assert tf.keras.layers.PReLU is PReLU
    config = PReLU().get_config()
    assert {"alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"} <= set(config)


# -- bad input ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [PReLU, AdaptivePiecewiseLinear])
def test_a_wrong_input_shape_names_the_layer_and_both_shapes(make):
    layer = make(name="act")
    layer(rb.constant(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"'act' was built for inputs of shape \(None, 3\), got shape \(2, 4\)"):
        layer(rb.constant(np.ones((2, 4))))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, features...\), got shape \(3,\)"):
        make()(rb.constant(np.ones(3)))


def test_shared_axes_accept_any_size_there():
    layer = PReLU(shared_axes=[1])
    layer(rb.constant(np.ones((2, 5, 3))))
    assert layer(rb.constant(-np.ones((1, 7, 3)))).shape == (1, 7, 3)
    with pytest.raises(ValueError, match=r"built for inputs of shape \(None, None, 3\), got shape \(1, 7, 2\)"):
        layer(rb.constant(np.ones((1, 7, 2))))


@pytest.mark.parametrize("call, message", [
    (lambda: PReLU(shared_axes=[0]), "shared_axes must be axes ≥ 1"),
    (lambda: PReLU(shared_axes="1"), "shared_axes must be axes ≥ 1"),
    (lambda: PReLU(shared_axes=[2])(rb.constant(np.ones((2, 3)))), r"shared_axes \[2\] do not fit inputs of shape"),
    (lambda: PReLU(alpha_constraint="non_neg"), "no weight constraints yet"),
    (lambda: AdaptivePiecewiseLinear(hinges=0), "hinges must be a positive integer, got 0"),
    (lambda: AdaptivePiecewiseLinear(hinges=2.5), "hinges must be a positive integer"),
])
def test_bad_arguments_are_clear(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_in_a_functional_convolutional_model(tmp_path):
    # PReLU per channel after a convolution (α of shape (1, 1, C)), then APL and Swish after a Dense layer
    inputs = rb.layers.Input((4, 4, 3))
    h = rb.layers.PReLU(shared_axes=[1, 2])(rb.layers.Conv2D(4, 3, padding="same")(inputs))
    h = rb.layers.Swish()(rb.layers.AdaptivePiecewiseLinear()(rb.layers.Dense(8)(rb.layers.Flatten()(h))))
    model = rb.Model(inputs, rb.layers.Dense(1, activation="sigmoid")(h))
    trainable = (PReLU, Swish, AdaptivePiecewiseLinear)
    shapes = [w.shape for l in model.layers if isinstance(l, trainable) for w in l.weights]
    assert shapes == [(1, 1, 4), (2, 8), (2, 8), ()]
    x = np.random.default_rng(0).normal(size=(10, 4, 4, 3))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, (x.sum(axis=(1, 2, 3)) > 0).astype(float), epochs=2, verbose=0)
    model.save(tmp_path / "f.npz")
    np.testing.assert_array_equal(rb.models.load_model(tmp_path / "f.npz").predict(x), model.predict(x))


@pytest.mark.parametrize("init", ["ones", rb.initializers.RandomUniform(0.5, 1.5, seed=3), 0.25])
def test_swish_beta_initializers_survive_the_config(init):
    layer = Swish(beta_initializer=init)
    layer(rb.constant(np.ones((1, 2))))
    again = Swish.from_config(layer.get_config())
    again(rb.constant(np.ones((1, 2))))
    assert float(again.beta) == float(layer.beta)
