"""``rosenblatt.function``: the replayed trace gives the eager tape's bits, and is the right derivative."""

import numpy as np
import pytest
import torch

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from rosenblatt.apps.playground.expression import compile_formula
from rosenblatt.apps.playground.landscapes import LANDSCAPES
from rosenblatt.autodiff.gradcheck import numerical_gradient
from rosenblatt.autodiff.primitives import PRIMITIVES


def eager(f, *arrays):
    """(value, gradients) from the GradientTape, as arrays (None where unconnected)."""
    tensors = [rb.Variable(a) for a in arrays]
    with np.errstate(all="ignore"):
        with rb.GradientTape() as tape:
            out = f(*tensors)
        grads = tape.gradient(out, tensors)
    return out._value, [None if g is None else g._value for g in grads]


def same_bits(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def assert_same(f, *arrays):
    traced = rb.function(f)
    with np.errstate(all="ignore"):
        value, grads = traced.gradient(*arrays)
        forward = traced(*arrays)
    want_value, want_grads = eager(f, *arrays)
    assert same_bits(value, want_value) and same_bits(forward._value, want_value)
    assert len(grads) == len(want_grads)
    for g, w in zip(grads, want_grads):
        assert same_bits(g, w), (g, w)
    return traced


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
@pytest.mark.parametrize("k", [1, 7])
def test_every_landscape_has_the_tapes_bits(name, k):
    J = compile_formula(LANDSCAPES[name].formula)
    rng = np.random.default_rng(k)
    traced = rb.function(J)
    for scale in (0.5, 3.0, 1e3):  # the window, and far outside it (overflow to inf, NaN)
        w1, w2 = rng.normal(0, scale, k), rng.normal(0, scale, k)
        value, grads = traced.gradient(w1, w2, unconnected_gradients="zero")
        want_value, want_grads = eager(J, w1, w2)
        assert same_bits(value, want_value)
        for g, w in zip(grads, want_grads):
            assert same_bits(g, w)
    assert traced.trace_count == 1


def random_formula(rng, depth=0):
    leaves = ["w1", "w2", f"{rng.uniform(-3, 3):.3g}", "pi"]
    if depth > 3 or rng.random() < 0.25:
        return str(rng.choice(leaves))
    kind = rng.integers(0, 4)
    if kind == 0:
        return f"{rng.choice(['exp', 'log', 'sin', 'cos', 'sqrt', 'abs'])}({random_formula(rng, depth + 1)})"
    if kind == 1:
        return f"-({random_formula(rng, depth + 1)})"
    if kind == 2:
        return f"({random_formula(rng, depth + 1)})^{rng.choice(['2', '3', '0.5', 'w2'])}"
    op = rng.choice(["+", "-", "*", "/"])
    return f"({random_formula(rng, depth + 1)} {op} {random_formula(rng, depth + 1)})"


def test_random_formulas_have_the_tapes_bits():
    rng = np.random.default_rng(13)
    for _ in range(150):
        text = f"w1 * 0 + {random_formula(rng)}"  # the parser wants w1 or w2 somewhere
        J = compile_formula(text)
        w1, w2 = rng.normal(0, 2, 5), rng.normal(0, 2, 5)
        traced = rb.function(J)
        with np.errstate(all="ignore"):
            value, grads = traced.gradient(w1, w2, unconnected_gradients="zero")
        want_value, want_grads = eager(J, w1, w2)
        assert same_bits(value, want_value), text
        for g, w in zip(grads, want_grads):
            assert same_bits(g, np.zeros_like(w1) if w is None else w), text


def dense_loss(X, y, W1, b1, W2, b2):
    hidden = rb.activations.relu(rb.matmul(X, W1) + b1)
    p = rb.activations.sigmoid(rb.matmul(hidden, W2) + b2)
    return rb.losses.BinaryCrossentropy()(y, p)


def test_a_dense_networks_loss_has_the_tapes_bits_and_torchs_gradient():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(16, 3)), (rng.random((16, 1)) < 0.5).astype(np.float64)
    W1, b1, W2, b2 = rng.normal(size=(3, 5)), rng.normal(size=5), rng.normal(size=(5, 1)), rng.normal(size=1)
    traced = assert_same(dense_loss, X, y, W1, b1, W2, b2)
    assert_same(dense_loss, *(a.astype(np.float32) for a in (X, y, W1, b1, W2, b2)))
    # against PyTorch, and against the lecture's dW = (1/m) Xᵀ dZ, dZ = A − Y for the output layer
    t = [torch.tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
    h = torch.relu(torch.tensor(X) @ t[0] + t[1])
    loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(h @ t[2] + t[3]), torch.tensor(y))
    loss.backward()
    value, grads = traced.gradient(X, y, W1, b1, W2, b2)
    assert np.isclose(value, loss.item(), rtol=1e-6)
    for g, w in zip(grads[2:], t):
        np.testing.assert_allclose(g, w.grad.numpy(), rtol=1e-6, atol=1e-9)
    H = np.maximum(X @ W1 + b1, 0)
    A = 1 / (1 + np.exp(-(H @ W2 + b2)))
    np.testing.assert_allclose(grads[4], H.T @ (A - y) / len(X), rtol=1e-6)


