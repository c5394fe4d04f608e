"""Adagrad: divide the gradient by the root of the sum of all its past squares."""

from __future__ import annotations

import math

import numpy as np

from .averages import root_scaled_step
from .checks import check_in
from .optimizer import Optimizer


class Adagrad(Optimizer):
    r"""Adagrad (Duchi et al., 2011). On iteration t:

        s_dW = s_dW + dW²
        W = W − η dW / (√s_dW + ε)

    with s_dW starting at ``initial_accumulator_value``. The rate of each weight only shrinks.

    Where frameworks disagree: ε is outside the root, as PyTorch has it; Keras 3 puts it inside
    (√(s_dW + ε)). Defaults are Keras's (η = 0.001, s_0 = 0.1, ε = 1e-7); PyTorch's are lr = 0.01,
    initial_accumulator_value = 0, eps = 1e-10, and it also offers ``lr_decay`` (use a schedule here).
    PyTorch: ``torch.optim.Adagrad(lr=η, initial_accumulator_value=s_0, eps=ε)`` is this update.
    Keras: ``Adagrad(learning_rate=η, initial_accumulator_value=s_0, epsilon=ε)`` up to ε's place.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.001.
        initial_accumulator_value: s_0 ≥ 0. Default 0.1.
        epsilon: ε > 0. Default 1e-7.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``s``.

    >>> import numpy as np
    >>> W = np.array([3.0, -4.0])
    >>> Adagrad(learning_rate=0.5, initial_accumulator_value=0.0).apply_gradients([(W, W)])
    >>> W                                                  # first step: W − η sign(dW)
    array([ 2.5, -3.5])
    """

    slot_names = ("s",)

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value = check_in("initial_accumulator_value", initial_accumulator_value, 0, math.inf)
        self.epsilon = check_in("epsilon", epsilon, 0, math.inf, low_open=True)

    def _initial_slot(self, name):
        return self.initial_accumulator_value

    def _constants(self, t, η):
        return self.epsilon, η

    def _update(self, k, dW, W, tmp, s):
        ε, η = k
        np.multiply(dW, dW, out=tmp)                 # s_dW = s_dW + dW²
        np.add(s, tmp, out=s)
        root_scaled_step(W, dW, s, ε, η, tmp)        # W = W − η dW / (√s_dW + ε)

    def _rule(self, k, dW, W, s):
        ε, η = k
        s = s + dW * dW
        return W - dW / (math.sqrt(s) + ε) * η, s

    def _hyperparameters(self):
        return {"initial_accumulator_value": self.initial_accumulator_value, "epsilon": self.epsilon}
