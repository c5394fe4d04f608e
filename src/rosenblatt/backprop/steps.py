"""The forward and backward pass of a Dense network, by hand, on NumPy arrays, in the lecture's notation.

For layers l = 1 … L with a⁽⁰⁾ = X (m × n), W_l (n_{l−1} × n_l), b_l (1 × n_l):

    z_l = a_{l−1}·W_l + b_l          (m × n_l)   b_l is added to each of the m rows (broadcast)
    a_l = g_l(z_l)                   (m × n_l)
    J   = (1/m) Σᵢ L(a_L⁽ⁱ⁾, y⁽ⁱ⁾)

and backwards, with dz meaning ∂J/∂z:

    dz_L = (a_L − y) / m                     sigmoid output and binary cross-entropy together
    dz_L = 2 (a_L − y) / (m·j) ⊙ g′(z_L)    mean squared error over j outputs
    dW_l = a_{l−1}ᵀ·dz_l                     (n_{l−1} × n_l): a sum over the m examples
    db_l = Σᵢ dz_l⁽ⁱ⁾                         (1 × n_l): the broadcast of b_l, undone by a sum
    da_{l−1} = dz_l·W_lᵀ,    dz_{l−1} = da_{l−1} ⊙ g′(z_{l−1})

with σ′ = a(1 − a), tanh′ = 1 − a², relu′ = [z > 0], linear′ = 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# g(z) and g'(z), with how each is written (text, LaTeX)
ACTIVATIONS = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda z, a: a * (1 - a), "σ({z})", r"\sigma({z})",
                "{a} ⊙ (1 − {a})", r"{a} \odot (1 - {a})"),
    "tanh": (np.tanh, lambda z, a: 1 - a * a, "tanh({z})", r"\tanh({z})", "(1 − {a}²)", r"(1 - {a}^2)"),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(z.dtype), "relu({z})", r"\max(0, {z})",
             "[{z} > 0]", r"[{z} > 0]"),
    "linear": (lambda z: z, lambda z, a: np.ones_like(z), "{z}", "{z}", "1", "1"),
}
LOSSES = ("binary_crossentropy", "mean_squared_error")


@dataclass
class Step:
    """One line of the derivation: ``symbol = formula``, its shape, its value and what it means."""

    symbol: str  # "z1", "dW2"
    formula: str  # "X·W1 + b1"
    latex: str  # "X W^{(1)} + b^{(1)}"
    value: np.ndarray
    shapes: str = ""  # "(5 × 2)·(2 × 3) + (1 × 3)"
    note: str = ""
    given: bool = False  # an input of the exercise (X, y, the weights), never blanked
    check: dict = field(default_factory=dict)  # finite differences, the tape


def shape_of(a) -> str:
    """The slide's "(1 × k)" form; a number is "a number"."""
    a = np.asarray(a)
    return "a number" if a.ndim == 0 else "(" + " × ".join(str(d) for d in (a.shape if a.ndim > 1 else (1,) + a.shape)) + ")"


def tex(symbol: str) -> str:
    """``dW2`` → ``dW^{(2)}``, ``z1`` → ``z_{1}``, ``X`` → ``X``."""
    head = symbol.rstrip("0123456789")
    number = symbol[len(head):]
    if not number:
        return {"J": r"J", "L": r"\mathcal{L}", "ŷ": r"\hat{y}"}.get(symbol, symbol)
    return f"{head}^{{({number})}}" if head.lstrip("d") in ("W", "b") else f"{head}_{{{number}}}"


