"""Figures of training: the loss at three learning rates, at three batch sizes, and any ``fit``'s history."""

from __future__ import annotations

import warnings

import numpy as np

from rosenblatt.plots.style import OKABE_ITO, figure, styled

RATE_COLOURS = [OKABE_ITO["sky blue"], OKABE_ITO["bluish green"], OKABE_ITO["vermillion"]]


def regression_network(seed=0, units=16):
    """The network of :func:`learning_rates`: [2, 16, 1], ReLU then linear, float64."""
    import rosenblatt as rb

    return rb.Sequential([rb.layers.Input((2,), dtype="float64"), rb.layers.Dense(units, activation="relu", dtype="float64"),
                          rb.layers.Dense(1, dtype="float64")], seed=seed)


@styled
def learning_rates(rates=(0.001, 0.03, 0.1), epochs=300, scale=5.0, seed=0):
    """One network trained by full-batch gradient descent at a small, a good and a large η.

    The blue vs green points (moons) with raw, unscaled features (multiplied by ``scale``), a mean
    squared error, and SGD: the loss J falls slowly at η = 0.001, quickly at η = 0.03, and at η = 0.1
    each step overshoots more than the last (η above 2/λ_max of the Hessian) until J overflows and
    ``fit`` stops; the line ends there, marked ×.

    Args:
        rates: the learning rates, small to large (default 0.001, 0.03, 0.1).
        epochs: full-batch steps (default 300).  scale: the features' scale (default 5).  seed: for the data
            and the initial weights (default 0; every rate starts from the same weights).

    Returns:
        the ``Figure``: one line per rate (J per epoch, log scale), labelled with η.

    >>> fig = learning_rates(epochs=20)
    >>> [line.get_label() for line in fig.axes[0].lines][:3]
    ['η = 0.001 (too small: slow)', 'η = 0.03 (about right)', 'η = 0.1 (too large: diverges)']
    """
    import rosenblatt as rb

    x, y = rb.data.points.make_moons(200, seed=seed)
    x = x * scale
    fig, axes = figure(1, 1, size=(8.0, 5.0))
    ax = axes[0][0]
    words = ["too small: slow", "about right", "too large: diverges"] if len(rates) == 3 else [""] * len(rates)
    first, lowest, diverged = None, np.inf, []
    for eta, colour, word in zip(rates, RATE_COLOURS * 3, words):
        model = regression_network(seed)
        model.compile(optimizer=rb.optimizers.SGD(eta), loss="mse")
        with warnings.catch_warnings():  # divergence is the point here: fit's warning says what the figure shows
            warnings.simplefilter("ignore", RuntimeWarning)
            history = model.fit(x, y, batch_size=len(x), epochs=epochs, verbose=0, shuffle=False)
        loss = np.asarray(history.history["loss"], dtype=np.float64)
        first = loss[0] if first is None else first
        lowest = min(lowest, float(np.min(loss)))
        label = f"η = {eta:g}" + (f" ({word})" if word else "")
        ax.plot(np.arange(1, len(loss) + 1), loss, color=colour, label=label)
        if history.stopped_reason:
            diverged.append((eta, colour, loss))
    top = 100 * first  # a diverging loss leaves the axes at the top; the text says where it went
    for i, (eta, colour, loss) in enumerate(diverged):
        ax.annotate(f"η = {eta:g}: J = {loss[-1]:.0e} at epoch {len(loss)}, inf at epoch {len(loss) + 1}: fit stopped",
                    xy=(len(loss), top), xytext=(0.06, 0.93 - 0.07 * i), textcoords="axes fraction", color=colour,
                    fontsize=12, va="top", arrowprops={"arrowstyle": "->", "color": colour})
    ax.set_ylim(lowest / 2, top)
    ax.set_yscale("log")
    ax.set_xlabel("epoch (one full-batch gradient step)")
    ax.set_ylabel("loss J (mean squared error, log scale)")
    ax.set_title("The learning rate: slow, right, diverging")
    ax.legend(loc="center right")
    return fig


