"""``rosenblatt.explain``: the hand-derived gradients against the tape, PyTorch and finite differences."""

import re

import numpy as np
import pytest
import torch

import rosenblatt as rb


def network(sizes, activation, output="sigmoid", seed=0):
    layers = [rb.layers.Input((sizes[0],), dtype="float64")]
    layers += [rb.layers.Dense(k, activation=activation, dtype="float64", bias_initializer="random_normal")
               for k in sizes[1:-1]]
    layers.append(rb.layers.Dense(sizes[-1], activation=output, dtype="float64", bias_initializer="random_normal"))
    return rb.Sequential(layers, seed=seed)


def data(m, n, j=1, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(m, n)), rng.integers(0, 2, size=(m, j)).astype(np.float64)


def torch_gradients(model, x, y, loss):
    """The same network in PyTorch, its autograd gradients [dW1, db1, …]."""
    params, a = [], torch.tensor(x)
    for layer in model.layers:
        W = torch.tensor(layer.kernel.numpy(), requires_grad=True)
        b = torch.tensor(layer.bias.numpy(), requires_grad=True)
        params += [W, b]
        z = a @ W + b
        name = rb.activations.serialize(layer.activation)
        a = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu, "linear": lambda t: t}[name](z)
    target = torch.tensor(y)
    if loss == "binary_crossentropy":
        J = torch.nn.functional.binary_cross_entropy_with_logits(z, target)
    else:
        J = torch.nn.functional.mse_loss(a, target)
    J.backward()
    return [p.grad.numpy() for p in params], J.item()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("sizes", [[3, 4, 1], [3, 4, 3, 1]], ids=["two layers", "three layers"])
@pytest.mark.parametrize("m", [1, 5])
def test_hand_gradients_equal_the_tape_to_1e_12(activation, sizes, m):
    model = network(sizes, activation)
    x, y = data(m, sizes[0])
    e = rb.explain(model, x, y)
    assert len(e.hand) == len(e.tape) == 2 * (len(sizes) - 1)
    for hand, tape, variable in zip(e.hand, e.tape, model.trainable_weights):
        assert hand.shape == tape.shape == variable.shape
        np.testing.assert_allclose(hand, tape, rtol=1e-12, atol=1e-12 * max(1.0, np.abs(tape).max()))
    assert e.equal and e.max_tape_difference <= 1e-12
    expected, J = torch_gradients(model, x, y, "binary_crossentropy")  # an independent reference
    for hand, ref in zip(e.hand, expected):
        np.testing.assert_allclose(hand, ref, rtol=1e-12, atol=1e-15)
    assert e.J == pytest.approx(J, rel=1e-13) and e.J_model == pytest.approx(J, rel=1e-13)
    assert e.max_fd_relative_error < 1e-5
    # every dW and db has its finite-difference estimate beside it
    checked = [s.symbol for s in e.backward if s.check]
    assert checked == [f"{d}{l}" for l in range(len(sizes) - 1, 0, -1) for d in ("dW", "db")]


