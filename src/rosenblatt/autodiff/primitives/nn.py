"""Activations, the fused dense layer and the losses on logits, with their VJPs.

The activation math (``ACTIVATIONS``) is written once on arrays and serves both the stand-alone
activation primitives and the fused ``dense`` primitive, z = X·W + b, a = g(z); ``dense_stack`` is
that primitive layer after layer (a Sequential of Dense layers records one entry).  The lecture's
derivatives appear as written: σ'(z) = σ(z)(1 − σ(z)), tanh'(z) = 1 − tanh²(z),
relu'(z) = 1 if z > 0 else 0.
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt.autodiff.primitives.base import Primitive

try:  # SciPy's erf and expit when present; else the standard library's erf, element by element
    from scipy.special import erf as _erf
    from scipy.special import expit as _expit  # 1 / (1 + e^(−z)) in one pass, the same bits, no overflow warning
except ImportError:  # pragma: no cover - depends on the environment
    _erf_scalar = np.frompyfunc(math.erf, 1, 1)
    _expit = None

    def _erf(x):
        return _erf_scalar(x).astype(x.dtype)


_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
# 0-d float64 constants: NumPy takes a 0-d array operand faster than a Python float (same values)
_ONE, _CAP = np.array(1.0), np.array(709.0)


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)); e^(−z) may overflow to inf for z ≪ 0, which gives exactly 0.

    Narrower floats are computed in float64 and rounded once, so float32 results are correctly
    rounded (σ(2) = 0.8807971, as TensorFlow prints it).  Without SciPy, −z is capped at 709 first
    (e⁷⁰⁹ is finite in float64): for −z > 709, σ(z) < 1.2·10⁻³⁰⁸ rounds to 0 in float32 either way, so
    the bits are those of the uncapped formula, with no overflow to silence (NaN stays NaN).
    """
    narrow = z.dtype.itemsize < 8 and z.dtype.kind == "f"
    if _expit is not None:
        return _expit(z.astype(np.float64)).astype(z.dtype) if narrow else _expit(z)
    if narrow:  # pragma: no cover - without SciPy
        e = z.astype(np.float64)
        np.negative(e, out=e)
        np.minimum(e, _CAP, out=e)
        np.exp(e, out=e)
        np.add(e, _ONE, out=e)
        return np.divide(_ONE, e, out=e).astype(z.dtype)
    with np.errstate(over="ignore"):  # pragma: no cover - without SciPy
        return 1.0 / (1.0 + np.exp(-z))


def _gelu(z, approximate=False):
    if approximate:
        return 0.5 * z * (1.0 + np.tanh(_SQRT_2_OVER_PI * (z + 0.044715 * z**3)))
    return 0.5 * z * (1.0 + _erf(z / _SQRT_2))


def _gelu_grad(g, z, a, approximate=False):
    if approximate:
        t = np.tanh(_SQRT_2_OVER_PI * (z + 0.044715 * z**3))
        return g * (0.5 * (1 + t) + 0.5 * z * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * z * z))
    return g * (0.5 * (1.0 + _erf(z / _SQRT_2)) + z * np.exp(-0.5 * z * z) * _INV_SQRT_2PI)


def _swish_grad(g, z, a):
    s = sigmoid(z)
    return g * (s + a * (1 - s))  # d/dz z·σ(z) = σ + z·σ(1 − σ)


def _elu(z, alpha=1.0):
    return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))


# name -> (forward(z, **kw) -> a,  backward(g, z, a, **kw) -> ∂J/∂z,  needs z in backward?)
ACTIVATIONS = {
    "linear": (lambda z: z, lambda g, z, a: g, False),
    "sigmoid": (sigmoid, lambda g, z, a: g * (a * (1 - a)), False),
    "tanh": (np.tanh, lambda g, z, a: g * (1 - a * a), False),
    "relu": (lambda z: np.maximum(z, 0), lambda g, z, a: g * (a > 0), False),
    "leaky_relu": (
        lambda z, alpha=0.2: np.where(z > 0, z, alpha * z),
        lambda g, z, a, alpha=0.2: np.where(z > 0, g, alpha * g),
        True,
    ),
    "elu": (_elu, lambda g, z, a, alpha=1.0: np.where(z > 0, g, g * (a + alpha)), True),
    "softplus": (lambda z: np.logaddexp(0, z), lambda g, z, a: g * sigmoid(z), True),
    "swish": (lambda z: z * sigmoid(z), _swish_grad, True),
    "gelu": (_gelu, _gelu_grad, True),
}


def _activation_primitive(name):
    f, df, needs_z = ACTIVATIONS[name]

    def vjp(g, out, saved, z, **kw):
        return (df(g, z, out, **kw),)

    return Primitive(f, vjp)


