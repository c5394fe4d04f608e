"""Optimizers: the lecture's Momentum, RMSprop and Adam, with SGD, Adagrad, Adadelta, Nadam and AdamW.

Each update is written on plain NumPy arrays in the lecture's notation (v_dW, s_dW, β1, β2, ε, η), so
one class serves ``apply_gradients(zip(grads, model.trainable_weights))`` and a two-number point on
the cost-landscape page. ``learning_rate`` is a number or a schedule (see :mod:`rosenblatt.schedules`,
also reachable as ``optimizers.schedules`` as in Keras).

>>> import numpy as np
>>> from rosenblatt import optimizers
>>> W = np.array([-1.5, 2.0])
>>> opt = optimizers.get("adam")
>>> opt.apply_gradients([(np.array([0.5, -0.5]), W)])
>>> W, opt.iterations
(array([-1.501,  2.001]), 1)
>>> sorted(opt.get_state())
['0/s', '0/v', 'iterations']
"""

from __future__ import annotations

from .. import schedules  # as in Keras: optimizers.schedules.ExponentialDecay
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .checks import DivergenceError
from .clipping import clip_by_norm, clip_by_value, global_norm
from .momentum import Momentum
from .nadam import Nadam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD
from .trajectory import trajectory
from rosenblatt.naming import did_you_mean

__all__ = ["schedules", "Optimizer", "SGD", "Momentum", "RMSprop", "Adam", "AdamW", "Nadam", "Adagrad", "Adadelta",
           "DivergenceError", "get", "serialize", "deserialize", "trajectory", "clip_by_norm", "clip_by_value",
           "global_norm"]

_BY_NAME = {"sgd": SGD, "momentum": Momentum, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW, "nadam": Nadam,
            "adagrad": Adagrad, "adadelta": Adadelta}


def serialize(optimizer) -> dict:
    """``{"class_name": ..., "config": ...}``, Keras's form.

    >>> serialize(SGD())["class_name"]
    'SGD'
    """
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config: dict) -> Optimizer:
    """The optimizer that :func:`serialize` described.

    >>> deserialize({"class_name": "Adam", "config": {"learning_rate": 0.01}}).learning_rate
    0.01
    """
    name = str(config.get("class_name", "")).lower() if isinstance(config, dict) else ""
    if name not in _BY_NAME:
        raise ValueError(f"not a serialized optimizer: {config!r}; expected class_name in "
                         f"{sorted(c.__name__ for c in _BY_NAME.values())}")
    return _BY_NAME[name].from_config(config.get("config", {}))


def get(identifier) -> Optimizer:
    """An optimizer from a name (``"adam"``, any case), a serialized dict, or an optimizer (returned as is).

    Names: ``sgd``, ``momentum``, ``rmsprop``, ``adam``, ``adamw``, ``nadam``, ``adagrad``, ``adadelta``;
    a name gives the optimizer with its default arguments.

    >>> get("RMSprop")
    RMSprop(learning_rate=0.001, rho=0.9, epsilon=1e-08)
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    raise ValueError(f"unknown optimizer {identifier!r}; {did_you_mean(identifier, _BY_NAME)}expected an "
                     f"Optimizer, a serialized dict, or one of {sorted(_BY_NAME)}")
