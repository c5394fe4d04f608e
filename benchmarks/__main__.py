"""``python -m benchmarks`` (or ``rosenblatt bench``): rosenblatt against PyTorch, NumPy and Keras.

    python -m benchmarks                     all workloads, 5 interleaved rounds (about 8 minutes, with Keras)
    python -m benchmarks --quick             each workload once, small chunks (a check that all runs)
    python -m benchmarks --only tiny,cat     some workloads (keys or groups: tiny, cat, wide, mnist, ...)
    python -m benchmarks --markdown results.md --json results.json --plot docs/bench_cat_batch.png
    python -m benchmarks --profile cat-b64-f32   where rosenblatt's time goes (pyinstrument)

Exit status 0 when every selected framework ran every workload.
"""

from __future__ import annotations

import json
import sys
import time

from rosenblatt.apps import ArgumentParser
from rosenblatt.extras import install_hint
from rosenblatt.optimizers import kernels

from benchmarks import harness, numpy_runs, report, rosenblatt_runs, torch_runs, workloads

FRAMEWORKS = ["rosenblatt fit", "rosenblatt tape", "torch", "torch fused", "numpy", "keras"]


def _parser(prog="python -m benchmarks"):
    p = ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0], epilog=__doc__)
    p.add_argument("--quick", action="store_true", help="run each workload once, with small chunks")
    p.add_argument("--rounds", type=int, default=5, help="timed rounds per workload (default 5; 0 with --quick)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for every library (default 1: on a machine whose cores other work shares, more "
                        "threads measure the scheduler; use 2 on a quiet 2-core machine)")
    p.add_argument("--only", help="comma-separated workload keys or groups (default: every workload)")
    p.add_argument("--frameworks", help=f"comma-separated subset of: {', '.join(FRAMEWORKS)} (default: all)")
    p.add_argument("--no-keras", action="store_true", help="skip Keras even if TensorFlow is installed")
    p.add_argument("--keras-rounds", type=int, default=3, help="timed rounds for Keras, the slowest (default 3)")
    p.add_argument("--cat-data", metavar="PATH", help="folder with the cat .h5 files (default: rosenblatt's search)")
    p.add_argument("--json", metavar="FILE", help="also write every chunk time as JSON (default: not written)")
    p.add_argument("--markdown", metavar="FILE", help="also write the report as Markdown (default: not written)")
    p.add_argument("--plot", metavar="FILE.png", help="draw throughput against batch size for the cat network "
                                                      "(default: no picture)")
    p.add_argument("--profile", metavar="WORKLOAD", help="profile rosenblatt fit on one workload and stop "
                                                         "(default: no profile)")
    p.add_argument("--from-json", metavar="FILE", help="print (and --plot, --markdown) a run saved with --json "
                                                       "instead of running (default: run)")
    return p


def _select(args):
    chosen = workloads.workloads(quick=args.quick)
    if args.only:
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        known = {w.key for w in chosen} | {w.group for w in chosen}
        unknown = wanted - known
        if unknown:
            raise SystemExit(f"unknown workload(s) {sorted(unknown)}; choose from {sorted(known)}")
        chosen = [w for w in chosen if w.key in wanted or w.group in wanted]
    frameworks = FRAMEWORKS
    if args.frameworks:
        frameworks = [s.strip() for s in args.frameworks.split(",") if s.strip()]
        unknown = set(frameworks) - set(FRAMEWORKS)
        if unknown:
            raise SystemExit(f"unknown framework(s) {sorted(unknown)}; choose from {FRAMEWORKS}")
    return chosen, frameworks


def _runners(frameworks, log):
    from benchmarks import keras_runs

    runners = {**rosenblatt_runs.RUNNERS}
    if torch_runs.available():
        runners.update(torch_runs.RUNNERS)
    else:
        log("PyTorch is not installed: skipped (" + install_hint("bench") + ")")
    runners.update(numpy_runs.RUNNERS)
    if "keras" in frameworks:
        if keras_runs.available():
            runners.update(keras_runs.RUNNERS)
        else:
            log("TensorFlow is not installed: Keras skipped (pip install tensorflow-cpu to include it)")
    return {name: runners[name] for name in frameworks if name in runners}


