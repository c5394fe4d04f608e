"""Figures of functions, no training: activations with their slopes, learning-rate schedules."""

from __future__ import annotations

import numpy as np

from rosenblatt.plots.style import OKABE_ITO, figure, styled

LECTURE_ACTIVATIONS = ("sigmoid", "tanh", "relu")
DERIVATIVES = {"sigmoid": "g′(z) = g(z)(1 − g(z))", "tanh": "g′(z) = 1 − g(z)²", "relu": "g′(z) = 1 if z > 0, else 0"}
FORMULAS = {"sigmoid": "g(z) = 1 / (1 + e⁻ᶻ)", "tanh": "g(z) = tanh(z)", "relu": "g(z) = max(0, z)"}


def activation_and_slope(name, z):
    """g(z) and g′(z) for the activation ``name``, g′ taken by the GradientTape (as the lecture does).

    >>> g, slope = activation_and_slope("sigmoid", np.array([0.0, 2.0]))
    >>> g.round(7).tolist(), slope.round(7).tolist()
    ([0.5, 0.8807971], [0.25, 0.1049936])
    """
    import rosenblatt as rb

    f = rb.activations.get(name)
    values = rb.constant(np.asarray(z, dtype=np.float64))
    with rb.GradientTape() as tape:
        tape.watch(values)
        out = f(values)
    return out.numpy(), tape.gradient(out, values).numpy()  # element-wise: the gradient of Σ g(zᵢ) is g′(zᵢ)


@styled
def activations(names=LECTURE_ACTIVATIONS, start=-6.0, stop=7.0, step=0.1):
    """One panel per activation: g(z) (solid) and its derivative g′(z) from the GradientTape (dashed).

    Args:
        names: activation names (default the lecture's three: sigmoid, tanh, relu).
        start, stop, step: z runs over ``tf.range(start, stop, step)`` (default −6 to 7 by 0.1, as the lecture).

    Returns:
        the ``Figure``; in each axes ``lines[0]`` is g and ``lines[1]`` is g′.

    >>> fig = activations(["sigmoid", "relu"])
    >>> [ax.get_title() for ax in fig.axes]
    ['sigmoid', 'relu']
    >>> float(fig.axes[0].lines[1].get_ydata().max())   # σ′(0) = 1/4
    0.25
    """
    names = [names] if isinstance(names, str) else list(names)
    z = np.arange(start, stop, step)
    fig, axes = figure(1, len(names), size=(5.0, 4.2))
    for ax, name in zip(axes[0], names):
        g, slope = activation_and_slope(name, z)
        ax.plot(z, g, color=OKABE_ITO["blue"], label=FORMULAS.get(name, "g(z)"))
        ax.plot(z, slope, color=OKABE_ITO["vermillion"], linestyle="--",
                label=DERIVATIVES.get(name, "g′(z)") + " (tape)")
        ax.axhline(0, color="0.4", linewidth=0.8)
        ax.axvline(0, color="0.4", linewidth=0.8)
        ax.set_title(name)
        ax.set_xlabel("z")
        ax.set_ylabel("g(z), g′(z)")
        ax.legend(loc="upper left", fontsize=10)
    fig.suptitle("Activation functions and their derivatives (taken by the GradientTape)")
    return fig


def lecture_schedules(initial_learning_rate=0.1, decay_rate=0.5, k=1.0):
    """The lecture's three decays and the library's others, per epoch, as ``{label: schedule}``.

    >>> list(lecture_schedules())[:3]
    ['η0 / (1 + 0.5·epoch)', '0.95^epoch · η0', '1 / √epoch · η0 (epoch from 1)']
    """
    from rosenblatt import schedules

    eta0 = initial_learning_rate
    return {
        f"η0 / (1 + {decay_rate:g}·epoch)": schedules.InverseTimeDecay(eta0, decay_steps=1, decay_rate=decay_rate),
        "0.95^epoch · η0": schedules.ExponentialDecay(eta0, decay_steps=1, decay_rate=0.95),
        f"{k:g} / √epoch · η0 (epoch from 1)": schedules.InverseSqrtDecay(eta0, k=k),
        "piecewise constant (Keras)": schedules.PiecewiseConstantDecay([10, 25], [eta0, eta0 / 2, eta0 / 10]),
        "cosine decay (Keras)": schedules.CosineDecay(eta0, decay_steps=50),
    }


@styled
def schedules(epochs=50, initial_learning_rate=0.1, decay_rate=0.5, k=1.0):
    """The learning rate per epoch: the lecture's three decay formulas (solid) and the library's others (dashed).

    Args:
        epochs: how many epochs to draw (default 50).
        initial_learning_rate: η0 (default 0.1).  decay_rate: in η0 / (1 + decay·epoch) (default 0.5).
        k: in k / √epoch · η0 (default 1).

    Returns:
        the ``Figure``; ``axes[0]`` holds the lecture's three, ``axes[1]`` the others; one line each.

    >>> fig = schedules(epochs=5)
    >>> [len(ax.lines) for ax in fig.axes]
    [3, 2]
    >>> fig.axes[0].lines[0].get_ydata()[:3].tolist()     # 0.1 / (1 + 0.5·epoch)
    [0.1, 0.06666666666666667, 0.05]
    """
    epoch = np.arange(epochs)
    fig, axes = figure(1, 2, size=(6.2, 4.6), sharey=True)
    styles = ["-", "-", "-", "--", "--"]
    for i, (label, schedule) in enumerate(lecture_schedules(initial_learning_rate, decay_rate, k).items()):
        ax = axes[0][0 if i < 3 else 1]
        ax.plot(epoch, schedule.values(epoch), linestyle=styles[i], label=label,
                marker="os^dv"[i], markevery=max(1, epochs // 10), markersize=6)
    axes[0][0].set_title("The lecture's three decays")
    axes[0][1].set_title("The library's others")
    for ax in axes[0]:
        ax.set_xlabel("epoch")
        ax.legend(loc="upper right")
        ax.set_ylabel("learning rate η")
    fig.suptitle(f"Learning-rate decay from η0 = {initial_learning_rate:g}")
    return fig
