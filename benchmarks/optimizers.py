"""Micro-benchmark: one ``apply_gradients`` per optimizer against the same ``torch.optim`` update.

    python -m benchmarks.optimizers            # cat network, Rosenbrock, the wide network
    python -m benchmarks.optimizers --quick    # fewer rounds, no wide network

* The cat network's weights, float32: [12288×20, 20, 20×7, 7, 7×5, 5, 5×1, 1] (246,000 numbers).
  Each optimizer's step against PyTorch's CPU default (its single-tensor for-loop) and, where
  PyTorch has one, its ``fused=True`` CPU kernel. Ratio = PyTorch's time / ours (> 1: we are faster).
* µs per Adam step on Rosenbrock (a float64 2-vector), 1,000 steps, gradient excluded.
* The wide network [12288, 256, 128, 1] (3.2 M numbers): Adam against PyTorch's for-loop, foreach
  and fused kernels.
* Bytes allocated (tracemalloc) by one step: the updates are in place, chunked, with preallocated
  scratch, so this stays a few KiB whatever the size.

Times are medians over rounds; each round times a batch of steps of each contender in turn, so a
change of load hits all of them alike. rosenblatt's update runs on one core (NumPy's ufuncs);
PyTorch uses ``torch.get_num_threads()`` (printed; ``--torch-threads 1`` compares core for core).
On a machine shared with other work, read the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc

import numpy as np

from rosenblatt import optimizers as O
from rosenblatt.extras import install_hint

CAT = [(12288, 20), (20,), (20, 7), (7,), (7, 5), (5,), (5, 1), (1,)]
WIDE = [(12288, 256), (256,), (256, 128), (128,), (128, 1), (1,)]

# name: (ours, PyTorch class name, PyTorch arguments, PyTorch has a fused CPU kernel)
CASES = {
    "SGD": (lambda: O.SGD(0.01), "SGD", dict(lr=0.01), True),
    "SGD momentum": (lambda: O.SGD(0.01, momentum=0.9), "SGD", dict(lr=0.01, momentum=0.9), True),
    "Momentum": (lambda: O.Momentum(0.01), "SGD", dict(lr=0.001, momentum=0.9), True),
    "RMSprop": (lambda: O.RMSprop(0.001), "RMSprop", dict(lr=0.001, alpha=0.9, eps=1e-8), False),
    "Adam": (lambda: O.Adam(0.001), "Adam", dict(lr=0.001), True),
    "AdamW": (lambda: O.AdamW(0.001), "AdamW", dict(lr=0.001, weight_decay=0.004), True),
    "Nadam": (lambda: O.Nadam(0.001), "NAdam", dict(lr=0.001), False),
    "Adagrad": (lambda: O.Adagrad(0.001), "Adagrad", dict(lr=0.001, initial_accumulator_value=0.1, eps=1e-7), True),
    "Adadelta": (lambda: O.Adadelta(), "Adadelta", dict(lr=1.0, rho=0.95, eps=1e-6), False),
}


def _medians(steppers, rounds, number):
    """Median seconds per call of each stepper; the rounds interleave them, so load drifts hit all alike."""
    for step in steppers:
        step()  # warm up: slots and scratch are allocated on the first step
    times = [[] for _ in steppers]
    for _ in range(rounds):
        for step, spent in zip(steppers, times):
            start = time.perf_counter()
            for _ in range(number):
                step()
            spent.append((time.perf_counter() - start) / number)
    return [statistics.median(spent) for spent in times]


def _weights(shapes, dtype, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal(s).astype(dtype) * 0.01 for s in shapes]
    grads = [rng.standard_normal(s).astype(dtype) * 0.01 for s in shapes]
    return weights, grads


def ours(make, shapes, dtype=np.float32):
    """One apply_gradients of a fresh optimizer on fresh weights, as a function of nothing."""
    weights, grads = _weights(shapes, dtype)
    opt, pairs = make(), list(zip(grads, weights))
    return lambda: opt.apply_gradients(pairs)


def theirs(torch, cls_name, kwargs, shapes, **mode):
    """The same for torch.optim (gradients already in .grad, as after backward())."""
    weights, grads = _weights(shapes, np.float32)
    params = [torch.nn.Parameter(torch.from_numpy(w)) for w in weights]
    for p, g in zip(params, grads):
        p.grad = torch.from_numpy(g)
    return getattr(torch.optim, cls_name)(params, **kwargs, **mode).step


def allocated_bytes(make, shapes):
    """Peak bytes NumPy allocates during one step (after the first, which creates the slots)."""
    weights, grads = _weights(shapes, np.float32)
    opt = make()
    pairs = list(zip(grads, weights))
    opt.apply_gradients(pairs)
    tracemalloc.start()
    opt.apply_gradients(pairs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def rosenbrock_us(steps=1000, rounds=5):
    """µs per Adam step on Rosenbrock's 2-vector through the library (the gradient is not timed)."""
    def gradient(w):
        x, y = w
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])

    times = []
    for _ in range(rounds):
        W, opt = np.array([-1.5, 2.0]), O.Adam(0.01)
        spent = 0.0
        for _ in range(steps):
            g = gradient(W)
            start = time.perf_counter()
            opt.apply_gradients([(g, W)])
            spent += time.perf_counter() - start
        times.append(spent / steps)
    return statistics.median(times) * 1e6


