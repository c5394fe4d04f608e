"""Callbacks: code that runs at the start and end of training, of each epoch and of each batch.

>>> cb = EarlyStopping(monitor="loss", patience=1)
>>> cb.min_delta, cb.patience
(0.0, 1)
"""

from __future__ import annotations

import numpy as np


class Callback:
    """Base class; override the hooks you need.  ``self.model`` is set by ``fit``."""

    model = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None): ...
    def on_train_end(self, logs=None): ...
    def on_epoch_begin(self, epoch, logs=None): ...
    def on_epoch_end(self, epoch, logs=None): ...
    def on_train_batch_begin(self, batch, logs=None): ...
    def on_train_batch_end(self, batch, logs=None): ...


class History(Callback):
    """Records each epoch's logs: ``history.history["loss"]`` is the list of epoch losses."""

    def __init__(self):
        self.history: dict[str, list] = {}
        self.epoch: list[int] = []
        self.stopped_reason: str | None = None

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def last_logs(self) -> dict:
        """The last epoch's logs."""
        return {k: v[-1] for k, v in self.history.items()}

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()}
        return f"<History epochs={len(self.epoch)} last={last}>"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Keras's arguments, with Keras's defaults:

    Args:
        monitor: the log to watch (``"val_loss"`` by default).
        min_delta: the smallest change that counts as an improvement (default 0).
        patience: epochs without improvement before stopping (default 0). As in Keras, training stops
            at the patience-th epoch in a row without improvement, never after the first epoch, so 0
            and 1 both stop at the first epoch that does not improve.
        verbose: 1 prints ``Epoch N: early stopping`` when it stops, and which epoch's weights it puts
            back, as Keras does; 0 (default) is silent.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (default: max for accuracies, min otherwise).
        baseline: a value to reach (default None): while ``monitor`` has not beaten it, epochs count
            as without improvement, even when they beat the best so far (Keras 3 never stops while
            the value keeps improving short of its baseline; here those epochs count toward patience).
        restore_best_weights: put back the weights of the best epoch at the end (default False).
        start_from_epoch: epochs to let pass before watching at all, a warm-up (default 0).

    >>> stop = EarlyStopping(monitor="loss", patience=2, verbose=1, baseline=0.5, start_from_epoch=1)
    >>> stop.patience, stop.mode, stop.baseline
    (2, 'min', 0.5)
    """

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0, verbose=0, mode="auto", baseline=None,
                 restore_best_weights=False, start_from_epoch=0):
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        for name, value in (("patience", patience), ("verbose", verbose), ("start_from_epoch", start_from_epoch)):
            if isinstance(value, bool) and name != "verbose" or not isinstance(value, (int, np.integer)) or value < 0:
                raise ValueError(f"EarlyStopping: {name} must be an integer ≥ 0, got {value!r}")
        self.monitor, self.min_delta, self.patience = monitor, abs(float(min_delta)), int(patience)
        self.verbose, self.start_from_epoch = int(verbose), int(start_from_epoch)
        self.baseline = None if baseline is None else float(baseline)
        self.mode = mode if mode != "auto" else ("max" if "acc" in monitor or "precision" in monitor
                                                 or "recall" in monitor else "min")
        self.restore_best_weights = restore_best_weights
        self.stopped_epoch = None
        self.best_epoch = None

    def on_train_begin(self, logs=None):
        self.wait, self.best, self.best_weights, self.stopped_epoch = 0, None, None, None

    def _better(self, value, than=None):
        than = self.best if than is None else than
        if than is None:
            return True
        return value < than - self.min_delta if self.mode == "min" else value > than + self.min_delta

    def on_epoch_end(self, epoch, logs=None):
        value = (logs or {}).get(self.monitor)
        if value is None:
            raise ValueError(f"EarlyStopping: '{self.monitor}' is not in the logs {sorted(logs or {})}")
        if epoch < self.start_from_epoch:
            return
        self.wait += 1  # Keras's order: count the epoch, then forgive it if it improved
        if self._better(value):
            self.best, self.best_epoch = value, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._better(value, self.baseline):
                self.wait = 0
                return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch is not None and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class LambdaCallback(Callback):
    """A callback from plain functions, with Keras's arguments and the arguments Keras passes them.

    Args:
        on_epoch_begin, on_epoch_end: ``f(epoch, logs)``.
        on_train_batch_begin, on_train_batch_end: ``f(batch, logs)`` (also under their old names
            ``on_batch_begin``, ``on_batch_end``).
        on_train_begin, on_train_end: ``f(logs)``.

    >>> seen = []
    >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: seen.append(epoch))
    >>> cb.on_epoch_end(0, {}); seen
    [0]
    """

    _ALIASES = {"on_batch_begin": "on_train_batch_begin", "on_batch_end": "on_train_batch_end"}

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None, on_train_end=None,
                 on_train_batch_begin=None, on_train_batch_end=None, **kwargs):
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end, "on_train_begin": on_train_begin,
                 "on_train_end": on_train_end, "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        for name, fn in kwargs.items():
            if name not in self._ALIASES:
                known = sorted([*hooks, *self._ALIASES])
                raise TypeError(f"LambdaCallback: unknown hook {name!r}; the hooks are {known}")
            hooks[self._ALIASES[name]] = fn
        for name, fn in hooks.items():
            if fn is None:
                continue
            if not callable(fn):
                raise TypeError(f"LambdaCallback: {name} must be a function, got {fn!r}")
            setattr(self, name, fn)


class LearningRateLogger(Callback):
    """Adds the optimizer's current learning rate to each epoch's logs as ``"learning_rate"``."""

    def on_epoch_end(self, epoch, logs=None):
        opt = self.model.optimizer
        lr = opt.learning_rate
        if callable(lr):
            lr = lr(opt.iterations)
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(lr))


class ProgressBar(Callback):
    """One tqdm progress bar over all epochs (for long runs with ``verbose=0``), showing the last logs.

    Falls back to nothing if tqdm is not installed.
    """

    def __init__(self, epochs, desc="training", stream=None):
        self.epochs, self.desc, self.stream = int(epochs), desc, stream
        self.bar = None

    def on_train_begin(self, logs=None):
        try:
            from tqdm.auto import tqdm
        except ImportError:  # pragma: no cover - optional extra
            return
        self.bar = tqdm(total=self.epochs, desc=self.desc, unit="epoch", file=self.stream, dynamic_ncols=True,
                        mininterval=0.2)

    def on_epoch_end(self, epoch, logs=None):
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix({k: f"{v:.4f}" for k, v in (logs or {}).items()}, refresh=False)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.close()
