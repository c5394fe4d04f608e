"""The trainable activations before and after training: how PReLU, Swish and the APL unit bent.

Each of the three trains in the same small network on the blue vs green points, [2, 16, 16, 1]: Dense(16),
the activation, Dense(16), the activation again, Dense(1, sigmoid). Each activation layer shares one set
of parameters across its 16 units (``shared_axes=[1]``; Swish has one β anyway), so it is one curve g(z):
drawn at initialisation (dashed) and after training (solid), one colour per layer.
"""

from __future__ import annotations

import numpy as np

from rosenblatt.plots.style import OKABE_ITO, figure, styled

LAYER_COLOURS = [OKABE_ITO["blue"], OKABE_ITO["vermillion"]]
TRAINABLE = ("PReLU", "Swish", "AdaptivePiecewiseLinear")
FORMULAS = {"PReLU": "g(z) = z if z > 0, else α·z",
            "Swish": "g(z) = z·σ(βz)",
            "AdaptivePiecewiseLinear": "g(z) = max(0, z) + Σₛ aₛ·max(0, bₛ − z)"}


def make_activation(name, hinges=3):
    """One trainable activation layer whose units share their parameters (one curve)."""
    from rosenblatt import layers

    if name == "PReLU":
        return layers.PReLU(shared_axes=[1])
    if name == "Swish":
        return layers.Swish()
    if name == "AdaptivePiecewiseLinear":
        return layers.AdaptivePiecewiseLinear(hinges=hinges, shared_axes=[1])
    raise ValueError(f"unknown trainable activation {name!r}; expected one of {list(TRAINABLE)}")


def curve(layer, z):
    """g(z) of a built activation layer whose units share their parameters, on the points z."""
    import rosenblatt as rb

    return layer(rb.constant(np.asarray(z, dtype=np.float32)[:, None])).numpy()[:, 0].astype(np.float64)


def _parameters(layer):
    """The layer's parameters in words, for the legend: α = 0.12, β = 1.83, or the hinge points b."""
    if layer.weights[0].name == "alpha":
        return f"α = {float(layer.alpha.numpy().ravel()[0]):.2f}"
    if layer.weights[0].name == "beta":
        return f"β = {float(layer.beta.numpy()):.2f}"
    if not layer.a.numpy().any():
        return "aₛ = 0 (a ReLU)"
    return "hinges at b = " + ", ".join(f"{b:.2f}" for b in np.sort(layer.b.numpy().ravel()))


@styled
def trainable_activations(dataset="circles", names=TRAINABLE, epochs=100, n_samples=400, learning_rate=0.01,
                          seed=0, start=-4.0, stop=4.0):
    """Each trainable activation at initialisation (dashed) and after training (solid), in a [2, 16, 16, 1] network.

    Args:
        dataset: a set of :mod:`rosenblatt.data.points` (default "circles").
        names: the activation layers, one panel each (default PReLU, Swish, AdaptivePiecewiseLinear with 3 hinges).
        epochs, n_samples, learning_rate, seed: training with Adam, batches of 32 (defaults 100, 400, 0.01, 0).
        start, stop: the range of z drawn (default −4 to 4).

    Returns:
        the ``Figure``; in each axes, per hidden layer, the dashed line is g at initialisation and the solid
        line g after training; the APL unit's hinge points bₛ are marked on its trained curves.

    >>> fig = trainable_activations(epochs=1, n_samples=64)
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ['PReLU', 'Swish', 'AdaptivePiecewiseLinear']
    >>> [line.get_label() for line in fig.axes[0].lines][:2]
    ['both layers at start: α = 0.00', 'layer 1 trained: α = -0.02']
    """
    import rosenblatt as rb

    x, y = rb.data.points.get(dataset)(n_samples=n_samples, seed=seed)
    z = np.linspace(start, stop, 401)
    fig, axes = figure(1, len(names), size=(5.4, 6.0))
    for ax, name in zip(axes[0], names):
        hidden = [make_activation(name), make_activation(name)]
        model = rb.Sequential([rb.layers.Dense(16), hidden[0], rb.layers.Dense(16), hidden[1],
                               rb.layers.Dense(1, activation="sigmoid")], seed=seed)
        model.build((None, 2))  # (built at once from one generator, every layer's draws differ)
        model.compile(optimizer=rb.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
        before = [(curve(layer, z), _parameters(layer)) for layer in hidden]
        history = model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, seed=seed)
        if np.array_equal(before[0][0], before[1][0]):  # the same start (α = 0, β = 1, a = 0): one dashed line
            ax.plot(z, before[0][0], color=OKABE_ITO["black"], linestyle="--", linewidth=1.8, zorder=3,
                    label=f"both layers at start: {before[0][1]}")
        else:
            for i, ((g0, words), colour) in enumerate(zip(before, LAYER_COLOURS), start=1):
                ax.plot(z, g0, color=colour, linestyle="--", linewidth=1.8, label=f"layer {i} at start: {words}")
        for i, (layer, colour) in enumerate(zip(hidden, LAYER_COLOURS), start=1):
            # layer 1 wider, so that it shows around layer 2 where they coincide
            ax.plot(z, curve(layer, z), color=colour, linestyle="-", linewidth=4.2 if i == 1 else 2.2,
                    label=f"layer {i} trained: {_parameters(layer)}")
            if name == "AdaptivePiecewiseLinear":  # where the trained hinges bend the line
                b = layer.b.numpy().ravel()
                b = b[(b >= start) & (b <= stop)]
                ax.plot(b, curve(layer, b), linestyle="none", marker="o", markersize=8, color=colour)
        ax.axhline(0, color="0.4", linewidth=0.8)
        ax.axvline(0, color="0.4", linewidth=0.8)
        accuracy = history.history["accuracy"]
        ax.set_title(f"{name}: accuracy {accuracy[0]:.2f} → {accuracy[-1]:.2f}\n{FORMULAS[name]}", fontsize=13)
        ax.set_xlabel("z")
        ax.set_ylabel("g(z)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=11, frameon=False)
    fig.suptitle(f"Trainable activations at the start (dashed) and after {epochs} epochs (solid)\n"
                 f"[2, 16, 16, 1] network on {dataset}, Adam η = {learning_rate:g}; each layer's 16 units share "
                 "one set of parameters")
    return fig
