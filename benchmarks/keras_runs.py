"""Keras 3 on TensorFlow (``pip install tensorflow-cpu``), when installed: ``model.fit`` as users call it.

The network is built from ``Dense`` layers with the workload's dtype, compiled with Keras's Adam (or SGD)
and its binary or sparse categorical cross-entropy; ``fit`` traces its train step once (the warm-up) and
runs it as a graph.  The Rosenbrock workload calls ``optimizer.apply_gradients`` eagerly with the same
analytic gradient as the others.  Skipped cleanly when TensorFlow is not importable.
"""

from __future__ import annotations

import os

import numpy as np

from benchmarks.harness import optimizer_seconds
from benchmarks.numpy_runs import rosenbrock_gradient_floats

_tf = None


def available() -> bool:
    return load() is not None


def load():
    """TensorFlow, imported once (quietly), or None."""
    global _tf
    if _tf is None:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")
        try:
            import tensorflow as tf
        except ImportError:
            _tf = False
        else:
            _tf = tf
    return _tf or None


def set_threads(n):
    tf = load()
    if tf is not None:
        try:
            tf.config.threading.set_intra_op_parallelism_threads(n)
            tf.config.threading.set_inter_op_parallelism_threads(n)
        except RuntimeError:  # already initialized: the threads were set before
            pass


def versions() -> dict:
    tf = load()
    if tf is None:
        return {}
    import keras

    return {"tensorflow": tf.__version__, "keras": keras.__version__}


def _optimizer(keras, w):
    if w.optimizer == "sgd":
        return keras.optimizers.SGD(learning_rate=w.learning_rate)
    return keras.optimizers.Adam(learning_rate=w.learning_rate)


class Fit:
    def __init__(self, w, data, seed=0):
        load()
        import keras

        keras.utils.set_random_seed(seed)
        layers = [keras.Input((w.sizes[0],), dtype=w.dtype)]
        layers += [keras.layers.Dense(u, activation="relu", dtype=w.dtype) for u in w.sizes[1:-1]]
        head = "sigmoid" if w.loss == "bce" else "softmax"
        layers.append(keras.layers.Dense(w.sizes[-1], activation=head, dtype=w.dtype))
        self.model = keras.Sequential(layers)
        loss = "binary_crossentropy" if w.loss == "bce" else "sparse_categorical_crossentropy"
        self.model.compile(optimizer=_optimizer(keras, w), loss=loss)
        self.w, self.data = w, data

    def chunk(self):
        self.model.fit(self.data.x, self.data.y, batch_size=self.w.batch, epochs=self.w.epochs, verbose=0,
                       shuffle=True)


class Rosenbrock:
    def __init__(self, w):
        tf = load()
        import keras

        self.tf, self.keras, self.w = tf, keras, w

    def chunk(self):
        """CPU seconds of the workload's ``apply_gradients`` calls: eagerly a step takes milliseconds, so a
        tenth of them are run (after one that builds the optimizer) and their time is multiplied by ten."""
        steps = max(self.w.epochs // 10, 1)
        return optimizer_seconds(self.steps, self.gradients, steps) * self.w.epochs / steps

    def steps(self, n, step=True):
        tf = self.tf
        point = tf.Variable(np.array([-1.5, 2.0]), dtype=tf.float64)
        opt = self.opt = _optimizer(self.keras, self.w)
        opt.build([point])
        for _ in range(n):
            x, y = point.numpy().tolist()
            g = tf.constant(rosenbrock_gradient_floats(x, y), dtype=tf.float64)
            if step:
                opt.apply_gradients([(g, point)])
        return point

    def gradients(self, n):
        self.steps(n, step=False)


def make(w, data):
    return Rosenbrock(w) if w.kind == "rosenbrock" else Fit(w, data)


RUNNERS = {"keras": make}
