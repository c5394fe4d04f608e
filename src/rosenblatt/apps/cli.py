"""The ``rosenblatt`` command.

    rosenblatt                    the main demo (blue vs green points, linear vs ReLU)
    rosenblatt demo --plot f.png  the same, with a picture of the decision boundaries
    rosenblatt cats ...           the cat vs non-cat classifier (see ``rosenblatt cats --help``)
    rosenblatt bench [--quick]    speed against PyTorch and hand-written NumPy (from a source checkout)
    rosenblatt plot NAME          the lecture's figures (activations, boundary, learning-rates, ...)
    rosenblatt explain            backpropagation with pencil and paper, every step with its numbers
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rosenblatt.apps import CommandError


def _demo_parser(sub):
    p = sub.add_parser("demo", help="blue vs green points: why non-linear activations matter (the default)")
    p.add_argument("--dataset", default="circles", choices=["circles", "xor", "moons", "blobs", "spirals"])
    p.add_argument("--epochs", type=int, default=100)
    p.add_argument("--learning-rate", type=float, default=0.01)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--plot", metavar="FILE.png", help="also draw both decision boundaries")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    return p


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="rosenblatt", description="Deep learning fundamentals, runnable.")
    sub = parser.add_subparsers(dest="command")
    _demo_parser(sub)
    from rosenblatt.apps import cats

    cats.add_parser(sub)
    from rosenblatt.apps import explain_command, plot_command

    plot_command.add_parser(sub)
    explain_command.add_parser(sub)
    bench = sub.add_parser("bench", help="speed against PyTorch and NumPy (run from a source checkout)")
    bench.add_argument("rest", nargs=argparse.REMAINDER)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["bench"]:  # its options belong to benchmarks/__main__.py
        return _bench(argv[1:])
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
        from rosenblatt.apps.plots import _pyplot

        _pyplot()  # matplotlib missing: say so before training
    demo.run(args.dataset, args.epochs, args.seed, args.learning_rate, args.batch_size, args.plot,
             verbose=not args.quiet)
    return 0


def _bench(argv) -> int:
    """Run ``benchmarks/`` of the source checkout in the current folder (it is not installed)."""
    import os

    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        from benchmarks.__main__ import main as bench_main
    except ImportError:
        print("rosenblatt bench runs the benchmarks/ folder of a source checkout: run it from the repository root "
              "(after pip install -e '.[bench]')", file=sys.stderr)
        return 2
    return bench_main(argv)


if __name__ == "__main__":
    sys.exit(main())
