"""Where ``fit`` is, as plain JSON-able data, so that a killed run can resume bit for bit.

:class:`Loop` is what ``fit`` exposes to its callbacks (``model._fit_loop`` during ``fit``): the epoch,
the number of batches done in it, the shuffling generator and, captured at the start of the epoch, the
random state that decides the epoch's order (the generator's state, the pass counters and generators of
a :class:`~rosenblatt.data.Dataset`).  :func:`random_state` / :func:`set_random_state` read and write
every ``numpy.random.Generator`` of a model's layers (Dropout's masks, augmentation layers) and of a
dataset's transformations; :func:`metric_state` / :func:`set_metric_state` a metric's running sums.

A generator's state is a dict of Python ints (PCG64's 128-bit state), exact in JSON.

>>> import numpy as np
>>> g = np.random.default_rng(0); saved = generator_state(g); a = g.random()
>>> set_generator_state(g, saved); g.random() == a
True
"""

from __future__ import annotations

import copy

import numpy as np


class Loop:
    """The state of one ``fit`` call that callbacks may read and, in ``on_train_begin``, move."""

    def __init__(self, model, rng, data, epoch, loss_mean):
        self.model, self.rng, self.data, self.loss_mean = model, rng, data, loss_mean
        self.epoch = epoch          # the epoch running (or about to run)
        self.step = 0               # batches of it done
        self.epoch_start = None     # the random state that decides this epoch's order (see data_state)
        self.resumed = False        # set by a callback that restored a backup mid-epoch
        self.callbacks = []         # fit's callbacks, History last
        self.after_train_begin = []  # functions fit calls once every callback's on_train_begin has run
        self.after_epoch_end = []    # and once every callback's on_epoch_end has run

    def data_state(self) -> dict:
        """The state that decides an epoch's order: the shuffling generator's and the dataset's."""
        return {"rng": generator_state(self.rng), "data": random_state(self.data)}

    def set_data_state(self, state):
        set_generator_state(self.rng, state["rng"])
        set_random_state(self.data, state["data"])


def generator_state(rng) -> dict:
    """The generator's state as JSON-able data (MT19937's key array as a list; PCG64's are ints already)."""
    return _plain(rng.bit_generator.state)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value.item() if isinstance(value, np.generic) else value


def set_generator_state(rng, state):
    if state.get("bit_generator") != type(rng.bit_generator).__name__:
        raise ValueError(f"a saved random state of {state.get('bit_generator')!r} cannot be restored into a "
                         f"{type(rng.bit_generator).__name__} generator")
    rng.bit_generator.state = copy.deepcopy(state)


def _walk(root):
    """(path, holder, attribute) for every Generator and dataset pass counter reachable from ``root``."""
    seen, stack = set(), [("", root)]
    while stack:
        path, obj = stack.pop()
        if obj is None or id(obj) in seen or not hasattr(obj, "__dict__"):
            continue
        seen.add(id(obj))
        for key, value in sorted(vars(obj).items(), reverse=True):
            if isinstance(value, np.random.Generator):
                yield f"{path}{key}", obj, key
            elif key == "_passes" and isinstance(value, int):
                yield f"{path}{key}", obj, key
            elif key in ("_layers", "_members") and isinstance(value, list):
                stack.extend((f"{path}{key}/{i}/", item) for i, item in reversed(list(enumerate(value))))
            elif key in ("_input", "_inputs", "model", "_datasets"):
                items = value if isinstance(value, (list, tuple)) else [value]
                stack.extend((f"{path}{key}/{i}/", item) for i, item in enumerate(items)
                             if hasattr(item, "__dict__") and not isinstance(item, np.ndarray))


def random_state(root) -> dict:
    """Every generator's state and pass counter under ``root`` (a model or a dataset), by path."""
    state = {}
    for path, holder, key in _walk(root):
        value = getattr(holder, key)
        state[path] = value if isinstance(value, int) else generator_state(value)
    return state


def set_random_state(root, state: dict):
    """Put back what :func:`random_state` read; the paths must match (the same model or dataset)."""
    found = {path: (holder, key) for path, holder, key in _walk(root)}
    if set(found) != set(state):
        raise ValueError(f"the saved random state is for {sorted(state)[:6]}, but this has {sorted(found)[:6]}: "
                         "not the same model or dataset")
    for path, (holder, key) in found.items():
        if isinstance(state[path], int):
            setattr(holder, key, int(state[path]))
        else:
            set_generator_state(getattr(holder, key), state[path])


def metric_state(metric) -> dict:
    """A metric's running numbers (``Mean``'s total and count, a confusion count, ...), exact."""
    state = {k: v.item() if isinstance(v, np.generic) else v for k, v in vars(metric).items()
             if isinstance(v, (int, float, np.number)) and not isinstance(v, bool)}
    state["_dtype"] = None if getattr(metric, "_dtype", None) is None else str(metric._dtype)
    return state


def callback_state(callback) -> dict:
    """A callback's numbers and texts (a patience count, the best value, a cooldown), JSON-able."""
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in vars(callback).items()
            if k != "model" and (v is None or isinstance(v, (bool, int, float, str, np.number)))}


def set_callback_state(callback, state: dict):
    for key, value in state.items():
        setattr(callback, key, value)


def set_metric_state(metric, state: dict):
    for key, value in state.items():
        setattr(metric, key, np.dtype(value) if key == "_dtype" and value is not None else value)
