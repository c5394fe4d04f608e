"""The practical ceiling: the same training written out by hand in vectorised NumPy.

Forward z⁽ˡ⁾ = a⁽ˡ⁻¹⁾·W⁽ˡ⁾ + b⁽ˡ⁾, a⁽ˡ⁾ = max(z⁽ˡ⁾, 0); the loss from the last logits; backward
dz⁽ˡ⁾ = (dz⁽ˡ⁺¹⁾·W⁽ˡ⁺¹⁾ᵀ) ⊙ [a⁽ˡ⁾ > 0], dW⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ·dz⁽ˡ⁾, db⁽ˡ⁾ = Σ_rows dz⁽ˡ⁾; and Adam (or
gradient descent) in place on each array, as a careful person writes it with no library in between:
no tape, no layers, no checks.

>>> from benchmarks.workloads import TINY, make_data
>>> run = make(TINY, make_data(TINY))
>>> run.epoch() < 1.0     # the mean loss of one epoch
True
"""

from __future__ import annotations

import math

import numpy as np

from benchmarks.harness import MiniBatches, RosenbrockRunner

BETA_1, BETA_2, EPSILON = 0.9, 0.999, 1e-8


class MLP(MiniBatches):
    """A ReLU network with a sigmoid (binary cross-entropy) or softmax (sparse cross-entropy) head."""

    def __init__(self, w, data, seed=0):
        rng = np.random.default_rng(seed)
        dtype = np.dtype(w.dtype)
        self.w, self.x, self.y = w, data.x, data.y
        self.params = []
        for fan_in, fan_out in zip(w.sizes[:-1], w.sizes[1:]):
            limit = math.sqrt(6.0 / (fan_in + fan_out))  # Glorot uniform, as Keras and rosenblatt
            self.params += [rng.uniform(-limit, limit, (fan_in, fan_out)).astype(dtype), np.zeros(fan_out, dtype)]
        self.v = [np.zeros_like(p) for p in self.params]
        self.s = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.rng = np.random.default_rng(seed + 1)

    def step(self, x, y):
        """One forward/backward/update on a batch; returns the mean loss as a float."""
        params = self.params
        L = len(params) // 2
        m = len(x)
        activations = [x]
        a = x
        for l in range(L):
            z = a @ params[2 * l]
            z += params[2 * l + 1]
            a = np.maximum(z, 0, out=z) if l < L - 1 else z
            activations.append(a)
        z = activations[-1]
        if self.w.loss == "bce":
            e = np.exp(-np.abs(z))  # e^(−|z|) ≤ 1: no overflow, for the loss and for σ(z)
            loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(e))
            dz = np.where(z >= 0, 1.0, e) / (1.0 + e)
            dz -= y
        else:
            shifted = z - z.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            total = e.sum(axis=1, keepdims=True)
            rows = np.arange(m)
            loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])
            dz = e / total
            dz[rows, y] -= 1
        dz /= m
        grads = [None] * len(params)
        for l in reversed(range(L)):
            a_prev = activations[l]
            grads[2 * l] = a_prev.T @ dz
            grads[2 * l + 1] = dz.sum(axis=0)
            if l:
                dz = dz @ params[2 * l].T
                dz *= a_prev > 0
        self.update(grads)
        return float(loss)

    def update(self, grads):
        η = self.w.learning_rate
        if self.w.optimizer == "sgd":
            for p, g in zip(self.params, grads):
                g *= η
                p -= g
            return
        self.t += 1
        step = η / (1 - BETA_1**self.t)
        c2 = 1 - BETA_2**self.t
        for p, g, v, s in zip(self.params, grads, self.v, self.s):
            v *= BETA_1
            v += (1 - BETA_1) * g
            s *= BETA_2
            s += (1 - BETA_2) * (g * g)
            p -= step * v / (np.sqrt(s / c2) + EPSILON)



class Rosenbrock(RosenbrockRunner):
    """J(x, y) = (1 − x)² + 100 (y − x²)², Adam in Python floats on the two numbers."""

    def steps(self, n):
        point = [-1.5, 2.0]
        v = [0.0, 0.0]
        s = [0.0, 0.0]
        η = self.w.learning_rate
        for t in range(1, n + 1):
            g = rosenbrock_gradient_floats(*point)
            step = η / (1 - BETA_1**t)
            c2 = 1 - BETA_2**t
            for i in range(2):
                v[i] = BETA_1 * v[i] + (1 - BETA_1) * g[i]
                s[i] = BETA_2 * s[i] + (1 - BETA_2) * g[i] * g[i]
                point[i] -= step * v[i] / (math.sqrt(s[i] / c2) + EPSILON)
        return point

    def gradients(self, n):
        point = [-1.5, 2.0]
        for _ in range(n):
            rosenbrock_gradient_floats(*point)


def rosenbrock_gradient_floats(x, y):
    """∂J/∂x = −2(1 − x) − 400 x (y − x²),  ∂J/∂y = 200 (y − x²)."""
    r = y - x * x
    return -2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r


def make(w, data):
    if w.kind == "rosenbrock":
        return Rosenbrock(w)
    return MLP(w, data)


RUNNERS = {"numpy": make}
