import numpy as np
import pytest

import rosenblatt as rb


def test_variables_are_watched_and_constants_are_not():
    w = rb.Variable(3.0)
    c = rb.constant(2.0)
    with rb.GradientTape() as tape:
        y = w * c
    gw, gc = tape.gradient(y, [w, c])
    assert float(gw) == 2.0 and gc is None


def test_watch_a_constant():
    c = rb.constant([1.0, 2.0])
    with rb.GradientTape() as tape:
        tape.watch(c)
        y = rb.reduce_sum(c * c)
    np.testing.assert_array_equal(tape.gradient(y, c).numpy(), [2.0, 4.0])


def test_unconnected_is_none_or_zero():
    a, b = rb.Variable(1.0), rb.Variable(2.0)
    with rb.GradientTape(persistent=True) as tape:
        y = a * 3.0
    assert tape.gradient(y, b) is None
    assert float(tape.gradient(y, b, unconnected_gradients="zero")) == 0.0


def test_non_trainable_variable_is_not_watched():
    v = rb.Variable(1.0, trainable=False)
    with rb.GradientTape() as tape:
        y = v * 2.0
    assert tape.gradient(y, v) is None


def test_dict_and_nested_sources_keep_their_structure():
    a, b = rb.Variable(1.0), rb.Variable(2.0)
    with rb.GradientTape() as tape:
        y = a * b
    g = tape.gradient(y, {"a": a, "rest": [b]})
    assert float(g["a"]) == 2.0 and float(g["rest"][0]) == 1.0


def test_second_call_on_non_persistent_tape_is_a_clear_error():
    w = rb.Variable(1.0)
    with rb.GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, w)


def test_persistent_tape_can_be_used_twice():
    w = rb.Variable(3.0)
    with rb.GradientTape(persistent=True) as tape:
        y = w * w
        z = y * w
    assert float(tape.gradient(y, w)) == 6.0
    assert float(tape.gradient(z, w)) == 27.0


def test_gradient_inside_the_block_as_the_lecture_does():
    values = rb.range(-6, 7, 1, dtype=rb.float32)
    with rb.GradientTape() as tape:
        tape.watch(values)
        s = rb.math.sigmoid(values)
        d = tape.gradient(s, values)
        after = s * 2.0  # recorded nowhere, and no error
    assert d.shape == (13,) and after.shape == (13,)


def test_long_chain_has_no_recursion_limit():
    x = rb.Variable(1.0, dtype="float64")
    with rb.GradientTape() as tape:
        y = x
        for _ in range(100_000):
            y = y * 1.0
    assert float(tape.gradient(y, x)) == 1.0


def test_gradient_accumulates_over_paths():
    x = rb.Variable(2.0)
    with rb.GradientTape() as tape:
        y = x * x + 3.0 * x  # 2x + 3
    assert float(tape.gradient(y, x)) == 7.0


def test_target_list_and_output_gradients():
    x = rb.Variable([1.0, 2.0])
    with rb.GradientTape(persistent=True) as tape:
        y1, y2 = x * 2.0, x * x
    np.testing.assert_array_equal(tape.gradient([y1, y2], x).numpy(), [4.0, 6.0])
    np.testing.assert_array_equal(tape.gradient(y2, x, output_gradients=rb.constant([1.0, 0.0])).numpy(), [2.0, 0.0])


def test_stop_recording_and_nested_tapes():
    x = rb.Variable(3.0)
    with rb.GradientTape() as outer:
        with rb.GradientTape() as inner:
            y = x * x
            with inner.stop_recording():
                z = y * 2.0
        assert float(inner.gradient(y, x)) == 6.0
    assert float(outer.gradient(z, x)) == 12.0


def test_integer_results_are_not_differentiated():
    x = rb.Variable(1.5)
    with rb.GradientTape() as tape:
        y = rb.cast(x, "int32")
    assert tape.gradient(y, x) is None


def test_gradient_dtype_follows_source():
    x = rb.Variable(np.ones(3, dtype=np.float64))
    with rb.GradientTape() as tape:
        y = rb.reduce_sum(x * np.float32(2.0))
    assert tape.gradient(y, x).dtype == np.float64


def test_bad_sources_and_targets():
    with rb.GradientTape() as tape:
        y = rb.Variable(1.0) * 2.0
    with pytest.raises(ValueError, match="sources must be tensors"):
        tape.gradient(y, [np.ones(2)])


def test_variable_views_do_not_change_when_the_variable_is_assigned():
    v = rb.Variable([1.0, 2.0])
    first = v[0]
    v.assign([5.0, 6.0])
    assert float(first) == 1.0


def test_assign_with_a_wrong_shape_names_both_shapes():
    v = rb.Variable(np.zeros((2, 3)), name="kernel")
    with pytest.raises(ValueError, match=r"kernel.*\(2, 3\).*\(4,\)"):
        v.assign(np.zeros(4))


def test_selective_primitives_give_the_same_gradients_whatever_else_is_watched():
    # dense, matmul and the losses on logits skip the gradients nobody asked for (∂J/∂X of a first layer)
    from rosenblatt.autodiff.ops import apply

    rng = np.random.default_rng(0)
    x = rb.constant(rng.normal(size=(5, 3)))
    w, b = rb.Variable(rng.normal(size=(3, 2))), rb.Variable(rng.normal(size=2))
    y = rng.uniform(size=(5, 2))
    results = []
    for watch_x in (False, True):
        with rb.GradientTape() as tape:
            if watch_x:
                tape.watch(x)
            z = apply("dense", x, w, b, activation="tanh") @ rb.constant(np.eye(2))
            loss = apply("sigmoid_cross_entropy_with_logits", z, y, mean=True)
        results.append(tape.gradient(loss, [w, b, x]))
    assert results[0][2] is None and results[1][2].shape == (5, 3)
    for g0, g1 in zip(results[0][:2], results[1][:2]):
        np.testing.assert_array_equal(g0.numpy(), g1.numpy())
