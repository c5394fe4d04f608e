"""Large Dense kernels are stored column-major (``layers.dense.COLUMN_MAJOR``): the same shape and values,
each column contiguous.  Everything that touches a kernel must give the numbers of a row-major one:
the products of the forward and backward pass, the optimizers (slots in the kernel's layout), packing,
saving and resuming, and the tape's gradients."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import optimizers as O
from rosenblatt.autodiff.gradcheck import check_gradients
from rosenblatt.layers.dense import COLUMN_MAJOR

N = COLUMN_MAJOR // 16 + 3  # inputs of a layer of 16 units: just over the threshold


def net(dtype="float64", seed=0, n=N):
    model = rb.Sequential([rb.layers.Dense(16, activation="relu", dtype=dtype),
                           rb.layers.Dense(1, activation="sigmoid", dtype=dtype)], seed=seed)
    model.build((None, n))
    return model


def test_large_kernels_are_column_major_with_the_initializers_values(monkeypatch):
    big, small = net(), net(n=COLUMN_MAJOR // 16 - 1)
    assert big.layers[0].kernel._value.flags.f_contiguous and not big.layers[0].kernel._value.flags.c_contiguous
    assert small.layers[0].kernel._value.flags.c_contiguous
    monkeypatch.setattr(rb.layers.dense, "COLUMN_MAJOR", 1 << 62)
    row = net()
    assert row.layers[0].kernel._value.flags.c_contiguous
    for a, b in zip(big.get_weights(), row.get_weights()):
        np.testing.assert_array_equal(a, b)
    values = [w._value for w in big.trainable_weights]  # still packed: views of the model's one buffer
    assert all(v.base is values[0].base for v in values)


def _train(model, x, y, steps, make=lambda: O.Adam(0.01)):
    model.compile(optimizer=make(), loss="binary_crossentropy")
    model.fit(x, y, batch_size=len(x), epochs=steps, verbose=0, shuffle=False)
    return model.get_weights()


@pytest.mark.parametrize("make", [lambda: O.Adam(0.01), lambda: O.SGD(0.1, momentum=0.9), lambda: O.RMSprop(0.01),
                                  lambda: O.Adam(0.01, clipnorm=0.5)], ids=["adam", "momentum", "rmsprop", "clipped"])
def test_training_matches_the_same_network_stored_row_major(make):
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(24, N)), (rng.random(24) < 0.5).astype(float)
    column, row = net(seed=3), net(seed=3)
    for w in row.trainable_weights:  # the reference: every weight row-major, in its own array
        w._value = np.ascontiguousarray(w._value)
    assert not column.layers[0].kernel._value.flags.c_contiguous and row.layers[0].kernel._value.flags.c_contiguous
    for a, b in zip(_train(column, x, y, 4, make), _train(row, x, y, 4, make)):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("grad_order", ["C", "F"])
def test_an_optimizer_updates_a_column_major_variable_as_a_row_major_one(grad_order):
    rng = np.random.default_rng(0)
    W = rng.normal(size=(300, 200)).astype(np.float32)
    WF = np.asfortranarray(W)
    a, b = O.Adam(0.01), O.Adam(0.01)
    for _ in range(4):
        g = rng.normal(size=W.shape).astype(np.float32)
        a.apply_gradients([(g, W)])
        b.apply_gradients([(np.asarray(g, order=grad_order), WF)])
    np.testing.assert_array_equal(W, WF)
    assert WF.flags.f_contiguous and b.get_slot(WF, "v").flags.f_contiguous
    np.testing.assert_array_equal(a.get_slot(W, "s"), b.get_slot(WF, "s"))


def test_save_load_and_resume_bit_for_bit(tmp_path):
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(16, N)), (rng.random(16) < 0.5).astype(float)
    straight, halves = net(seed=5), net(seed=5)
    _train(straight, x, y, 6)
    _train(halves, x, y, 3)
    halves.save(tmp_path / "half.npz")
    loaded = rb.models.load_model(tmp_path / "half.npz")
    assert not loaded.layers[0].kernel._value.flags.c_contiguous
    loaded.fit(x, y, batch_size=16, epochs=3, verbose=0, shuffle=False)
    for a, b in zip(straight.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_the_tape_returns_gradients_in_the_kernels_layout():
    model = net()
    x = np.random.default_rng(0).normal(size=(4, N))
    with rb.GradientTape() as tape:
        loss = rb.reduce_sum(model(x))
    g_kernel = tape.gradient(loss, model.trainable_weights)[0].numpy()
    # the same product by hand: ∂Σσ(relu(XW + b)v + c)/∂W = Xᵀ [(σ' v ᵀ) ⊙ (XW + b > 0)]
    W, b = model.layers[0].kernel.numpy(), model.layers[0].bias.numpy()
    v, c = model.layers[1].kernel.numpy(), model.layers[1].bias.numpy()
    z = x @ W + b
    a = np.maximum(z, 0) @ v + c
    s = 1 / (1 + np.exp(-a))
    expected = x.T @ ((s * (1 - s)) @ v.T * (z > 0))
    np.testing.assert_allclose(g_kernel, expected, rtol=1e-10, atol=1e-12)


def test_gradcheck_perturbs_a_column_major_input():
    W = np.asfortranarray(np.random.default_rng(0).normal(size=(3, 4)))
    x = np.random.default_rng(1).normal(size=(2, 3))
    assert check_gradients(lambda x, W: rb.reduce_sum(rb.math.tanh(rb.matmul(x, W))), x, W)
