"""Side by side in one run: the cat conv net's training step, rosenblatt against PyTorch 2.13 CPU (same
architecture, same threads), and the lecture's own ``GradientTape`` loop on the tiny [2, 8, 8, 1] network
against PyTorch's default loop; then the convolution primitive's three ways of computing, for the choice.

    nice python -m benchmarks.conv_speed [--rounds 7] [--threads 1] [--json FILE] [--only tiny|conv]

The conv net is the one of ``rosenblatt cats train --recipe conv`` without its input layers (pooling,
standardisation, augmentation): 32 × 32 × 3 pictures → [conv 3 × 3 (32) relu → max-pool 2] → [conv 3 × 3 (64)
relu → max-pool 2] → conv 3 × 3 (128) relu → global average → dropout 0.3 → Dense(1, sigmoid), "same" padding,
binary cross-entropy, Adam, batches of 32, float32; rosenblatt channels last (Keras's layout), PyTorch channels
first (its own).  One chunk is one epoch of 209 pictures (7 steps), timed for each framework in turn, rounds
interleaved; the table gives medians of wall-clock and of CPU time (the process's own: on a shared machine
the wall clock also counts the others' work).  The tiny loop is the lecture's code with ``import
rosenblatt.compat.tensorflow as tf`` against ``zero_grad / loss.backward() / opt.step()``, 1,000 points,
batches of 32, 6 epochs a chunk.  Report ``uptime``'s load with the numbers: the machine is shared.

The first line also says whether the heap keeps freed memory (:mod:`rosenblatt.autodiff.heap`, set when the
first ``Conv2D`` is built; ``ROSENBLATT_KEEP_FREED_MEMORY=0`` measures the step without it) and which max
pooling ran (:mod:`rosenblatt.autodiff.primitives.pool_kernels`: ``numba`` with the fast extra, else ``numpy``;
``ROSENBLATT_KERNELS=numpy`` measures the NumPy path).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from benchmarks import harness, workloads
from rosenblatt.apps.cats import conv_recipe
from rosenblatt.autodiff import heap
from rosenblatt.autodiff.primitives import conv, pool_kernels

N, SIZE, BATCH = 209, 32, 32
FILTERS = conv_recipe.CONV.filters  # (32, 64, 128)


def conv_data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((N, SIZE, SIZE, 3), dtype=np.float32), (rng.random((N, 1)) < 0.34).astype(np.float32)


class RosenblattConv:
    """The lecture's tape loop on the conv net."""

    def __init__(self, x, y):
        self.x, self.y = x, y
        f1, f2, f3 = FILTERS
        self.model = tf.keras.Sequential([
            tf.keras.Input((SIZE, SIZE, 3)),
            tf.keras.layers.Conv2D(f1, 3, padding="same", activation="relu"), tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Conv2D(f2, 3, padding="same", activation="relu"), tf.keras.layers.MaxPooling2D(2),
            tf.keras.layers.Conv2D(f3, 3, padding="same", activation="relu"),
            tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dropout(0.3, seed=0),
            tf.keras.layers.Dense(1, activation="sigmoid")], seed=0)
        self.loss_fn = tf.keras.losses.BinaryCrossentropy()
        self.optimizer = tf.keras.optimizers.Adam(1e-3)
        self.rng = np.random.default_rng(1)

    def step(self, xb, yb):
        with tf.GradientTape() as tape:
            loss = self.loss_fn(yb, self.model(xb, training=True))
        grads = tape.gradient(loss, self.model.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_weights))
        return float(loss)

    def chunk(self):
        order = self.rng.permutation(N)
        for i in range(0, N, BATCH):
            idx = order[i:i + BATCH]
            self.step(self.x[idx], self.y[idx])


class TorchConv:
    def __init__(self, x, y):
        import torch
        from torch import nn

        self.torch = torch
        torch.manual_seed(0)
        f1, f2, f3 = FILTERS
        self.net = nn.Sequential(
            nn.Conv2d(3, f1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(f1, f2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(f2, f3, 3, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(f3, 1))
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-3)
        self.loss = nn.BCEWithLogitsLoss()
        self.x = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
        self.y = torch.from_numpy(y)
        self.generator = torch.Generator().manual_seed(1)

    def chunk(self):
        order = self.torch.randperm(N, generator=self.generator)
        for i in range(0, N, BATCH):
            idx = order[i:i + BATCH]
            self.opt.zero_grad()
            loss = self.loss(self.net(self.x[idx]), self.y[idx])
            loss.backward()
            self.opt.step()
            loss.item()


class TinyTape(harness.MiniBatches):
    """The lecture's loop, written with ``import rosenblatt.compat.tensorflow as tf``."""

    def __init__(self, w, data):
        self.w, self.x, self.y, self.rng = w, data.x, data.y, np.random.default_rng(1)
        self.model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(8, activation="relu"),
                                          tf.keras.layers.Dense(8, activation="relu"),
                                          tf.keras.layers.Dense(1, activation="sigmoid")], seed=0)
        self.loss_fn = tf.keras.losses.BinaryCrossentropy()
        self.optimizer = tf.keras.optimizers.Adam(learning_rate=w.learning_rate)

    def step(self, x_batch, y_batch):
        with tf.GradientTape() as tape:
            logits = self.model(x_batch, training=True)
            loss_value = self.loss_fn(y_batch, logits)
        grads = tape.gradient(loss_value, self.model.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.model.trainable_weights))
        return float(loss_value)


def median_times(runners: dict, rounds: int) -> tuple[dict, dict]:
    """Wall-clock and CPU seconds (of this process: other work on a shared machine does not count) per chunk."""
    for runner in runners.values():
        runner.chunk()  # warm up
    wall, cpu = {name: [] for name in runners}, {name: [] for name in runners}
    names = list(runners)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            t0, c0 = time.perf_counter(), time.process_time()
            runners[name].chunk()
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
    return wall, cpu


