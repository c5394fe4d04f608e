"""Stochastic gradient descent, plain or with Keras's (heavy-ball or Nesterov) momentum."""

from __future__ import annotations

import numpy as np

from .checks import check_in
from .optimizer import Optimizer


class SGD(Optimizer):
    r"""Gradient descent, W = W − η dW; with ``momentum`` m > 0, Keras's form:

        velocity = m · velocity − η dW
        W = W + velocity                         (W = W + m · velocity − η dW with ``nesterov``)

    with the velocity starting at 0.

    Where frameworks disagree: Keras keeps η inside the velocity; PyTorch keeps it outside
    (b = m b + dW, W = W − η b, starting from b = dW). At a constant η the two are the same update
    (velocity = −η b); under a schedule they differ, and this is Keras's. For the lecture's
    exponentially weighted average, v_dW = β v_dW + (1 − β) dW, see :class:`Momentum`.
    PyTorch: ``torch.optim.SGD(lr=η, momentum=m, nesterov=…)`` (dampening 0).
    Keras: ``SGD(learning_rate=η, momentum=m, nesterov=…)``, the same arguments.

    Args:
        learning_rate: η > 0, or a schedule. Default 0.01.
        momentum: m in [0, 1). Default 0.0 (plain gradient descent).
        nesterov: use Nesterov's look-ahead (needs momentum > 0). Default False.
        **kwargs: ``weight_decay``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``, ``check_finite``,
            ``name``, as in :class:`~rosenblatt.optimizers.Optimizer`.

    Slots: ``velocity`` when momentum > 0, else none.

    >>> import numpy as np
    >>> W = np.array([1.0, -2.0])
    >>> SGD(learning_rate=0.1).apply_gradients([(2 * W, W)])   # J = ‖W‖², dW = 2W
    >>> W
    array([ 0.8, -1.6])
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum = check_in("momentum", momentum, 0, 1)
        self.nesterov = bool(nesterov)
        if self.nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0, got momentum=0.0")
        self.slot_names = ("velocity",) if self.momentum else ()
        self._temporaries = 2 if self.nesterov else 1

    def _constants(self, t, η):
        return η, self.momentum

    def _update(self, k, dW, W, tmp, *rest):
        η, m = k
        np.multiply(dW, η, out=tmp)                      # η dW
        if not rest:
            np.subtract(W, tmp, out=W)                   # W = W − η dW
            return
        tmp2, velocity = rest if self.nesterov else (None, *rest)
        np.multiply(velocity, m, out=velocity)           # velocity = m · velocity − η dW
        np.subtract(velocity, tmp, out=velocity)
        if tmp2 is None:
            np.add(W, velocity, out=W)                   # W = W + velocity
        else:
            np.multiply(velocity, m, out=tmp2)           # W = W + (m · velocity − η dW)
            np.subtract(tmp2, tmp, out=tmp2)
            np.add(W, tmp2, out=W)

    def _rule(self, k, dW, W, velocity=None):
        η, m = k
        if velocity is None:
            return (W - dW * η,)
        velocity = m * velocity - dW * η
        if self.nesterov:
            return W + (velocity * m - dW * η), velocity
        return W + velocity, velocity

    def _hyperparameters(self):
        return {"momentum": self.momentum, "nesterov": self.nesterov}