def profile(workload, data, log=print):
    """Where ``fit`` spends its time on one workload, as pyinstrument's call tree."""
    from pyinstrument import Profiler

    run = rosenblatt_runs.Fit(workload, data)
    run.chunk()  # warm-up
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(3):
        run.chunk()
    profiler.stop()
    log(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv=None, prog="python -m benchmarks") -> int:
    args = _parser(prog).parse_args(argv)
    log = lambda *a, **kw: print(*a, **kw, flush=True)  # noqa: E731
    if args.from_json:
        results, info, rounds, keras_rounds = report.load(args.from_json)
        frameworks = [f for f in FRAMEWORKS if any(f in r.seconds for r in results)]
        return _finish(args, results, frameworks, info, max(rounds, 1), keras_rounds, log)
    chosen, frameworks = _select(args)
    if args.no_keras:
        frameworks = [f for f in frameworks if f != "keras"]
    rounds = 0 if args.quick else args.rounds
    runners = _runners(frameworks, log)
    torch = __import__("torch") if "torch" in runners or "torch fused" in runners else None
    from benchmarks import keras_runs

    harness.set_threads(args.threads, torch, keras_runs if "keras" in runners else None)
    cats = workloads.load_cats(args.cat_data) if any(w.cats for w in chosen) else None
    if args.profile:
        match = [w for w in workloads.workloads(quick=args.quick) if w.key == args.profile]
        if not match:
            raise SystemExit(f"unknown workload {args.profile!r}")
        profile(match[0], workloads.make_data(match[0], cats), log)
        return 0
    info = harness.machine(list(runners))
    kernels.warm_up()  # numba's compile or cache load, before anything is timed (--quick has no warm-up round)
    if "keras" in runners:
        info.update(keras_runs.versions())
    info["threads"] = f"{args.threads} for every library (OpenBLAS via threadpoolctl, torch.set_num_threads, " \
                      "TensorFlow intra/inter-op)"
    info["cat data"] = "the course's files" if cats is not None else "not found: random arrays of the same shapes"
    log("Machine and settings:", *report.machine_lines(info), sep="\n")
    results = []
    start = time.perf_counter()
    for w in chosen:
        t0 = time.perf_counter()
        log(f"\n{w.key}: {w.title}")
        result = harness.measure(w, workloads.make_data(w, cats), runners, rounds, log,
                                 limits={"keras": args.keras_rounds})
        results.append(result)
        cells = ", ".join(f"{name} {report._fmt(result.median(name), w.unit)}" for name in runners
                          if name in result.seconds)
        log(f"  {w.unit}: {cells}  ({time.perf_counter() - t0:.1f} s)")
    log(f"\nTotal time: {time.perf_counter() - start:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "rounds": rounds, "keras_rounds": min(args.keras_rounds, rounds),
                       "quick": args.quick, "results": [
                           {"workload": r.workload.key, "unit": r.workload.unit, "source": r.source,
                            "seconds": r.seconds, "memory": r.memory, "medians": {n: r.median(n) for n in r.seconds},
                            "errors": r.errors} for r in results]}, f, indent=1)
    return _finish(args, results, list(runners), info, max(rounds, 1), min(args.keras_rounds, rounds), log)


def _finish(args, results, frameworks, info, rounds, keras_rounds, log) -> int:
    """Print the report; write the Markdown and the plot if asked; 1 if any framework failed a workload."""
    text = report.full_report(results, frameworks, info, rounds, keras_rounds)
    log("\n" + text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text + "\n")
    if args.plot and report.plot_cat(results, args.plot):
        log(f"plot written to {args.plot}")
    failed = [(r.workload.key, name) for r in results for name in r.errors]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
