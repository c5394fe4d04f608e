"""Figures in the plane: decision regions of networks, and Rosenblatt's perceptron against a sigmoid neuron."""

from __future__ import annotations

import numpy as np

from rosenblatt.plots.style import BLUE, GREEN, OKABE_ITO, figure, styled


def _grid(x, n=200):
    lo, hi = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n))
    return g1, g2, np.column_stack([g1.ravel(), g2.ravel()])


def _points(ax, x, y):
    ax.scatter(*x[y == 0].T, s=18, c=BLUE, marker="o", edgecolors="white", linewidths=0.4, label="blue (y = 0)")
    ax.scatter(*x[y == 1].T, s=22, c=GREEN, marker="^", edgecolors="white", linewidths=0.4, label="green (y = 1)")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")


def _regions(ax, g1, g2, p):
    from matplotlib.colors import LinearSegmentedColormap

    cmap = LinearSegmentedColormap.from_list("blue_green", [BLUE, "#ffffff", GREEN])
    ax.contourf(g1, g2, p, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.35)


def _line(ax, w0, W, x, colour, label, style="-"):
    """The line w0 + w1·x1 + w2·x2 = 0 across the plotted range (vertical when w2 = 0)."""
    lo, hi = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    if abs(W[1]) > 1e-12 * max(1.0, abs(W[0])):
        x1 = np.array([lo[0], hi[0]])
        ax.plot(x1, -(w0 + W[0] * x1) / W[1], color=colour, linestyle=style, label=label)
    else:
        ax.plot([-w0 / W[0]] * 2, [lo[1], hi[1]], color=colour, linestyle=style, label=label)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])


def linear_boundary(model):
    """``(w0, W)`` of a network with linear hidden layers: σ(X·W1·W2⋯ + b), one line w0 + XᵀW = 0.

    >>> import rosenblatt as rb
    >>> m = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(3), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    >>> w0, W = linear_boundary(m)
    >>> x = np.array([[1.0, 2.0]])
    >>> bool(np.isclose(w0 + x @ W, np.log(m.predict(x) / (1 - m.predict(x))), atol=1e-5)[0])
    True
    """
    W, b = np.eye(model.layers[0].kernel.shape[0]), np.zeros(model.layers[0].kernel.shape[0])
    for layer in model.layers:
        kernel, bias = layer.kernel.numpy().astype(np.float64), layer.bias.numpy().astype(np.float64)
        W, b = W @ kernel, b @ kernel + bias
    return float(b[0]), W[:, 0]


def _network(activation, seed, hidden=(8, 8)):
    import rosenblatt as rb

    return rb.Sequential([rb.layers.Input((2,))] + [rb.layers.Dense(k, activation=activation) for k in hidden]
                         + [rb.layers.Dense(1, activation="sigmoid")], seed=seed)


@styled
def boundary(dataset="circles", activations=("linear", "relu"), epochs=100, n_samples=500, learning_rate=0.01,
             seed=0):
    """Decision regions of the same [2, 8, 8, 1] network with linear and with non-linear activations.

    Both train with Adam on the blue vs green points; each panel shades P(green) over the plane and
    draws the boundary P = 0.5.  A network with linear activations is one linear model, however
    deep: its boundary is drawn as the line it is, w0 + XᵀW = 0 with W = W1·W2·W3 (dashed).

    Args:
        dataset: a set of :mod:`rosenblatt.data.points` (default "circles").
        activations: the hidden layers' activation of each panel (default linear, relu).
        epochs, n_samples, learning_rate, seed: training (defaults 100, 500, 0.01, 0).

    Returns:
        the ``Figure``; each axes' title gives the activation and the training accuracy.

    >>> fig = boundary("xor", epochs=2, n_samples=100)
    >>> [ax.get_title().split(":")[0] for ax in fig.axes]
    ['linear activations', 'relu activations']
    """
    import rosenblatt as rb

    x, y = rb.data.points.get(dataset)(n_samples=n_samples, seed=seed)
    g1, g2, grid = _grid(x)
    fig, axes = figure(1, len(activations), size=(5.6, 5.0))
    for ax, activation in zip(axes[0], activations):
        model = _network(activation, seed)
        model.compile(optimizer=rb.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=epochs, batch_size=32, verbose=0, seed=seed)
        p = model.predict(grid, batch_size=len(grid)).reshape(g1.shape)
        _regions(ax, g1, g2, p)
        accuracy = float(np.mean((model.predict(x)[:, 0] > 0.5) == y))
        if activation == "linear":
            w0, W = linear_boundary(model)
            _line(ax, w0, W, x, "black", f"the line {w0:.3f} {W[0]:+.3f}·x₁ {W[1]:+.3f}·x₂ = 0", style="--")
        else:
            ax.contour(g1, g2, p, levels=[0.5], colors="black", linewidths=2.0)
            ax.plot([], [], color="black", label="P(green) = 0.5")
        _points(ax, x, y)
        ax.set_title(f"{activation} activations: {accuracy:.0%} right")
        ax.legend(loc="upper right", fontsize=9, framealpha=0.9)
    fig.suptitle(f"Blue vs green points ({dataset}): why non-linear activations matter")
    return fig


