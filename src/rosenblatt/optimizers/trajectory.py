"""Run an optimizer on a function of a point: the path it takes over a cost landscape."""

from __future__ import annotations

import numpy as np

from .checks import DivergenceError


def trajectory(optimizer, gradient, start, steps, *, stop_on_divergence=False):
    """The points W_0 = ``start``, W_1, …, W_steps that ``optimizer`` visits, as a (steps + 1, n) array.

    Args:
        optimizer: a fresh optimizer (its state and ``iterations`` carry on if it is not).
        gradient: a function of the point (a float64 array) returning dJ/dW, an array of the same shape.
        start: the first point, e.g. ``(-1.5, 2.0)``.
        steps: the number of updates.
        stop_on_divergence: on a non-finite gradient or point, return the path so far instead of
            raising :class:`DivergenceError`. Default False.

    >>> from rosenblatt.optimizers import SGD
    >>> trajectory(SGD(learning_rate=0.25), lambda w: 2 * w, [1.0, -2.0], 3)   # J = ‖W‖²: halves
    array([[ 1.   , -2.   ],
           [ 0.5  , -1.   ],
           [ 0.25 , -0.5  ],
           [ 0.125, -0.25 ]])
    """
    W = np.array(start, dtype=np.float64)
    path = [W.copy()]
    for _ in range(steps):
        try:
            optimizer.apply_gradients([(gradient(W), W)])
        except DivergenceError:
            if not stop_on_divergence:
                raise
            break
        path.append(W.copy())
    return np.array(path)