def test_finite_differences():
    def f(x, w, c):
        return rb.reduce_sum(rb.exp(rb.matmul(x, w) * 0.3) / (1 + c ** 2) - rb.sqrt(rb.abs(x) + 1.0)[:, :1], axis=0)

    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)]
    traced = rb.function(f)
    _, grads = traced.gradient(*arrays)
    for i, g in enumerate(grads):
        np.testing.assert_allclose(g, numerical_gradient(traced, arrays, i), rtol=1e-6, atol=1e-8)


def test_traces_once_per_signature_and_again_for_new_shapes_or_dtypes():
    calls = []

    @rb.function
    def f(x):
        calls.append(x.shape)
        return rb.reduce_sum(x * x)

    for _ in range(3):
        assert float(f(np.ones(3)).numpy()) == 3.0
    f(np.ones((2, 2)))
    _, (g,) = f.gradient(np.ones(2, np.float32))
    assert g.dtype == np.float32 and calls == [(3,), (2, 2), (2,)] and f.trace_count == 3
    _, (g,) = f.gradient(np.arange(3.0))
    np.testing.assert_array_equal(g, [0.0, 2.0, 4.0])  # new values, the same trace
    assert f.trace_count == 3


def test_python_control_flow_on_shapes_runs_at_trace_time_and_values_are_refused():
    @rb.function
    def by_shape(x):
        return x * 2.0 if x.shape[0] > 2 else x * 3.0

    assert by_shape(np.ones(3)).numpy().tolist() == [2.0] * 3 and by_shape(np.ones(1)).numpy().tolist() == [3.0]
    for body in (lambda x: x if x > 0 else -x, lambda x: x * float(x), lambda x: x * x.numpy(),
                 lambda x: rb.where(rb.greater(x, 0.0), x, -x), lambda x: rb.constant(np.asarray(x)),
                 lambda x: rb.constant(x) * 2.0, lambda x: rb.Variable(x) * 2.0,
                 lambda x: rb.convert_to_tensor(x, rb.float32) * 2.0):
        with pytest.raises(TypeError, match="reads the values of a tensor that depends on the function's arguments"):
            rb.function(body)(np.ones(()))


def test_bad_arguments_and_results_are_named():
    with pytest.raises(TypeError, match="f: argument 1 is a str"):
        rb.function(lambda x, s: x, name="f")(np.ones(2), "mean")
    with pytest.raises(TypeError, match="returned a dict; a traced function returns one tensor"):
        rb.function(lambda x: {"y": x})(np.ones(2))
    with pytest.raises(ValueError, match="unconnected_gradients must be 'none' or 'zero', got 'nan'"):
        rb.function(lambda x: x).gradient(np.ones(2), unconnected_gradients="nan")


