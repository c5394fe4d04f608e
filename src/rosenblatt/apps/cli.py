"""The ``rosenblatt`` command.

    rosenblatt                    the main demo (blue vs green points, linear vs ReLU)
    rosenblatt demo --plot f.png  the same, with a picture of the decision boundaries
    rosenblatt cats ...           the cat vs non-cat classifier (see ``rosenblatt cats --help``)
    rosenblatt sweep CONFIG.toml  try lots of learning rates (local pool, or a Dask cluster with --scheduler)
    rosenblatt bench [--quick]    speed against PyTorch and hand-written NumPy (runs python -m benchmarks of the checkout)
    rosenblatt plot NAME          the lecture's figures (activations, boundary, learning-rates, ...)
    rosenblatt explain            backpropagation with pencil and paper, every step with its numbers
    rosenblatt playground         the cost-landscape explorer in a browser (the ``playground`` extra)
    rosenblatt export-onnx M O    a saved model (.npz) as an ONNX file (the ``onnx`` extra)

Every parser is :class:`rosenblatt.apps.ArgumentParser` (sub-command parsers inherit it), so every
``--help`` shows each option's default.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rosenblatt.apps import ArgumentParser, CommandError
from rosenblatt.extras import install_hint

DEMO_HELP = "blue vs green points: why non-linear activations matter (the default command; about 1 s)"


def _demo_parser(sub):
    p = sub.add_parser("demo", help=DEMO_HELP, description=DEMO_HELP[0].upper() + DEMO_HELP[1:] + ".")
    p.add_argument("--dataset", default="circles", choices=["circles", "xor", "moons", "blobs", "spirals"],
                   metavar="NAME", help="the 2-D point set to classify: circles, xor, moons, blobs or spirals")
    p.add_argument("--epochs", type=int, default=100, metavar="N", help="passes over the 1,000 training points")
    p.add_argument("--learning-rate", type=float, default=0.01, metavar="LR", help="Adam's learning rate η")
    p.add_argument("--batch-size", type=int, default=32, metavar="N", help="points per gradient step")
    p.add_argument("--seed", type=int, default=0, metavar="N", help="seed of the data, the weights and the shuffling")
    p.add_argument("--plot", metavar="FILE.png", help="also draw both decision boundaries (default: no picture)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    return p


def build_parser():
    """The ``rosenblatt`` parser with every sub-command."""
    parser = ArgumentParser(prog="rosenblatt", description="Deep learning fundamentals, runnable.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = _demo_parser(sub)
    from rosenblatt.apps import cats

    cats.add_parser(sub)
    from rosenblatt.apps import explain_command, playground, plot_command

    plot_command.add_parser(sub)
    explain_command.add_parser(sub)
    playground.add_parser(sub)
    from rosenblatt.apps import sweep_command

    sweep_command.add_parser(sub)
    from rosenblatt.apps import export_command

    export_command.add_parser(sub)
    bench = sub.add_parser("bench", help=BENCH_HELP, description=BENCH_HELP[0].upper() + BENCH_HELP[1:] + ".",
                           epilog=BENCH_EPILOG, add_help=False)
    bench.add_argument("-h", "--help", action="store_true", help="the benchmarks' own options (from a checkout)")
    bench.add_argument("rest", nargs=argparse.REMAINDER, help="options of python -m benchmarks")
    parser.bench_parser = bench  # its --help, where the benchmarks are not there to give theirs
    parser.epilog = ("With no command, rosenblatt runs the main demo, and takes the demo's options directly:\n"
                     + "\n".join(f"  {_option(a):<26}{a.help}" + (
                         "" if a.default is None or a.default is False else f" (default: {a.default})")
                                  for a in demo._actions if a.option_strings and a.dest != "help")
                     + "\n\nExamples:\n  rosenblatt --plot demo.png\n  rosenblatt cats --help\n  rosenblatt bench --help")
    return parser


BENCH_HELP = ("speed against PyTorch, hand-written NumPy and Keras (about 8 minutes; --quick about 15 s; "
              "needs a source checkout)")
BENCH_EPILOG = ("The benchmarks are not installed with the package: they live in the benchmarks/ folder of the "
                "source checkout.\nInstall them with " + install_hint("bench") + ", then rosenblatt bench --help "
                "lists their options (or python -m benchmarks --help from the repository root).")


def _option(action):
    return action.option_strings[-1] + ("" if action.nargs == 0 else " " + (action.metavar or action.dest.upper()))


def main(argv=None) -> int:
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # its options belong to benchmarks/__main__.py
        return _bench(argv[1:], parser)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["demo"] + argv  # the main job is the default
    args = parser.parse_args(argv)
    if args.command == "demo" and args.epochs < 1:
        parser.error(f"--epochs must be at least 1, got {args.epochs}")
    try:
        return _demo(args) if args.command == "demo" else args.func(args)
    except (CommandError, FileNotFoundError, ImportError) as exc:  # a mistake, missing data or an optional
        print(f"rosenblatt {args.command}: {exc}", file=sys.stderr)  # extra: say so, no traceback
        return 2


def _demo(args) -> int:
    from rosenblatt.apps import demo

    if args.plot:
        folder = Path(args.plot).parent
        if not folder.is_dir():
            raise CommandError(f"--plot {args.plot}: the folder {folder} does not exist")
        from rosenblatt.plots.style import pyplot as _pyplot

        _pyplot()  # matplotlib missing: say so before training
    demo.run(args.dataset, args.epochs, args.seed, args.learning_rate, args.batch_size, args.plot,
             verbose=not args.quiet)
    return 0


def _checkout():
    """The source checkout this package runs from (an editable install), else the current folder."""
    import os

    root = Path(__file__).resolve().parents[3]
    return root if (root / "benchmarks" / "__main__.py").is_file() else Path(os.getcwd())


def _bench(argv, parser) -> int:
    """Run ``python -m benchmarks`` of the source checkout (they are not installed); ``--help`` works anywhere.

    The benchmarks are a program beside the package, not a part of it: they are run in a child process
    with the checkout on its path, never imported here, so the package imports nothing from outside it.
    """
    import os
    import subprocess

    root = _checkout()
    if not (root / "benchmarks" / "__main__.py").is_file():
        if argv[:1] in (["-h"], ["--help"]):
            parser.bench_parser.print_help()
            return 0
        print("rosenblatt bench: the benchmarks are not installed with the package; they run from the benchmarks/ "
              "folder of a source checkout: " + install_hint("bench") + ", then rosenblatt bench", file=sys.stderr)
        return 2
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    run = "import sys; from benchmarks.__main__ import main; sys.exit(main(sys.argv[1:], prog='rosenblatt bench'))"
    return subprocess.call([sys.executable, "-c", run, *argv], env={**os.environ, "PYTHONPATH": path})


if __name__ == "__main__":
    sys.exit(main())