def batch_losses(batch_size, steps=300, learning_rate=0.05, n_samples=256, seed=0):
    """The loss J on each step's mini-batch, training the lecture's [2, 8, 8, 1] ReLU network with SGD.

    The lecture's loop, written out with the GradientTape; batches are drawn from a reshuffled order
    each epoch; every batch size starts from the same weights.

    >>> losses = batch_losses(32, steps=5)
    >>> losses.shape, bool(np.all(losses > 0))
    ((5,), True)
    """
    import rosenblatt as rb

    x, y = rb.data.points.make_moons(n_samples, seed=seed)
    y = y[:, None].astype(np.float64)
    model = rb.Sequential([rb.layers.Input((2,), dtype="float64"),
                           rb.layers.Dense(8, activation="relu", dtype="float64"),
                           rb.layers.Dense(8, activation="relu", dtype="float64"),
                           rb.layers.Dense(1, activation="sigmoid", dtype="float64")], seed=seed)
    loss, optimizer = rb.losses.BinaryCrossentropy(), rb.optimizers.SGD(learning_rate)
    rng = np.random.default_rng(seed)
    out, order, at = np.empty(steps), rng.permutation(len(x)), 0
    for t in range(steps):
        if at + batch_size > len(x):
            order, at = rng.permutation(len(x)), 0
        idx = order[at:at + batch_size]
        at += batch_size
        with rb.GradientTape() as tape:
            loss_value = loss(y[idx], model(x[idx]))
        gradients = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        out[t] = float(loss_value)
    return out


@styled
def batch_sizes(batch_sizes=(1, 32, None), steps=300, learning_rate=0.05, n_samples=256, seed=0):
    """The loss per step for b = 1 (stochastic), b = 32 (mini-batch) and b = m (full batch).

    Each step's loss is measured on that step's batch, so b = 1 is the noisiest and b = m smooth.

    Args:
        batch_sizes: the b to compare; None means b = m (default 1, 32, m).
        steps: gradient steps for each (default 300).  learning_rate: SGD's η (default 0.05).
        n_samples: m, the moons points (default 256).  seed: data, order, weights (default 0).

    Returns:
        the ``Figure``: one line per batch size, ``get_ydata()`` its batch losses.

    >>> fig = batch_sizes(steps=10)
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['b = 1 (stochastic)', 'b = 32 (mini-batch)', 'b = m = 256 (full batch)']
    """
    fig, axes = figure(1, 1, size=(8.0, 5.0))
    ax = axes[0][0]
    colours = [OKABE_ITO["sky blue"], OKABE_ITO["orange"], OKABE_ITO["black"]]
    widths = [1.0, 1.6, 2.6]
    for i, b in enumerate(batch_sizes):
        size = n_samples if b is None else int(b)
        word = "full batch" if size == n_samples else "stochastic" if size == 1 else "mini-batch"
        label = f"b = m = {n_samples} ({word})" if b is None else f"b = {size} ({word})"
        losses = batch_losses(size, steps, learning_rate, n_samples, seed)
        ax.plot(np.arange(1, steps + 1), losses, color=colours[i % 3], linewidth=widths[i % 3], label=label)
    ax.set_xlabel("step t (one update of W)")
    ax.set_ylabel("loss J on the step's batch")
    ax.set_title(f"Mini-batches: the same network, SGD η = {learning_rate:g}")
    ax.legend(loc="upper right")
    return fig


@styled
def history(history, metrics=None, title=None):
    """The loss and metrics of any ``fit``, train (solid) against validation (dashed), one panel each.

    Args:
        history: what ``fit`` returned (a ``History``), or its ``.history`` dict of lists.
        metrics: the names to draw (default every key without ``val_``).
        title: the figure's title (default "Training history").

    Returns:
        the ``Figure``: per panel, ``lines[0]`` the training values, ``lines[1]`` the validation values if any.

    >>> fig = history({"loss": [0.7, 0.5, 0.4], "val_loss": [0.72, 0.6, 0.55], "accuracy": [0.5, 0.7, 0.8]})
    >>> [ax.get_title() for ax in fig.axes], [len(ax.lines) for ax in fig.axes]
    (['loss', 'accuracy'], [2, 1])
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(f"plots.history: expected a History or a non-empty dict of lists, got {history!r}")
    names = list(metrics) if metrics is not None else [k for k in logs if not k.startswith("val_")]
    missing = [n for n in names if n not in logs]
    if missing:
        raise ValueError(f"plots.history: no {missing} in the history; it has {sorted(logs)}")
    fig, axes = figure(1, len(names), size=(5.6, 4.4))
    for ax, name in zip(axes[0], names):
        values = np.asarray(logs[name], dtype=np.float64)
        epochs = np.arange(1, len(values) + 1)
        ax.plot(epochs, values, color=OKABE_ITO["blue"], marker="o", markersize=4, label="train")
        if f"val_{name}" in logs:
            val = np.asarray(logs[f"val_{name}"], dtype=np.float64)
            ax.plot(np.arange(1, len(val) + 1), val, color=OKABE_ITO["orange"], linestyle="--", marker="s",
                    markersize=4, label="validation")
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.legend()
    fig.suptitle(title or "Training history")
    return fig
