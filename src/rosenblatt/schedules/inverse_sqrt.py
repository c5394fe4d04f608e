"""Inverse-square-root decay, the lecture's third learning-rate decay."""

from __future__ import annotations

import math

from .schedule import LearningRateSchedule, _check_positive


class InverseSqrtDecay(LearningRateSchedule):
    r"""η = k / √epoch_num · η0, with epoch_num = x + 1 (x the step, or the epoch with ``steps_per_epoch``).

    The lecture writes η = k / √epoch_num · η0. Here epoch_num counts from 1 (as in the
    deeplearning.ai notes the lecture follows), since √0 would make the first epoch's rate
    infinite; so the first epoch runs at k · η0. TensorFlow has no such schedule; PyTorch's
    ``LambdaLR(lambda e: k / math.sqrt(e + 1))`` is the same.

    Args:
        initial_learning_rate: η0 > 0.
        k: the constant, > 0. Default 1.0.
        steps_per_epoch: evaluate at the epoch instead of the step. Default None.

    >>> lr = InverseSqrtDecay(0.1, k=1.0, steps_per_epoch=10)
    >>> [round(lr(t), 6) for t in (0, 10, 30)]
    [0.1, 0.070711, 0.05]
    """

    def __init__(self, initial_learning_rate, k=1.0, *, steps_per_epoch=None, name=None):
        super().__init__(steps_per_epoch, name)
        self.initial_learning_rate = _check_positive("initial_learning_rate", initial_learning_rate, float)
        self.k = _check_positive("k", k, float)

    def _rate(self, x):
        return self.k / math.sqrt(x + 1) * self.initial_learning_rate

    def _arguments(self):
        return {"initial_learning_rate": self.initial_learning_rate, "k": self.k}
