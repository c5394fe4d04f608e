""""Copy as Python": the few lines that compute the page's paths with the library, in a notebook.

The code builds the same optimizers (:func:`.runs.build` spelled out) and calls
:func:`rosenblatt.optimizers.trajectory` with the landscape's tape gradient, so it gives the page's
paths bit for bit (the page cuts a diverged path where it leaves the region; ``trajectory`` stops at the
first non-finite value).

>>> print(code({"landscape": "bowl", "start": [1.0, 2.0], "steps": 10,
...             "optimizers": [{"name": "gd", "learning_rate": 0.1}]}))
import numpy as np
from rosenblatt import optimizers, schedules
from rosenblatt.apps.playground.landscapes import LANDSCAPES
<BLANKLINE>
J = LANDSCAPES["bowl"]  # J(w1, w2) = w1^2 + w2^2
start, steps = (1.0, 2.0), 10
paths = {
    "Gradient descent": optimizers.trajectory(optimizers.SGD(learning_rate=0.1), J.gradient, start, steps,
                                              stop_on_divergence=True),
}
for name, path in paths.items():
    print(f"{name:>18}: W = {path[-1]}, J = {J.cost(*path[-1]):.6g}")
"""

from __future__ import annotations

import json

from .runs import DEFAULT_LEARNING_RATE, OPTIMIZERS


def _q(text):
    """A Python string literal in double quotes (JSON's escapes are Python's for these)."""
    return json.dumps(text)

_CLASS = {"gd": "SGD", "nesterov": "SGD", "momentum": "Momentum", "rmsprop": "RMSprop", "adam": "Adam",
          "adagrad": "Adagrad", "adadelta": "Adadelta", "nadam": "Nadam", "adamw": "AdamW"}
_SCHEDULE = {"inverse_time": "InverseTimeDecay(η, 1, {rate!r}, steps_per_epoch={every})",
             "exponential": "ExponentialDecay(η, 1, {rate!r}, steps_per_epoch={every})",
             "inverse_sqrt": "InverseSqrtDecay(η, {rate!r}, steps_per_epoch={every})"}
_RATE = {"inverse_time": 0.01, "exponential": 0.95, "inverse_sqrt": 1.0}


def _optimizer(spec):
    name = spec["name"]
    lr = spec.get("learning_rate") or DEFAULT_LEARNING_RATE.get(name, 0.01)
    decay = spec.get("decay") or {}
    kind = decay.get("kind", "none")
    if kind == "none":
        rate = repr(float(lr))
    else:
        k = decay.get("rate") if decay.get("rate") is not None else _RATE[kind]
        rate = "schedules." + _SCHEDULE[kind].replace("η", repr(float(lr))).format(rate=float(k),
                                                                                   every=decay.get("every", 1))
    args = [f"learning_rate={rate}"]
    for key, default in OPTIMIZERS[name][3].items():
        value = spec.get(key)
        if name == "nesterov" and key == "momentum":
            args.append(f"momentum={float(default if value is None else value)!r}, nesterov=True")
        elif value is not None and value != default:
            args.append(f"{key}={float(value)!r}")
    return f"optimizers.{_CLASS[name]}({', '.join(args)})"


def code(request: dict) -> str:
    """The Python for a trajectories request (a dict as the API takes it)."""
    landscape = request.get("landscape", "bowl")
    lines = ["import numpy as np", "from rosenblatt import optimizers, schedules"]
    if landscape == "custom":
        window = tuple(request.get("window") or (-3.0, 3.0, -3.0, 3.0))
        lines += ["from rosenblatt.apps.playground.landscapes import custom", "",
                  f"J = custom({_q(request['formula'])}, window={window!r})"]
    else:
        from .landscapes import LANDSCAPES

        lines += ["from rosenblatt.apps.playground.landscapes import LANDSCAPES", "",
                  f"J = LANDSCAPES[{_q(landscape)}]  # J(w1, w2) = {LANDSCAPES[landscape].formula}"]
    start = tuple(float(v) for v in request["start"])
    lines.append(f"start, steps = {start!r}, {int(request.get('steps', 200))}")
    noise = float(request.get("noise") or 0.0)
    if noise:
        lines += [f"noise, seed = {noise!r}, {int(request.get('seed', 0))}  # the same noise for every optimizer",
                  "", "def noisy_gradient():", "    rng = np.random.default_rng(seed)",
                  "    return lambda W: J.gradient(W) + noise * rng.standard_normal(2)", ""]
    gradient = "noisy_gradient()" if noise else "J.gradient"
    lines.append("paths = {")
    for spec in request["optimizers"]:
        label = spec.get("label") or OPTIMIZERS[spec["name"]][0]
        head = f"    {_q(label)}: optimizers.trajectory("
        lines.append(f"{head}{_optimizer(spec)}, {gradient}, start, steps,")
        lines.append(" " * len(head) + "stop_on_divergence=True),")
    lines += ["}", "for name, path in paths.items():",
              '    print(f"{name:>18}: W = {path[-1]}, J = {J.cost(*path[-1]):.6g}")']
    return "\n".join(lines)
