"""``rosenblatt sweep CONFIG.toml``: a sweep described in a TOML file.

An example (every key but the grid has a default)::

    model = "mlp"              # "mlp", "logistic", "deep" or "package.module:function"
    data = "circles"           # "circles", "xor", "moons", "blobs", "spirals" or "cats"
    epochs = 20
    n_samples = 1000
    table = "sweep.csv"        # .parquet (a folder, needs pyarrow) or .csv; relative to the config file
    plots = "plots"            # optional: a folder for the figures, relative to the config file

    [grid]                     # every combination ...
    optimizer = ["sgd", "adam"]
    learning_rate = [1.0, 0.1, 0.01, 0.001]
    batch_size = [32, 128]
    decay = [0.0]
    seed = [0, 1]

    # ... or [sample] instead: n random trials
    # [sample]
    # n = 40
    # seed = 0
    # optimizer = ["sgd", "adam"]
    # learning_rate = ["log-uniform", 1e-4, 1.0]
"""

from __future__ import annotations

import sys
from pathlib import Path

TOP_KEYS = {"model", "data", "epochs", "n_samples", "data_seed", "cats_path", "diverge_factor", "table", "plots",
            "grid", "sample", "workers", "scheduler"}


def add_parser(sub):
    p = sub.add_parser("sweep", help="try lots of learning rates: a grid or random sweep (local pool or Dask)",
                       description=__doc__)  # rosenblatt's HelpFormatter: defaults shown, the example kept
    p.add_argument("config", metavar="CONFIG.toml", help="the sweep's description")
    p.add_argument("--scheduler", metavar="tcp://HOST:8786", default=None,
                   help="run on this Dask scheduler's workers (default: the local pool)")
    p.add_argument("--workers", type=int, default=None, metavar="N", help="processes of the local pool (default: one per core)")
    p.add_argument("--table", default=None, metavar="FILE", help="the results table, .parquet or .csv (default: the config's)")
    p.add_argument("--plots", metavar="FOLDER", default=None, help="write the plots into this folder (default: the config's, else none)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=main)
    return p


def load_config(path):
    """The config file as a dict, checked (unknown keys, and a grid or sample but not both)."""
    from rosenblatt.apps import CommandError

    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib
        except ImportError:
            from rosenblatt.extras import install_hint

            raise ImportError(f"rosenblatt sweep reads TOML: on Python 3.10, {install_hint('sweep')} "
                              "(it adds tomli)") from None
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"no config file {path}")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CommandError(f"{path} is not valid TOML: {exc}") from None
    unknown = sorted(set(config) - TOP_KEYS)
    if unknown:
        raise CommandError(f"{path}: unknown key(s) {unknown}; expected some of {sorted(TOP_KEYS)}")
    if ("grid" in config) == ("sample" in config):
        raise CommandError(f"{path}: give exactly one of a [grid] or a [sample] table")
    return config


def trials_of(config):
    from rosenblatt import sweep

    if "grid" in config:
        return sweep.grid(**config["grid"])
    spec = dict(config["sample"])
    n, seed = spec.pop("n", None), spec.pop("seed", 0)
    if "seeds" in spec:
        spec["seed_values"] = spec.pop("seeds")
    return sweep.sample(n, seed=seed, **{k: tuple(v) if isinstance(v, list) and v and v[0] in (
        "log-uniform", "uniform", "int") else v for k, v in spec.items()})


def main(args) -> int:
    from rosenblatt import sweep
    from rosenblatt.apps import CommandError

    config = load_config(args.config)
    here = Path(args.config).parent
    table = args.table or str(here / config.get("table", "sweep.csv"))
    plots = args.plots or (str(here / config["plots"]) if "plots" in config else None)
    if plots and not Path(plots).is_dir():
        raise CommandError(f"--plots {plots}: the folder does not exist")
    if plots:
        from rosenblatt.plots.style import pyplot as _pyplot

        _pyplot()  # matplotlib missing: say so before the sweep
    try:
        trials = trials_of(config)
        before = set(sweep.ResultsTable(table).done())
        rows = sweep.run(trials, config.get("model", "mlp"), config.get("data", "circles"), config.get("epochs", 20),
                         table=table, scheduler=args.scheduler or config.get("scheduler"),
                         workers=args.workers or config.get("workers"), n_samples=config.get("n_samples", 1000),
                         data_seed=config.get("data_seed", 0), cats_path=config.get("cats_path"),
                         diverge_factor=config.get("diverge_factor", 2.0), progress=not args.quiet)
    except (ValueError, TypeError) as exc:
        raise CommandError(str(exc)) from None
    skipped = len(before & {r["trial_id"] for r in rows})
    counts = {s: sum(r["status"] == s for r in rows) for s in ("ok", "diverged", "error", "lost")}
    print(f"{len(rows)} trials ({len(rows) - skipped} run now, {skipped} already in {table}): "
          + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    winner = sweep.best(rows)
    if winner:
        print(f"best: {winner['optimizer']} learning_rate={winner['learning_rate']:.4g} "
              f"batch_size={winner['batch_size']} decay={winner['decay']:g} seed={winner['seed']}: "
              f"final loss {winner['final_loss']:.4g}, val accuracy {winner['final_val_accuracy']:.3f}")
    for r in rows:
        if r["status"] in ("error", "lost"):
            print(f"{r['status']}: {r['optimizer']} learning_rate={r['learning_rate']:.4g}: {r['reason']}",
                  file=sys.stderr)
    if plots:
        from rosenblatt.sweep.plots import all_plots

        for p in all_plots(rows, plots):
            print(f"plot written to {p}")
    return 0
