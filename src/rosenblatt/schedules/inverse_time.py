"""Inverse-time decay, the lecture's first learning-rate decay."""

from __future__ import annotations

import math

from .schedule import LearningRateSchedule, _check_positive


class InverseTimeDecay(LearningRateSchedule):
    r"""η = η0 / (1 + decay_rate · p), with p = step / decay_steps (⌊p⌋ with ``staircase``).

    The lecture's form, η = η0 / (1 + learning_decay · epoch_num), is
    ``InverseTimeDecay(η0, decay_steps=1, decay_rate=learning_decay, steps_per_epoch=m)``:
    the formula then sees the epoch (``step // m``), counted from 0 as in Keras, so the first epoch
    runs at η0. Same arguments and formula as ``tf.keras.optimizers.schedules.InverseTimeDecay``.

    Args:
        initial_learning_rate: η0 > 0.
        decay_steps: steps (or epochs, with ``steps_per_epoch``) per unit of decay, > 0.
        decay_rate: learning_decay ≥ 0.
        staircase: floor p, so that η changes only every ``decay_steps``. Default False.
        steps_per_epoch: evaluate at the epoch instead of the step. Default None.

    >>> lr = InverseTimeDecay(0.2, decay_steps=1, decay_rate=1.0, steps_per_epoch=50)
    >>> [round(lr(t), 4) for t in (0, 49, 50, 100)]
    [0.2, 0.2, 0.1, 0.0667]
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, *, steps_per_epoch=None, name=None):
        super().__init__(steps_per_epoch, name)
        self.initial_learning_rate = _check_positive("initial_learning_rate", initial_learning_rate, float)
        self.decay_steps = _check_positive("decay_steps", decay_steps)
        if isinstance(decay_rate, bool) or not isinstance(decay_rate, (int, float)) or not decay_rate >= 0:
            raise ValueError(f"decay_rate must be a number >= 0, got {decay_rate!r}")
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)

    def _rate(self, x):
        p = x / self.decay_steps
        if self.staircase:
            p = math.floor(p)
        return self.initial_learning_rate / (1 + self.decay_rate * p)

    def _arguments(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase}
