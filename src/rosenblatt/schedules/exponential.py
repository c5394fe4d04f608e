"""Exponential decay, the lecture's second learning-rate decay."""

from __future__ import annotations

import math

from .schedule import LearningRateSchedule, _check_positive


class ExponentialDecay(LearningRateSchedule):
    r"""η = η0 · decay_rate ^ p, with p = step / decay_steps (⌊p⌋ with ``staircase``).

    The lecture writes η = 0.95^epoch_num · η0: that is
    ``ExponentialDecay(η0, decay_steps=1, decay_rate=0.95, steps_per_epoch=m)``, the epoch counted
    from 0 (Keras's convention, the first epoch at η0). Same arguments and formula as
    ``tf.keras.optimizers.schedules.ExponentialDecay``; PyTorch's ``ExponentialLR(gamma)`` is
    ``decay_steps=1`` stepped once per epoch.

    Args:
        initial_learning_rate: η0 > 0.
        decay_steps: steps (or epochs, with ``steps_per_epoch``) per factor of ``decay_rate``, > 0.
        decay_rate: the factor, 0 < decay_rate (usually < 1).
        staircase: floor p, so that η changes only every ``decay_steps``. Default False.
        steps_per_epoch: evaluate at the epoch instead of the step. Default None.

    >>> lr = ExponentialDecay(1.0, decay_steps=1, decay_rate=0.95, steps_per_epoch=100)
    >>> [round(lr(t), 6) for t in (0, 99, 100, 250)]
    [1.0, 1.0, 0.95, 0.9025]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, *, steps_per_epoch=None, name=None):
        super().__init__(steps_per_epoch, name)
        self.initial_learning_rate = _check_positive("initial_learning_rate", initial_learning_rate, float)
        self.decay_steps = _check_positive("decay_steps", decay_steps)
        self.decay_rate = _check_positive("decay_rate", decay_rate, float)
        self.staircase = bool(staircase)

    def _rate(self, x):
        p = x / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate * self.decay_rate**p

    def _arguments(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase}
