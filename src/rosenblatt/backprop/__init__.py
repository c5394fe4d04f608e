"""Backpropagation with pencil and paper: every step of a forward and backward pass, with numbers.

:func:`explain` takes a small :class:`~rosenblatt.Sequential` of ``Dense`` layers, one example or a
batch, and writes out z1 = X·W1 + b1, a1 = g(z1), …, the loss J, then dz, dW, db for each layer
(the formulas of :mod:`rosenblatt.backprop.steps`), each with its shape as on the lecture's
"Matrix Dimension" slide and its value.  Beside every dW and db: its central finite-difference
estimate (J computed by the model itself) and the relative error; at the end, the hand-derived
gradients against the :class:`~rosenblatt.GradientTape`'s.

>>> import numpy as np
>>> import rosenblatt as rb
>>> model = rb.Sequential([rb.layers.Input((2,), dtype="float64"),
...                        rb.layers.Dense(2, activation="sigmoid", dtype="float64"),
...                        rb.layers.Dense(1, activation="sigmoid", dtype="float64")], seed=0)
>>> e = rb.explain(model, np.array([[-2.0, 2.0]]), np.array([1.0]), digits=3)
>>> e.max_tape_difference < 1e-12, e.max_fd_relative_error < 1e-6
(True, True)
>>> print(e)                                                   # doctest: +ELLIPSIS
Backpropagation with pencil and paper: a [2, 2, 1] network (sigmoid, sigmoid), binary cross-entropy, m = 1
...
Forward pass
  X: the inputs, one example per row    (1 × 2)
      [[-2.  2.]]
...
  dW2 = a1ᵀ·dz2    (2 × 1) = (2 × 1)·(1 × 1)
...
>>> print(e.worksheet())                                       # doctest: +ELLIPSIS
Backpropagation with pencil and paper: ... m = 1 (worksheet: fill in the blanks; the answer key is the full explanation)
...
  z1 = X·W1 + b1    (1 × 2) = (1 × 2)·(2 × 2) + (1 × 2)
      [[____  ____]]
...
"""

from __future__ import annotations

import numpy as np

from rosenblatt.backprop.render import Explanation
from rosenblatt.backprop.steps import ACTIVATIONS, LOSSES, Step, forward_backward, relative_error

__all__ = ["explain", "Explanation", "Step", "relative_error"]
_SPOKEN = {"binary_crossentropy": "binary cross-entropy", "mean_squared_error": "mean squared error"}


