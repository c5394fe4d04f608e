"""The sweep's classic plots (matplotlib, the ``plot`` extra, imported only here).

* :func:`loss_vs_lr`: final loss against η (log axis), one line per optimizer, diverged trials marked
  and the region beyond each optimizer's first divergence shaded;
* :func:`best_curves`: the loss curves (training solid, validation dashed) of the best few trials;
* :func:`heatmap`: a metric over two hyper-parameters (mean over the others);
* :func:`lr_find`: the range test's smoothed loss against η with its two suggestions.

Colours are the Okabe–Ito palette and viridis, both readable with colour-blindness; every figure has
labelled axes and a legend or colour bar. Each function writes a PNG and returns the (closed) figure.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict

import numpy as np

from rosenblatt.plots import style
from rosenblatt.plots.style import pyplot as _pyplot

OKABE_ITO = [style.OKABE_ITO[c] for c in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue",
                                          "yellow", "black")]
HATCHES = ["//", "\\\\", "xx", "..", "++", "oo"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _finite(v):
    return v is not None and isinstance(v, (int, float)) and math.isfinite(v)


def loss_vs_lr(rows, path, loss="final_loss", title=None):
    """Final ``loss`` (default the training loss) against η, per optimizer: the median over the other
    hyper-parameters (batch sizes, decays, seeds); the untrained model's loss as a dotted line."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    by_opt = defaultdict(lambda: defaultdict(list))
    diverged = defaultdict(list)
    for r in rows:
        if r["status"] == "ok" and _finite(r.get(loss)):
            by_opt[r["optimizer"]][r["learning_rate"]].append(r[loss])
        elif r["status"] == "diverged":
            diverged[r["optimizer"]].append(r["learning_rate"])
    finite = [v for lrs in by_opt.values() for vs in lrs.values() for v in vs]
    top = (max(finite) if finite else 1.0) * 1.6
    bottom = min(finite) / 1.6 if finite and min(finite) > 0 else None
    optimizers = sorted(set(by_opt) | set(diverged))
    for k, name in enumerate(optimizers):
        colour, marker = OKABE_ITO[k % len(OKABE_ITO)], MARKERS[k % len(MARKERS)]
        lrs = sorted(by_opt[name])
        ax.plot(lrs, [np.median(by_opt[name][lr]) for lr in lrs], marker=marker, color=colour, label=name)
        if diverged[name]:  # hatched in the optimizer's colour (overlapping regions stay readable),
            first, marks = min(diverged[name]), sorted(set(diverged[name]))  # the trials as crosses on top
            ax.axvspan(first, max(marks) * 1.5, facecolor="none", edgecolor=colour, alpha=0.6, lw=0,
                       hatch=HATCHES[k % len(HATCHES)])
            ax.scatter(marks, [top * 1.12 ** k] * len(marks), marker="x", s=60, color=colour, clip_on=False, zorder=3,
                       label=f"{name}: diverged (η ≥ {first:.3g}, hatched)")
    initial = [r["initial_loss"] for r in rows if _finite(r.get("initial_loss"))]
    if initial:
        ax.axhline(float(np.median(initial)), color="#555555", ls=":", lw=1.5,
                   label=f"untrained model's loss ({np.median(initial):.3g})")
    ax.set_xscale("log")
    if bottom:
        ax.set_yscale("log")
    ax.set_ylim(bottom, top * 1.12 ** len(optimizers) * 1.05)
    ax.set_xlabel("learning rate η (log scale)")
    ax.set_ylabel(loss.replace("_", " ") + (" (log scale)" if bottom else ""))
    ax.set_title(title or "Final loss against the learning rate (median over the other hyper-parameters)",
                 fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig


def best_curves(rows, path, k=5, title=None):
    """The per-epoch loss of the best ``k`` trials (by :func:`rosenblatt.sweep.best`'s order)."""
    from rosenblatt.sweep.runner import best

    plt = _pyplot()
    left, chosen = [r for r in rows if r["status"] == "ok"], []
    while left and len(chosen) < k:
        b = best(left)
        chosen.append(b)
        left = [r for r in left if r is not b]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, r in enumerate(chosen):
        curves = json.loads(r["curves"])
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        label = f"{r['optimizer']} η={r['learning_rate']:.3g} b={r['batch_size']} decay={r['decay']:g} seed={r['seed']}"
        epochs = np.arange(1, len(curves["loss"]) + 1)
        ax.plot(epochs, curves["loss"], color=colour, label=label + " (training)")
        if "val_loss" in curves:
            ax.plot(epochs, curves["val_loss"], color=colour, ls="--", label="   validation")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_yscale("log")
    ax.set_title(title or f"Loss curves of the best {len(chosen)} trials (solid: training, dashed: validation)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig


def heatmap(rows, path, x="learning_rate", y="batch_size", value="final_val_accuracy", title=None):
    """``value`` (mean over the other hyper-parameters) on a grid of ``x`` × ``y``; diverged cells marked."""
    plt = _pyplot()
    xs = sorted({r[x] for r in rows})
    ys = sorted({r[y] for r in rows})
    cells = defaultdict(list)
    failed = defaultdict(int)
    for r in rows:
        if r["status"] == "ok" and _finite(r.get(value)):
            cells[r[x], r[y]].append(r[value])
        else:
            failed[r[x], r[y]] += 1
    grid = np.full((len(ys), len(xs)), np.nan)
    for (a, b), vs in cells.items():
        grid[ys.index(b), xs.index(a)] = np.mean(vs)
    fig, ax = plt.subplots(figsize=(1.1 * len(xs) + 3, 0.7 * len(ys) + 2.5))
    image = ax.imshow(grid, cmap="viridis", aspect="auto", origin="lower")
    for i, b in enumerate(ys):
        for j, a in enumerate(xs):
            v = grid[i, j]
            text = f"{v:.3f}" if math.isfinite(v) else "diverged"
            if failed[a, b] and math.isfinite(v):
                text += f"\n({failed[a, b]} failed)"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="black" if math.isfinite(v) and v > np.nanmean(grid) else "white")
    ax.set_facecolor("#777777")
    fmt = lambda v: f"{v:.3g}" if isinstance(v, float) else str(v)  # noqa: E731
    ax.set_xticks(range(len(xs)), [fmt(v) for v in xs])
    ax.set_yticks(range(len(ys)), [fmt(v) for v in ys])
    ax.set_xlabel(x.replace("_", " ") + (" η" if x == "learning_rate" else ""))
    ax.set_ylabel(y.replace("_", " "))
    fig.colorbar(image, ax=ax, label=value.replace("_", " ") + " (mean)")
    ax.set_title(title or f"{value.replace('_', ' ')} by {x.replace('_', ' ')} and {y.replace('_', ' ')}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig


def lr_find(result, path, title=None):
    """The range test: raw and smoothed loss against η (log axis), the two suggestions as lines."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.plot(result.learning_rates, result.losses, color="#999999", lw=0.8, alpha=0.7, label="loss per step")
    ax.plot(result.learning_rates, result.smoothed, color=OKABE_ITO[0], lw=2, label="smoothed loss (β = 0.98)")
    for lr, name, colour, ls in ((result.suggestion_steep, "steepest descent", OKABE_ITO[3], "--"),
                                 (result.suggestion_minimum, "minimum / 10", OKABE_ITO[2], ":")):
        ax.axvline(lr, color=colour, ls=ls, lw=2, label=f"{name}: η = {lr:.2g}")
    low = float(np.min(result.smoothed))
    ax.set_ylim(low - 0.1 * abs(low), min(float(np.max(result.smoothed)), 4 * low) * 1.1 + 1e-12)
    ax.set_xscale("log")
    ax.set_xlabel("learning rate η (log scale)")
    ax.set_ylabel("training loss")
    ax.set_title(title or "Learning-rate range test")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return fig


def all_plots(rows, folder, prefix="sweep"):
    """Write the three sweep plots into ``folder``; return their paths."""
    from pathlib import Path

    folder = Path(folder)
    paths = [folder / f"{prefix}_loss_vs_lr.png", folder / f"{prefix}_best_curves.png"]
    loss_vs_lr(rows, paths[0])
    best_curves(rows, paths[1])
    varied = [k for k in ("learning_rate", "batch_size", "optimizer", "decay", "seed") if len({r[k] for r in rows}) > 1]
    if len(varied) >= 2:
        paths.append(folder / f"{prefix}_heatmap.png")
        value = "final_val_accuracy" if any(_finite(r.get("final_val_accuracy")) for r in rows) else "final_accuracy"
        heatmap(rows, paths[-1], x=varied[0], y=varied[1], value=value)
    return paths
