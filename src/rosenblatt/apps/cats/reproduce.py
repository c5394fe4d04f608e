"""The course's published table on the cat data, re-run with rosenblatt's own API.

All three models are full-batch gradient descent on x / 255 (12288 features), float64, with the
course's own initialisation drawn from ``numpy.random.RandomState(1)`` (the course calls
``np.random.seed(1)``; here the generator is explicit).  The course stores W⁽ˡ⁾ as (n_l × n_{l−1});
Keras's kernel is its transpose.

=====================  =========================================  ======================  =============
model                  initialisation                             η, iterations           published
=====================  =========================================  ======================  =============
logistic regression    w = 0, b = 0                               0.005, 2,000            99.0% / 70%
two layers 12288-7-1   randn · 0.01                               0.0075, 2,500           100% / 72%
four layers            randn / √n_{l−1}                           0.0075, 2,500           98.6% / 80%,
[12288, 20, 7, 5, 1]                                                                      cost 0.0884
=====================  =========================================  ======================  =============
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import rosenblatt as rb

PUBLISHED = {
    "logistic regression": (0.99, 0.70, None),
    "two layers 12288-7-1": (1.00, 0.72, None),
    "four layers [12288, 20, 7, 5, 1]": (0.986, 0.80, 0.0884),
}


@dataclass
class Result:
    name: str
    train_accuracy: float
    test_accuracy: float
    final_cost: float
    train_correct: int
    test_correct: int
    costs: list


def _model(sizes, kernels):
    """A float64 Sequential with ReLU hidden layers and a sigmoid output, weights set to ``kernels``."""
    layers = [rb.layers.Input((sizes[0],), dtype="float64")]
    for i, k in enumerate(sizes[1:]):
        last = i == len(sizes) - 2
        layers.append(rb.layers.Dense(k, activation="sigmoid" if last else "relu", dtype="float64"))
    model = rb.Sequential(layers)
    weights = []
    for w in kernels:
        weights += [w.T, np.zeros(w.shape[0])]  # course W is (n_l × n_{l−1}); the kernel is Wᵀ
    model.set_weights(weights)
    return model


def course_kernels(kind, sizes):
    """The course's initial W⁽ˡ⁾ matrices, drawn in its order from RandomState(1)."""
    if kind == "zeros":
        return [np.zeros((sizes[l], sizes[l - 1])) for l in range(1, len(sizes))]
    rng = np.random.RandomState(1)
    if kind == "small":
        return [rng.randn(sizes[l], sizes[l - 1]) * 0.01 for l in range(1, len(sizes))]
    return [rng.randn(sizes[l], sizes[l - 1]) / np.sqrt(sizes[l - 1]) for l in range(1, len(sizes))]


def train(name, sizes, init, learning_rate, iterations, data, callbacks=()):
    """Train one model of the table; the cost logged for an epoch is J before that epoch's update."""
    (x, y), (x_test, y_test) = data
    model = _model(sizes, course_kernels(init, sizes))
    model.compile(optimizer=rb.optimizers.SGD(learning_rate), loss=rb.losses.BinaryCrossentropy())
    history = model.fit(x, y, batch_size=len(x), epochs=iterations, shuffle=False, verbose=0,
                        callbacks=list(callbacks))
    train_correct = int(np.sum((model.predict(x)[:, 0] > 0.5) == y))
    test_correct = int(np.sum((model.predict(x_test)[:, 0] > 0.5) == y_test))
    costs = history.history["loss"]
    return Result(name, train_correct / len(y), test_correct / len(y_test), costs[-1], train_correct,
                  test_correct, costs)


MODELS = {
    "logistic regression": ([12288, 1], "zeros", 0.005, 2000),
    "two layers 12288-7-1": ([12288, 7, 1], "small", 0.0075, 2500),
    "four layers [12288, 20, 7, 5, 1]": ([12288, 20, 7, 5, 1], "scaled", 0.0075, 2500),
}


def load(path=None):
    """The cat data as the course prepares it: x / 255 flattened, float64; labels float64."""
    (x, y), (x_test, y_test) = rb.datasets.catvnoncat.load_data(path)
    prep = rb.datasets.catvnoncat.preprocess
    return (prep(x), y.astype(np.float64)), (prep(x_test), y_test.astype(np.float64))


def run(path=None, only=None, progress=True, out=print, data=None):
    """Re-run the table (or the ``only`` model) and print ours beside the published numbers (``data``: what
    :func:`load` returned, else it is loaded from ``path``)."""
    data = load(path) if data is None else data
    results = []
    for name, (sizes, init, lr, iterations) in MODELS.items():
        if only and only not in name:
            continue
        callbacks = [rb.training.ProgressBar(iterations, desc=name)] if progress else []
        results.append(train(name, sizes, init, lr, iterations, data, callbacks))
    out("")
    out(f"{'model':<36}{'train (ours / course)':>24}{'test (ours / course)':>24}{'final cost':>14}")
    for r in results:
        tr, te, cost = PUBLISHED[r.name]
        cost_text = f"{r.final_cost:.4f}" + (f" / {cost}" if cost else "")
        out(f"{r.name:<36}{r.train_accuracy:>11.1%} / {tr:<10.1%}{r.test_accuracy:>11.1%} / {te:<10.0%}{cost_text:>14}")
    return results
