"""Activation functions g(z), each one primitive whose derivative is in the primitive table.

The lecture's three: σ(z) = 1/(1 + e^(−z)) with σ' = σ(1 − σ); tanh with tanh' = 1 − tanh²;
ReLU max(0, z) with derivative 1 for z > 0, else 0.  All are stable for |z| = 1000.

>>> import rosenblatt as rb
>>> float(sigmoid(rb.constant(2.0)))
0.8807970...
>>> relu(rb.constant([-1.0, 2.0])).numpy()
array([0., 2.], dtype=float32)
>>> get("relu") is relu
True
"""

from __future__ import annotations

from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.naming import did_you_mean


def _with_logits(kind, z, out):
    # Remember the pre-activation, so that a cross-entropy loss can work on logits (exact and stable).
    out._logits = (kind, z if isinstance(z, Tensor) else Tensor(z))
    return out


def sigmoid(x):
    """σ(z) = 1 / (1 + e^(−z))."""
    return _with_logits("sigmoid", x, apply("sigmoid", x))


def tanh(x):
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))."""
    return apply("tanh", x)


def relu(x):
    """max(0, z)."""
    return apply("relu", x)


def leaky_relu(x, alpha=0.2):
    """z if z > 0 else α·z (α = 0.2 by default, as ``tf.nn.leaky_relu``)."""
    return apply("leaky_relu", x, alpha=alpha)


def elu(x, alpha=1.0):
    """z if z > 0 else α·(e^z − 1)."""
    return apply("elu", x, alpha=alpha)


def softplus(x):
    """ln(1 + e^z), computed as logaddexp(0, z)."""
    return apply("softplus", x)


def swish(x):
    """z·σ(z) (also called SiLU)."""
    return apply("swish", x)


silu = swish


def gelu(x, approximate=False):
    """z·Φ(z) with Φ the normal CDF (exact, via erf); ``approximate=True`` uses the tanh form."""
    return apply("gelu", x, approximate=bool(approximate))


def softmax(x, axis=-1):
    """e^(z_i) / Σ_j e^(z_j) along ``axis`` (shifted by the max, so it never overflows)."""
    return _with_logits("softmax", x, apply("softmax", x, axis=axis))


def log_softmax(x, axis=-1):
    """z_i − log Σ_j e^(z_j) along ``axis``."""
    return apply("log_softmax", x, axis=axis)


def linear(x):
    """The identity, g(z) = z."""
    return x if isinstance(x, Tensor) else Tensor(x)


_BY_NAME = {
    "sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu, "elu": elu,
    "softplus": softplus, "swish": swish, "silu": swish, "gelu": gelu, "softmax": softmax,
    "log_softmax": log_softmax, "linear": linear,
}
_NAME_OF = {fn: name for name, fn in _BY_NAME.items() if name != "silu"}


def get(identifier):
    """The activation for a name (``"relu"``), a callable (returned as is) or None (linear)."""
    if identifier is None:
        return linear
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"unknown activation {identifier!r}; {did_you_mean(identifier, _BY_NAME)}expected one of "
                     f"{sorted(_BY_NAME)} or a callable")


def serialize(fn) -> str | None:
    """The name of a built-in activation (None for a user's own function)."""
    return _NAME_OF.get(fn)
