"""The lecture's exponentially weighted averages, in place on arrays: the building block of Momentum,
RMSprop and Adam ("Adam = Momentum + RMSprop"), and the step that divides by their root.

    v = β v + (1 − β) x          (``average``: of the gradients, Momentum's v_dW)
    s = β s + (1 − β) x²         (``average_of_squares``: RMSprop's s_dW)
    W = W − η dW / (√s + ε)      (``root_scaled_step``: RMSprop's and Adagrad's update)

``tmp`` is a scratch array of the same shape, so no full-size temporary is allocated.  The outputs are
passed by position (NumPy parses that faster than ``out=``; the same call).

>>> import numpy as np
>>> v, tmp = np.zeros(2), np.empty(2)
>>> average(v, np.array([1.0, 2.0]), 0.9, 0.1, tmp)
>>> v
array([0.1, 0.2])
"""

import numpy as np


def average(v, x, β, one_β, tmp):
    """v ← β v + (1 − β) x, in place (``one_β`` is 1 − β, computed once by the caller)."""
    np.multiply(v, β, v)
    np.multiply(x, one_β, tmp)
    np.add(v, tmp, v)


def average_of_squares(s, x, β, one_β, tmp):
    """s ← β s + (1 − β) x², in place."""
    np.multiply(s, β, s)
    np.multiply(x, x, tmp)
    np.multiply(tmp, one_β, tmp)
    np.add(s, tmp, s)


def root_scaled_step(W, dW, s, ε, η, tmp):
    """W ← W − η dW / (√s + ε), in place (ε outside the root, as the lecture writes it)."""
    np.sqrt(s, out=tmp)
    np.add(tmp, ε, out=tmp)
    np.divide(dW, tmp, out=tmp)
    np.multiply(tmp, η, out=tmp)
    np.subtract(W, tmp, out=W)
