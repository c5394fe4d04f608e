"""The workloads of the speed comparison: shapes, data, and how much work one timed chunk is.

Every framework trains the same network on the same arrays: hidden layers with ReLU, and a sigmoid
output with binary cross-entropy (from the logits) or a softmax output with sparse softmax
cross-entropy.  The data is random of the right shapes, or the course's cat pictures where the files
are found (``--cat-data``, else rosenblatt's search path: ``$ROSENBLATT_DATA``, the user cache folder,
``../shared/data/catvnoncat`` beside the checkout).

>>> [w.key for w in workloads(quick=True)][:3]
['tiny', 'cat-b32-f32', 'cat-b64-f32']
>>> TINY.steps_per_epoch
32
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True)
class Workload:
    """One side-by-side measurement.

    Attributes:
        key: a short name (``"cat-b64-f32"``); ``group``: the row of targets it belongs to.
        sizes: the layer widths [n_x, n_1, …, n_L] (``kind == "mlp"``).
        n: the number of samples; ``batch``: b; ``dtype``: ``"float32"`` or ``"float64"``.
        loss: ``"bce"`` (one sigmoid output) or ``"sparse_ce"`` (softmax over ``sizes[-1]`` classes).
        optimizer, learning_rate: ``"adam"`` (default hyper-parameters) or ``"sgd"``.
        epochs: the epochs of one timed chunk (iterations for ``"rosenbrock"``).
        unit: what the table shows: ``"steps/s"``, ``"samples/s"``, ``"µs/step"`` or ``"s"``.
        scale: for ``"s"``: the reported seconds are those of ``scale`` chunks (the course's 2,500
            iterations, measured as a median over chunks of 50).
    """

    key: str
    group: str
    title: str
    kind: str = "mlp"
    sizes: tuple = ()
    n: int = 0
    batch: int = 0
    dtype: str = "float32"
    loss: str = "bce"
    optimizer: str = "adam"
    learning_rate: float = 0.001
    epochs: int = 1
    unit: str = "steps/s"
    scale: float = 1.0
    cats: bool = False

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.n / self.batch) if self.batch else 0

    def work(self) -> float:
        """Units of work in one chunk, for throughput: steps, samples or optimizer steps."""
        if self.kind == "rosenbrock":
            return self.epochs
        if self.unit == "samples/s":
            return self.epochs * self.n
        return self.epochs * self.steps_per_epoch

    def value(self, seconds: float) -> float:
        """The number the table shows for one chunk that took ``seconds``."""
        if self.unit == "µs/step":
            return seconds / self.work() * 1e6
        if self.unit == "s":
            return seconds * self.scale
        return self.work() / seconds

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")


TINY = Workload("tiny", "tiny", "tiny [2, 8, 8, 1], 1,000 points, batch 32, Adam", sizes=(2, 8, 8, 1), n=1000,
                batch=32, learning_rate=0.01, epochs=6, unit="steps/s")
CAT_SIZES = (12288, 20, 7, 5, 1)


def workloads(quick=False) -> list[Workload]:
    """All workloads, in the order they run; ``quick`` shrinks each chunk to a few steps."""
    out = [TINY]
    for dtype in ("float32", "float64"):
        for batch in (32, 64, 209):
            out.append(Workload(f"cat-b{batch}-f{dtype[-2:]}", "cat", f"cat {list(CAT_SIZES)}, 209 samples, "
                                f"batch {batch}, {dtype}, Adam", sizes=CAT_SIZES, n=209, batch=batch, dtype=dtype,
                                epochs=8, unit="samples/s", cats=True))
    for batch in (32, 209):
        out.append(Workload(f"wide-b{batch}", "wide", f"wide [12288, 256, 128, 1], 209 samples, batch {batch}, Adam",
                            sizes=(12288, 256, 128, 1), n=209, batch=batch, epochs=2, unit="samples/s", cats=True))
    out.append(Workload("mnist", "mnist", "MNIST-shaped [784, 256, 128, 10], softmax CE, 10,000 samples, "
                        "batch 128, Adam", sizes=(784, 256, 128, 10), n=10_000, batch=128, loss="sparse_ce",
                        epochs=1, unit="samples/s"))
    out.append(Workload("rosenbrock", "rosenbrock", "Rosenbrock, 1,000 Adam steps on a 2-number point (the time of "
                        "the optimizer's steps, without the gradient)",
                        kind="rosenbrock", learning_rate=0.01, epochs=1000, unit="µs/step"))
    out.append(Workload("course", "course", "course reproduction: [12288, 20, 7, 5, 1], float64, full batch, "
                        "gradient descent η = 0.0075, 2,500 iterations", sizes=CAT_SIZES, n=209, batch=209,
                        dtype="float64", optimizer="sgd", learning_rate=0.0075, epochs=50, unit="s", scale=50.0,
                        cats=True))
    if quick:
        out = [replace(w, epochs=_quick_epochs(w), scale=2500 / _quick_epochs(w) if w.unit == "s" else w.scale)
               for w in out]
    return out


def _quick_epochs(w):
    if w.kind == "rosenbrock":
        return 100
    if w.key == "course":
        return 3
    return 1


# -- data -----------------------------------------------------------------------------------------
@dataclass
class Data:
    """Training arrays in the workload's dtype: ``x`` (n, n_x) and ``y`` ((n, 1) floats or (n,) int64)."""

    x: np.ndarray
    y: np.ndarray
    source: str


def make_data(w: Workload, cats=None, seed=0) -> Data | None:
    """The workload's arrays: the cat pictures (scaled to [0, 1]) when given and shaped right, else random."""
    if w.kind != "mlp":
        return None
    dtype = np.dtype(w.dtype)
    if w.cats and cats is not None and cats[0].shape == (w.n, w.sizes[0]):
        x, y = cats
        return Data(x.astype(dtype), y.astype(dtype).reshape(-1, 1), "cat files")
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((w.n, w.sizes[0]), dtype=np.float64)
    if w.loss == "bce":
        y = (x[:, :2].prod(axis=1) > 0).reshape(-1, 1).astype(dtype)
    else:
        y = rng.integers(0, w.sizes[-1], w.n).astype(np.int64)
    return Data(x.astype(dtype), y, "random")


def load_cats(path=None):
    """The 209 training pictures as (209, 12288) floats in [0, 1] and (209,) labels, or None if absent.

    ``path`` if given, else rosenblatt's own search path, the same as the command line's
    (``$ROSENBLATT_DATA``, the user cache, ``../shared/data/catvnoncat`` beside the checkout)."""
    try:
        from rosenblatt.datasets import catvnoncat

        (x, y), _ = catvnoncat.load_data(path)
    except (ImportError, FileNotFoundError, ValueError, OSError):
        return None
    return x.reshape(len(x), -1).astype(np.float64) / 255.0, y.astype(np.float64)