def xor_points(n_per_corner=25, noise=0.15, seed=0):
    """The four corners of XOR with Gaussian noise: (0, 0), (1, 1) blue; (0, 1), (1, 0) green."""
    rng = np.random.default_rng(seed)
    corners = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    x = np.repeat(corners, n_per_corner, axis=0) + rng.normal(0, noise, (4 * n_per_corner, 2))
    return x, np.repeat([0, 0, 1, 1], n_per_corner)


@styled
def perceptron(epochs=100, seed=0):
    """Rosenblatt's perceptron (step, his rule) beside a sigmoid neuron (gradient descent), on two point sets.

    Top row: two separable clouds, where the perceptron stops after finitely many corrections
    (Novikoff's bound).  Bottom row: XOR, where no line is right everywhere: the perceptron never
    stops correcting and the sigmoid neuron settles near chance.

    Args:
        epochs: the most passes for both (default 100).  seed: data and order (default 0).

    Returns:
        the ``Figure``, a 2 × 2 grid; each axes' title gives the accuracy.

    >>> fig = perceptron(epochs=5)
    >>> len(fig.axes)
    4
    """
    import rosenblatt as rb

    sets = {"separable": rb.data.points.make_blobs(100, noise=0.45, seed=seed), "XOR": xor_points(seed=seed)}
    fig, axes = figure(2, 2, size=(5.6, 4.8))
    for row, (name, (x, y)) in enumerate(sets.items()):
        p = rb.models.Perceptron(learning_rate=1.0)
        history = p.fit(x, y, epochs=epochs, seed=seed)
        ax = axes[row][0]
        _line(ax, p.w0, p.W, x, OKABE_ITO["vermillion"], "w0 + XᵀW = 0")
        _points(ax, x, y)
        best = max(history.history["accuracy"])
        stop = (f"stopped after {p.updates} corrections" if p.converged
                else f"{p.updates} corrections, never stops; best {best:.0%}")
        ax.set_title(f"Perceptron on {name}: {p.evaluate(x, y):.0%} right\n{stop}", fontsize=12)
        ax.legend(loc="lower right", fontsize=9, framealpha=0.9)

        neuron = rb.Sequential([rb.layers.Input((2,), dtype="float64"),
                                rb.layers.Dense(1, activation="sigmoid", dtype="float64")], seed=seed)
        neuron.compile(optimizer=rb.optimizers.SGD(0.5), loss="binary_crossentropy")
        neuron.fit(x, y, epochs=epochs, batch_size=len(x), verbose=0)
        g1, g2, grid = _grid(x)
        ax = axes[row][1]
        _regions(ax, g1, g2, neuron.predict(grid, batch_size=len(grid)).reshape(g1.shape))
        w0, W = linear_boundary(neuron)
        _line(ax, w0, W, x, "black", "σ(w0 + XᵀW) = 0.5")
        _points(ax, x, y)
        accuracy = float(np.mean((neuron.predict(x)[:, 0] > 0.5) == y))
        ax.set_title(f"Sigmoid neuron on {name}: {accuracy:.0%} right\ngradient descent on the cross-entropy",
                     fontsize=12)
        ax.legend(loc="lower right", fontsize=9, framealpha=0.9)
    fig.suptitle("Rosenblatt's perceptron (step, w ← w + η(y − ŷ)x) and a sigmoid neuron: both draw one line")
    return fig
