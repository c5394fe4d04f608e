"""The optimizers racing on a landscape: the library's own optimizers, stepped side by side.

Each optimizer is an instance of :mod:`rosenblatt.optimizers` updating its own two-number point; at every
step the gradients of all the points still running come from one :class:`~rosenblatt.GradientTape`
pass (:meth:`Landscape.gradient` on a (k, 2) array), which gives each point the same bits as computing it
alone. So a path here is, bit for bit, ``optimizers.trajectory(optimizer, landscape.gradient, start,
steps)`` (with ``stop_on_divergence``), cut where it diverges.

>>> from rosenblatt.apps.playground.landscapes import LANDSCAPES
>>> run = race(LANDSCAPES["bowl"], (1.0, -1.0), [{"name": "gd", "learning_rate": 0.25}], steps=2)
>>> run[0]["path"]
[[1.0, -1.0], [0.5, -0.5], [0.25, -0.25]]
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt import optimizers, schedules

# name -> (the label on the page, an Okabe–Ito colour, a dash pattern, the hyper-parameters and their defaults)
OPTIMIZERS = {
    "gd": ("Gradient descent", "#000000", [], {}),
    "momentum": ("Momentum", "#E69F00", [], {"beta": 0.9}),
    "nesterov": ("Nesterov", "#56B4E9", [6, 3], {"momentum": 0.9}),
    "rmsprop": ("RMSprop", "#009E73", [], {"rho": 0.9, "epsilon": 1e-8}),
    "adam": ("Adam", "#D55E00", [], {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}),
    "adagrad": ("Adagrad", "#0072B2", [2, 3], {"initial_accumulator_value": 0.1, "epsilon": 1e-7}),
    "adadelta": ("Adadelta", "#CC79A7", [6, 3], {"rho": 0.95, "epsilon": 1e-6}),
    "nadam": ("Nadam", "#F0E442", [], {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8}),
    "adamw": ("AdamW", "#8C6D31", [6, 3], {"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-8, "weight_decay": 0.004}),
}
DEFAULT_LEARNING_RATE = {"adadelta": 1.0}
DECAYS = ("none", "inverse_time", "exponential", "inverse_sqrt")
DECAY_DEFAULT_RATE = {"none": 0.0, "inverse_time": 0.01, "exponential": 0.95, "inverse_sqrt": 1.0}
ESCAPE = 10.0  # a point farther than this many window sizes from the window's centre has diverged


def schedule(learning_rate, decay=None):
    """η as a number, or one of the lecture's three decays (``decay = {"kind", "rate", "every"}``).

    ``inverse_time``: η0 / (1 + rate · epoch); ``exponential``: rate^epoch · η0; ``inverse_sqrt``:
    rate / √(epoch + 1) · η0 — with epoch = step // every (``every`` defaults to 1).

    >>> schedule(0.1, {"kind": "inverse_time", "rate": 1.0, "every": 10})(25)
    0.03333333333333333
    """
    decay = decay or {}
    kind = decay.get("kind", "none")
    rate = decay.get("rate", DECAY_DEFAULT_RATE.get(kind, 0.0))
    every = decay.get("every", 1)
    if kind == "none":
        return learning_rate
    if kind == "inverse_time":
        return schedules.InverseTimeDecay(learning_rate, 1, rate, steps_per_epoch=every)
    if kind == "exponential":
        return schedules.ExponentialDecay(learning_rate, 1, rate, steps_per_epoch=every)
    if kind == "inverse_sqrt":
        return schedules.InverseSqrtDecay(learning_rate, rate, steps_per_epoch=every)
    raise ValueError(f"unknown decay {kind!r}; expected one of {DECAYS}")


def build(spec: dict):
    """The library's optimizer for one entry of a request (``name``, ``learning_rate``, ``decay``, β's, ε).

    >>> build({"name": "nesterov", "learning_rate": 0.1})
    SGD(learning_rate=0.1, momentum=0.9, nesterov=True)
    """
    name = spec["name"]
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; expected one of {sorted(OPTIMIZERS)}")
    params = {key: spec.get(key, default) if spec.get(key) is not None else default
              for key, default in OPTIMIZERS[name][3].items()}
    lr = spec.get("learning_rate") or DEFAULT_LEARNING_RATE.get(name, 0.01)
    lr = schedule(lr, spec.get("decay"))
    if name == "gd":
        return optimizers.SGD(lr)
    if name == "nesterov":
        return optimizers.SGD(lr, momentum=params["momentum"], nesterov=True)
    cls = {"momentum": optimizers.Momentum, "rmsprop": optimizers.RMSprop, "adam": optimizers.Adam,
           "adagrad": optimizers.Adagrad, "adadelta": optimizers.Adadelta, "nadam": optimizers.Nadam,
           "adamw": optimizers.AdamW}[name]
    return cls(lr, **params)


def race(landscape, start, specs, steps, *, noise=0.0, seed=0, inspect=None):
    """Run every optimizer of ``specs`` from ``start`` for ``steps`` steps on ``landscape``.

    Args:
        noise: σ of Gaussian noise added to each gradient coordinate (mini-batch-like); each optimizer
            draws the same sequence from ``numpy.random.default_rng(seed)``.
        inspect: a step t ≥ 1: also return, per optimizer, what happened inside step t (its slots
            after the step from ``get_state()``, η after decay, dW, the step taken).

    Returns a list of dicts, one per spec: ``path`` (points W_0 … W_n), ``cost``, ``diverged``,
    ``diverged_at``, ``steps``, ``final_cost``, ``nearest_minimum``, ``distance`` and, with
    ``inspect``, ``inside``.
    """
    opts = [build(spec) for spec in specs]
    k = len(specs)
    P = np.empty((k, 2))       # row i is optimizer i's point W, which the optimizer updates in place
    P[:] = np.asarray(start, dtype=np.float64)
    rows = [P[i] for i in range(k)]
    track = np.empty((steps + 1, k, 2))
    track[0] = P
    lengths = [1] * k
    rngs = [np.random.default_rng(seed) for _ in specs] if noise else None
    diverged_at = [None] * k
    inside = [None] * k
    alive = list(range(k))
    low, high = _bounds(landscape.window)
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            G = landscape._gradient(P)  # every row at once (no errstate of its own); a stopped row's is not used
            still = []
            for i in alive:
                W, opt = rows[i], opts[i]
                dW = G[i] if rngs is None else G[i] + noise * rngs[i].standard_normal(2)
                if inspect == t:
                    before, η = W.copy(), opt.current_learning_rate()
                try:
                    opt.apply_gradients([(dW, W)])
                except optimizers.DivergenceError:
                    diverged_at[i] = t
                    continue
                lengths[i] = t + 1
                if inspect == t:
                    inside[i] = _inside(opt, t, η, dW, before, W)
                still.append(i)
            track[t] = P
            if len(still) < len(alive) or not ((P >= low) & (P <= high)).all():
                for i in still:  # a point that left the region has diverged
                    if not ((rows[i] >= low) & (rows[i] <= high)).all():
                        diverged_at[i] = t
                still = [i for i in still if diverged_at[i] is None]
            alive = still
            if not alive:
                break
    return [_result(landscape, spec, track[:n, i], at, part)
            for i, (spec, n, at, part) in enumerate(zip(specs, lengths, diverged_at, inside))]


def _bounds(window):
    """The region outside which a point has diverged: ``ESCAPE`` window sizes around the window's centre."""
    x0, x1, y0, y1 = window
    cx, cy, size = (x0 + x1) / 2, (y0 + y1) / 2, max(x1 - x0, y1 - y0)
    return (np.array([cx - ESCAPE * size, cy - ESCAPE * size]), np.array([cx + ESCAPE * size, cy + ESCAPE * size]))


