r"""The learning-rate range test (Smith 2017, "Cyclical learning rates"; fastai's ``lr_find``).

Train for ``num_iter`` mini-batch steps while η grows exponentially from ``start_lr`` to ``end_lr``,

.. math:: η_i = η_\text{start} \, (η_\text{end} / η_\text{start})^{i / (n - 1)}, \qquad i = 0, \dots, n - 1,

and record the loss J_i of each step, smoothed as fastai does (an exponentially weighted average with
bias correction, the lecture's v^corr):

.. math:: v_i = β v_{i-1} + (1 - β) J_i, \qquad \hat J_i = v_i / (1 - β^{i+1}), \qquad β = 0.98.

The test stops early once \hat J_i > 4 · min_{k ≤ i} \hat J_k (the loss has blown up) or J_i is not finite.
Two suggestions are read off the curve \hat J(η), without its first tenth and last 5 steps (as fastai):

* ``steep``: η where \hat J falls fastest on its way down to its minimum,
  argmin_{i < i_min} (\hat J_{i+1} − \hat J_i) / (log η_{i+1} − log η_i). fastai searches the whole curve;
  a loss that stays bounded past the valley (a sigmoid's cross-entropy under Adam) can fall back
  steeply from a spike there, so only the descent into the valley is searched here;
* ``minimum``: η at the lowest \hat J, divided by 10 (the last η before the loss blows up is too large;
  a tenth of it is on the safe side of the valley).

The model's weights are put back as they were, and its optimizer is untouched: the test trains with a
fresh optimizer of the same kind and settings (its learning rate set at each step).

>>> import rosenblatt as rb
>>> x, y = rb.data.points.make_circles(n_samples=256, seed=0)
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="relu"),
...                        rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy")
>>> before = model.get_weights()
>>> found = lr_find(model, x, y, num_iter=50, seed=0)
>>> all((a == b).all() for a, b in zip(before, model.get_weights()))
True
>>> bool(1e-7 <= found.suggestion_minimum < found.learning_rates[-1])
True
"""

from __future__ import annotations

import dataclasses
import math
import numbers

import numpy as np


@dataclasses.dataclass
class LRFinderResult:
    """The range test's curve and suggestions (``learning_rates``, ``losses``, ``smoothed`` of equal length)."""

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggestion_steep: float
    suggestion_minimum: float
    lr_at_minimum: float
    stopped_early: bool

    def plot(self, path, title=None):
        """Draw the smoothed loss against η with both suggestions (see :func:`rosenblatt.sweep.plots.lr_find`)."""
        from rosenblatt.sweep.plots import lr_find as draw

        draw(self, path, title=title)


def _check(name, value, low, integral=False):
    kinds = numbers.Integral if integral else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kinds) or not (low < value < math.inf):
        raise ValueError(f"lr_find: {name} must be {'an int' if integral else 'a number'} > {low}; got {value!r}")
    return value


def _suggest(lrs, smoothed):
    if len(lrs) > 20:  # as fastai: the first tenth (the average warming up) and the last 5 steps are not read
        lrs, smoothed = lrs[len(lrs) // 10:-5], smoothed[len(lrs) // 10:-5]
    lowest = int(np.argmin(smoothed))
    slope = np.diff(smoothed[:lowest + 1]) / np.diff(np.log(lrs[:lowest + 1]))
    steep = float(lrs[int(np.argmin(slope))]) if len(slope) else float(lrs[0])
    return steep, float(lrs[lowest]) / 10, float(lrs[lowest])


def lr_find(model, x, y, start_lr=1e-7, end_lr=10.0, num_iter=200, batch_size=32, beta=0.98, stop_div=True,
            seed=0) -> LRFinderResult:
    """Run the range test on a compiled ``model``; return its curve and suggested learning rates.

    Args:
        model: a compiled model (its loss is used; its optimizer's kind and settings, not its state).
        x, y: the training arrays.
        start_lr, end_lr: the first and last η (defaults 1e-7 and 10, fastai's).
        num_iter: steps (default 200; fastai's is 100). The data is reshuffled each time it runs out.
        batch_size: the mini-batch size b (default 32).
        beta: the smoothing β (default 0.98).
        stop_div: stop once the smoothed loss exceeds 4 × its minimum (default True).
        seed: the shuffling's seed (default 0).
    """
    from rosenblatt import optimizers
    from rosenblatt.training.data_adapter import check_arrays, check_labels_for
    from rosenblatt.training.fit import _cast_for, train_step

    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError("lr_find: compile the model first (model.compile(optimizer=..., loss=...))")
    _check("start_lr", start_lr, 0)
    _check("end_lr", end_lr, start_lr)
    _check("num_iter", num_iter, 1, integral=True)
    _check("batch_size", batch_size, 0, integral=True)
    if not 0 <= beta < 1:
        raise ValueError(f"lr_find: beta must be in [0, 1); got {beta!r}")
    x, y, _ = check_arrays(x, y, None, "lr_find")
    check_labels_for(model.loss, y, "lr_find")
    rng = np.random.default_rng(seed)
    if not model.built:
        model(x[:1])
    x, y = _cast_for(model, x, y)
    saved_weights, saved_optimizer = model.get_weights(), model.optimizer
    probe = optimizers.deserialize(optimizers.serialize(saved_optimizer))
    probe.learning_rate = float(start_lr)
    lrs = start_lr * (end_lr / start_lr) ** (np.arange(num_iter) / max(num_iter - 1, 1))
    losses, smoothed, average, lowest, stopped = [], [], 0.0, math.inf, False
    order, at = rng.permutation(len(x)), 0
    model.optimizer = probe
    try:
        for i, η in enumerate(lrs):
            if at + batch_size > len(x):
                order, at = rng.permutation(len(x)), 0
            batch = order[at:at + min(batch_size, len(x))]
            at += len(batch)
            probe.learning_rate = float(η)
            try:
                loss, _ = train_step(model, x[batch], y[batch])
            except ArithmeticError:  # a non-finite loss or update: the curve ends here
                stopped = True
                break
            average = beta * average + (1 - beta) * loss
            smooth = average / (1 - beta ** (i + 1))
            losses.append(loss)
            smoothed.append(smooth)
            lowest = min(lowest, smooth)
            if stop_div and (smooth > 4 * lowest or not math.isfinite(smooth)):
                stopped = True
                break
    finally:
        model.optimizer = saved_optimizer
        model.set_weights(saved_weights)
    n = len(losses)
    if n < 2:
        raise ValueError(f"lr_find: the loss blew up within {n + 1} step(s) from η = {start_lr:g}; "
                         "try a smaller start_lr")
    lrs, smoothed = lrs[:n], np.array(smoothed)
    steep, minimum, at_min = _suggest(lrs, smoothed)
    return LRFinderResult(lrs, np.array(losses), smoothed, steep, minimum, at_min, stopped)


__all__ = ["lr_find", "LRFinderResult"]
