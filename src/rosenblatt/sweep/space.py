"""The search space: a full grid of hyper-parameters, or random (log-uniform) samples of them.

A trial is a plain dict of five hyper-parameters, the lecture's "try lots of different learning rates":

=================  ======================================================  ==========
key                meaning                                                 default
=================  ======================================================  ==========
``optimizer``      a name of :func:`rosenblatt.optimizers.get`             ``"adam"``
``learning_rate``  η0 > 0                                                  ``0.01``
``batch_size``     b ≥ 1                                                   ``32``
``decay``          learning_decay ≥ 0: η = η0 / (1 + decay · epoch_num)    ``0.0``
``seed``           the initial weights' and the shuffling's seed, ≥ 0      ``0``
=================  ======================================================  ==========

:func:`grid` takes the Cartesian product of lists of values; :func:`sample` draws ``n`` trials, each
value from a list (uniformly) or from ``("log-uniform", low, high)`` (log η uniform in [log low, log high]),
``("uniform", low, high)`` or ``("int", low, high)``. Both return the trials in a fixed order, and
:func:`trial_id` names each one by its values, so a restarted sweep recognises what it has done.

>>> trials = grid(optimizer=["sgd", "adam"], learning_rate=[0.1, 0.01])
>>> [(t["optimizer"], t["learning_rate"]) for t in trials]
[('sgd', 0.1), ('sgd', 0.01), ('adam', 0.1), ('adam', 0.01)]
>>> trial_id(trials[0]) == trial_id(dict(trials[0]))
True
>>> [round(t["learning_rate"], 5) for t in sample(3, seed=0, learning_rate=("log-uniform", 1e-4, 1.0))]
[0.03531, 0.0012, 0.00015]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import numbers

import numpy as np

DEFAULTS = {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 32, "decay": 0.0, "seed": 0}
KEYS = tuple(DEFAULTS)


def _check_value(key, value):
    """One hyper-parameter's value, checked and in its canonical type."""
    if key == "optimizer":
        from rosenblatt import optimizers

        if not isinstance(value, str) or value.lower() not in optimizers._BY_NAME:
            raise ValueError(f"sweep: optimizer must be one of {sorted(optimizers._BY_NAME)}; got {value!r}")
        return value.lower()
    if key in ("batch_size", "seed"):
        low = 1 if key == "batch_size" else 0
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < low:
            raise ValueError(f"sweep: {key} must be an int ≥ {low}; got {value!r}")
        return int(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"sweep: {key} must be a finite number; got {value!r}")
    if key == "learning_rate" and not value > 0:
        raise ValueError(f"sweep: learning_rate must be > 0; got {value!r}")
    if key == "decay" and not value >= 0:
        raise ValueError(f"sweep: decay must be ≥ 0; got {value!r}")
    return float(value)


def _check_keys(axes, who):
    unknown = sorted(set(axes) - set(KEYS))
    if unknown:
        raise ValueError(f"{who}: unknown hyper-parameter(s) {unknown}; expected some of {list(KEYS)}")


def grid(**axes) -> list[dict]:
    """Every combination of the given values (the last key varies fastest); absent keys take their default.

    Args:
        optimizer, learning_rate, batch_size, decay, seed: a value or a list of values each.

    >>> len(grid(learning_rate=[1.0, 0.1, 0.01], seed=[0, 1]))
    6
    >>> grid(batch_size=64)
    [{'optimizer': 'adam', 'learning_rate': 0.01, 'batch_size': 64, 'decay': 0.0, 'seed': 0}]
    """
    _check_keys(axes, "grid")
    values = []
    for key in KEYS:
        given = axes.get(key, DEFAULTS[key])
        given = list(given) if isinstance(given, (list, tuple, np.ndarray)) else [given]
        if not given:
            raise ValueError(f"grid: {key} has no values")
        values.append([_check_value(key, v) for v in given])
    return [dict(zip(KEYS, combo)) for combo in itertools.product(*values)]


def _draw(key, spec, rng):
    if isinstance(spec, (list, tuple)) and spec and isinstance(spec[0], str) and spec[0] in (
            "log-uniform", "uniform", "int"):
        if len(spec) != 3:
            raise ValueError(f"sample: {key} = {spec!r}; expected (kind, low, high)")
        kind, low, high = spec
        if not (isinstance(low, numbers.Real) and isinstance(high, numbers.Real) and low <= high):
            raise ValueError(f"sample: {key} = {spec!r}; expected low ≤ high, two numbers")
        if kind == "log-uniform":
            if not low > 0:
                raise ValueError(f"sample: {key} = {spec!r}; a log-uniform range needs low > 0")
            return float(math.exp(rng.uniform(math.log(low), math.log(high))))
        if kind == "uniform":
            return float(rng.uniform(low, high))
        return int(rng.integers(int(low), int(high), endpoint=True))
    if isinstance(spec, (list, tuple, np.ndarray)):
        if len(spec) == 0:
            raise ValueError(f"sample: {key} has no values")
        return spec[int(rng.integers(len(spec)))]
    return spec


def sample(n, seed=0, **distributions) -> list[dict]:
    """``n`` random trials: each key drawn from a list of values or a ``(kind, low, high)`` range.

    Args:
        n: the number of trials, ≥ 1.
        seed: an int ≥ 0 or a ``numpy.random.Generator`` (default 0).
        optimizer, learning_rate, batch_size, decay, seed_values: a value, a list or a range each
            (``seed_values`` is the trials' ``seed``; by default trial k gets seed k).

    >>> [t["optimizer"] for t in sample(4, seed=1, optimizer=["sgd", "adam"])]
    ['sgd', 'adam', 'adam', 'adam']
    """
    trial_seeds = distributions.pop("seed_values", None)
    _check_keys(distributions, "sample")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"sample: n must be an int ≥ 1; got {n!r}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    trials = []
    for k in range(int(n)):
        trial = {}
        for key in KEYS:
            if key == "seed":
                spec = k if trial_seeds is None else trial_seeds
            else:
                spec = distributions.get(key, DEFAULTS[key])
            trial[key] = _check_value(key, _draw(key, spec, rng))
        trials.append(trial)
    return trials


def trial_id(trial: dict, context: dict | None = None) -> str:
    """A short name of a trial from its values (and the sweep's ``context``: model, data, epochs).

    >>> trial_id({"optimizer": "sgd", "learning_rate": 0.1, "batch_size": 32, "decay": 0.0, "seed": 0})
    't-...'
    """
    key = {k: trial[k] for k in KEYS}
    if context:
        key["context"] = context
    text = json.dumps(key, sort_keys=True, default=str)
    return "t-" + hashlib.sha256(text.encode()).hexdigest()[:12]


def check_trials(trials) -> list[dict]:
    """The trials with every key present and checked; duplicates are refused (each is one row)."""
    if isinstance(trials, dict):
        trials = [trials]
    out, seen = [], set()
    for k, trial in enumerate(trials):
        if not isinstance(trial, dict):
            raise ValueError(f"sweep: trial {k} must be a dict of hyper-parameters; got {trial!r}")
        _check_keys(trial, f"sweep: trial {k}")
        full = {key: _check_value(key, trial.get(key, DEFAULTS[key])) for key in KEYS}
        ident = trial_id(full)
        if ident in seen:
            raise ValueError(f"sweep: trial {k} {full} appears twice")
        seen.add(ident)
        out.append(full)
    if not out:
        raise ValueError("sweep: no trials")
    return out
