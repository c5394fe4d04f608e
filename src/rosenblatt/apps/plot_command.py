"""``rosenblatt plot NAME``: the lecture's figures (see :mod:`rosenblatt.plots`) written to a PNG or SVG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rosenblatt.apps import CommandError
from rosenblatt.apps.explain_command import HelpFormatter

NAMES = ["activations", "boundary", "learning-rates", "batch-sizes", "history", "schedules", "perceptron"]
HELP = {
    "activations": "sigmoid, tanh, relu and their derivatives from the GradientTape (with --trainable: PReLU, "
                   "Swish and the adaptive piecewise-linear unit before and after training)",
    "boundary": "decision regions of a [2, 8, 8, 1] network, linear vs ReLU activations",
    "learning-rates": "one network at eta = 0.001 (slow), 0.03 (right), 0.1 (diverging)",
    "batch-sizes": "loss per step for b = 1, 32 and m",
    "history": "loss and accuracy of a fit, train vs validation",
    "schedules": "the lecture's three decay formulas and the library's other schedules",
    "perceptron": "Rosenblatt's perceptron and a sigmoid neuron on separable points and XOR",
}


def add_parser(sub):
    p = sub.add_parser(
        "plot", help="the lecture's figures: " + ", ".join(NAMES),
        formatter_class=HelpFormatter,
        description="Draw one of the lecture's figures, computed by the library. "
                    + "; ".join(f"{name}: {text}" for name, text in HELP.items()) + ".")
    p.add_argument("name", choices=NAMES, metavar="NAME", help="the figure: " + ", ".join(NAMES))
    p.add_argument("--out", default="NAME.png", help="the file to write, .png, .svg or .pdf")
    p.add_argument("--epochs", type=_epochs, default="auto",
                   help="training epochs for boundary, learning-rates, history, perceptron; steps for batch-sizes; "
                        "epochs drawn for schedules; auto: each figure's own (100, 300, 60, 100, 300, 50)")
    p.add_argument("--dataset", default="circles", choices=["circles", "xor", "moons", "blobs", "spirals"],
                   help="the point set of boundary and history")
    p.add_argument("--trainable", action="store_true",
                   help="activations only: train PReLU, Swish (trainable beta) and the adaptive piecewise-linear unit "
                        "on --dataset and draw each curve at the start and after --epochs (default 100)")
    p.add_argument("--seed", type=int, default=0, help="data, initial weights and order")
    p.add_argument("--dpi", type=int, default=100, help="resolution of a PNG")
    p.set_defaults(func=run)
    return p


def _epochs(text):
    """An int, or None for "auto"."""
    if text == "auto":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or auto, got {text!r}") from None


def run(args) -> int:
    out = Path(f"{args.name}.png" if args.out == "NAME.png" else args.out)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise CommandError(f"--out {out}: the name must end in .png, .svg or .pdf")
    if not out.parent.is_dir():
        raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
    if args.epochs is not None and args.epochs < 1:
        raise CommandError(f"--epochs must be at least 1, got {args.epochs}")
    if getattr(args, "trainable", False) and args.name != "activations":
        raise CommandError(f"--trainable is for the activations figure, not {args.name}: "
                           "rosenblatt plot activations --trainable")
    if args.dpi < 10:
        raise CommandError(f"--dpi must be at least 10, got {args.dpi}")
    from rosenblatt import plots

    plots.style.matplotlib()  # matplotlib missing: say so before training anything
    fig = make(plots, args.name, args.epochs, args.dataset, args.seed, trainable=getattr(args, "trainable", False))
    plots.save(fig, out, dpi=args.dpi)
    print(f"{args.name} written to {out}", file=sys.stdout)
    return 0


def make(plots, name, epochs, dataset, seed, trainable=False):
    """The figure ``name``, with the command's options passed where they apply."""
    given = {} if epochs is None else {"epochs": epochs}
    if name == "activations" and trainable:
        return plots.trainable_activations(dataset, seed=seed, **given)
    if name == "activations":
        return plots.activations()
    if name == "schedules":
        return plots.schedules(**given)
    if name == "batch-sizes":
        return plots.batch_sizes(seed=seed, **({} if epochs is None else {"steps": epochs}))
    if name == "boundary":
        return plots.boundary(dataset, seed=seed, **given)
    if name == "learning-rates":
        return plots.learning_rates(seed=seed, **given)
    if name == "perceptron":
        return plots.perceptron(seed=seed, **given)
    import rosenblatt as rb  # history: a fit of the demo's network, a quarter of the points held out

    x, y = rb.data.points.get(dataset)(n_samples=800, seed=seed)
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(8, activation="relu"),
                           rb.layers.Dense(8, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs or 60, batch_size=32, validation_split=0.25, verbose=0, seed=seed)
    return plots.history(history, title=f"Training history: [2, 8, 8, 1] ReLU network on {dataset}, Adam η = 0.01")
