"""Piecewise-constant learning rate: fixed values between boundaries."""

from __future__ import annotations

import bisect

from .schedule import LearningRateSchedule, _check_positive


class PiecewiseConstantDecay(LearningRateSchedule):
    r"""η = values[i] for boundaries[i−1] < x ≤ boundaries[i] (values[0] up to and including boundaries[0]).

    Keras's rule and arguments (``tf.keras.optimizers.schedules.PiecewiseConstantDecay``): with
    ``boundaries=[100]``, steps 0 … 100 use ``values[0]`` and step 101 on ``values[1]``. PyTorch's
    ``MultiStepLR`` switches one step earlier (at the milestone itself). With ``steps_per_epoch``
    the boundaries count epochs.

    Args:
        boundaries: increasing ints.
        values: one more positive rate than boundaries.
        steps_per_epoch: boundaries in epochs instead of steps. Default None.

    >>> lr = PiecewiseConstantDecay([2, 4], [0.1, 0.01, 0.001])
    >>> lr.values(6)
    array([0.1  , 0.1  , 0.1  , 0.01 , 0.01 , 0.001])
    """

    def __init__(self, boundaries, values, *, steps_per_epoch=None, name=None):
        super().__init__(steps_per_epoch, name)
        boundaries, values = list(boundaries), list(values)
        if len(values) != len(boundaries) + 1:
            raise ValueError(f"values must have one more entry than boundaries, got {len(values)} values "
                             f"for {len(boundaries)} boundaries")
        if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
            raise ValueError(f"boundaries must increase strictly, got {boundaries!r}")
        self.boundaries = boundaries
        self.rates = [_check_positive("each value", v, float) for v in values]

    def _rate(self, x):
        return self.rates[bisect.bisect_left(self.boundaries, x)]

    def _arguments(self):
        return {"boundaries": list(self.boundaries), "values": list(self.rates)}
