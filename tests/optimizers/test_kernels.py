"""The compiled Adam loop (numba, optional) against the NumPy calls it replaces: the same bits, the same
divergence check, and a way to turn it off; and the finiteness test both paths rely on."""

import os
import subprocess
import sys

import numpy as np
import pytest

import rosenblatt.optimizers as O
from rosenblatt.optimizers import kernels
from rosenblatt.optimizers.checks import DOT_MAX, finite

needs_numba = pytest.mark.skipif(kernels.get("adam") is None, reason="no compiled loop: numba is not installed "
                                 "(pip install -e \".[fast]\") or ROSENBLATT_KERNELS=numpy")


def _run(make, dtype, size, steps, compiled, monkeypatch):
    """``steps`` updates of one variable of ``size`` numbers, with or without the compiled loop."""
    with monkeypatch.context() as m:
        if not compiled:
            m.setitem(kernels._compiled, "adam", None)
        rng = np.random.default_rng(0)
        W = rng.standard_normal(size).astype(dtype)
        opt = make()
        for _ in range(steps):
            opt.apply_gradients([(rng.standard_normal(size).astype(dtype), W)])
        return W, opt.get_state()


@needs_numba
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [kernels.MIN_SIZE, 200_003])  # one chunk; several, the last one short
@pytest.mark.parametrize("make", [lambda: O.Adam(0.01), lambda: O.AdamW(0.01, weight_decay=0.1),
                                  lambda: O.Adam(O.schedules.ExponentialDecay(0.01, 3, 0.5))],
                         ids=["adam", "adamw", "scheduled"])
def test_the_loop_gives_the_bits_of_the_numpy_calls(make, dtype, size, monkeypatch):
    assert kernels.get("adam") is not None
    W, state = _run(make, dtype, size, 7, True, monkeypatch)
    W_numpy, state_numpy = _run(make, dtype, size, 7, False, monkeypatch)
    np.testing.assert_array_equal(W, W_numpy)
    assert W.dtype == dtype and state.keys() == state_numpy.keys()
    for key in state:
        np.testing.assert_array_equal(state[key], state_numpy[key])


@needs_numba
def test_the_loop_is_used_on_large_variables_only(monkeypatch):
    calls = []
    loop = kernels.get("adam")
    monkeypatch.setitem(kernels._compiled, "adam", lambda *args: calls.append(args[0].size) or loop(*args))
    opt = O.Adam()
    small, large = np.zeros(kernels.MIN_SIZE - 1, np.float32), np.zeros(kernels.MIN_SIZE, np.float32)
    opt.apply_gradients([(np.ones_like(small), small), (np.ones_like(large), large)])
    assert calls == [kernels.MIN_SIZE]
    np.testing.assert_allclose(large, -0.001, rtol=1e-6)  # the first Adam step moves every weight by η
    np.testing.assert_allclose(small, -0.001, rtol=1e-6)


@needs_numba
def test_a_weight_that_overflows_in_the_loop_is_caught():
    W = np.full(kernels.MIN_SIZE, 3e38, np.float32)
    opt = O.Adam(1e38)
    with pytest.raises(O.DivergenceError, match="weight or a slot that is not finite") as caught:
        opt.apply_gradients([(np.full_like(W, -1.0), W)])
    assert caught.value.applied and opt.iterations == 0


