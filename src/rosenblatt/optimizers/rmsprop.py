"""RMSprop: divide the gradient by a running root mean square of its past values."""

from __future__ import annotations

import math

import numpy as np

from .averages import average_of_squares, root_scaled_step
from .checks import check_in
from .optimizer import Optimizer


class RMSprop(Optimizer):
    r"""RMSprop (Hinton, 2012), as the lecture writes it. On iteration t:

        s_dW = ρ s_dW + (1 − ρ) dW²
        W = W − η dW / (√s_dW + ε)

    with s_dW starting at 0. The lecture calls ρ "β"; Keras calls it ``rho``, PyTorch ``alpha``.

    Where frameworks disagree: ε is outside the root, as in the lecture and PyTorch; Keras 3 puts it
    inside (√(s_dW + ε)). Defaults are Keras's (η = 0.001, ρ = 0.9) with the lecture's ε = 1e-8
    (PyTorch: lr = 0.01, alpha = 0.99, eps = 1e-8; Keras: ε = 1e-7). No ``momentum`` or ``centered``
    variant here.
    PyTorch: ``torch.optim.RMSprop(lr=η, alpha=ρ, eps=ε)`` is this update.
    Keras: ``RMSprop(learning_rate=η, rho=ρ, epsilon=ε)`` up to ε's place.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.001.
        rho: ρ in [0, 1). Default 0.9.
        epsilon: ε > 0. Default 1e-8.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``s``.

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> RMSprop(learning_rate=0.01, rho=0.0).apply_gradients([(2 * W, W)])  # ρ = 0: W − η sign(dW)
    >>> W
    array([ 0.99, -1.99])
    """

    slot_names = ("s",)

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-8, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = check_in("rho", rho, 0, 1)
        self.epsilon = check_in("epsilon", epsilon, 0, math.inf, low_open=True)

    def _constants(self, t, η):
        return self.rho, 1 - self.rho, self.epsilon, η

    def _update(self, k, dW, W, tmp, s):
        ρ, one_ρ, ε, η = k
        average_of_squares(s, dW, ρ, one_ρ, tmp)     # s_dW = ρ s_dW + (1 − ρ) dW²
        root_scaled_step(W, dW, s, ε, η, tmp)        # W = W − η dW / (√s_dW + ε)

    def _rule(self, k, dW, W, s):
        ρ, one_ρ, ε, η = k
        s = ρ * s + one_ρ * (dW * dW)
        return W - dW / (math.sqrt(s) + ε) * η, s

    def _hyperparameters(self):
        return {"rho": self.rho, "epsilon": self.epsilon}
