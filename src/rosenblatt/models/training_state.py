"""A model file with the state of a ``fit`` call inside: what ``BackupAndRestore`` writes and reads.

It is a model file (format 2, verified, see :mod:`rosenblatt.models.saving`) with one more entry,
``training_state``: JSON of the epoch, the batches done in it, the random states and the metrics' sums
(see :mod:`rosenblatt.training.resume`).  Reading it into a model checks what loading a model checks
(the digest, each weight's and each optimizer slot's shape, dtype and finiteness) and then restores the
weights and the optimizer state into that model in place.

>>> import rosenblatt as rb, tempfile, os
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1)])
>>> model.compile(optimizer="sgd", loss="mse")
>>> path = os.path.join(tempfile.mkdtemp(), "backup.npz")
>>> save_training_state(model, path, {"epoch": 3})
>>> load_training_state(model, path)
{'epoch': 3}
"""

from __future__ import annotations

import json

import numpy as np

from rosenblatt.models import saving
from rosenblatt.io.errors import ModelFileError


def save_training_state(model, path, state: dict):
    """Write ``model`` and ``state`` (JSON-able) to ``path``, atomically and durably."""
    arrays = saving.model_arrays(model)
    arrays["training_state"] = np.array(json.dumps(state))
    saving._write(path, arrays)


def load_training_state(model, path) -> dict:
    """Restore ``model``'s weights and optimizer state from ``path``; return the saved state."""
    def read(archive, label):
        saving._check_format(archive, label, saving.FORMAT)
        if "training_state" not in archive.names:
            raise ModelFileError(label, "is a model file without a training state, not a backup")
        state = saving._read_json(archive, "training_state", label)
        if not isinstance(state, dict):
            raise ModelFileError(label, "its training state is not an object")
        saving._assign_weights(model, saving._weight_arrays(archive, label), label)
        prefix = "optimizer_state/"
        slots = {n[len(prefix):]: archive.array(n) for n in archive.names if n.startswith(prefix)}
        if slots and model.optimizer is not None:
            saving._check_state(slots, model.trainable_weights, label)
            model.optimizer.set_state(slots)
        return state

    return saving._guarded(path, read)
