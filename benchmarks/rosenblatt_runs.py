"""rosenblatt, used the two ways the lecture uses it: ``model.fit`` and a ``GradientTape`` loop.

The tape loop is the lecture's code, written as a user writes it::

    with rb.GradientTape() as tape:
        logits = model(x_batch, training=True)
        loss_value = loss_fn(y_batch, logits)
    grads = tape.gradient(loss_value, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))

The Rosenbrock workload is the cost-landscape page's work: Adam's ``apply_gradients`` on a float64
point of two numbers, after the analytic gradient (only the optimizer's steps are timed).
"""

from __future__ import annotations

import numpy as np

import rosenblatt as rb
from benchmarks.harness import MiniBatches, RosenbrockRunner
from benchmarks.numpy_runs import rosenbrock_gradient_floats


def build(w):
    """The workload's network, compiled, with its weights created."""
    layers = [rb.layers.Dense(units, activation="relu", dtype=w.dtype) for units in w.sizes[1:-1]]
    head = "sigmoid" if w.loss == "bce" else "softmax"
    layers.append(rb.layers.Dense(w.sizes[-1], activation=head, dtype=w.dtype))
    model = rb.Sequential(layers, seed=0)
    model.build((None, w.sizes[0]))
    optimizer = rb.optimizers.SGD(w.learning_rate) if w.optimizer == "sgd" else rb.optimizers.Adam(w.learning_rate)
    loss = "binary_crossentropy" if w.loss == "bce" else "sparse_categorical_crossentropy"
    model.compile(optimizer=optimizer, loss=loss)
    return model


class Fit:
    def __init__(self, w, data):
        self.w, self.data, self.model = w, data, build(w)
        self.rng = np.random.default_rng(1)

    def chunk(self):
        self.model.fit(self.data.x, self.data.y, batch_size=self.w.batch, epochs=self.w.epochs, verbose=0,
                       shuffle=True, seed=self.rng)


class Tape(MiniBatches):
    def __init__(self, w, data):
        self.w, self.x, self.y, self.model = w, data.x, data.y, build(w)
        self.loss_fn, self.optimizer = self.model.loss, self.model.optimizer
        self.rng = np.random.default_rng(1)

    def step(self, x, y):
        model = self.model
        with rb.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = self.loss_fn(y, logits)
        grads = tape.gradient(loss_value, model.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return float(loss_value)



def rosenbrock_gradient(W):
    """∇J at the point ``W`` (a float64 array of two numbers)."""
    return np.array(rosenbrock_gradient_floats(*W.tolist()))


class Rosenbrock(RosenbrockRunner):
    """The cost-landscape page's loop: the analytic gradient, then ``apply_gradients`` on the float64 point."""

    def steps(self, n):
        optimizer = rb.optimizers.Adam(self.w.learning_rate)
        W = np.array([-1.5, 2.0])
        for _ in range(n):
            optimizer.apply_gradients([(rosenbrock_gradient(W), W)])
        return W

    def gradients(self, n):
        W = np.array([-1.5, 2.0])
        for _ in range(n):
            rosenbrock_gradient(W)


def make_fit(w, data):
    return Rosenbrock(w) if w.kind == "rosenbrock" else Fit(w, data)


def make_tape(w, data):
    return None if w.kind == "rosenbrock" else Tape(w, data)


RUNNERS = {"rosenblatt fit": make_fit, "rosenblatt tape": make_tape}