def explain(model, x, y, loss=None, digits=4, worksheet=False, fd_step=None):
    """Forward and backward pass of ``model`` on ``x``, ``y``, written out by hand and checked.

    Args:
        model: a built ``Sequential`` of ``Dense`` layers with sigmoid, tanh, relu or linear activations
            (float64 for the check to 1e-12; a float32 model is checked to 1e-5, float32's precision).
        x: one example (n,) or a batch (m, n).  y: its label(s), (m,) or (m, j).
        loss: ``"binary_crossentropy"`` (the last activation must then be sigmoid) or
            ``"mean_squared_error"``; default: the model's compiled loss, else binary cross-entropy.
        digits: the decimals printed (NumPy's ``precision``; default 4).
        worksheet: True to return the worksheet (numbers blanked) whose ``answer_key()`` is the full one.
        fd_step: h in the central difference (J(w + h) − J(w − h)) / 2h (default 1e-6 for float64,
            5e-3 for float32, about ε^(1/3) of the dtype: the truncation error h² against rounding ε/h).

    Returns:
        an :class:`Explanation`: ``print`` it, ``.to_markdown()`` for notes (LaTeX in ``$$``), or leave it
        last in a notebook cell for the rich display.  ``.hand``, ``.tape`` and ``.finite_differences``
        hold the gradients ``[dW1, db1, dW2, db2, …]``.
    """
    from rosenblatt.layers.dense import Dense

    layers = [layer for layer in getattr(model, "layers", [])]
    if not layers or not all(type(layer) is Dense and layer.use_bias for layer in layers):
        raise ValueError("explain: model must be a Sequential of Dense layers with biases; got "
                         f"{[type(layer).__name__ for layer in layers] or model!r}")
    from rosenblatt import activations as activations_module

    names = [activations_module.serialize(layer.activation) for layer in layers]
    for layer, name in zip(layers, names):
        if name not in ACTIVATIONS:
            raise ValueError(f"explain: layer '{layer.name}' has activation {name or layer.activation!r}; "
                             f"the hand derivation knows {sorted(ACTIVATIONS)}")
    loss = _loss_name(loss if loss is not None else getattr(model, "loss", None))
    if loss == "binary_crossentropy" and names[-1] != "sigmoid":
        raise ValueError(f"explain: binary cross-entropy needs a sigmoid output; the last layer "
                         f"'{layers[-1].name}' has {names[-1]!r} (use loss='mean_squared_error')")
    dtype = layers[0].kernel._value.dtype
    x = np.asarray(x, dtype=dtype)
    x = x[None, :] if x.ndim == 1 else x
    n = layers[0].kernel.shape[0]
    if x.ndim != 2 or x.shape[1] != n:
        raise ValueError(f"explain: x must be (m, {n}) or ({n},) for layer '{layers[0].name}'; got shape {x.shape}")
    j = layers[-1].units
    if np.size(y) != len(x) * j:
        raise ValueError(f"explain: y must hold {len(x)} × {j} labels for x of shape {x.shape}; got {np.shape(y)}")
    y = np.asarray(y, dtype=dtype).reshape(len(x), j)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("explain: x and y must be finite (no NaN or inf)")
    weights = [(layer.kernel.numpy().astype(np.float64), layer.bias.numpy().astype(np.float64)) for layer in layers]
    forward, backward, hand, J, y_hat = forward_backward(weights, names, loss, x.astype(np.float64),
                                                         y.astype(np.float64))
    variables = [w for layer in layers for w in (layer.kernel, layer.bias)]
    tape, J_model, out = _tape(model, variables, loss, x, y)
    if fd_step is None:
        fd_step = 1e-6 if np.dtype(dtype) == np.float64 else 5e-3
    fd = [_finite_differences(model, v, loss, x, y, fd_step) for v in variables]
    for step in backward:
        k = _index(step.symbol)
        if k is not None:
            fd_k = fd[k].reshape(step.value.shape)
            step.check = {"fd": fd_k, "relative_error": float(np.max(relative_error(step.value, fd_k))),
                          "tape_difference": float(np.max(np.abs(step.value - np.asarray(tape[k]).reshape(step.value.shape))))}
    explanation = Explanation(
        title=f"a [{', '.join(str(s) for s in [n] + [layer.units for layer in layers])}] network "
              f"({', '.join(names)}), {_SPOKEN[loss]}, m = {len(x)}",
        forward=forward, backward=backward, hand=hand, tape=tape, finite_differences=fd, J=J, J_model=J_model,
        output_difference=float(np.max(np.abs(y_hat - out))), digits=digits, dtype=np.dtype(dtype).name)
    return explanation.worksheet() if worksheet else explanation



def _loss_name(loss):
    from rosenblatt import losses

    if loss is None:
        return "binary_crossentropy"
    if isinstance(loss, str):
        name = {"bce": "binary_crossentropy", "mse": "mean_squared_error"}.get(loss, loss)
    elif isinstance(loss, losses.BinaryCrossentropy) and not loss.from_logits and not loss.label_smoothing:
        name = "binary_crossentropy"
    elif isinstance(loss, losses.MeanSquaredError):
        name = "mean_squared_error"
    else:
        name = repr(loss)
    if name not in LOSSES:
        raise ValueError(f"explain: loss must be one of {list(LOSSES)} (or 'bce', 'mse'); got {loss!r}")
    return name


def _loss_value(model, loss, x, y):
    from rosenblatt import losses

    out = model(x)
    return losses.get(loss)(y, out), out


def _tape(model, variables, loss, x, y):
    from rosenblatt.autodiff.tape import GradientTape

    with GradientTape() as tape:
        J, out = _loss_value(model, loss, x, y)
    grads = tape.gradient(J, variables)
    return [g.numpy().astype(np.float64) for g in grads], float(J), out.numpy().astype(np.float64)


def _finite_differences(model, variable, loss, x, y, h):
    """(J(w + h·e) − J(w − h·e)) / 2h for each entry of ``variable``, J from the model and the library's loss."""
    saved = variable.numpy()
    flat = saved.reshape(-1)
    estimate = np.empty(flat.size, dtype=np.float64)
    try:
        for i in range(flat.size):
            values = []
            for sign in (1, -1):
                moved = flat.copy()
                moved[i] += sign * h
                variable.assign(moved.reshape(saved.shape))
                values.append(float(_loss_value(model, loss, x, y)[0]))
            estimate[i] = (values[0] - values[1]) / (2 * h)
    finally:
        variable.assign(saved)
    return estimate.reshape(saved.shape)


def _index(symbol):
    """dW2 → 2, db2 → 3 (the place in [dW1, db1, dW2, db2, …]); other symbols → None."""
    if symbol[:2] in ("dW", "db") and symbol[2:].isdigit():
        return 2 * (int(symbol[2:]) - 1) + (symbol[1] == "b")
    return None
