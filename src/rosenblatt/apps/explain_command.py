"""``rosenblatt explain``: backpropagation with pencil and paper for a small network (see :func:`rosenblatt.explain`)."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from rosenblatt.apps import CommandError

ACTIVATIONS = ["sigmoid", "tanh", "relu", "linear"]


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's default after its help, except None and False, which the help words itself."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


def add_parser(sub):
    p = sub.add_parser(
        "explain", help="backpropagation with pencil and paper: every step, shape and number of a small network",
        formatter_class=HelpFormatter,
        description="Write out the forward pass (z1 = X·W1 + b1, a1 = g(z1), ..., the loss) and the backward pass "
                    "(dz, dW, db for each layer) of a small network on one example or a batch, with shapes, numbers, "
                    "finite differences and the GradientTape's gradients. With --layers 2,2,1 and --batch 1 the "
                    "example is the lecture's x = (-2, 2), y = 1.")
    p.add_argument("--layers", default="2,2,1", help="the sizes n, k, ..., j of the input and each layer")
    p.add_argument("--activation", default="sigmoid", choices=ACTIVATIONS, help="g of the hidden layers")
    p.add_argument("--output", default="sigmoid", choices=ACTIVATIONS, help="g of the last layer")
    p.add_argument("--loss", default="bce", choices=["bce", "mse"], help="binary cross-entropy or mean squared error")
    p.add_argument("--batch", type=int, default=1, help="m, the examples in the batch")
    p.add_argument("--digits", type=int, default=4, help="decimals printed")
    p.add_argument("--seed", type=int, default=0, help="the weights and the examples")
    p.add_argument("--format", default="text", choices=["text", "markdown"],
                   help="plain text, or Markdown with LaTeX to paste into notes")
    p.add_argument("--worksheet", action="store_true", help="blank every computed number, for students (default: off, the numbers shown)")
    p.add_argument("--answers", metavar="FILE", help="with --worksheet: also write the answer key to FILE (default: none written)")
    p.add_argument("--out", metavar="FILE", help="write to FILE (default: print to the terminal)")
    p.set_defaults(func=run)
    return p


def _sizes(text):
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        raise CommandError(f"--layers {text}: expected sizes separated by commas, e.g. 2,3,1") from None
    if len(sizes) < 2 or min(sizes) < 1 or max(sizes) > 64:
        raise CommandError(f"--layers {text}: expected at least two sizes, each from 1 to 64")
    return sizes


def run(args) -> int:
    import rosenblatt as rb

    sizes = _sizes(args.layers)
    if not 1 <= args.batch <= 64:
        raise CommandError(f"--batch must be from 1 to 64, got {args.batch}")
    if not 0 <= args.digits <= 17:
        raise CommandError(f"--digits must be from 0 to 17, got {args.digits}")
    if args.answers and not args.worksheet:
        raise CommandError("--answers FILE goes with --worksheet")
    if args.loss == "bce" and args.output != "sigmoid":
        raise CommandError(f"--loss bce needs --output sigmoid, got --output {args.output} (or use --loss mse)")
    for name in (args.out, args.answers):
        if name and not Path(name).parent.is_dir():
            raise CommandError(f"{name}: the folder {Path(name).parent} does not exist")
    layers = [rb.layers.Input((sizes[0],), dtype="float64")]
    layers += [rb.layers.Dense(k, activation=args.activation, dtype="float64") for k in sizes[1:-1]]
    layers.append(rb.layers.Dense(sizes[-1], activation=args.output, dtype="float64"))
    model = rb.Sequential(layers, seed=args.seed)
    rng = np.random.default_rng(args.seed)
    if sizes[0] == 2 and args.batch == 1 and sizes[-1] == 1:
        x, y = np.array([[-2.0, 2.0]]), np.array([[1.0]])  # the lecture's example
    else:
        x = rng.normal(size=(args.batch, sizes[0])).round(2)
        y = rng.integers(0, 2, size=(args.batch, sizes[-1])).astype(np.float64)
    explanation = rb.explain(model, x, y, loss=args.loss, digits=args.digits, worksheet=args.worksheet)
    render = (lambda e: e.to_markdown()) if args.format == "markdown" else (lambda e: e.to_text())
    _write(render(explanation), args.out)
    if args.answers:
        _write(render(explanation.answer_key()), args.answers)
    return 0


def _write(text, path):
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
        print(f"written to {path}")
    else:
        print(text)