def torch_rosenbrock_us(torch, steps=1000, rounds=5):
    times = []
    for _ in range(rounds):
        p = torch.nn.Parameter(torch.tensor([-1.5, 2.0], dtype=torch.float64))
        opt = torch.optim.Adam([p], lr=0.01)
        spent = 0.0
        for _ in range(steps):
            x, y = p.detach().tolist()
            p.grad = torch.tensor([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], dtype=torch.float64)
            start = time.perf_counter()
            opt.step()
            spent += time.perf_counter() - start
        times.append(spent / steps)
    return statistics.median(times) * 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds; skip the wide network")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="threads for PyTorch (default: its own choice); 1 compares core for core")
    args = parser.parse_args(argv)
    rounds, number = (3, 5) if args.quick else (7, 20)
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is the optional 'bench' extra
        torch = None
        print("PyTorch is not installed: timing rosenblatt alone (" + install_hint("bench") + ").")
    if torch and args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    print(f"NumPy {np.__version__}" + (f", PyTorch {torch.__version__} on {torch.get_num_threads()} threads"
                                       if torch else "") + f"; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs (rosenblatt's update runs on one)")
    print("\nOne apply_gradients on the cat network's weights (float32, 246,000 numbers); µs per step.")
    print("ratio = PyTorch's time / ours (> 1: rosenblatt is faster). PyTorch's CPU default is its for-loop.")
    print(f"{'optimizer':<14}{'rosenblatt':>11}{'torch':>9}{'ratio':>7}{'fused':>9}{'ratio':>7}{'alloc KiB':>11}")
    for name, (make, cls, kwargs, fused) in CASES.items():
        steppers = [ours(make, CAT)]
        if torch:
            steppers.append(theirs(torch, cls, kwargs, CAT))
            if fused:
                steppers.append(theirs(torch, cls, kwargs, CAT, fused=True))
        times = _medians(steppers, rounds, number)
        line = f"{name:<14}{times[0] * 1e6:>11.0f}"
        for other in times[1:]:
            line += f"{other * 1e6:>9.0f}{other / times[0]:>7.2f}"
        if torch and not fused:
            line += f"{'-':>9}{'-':>7}"
        print(line + f"{allocated_bytes(make, CAT) / 1024:>11.1f}")

    checked, unchecked = _medians([ours(O.Adam, CAT), ours(lambda: O.Adam(check_finite=False), CAT)], rounds, number)
    print(f"Adam's finiteness checks cost {100 * (checked / unchecked - 1):+.1f}% "
          f"({checked * 1e6:.0f} µs checked, {unchecked * 1e6:.0f} µs with check_finite=False)")

    print("\nAdam on Rosenbrock's 2-vector (float64), 1,000 steps, gradient excluded")
    line = f"rosenblatt {rosenbrock_us(rounds=3 if args.quick else 7):.1f} µs per step"
    if torch:
        line += f"; PyTorch {torch_rosenbrock_us(torch, rounds=3 if args.quick else 7):.1f} µs per step"
    print(line)

    if not args.quick:
        print("\nAdam on the wide network [12288, 256, 128, 1] (float32, 3.2 M numbers); ms per step")
        steppers = [ours(O.Adam, WIDE)]
        if torch:
            steppers += [theirs(torch, "Adam", dict(lr=0.001), WIDE),
                         theirs(torch, "Adam", dict(lr=0.001), WIDE, foreach=True),
                         theirs(torch, "Adam", dict(lr=0.001), WIDE, fused=True)]
        times = _medians(steppers, 5, 5)
        line = f"rosenblatt {times[0] * 1e3:.2f}"
        for label, other in zip(("for-loop", "foreach", "fused"), times[1:]):
            line += f"; PyTorch {label} {other * 1e3:.2f} (ratio {other / times[0]:.2f})"
        print(line + f"; rosenblatt allocates {allocated_bytes(O.Adam, WIDE) / 1024:.1f} KiB per step")


if __name__ == "__main__":
    main()
