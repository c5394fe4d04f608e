"""No gradient is ever rounded to integers: an integer source is a TypeError, for every primitive alike."""

import numpy as np
import pytest

import rosenblatt as rb
import rosenblatt.compat.tensorflow as tf
from rosenblatt.autodiff.primitives import PRIMITIVES
from rosenblatt.autodiff.tape import GradientTape

from .test_gradcheck import CASES

# every (case, input) pair: each primitive of the table gets an integer tensor in each of its input slots
SLOTS = [(case, i) for case in CASES for i in range(len(case[2]))]


def _run_with_integer_input(case, i, make):
    name, f, inputs, *_ = case
    args = [rb.constant(x) for x in inputs]
    source = make(np.rint(inputs[i] * 2).astype(np.int32))
    args[i] = source
    with GradientTape(persistent=True) as tape:
        tape.watch(source)
        with np.errstate(all="ignore"):
            try:
                out = f(*args)
            except (TypeError, ValueError):  # refusing an integer input outright is fine too
                return None, None, None
    return tape, out, source


@pytest.mark.parametrize("case,i", SLOTS, ids=[f"{c[0]}-{i}" for c, i in SLOTS])
@pytest.mark.parametrize("make", [rb.constant, lambda a: rb.Variable(a, trainable=True)], ids=["watched", "variable"])
def test_an_integer_source_is_a_type_error_never_a_truncated_gradient(case, i, make):
    tape, out, source = _run_with_integer_input(case, i, make)
    if tape is None:
        return
    with pytest.raises(TypeError, match=r"dtype int32.*floating-point.*dtype=tf\.float32"):
        tape.gradient(out, source)
    with pytest.raises(TypeError, match="source 1 has dtype int32"):  # in a list, it is named by its place
        tape.gradient(out, [rb.constant(1.0), source])


def test_every_primitive_is_tried_with_an_integer_input():
    assert set(PRIMITIVES) <= {case[0] for case, _ in SLOTS}


def test_the_issue_example():
    v = tf.range(-6, 7, 1)
    with tf.GradientTape() as tape:
        tape.watch(v)
        s = tf.math.sigmoid(v)
    with pytest.raises(TypeError, match="int32"):
        tape.gradient(s, v)
    # the fix the message gives works
    v = tf.range(-6, 7, 1, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(v)
        s = tf.math.sigmoid(v)
    g = tape.gradient(s, v)
    assert g.dtype == tf.float32 and float(g.numpy()[6]) == 0.25


def test_float_sources_through_integer_values_still_differentiate():
    # an integer operand (not a source) does not stop the float source's gradient
    x = rb.constant([1.0, 2.0])
    k = rb.constant([3, 4])
    with GradientTape() as tape:
        tape.watch(x)
        y = x * k
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [3.0, 4.0])


def test_the_cast_back_to_the_source_refuses_to_lose_values():
    source = rb.constant([1.0, 2.0])
    with pytest.raises(TypeError, match="complex128.*float32"):
        GradientTape._result(source, np.array([1 + 2j, 3 + 0j]), "none")
    assert GradientTape._result(source, np.array([1.5, 2.5]), "none").dtype == rb.float32  # float64 → float32: fine


def test_output_gradients_are_not_cast_with_a_loss():
    x = rb.constant([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 3.0
    with pytest.raises(TypeError, match="output_gradients of dtype complex128"):
        tape.gradient(y, x, output_gradients=np.array([1 + 1j, 1]))
    np.testing.assert_array_equal(tape.gradient(y, x, output_gradients=np.array([1, 2])).numpy(), [3.0, 6.0])