_dot = np.dot
"""The matrix products of the dense primitives: for 2-D operands ``np.dot`` makes the same BLAS call as ``@``
(the same bits and memory order, tested on 9,216 shapes, orders and transposes), with less of NumPy's own
work around it (~25 % less for the tiny network's products, counted)."""


def _dense(x, w, *b, activation="linear", **kw):
    z = _dot(x, w) if x.ndim == 2 else x @ w
    if b:
        z += b[0]
    f, _, needs_z = ACTIVATIONS[activation]
    if activation == "linear":
        return z, None
    if activation == "relu":
        return np.maximum(z, 0, out=z), None
    return f(z, **kw), (z if needs_z else None)


def _dense_vjp(g, out, z, x, w, *b, activation="linear", needs=(True, True, True), **kw):
    # gz = ∂J/∂z = g ⊙ g'(z);  ∂J/∂X = gz·Wᵀ;  ∂J/∂W = Xᵀ·gz;  ∂J/∂b = Σ_rows gz
    # (∂J/∂X only when the tape needs it: never for a network's first layer, whose X is the data)
    gz = ACTIVATIONS[activation][1](g, z, out, **kw)
    gx = (_dot(gz, w.T) if gz.ndim == 2 else gz @ w.T) if needs[0] else None
    x2, gz2 = (x, gz) if x.ndim == 2 else (x.reshape(-1, x.shape[-1]), gz.reshape(-1, gz.shape[-1]))
    if not needs[1]:
        gw = None
    elif w.flags.c_contiguous:
        gw = _dot(x2.T, gz2)
    else:  # a column-major kernel (layers.dense.COLUMN_MAJOR): (dZᵀ·X)ᵀ, in its layout, is the faster product
        gw = _dot(gz2.T, x2).T
    if not b:
        return gx, gw
    return gx, gw, np.add.reduce(gz2, axis=0) if needs[2] else None


def _dense_stack(x, *weights, activations=()):
    # a⁽⁰⁾ = X;  a⁽ˡ⁾ = g⁽ˡ⁾(a⁽ˡ⁻¹⁾·W⁽ˡ⁾ + b⁽ˡ⁾), with weights = (W⁽¹⁾, b⁽¹⁾, W⁽²⁾, b⁽²⁾, …): the dense
    # primitive above, layer after layer (one tape entry for a whole multi-layer perceptron), written out
    # here for relu and linear layers (the same operations, without a call per layer)
    saved, a = [], x
    for l, activation in enumerate(activations):
        z = _dot(a, weights[2 * l])
        z += weights[2 * l + 1]
        if activation == "relu":
            out, z = np.maximum(z, 0, out=z), None
        elif activation == "linear":
            out, z = z, None
        else:
            out, z = _dense(a, weights[2 * l], weights[2 * l + 1], activation=activation)
        saved.append((a, z))
        a = out
    return a, saved


def _dense_stack_vjp(g, out, saved, x, *weights, activations=(), needs=()):
    # the dense VJP, layer after layer backwards: ∂J/∂a⁽ˡ⁻¹⁾ of one is the g of the one before.  Below the
    # top layer g is the fresh gz·Wᵀ of the layer above, so relu's g ⊙ [a > 0] is taken in place.
    grads = [None] * (1 + len(weights))
    top = len(activations) - 1
    for l in range(top, -1, -1):
        a_prev, z = saved[l]
        a = saved[l + 1][0] if l < top else out
        w, activation = weights[2 * l], activations[l]
        if activation == "relu" and l < top:
            gz = np.multiply(g, a > 0, out=g)
        elif activation == "linear":
            gz = g
        else:
            g, grads[2 * l + 1], grads[2 * l + 2] = _dense_vjp(
                g, a, z, a_prev, w, weights[2 * l + 1], activation=activation,
                needs=(l > 0 or needs[0], needs[2 * l + 1], needs[2 * l + 2]))
            continue
        x2, gz2 = (a_prev, gz) if a_prev.ndim == 2 else (a_prev.reshape(-1, a_prev.shape[-1]),
                                                          gz.reshape(-1, gz.shape[-1]))
        if needs[2 * l + 1]:
            grads[2 * l + 1] = _dot(x2.T, gz2) if w.flags.c_contiguous else _dot(gz2.T, x2).T
        if needs[2 * l + 2]:
            grads[2 * l + 2] = np.add.reduce(gz2, 0)
        g = (_dot(gz, w.T) if gz.ndim == 2 else gz @ w.T) if l > 0 or needs[0] else None
    grads[0] = g
    return tuple(grads)


