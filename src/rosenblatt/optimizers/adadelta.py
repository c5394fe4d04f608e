"""Adadelta: Adagrad's rate replaced by a ratio of two running root mean squares."""

from __future__ import annotations

import math

import numpy as np

from .averages import average_of_squares
from .checks import check_in
from .optimizer import Optimizer


class Adadelta(Optimizer):
    r"""Adadelta (Zeiler, 2012). On iteration t:

        s_dW = ρ s_dW + (1 − ρ) dW²
        Δ = √(d_W + ε) / √(s_dW + ε) · dW
        d_W = ρ d_W + (1 − ρ) Δ²
        W = W − η Δ

    with s_dW (the running mean of dW²) and d_W (the running mean of Δ²) starting at 0. ε is inside
    both roots, as in Zeiler's paper, PyTorch and Keras — all three agree on the rule.

    Defaults are Zeiler's (η = 1.0, ρ = 0.95, ε = 1e-6); Keras's are η = 0.001, ε = 1e-7, and
    PyTorch's lr = 1.0, rho = 0.9, eps = 1e-6.
    PyTorch: ``torch.optim.Adadelta(lr=η, rho=ρ, eps=ε)`` is this update.
    Keras: ``Adadelta(learning_rate=η, rho=ρ, epsilon=ε)`` is this update.

    Args:
        learning_rate: η > 0, or a schedule. Default 1.0.
        rho: ρ in [0, 1). Default 0.95.
        epsilon: ε > 0. Default 1e-6.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``s`` (mean of dW²) and ``d`` (mean of Δ²).

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> opt = Adadelta()
    >>> opt.apply_gradients([(2 * W, W)])
    >>> np.round(1.0 - abs(W) / [1.0, 2.0], 6)               # first steps are tiny: √ε / √s
    array([0.004472, 0.002236])
    """

    slot_names = ("s", "d")
    _temporaries = 2

    def __init__(self, learning_rate=1.0, rho=0.95, epsilon=1e-6, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = check_in("rho", rho, 0, 1)
        self.epsilon = check_in("epsilon", epsilon, 0, math.inf, low_open=True)

    def _constants(self, t, η):
        return self.rho, 1 - self.rho, self.epsilon, η

    def _update(self, k, dW, W, tmp, Δ, s, d):
        ρ, one_ρ, ε, η = k
        average_of_squares(s, dW, ρ, one_ρ, tmp)     # s_dW = ρ s_dW + (1 − ρ) dW²
        np.add(s, ε, out=tmp)                        # Δ = √(d_W + ε) / √(s_dW + ε) · dW
        np.sqrt(tmp, out=tmp)
        np.add(d, ε, out=Δ)
        np.sqrt(Δ, out=Δ)
        np.divide(Δ, tmp, out=Δ)
        np.multiply(Δ, dW, out=Δ)
        average_of_squares(d, Δ, ρ, one_ρ, tmp)      # d_W = ρ d_W + (1 − ρ) Δ²
        np.multiply(Δ, η, out=Δ)                     # W = W − η Δ
        np.subtract(W, Δ, out=W)

    def _rule(self, k, dW, W, s, d):
        ρ, one_ρ, ε, η = k
        s = ρ * s + one_ρ * (dW * dW)
        Δ = math.sqrt(d + ε) / math.sqrt(s + ε) * dW
        d = ρ * d + one_ρ * (Δ * Δ)
        return W - Δ * η, s, d

    def _hyperparameters(self):
        return {"rho": self.rho, "epsilon": self.epsilon}
