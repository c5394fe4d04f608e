"""Gradient descent with momentum, the lecture's exponentially weighted average of the gradients."""

from __future__ import annotations

import numpy as np

from .averages import average
from .checks import check_in
from .optimizer import Optimizer


class Momentum(Optimizer):
    r"""Gradient descent with momentum, as the lecture writes it. On iteration t:

        v_dW = β v_dW + (1 − β) dW
        W = W − η v_dW

    with v_dW starting at 0 (no bias correction, so the first steps are short by a factor 1 − β^t).

    Where frameworks disagree: this is the exponentially weighted average (Andrew Ng's form). At a
    constant η it equals PyTorch's ``SGD(lr=η(1 − β), momentum=β)`` and Keras's
    ``SGD(learning_rate=η(1 − β), momentum=β)``; PyTorch's ``dampening=β`` is *not* the same, since
    PyTorch starts its buffer at dW rather than (1 − β) dW. TensorFlow has no ``Momentum`` class in
    ``tf.keras.optimizers`` (TF 1 had ``tf.train.MomentumOptimizer``, a different form).

    Args:
        learning_rate: η > 0, or a schedule. Default 0.01.
        beta: β in [0, 1). Default 0.9 (an average over about 1 / (1 − β) = 10 gradients).
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``v``.

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> Momentum(learning_rate=1.0, beta=0.9).apply_gradients([(2 * W, W)])   # v = 0.1 · dW
    >>> W
    array([ 0.8, -1.6])
    """

    slot_names = ("v",)

    def __init__(self, learning_rate=0.01, beta=0.9, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta = check_in("beta", beta, 0, 1)

    def _constants(self, t, η):
        return self.beta, 1 - self.beta, η

    def _update(self, k, dW, W, tmp, v):
        β, one_β, η = k
        average(v, dW, β, one_β, tmp)                # v_dW = β v_dW + (1 − β) dW
        np.multiply(v, η, out=tmp)                   # W = W − η v_dW
        np.subtract(W, tmp, out=W)

    def _rule(self, k, dW, W, v):
        β, one_β, η = k
        v = β * v + one_β * dW
        return W - v * η, v

    def _hyperparameters(self):
        return {"beta": self.beta}