def _inside(opt, t, η, dW, before, after):
    state = opt.get_state()
    slots = {key.split("/", 1)[1]: value.tolist() for key, value in state.items() if "/" in key}
    scalars = {key: value for key, value in state.items() if "/" not in key and key != "iterations"}
    corrected = {}
    if "v" in slots and hasattr(opt, "beta_1"):
        corrected["v_corr"] = [v / (1 - opt.beta_1 ** t) for v in slots["v"]]
    if "s" in slots and hasattr(opt, "beta_2"):
        corrected["s_corr"] = [s / (1 - opt.beta_2 ** t) for s in slots["s"]]
    step = (after - before).tolist()
    with np.errstate(all="ignore"):
        effective = [(-s / g) if g != 0 else None for s, g in zip(step, dW.tolist())]
    return {"t": t, "learning_rate": η, "dW": dW.tolist(), "W_before": before.tolist(), "W": after.tolist(),
            "step": step, "effective_learning_rate": [e if e is None or math.isfinite(e) else None for e in effective],
            "slots": slots, "corrected": corrected, "scalars": scalars}


def _result(landscape, spec, path, diverged_at, inside):
    cost = landscape.cost(path[:, 0], path[:, 1])
    last = path[-1]
    final = float(cost[-1])
    diverged = diverged_at is not None or not math.isfinite(final)
    nearest, distance = landscape.nearest_minimum(float(last[0]), float(last[1]))
    label, colour, dash, _ = OPTIMIZERS[spec["name"]]
    out = {"name": spec["name"], "label": spec.get("label") or label, "colour": colour, "dash": dash,
           "path": path.tolist(), "cost": [c if math.isfinite(c) else None for c in cost.tolist()],
           "diverged": diverged, "diverged_at": diverged_at, "steps": len(path) - 1,
           "final_cost": final if math.isfinite(final) else None,
           "nearest_minimum": None if nearest is None else {"w1": nearest.w1, "w2": nearest.w2, "kind": nearest.kind},
           "distance": distance}
    if inside is not None:
        out["inside"] = inside
    return out


def sweep(landscape, start, spec, steps, etas, **kwargs):
    """One optimizer at each η of ``etas`` (the lecture's "too small is slow, too large diverges")."""
    return race(landscape, start, [{**spec, "learning_rate": float(η)} for η in etas], steps, **kwargs)


def log_space(low, high, count):
    """``count`` values from ``low`` to ``high``, evenly spaced on a log scale.

    >>> log_space(0.001, 1.0, 4)
    [0.001, 0.01, 0.1, 1.0]
    """
    if count == 1:
        return [float(low)]
    return [float(10 ** (math.log10(low) + (math.log10(high) - math.log10(low)) * i / (count - 1)))
            for i in range(count)]
