"""Callbacks that set the learning rate η during ``fit``: ``LearningRateScheduler`` (η from the epoch) and
``ReduceLROnPlateau`` (η ← η·factor when a monitored value stops improving), with Keras's arguments.

>>> import rosenblatt as rb
>>> x, y = rb.data.points.make_xor(64, seed=0)
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer=rb.optimizers.SGD(0.1), loss="binary_crossentropy")
>>> history = model.fit(x, y, epochs=3, verbose=0, callbacks=[LearningRateScheduler(lambda epoch, lr: lr / 2)])
>>> history.history["learning_rate"]
[0.05, 0.025, 0.0125]
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from rosenblatt.training.callbacks import Callback
from rosenblatt.training.checkpoint import monitor_mode


def _set_rate(model, value, who):
    value = float(np.asarray(value))
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{who}: the learning rate must be a finite number >= 0, got {value!r}")
    model.optimizer.learning_rate = value
    return value


def _rate(model, who) -> float:
    lr = model.optimizer.learning_rate
    if callable(lr):
        raise ValueError(f"{who}: the optimizer's learning rate is a schedule ({lr!r}); give it a number")
    return float(lr)


class LearningRateScheduler(Callback):
    """At the start of each epoch, η = ``schedule(epoch, η)`` (or ``schedule(epoch)``), epochs from 0.

    Args:
        schedule: a function of the epoch and the current learning rate (or of the epoch alone).
        verbose: 1 prints the new rate each epoch.
    """

    def __init__(self, schedule, verbose=0):
        if not callable(schedule):
            raise TypeError(f"LearningRateScheduler: schedule must be a function of (epoch, lr), got {schedule!r}")
        self.schedule, self.verbose = schedule, int(verbose)
        try:
            self._two = len(inspect.signature(schedule).parameters) >= 2
        except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
            self._two = True

    def on_epoch_begin(self, epoch, logs=None):
        who = "LearningRateScheduler"
        lr = _rate(self.model, who)
        lr = _set_rate(self.model, self.schedule(epoch, lr) if self._two else self.schedule(epoch), who)
        if self.verbose:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = _rate(self.model, "LearningRateScheduler")


class ReduceLROnPlateau(Callback):
    """η ← max(η·factor, min_lr) once ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Args:
        monitor: the log to watch (default ``"val_loss"``).
        factor: 0 < factor < 1 (default 0.1).
        patience: epochs without improvement before reducing (default 10).
        verbose: 1 prints each reduction.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        min_delta: the smallest change that counts as an improvement (default 1e-4).
        cooldown: epochs to wait after a reduction before counting again (default 0).
        min_lr: the lowest rate (default 0).
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto", min_delta=1e-4,
                 cooldown=0, min_lr=0.0, **kwargs):
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau: unknown arguments {sorted(kwargs)}")
        if not 0 < factor < 1:
            raise ValueError(f"ReduceLROnPlateau: factor must be in (0, 1), got {factor!r}")
        self.monitor, self.factor, self.patience, self.verbose = monitor, float(factor), int(patience), int(verbose)
        self.mode = monitor_mode(mode, monitor, "ReduceLROnPlateau")
        self.min_delta, self.cooldown, self.min_lr = abs(float(min_delta)), int(cooldown), float(min_lr)
        self._reset()

    def _reset(self):
        self.best, self.wait, self.cooldown_counter = None, 0, 0

    def on_train_begin(self, logs=None):
        self._reset()

    def _better(self, value) -> bool:
        if self.best is None:
            return True
        return value < self.best - self.min_delta if self.mode == "min" else value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        logs = logs if logs is not None else {}
        logs["learning_rate"] = _rate(self.model, "ReduceLROnPlateau")
        value = logs.get(self.monitor)
        if value is None:
            raise ValueError(f"ReduceLROnPlateau: '{self.monitor}' is not in the logs {sorted(logs)}")
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._better(value):
            self.best, self.wait = value, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = logs["learning_rate"]
                if old > self.min_lr:
                    new = _set_rate(self.model, max(old * self.factor, self.min_lr), "ReduceLROnPlateau")
                    if self.verbose:
                        print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0
