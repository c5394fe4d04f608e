"""Weight penalties added to the loss: L2 adds λ·Σw², L1 adds λ·Σ|w|.

>>> import rosenblatt as rb
>>> float(L2(0.5)(rb.constant([1.0, 2.0])))   # 0.5·(1 + 4)
2.5
"""

from __future__ import annotations

from rosenblatt.autodiff.ops import abs as _abs
from rosenblatt.autodiff.ops import multiply, reduce_sum, square


class Regularizer:
    """Base class: ``reg(w) -> scalar tensor``."""

    def __call__(self, w):
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(vars(self))


class L1L2(Regularizer):
    """λ₁·Σ|w| + λ₂·Σw²."""

    def __init__(self, l1=0.0, l2=0.0):
        if l1 < 0 or l2 < 0:
            raise ValueError(f"regularization factors must be ≥ 0, got l1={l1}, l2={l2}")
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, w):
        total = 0.0
        if self.l1:
            total = multiply(self.l1, reduce_sum(_abs(w)))
        if self.l2:
            term = multiply(self.l2, reduce_sum(square(w)))
            total = term if isinstance(total, float) else total + term
        return total


def L1(l1=0.01):
    """λ·Σ|w| (λ = 0.01 by default, as Keras)."""
    return L1L2(l1=l1)


def L2(l2=0.01):
    """λ·Σw² (λ = 0.01 by default, as Keras; note: no factor ½)."""
    return L1L2(l2=l2)


def get(identifier):
    """A regularizer from an instance, a name (``"l2"``) or a config dict."""
    if identifier is None or isinstance(identifier, Regularizer) or callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in ("l1", "l2", "l1_l2"):
        return {"l1": L1, "l2": L2, "l1_l2": lambda: L1L2(0.01, 0.01)}[identifier]()
    if isinstance(identifier, dict):
        return L1L2(**identifier.get("config", {}))
    raise ValueError(f"unknown regularizer {identifier!r}; expected 'l1', 'l2', 'l1_l2' or an instance")


def serialize(reg) -> dict | None:
    return None if reg is None else {"class_name": "L1L2", "config": reg.get_config()}
