"""``Perceptron``: Rosenblatt's 1958 perceptron, a step activation and his error-correction rule.

One neuron, ŷ = g(w0 + XᵀW) with the step g(z) = 1 if z ≥ 0 else 0, trained one example at a
time by Rosenblatt's rule: for each (x, y),

    ŷ = g(w0 + xᵀW),    W ← W + η (y − ŷ) x,    w0 ← w0 + η (y − ŷ).

Nothing changes when ŷ = y; a mistake moves the line towards the example.  On linearly separable
points the rule stops making mistakes after at most (R/γ)² updates (Novikoff, 1962), R the largest
‖(1, x)‖ and γ the margin of a separating line, whatever η > 0 (from w = 0).  On XOR no line
separates the classes, so it never stops: at most 3 of the 4 corners are right.  There is no
gradient: the step's slope is 0 almost everywhere, which is why the lecture replaces g by σ.

The lecture's worked example is the same neuron with g = σ: w0 = 1, W = [3, −2] and x = (−2, 2)
give z = 1 + 3·(−2) − 2·2 = −9 and ŷ = σ(−9) = 1/(1 + e⁹) = 0.000123394576 (the slide prints
0.00012338161, wrong in the fifth significant digit):

>>> import numpy as np
>>> import rosenblatt as rb
>>> p = Perceptron.from_weights(w0=1.0, W=[3.0, -2.0])
>>> z = p.decision_function([[-2.0, 2.0]])
>>> z
array([[-9.]])
>>> print(f"{float(rb.math.sigmoid(rb.constant(z, dtype=rb.float64))[0, 0]):.12f}")
0.000123394576
>>> print(f"{1 / (1 + np.exp(9)):.12f}")
0.000123394576
>>> p.predict([[-2.0, 2.0], [1.0, 0.0]])     # Rosenblatt's step: 1 on the side where z ≥ 0
array([[0.],
       [1.]])
"""

from __future__ import annotations

import numbers

import numpy as np


def step(z):
    """Rosenblatt's activation: 1.0 where z ≥ 0, else 0.0 (a NumPy function, not differentiable)."""
    return (np.asarray(z) >= 0).astype(np.float64)


