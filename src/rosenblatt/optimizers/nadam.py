"""Nadam: Adam with Nesterov momentum."""

from __future__ import annotations

import math

import numpy as np

from .averages import average, average_of_squares
from .checks import check_in
from .optimizer import Optimizer


class Nadam(Optimizer):
    r"""Nadam (Dozat, 2016): Adam whose momentum looks one step ahead. On iteration t:

        μ_t = β1 (1 − ½ · 0.96^(t ψ))            Π_t = μ_1 μ_2 … μ_t
        v_dW = β1 v_dW + (1 − β1) dW
        s_dW = β2 s_dW + (1 − β2) dW²
        D = √(s_dW / (1 − β2^t)) + ε
        W = W − η (1 − μ_t) / (1 − Π_t) · dW / D − η μ_{t+1} / (1 − Π_t μ_{t+1}) · v_dW / D

    with v, s starting at 0 and ψ = ``momentum_decay``.

    Where frameworks disagree: the momentum schedule. PyTorch uses ψ = 0.004 (Dozat's), the default
    here; Keras 3 uses 0.96^t, which is ``momentum_decay=1.0``. ε is outside the corrected root as in
    PyTorch and Keras; ε defaults to 1e-8 like this library's Adam (PyTorch: 1e-8; Keras: 1e-7).
    PyTorch: ``torch.optim.NAdam(lr=η, betas=(β1, β2), eps=ε, momentum_decay=ψ)`` is this update.
    Keras: ``Nadam(learning_rate=η, beta_1=β1, beta_2=β2, epsilon=ε)`` is ``momentum_decay=1.0``.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.001.
        beta_1: β1 in [0, 1). Default 0.9.
        beta_2: β2 in [0, 1). Default 0.999.
        epsilon: ε > 0. Default 1e-8.
        momentum_decay: ψ > 0. Default 0.004.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``v``, ``s``; and Π_t, kept in the state as ``mu_product``.

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> opt = Nadam(learning_rate=0.1)
    >>> for _ in range(100):
    ...     opt.apply_gradients([(2 * W, W)])
    >>> bool(np.abs(W).max() < 0.1)
    True
    """

    slot_names = ("v", "s")
    _temporaries = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-8, momentum_decay=0.004, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = check_in("beta_1", beta_1, 0, 1)
        self.beta_2 = check_in("beta_2", beta_2, 0, 1)
        self.epsilon = check_in("epsilon", epsilon, 0, math.inf, low_open=True)
        self.momentum_decay = check_in("momentum_decay", momentum_decay, 0, math.inf, low_open=True)
        self.mu_product = 1.0

    def _μ(self, t):
        return self.beta_1 * (1.0 - 0.5 * 0.96 ** (t * self.momentum_decay))

    def _constants(self, t, η):
        β1, β2, c2 = self.beta_1, self.beta_2, math.sqrt(1 - self.beta_2**t)
        μ, μ_next = self._μ(t), self._μ(t + 1)
        Π = self.mu_product * μ
        # a dW / D and b v_dW / D with D = (√s + ε √(1 − β2^t)) / √(1 − β2^t): √(1 − β2^t) moves into a, b
        a = η * (1.0 - μ) / (1.0 - Π) * c2
        b = η * μ_next / (1.0 - Π * μ_next) * c2
        return β1, 1 - β1, β2, 1 - β2, self.epsilon * c2, a, b, Π

    def _advance(self, k):
        self.mu_product = k[-1]

    def _update(self, k, dW, W, D, tmp, v, s):
        β1, one_β1, β2, one_β2, ε_c, a, b, _ = k
        average(v, dW, β1, one_β1, tmp)              # v_dW = β1 v_dW + (1 − β1) dW
        average_of_squares(s, dW, β2, one_β2, tmp)   # s_dW = β2 s_dW + (1 − β2) dW²
        np.sqrt(s, out=D)                            # D √(1 − β2^t) = √s_dW + ε √(1 − β2^t)
        np.add(D, ε_c, out=D)
        np.divide(dW, D, out=tmp)                    # W = W − a dW / D − b v_dW / D
        np.multiply(tmp, a, out=tmp)
        np.subtract(W, tmp, out=W)
        np.divide(v, D, out=tmp)
        np.multiply(tmp, b, out=tmp)
        np.subtract(W, tmp, out=W)

    def _rule(self, k, dW, W, v, s):
        β1, one_β1, β2, one_β2, ε_c, a, b, _ = k
        v = β1 * v + one_β1 * dW
        s = β2 * s + one_β2 * (dW * dW)
        D = math.sqrt(s) + ε_c
        return W - dW / D * a - v / D * b, v, s

    def _scalar_state(self):
        return {"mu_product": self.mu_product}

    def _set_scalar_state(self, state):
        self.mu_product = state["mu_product"]

    def _hyperparameters(self):
        return {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "momentum_decay": self.momentum_decay}
