"""Plots (matplotlib, an optional extra): decision boundaries of 2-D classifiers, for the demo.

The lecture's figures are :mod:`rosenblatt.plots`; this picture shares their colours (Okabe–Ito).
"""

from __future__ import annotations

import numpy as np

from rosenblatt.plots.style import pyplot as _pyplot


def decision_boundaries(models: dict, x, y, path, title=None):
    """One panel per model: its predicted probability over the plane, and the points."""
    plt = _pyplot()
    lo, hi = x.min(axis=0) - 0.5, x.max(axis=0) + 0.5
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    from matplotlib.colors import LinearSegmentedColormap

    from rosenblatt.plots.style import BLUE, GREEN

    blue_green = LinearSegmentedColormap.from_list("blue_green", [BLUE, "#ffffff", GREEN])
    fig, axes = plt.subplots(1, len(models), figsize=(5 * len(models), 4.5), squeeze=False)
    for ax, (name, model) in zip(axes[0], models.items()):
        p = model.predict(grid, batch_size=len(grid)).reshape(g1.shape)
        ax.contourf(g1, g2, p, levels=np.linspace(0, 1, 11), cmap=blue_green, alpha=0.5)
        ax.contour(g1, g2, p, levels=[0.5], colors="k", linewidths=1.5)
        ax.scatter(*x[y == 0].T, s=10, c=BLUE, marker="o", label="blue (0)")
        ax.scatter(*x[y == 1].T, s=12, c=GREEN, marker="^", label="green (1)")
        acc = float(np.mean((model.predict(x)[:, 0] > 0.5) == y))
        ax.set_title(f"{name} activations: {acc:.1%} correct")
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    axes[0][0].legend(loc="upper right")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def conv_filters(kernel, path, title=None):
    """The filters of a first convolution layer, a (k_h, k_w, 3, F) kernel, as F small RGB pictures.

    Each filter is scaled on its own to [0, 1], (W − min) / (max − min), so grey is 0 only approximately:
    what the picture shows is the pattern of colours and edges each filter responds to.
    """
    plt = _pyplot()
    kernel = np.asarray(getattr(kernel, "_value", kernel), np.float64)
    if kernel.ndim != 4 or kernel.shape[2] != 3:
        raise ValueError(f"conv_filters expects a (k_h, k_w, 3, F) kernel of an RGB input, got shape {kernel.shape}")
    f = kernel.shape[3]
    cols = min(f, 8)
    rows = -(-f // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(1.2 * cols, 1.3 * rows + 0.4), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < f:
            w = kernel[:, :, :, i]
            ax.imshow((w - w.min()) / max(w.max() - w.min(), 1e-12), interpolation="nearest")
            ax.set_title(str(i), fontsize=7)
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