def _softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_vjp(g, s, saved, z, axis=-1):
    # ∂J/∂z = s ⊙ (g − Σ g⊙s)
    return (s * (g - np.sum(g * s, axis=axis, keepdims=True)),)


def _log_softmax(z, axis=-1):
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _log_softmax_vjp(g, out, saved, z, axis=-1):
    return (g - np.exp(out) * np.sum(g, axis=axis, keepdims=True),)


def _mean(losses):
    """Σ losses / (their number): the ``"sum_over_batch_size"`` reduction, fused into the loss entries."""
    return np.add.reduce(losses, None) / max(losses.size, 1)


def _zero(dtype):
    """A 0-d zero of ``dtype`` (NumPy takes it faster than the Python 0, with the same result)."""
    zero = _ZEROS.get(dtype)
    if zero is None:
        zero = _ZEROS[dtype] = np.zeros((), dtype)
    return zero


_ZEROS: dict = {}


def _sigmoid_bce(z, y, mean=False, probabilities=None):
    # −y·log σ(z) − (1 − y)·log(1 − σ(z)) = log(1 + e^z) − z·y, with log(1 + e^z) = logaddexp(0, z)
    # evaluated as max(z, 0) + log(1 + e^(−|z|)): exact, never overflows.  With ``mean``, J = (1/N) Σ of
    # those (one entry for the loss of a whole batch).
    losses = np.logaddexp(_zero(z.dtype) if z.dtype.kind == "f" else 0, z)
    losses -= z * y
    return _mean(losses) if mean else losses


def _sigmoid_bce_vjp(g, out, saved, z, y, mean=False, probabilities=None, needs=(True, True)):
    # ∂L/∂z = σ(z) − y,  ∂L/∂y = −z  (each divided by N for the mean); ``probabilities`` is σ(z) when
    # the caller has it already (a sigmoid layer's output), so that it is not computed twice
    if mean:  # g / N as a 0-d array, which NumPy multiplies faster than a NumPy scalar (the same product)
        g = np.asarray(g / max(z.size, 1))
    if not needs[0]:
        return None, -g * z if needs[1] else None
    p = sigmoid(z) if probabilities is None else probabilities
    return g * (p - y), -g * z if needs[1] else None


def _per_sample(g, z, axis, mean):
    """∂J/∂(each sample's loss), with the class axis put back so that it broadcasts against z."""
    if mean:
        return g / max(z.size // max(z.shape[axis], 1), 1)
    return np.expand_dims(g, axis)


def _softmax_ce(z, y, axis=-1, mean=False):
    log_p = _log_softmax(z, axis)
    losses = -np.sum(y * log_p, axis=axis)
    return (_mean(losses) if mean else losses), log_p


def _softmax_ce_vjp(g, out, log_p, z, y, axis=-1, mean=False, needs=(True, True)):
    g = _per_sample(g, z, axis, mean)
    gz = g * (np.exp(log_p) * np.sum(y, axis=axis, keepdims=True) - y) if needs[0] else None
    return gz, -g * log_p if needs[1] else None


def _label_index(log_p, labels):
    """The index that picks each sample's label column: rows and labels for a batch, else along the last axis."""
    labels = labels.astype(np.intp, copy=False)
    if log_p.ndim == 2:
        return np.arange(len(log_p)), labels
    return tuple(np.indices(labels.shape, sparse=True)) + (labels,)


def _sparse_softmax_ce(z, labels, mean=False):
    log_p = _log_softmax(z, -1)
    losses = -log_p[_label_index(log_p, labels)]
    return (_mean(losses) if mean else losses), log_p


def _sparse_softmax_ce_vjp(g, out, log_p, z, labels, mean=False):
    # ∂L/∂z = softmax(z) − onehot(label)
    gz = np.exp(log_p)
    gz[_label_index(log_p, labels)] -= 1
    return _per_sample(g, z, -1, mean) * gz, None


TABLE = {name: _activation_primitive(name) for name in ACTIVATIONS if name != "linear"}
TABLE.update(
    {
        "dense": Primitive(_dense, _dense_vjp, saves=True, selective=True),
        "dense_stack": Primitive(_dense_stack, _dense_stack_vjp, saves=True, selective=True),
        "softmax": Primitive(_softmax, _softmax_vjp),
        "log_softmax": Primitive(_log_softmax, _log_softmax_vjp),
        "sigmoid_cross_entropy_with_logits": Primitive(_sigmoid_bce, _sigmoid_bce_vjp, selective=True),
        "softmax_cross_entropy_with_logits": Primitive(_softmax_ce, _softmax_ce_vjp, saves=True, selective=True),
        "sparse_softmax_cross_entropy_with_logits": Primitive(_sparse_softmax_ce, _sparse_softmax_ce_vjp, saves=True),
    }
)