class Perceptron:
    """Rosenblatt's perceptron on NumPy arrays, with ``fit`` / ``predict`` / ``evaluate`` like the other models.

    Args:
        learning_rate: η > 0 in W ← W + η (y − ŷ) x (default 1.0; from w = 0 the number of
            mistakes does not depend on η, only the scale of W does).
        shuffle: visit the examples in a new random order each epoch (default True).

    Attributes after ``fit``: ``W`` (n,), ``w0`` (a float), ``updates`` (the total number of
    corrections made), ``converged`` (an epoch went by without a mistake).

    >>> x = np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    >>> p = Perceptron()
    >>> history = p.fit(x, np.array([0, 0, 0, 1]), epochs=20, seed=0)     # AND: separable
    >>> p.converged, p.evaluate(x, np.array([0, 0, 0, 1]))
    (True, 1.0)
    >>> history = p.fit(x, np.array([0, 1, 1, 0]), epochs=50, seed=0)     # XOR: no line separates it
    >>> p.converged, p.evaluate(x, np.array([0, 1, 1, 0])) < 1
    (False, True)
    """

    def __init__(self, learning_rate=1.0, shuffle=True):
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or not 0 < learning_rate < np.inf:
            raise ValueError(f"Perceptron: learning_rate must be a finite number > 0, got {learning_rate!r}")
        self.learning_rate = float(learning_rate)
        self.shuffle = bool(shuffle)
        self.W = None
        self.w0 = 0.0
        self.updates = 0
        self.converged = False

    @classmethod
    def from_weights(cls, w0, W, **kwargs):
        """A perceptron with given weights (the lecture's ``w0`` and ``W``)."""
        p = cls(**kwargs)
        p.W = np.asarray(W, dtype=np.float64).reshape(-1)
        p.w0 = float(w0)
        return p

    # -- forward -----------------------------------------------------------------------------
    def _inputs(self, x, who):
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2:
            raise ValueError(f"Perceptron.{who}: x must be (m, n), one row per example; got shape {x.shape}")
        if self.W is not None and x.shape[1] != self.W.shape[0]:
            raise ValueError(f"Perceptron.{who}: expects {self.W.shape[0]} features, got x of shape {x.shape}")
        if not np.all(np.isfinite(x)):
            raise ValueError(f"Perceptron.{who}: x has NaN or infinite values")
        return x

    def decision_function(self, x):
        """z = w0 + X·W, shape (m, 1)."""
        self._check_built("decision_function")
        x = self._inputs(x, "decision_function")
        return (self.w0 + x @ self.W)[:, None]

    def predict(self, x):
        """ŷ = step(w0 + X·W) ∈ {0, 1}, shape (m, 1), float64 (as ``Sequential.predict``'s rows)."""
        return step(self.decision_function(x))

    def evaluate(self, x, y) -> float:
        """The fraction of examples classified right."""
        y = self._labels(y, len(np.asarray(x)), "evaluate")
        return float(np.mean(self.predict(x)[:, 0] == y))

    def _check_built(self, who):
        if self.W is None:
            raise ValueError(f"Perceptron.{who}: no weights yet; call fit(x, y) or Perceptron.from_weights first")

    @staticmethod
    def _labels(y, m, who):
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        if y.shape[0] != m:
            raise ValueError(f"Perceptron.{who}: x has {m} examples but y has {y.shape[0]} labels")
        if not np.all((y == 0) | (y == 1)):
            bad = float(y[(y != 0) & (y != 1)][0])
            raise ValueError(f"Perceptron.{who}: labels must be 0 or 1, got {bad:g}")
        return y

    # -- Rosenblatt's rule ----------------------------------------------------------------------
    def fit(self, x, y, epochs=100, seed=None, verbose=0):
        """Rosenblatt's rule, one example at a time, from W = 0, w0 = 0; stops after an epoch with no mistake.

        Args:
            x: (m, n) inputs; y: m labels in {0, 1}.
            epochs: the most passes over the data (default 100).
            seed: None, an int or a ``numpy.random.Generator``, for the order of the examples.
            verbose: 1 prints one line per epoch (default 0, silent).

        Returns:
            a :class:`~rosenblatt.training.History` with, per epoch, ``mistakes`` (corrections
            made), ``accuracy`` (after the epoch) and ``updates`` (the running total).
        """
        from rosenblatt.training.callbacks import History

        if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
            raise ValueError(f"Perceptron.fit: epochs must be an int ≥ 1, got {epochs!r}")
        self.W = None
        x = self._inputs(x, "fit")
        y = self._labels(y, len(x), "fit")
        rng = np.random.default_rng(seed)
        eta = self.learning_rate
        W, w0 = np.zeros(x.shape[1]), 0.0
        self.updates, self.converged = 0, False
        history = History()
        for epoch in range(int(epochs)):
            mistakes = 0
            order = rng.permutation(len(x)) if self.shuffle else range(len(x))
            for i in order:
                y_hat = 1.0 if w0 + x[i] @ W >= 0 else 0.0
                if y_hat != y[i]:
                    W = W + eta * (y[i] - y_hat) * x[i]
                    w0 = w0 + eta * (y[i] - y_hat)
                    mistakes += 1
            self.W, self.w0 = W, float(w0)
            self.updates += mistakes
            accuracy = float(np.mean(step(w0 + x @ W) == y))
            history.on_epoch_end(epoch, {"mistakes": mistakes, "accuracy": accuracy, "updates": self.updates})
            if verbose:
                print(f"epoch {epoch + 1}: {mistakes} mistakes, accuracy {accuracy:.1%}")
            if mistakes == 0:
                self.converged = True
                break
        return history

    def __repr__(self):
        if self.W is None:
            return f"Perceptron(learning_rate={self.learning_rate})"
        return f"Perceptron(w0={self.w0:.6g}, W={np.array2string(self.W, precision=6)})"
