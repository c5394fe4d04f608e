"""The learning-rate schedule: a function of the step, with a table and a plot of its values.

A schedule is called with the step ``t`` (an int, 0 for the first update) and returns the
learning rate η as a Python float. With ``steps_per_epoch`` the formula sees the epoch,
``epoch = t // steps_per_epoch``, so the lecture's per-epoch formulas hold as written.

>>> from rosenblatt.schedules import ExponentialDecay
>>> schedule = ExponentialDecay(0.1, decay_steps=1, decay_rate=0.95, steps_per_epoch=10)
>>> schedule(0), schedule(9), schedule(10)
(0.1, 0.1, 0.095)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.extras import install_hint


def _check_positive(name, value, kind=None):
    """``value`` as a Python number if it is > 0 (ints stay ints unless ``kind`` says otherwise)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or not value > 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if kind is None:
        kind = int if isinstance(value, (int, np.integer)) else float
    return kind(value)


class LearningRateSchedule:
    """Base class: subclasses write ``_rate(x)``, the formula at ``x`` (a step or an epoch).

    Args:
        steps_per_epoch: None (default) to evaluate the formula at every step, or the number of
            updates in an epoch, to evaluate it at ``epoch = step // steps_per_epoch``.
    """

    def __init__(self, steps_per_epoch=None, name=None):
        if steps_per_epoch is not None:
            if isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, (int, np.integer)):
                raise ValueError(f"steps_per_epoch must be a positive int or None, got {steps_per_epoch!r}")
            steps_per_epoch = _check_positive("steps_per_epoch", int(steps_per_epoch), int)
        self.steps_per_epoch = steps_per_epoch
        self.name = name

    def __call__(self, step) -> float:
        if self.steps_per_epoch is not None:
            step = step // self.steps_per_epoch
        return float(self._rate(step))

    def _rate(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def _arguments(self) -> dict:
        """The constructor's own arguments, in order (``steps_per_epoch`` and ``name`` come after)."""
        raise NotImplementedError  # pragma: no cover - abstract

    def get_config(self) -> dict:
        """The constructor's arguments, so that ``type(s)(**s.get_config())`` rebuilds it."""
        return {**self._arguments(), "steps_per_epoch": self.steps_per_epoch, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        config = self.get_config()
        shown = ", ".join(f"{k}={v!r}" for k, v in config.items() if v is not None or k not in ("steps_per_epoch", "name"))
        return f"{type(self).__name__}({shown})"

    def values(self, steps) -> np.ndarray:
        """The rates at ``steps`` (an int ``n`` for steps 0 … n − 1, or an iterable of steps), float64.

        >>> from rosenblatt.schedules import InverseTimeDecay
        >>> InverseTimeDecay(1.0, decay_steps=1, decay_rate=1.0).values(4)
        array([1.        , 0.5       , 0.33333333, 0.25      ])
        """
        steps = range(steps) if isinstance(steps, (int, np.integer)) else steps
        return np.array([self(int(t)) for t in steps], dtype=np.float64)

    def table(self, steps) -> str:
        """A printable table of step (and epoch) against the rate.

        >>> from rosenblatt.schedules import InverseTimeDecay
        >>> print(InverseTimeDecay(0.2, 1, 1.0, steps_per_epoch=100).table([0, 100, 200]))
          step  epoch  learning_rate
             0      0            0.2
           100      1            0.1
           200      2      0.0666667
        """
        steps = range(steps) if isinstance(steps, (int, np.integer)) else [int(t) for t in steps]
        spe = self.steps_per_epoch
        head = f"{'step':>6}" + (f"  {'epoch':>5}" if spe else "") + f"  {'learning_rate':>13}"
        rows = [head]
        for t in steps:
            epoch = f"  {t // spe:>5}" if spe else ""
            rows.append(f"{t:>6}{epoch}  {self(t):>13.6g}")
        return "\n".join(rows)

    def plot(self, steps, ax=None):
        """Plot the rate over ``steps`` with matplotlib (the optional ``plot`` extra); returns the axes."""
        try:
            import matplotlib.pyplot as plt
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("plotting a schedule needs matplotlib: " + install_hint("plot")) from exc
        steps = np.arange(steps) if isinstance(steps, (int, np.integer)) else np.asarray(list(steps))
        if ax is None:
            ax = plt.figure().add_subplot()
        ax.plot(steps, self.values(steps), label=repr(self))
        ax.set_xlabel("step")
        ax.set_ylabel("learning rate η")
        return ax
