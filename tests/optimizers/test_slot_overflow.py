"""No optimizer leaves inf in a weight or a slot: a running average of squares overflows alone.

In float32, s = ρ s + (1 − ρ) dW² is inf for |dW| > ~1.8e19 while W stays finite (the step dW / √s is
then small). Each optimizer must stop with a DivergenceError and keep W and every slot finite, on every
path: a lone small variable (Python floats), a group of small ones, a large one chunk by chunk.
"""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import optimizers

WITH_SQUARES = [optimizers.RMSprop, optimizers.Adagrad, optimizers.Nadam, optimizers.Adadelta, optimizers.Adam,
                optimizers.AdamW]


@pytest.mark.parametrize("n", [2, 300, 40_000])
@pytest.mark.parametrize("cls", WITH_SQUARES, ids=lambda c: c.__name__)
def test_an_overflowing_slot_stops_the_step_and_stays_finite(cls, n):
    W = rb.Variable(np.ones(n, np.float32))
    other = rb.Variable(np.ones((3, 2), np.float32))  # a second small variable: the group path
    opt = cls(1e-3)
    opt.apply_gradients([(np.ones(n, np.float32), W), (np.ones((3, 2), np.float32), other)])
    with pytest.raises(optimizers.DivergenceError):
        opt.apply_gradients([(np.full(n, 1e20, np.float32), W), (np.ones((3, 2), np.float32), other)])
    assert np.isfinite(W.numpy()).all() and np.isfinite(other.numpy()).all()
    for key, value in opt.get_state().items():
        if isinstance(value, np.ndarray):
            assert np.isfinite(value).all(), key


@pytest.mark.parametrize("cls", WITH_SQUARES, ids=lambda c: c.__name__)
def test_a_lone_float32_point_refuses_numbers_beyond_its_range(cls):
    W = rb.Variable(np.ones(2, np.float32))
    opt = cls(1e-3)
    with pytest.raises(optimizers.DivergenceError):
        opt.apply_gradients([(np.full(2, 1e20, np.float32), W)])
    assert np.isfinite(W.numpy()).all()
    assert all(np.isfinite(v).all() for v in opt.get_state().values() if isinstance(v, np.ndarray))
