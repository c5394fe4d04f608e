"""Running the frameworks side by side: threads, interleaved rounds, medians, peak memory.

For each workload every framework builds its network and runs one chunk (the warm-up, during which
its peak memory is taken); then come ``rounds`` rounds, each timing one chunk per framework, in an
order that rotates from round to round so that no framework always runs after the same neighbour.
The reported number is the median over the rounds.

Peak memory is the growth of the process's peak resident set (``VmHWM``, reset through
``/proc/self/clear_refs``) from just before the framework builds its network to the end of its
warm-up chunk: weights, optimizer state, activations, gradients and the framework's own caches; the
data arrays, shared by all, are not counted.  Where ``/proc`` does not allow it, memory is not shown.
"""

from __future__ import annotations

import ctypes
import gc
import os
import platform
import statistics
import time
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Result:
    """What one workload gave: per framework the chunk times (s), the shown values, the peak memory."""

    workload: object
    source: str = ""
    seconds: dict = field(default_factory=dict)
    memory: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)

    def values(self, framework) -> list:
        return [self.workload.value(s) for s in self.seconds.get(framework, [])]

    def median(self, framework):
        values = self.values(framework)
        return statistics.median(values) if values else None

    def speedup(self, framework, other):
        """How many times faster ``framework`` is than ``other`` (> 1: faster), from the medians."""
        a, b = self.median(framework), self.median(other)
        if a is None or b is None:
            return None
        return a / b if self.workload.higher_is_better else b / a


# -- threads and the machine -------------------------------------------------------------------------
_limits = None


def set_threads(n, torch_module=None, keras_module=None):
    """The same number of threads for every library: OpenBLAS (NumPy), PyTorch, TensorFlow."""
    global _limits
    try:
        from threadpoolctl import threadpool_limits

        _limits = threadpool_limits(limits=n)
    except ImportError:  # pragma: no cover - threadpoolctl is in the bench extra
        pass
    if torch_module is not None:
        torch_module.set_num_threads(n)
        try:
            torch_module.set_num_interop_threads(1)
        except RuntimeError:  # pragma: no cover - only settable once, before any parallel work
            pass
    if keras_module is not None:
        keras_module.set_threads(n)


def _threads(n) -> str:
    return "1 thread" if n == 1 else f"{n} threads"


