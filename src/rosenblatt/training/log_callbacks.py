"""Callbacks that watch the logs: ``TerminateOnNaN`` (stop on a non-finite loss) and ``CSVLogger`` (one row
per epoch in a CSV file), with Keras's arguments.

>>> import rosenblatt as rb, tempfile, os
>>> x, y = rb.data.points.make_xor(64, seed=0)
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
>>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
>>> _ = model.fit(x, y, epochs=2, verbose=0, callbacks=[CSVLogger(path), TerminateOnNaN()])
>>> open(path).read().splitlines()[0]
'epoch,accuracy,loss'
"""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from rosenblatt.training.callbacks import Callback


class TerminateOnNaN(Callback):
    """Stop training after a batch whose loss is NaN or infinite (``model.stop_training = True``).

    ``fit`` itself never writes a non-finite value into the weights; this stops the run as Keras's does.
    """

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(np.asarray(loss))):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class CSVLogger(Callback):
    """Write each epoch's logs as a row of a CSV file: ``epoch`` (from 0) and the logs, sorted by name.

    Args:
        filename: the CSV file.
        separator: the field separator (default ``","``).
        append: add to an existing file (no second header) instead of starting it afresh.
    """

    def __init__(self, filename, separator=",", append=False):
        if not isinstance(filename, (str, os.PathLike)) or not os.fspath(filename):
            raise TypeError(f"CSVLogger: filename must be a file path, got {filename!r}")
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: separator must be one character, got {separator!r}")
        self.filename, self.sep, self.append = os.fspath(filename), separator, bool(append)
        self.keys, self._file, self._writer = None, None, None

    def on_train_begin(self, logs=None):
        had_rows = self.append and os.path.exists(self.filename) and os.path.getsize(self.filename) > 0
        self._file = open(self.filename, "a" if self.append else "w", newline="", encoding="utf-8")
        self._writer, self.keys, self._header = None, None, not had_rows

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        if self.keys is None:
            self.keys = sorted(logs)
            self._writer = csv.DictWriter(self._file, fieldnames=["epoch", *self.keys], delimiter=self.sep,
                                          extrasaction="ignore", restval="NA")
            if self._header:
                self._writer.writeheader()
        self._writer.writerow({"epoch": epoch, **{k: _cell(v) for k, v in logs.items()}})
        self._file.flush()

    def on_train_end(self, logs=None):
        if self._file is not None:
            self._file.close()
            self._file, self._writer = None, None


def _cell(value):
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ", ".join(str(v) for v in np.asarray(value).ravel()) + "]"
    return value
