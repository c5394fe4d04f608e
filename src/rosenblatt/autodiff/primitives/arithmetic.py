"""Element-wise arithmetic and matrix product, with their vector-Jacobian products.

Notation: ``g`` is ∂J/∂out, the gradient arriving from above; each VJP returns ∂J/∂input.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.primitives.base import Primitive, unbroadcast


# The binary element-wise VJPs are selective: a constant operand (the 100 of 100·x) gets no gradient work.
def _add_vjp(g, out, saved, x, y, needs=(True, True)):
    return (unbroadcast(g, np.shape(x)) if needs[0] else None), (unbroadcast(g, np.shape(y)) if needs[1] else None)


def _subtract_vjp(g, out, saved, x, y, needs=(True, True)):
    return (unbroadcast(g, np.shape(x)) if needs[0] else None), (unbroadcast(-g, np.shape(y)) if needs[1] else None)


def _multiply_vjp(g, out, saved, x, y, needs=(True, True)):
    gx = unbroadcast(g * y, np.shape(x)) if needs[0] else None
    return gx, (unbroadcast(g * x, np.shape(y)) if needs[1] else None)


def _divide_vjp(g, out, saved, x, y, needs=(True, True)):
    # out = x / y:  ∂/∂x = 1/y,  ∂/∂y = -x/y² = -out/y
    gy = g / y
    gx = unbroadcast(gy, np.shape(x)) if needs[0] else None
    return gx, (unbroadcast(-gy * out, np.shape(y)) if needs[1] else None)


def _power_vjp(g, out, saved, x, y, needs=(True, True)):
    # out = x^y:  ∂/∂x = y·x^(y-1),  ∂/∂y = ln(x)·x^y (defined for x > 0, else 0)
    gx = gy = None
    if needs[0]:
        gx = unbroadcast(g * y * np.power(x, y - 1) if np.ndim(y) or y != 0 else np.zeros_like(g), np.shape(x))
    if needs[1]:
        with np.errstate(divide="ignore", invalid="ignore"):
            log_x = np.where(x > 0, np.log(np.where(x > 0, x, 1)), 0)
        gy = unbroadcast(g * log_x * out, np.shape(y))
    return gx, gy


def _matmul(x, y):
    """x·y as ``numpy.matmul``; shapes that do not fit are an error in the product's words, naming both.

    >>> _matmul(np.ones((2, 3)), np.ones((2, 3)))
    Traceback (most recent call last):
    ...
    ValueError: matmul: shapes (2, 3) and (2, 3) do not fit: a·b needs a's last axis (3) to equal b's second-to-last axis (2)
    """
    try:
        return np.matmul(x, y)
    except ValueError:
        sx, sy = np.shape(x), np.shape(y)
        if not sx or not sy:
            raise ValueError(f"matmul: shapes {sx} and {sy}: a matrix product needs operands with at least one "
                             "axis (use multiply for a number times a tensor)") from None
        b_axis = "only" if len(sy) == 1 else "second-to-last"
        k_b = sy[0] if len(sy) == 1 else sy[-2]
        if sx[-1] != k_b:
            raise ValueError(f"matmul: shapes {sx} and {sy} do not fit: a·b needs a's last axis ({sx[-1]}) to "
                             f"equal b's {b_axis} axis ({k_b})") from None
        raise ValueError(f"matmul: shapes {sx} and {sy} do not fit: their batch axes {sx[:-2]} and {sy[:-2]} "
                         "do not broadcast") from None


def _matmul_vjp(g, out, saved, x, y, needs=(True, True)):
    # out = x @ y:  ∂J/∂x = g @ yᵀ,  ∂J/∂y = xᵀ @ g  (1-D operands are promoted, as NumPy does);
    # each product only where the tape needs it
    x2 = x[None, :] if x.ndim == 1 else x
    y2 = y[:, None] if y.ndim == 1 else y
    g2 = g
    if x.ndim == 1:
        g2 = np.expand_dims(g2, -2)
    if y.ndim == 1:
        g2 = np.expand_dims(g2, -1)
    gx = gy = None
    if needs[0]:
        gx = g2 @ np.swapaxes(y2, -1, -2)
        if x.ndim == 1:
            gx = gx.reshape(gx.shape[:-2] + gx.shape[-1:])
        gx = unbroadcast(gx, x.shape)
    if needs[1]:
        gy = np.swapaxes(x2, -1, -2) @ g2
        if y.ndim == 1:
            gy = gy[..., 0]
        gy = unbroadcast(gy, y.shape)
    return gx, gy


def _negative_vjp(g, out, saved, x):
    return (-g,)


def _exp_vjp(g, out, saved, x):
    return (g * out,)


def _log_vjp(g, out, saved, x):
    return (g / x,)


def _sqrt_vjp(g, out, saved, x):
    return (g / (2 * out),)


def _sin_vjp(g, out, saved, x):
    return (g * np.cos(x),)


def _cos_vjp(g, out, saved, x):
    return (-g * np.sin(x),)


def _square_vjp(g, out, saved, x):
    return (2 * g * x,)


def _abs_vjp(g, out, saved, x):
    return (g * np.sign(x),)


def _maximum_vjp(g, out, saved, x, y):
    # ties go to x, as in TensorFlow
    to_x = x >= y
    return unbroadcast(np.where(to_x, g, 0), np.shape(x)), unbroadcast(np.where(to_x, 0, g), np.shape(y))


def _minimum_vjp(g, out, saved, x, y):
    to_x = x <= y
    return unbroadcast(np.where(to_x, g, 0), np.shape(x)), unbroadcast(np.where(to_x, 0, g), np.shape(y))


def _where(condition, x, y):
    return np.where(condition, x, y)


def _where_vjp(g, out, saved, condition, x, y):
    return (
        None,
        unbroadcast(np.where(condition, g, 0), np.shape(x)),
        unbroadcast(np.where(condition, 0, g), np.shape(y)),
    )


def _clip(x, low, high):
    return np.clip(x, low, high)


def _clip_vjp(g, out, saved, x, low, high):
    # the gradient passes where x is inside [low, high]
    inside = (x >= low) & (x <= high)
    return np.where(inside, g, 0), None, None


def _cast(x, dtype):
    return x.astype(dtype)


def _cast_vjp(g, out, saved, x, dtype):
    if np.dtype(x.dtype).kind not in "fc":
        return (None,)
    return (g.astype(x.dtype),)


TABLE = {
    "add": Primitive(np.add, _add_vjp, selective=True),
    "subtract": Primitive(np.subtract, _subtract_vjp, selective=True),
    "multiply": Primitive(np.multiply, _multiply_vjp, selective=True),
    "divide": Primitive(np.true_divide, _divide_vjp, selective=True),
    "power": Primitive(np.power, _power_vjp, selective=True),
    "matmul": Primitive(_matmul, _matmul_vjp, selective=True),
    "negative": Primitive(np.negative, _negative_vjp),
    "exp": Primitive(np.exp, _exp_vjp),
    "log": Primitive(np.log, _log_vjp),
    "sqrt": Primitive(np.sqrt, _sqrt_vjp),
    "sin": Primitive(np.sin, _sin_vjp),
    "cos": Primitive(np.cos, _cos_vjp),
    "square": Primitive(np.square, _square_vjp),
    "abs": Primitive(np.abs, _abs_vjp),
    "maximum": Primitive(np.maximum, _maximum_vjp),
    "minimum": Primitive(np.minimum, _minimum_vjp),
    "where": Primitive(_where, _where_vjp),
    "clip": Primitive(_clip, _clip_vjp),
    "cast": Primitive(_cast, _cast_vjp),
}
