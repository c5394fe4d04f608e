"""The lecture's mini-batch slide: logistic regression on two weights, with batch size 1, m or in between.

The model is ŷ = σ(w1 x1 + w2 x2) (no bias, so that the two weights are the whole parameter and their
path can be drawn on the true cost's contour map) on the built-in two Gaussian clouds
(:func:`rosenblatt.data.points.make_blobs`, noise 1.2, overlapping, so the cost has a finite minimum):

    J(w) = (1/m) Σ_i [log(1 + e^{z_i}) − y_i z_i],   z_i = w · x^(i)

Each iteration takes the next mini-batch of a fresh, seeded shuffle of the m points per epoch, its gradient
from :class:`~rosenblatt.GradientTape` and its update from the chosen optimizer of the library.
Batch size m is batch gradient descent (smooth), 1 is stochastic gradient descent (noisy).

>>> out = run(batch_size=200, learning_rate=0.5, iterations=3)
>>> len(out["path"]), bool(np.allclose(out["batch_cost"], out["cost"]))   # full batch: batch cost = cost
(4, True)
"""

from __future__ import annotations

import numpy as np

import rosenblatt as rb

from .runs import build

SAMPLES = 200
WINDOW = (-2.0, 3.0, -2.0, 3.0)
START = (-1.5, 2.5)
LEARNING_RATES = {"small": 0.05, "medium": 0.5, "large": 2.0}
BATCH_SIZES = {"stochastic": 1, "mini-batch": 16, "batch": SAMPLES}


def data(seed=0):
    """The m = 200 points (x of shape (200, 2), y of shape (200,) in {0, 1}) the view trains on."""
    x, y = rb.data.points.make_blobs(SAMPLES, noise=1.2, seed=seed)
    return x, y.astype(np.float64)


def _cost(x, y, w):
    z = rb.matmul(x, w)
    return rb.reduce_mean(rb.nn.sigmoid_cross_entropy_with_logits(y, z))


def true_cost(W1, W2, x, y):
    """J at every point of the arrays W1, W2 (one shape), from the whole data set, float64."""
    Z = x[:, :1, None] * np.ravel(W1)[None, :] + x[:, 1:, None] * np.ravel(W2)[None, :]   # (m, 1, n)
    return np.mean(np.logaddexp(0.0, Z) - y[:, None, None] * Z, axis=(0, 1)).reshape(np.shape(W1))


def run(batch_size=SAMPLES, learning_rate=0.5, iterations=200, optimizer="gd", seed=0, start=START):
    """The path of (w1, w2), the cost of each iteration's mini-batch and the true cost, per iteration."""
    x, y = data()
    rng = np.random.default_rng(seed)
    opt = build({"name": optimizer, "learning_rate": learning_rate})
    W = np.array(start, dtype=np.float64)
    path, batch_cost = [W.tolist()], []
    order, position = rng.permutation(SAMPLES), 0
    for _ in range(iterations):
        if position + batch_size > SAMPLES:  # a new epoch: a new shuffle (the last short batch is dropped)
            order, position = rng.permutation(SAMPLES), 0
        take = order[position:position + batch_size]
        position += batch_size
        w = rb.Variable(W)
        with np.errstate(all="ignore"):
            with rb.GradientTape() as tape:
                J = _cost(x[take], y[take], w)
            dW = tape.gradient(J, w)
        batch_cost.append(float(J.numpy()))
        try:
            opt.apply_gradients([(dW, W)])
        except rb.optimizers.DivergenceError:
            break
        path.append(W.tolist())
    P = np.array(path)
    cost = true_cost(P[:, 0], P[:, 1], x, y)
    return {"path": path, "batch_cost": batch_cost, "cost": cost[:-1].tolist(), "final_cost": float(cost[-1]),
            "batch_size": batch_size, "learning_rate": learning_rate, "iterations": len(batch_cost)}


def grid(n=121):
    x, y = data()
    xs, ys = np.linspace(WINDOW[0], WINDOW[1], n), np.linspace(WINDOW[2], WINDOW[3], n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, true_cost(X, Y, x, y)