def forward_backward(weights, activations, loss, x, y):
    """The steps of one forward and backward pass, and the hand gradients ``[dW1, db1, …]`` (db as (n_l,))."""
    L = len(weights)
    steps = [Step("X", "the inputs, one example per row", "X", x, given=True,
                  note=f"m = {x.shape[0]} example{'s' if x.shape[0] != 1 else ''} of n = {x.shape[1]} features")]
    a, zs, As = x, [], [x]
    for l, ((W, b), g) in enumerate(zip(weights, activations), start=1):
        prev = "X" if l == 1 else f"a{l - 1}"
        steps.append(Step(f"W{l}", "given", f"W^{{({l})}}", W, given=True))
        steps.append(Step(f"b{l}", "given", f"b^{{({l})}}", b[None, :], given=True))
        z = a @ W + b
        steps.append(Step(f"z{l}", f"{prev}·W{l} + b{l}", f"{tex(prev)} W^{{({l})}} + b^{{({l})}}", z,
                          shapes=f"{shape_of(a)}·{shape_of(W)} + {shape_of(b[None, :])}",
                          note=f"b{l} {shape_of(b[None, :])} is added to each of the {z.shape[0]} rows (broadcasting)"
                          if z.shape[0] > 1 else ""))
        f, _, text, latex, _, _ = ACTIVATIONS[g]
        a = f(z)
        steps.append(Step(f"a{l}", text.format(z=f"z{l}"), latex.format(z=tex(f"z{l}")), a,
                          note=("= ŷ, the prediction" if l == L else "") + (f" (g = {g}, element by element)")))
        zs.append(z)
        As.append(a)
    steps.append(Step("y", "the labels", "y", y, given=True))
    m, j = y.shape
    if loss == "binary_crossentropy":
        zL = zs[-1]
        per = np.maximum(zL, 0) - zL * y + np.log1p(np.exp(-np.abs(zL)))  # the same number, never log(0)
        steps.append(Step("L", "−y log ŷ − (1 − y) log(1 − ŷ)", r"-y \log \hat{y} - (1 - y) \log(1 - \hat{y})", per,
                          note="one loss per example (computed from z, exactly, as the library does)"))
        J = np.mean(per)
        steps.append(Step("J", "(1/m) Σᵢ Lᵢ", r"\frac{1}{m} \sum_{i=1}^{m} \mathcal{L}^{(i)}", np.asarray(J),
                          note=f"the mean over the m = {m} examples"))
        dz = (As[-1] - y) / m
        back = [Step(f"dz{L}", f"(a{L} − y) / m", f"(a_{{{L}}} - y) / m", dz,
                     note=f"σ and the cross-entropy together: ∂L/∂z{L} = ŷ − y; the 1/m comes from the mean")]
    else:
        per = np.mean((As[-1] - y) ** 2, axis=1, keepdims=True)
        steps.append(Step("L", "(1/j) Σ (ŷ − y)²", r"\frac{1}{j} \sum (\hat{y} - y)^2", per, note="one loss per example"))
        J = np.mean(per)
        steps.append(Step("J", "(1/m) Σᵢ Lᵢ", r"\frac{1}{m} \sum_{i=1}^{m} \mathcal{L}^{(i)}", np.asarray(J),
                          note=f"the mean over the m = {m} examples"))
        da = 2 * (As[-1] - y) / (m * j)
        back = [Step(f"da{L}", f"2 (a{L} − y) / (m·j)", f"2 (a_{{{L}}} - y) / (m j)", da, note=f"j = {j} outputs")]
        dz = da * ACTIVATIONS[activations[-1]][1](zs[-1], As[-1])
        back.append(_dz_step(L, activations[-1], da, dz))
    grads = [None] * (2 * L)
    for l in range(L, 0, -1):
        prev = "X" if l == 1 else f"a{l - 1}"
        a_prev, W = As[l - 1], weights[l - 1][0]
        dW = a_prev.T @ dz
        db = dz.sum(axis=0, keepdims=True)
        back.append(Step(f"dW{l}", f"{prev}ᵀ·dz{l}", f"{tex(prev)}^T \\, dz_{{{l}}}", dW,
                         shapes=f"{shape_of(a_prev.T)}·{shape_of(dz)}",
                         note=f"the product sums over the m = {m} examples" if m > 1 else ""))
        back.append(Step(f"db{l}", f"Σ over the batch of dz{l}", f"\\sum_{{i=1}}^{{m}} dz_{{{l}}}^{{(i)}}", db,
                         note=f"b{l} was broadcast to the {m} rows, so its gradient is the sum of the rows of dz{l}"
                         if m > 1 else "one example: db is dz itself"))
        grads[2 * l - 2], grads[2 * l - 1] = dW, db[0]
        if l > 1:
            da = dz @ W.T
            back.append(Step(f"da{l - 1}", f"dz{l}·W{l}ᵀ", f"dz_{{{l}}} \\, (W^{{({l})}})^T", da,
                             shapes=f"{shape_of(dz)}·{shape_of(W.T)}"))
            dz = da * ACTIVATIONS[activations[l - 2]][1](zs[l - 2], As[l - 1])
            back.append(_dz_step(l - 1, activations[l - 2], da, dz))
    return steps, back, grads, float(J), As[-1]


def _dz_step(l, g, da, dz):
    _, _, _, _, text, latex = ACTIVATIONS[g]
    slope = text.format(a=f"a{l}", z=f"z{l}")
    return Step(f"dz{l}", f"da{l} ⊙ g′(z{l}) = da{l} ⊙ {slope}",
                f"da_{{{l}}} \\odot {latex.format(a=tex(f'a{l}'), z=tex(f'z{l}'))}", dz,
                note=f"{g}′, element by element (⊙)")


def relative_error(a, b, floor=1e-8):
    """|a − b| / max(|a|, |b|, floor), element by element (the floor keeps 0 against 1e-11 from reading as 1)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), floor)
