"""One trial: build a fresh seeded model, train it with one set of hyper-parameters, return one row.

:func:`run_trial` is a pure function of ``(trial, task)``: the same row (but for ``time_s`` and
``worker``) wherever it runs, in a local process or on a Dask worker, so both give the same table.
It never raises: a divergence or an exception becomes ``status`` and ``reason`` in the row.

The learning rate of epoch e (counted from 0) is the lecture's decay, η = η0 / (1 + decay · e)
(:class:`~rosenblatt.schedules.InverseTimeDecay` with ``steps_per_epoch``); ``decay = 0`` keeps η0.

A trial has *diverged* when training met a non-finite loss or update (``fit`` stops and keeps the last
finite weights), or when its final training loss is above ``diverge_factor`` × the untrained model's loss.

>>> task = Task(model="mlp", data="circles", epochs=2, n_samples=64)
>>> row = run_trial({"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "decay": 0.0, "seed": 0}, task)
>>> row["status"], row["epochs_run"], len(json.loads(row["curves"])["loss"])
('ok', 2, 2)
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import math
import os
import socket
import time
import traceback
import warnings

import numpy as np

from rosenblatt.sweep.space import KEYS, trial_id

POINT_SETS = ("circles", "xor", "moons", "blobs", "spirals")
MODELS = ("mlp", "logistic", "deep")


@dataclasses.dataclass(frozen=True)
class Task:
    """What every trial of a sweep shares.

    Args:
        model: ``"mlp"`` (the demo's [n_x, 8, 8, 1] ReLU network), ``"logistic"`` (one sigmoid unit),
            ``"deep"`` (the lecture's [n_x, 20, 7, 5, 1]), ``"package.module:function"``, or a callable
            ``f(seed) -> compiled model`` (its loss and metrics are kept, its optimizer is the trial's).
            A callable must be importable by the workers (a module-level function of an installed module).
        data: a built-in point set (``"circles"``, ``"xor"``, ``"moons"``, ``"blobs"``, ``"spirals"``),
            ``"cats"`` (the cat vs non-cat pictures, scaled to [0, 1]), or arrays
            ``(x, y)`` / ``(x, y, x_val, y_val)``.
        epochs: epochs per trial (default 20).
        n_samples: points of a built-in set (default 1000); its validation set has half as many.
        data_seed: the built-in set's seed (default 0; the validation set uses ``data_seed + 1``).
        cats_path: where the cat files are (default: :func:`rosenblatt.datasets.catvnoncat.load_data`'s search).
        diverge_factor: a final loss above this × the initial loss counts as diverged (default 2.0).
    """

    model: object = "mlp"
    data: object = "circles"
    epochs: int = 20
    n_samples: int = 1000
    data_seed: int = 0
    cats_path: str | None = None
    diverge_factor: float = 2.0

    def __post_init__(self):
        if isinstance(self.model, str) and self.model not in MODELS and ":" not in self.model:
            raise ValueError(f"sweep: model must be one of {list(MODELS)}, 'package.module:function' or a callable; "
                             f"got {self.model!r}")
        if not (isinstance(self.model, str) or callable(self.model)):
            raise ValueError(f"sweep: model must be a name or a callable; got {self.model!r}")
        if isinstance(self.data, str):
            if self.data not in POINT_SETS + ("cats",):
                raise ValueError(f"sweep: data must be one of {list(POINT_SETS + ('cats',))} or arrays (x, y); "
                                 f"got {self.data!r}")
        elif not (isinstance(self.data, (tuple, list)) and len(self.data) in (2, 4)):
            raise ValueError("sweep: data must be a name or arrays (x, y) or (x, y, x_val, y_val)")
        for name, low in (("epochs", 1), ("n_samples", 2), ("data_seed", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ValueError(f"sweep: {name} must be an int ≥ {low}; got {value!r}")
        if not self.diverge_factor > 0:
            raise ValueError(f"sweep: diverge_factor must be > 0; got {self.diverge_factor!r}")

    def context(self) -> dict:
        """The task's part of every trial's name: what changes the result, in plain values."""
        data = self.data if isinstance(self.data, str) else "arrays:" + _fingerprint(self.data)
        return {"model": model_name(self.model), "data": data, "epochs": int(self.epochs),
                "n_samples": int(self.n_samples), "data_seed": int(self.data_seed)}


def model_name(model) -> str:
    if isinstance(model, str):
        return model
    return f"{getattr(model, '__module__', '?')}:{getattr(model, '__qualname__', type(model).__name__)}"


def _fingerprint(arrays) -> str:
    import hashlib

    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.shape, a.dtype.str)).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:12]


@functools.lru_cache(maxsize=4)
def _built_in_data(name, n_samples, data_seed, cats_path):
    """Loaded once per process (a worker runs many trials on the same data)."""
    if name == "cats":
        from rosenblatt.datasets import catvnoncat

        (x, y), (x_val, y_val) = catvnoncat.load_data(cats_path)
        prep = lambda a: a.reshape(len(a), -1).astype(np.float64) / 255.0  # noqa: E731
        return prep(x), np.asarray(y).reshape(-1), prep(x_val), np.asarray(y_val).reshape(-1)
    from rosenblatt.data import points

    make = points.get(name)
    x, y = make(n_samples=n_samples, seed=data_seed)
    x_val, y_val = make(n_samples=max(2, n_samples // 2), seed=data_seed + 1)
    return x, y, x_val, y_val


def load_data(task: Task):
    """``(x, y, x_val, y_val)`` of the task (``x_val`` and ``y_val`` may be None for arrays)."""
    if isinstance(task.data, str):
        return _built_in_data(task.data, task.n_samples, task.data_seed, task.cats_path)
    x, y, *val = task.data
    return (np.asarray(x), np.asarray(y), *(np.asarray(v) for v in val)) if val else (np.asarray(x), np.asarray(y),
                                                                                       None, None)


def build_model(task: Task, n_features: int, seed: int):
    """A fresh compiled model (its optimizer replaced by the trial's)."""
    import rosenblatt as rb

    spec = task.model
    if isinstance(spec, str) and spec in MODELS:
        hidden = {"mlp": [8, 8], "logistic": [], "deep": [20, 7, 5]}[spec]
        model = rb.Sequential([rb.layers.Input((n_features,))]
                              + [rb.layers.Dense(u, activation="relu") for u in hidden]
                              + [rb.layers.Dense(1, activation="sigmoid")], seed=seed)
        model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
        return model
    if isinstance(spec, str):
        module, _, name = spec.partition(":")
        spec = getattr(importlib.import_module(module), name)
    model = spec(seed)
    if getattr(model, "loss", None) is None:
        raise ValueError(f"sweep: the model function {model_name(task.model)} must return a compiled model "
                         "(model.compile(loss=..., metrics=...))")
    return model


def make_optimizer(trial: dict, steps_per_epoch: int):
    from rosenblatt import optimizers, schedules

    optimizer = optimizers.get(trial["optimizer"])
    η0, decay = trial["learning_rate"], trial["decay"]
    optimizer.learning_rate = η0 if decay == 0 else schedules.InverseTimeDecay(
        η0, decay_steps=1, decay_rate=decay, steps_per_epoch=steps_per_epoch)
    return optimizer


def worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}"


def run_trial(trial: dict, task: Task) -> dict:
    """Train one model; the result row (hyper-parameters, curves, final metrics, time, status, reason)."""
    start = time.perf_counter()
    row = {"trial_id": trial_id(trial, task.context()), **{k: trial[k] for k in KEYS},
           "model": model_name(task.model), "data": task.context()["data"], "epochs": int(task.epochs),
           "status": "error", "reason": "", "initial_loss": math.nan, "final_loss": math.nan,
           "final_accuracy": math.nan, "final_val_loss": math.nan, "final_val_accuracy": math.nan,
           "epochs_run": 0, "curves": "{}", "time_s": math.nan, "worker": worker_name(), "attempts": 1}
    try:
        x, y, x_val, y_val = load_data(task)
        model = build_model(task, int(np.prod(x.shape[1:])), trial["seed"])
        steps = math.ceil(len(x) / trial["batch_size"])
        model.compile(optimizer=make_optimizer(trial, steps), loss=model.loss, metrics=model.compiled_metrics)
        row["initial_loss"] = float(model.evaluate(x, y, batch_size=256, return_dict=True)["loss"])
        validation = (x_val, y_val) if x_val is not None else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a divergence is recorded in the row instead
            history = model.fit(x, y, epochs=task.epochs, batch_size=trial["batch_size"], verbose=0,
                                seed=trial["seed"], validation_data=validation)
        curves = {k: [float(v) for v in values] for k, values in history.history.items()}
        row["curves"] = json.dumps(curves)
        row["epochs_run"] = len(curves.get("loss", []))
        for key, values in curves.items():
            if values:
                row[f"final_{key}"] = values[-1]
        final = row["final_loss"]
        if history.stopped_reason:
            row["status"], row["reason"] = "diverged", history.stopped_reason
        elif not final <= task.diverge_factor * row["initial_loss"]:
            row["status"] = "diverged"
            row["reason"] = (f"the final loss {final:.4g} is above {task.diverge_factor:g} × the initial loss "
                             f"{row['initial_loss']:.4g}")
        else:
            row["status"] = "ok"
    except Exception as exc:  # noqa: BLE001 - one trial's failure is recorded, the sweep goes on
        where = traceback.extract_tb(exc.__traceback__)[-1]
        row["status"] = "error"
        row["reason"] = f"{type(exc).__name__}: {exc} ({os.path.basename(where.filename)}:{where.lineno})"
    row["time_s"] = time.perf_counter() - start
    return row


__all__ = ["Task", "run_trial", "load_data", "build_model"]