def test_the_environment_turns_the_loop_off():
    code = "from rosenblatt.optimizers import kernels; print(kernels.get('adam'))"
    env = {**os.environ, "ROSENBLATT_KERNELS": "numpy"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [5, DOT_MAX, DOT_MAX + 1, 300_000])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_finite_finds_one_bad_number_in_any_array(dtype, size, bad):
    x = np.random.default_rng(0).standard_normal(size).astype(dtype)
    assert finite(x)
    x[size // 2] = bad
    assert not finite(x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_finite_is_not_fooled_by_a_sum_that_overflows(dtype):
    x = np.full(DOT_MAX + 1, np.finfo(dtype).max / 2, dtype)  # its sum, and x · x, overflow
    with np.errstate(over="ignore"):
        assert finite(x)


def _overflowing_step(compiled, monkeypatch, lr, big):
    """Two float32 Adam steps on MIN_SIZE + 700 numbers, the first with a zero gradient (W unchanged); in
    the second the gradient is 0.5, and ``big`` from position 1,000 on, where W is 3e38: returns W, v, s
    before and after it, the DivergenceError and the optimizer."""
    with monkeypatch.context() as m:
        if not compiled:
            m.setitem(kernels._compiled, "adam", None)
        n = kernels.MIN_SIZE + 700
        W = np.linspace(-1, 1, n, dtype=np.float32)
        W[1_000:] = 3e38
        opt = O.Adam(lr)
        opt.apply_gradients([(np.zeros_like(W), W)])
        before = W.copy(), opt.get_slot(W, "v").copy(), opt.get_slot(W, "s").copy()
        grad = np.full_like(W, 0.5)
        grad[1_000:] = big
        with pytest.raises(O.DivergenceError, match="(weight|slot).* not finite") as caught:
            opt.apply_gradients([(grad, W)])
        return before, (W, opt.get_slot(W, "v"), opt.get_slot(W, "s")), caught.value, opt


@needs_numba
@pytest.mark.parametrize("lr, big", [(1e38, -0.5), (1e-3, 1e20)], ids=["W overflows", "only s overflows"])
def test_the_guarded_loop_writes_no_inf_and_says_where(lr, big, monkeypatch):
    """In float32, s = β2 s + (1 − β2) dW² overflows for |dW| > ~1.8e19 while W stays finite (v / √s = 0):
    the loop checks v, s and W, writes nothing of the block holding the first bad element or after it,
    and keeps the step before it (bit for bit the NumPy calls' numbers there)."""
    assert kernels.get("adam") is not None
    before, after, error, opt = _overflowing_step(True, monkeypatch, lr, big)
    assert error.applied and error.at == 1_000 and error.variable == 0 and opt.iterations == 1
    assert all(np.isfinite(a).all() for a in after)
    start = 1_000 - 1_000 % kernels.BLOCK  # the block holding element 1,000 and all after it: unchanged
    for b, a in zip(before, after):
        np.testing.assert_array_equal(a[start:], b[start:])
        assert (a[:start] != b[:start]).any()
    with monkeypatch.context() as m:  # the same step with the NumPy calls, where nothing overflows
        m.setitem(kernels._compiled, "adam", None)
        W = before[0].copy()
        W[1_000:] = 0
        numpy_opt = O.Adam(lr)
        numpy_opt.apply_gradients([(np.zeros_like(W), W)])
        numpy_opt.apply_gradients([(np.full_like(W, 0.5), W)])
    for a, n in zip(after, (W, numpy_opt.get_slot(W, "v"), numpy_opt.get_slot(W, "s"))):
        np.testing.assert_array_equal(a[:start], n[:start])


@pytest.mark.parametrize("lr, big", [(1e38, -0.5), (1e-3, 1e20)], ids=["W overflows", "only s overflows"])
def test_the_numpy_path_puts_the_chunk_back_on_overflow(lr, big, monkeypatch):
    before, after, error, opt = _overflowing_step(False, monkeypatch, lr, big)
    assert error.applied and error.at == 1_000 and "put back" in str(error) and opt.iterations == 1
    for b, a in zip(before, after):  # one chunk: all of it as it was
        np.testing.assert_array_equal(a, b)


@needs_numba
def test_without_check_finite_the_loop_writes_every_element(monkeypatch):
    W = np.ones(kernels.MIN_SIZE, np.float32)
    opt = O.Adam(1e-3, check_finite=False)
    opt.apply_gradients([(np.full_like(W, 1e20), W)])
    assert np.isinf(opt.get_slot(W, "s")).all() and np.isfinite(W).all()
