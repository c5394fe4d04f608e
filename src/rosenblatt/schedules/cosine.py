"""Cosine decay with an optional linear warm-up."""

from __future__ import annotations

import math

from .schedule import LearningRateSchedule, _check_positive


class CosineDecay(LearningRateSchedule):
    r"""Linear warm-up from η0 to ``warmup_target`` over ``warmup_steps``, then cosine decay over ``decay_steps``.

    With p = min(x − warmup_steps, decay_steps) / decay_steps and η_top = ``warmup_target`` (η0
    when None):

        η = η0 + (η_top − η0) · x / warmup_steps            for x < warmup_steps
        η = η_top · ((1 − α) · ½ (1 + cos(π p)) + α)         after

    Keras 3's ``CosineDecay`` exactly (arguments and formula). PyTorch's ``CosineAnnealingLR`` is
    the same decay with ``eta_min = α · η_top`` and ``T_max = decay_steps`` (it has no warm-up).

    Args:
        initial_learning_rate: η0 ≥ 0 (0 to warm up from zero).
        decay_steps: length of the cosine, > 0.
        alpha: final rate as a fraction of η_top, 0 ≤ α ≤ 1. Default 0.0 (η reaches 0).
        warmup_target: the rate reached at the end of warm-up, or None for no warm-up. Default None.
        warmup_steps: length of the warm-up. Default 0.
        steps_per_epoch: lengths in epochs instead of steps. Default None.

    >>> lr = CosineDecay(0.01, decay_steps=4, warmup_target=0.1, warmup_steps=2)
    >>> [round(lr(t), 4) for t in range(7)]
    [0.01, 0.055, 0.1, 0.0854, 0.05, 0.0146, 0.0]
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, warmup_target=None, warmup_steps=0, *,
                 steps_per_epoch=None, name=None):
        super().__init__(steps_per_epoch, name)
        if isinstance(initial_learning_rate, bool) or not isinstance(initial_learning_rate, (int, float)) \
                or not initial_learning_rate >= 0:
            raise ValueError(f"initial_learning_rate must be a number >= 0, got {initial_learning_rate!r}")
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = _check_positive("decay_steps", decay_steps)
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not 0 <= alpha <= 1:
            raise ValueError(f"alpha must be a number in [0, 1], got {alpha!r}")
        self.alpha = float(alpha)
        self.warmup_target = None if warmup_target is None else _check_positive("warmup_target", warmup_target, float)
        if isinstance(warmup_steps, bool) or not isinstance(warmup_steps, (int, float)) or not warmup_steps >= 0:
            raise ValueError(f"warmup_steps must be a number >= 0, got {warmup_steps!r}")
        self.warmup_steps = warmup_steps

    def _rate(self, x):
        η0, top = self.initial_learning_rate, self.warmup_target
        if top is None:
            top, warmup = η0, 0
        else:
            warmup = self.warmup_steps
            if x < warmup:
                return η0 + (top - η0) * (x / warmup)
        p = min(x - warmup, self.decay_steps) / self.decay_steps
        return top * ((1 - self.alpha) * 0.5 * (1 + math.cos(math.pi * p)) + self.alpha)

    def _arguments(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}
