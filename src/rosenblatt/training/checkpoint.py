"""``ModelCheckpoint``: save the model (or its weights) during ``fit``, every epoch, every n batches, or
only when the monitored value improves — Keras's callback, with Keras's arguments.

Each file is written atomically and durably (:mod:`rosenblatt.io.atomic`): a kill mid-save leaves the
previous file.  ``filepath`` may hold ``{epoch}`` (counted from 1, as Keras) and any log, e.g.
``"ckpt-{epoch:02d}-{val_loss:.3f}.npz"``.

>>> import rosenblatt as rb, tempfile, os
>>> x, y = rb.data.points.make_xor(64, seed=0)
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy")
>>> folder = tempfile.mkdtemp()
>>> _ = model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(folder + "/m-{epoch}.npz", monitor="loss")])
>>> sorted(os.listdir(folder))
['m-1.npz', 'm-2.npz']
"""

from __future__ import annotations

import math
import os

import numpy as np

from rosenblatt.training.callbacks import Callback


def monitor_mode(mode, monitor, who):
    """``"min"`` or ``"max"`` for ``mode`` (``"auto"``: max for accuracies and the like, else min)."""
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"{who}: mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    return "max" if any(w in monitor for w in ("acc", "precision", "recall", "auc", "fmeasure")) else "min"


class ModelCheckpoint(Callback):
    """Save the model during training.

    Args:
        filepath: where to save; may contain ``{epoch}`` and log names as format fields.
        monitor: the log that decides the best model (default ``"val_loss"``).
        verbose: 1 prints a line per save.
        save_best_only: save only when ``monitor`` improves (the file then holds the best model so far).
        save_weights_only: ``model.save_weights`` instead of ``model.save``.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        save_freq: ``"epoch"`` or an integer n: every n batches (monitored on the batch's running logs).
        initial_value_threshold: a first "best" value the monitored value must beat.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        if not isinstance(filepath, (str, os.PathLike)) or not os.fspath(filepath):
            raise TypeError(f"ModelCheckpoint: filepath must be a file path, got {filepath!r}")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq < 1):
            raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive integer (batches), "
                             f"got {save_freq!r}")
        self.filepath, self.monitor, self.verbose = os.fspath(filepath), monitor, int(verbose)
        self.save_best_only, self.save_weights_only = bool(save_best_only), bool(save_weights_only)
        self.mode = monitor_mode(mode, monitor, "ModelCheckpoint")
        self.save_freq = save_freq
        self.initial_value_threshold = initial_value_threshold
        self.best = None
        self._batches, self._epoch = 0, 0

    def on_train_begin(self, logs=None):
        self.best = None if self.initial_value_threshold is None else float(self.initial_value_threshold)
        self._batches = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save(self._epoch, dict(logs or {}, batch=batch))

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, dict(logs or {}))

    def _improved(self, value) -> bool:
        if value is None or not math.isfinite(value):
            return False
        return self.best is None or (value < self.best if self.mode == "min" else value > self.best)

    def _save(self, epoch, logs):
        if self.save_best_only:
            value = logs.get(self.monitor)
            if value is None:
                raise ValueError(f"ModelCheckpoint: '{self.monitor}' is not in the logs {sorted(logs)}; choose "
                                 "monitor= among them (val_* needs validation_data or validation_split)")
            value = float(np.asarray(value))
            if not self._improved(value):
                return
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self.monitor} improved from {self.best} to {value:.5f}, saving model")
            self.best = value
        path = self._path(epoch, logs)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
        if self.verbose and not self.save_best_only:
            print(f"Epoch {epoch + 1}: saving model to {path}")

    def _path(self, epoch, logs) -> str:
        try:
            return self.filepath.format(epoch=epoch + 1, **logs)
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"ModelCheckpoint: cannot fill in filepath {self.filepath!r} with epoch and the logs "
                             f"{sorted(logs)} ({exc})") from exc
