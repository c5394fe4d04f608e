"""Activations: the lecture's formulas and derivatives written by hand, stability at |z| = 1000."""

import math
import warnings

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import activations as A

Z = np.linspace(-6, 6, 25)


def derivative(fn, z):
    t = rb.constant(z)
    with rb.GradientTape() as tape:
        tape.watch(t)
        out = fn(t)
    return out.numpy(), tape.gradient(out, t).numpy()


def test_lecture_formulas_and_derivatives():
    s, ds = derivative(A.sigmoid, Z)
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-Z)), rtol=1e-15)
    np.testing.assert_allclose(ds, s * (1 - s), rtol=1e-15)  # g'(z) = g(z)(1 − g(z))
    t, dt = derivative(A.tanh, Z)
    np.testing.assert_allclose(t, (np.exp(Z) - np.exp(-Z)) / (np.exp(Z) + np.exp(-Z)), rtol=1e-14)
    np.testing.assert_allclose(dt, 1 - t**2, rtol=1e-15)  # g'(z) = 1 − g(z)²
    r, dr = derivative(A.relu, Z)
    np.testing.assert_array_equal(r, np.maximum(0, Z))
    np.testing.assert_array_equal(dr, (Z > 0).astype(float))  # 1 if z > 0, else 0


def test_other_activations_by_hand():
    z = Z
    np.testing.assert_allclose(A.leaky_relu(z).numpy(), np.where(z > 0, z, 0.2 * z))
    np.testing.assert_allclose(A.elu(z).numpy(), np.where(z > 0, z, np.exp(z) - 1), rtol=1e-14)
    np.testing.assert_allclose(A.softplus(z).numpy(), np.log1p(np.exp(z)), rtol=1e-14)
    np.testing.assert_allclose(A.swish(z).numpy(), z / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(A.gelu(z).numpy(), [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in z], rtol=1e-14)
    p = A.softmax(rb.constant(z.reshape(5, 5))).numpy()
    e = np.exp(z.reshape(5, 5))
    np.testing.assert_allclose(p, e / e.sum(1, keepdims=True), rtol=1e-14)
    np.testing.assert_allclose(A.log_softmax(rb.constant(z.reshape(5, 5))).numpy(), np.log(p), rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(A.linear(rb.constant(z)).numpy(), z)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "gelu",
                                  "softmax", "log_softmax", "linear"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_stable_at_large_inputs(name, dtype):
    z = rb.constant(np.array([[-1000.0, 1000.0, 0.0]]), dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        with rb.GradientTape() as tape:
            tape.watch(z)
            out = A.get(name)(z)
        grad = tape.gradient(out, z)
    assert np.isfinite(out.numpy()).all(), out
    assert np.isfinite(grad.numpy()).all(), grad
    assert out.dtype == np.dtype(dtype) and grad.dtype == np.dtype(dtype)


def test_get_by_name_and_tf_namespaces():
    assert A.get("relu") is rb.nn.relu is rb.activations.relu
    assert A.get(None) is A.linear
    assert rb.math.sigmoid is A.sigmoid
    with pytest.raises(ValueError, match="unknown activation 'rleu'"):
        A.get("rleu")
