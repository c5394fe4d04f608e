"""``python -m benchmarks.sweep``: a 48-trial learning-rate sweep on 1 and 2 workers, local pool and Dask.

    python -m benchmarks.sweep                 48 trials (3 optimizers × 8 η × 2 batch sizes) on the spirals,
                                               3 interleaved rounds, about 4 minutes on 2 quiet cores
    python -m benchmarks.sweep --quick         4 small trials, 1 round (a check that everything runs)
    python -m benchmarks.sweep --json f.json   also write every time

Each round times, in turn: the trials one after another in this process (no pool: the work itself),
the local process pool with 1 and 2 processes, and a Dask ``LocalCluster`` on 127.0.0.1 with 1 and
2 single-threaded worker processes (started before the round, not timed; the pool's start is timed,
since every ``sweep.run`` starts its own). It reports the medians over rounds, the speed-up from
1 to 2 workers, and the overhead per trial: (wall time × workers − the trials' own time) / trials,
and Dask's minus the local pool's. The machine's load average is printed before and after: on a
machine whose cores other work shares, the speed-up measures that work too.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time

from rosenblatt import sweep


def trials(quick):
    if quick:
        return sweep.grid(optimizer=["sgd", "adam"], learning_rate=[0.1, 0.01])
    return sweep.grid(optimizer=["sgd", "momentum", "adam"],
                      learning_rate=[1.0, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4], batch_size=[32, 128])


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("--quick", action="store_true", help="4 small trials, 1 round")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    p.add_argument("--json", metavar="FILE", help="also write every time as JSON")
    args = p.parse_args(argv)
    logging.getLogger("distributed").setLevel(logging.ERROR)
    from distributed import Client, LocalCluster

    ts = trials(args.quick)
    task = dict(model="mlp", data="spirals", epochs=3 if args.quick else 40, n_samples=200 if args.quick else 2000)
    rounds = 1 if args.quick else args.rounds
    print(f"sweep benchmark: {len(ts)} trials, {task}, {rounds} round(s); cores {os.cpu_count()}, "
          f"load average before {load()}", flush=True)
    times = {k: [] for k in ("in-process", "pool 1", "pool 2", "dask 1", "dask 2", "pool start 1", "pool start 2",
                             "tiny in-process", "tiny pool 1", "tiny dask 1")}
    tiny = dict(model="logistic", data="blobs", epochs=1, n_samples=2)
    many = sweep.grid(seed=list(range(20 if args.quick else 400)))
    work = []
    reference = None
    clusters = {n: LocalCluster(n_workers=n, threads_per_worker=1, host="127.0.0.1", processes=True,
                                dashboard_address=None, silence_logs=logging.ERROR) for n in (1, 2)}
    try:
        clients = {n: Client(c) for n, c in clusters.items()}
        for c in clients.values():
            c.run(lambda: sweep.run_trial(ts[0], sweep.Task(**task)))  # each worker imports and loads once
        for r in range(rounds):
            start = time.perf_counter()
            rows = [sweep.run_trial(t, sweep.Task(**task)) for t in ts]
            times["in-process"].append(time.perf_counter() - start)
            work.append(sum(row["time_s"] for row in rows))
            same = [{k: v for k, v in row.items() if k not in ("time_s", "worker", "attempts", "finished_at")}
                    for row in rows]
            reference = reference or same
            for n in (1, 2):
                start = time.perf_counter()  # the pool's start: a sweep of n trials that take no time
                sweep.run(sweep.grid(seed=list(range(n))), **tiny, workers=n, progress=False)
                times[f"pool start {n}"].append(time.perf_counter() - start)
                start = time.perf_counter()
                got = sweep.run(ts, **task, workers=n, progress=False)
                times[f"pool {n}"].append(time.perf_counter() - start)
                start = time.perf_counter()
                got_dask = sweep.run(ts, **task, client=clients[n], progress=False)
                times[f"dask {n}"].append(time.perf_counter() - start)
                for result in (got, got_dask):
                    clean = [{k: v for k, v in row.items() if k not in ("time_s", "worker", "attempts",
                                                                          "finished_at")} for row in result]
                    assert clean == reference, "a backend gave a different table"
            # the overhead alone: many trials on 2 points for 1 epoch (about a millisecond each)
            start = time.perf_counter()
            for t in many:
                sweep.run_trial(t, sweep.Task(**tiny))
            times["tiny in-process"].append(time.perf_counter() - start)
            start = time.perf_counter()
            sweep.run(many, **tiny, workers=1, progress=False)
            times["tiny pool 1"].append(time.perf_counter() - start - times["pool start 1"][-1])
            start = time.perf_counter()
            sweep.run(many, **tiny, client=clients[1], progress=False)
            times["tiny dask 1"].append(time.perf_counter() - start)
            print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items())
                  + f" (load {load()})", flush=True)
    finally:
        for c in clusters.values():
            c.close()
    med = {k: statistics.median(v) for k, v in times.items()}
    own = statistics.median(work)
    n = len(ts)
    print(f"\nmedian wall time over {rounds} round(s), {n} trials (the trials' own time {own:.2f} s):")
    print(f"{'':<12}{'1 worker':>10}{'2 workers':>11}{'speed-up':>10}{'overhead/trial (1, 2)':>24}")
    for name in ("pool", "dask"):
        t1, t2 = med[f"{name} 1"], med[f"{name} 2"]
        o1, o2 = (t1 - own) / n * 1e3, (t2 * 2 - own) / n * 1e3
        print(f"{name:<12}{t1:>9.2f}s{t2:>10.2f}s{t1 / t2:>9.2f}×{o1:>12.1f} ms{o2:>9.1f} ms")
    print(f"in-process  {med['in-process']:>9.2f}s")
    low = {k: min(v) for k, v in times.items()}
    print(f"fastest round: pool {low['pool 1']:.2f} s → {low['pool 2']:.2f} s ({low['pool 1'] / low['pool 2']:.2f}×), "
          f"dask {low['dask 1']:.2f} s → {low['dask 2']:.2f} s ({low['dask 1'] / low['dask 2']:.2f}×)")
    for name in ("pool", "dask"):
        per = (med[f"tiny {name} 1"] - med["tiny in-process"]) / len(many) * 1e3
        print(f"overhead per trial alone ({len(many)} trials of about 1 ms, 1 worker): {name} {per:.1f} ms")
    for w in (1, 2):
        print(f"Dask's overhead against the local pool, {w} worker(s): "
              f"{(med[f'dask {w}'] - med[f'pool {w}']) / n * 1e3 * w:+.1f} ms per trial; without the pool's start "
              f"({med[f'pool start {w}']:.2f} s): "
              f"{(med[f'dask {w}'] - med[f'pool {w}'] + med[f'pool start {w}']) / n * 1e3 * w:+.1f} ms per trial")
    print(f"same table on every backend: yes; load average after {load()}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"trials": n, "task": task, "times": times, "work": work, "medians": med}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
