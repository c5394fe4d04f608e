"""Run a sweep's trials on a local process pool or on a Dask cluster, writing each row as it finishes.

The trials are independent, so they are simply handed out: to a ``concurrent.futures`` process pool
(one process per core by default), or, with ``scheduler="tcp://HOST:8786"`` or ``client=``, to the workers
of a ``dask.distributed`` cluster. Both run the same pure function,
:func:`~rosenblatt.sweep.trial.run_trial`, so the same seeds give the same table.

* **Resuming.** With a ``table``, trials already in it are skipped (their rows are returned as they are),
  so a sweep killed and started again does no finished trial twice.
* **Failures.** A trial that diverges or raises is a row with its ``status`` and ``reason``; the sweep
  goes on. A worker process that dies takes its trials with it: they are run again (on Dask, by the
  scheduler, elsewhere), up to ``max_attempts`` times, then recorded with status ``"lost"``. The local
  pool keeps two trials per process in flight (so a process never waits for the next one); when one
  dies, every trial in flight is charged an attempt, since the pool cannot say which one was running.
  ``attempts`` in a row counts the runs (on Dask as the scheduler counts them; −1 if it cannot say).

>>> from rosenblatt.sweep import grid
>>> rows = run(grid(learning_rate=[0.05, 0.01]), "mlp", "circles", epochs=2, n_samples=64, workers=1, progress=False)
>>> [(r["learning_rate"], r["status"]) for r in rows]
[(0.05, 'ok'), (0.01, 'ok')]
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from rosenblatt.sweep.space import KEYS, check_trials, trial_id
from rosenblatt.sweep.table import ResultsTable
from rosenblatt.sweep.trial import Task, model_name, run_trial


def best(rows):
    """The best finished row: highest validation accuracy (else training accuracy), then lowest loss."""
    def score(row):
        acc = row.get("final_val_accuracy", math.nan)
        acc = row.get("final_accuracy", math.nan) if not acc == acc else acc
        loss = row.get("final_val_loss", math.nan)
        loss = row.get("final_loss", math.nan) if not loss == loss else loss
        return (acc if acc == acc else -math.inf, -loss if loss == loss else -math.inf)

    ok = [r for r in rows if r.get("status") == "ok"]
    return max(ok, key=score) if ok else None


def _describe(row) -> str:
    if row is None:
        return "no trial finished yet"
    acc = row.get("final_val_accuracy", math.nan)
    what = "val acc" if acc == acc else "acc"
    acc = acc if acc == acc else row.get("final_accuracy", math.nan)
    return f"best {what} {acc:.3f}: {row['optimizer']} η={row['learning_rate']:.3g} b={row['batch_size']}"


class _Progress:
    """A bar over trials (tqdm when installed), showing the best result so far."""

    def __init__(self, total, done, enabled, stream=None):
        self.bar, self.enabled, self.count, self.total = None, enabled, done, total
        self.stream = stream or sys.stderr
        if enabled:
            try:
                from tqdm.auto import tqdm

                self.bar = tqdm(total=total, initial=done, desc="sweep", unit="trial", file=self.stream)
            except ImportError:
                pass

    def update(self, best_row):
        self.count += 1
        if self.bar is not None:
            self.bar.set_postfix_str(_describe(best_row), refresh=False)
            self.bar.update(1)
        elif self.enabled:
            print(f"sweep: {self.count}/{self.total} trials, {_describe(best_row)}", file=self.stream)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _lost_row(trial, task, attempts, reason):
    return {"trial_id": trial_id(trial, task.context()), **{k: trial[k] for k in KEYS},
            "model": model_name(task.model), "data": task.context()["data"], "epochs": int(task.epochs),
            "status": "lost", "reason": reason, "initial_loss": math.nan, "final_loss": math.nan,
            "final_accuracy": math.nan, "final_val_loss": math.nan, "final_val_accuracy": math.nan,
            "epochs_run": 0, "curves": "{}", "time_s": math.nan, "worker": "", "attempts": attempts}


ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


@contextlib.contextmanager
def _one_blas_thread():
    """While pool processes start: one BLAS thread each, set in the environment they are started with.

    The pool already fills the cores. The variables must be there before NumPy loads in the child (as
    Dask's nanny does for its workers); limiting the threads afterwards with threadpoolctl was not enough:
    2 pool processes on 2 cores each ran their trials 2.5× slower than 2 Dask workers (measured). A
    variable the user has set is left as it is.
    """
    added = {k: v for k, v in ONE_THREAD.items() if k not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for k in added:
            os.environ.pop(k, None)


def _broken(future) -> bool:
    return isinstance(future.exception(), BrokenProcessPool)


def _run_local(pending, task, workers, max_attempts, on_row):
    context = multiprocessing.get_context("spawn")  # a fresh interpreter, with the environment given now
    queue, running, attempts, pool = deque(pending), {}, {}, None
    try:
        while queue or running:
            if pool is None:
                pool = ProcessPoolExecutor(workers, mp_context=context)
            broken = False
            while queue and len(running) < 2 * workers:  # two trials per process in flight: the next one is
                trial = queue[0]  # there when one ends; a process that dies charges an attempt to both
                try:
                    with _one_blas_thread():  # a spawning pool starts its processes in submit, as needed
                        future = pool.submit(run_trial, trial, task)
                except BrokenProcessPool:  # a process died since the last look
                    broken = True
                    break
                queue.popleft()
                attempts[id(trial)] = attempts.get(id(trial), 0) + 1
                running[future] = trial
            if not broken:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = any(_broken(f) for f in finished)
            if broken:
                wait(running)  # a process died: the pool is broken, every future in flight is settled now
                finished = list(running)
            for future in finished:
                trial = running.pop(future)
                n = attempts[id(trial)]
                error = future.exception()
                if isinstance(error, BrokenProcessPool):
                    if n < max_attempts:
                        queue.appendleft(trial)
                        continue
                    on_row(_lost_row(trial, task, n, f"the worker process died {n} times while running it ({error})"))
                elif error is not None:
                    on_row(_lost_row(trial, task, n, f"{type(error).__name__}: {error}") | {"status": "error"})
                else:
                    on_row(future.result() | {"attempts": n})
            if broken:
                pool.shutdown(wait=True, cancel_futures=True)
                pool = None
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _attempts(client, key) -> int:
    """1 + how many workers died while running ``key``, asked of the scheduler (−1 if it cannot say)."""
    try:  # a lambda travels by value: the scheduler's machine need not have rosenblatt installed
        return 1 + client.run_on_scheduler(lambda dask_scheduler: getattr(dask_scheduler.tasks.get(key),
                                                                           "suspicious", 0))
    except Exception:  # noqa: BLE001 - a scheduler that refuses to run functions: the row is kept
        return -1


def _run_dask(pending, task, client, scheduler, on_row):
    try:
        from distributed import Client, as_completed
        from distributed.scheduler import KilledWorker
    except ImportError as exc:
        from rosenblatt.extras import install_hint

        raise ImportError(f"sweep: a Dask cluster needs dask.distributed: {install_hint('sweep')}") from exc
    own = client is None
    if own:
        client = Client(scheduler)
    try:
        shared = task if isinstance(task.data, str) else client.scatter(task, broadcast=True, hash=False)
        futures = {client.submit(run_trial, trial, shared, pure=False): trial for trial in pending}
        for future in as_completed(futures):
            trial = futures.pop(future)
            try:
                row = future.result() | {"attempts": _attempts(client, future.key)}
            except KilledWorker as exc:
                row = _lost_row(trial, task, -1, f"its workers died while running it: {exc}")
            except Exception as exc:  # noqa: BLE001
                row = _lost_row(trial, task, 1, f"{type(exc).__name__}: {exc}") | {"status": "error"}
            future.release()
            on_row(row)
    finally:
        if own:
            client.close()


def run(trials, model="mlp", data="circles", epochs=20, *, table=None, scheduler=None, client=None, workers=None,
        n_samples=1000, data_seed=0, cats_path=None, diverge_factor=2.0, max_attempts=3, progress=True,
        callback=None):
    """Train one model per trial; return one row per trial (in the trials' order).

    Args:
        trials: a list of hyper-parameter dicts (:func:`~rosenblatt.sweep.grid`, :func:`~rosenblatt.sweep.sample`).
        model, data, epochs, n_samples, data_seed, cats_path, diverge_factor: see
            :class:`~rosenblatt.sweep.trial.Task`.
        table: a ``.parquet`` or ``.csv`` path: each row is appended as soon as its trial finishes, and
            trials already there are skipped (default None: no table).
        scheduler: a Dask scheduler address ``tcp://HOST:8786`` (default None: the local pool).
        client: a ``dask.distributed.Client`` to use instead (default None).
        workers: processes of the local pool (default: all cores, ``os.cpu_count()``).
        max_attempts: runs of a trial whose process dies, on the local pool, before it is ``"lost"``
            (default 3; on Dask the scheduler's ``distributed.scheduler.allowed-failures`` decides).
        progress: a progress bar over trials with the best result so far (default True).
        callback: called with each new row as it is written (default None).
    """
    task = Task(model=model, data=data, epochs=epochs, n_samples=n_samples, data_seed=data_seed,
                cats_path=cats_path, diverge_factor=diverge_factor)
    trials = check_trials(trials)
    if scheduler is not None and client is not None:
        raise ValueError("sweep: give a scheduler address or a client, not both")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ValueError(f"sweep: workers must be an int ≥ 1; got {workers!r}")
    if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
        raise ValueError(f"sweep: max_attempts must be an int ≥ 1; got {max_attempts!r}")
    context = task.context()
    ids = [trial_id(t, context) for t in trials]
    results = ResultsTable(table) if table is not None else None
    done = {i: r for i, r in (results.done() if results else {}).items() if i in set(ids)}
    pending = [t for t, i in zip(trials, ids) if i not in done]
    rows = dict(done)
    bar = _Progress(len(trials), len(done), progress)
    leader = [best(list(done.values()))]

    def on_row(row):
        row["finished_at"] = time.time()
        if results is not None:
            results.append(row)
        rows[row["trial_id"]] = row
        if row["status"] == "ok" and best([leader[0], row] if leader[0] else [row]) is row:  # ties: the first
            leader[0] = row
        bar.update(leader[0])
        if callback is not None:
            callback(row)

    try:
        if pending and (scheduler is not None or client is not None):
            _run_dask(pending, task, client, scheduler, on_row)
        elif pending:
            _run_local(pending, task, min(workers or os.cpu_count() or 1, len(pending)), max_attempts, on_row)
    finally:
        bar.close()
    return [rows[i] for i in ids]


__all__ = ["run", "best"]
