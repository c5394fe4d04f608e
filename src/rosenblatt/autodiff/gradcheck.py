"""Check a gradient against central finite differences, (f(x + h) − f(x − h)) / 2h.

>>> import rosenblatt as rb
>>> check_gradients(lambda x: rb.reduce_sum(rb.exp(x) * x), np.array([0.5, -1.0]))
True
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.tape import GradientTape
from rosenblatt.autodiff.tensor import Tensor


def numerical_gradient(f, inputs, i, eps=1e-6):
    """∂Σf/∂inputs[i] by central differences, one element at a time (float64)."""
    x = inputs[i]
    grad = np.zeros(np.shape(x), np.float64)
    flat = grad.reshape(-1)
    for j in range(x.size):
        plus = [a.copy() for a in inputs]
        minus = [a.copy() for a in inputs]
        plus[i].reshape(-1)[j] += eps
        minus[i].reshape(-1)[j] -= eps
        f_plus = float(np.sum(f(*[Tensor(a) for a in plus])._value))
        f_minus = float(np.sum(f(*[Tensor(a) for a in minus])._value))
        flat[j] = (f_plus - f_minus) / (2 * eps)
    return grad


def tape_gradients(f, *inputs):
    """The tape's ∂Σf/∂input for every input."""
    tensors = [Tensor(np.asarray(a, dtype=np.float64)) for a in inputs]
    with GradientTape() as tape:
        tape.watch(tensors)
        out = f(*tensors)
    return [None if g is None else g._value for g in tape.gradient(out, tensors)]


def check_gradients(f, *inputs, eps=1e-6, rtol=1e-5, atol=1e-7, raise_error=False):
    """Whether the tape's gradients of Σf match finite differences for every (float64) input."""
    inputs = [np.array(a, dtype=np.float64) for a in inputs]
    analytic = tape_gradients(f, *inputs)
    for i, g in enumerate(analytic):
        numeric = numerical_gradient(f, inputs, i, eps)
        g = np.zeros_like(numeric) if g is None else g
        if not np.allclose(g, numeric, rtol=rtol, atol=atol):
            if raise_error:
                raise AssertionError(f"input {i}: tape {g} vs finite differences {numeric}")
            return False
    return True