def test_mean_squared_error_and_several_outputs():
    model = network([2, 3, 2], "tanh", output="linear")
    x, y = data(4, 2, j=2)
    e = rb.explain(model, x, y, loss="mse")
    expected, J = torch_gradients(model, x, y, "mean_squared_error")
    for hand, tape, ref in zip(e.hand, e.tape, expected):
        np.testing.assert_allclose(hand, ref, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(hand, tape, rtol=1e-12, atol=1e-15)
    assert e.J == pytest.approx(J, rel=1e-13)


def test_the_lecture_formulas_written_here():
    """One example through a [2, 2, 1] sigmoid network, each line of the slide computed in this test."""
    model = network([2, 2, 1], "sigmoid")
    x, y = np.array([[-2.0, 2.0]]), np.array([[1.0]])
    e = rb.explain(model, x, y)
    (W1, b1), (W2, b2) = [(layer.kernel.numpy(), layer.bias.numpy()) for layer in model.layers]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    z1 = x @ W1 + b1
    a1 = sig(z1)
    a2 = sig(a1 @ W2 + b2)
    dz2 = a2 - y
    dz1 = dz2 @ W2.T * a1 * (1 - a1)
    values = {s.symbol: s.value for s in e.forward + e.backward}
    np.testing.assert_allclose(values["z1"], z1, rtol=1e-14)
    np.testing.assert_allclose(values["a2"], a2, rtol=1e-14)
    np.testing.assert_allclose(values["J"], -np.log(a2[0, 0]), rtol=1e-13)
    np.testing.assert_allclose(values["dW2"], a1.T @ dz2, rtol=1e-13)
    np.testing.assert_allclose(values["dW1"], x.T @ dz1, rtol=1e-13)
    np.testing.assert_allclose(values["db1"], dz1, rtol=1e-13)


def test_shapes_and_batch_sums_are_spelled_out():
    model = network([3, 4, 1], "relu")
    x, y = data(5, 3)
    text = str(rb.explain(model, x, y, digits=2))
    assert "z1 = X·W1 + b1    (5 × 4) = (5 × 3)·(3 × 4) + (1 × 4)" in text
    assert "b1 (1 × 4) is added to each of the 5 rows (broadcasting)" in text
    assert "dW1 = Xᵀ·dz1    (3 × 4) = (3 × 5)·(5 × 4)" in text
    assert "db1 = Σ over the batch of dz1    (1 × 4)" in text
    assert "sum of the rows of dz1" in text
    assert "dz1 = da1 ⊙ g′(z1) = da1 ⊙ [z1 > 0]" in text
    assert "equal to 1e-12" in text and "NOT" not in text
    numbers = re.findall(r"-?\d+\.\d+", text.split("Backward pass")[0].split("z1 = ")[1])
    assert numbers and all(len(n.split(".")[1]) <= 2 for n in numbers)  # digits=2: two decimals at most


def test_worksheet_blanks_what_is_computed_and_keeps_what_is_given():
    model = network([2, 2, 1], "tanh")
    x, y = data(1, 2)
    full = rb.explain(model, x, y, digits=3)
    sheet = rb.explain(model, x, y, digits=3, worksheet=True)
    assert sheet.answer_key().to_text() == full.to_text()
    text = sheet.to_text()
    assert "____" in text and "____" not in full.to_text()
    W1 = np.array2string(model.layers[0].kernel.numpy(), precision=3, suppress_small=True, separator=" ")
    assert W1.splitlines()[0] in text  # the exercise's data stays
    z1 = full.forward[[s.symbol for s in full.forward].index("z1")].value
    assert f"{z1[0, 0]:.3f}" in full.to_text() and f"{z1[0, 0]:.3f}" not in text
    assert "Check against the GradientTape" not in text
    assert r"\square" in sheet.to_markdown() and r"\square" not in full.to_markdown()


def test_markdown_is_latex_for_notes_and_the_notebook_display():
    model = network([2, 3, 1], "sigmoid")
    e = rb.explain(model, *data(2, 2))
    md = e.to_markdown()
    assert e._repr_markdown_() == md
    assert r"$$z_{1} = X W^{(1)} + b^{(1)} = \begin{bmatrix}" in md
    assert r"dW^{(2)} = a_{1}^T \, dz_{2}" in md and r"(3 \times 1)" in md
    assert md.count("finite differences") == 4
    assert md.count("$$") % 2 == 0


@pytest.mark.parametrize("make, message", [
    (lambda: (rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="softplus")]), "mse"),
     "activation 'softplus'"),
    (lambda: (network([2, 1], "relu", output="relu"), None), "binary cross-entropy needs a sigmoid output"),
    (lambda: (network([2, 1], "relu"), "hinge"), "loss must be one of"),
])
def test_bad_models(make, message):
    model, loss = make()
    with pytest.raises(ValueError, match=message):
        rb.explain(model, np.zeros((1, 2)), [1.0], loss=loss)


def test_bad_data():
    model = network([2, 2, 1], "relu")
    with pytest.raises(ValueError, match=r"x must be \(m, 2\) or \(2,\) .*got shape \(1, 3\)"):
        rb.explain(model, np.zeros((1, 3)), [1.0])
    with pytest.raises(ValueError, match=r"y must hold 2 × 1 labels .*got \(3,\)"):
        rb.explain(model, np.zeros((2, 2)), [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="finite"):
        rb.explain(model, np.full((1, 2), np.nan), [1.0])
    with pytest.raises(ValueError, match="digits must be an int from 0 to 17, got -1"):
        rb.explain(model, np.zeros((1, 2)), [1.0], digits=-1)
    single = rb.explain(model, np.zeros(2), 1.0)  # one example as a vector
    assert single.forward[0].value.shape == (1, 2)


def test_weights_are_left_as_they_were():
    model = network([2, 3, 1], "tanh")
    before = [w.numpy() for w in model.trainable_weights]
    rb.explain(model, *data(3, 2))
    for w, b in zip(model.trainable_weights, before):
        np.testing.assert_array_equal(w.numpy(), b)


def test_a_float32_model_is_checked_at_float32s_precision():
    model = rb.Sequential([rb.layers.Dense(3, activation="tanh"), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    model(np.zeros((1, 2)))
    e = rb.explain(model, *data(4, 2))
    assert e.dtype == "float32" and e.tolerance == 1e-5
    assert e.equal and e.max_tape_difference < 1e-6
    assert e.max_fd_relative_error < 1e-2  # h = 5e-3: float32 cannot do better than about 1e-4
    assert "(equal to 1e-05)" in str(e) and "(float32)" in str(e)