def test_unconnected_constant_and_integer_arguments():
    f = rb.function(lambda x, y, n: x * 2.0 + rb.cast(n, rb.float64))
    value, (gx, gy, gn) = f.gradient(np.ones(2), np.ones(2), np.arange(2))
    assert value.tolist() == [2.0, 3.0] and gx.tolist() == [2.0, 2.0] and gy is None and gn is None
    _, (gx, gy, gn) = f.gradient(np.ones(2), np.ones(2), np.arange(2), unconnected_gradients="zero")
    assert gy.tolist() == [0.0, 0.0] and gn.tolist() == [0, 0]
    const = rb.function(lambda x: rb.constant(5.0))
    assert float(const(np.ones(2)).numpy()) == 5.0 and const.gradient(np.ones(2))[1] == [None]
    identity = rb.function(lambda x: x)
    _, (g,) = identity.gradient(np.ones(3))
    g[0] = 7.0  # the result is the caller's to change: the shared seed stays ones
    assert identity.gradient(np.ones(3))[1][0].tolist() == [1.0, 1.0, 1.0]


def test_captured_variables_are_read_by_reference_and_a_recording_tape_sees_every_op():
    w = rb.Variable(np.array([2.0]))
    f = tf.function(lambda x: x * w)
    assert f(np.array([3.0])).numpy().tolist() == [6.0]
    w.assign([5.0])
    assert f(np.array([3.0])).numpy().tolist() == [15.0]
    x = rb.Variable(np.array([3.0]))
    with rb.GradientTape() as tape:
        y = f(x)
    gx, gw = tape.gradient(y, [x, w])
    assert gx.numpy().tolist() == [5.0] and gw.numpy().tolist() == [3.0]


def test_a_trace_outside_the_tape_leaves_an_outer_tape_alone():
    f = rb.function(lambda x: x * 3.0)
    w = rb.Variable(np.array([1.0]))
    with rb.GradientTape() as tape:
        f.get_concrete_function(np.ones(1))  # tracing only: no operation of the outer tape's
        y = w * 2.0
    assert tape.gradient(y, w).numpy().tolist() == [2.0]
    assert "def gradient(" in f.get_concrete_function(np.ones(1)).source


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "power"])
def test_binary_arithmetic_skips_the_constants_gradient(name):
    prim = PRIMITIVES[name]
    x, y = np.array([2.0, 3.0]), np.array([1.5])
    out = prim.forward(x, y)
    full = prim.vjp(np.ones(2), out, None, x, y)
    gx, gy = prim.vjp(np.ones(2), out, None, x, y, needs=(True, False))
    assert prim.selective and gy is None and same_bits(gx, full[0])
    gx, gy = prim.vjp(np.ones(2), out, None, x, y, needs=(False, True))
    assert gx is None and same_bits(gy, full[1])


def test_any_table_entry_replays_convolutions_pools_and_a_dense_layers_saved_values():
    rng = np.random.default_rng(2)
    dense = rb.layers.Dense(3, activation="relu")  # its variables are captured: constants of the trace

    def loss(x, filters, labels):
        z = rb.nn.conv2d(x, filters, strides=1, padding="SAME")
        z = rb.nn.max_pool2d(rb.activations.relu(z), ksize=2, strides=2, padding="VALID")
        z = rb.nn.avg_pool2d(z, ksize=2, strides=1, padding="SAME")
        logits = dense(rb.reshape(z, (x.shape[0], -1)))
        return rb.losses.CategoricalCrossentropy(from_logits=True)(labels, logits)

    x, filters = rng.normal(size=(2, 6, 6, 2)), rng.normal(size=(3, 3, 2, 4))
    labels = np.eye(3)[[0, 2]]
    loss(rb.constant(x), rb.constant(filters), rb.constant(labels))  # builds the layer
    assert_same(loss, x, filters, labels)