def machine(frameworks) -> dict:
    """What the numbers were measured on: CPU, cores, versions, BLAS and thread settings."""
    info = {"cpu": _cpu_name(), "cores": os.cpu_count(), "python": platform.python_version(),
            "numpy": np.__version__}
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("user_api") == "blas":
                info["blas"] = (f"{pool.get('internal_api')} {pool.get('version')} ({pool.get('architecture')} "
                                f"kernels, {_threads(pool.get('num_threads'))})")
    except ImportError:  # pragma: no cover
        pass
    if "torch" in frameworks:
        import torch

        info["torch"] = f"{torch.__version__} ({_threads(torch.get_num_threads())})"
    from rosenblatt.optimizers import kernels

    if kernels.get("adam") is None:
        info["numba"] = "not used (not installed, or ROSENBLATT_KERNELS=numpy): Adam runs as NumPy calls"
    else:
        import numba

        info["numba"] = f"{numba.__version__}: rosenblatt's Adam is one compiled pass on variables of ≥ {kernels.MIN_SIZE:,} numbers"
    env = {k: os.environ[k] for k in ("ROSENBLATT_KERNELS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS",
                                     "OPENBLAS_NUM_THREADS") if k in os.environ}
    if env:
        info["environment"] = " ".join(f"{k}={v}" for k, v in env.items())
    try:
        info["load average"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        pass
    return info


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:  # pragma: no cover
        pass
    return platform.processor() or platform.machine()


# -- memory ---------------------------------------------------------------------------------------
def _status_kib(key):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:  # pragma: no cover
        pass
    return None


def _trim():
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # give freed memory back, so that the next peak is its own
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        pass


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.bytes``: growth of the peak RSS in the block."""

    def __enter__(self):
        _trim()
        self.bytes = None
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # reset VmHWM to the current RSS
            self._start = _status_kib("VmRSS")
        except OSError:
            self._start = None
        return self

    def __exit__(self, *exc):
        peak = _status_kib("VmHWM")
        if self._start is not None and peak is not None:
            self.bytes = max(peak - self._start, 0) * 1024
        return False


# -- the measurement ------------------------------------------------------------------------------
def measure(workload, data, runners, rounds, log=print, limits=None) -> Result:
    """Warm up every framework (taking its peak memory), then time ``rounds`` interleaved rounds.

    ``limits``: at most that many rounds for some frameworks (Keras, many times slower, takes part in the
    first few rounds only, which keeps the run short without changing any median much).
    """
    limits = limits or {}
    result = Result(workload, source=getattr(data, "source", ""))
    live = {}
    for name, factory in runners.items():
        try:
            with PeakMemory() as peak:
                runner = factory(workload, data)
                if runner is None:
                    continue
                first = _timed(runner)
        except Exception as exc:  # noqa: BLE001 - one framework failing must not hide the others
            result.errors[name] = f"{type(exc).__name__}: {exc}"
            log(f"  {name}: failed: {result.errors[name]}")
            continue
        result.memory[name] = peak.bytes
        live[name] = runner
        if rounds == 0:
            result.seconds[name] = [first]
    names = list(live)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)] if names else []
        for name in order:
            if r >= limits.get(name, rounds):
                continue
            gc.collect()
            result.seconds.setdefault(name, []).append(_timed(live[name]))
    return result


def optimizer_seconds(run_steps, run_gradients, n) -> float:
    """CPU seconds of ``n`` optimizer steps: (gradient and step, n times) minus (gradient alone, n times).

    For the Rosenbrock workload, whose steps take microseconds: CPU time of the process, so that other work
    on the machine does not count, and the difference of two loops, so that no clock is read inside them.
    """
    t0 = time.process_time()
    run_steps(n)
    t1 = time.process_time()
    run_gradients(n)
    t2 = time.process_time()
    return max((t1 - t0) - (t2 - t1), 0.0)


def _timed(runner) -> float:
    """Seconds of one chunk: the runner's own count when it returns one (the optimizer steps alone), else all."""
    t0 = time.perf_counter()
    inner = runner.chunk()
    spent = time.perf_counter() - t0
    return inner if isinstance(inner, float) else spent


class MiniBatches:
    """Shuffled mini-batch epochs, shared by every framework's runner.

    A runner sets ``x``, ``y``, ``w`` (the workload, with ``batch`` and ``epochs``) and ``rng``, and defines
    ``step(x, y) -> loss``; PyTorch's runner overrides :meth:`permutation` with its own generator.
    """

    def permutation(self, n):
        return self.rng.permutation(n)

    def epoch(self):
        """One shuffled pass in mini-batches (the whole array when b ≥ m); returns the mean loss."""
        n, b = len(self.x), self.w.batch
        if b >= n:
            return self.step(self.x, self.y)
        order = self.permutation(n)
        total = 0.0
        for start in range(0, n, b):
            idx = order[start:start + b]
            total += self.step(self.x[idx], self.y[idx]) * len(idx)
        return total / n

    def chunk(self):
        for _ in range(self.w.epochs):
            self.epoch()


class RosenbrockRunner:
    """Adam on the two-number Rosenbrock point; a framework's runner defines ``steps(n)`` (gradient and
    update, n times) and ``gradients(n)`` (the gradient alone), and ``chunk`` times their difference."""

    def __init__(self, w):
        self.w = w

    def chunk(self):
        """CPU seconds of the workload's optimizer steps (the gradient's time is taken out)."""
        return optimizer_seconds(self.steps, self.gradients, self.w.epochs)
