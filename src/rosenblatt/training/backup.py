"""``BackupAndRestore``: a ``fit`` killed at any moment and started again with the same call goes on from
its last backup, and ends with the weights an uninterrupted run would have, bit for bit.

The backup (one verified model file, ``<backup_dir>/backup.npz``, replaced atomically) holds the
weights, the optimizer's state and learning rate, the epoch and the batches done in it, the random state
that decided the epoch's order (``fit``'s shuffling generator, a dataset's shuffle passes), every
generator of the model's layers (Dropout's masks), the running loss and metrics of the epoch, and the
history so far.  A kill mid-save leaves the previous backup (see :mod:`rosenblatt.io.atomic`).  When
``fit`` ends normally the backup is deleted (``delete_checkpoint=True``, as Keras).

The numbers of the library's other callbacks of the ``fit`` (``EarlyStopping``'s patience count and best
value, ``ReduceLROnPlateau``'s cooldown, ``ModelCheckpoint``'s best) are backed up too.  Not saved: arrays
a callback keeps (``EarlyStopping(restore_best_weights=True)``'s best weights), the state of callbacks of
your own classes, open files (``CSVLogger`` appends only with ``append=True``), and generators hidden in a
``Dataset.map`` function.

>>> import rosenblatt as rb, numpy as np, tempfile
>>> x, y = rb.data.points.make_xor(64, seed=0)
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy")
>>> backup = BackupAndRestore(tempfile.mkdtemp(), save_freq=1)
>>> model.fit(x, y, epochs=2, batch_size=16, verbose=0, seed=0, callbacks=[backup]).epoch
[0, 1]
"""

from __future__ import annotations

import contextlib
import os

from rosenblatt.training.callbacks import Callback
from rosenblatt.training.callbacks import History
from rosenblatt.training.resume import (
    callback_state, metric_state, random_state, set_callback_state, set_metric_state, set_random_state,
)


class BackupAndRestore(Callback):
    """Back up the training state, and restore it when ``fit`` starts again after an interruption.

    Args:
        backup_dir: the folder of the backup (created if missing); one ``fit`` per folder.
        save_freq: ``"epoch"`` (after each epoch) or an integer n (after every n batches, and after
            each epoch).
        delete_checkpoint: delete the backup when training ends normally (default True).
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        if not isinstance(backup_dir, (str, os.PathLike)) or not os.fspath(backup_dir):
            raise TypeError(f"BackupAndRestore: backup_dir must be a folder path, got {backup_dir!r}")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int)
                                     or save_freq < 1):
            raise ValueError(f"BackupAndRestore: save_freq must be 'epoch' or a positive integer (batches), "
                             f"got {save_freq!r}")
        self.backup_dir, self.save_freq = os.fspath(backup_dir), save_freq
        self.delete_checkpoint = bool(delete_checkpoint)
        self.path = os.path.join(self.backup_dir, "backup.npz")
        self._batches = 0

    # -- hooks ----------------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        os.makedirs(self.backup_dir, exist_ok=True)
        self._batches = 0
        self.model._fit_loop.after_epoch_end.append(self._save)  # after History and the others saw the epoch
        if os.path.exists(self.path):
            self._restore()

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % self.save_freq == 0:
                self._save()

    def on_train_end(self, logs=None):
        if self.delete_checkpoint:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    # -- the state ------------------------------------------------------------------------------------
    def _others(self, loop):
        """The library's other callbacks of this fit, whose counters (patience, best value, cooldown) are backed
        up; a callback of the user's own class keeps its own state."""
        return [cb for cb in loop.callbacks if cb is not self and not isinstance(cb, History)
                and type(cb).__module__.startswith("rosenblatt.")]

    def _save(self):
        model, loop = self.model, self.model._fit_loop
        history = model.history
        epochs, records = list(history.epoch), {k: list(v) for k, v in history.history.items()}
        lr = model.optimizer._learning_rate
        state = {
            "epoch": loop.epoch, "step": loop.step, "epoch_start": loop.epoch_start,
            "model_random": random_state(model),
            "loss": metric_state(loop.loss_mean),
            "metrics": [metric_state(m) for m in model.compiled_metrics],
            "history": {"epoch": epochs, "history": records},
            "learning_rate": float(lr) if isinstance(lr, (int, float)) else None,
            "callbacks": [[type(cb).__name__, callback_state(cb)] for cb in self._others(loop)],
        }
        model._save_training_state(self.path, state)

    def _restore(self):
        model, loop = self.model, self.model._fit_loop
        if not model.built:
            raise ValueError(f"BackupAndRestore: model '{model.name}' must be built (give it an Input) before "
                             f"fit, so that {self.path} can be restored into it")
        state = model._load_training_state(self.path)
        set_random_state(model, state["model_random"])
        if state.get("learning_rate") is not None:
            model.optimizer.learning_rate = state["learning_rate"]
        model.history.epoch = list(state["history"]["epoch"])
        model.history.history = {k: list(v) for k, v in state["history"]["history"].items()}
        saved = dict(_keyed(state.get("callbacks", []), saved=True))
        restore = [(cb, saved[key]) for key, cb in _keyed(self._others(loop)) if key in saved]
        loop.after_train_begin.append(lambda: [set_callback_state(cb, numbers) for cb, numbers in restore])
        loop.epoch, loop.step, loop.epoch_start = int(state["epoch"]), int(state["step"]), state["epoch_start"]
        if loop.step:  # mid-epoch: the epoch's order is drawn again from its start; the sums go on
            loop.resumed = True
            set_metric_state(loop.loss_mean, state["loss"])
            if len(state["metrics"]) != len(model.compiled_metrics):
                raise ValueError(f"BackupAndRestore: {self.path} has {len(state['metrics'])} metrics, the model "
                                 f"has {len(model.compiled_metrics)}")
            for metric, saved in zip(model.compiled_metrics, state["metrics"]):
                set_metric_state(metric, saved)
        else:
            loop.set_data_state(loop.epoch_start)
        self._batches = 0


def _keyed(items, saved=False):
    """((class name, its count so far), callback or saved numbers): the n-th ReduceLROnPlateau of the backup
    goes to the n-th of this fit, whatever else was added or left out."""
    seen, keyed = {}, []
    for item in items:
        name, value = (item[0], item[1]) if saved else (type(item).__name__, item)
        seen[name] = seen.get(name, 0) + 1
        keyed.append(((name, seen[name]), value))
    return keyed
