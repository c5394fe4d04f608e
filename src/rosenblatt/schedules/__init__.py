"""Learning-rate schedules: functions of the step that return η.

The lecture's three decays (η0 / (1 + decay · epoch), 0.95^epoch · η0, k / √epoch · η0) and
Keras's piecewise-constant and cosine schedules. Each is callable with the step (0 for the first
update) and returns a Python float; with ``steps_per_epoch`` the formula sees the epoch instead.
An optimizer's ``learning_rate`` may be any of them, or any callable of the step.

>>> from rosenblatt import schedules
>>> lr = schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5, steps_per_epoch=100)
>>> lr
InverseTimeDecay(initial_learning_rate=0.1, decay_steps=1, decay_rate=0.5, staircase=False, steps_per_epoch=100)
>>> schedules.deserialize(schedules.serialize(lr))(250)
0.05
"""

from __future__ import annotations

from .cosine import CosineDecay
from .exponential import ExponentialDecay
from .inverse_sqrt import InverseSqrtDecay
from .inverse_time import InverseTimeDecay
from .piecewise import PiecewiseConstantDecay
from .schedule import LearningRateSchedule

__all__ = ["LearningRateSchedule", "InverseTimeDecay", "ExponentialDecay", "InverseSqrtDecay",
           "PiecewiseConstantDecay", "CosineDecay", "serialize", "deserialize"]

_CLASSES = {cls.__name__: cls for cls in (InverseTimeDecay, ExponentialDecay, InverseSqrtDecay,
                                           PiecewiseConstantDecay, CosineDecay)}


def serialize(schedule) -> dict:
    """``{"class_name": ..., "config": ...}``, Keras's form, for a schedule of this module.

    >>> serialize(ExponentialDecay(0.1, 10, 0.9))["class_name"]
    'ExponentialDecay'
    """
    if type(schedule).__name__ not in _CLASSES:
        raise ValueError(f"cannot serialize {schedule!r}: expected one of {sorted(_CLASSES)}")
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config: dict) -> LearningRateSchedule:
    """The schedule that :func:`serialize` described.

    >>> deserialize({"class_name": "InverseSqrtDecay", "config": {"initial_learning_rate": 0.1}})
    InverseSqrtDecay(initial_learning_rate=0.1, k=1.0)
    """
    try:
        cls = _CLASSES[config["class_name"]]
    except (KeyError, TypeError):
        raise ValueError(f"not a serialized schedule: {config!r}; expected class_name in {sorted(_CLASSES)}") from None
    return cls.from_config(config.get("config", {}))
