"""Weights packed side by side in one buffer, and the optimizer's single update over them.

A built Sequential lays its trainable weights out in one buffer; an optimizer that sees all of them in
one ``apply_gradients`` updates the buffer at once.  The numbers must be exactly those of updating each
weight on its own, slots included.
"""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import optimizers as O


def net(dtype="float32", seed=0):
    return rb.Sequential([rb.layers.Dense(8, activation="relu", dtype=dtype),
                          rb.layers.Dense(1, activation="sigmoid", dtype=dtype)], seed=seed)


def packed(arrays):
    base = arrays[0].base
    at = arrays[0].__array_interface__["data"][0]
    for a in arrays:
        if a.base is not base or a.__array_interface__["data"][0] != at:
            return False
        at += a.nbytes
    return True


def test_build_packs_the_weights_without_changing_them():
    model = net()
    model.build((None, 3))
    loose = net()
    loose.build((None, 3))
    assert packed([w._value for w in model.trainable_weights])
    for a, b in zip(model.get_weights(), loose.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.add(rb.layers.Dense(2))  # a new layer: packed again, values kept
    assert packed([w._value for w in model.trainable_weights])
    for a, b in zip(model.get_weights(), loose.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make", [lambda: O.Adam(0.01), lambda: O.SGD(0.1, momentum=0.9), lambda: O.RMSprop(0.01),
                                  lambda: O.Adam(0.01, weight_decay=0.1), lambda: O.Nadam(0.01)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shapes", [[(3, 8), (8,), (8, 1), (1,)],
                                    [(200, 100), (100,), (100, 3), (3,)]])  # a large one is updated alone
def test_one_update_over_the_buffer_equals_one_per_weight(make, dtype, shapes):
    rng = np.random.default_rng(0)
    buffer = rng.normal(size=sum(int(np.prod(s)) for s in shapes)).astype(dtype)
    views, lo = [], 0
    for s in shapes:
        n = int(np.prod(s))
        views.append(buffer[lo:lo + n].reshape(s))
        lo += n
    loose = [v.copy() for v in views]
    a, b = make(), make()
    for _ in range(5):
        grads = [rng.normal(size=s).astype(dtype) for s in shapes]
        a.apply_gradients(zip(grads, views))
        b.apply_gradients(zip(grads, loose))
    for v, w in zip(views, loose):
        np.testing.assert_array_equal(v, w)
    sa, sb = a.get_state(), b.get_state()
    assert sa.keys() == sb.keys()
    for key in sa:
        np.testing.assert_array_equal(sa[key], sb[key])
    # one weight alone afterwards still sees its own slots
    g = rng.normal(size=shapes[0]).astype(dtype)
    a.apply_gradients([(g, views[0])])
    b.apply_gradients([(g, loose[0])])
    np.testing.assert_array_equal(views[0], loose[0])


def test_divergence_in_the_buffer_names_the_weight():
    buffer = np.ones(40)
    first, second = buffer[:20], buffer[20:]
    opt = O.SGD(1.0)
    bad = np.ones(20)
    bad[3] = np.nan
    with pytest.raises(O.DivergenceError, match="gradient that is not finite") as caught:
        opt.apply_gradients([(np.ones(20), first), (bad, second)])
    assert caught.value.variable == 1 and not caught.value.applied
    np.testing.assert_array_equal(buffer, 1.0)
    opt = O.SGD(1e300)
    with pytest.raises(O.DivergenceError, match="weight that is not finite") as caught:
        opt.apply_gradients([(np.ones(20), first), (np.full(20, 1e10), second)])
    assert caught.value.variable == 1 and caught.value.applied


def test_a_nan_in_a_large_weight_leaves_the_grouped_ones_alone():
    buffer = np.ones(20_000 + 10 + 10)
    big, a, b = buffer[:20_000], buffer[20_000:20_010], buffer[20_010:]
    bad = np.ones(20_000)
    bad[7] = np.nan
    opt = O.Adam(0.1)
    with pytest.raises(O.DivergenceError, match="gradient that is not finite") as caught:
        opt.apply_gradients([(bad, big), (np.ones(10), a), (np.ones(10), b)])
    assert caught.value.variable == 0 and not caught.value.applied
    np.testing.assert_array_equal(buffer, 1.0)


def test_fit_trains_a_packed_model_as_the_tape_loop_does():
    x, y = rb.data.points.make_circles(n_samples=64, seed=0)
    models = [net("float64", seed=1), net("float64", seed=1)]
    for m in models:
        m.compile(optimizer=O.Adam(0.01), loss="binary_crossentropy")
    models[0].fit(x, y, epochs=3, batch_size=64, verbose=0, shuffle=False)
    m = models[1]
    m.build((None, 2))
    for _ in range(3):
        with rb.GradientTape() as tape:
            loss = m.loss(y, m(x))
        grads = tape.gradient(loss, m.trainable_weights)
        m.optimizer.apply_gradients(zip(grads, m.trainable_weights))
    for a, b in zip(models[0].get_weights(), models[1].get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
