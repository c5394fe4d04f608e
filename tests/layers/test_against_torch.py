"""Gradients of random Dense networks equal PyTorch's, in float64, for every activation and loss."""

import numpy as np
import pytest

import rosenblatt as rb

torch = pytest.importorskip("torch")
F = torch.nn.functional

ACTIVATIONS = {
    "sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.2), "elu": F.elu, "softplus": F.softplus,
    "swish": F.silu, "gelu": F.gelu, "linear": lambda z: z,
}


def make(rng, sizes, activation, out_activation):
    model = rb.Sequential([rb.layers.Dense(k, activation=activation, dtype="float64") for k in sizes[1:-1]]
                          + [rb.layers.Dense(sizes[-1], activation=out_activation, dtype="float64")])
    model.build((None, sizes[0]))
    for w in model.weights:
        w.assign(rng.normal(0, 0.7, w.shape))
    return model


def torch_forward(model, x, activation, out_activation):
    params = [torch.tensor(w.numpy(), requires_grad=True) for w in model.weights]
    a = torch.tensor(x)
    for i in range(0, len(params), 2):
        z = a @ params[i] + params[i + 1]
        last = i == len(params) - 2
        name = out_activation if last else activation
        a = z if name in (None, "linear") else (torch.softmax(z, -1) if name == "softmax" else ACTIVATIONS[name](z))
    return params, a, z


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_binary_crossentropy_network(activation):
    rng = np.random.default_rng(abs(hash(activation)) % 2**32)
    x = rng.normal(size=(16, 5))
    y = (rng.random(16) > 0.5).astype(np.float64)
    model = make(rng, [5, 6, 4, 1], activation, "sigmoid")
    with rb.GradientTape() as tape:
        loss = rb.losses.BinaryCrossentropy()(y, model(x))
    grads = tape.gradient(loss, model.trainable_weights)
    params, _, z = torch_forward(model, x, activation, "sigmoid")
    expected = F.binary_cross_entropy_with_logits(z[:, 0], torch.tensor(y))
    expected.backward()
    assert abs(float(loss) - expected.item()) <= 1e-12 * abs(expected.item()) + 1e-15
    for g, p in zip(grads, params):
        np.testing.assert_allclose(g.numpy(), p.grad.numpy(), rtol=1e-8, atol=1e-13)


@pytest.mark.parametrize("loss_name", ["mse", "categorical", "sparse", "categorical_logits", "bce_probabilities"])
def test_each_loss(loss_name):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(12, 4))
    k = 3
    out_activation = {"mse": "linear", "categorical": "softmax", "sparse": "softmax",
                      "categorical_logits": "linear", "bce_probabilities": "linear"}[loss_name]
    model = make(rng, [4, 5, k], "tanh", out_activation)
    labels = rng.integers(0, k, 12)
    onehot = np.eye(k)[labels]
    params, a, z = torch_forward(model, x, "tanh", out_activation)
    if loss_name == "mse":
        target = rng.normal(size=(12, k))
        ours_fn, theirs = rb.losses.MeanSquaredError(), F.mse_loss(a, torch.tensor(target))
        y = target
    elif loss_name == "categorical":
        ours_fn, theirs, y = rb.losses.CategoricalCrossentropy(), F.cross_entropy(z, torch.tensor(onehot)), onehot
    elif loss_name == "sparse":
        ours_fn, theirs, y = rb.losses.SparseCategoricalCrossentropy(), F.cross_entropy(z, torch.tensor(labels)), labels
    elif loss_name == "categorical_logits":
        ours_fn, theirs = rb.losses.CategoricalCrossentropy(from_logits=True), F.cross_entropy(z, torch.tensor(onehot))
        y = onehot
    else:  # probabilities that did not come from a sigmoid: the clipped formula, as BCELoss away from 0 and 1
        p_np = 1 / (1 + np.exp(-model(x).numpy()))
        model2 = rb.Sequential(model.layers + [rb.layers.Activation(lambda t: 1.0 / (1.0 + rb.exp(-t)), dtype="float64")])
        ours_fn, y = rb.losses.BinaryCrossentropy(), (onehot > 0).astype(float)
        theirs = F.binary_cross_entropy(torch.sigmoid(z), torch.tensor(y))
        assert 0.01 < p_np.min() and p_np.max() < 0.99
        model = model2
    with rb.GradientTape() as tape:
        loss = ours_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_weights)
    theirs.backward()
    np.testing.assert_allclose(float(loss), theirs.item(), rtol=1e-12)
    for g, p in zip(grads, params):
        np.testing.assert_allclose(g.numpy(), p.grad.numpy(), rtol=1e-8, atol=1e-13)


def test_saturated_sigmoid_with_binary_crossentropy_stays_exact():
    z = np.array([[40.0], [-40.0], [800.0], [-800.0]])
    y = np.array([0.0, 1.0, 1.0, 0.0])
    zt = rb.Variable(z, dtype="float64")
    with rb.GradientTape() as tape:
        loss = rb.losses.BinaryCrossentropy()(y, rb.math.sigmoid(zt))
    g = tape.gradient(loss, zt)
    zz = torch.tensor(z[:, 0], requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(zz, torch.tensor(y))
    expected.backward()
    assert np.isfinite(float(loss)) and np.isfinite(g.numpy()).all()
    np.testing.assert_allclose(float(loss), expected.item(), rtol=1e-14)
    np.testing.assert_allclose(g.numpy()[:, 0], zz.grad.numpy(), rtol=1e-12)