def _im2col_einsum(x, w):
    ho, wo, pads = conv._geometry(x.shape, w.shape[:2], (1, 1), (1, 1), "same")
    win = conv._windows(conv._pad(x, pads), w.shape[:2], (1, 1), (1, 1), ho, wo)
    return np.einsum("nuvijc,ijcf->nuvf", win, w, optimize=True)


def _shifted_products(x, w):
    kh, kw, c, f = w.shape
    ho, wo, pads = conv._geometry(x.shape, (kh, kw), (1, 1), (1, 1), "same")
    xp = conv._pad(x, pads)
    out = np.zeros((x.shape[0], ho, wo, f), x.dtype)
    for i in range(kh):
        for j in range(kw):
            out += xp[:, i:i + ho, j:j + wo, :] @ w[i, j]
    return out


def forward_ways(rounds):
    """ms of one forward convolution of each cat-net layer's shape, three ways (the same numbers)."""
    rng = np.random.default_rng(0)
    rows = []
    for h, c, f in ((32, 3, FILTERS[0]), (16, FILTERS[0], FILTERS[1]), (8, FILTERS[1], FILTERS[2])):
        x = rng.standard_normal((BATCH, h, h, c), dtype=np.float32)
        w = rng.standard_normal((3, 3, c, f), dtype=np.float32)
        ways = {"im2col copy + one GEMM (used)": lambda: conv._conv2d(x, w, padding="same")[0],
                "einsum on the window view": lambda: _im2col_einsum(x, w),
                "9 shifted products": lambda: _shifted_products(x, w)}
        ref = ways["im2col copy + one GEMM (used)"]()
        row = {"shape": f"{BATCH}×{h}×{h}×{c} → {f}"}
        for name, fn in ways.items():
            np.testing.assert_allclose(fn(), ref, rtol=1e-4, atol=1e-3)
            fn()
            ts = []
            for _ in range(rounds):
                t0 = time.perf_counter()
                fn()
                ts.append(time.perf_counter() - t0)
            row[name] = 1e3 * float(np.median(ts))
        rows.append(row)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.conv_speed", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", help="write the chunk times here")
    parser.add_argument("--only", choices=("tiny", "conv"), help="time only this workload (default: both, and the "
                        "convolution's ways)")
    args = parser.parse_args(argv)
    import torch

    harness.set_threads(args.threads, torch)
    load_before = os.getloadavg()
    conv_times = conv_cpu = tiny_times = tiny_cpu = None
    ways = []
    if args.only != "tiny":
        x, y = conv_data()
        conv_times, conv_cpu = median_times({"rosenblatt": RosenblattConv(x, y), "torch": TorchConv(x, y)},
                                            args.rounds)
    if args.only != "conv":
        tiny_data = workloads.make_data(workloads.TINY)
        from benchmarks.torch_runs import MLP

        tiny_times, tiny_cpu = median_times({"rosenblatt tape": TinyTape(workloads.TINY, tiny_data),
                                             "torch": MLP(workloads.TINY, tiny_data, fused=False)}, args.rounds)
    if args.only is None:
        ways = forward_ways(max(args.rounds, 15))
    load_after = os.getloadavg()

    steps = -(-N // BATCH)
    tiny_steps = workloads.TINY.steps_per_epoch * workloads.TINY.epochs
    kept = heap.keep_freed_memory()  # already called by the first Conv2D: this only reads the answer
    print(f"threads {args.threads}, rounds {args.rounds}, load average {load_before[0]:.2f} → {load_after[0]:.2f} "
          f"(1 min), heap keeps freed memory: {'yes' if kept else 'no'}, max pooling: {pool_kernels.path()}\n")
    print("| workload | clock | rosenblatt | PyTorch 2.13 | rosenblatt / PyTorch speed |\n|---|---|---|---|---|")
    for clock, conv_t, tiny_t in (("wall", conv_times, tiny_times), ("CPU", conv_cpu, tiny_cpu)):
        if conv_t is not None:
            med = {k: float(np.median(v)) for k, v in conv_t.items()}
            print(f"| cat conv net, batch {BATCH}, float32, Adam (ms per step) | {clock} | "
                  f"{1e3 * med['rosenblatt'] / steps:.1f} | {1e3 * med['torch'] / steps:.1f} | "
                  f"**{med['torch'] / med['rosenblatt']:.2f}×** |")
        if tiny_t is not None:
            tiny = {k: float(np.median(v)) for k, v in tiny_t.items()}
            print(f"| lecture's GradientTape loop, tiny [2, 8, 8, 1], batch 32 (µs per step) | {clock} | "
                  f"{1e6 * tiny['rosenblatt tape'] / tiny_steps:.0f} | {1e6 * tiny['torch'] / tiny_steps:.0f} | "
                  f"**{tiny['torch'] / tiny['rosenblatt tape']:.2f}×** |")
    if ways:
        print("\nforward convolution, ms (median):\n")
        names = [k for k in ways[0] if k != "shape"]
        print("| shape | " + " | ".join(names) + " |\n" + "|---" * (len(names) + 1) + "|")
        for row in ways:
            print(f"| {row['shape']} | " + " | ".join(f"{row[k]:.2f}" for k in names) + " |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(dict(threads=args.threads, load=[load_before, load_after], heap_keeps_freed_memory=kept,
                           max_pooling=pool_kernels.path(),
                           conv=conv_times, tiny=tiny_times,
                           conv_cpu=conv_cpu, tiny_cpu=tiny_cpu, forward_ways=ways), f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
