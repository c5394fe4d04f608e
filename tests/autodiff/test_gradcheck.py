"""Every primitive in the table against central finite differences, in float64."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import rosenblatt as rb
from rosenblatt.autodiff.gradcheck import check_gradients
from rosenblatt.autodiff.ops import apply
from rosenblatt.autodiff.primitives import PRIMITIVES

rng = np.random.default_rng(0)


def r(*shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, shape)


def away_from_zero(*shape):
    x = r(*shape)
    return np.where(np.abs(x) < 0.2, 0.5, x)


# One or more checks per primitive: (name, f, inputs).  Shapes exercise broadcasting.
CASES = [
    ("add", lambda a, b: a + b, [r(3, 4), r(4)]),
    ("add", lambda a, b: a + b, [r(3, 1), r(1, 4)]),
    ("subtract", lambda a, b: a - b, [r(2, 3), r(2, 1)]),
    ("multiply", lambda a, b: a * b, [r(3, 4), r(3, 1)]),
    ("divide", lambda a, b: a / b, [r(3, 4), r(4, low=0.5, high=2.0)]),
    ("power", lambda a, b: a ** b, [r(3, 2, low=0.5, high=2.0), r(2, low=-1, high=2)]),
    ("power", lambda a: a ** 3, [r(4)]),
    ("matmul", lambda a, b: a @ b, [r(3, 4), r(4, 2)]),
    ("matmul", lambda a, b: a @ b, [r(2, 3, 4), r(4, 2)]),
    ("matmul", lambda a, b: a @ b, [r(4), r(4, 2)]),
    ("matmul", lambda a, b: a @ b, [r(3, 4), r(4)]),
    ("negative", lambda a: -a, [r(3)]),
    ("exp", rb.exp, [r(3, 2)]),
    ("log", rb.log, [r(3, 2, low=0.2, high=3)]),
    ("sqrt", rb.sqrt, [r(3, low=0.2, high=3)]),
    ("sin", rb.sin, [r(3, 2, low=-4, high=4)]),
    ("cos", rb.cos, [r(3, 2, low=-4, high=4)]),
    ("square", rb.square, [r(2, 3)]),
    ("abs", rb.abs, [away_from_zero(5)]),
    ("maximum", rb.maximum, [r(3, 4), r(4)]),
    ("minimum", rb.minimum, [r(3, 4), r(3, 1)]),
    ("where", lambda a, b: rb.where(np.array([True, False, True]), a, b), [r(2, 3), r(3)]),
    ("clip", lambda a: rb.clip_by_value(a, -1.0, 1.0), [np.array([-1.5, -0.5, 0.3, 1.7])]),
    # float32 has ~7 digits, so this one uses a large step (the function is linear)
    ("cast", lambda a: rb.cast(a, "float32") * 1.0, [r(3)], dict(eps=1e-2, rtol=1e-4)),
    ("reduce_sum", lambda a: rb.reduce_sum(a, axis=1), [r(3, 4)]),
    ("reduce_sum", lambda a: rb.reduce_sum(a, axis=(0, 2), keepdims=True) * np.arange(4.0)[:, None], [r(2, 4, 3)]),
    ("reduce_max", lambda a: rb.reduce_max(a, axis=0), [r(4, 3)]),
    ("reduce_max", lambda a: rb.reduce_max(a), [r(4, 3)]),
    ("reshape", lambda a: rb.reshape(a, (3, 4)) * np.arange(12.0).reshape(3, 4), [r(2, 6)]),
    ("transpose", lambda a: rb.transpose(a, (2, 0, 1)) * np.arange(24.0).reshape(4, 2, 3), [r(2, 3, 4)]),
    ("getitem", lambda a: a[1:, ::2] * 3.0, [r(3, 4)]),
    ("getitem", lambda a: a[np.array([0, 0, 2])] * np.arange(12.0).reshape(3, 4), [r(3, 4)]),
    ("concat", lambda a, b: rb.concat([a, b], axis=1) * np.arange(10.0).reshape(2, 5), [r(2, 3), r(2, 2)]),
    ("sigmoid", rb.activations.sigmoid, [r(5, low=-6, high=6)]),
    ("tanh", rb.activations.tanh, [r(5)]),
    ("relu", rb.activations.relu, [away_from_zero(6)]),
    ("leaky_relu", rb.activations.leaky_relu, [away_from_zero(6)]),
    ("elu", rb.activations.elu, [away_from_zero(6)]),
    ("softplus", rb.activations.softplus, [r(6)]),
    ("swish", rb.activations.swish, [r(6)]),
    ("gelu", rb.activations.gelu, [r(6)]),
    ("gelu", lambda a: rb.activations.gelu(a, approximate=True), [r(6)]),
    ("softmax", lambda a: rb.activations.softmax(a) * np.arange(4.0), [r(3, 4)]),
    # PReLU: α per unit, and α shared over axes (its gradient summed over the batch and the shared axes)
    ("prelu", lambda x, a: apply("prelu", x, a) * np.arange(1.0, 4.0), [away_from_zero(4, 3), r(3)]),
    ("prelu", lambda x, a: apply("prelu", x, a) * 1.5, [away_from_zero(2, 3, 4), r(1, 4)]),
    ("prelu", lambda x, a: apply("prelu", x, a), [away_from_zero(5, 2), r(1)]),
    ("log_softmax", lambda a: rb.activations.log_softmax(a) * np.arange(4.0), [r(3, 4)]),
    ("dense", lambda x, w, b: apply("dense", x, w, b, activation="tanh"), [r(5, 3), r(3, 2), r(2)]),
    ("dense", lambda x, w, b: apply("dense", x, w, b, activation="gelu"), [r(5, 3), r(3, 2), r(2)]),
    ("dense", lambda x, w: apply("dense", x, w, activation="linear"), [r(2, 5, 3), r(3, 2)]),
    ("dense_stack", lambda x, w1, b1, w2, b2, w3, b3: apply("dense_stack", x, w1, b1, w2, b2, w3, b3,
                                                             activations=("tanh", "elu", "linear")),
     [r(5, 3), r(3, 4), r(4), r(4, 2), r(2), r(2, 1), r(1)]),
    # convolution and pooling: every padding, strides, dilation, with and without bias (weights break symmetry)
    ("conv2d", lambda x, w, b: apply("conv2d", x, w, b, strides=(2, 1), padding="same", dilation=(1, 2))
     * np.arange(1.0, 25.0).reshape(1, 3, 4, 2), [r(1, 5, 4, 2), r(2, 3, 2, 2), r(2)]),
    ("conv2d", lambda x, w: apply("conv2d", x, w, strides=(1, 2), padding="valid") * 1.5, [r(2, 4, 5, 1), r(3, 2, 1, 2)]),
    ("conv2d", lambda x, w, b: apply("conv2d", x, w, b, padding="same", activation="tanh") * 1.5,
     [r(2, 4, 3, 3), r(2, 2, 3, 2), r(2)]),
    ("conv2d", lambda x, w, b: apply("conv2d", x, w, b, padding="same", dilation=(2, 1), activation="gelu") * 1.5,
     [r(1, 5, 4, 2), r(2, 3, 2, 2), r(2)]),
    # windows of 3·3·8 = 72 ≥ FOLD_BIAS_BELOW numbers: the bias added after the product (above: inside it); stride 1
    # "same" with a relu, the cat net's case (the kernel's centre writes ∂J/∂X, the others add)
    ("conv2d", lambda x, w, b: apply("conv2d", x, w, b, padding="same", activation="relu")
     * np.arange(1.0, 31.0).reshape(1, 3, 5, 2), [r(1, 3, 5, 8), r(3, 3, 8, 2), r(2)]),
    ("max_pool2d", lambda x: apply("max_pool2d", x, pool_size=(2, 3), strides=(1, 2), padding="same")
     * np.arange(1.0, 13.0).reshape(1, 4, 3, 1), [r(1, 4, 5, 1)]),
    ("max_pool2d", lambda x: apply("max_pool2d", x, pool_size=(2, 2), strides=(2, 2)), [r(2, 4, 4, 2)]),
    ("avg_pool2d", lambda x: apply("avg_pool2d", x, pool_size=(3, 2), strides=(2, 1), padding="same")
     * np.arange(1.0, 16.0).reshape(1, 3, 5, 1), [r(1, 5, 5, 1)]),
    ("avg_pool2d", lambda x: apply("avg_pool2d", x, pool_size=(2, 2), strides=(2, 2)) * np.arange(1.0, 5.0).reshape(1, 2, 2, 1),
     [r(1, 5, 4, 1)]),
    ("sigmoid_cross_entropy_with_logits",
     lambda z, y: apply("sigmoid_cross_entropy_with_logits", z, y), [r(4, 1, low=-5, high=5), r(4, 1, low=0, high=1)]),
    ("softmax_cross_entropy_with_logits",
     lambda z, y: apply("softmax_cross_entropy_with_logits", z, y), [r(3, 4), r(3, 4, low=0, high=1)]),
    ("sparse_softmax_cross_entropy_with_logits",
     lambda z: apply("sparse_softmax_cross_entropy_with_logits", z, np.array([0, 3, 1])), [r(3, 4)]),
    # the losses with the batch mean fused in (what Loss objects use for "sum_over_batch_size")
    ("sigmoid_cross_entropy_with_logits", lambda z, y: apply("sigmoid_cross_entropy_with_logits", z, y, mean=True),
     [r(4, 1, low=-5, high=5), r(4, 1, low=0, high=1)]),
    ("softmax_cross_entropy_with_logits", lambda z, y: apply("softmax_cross_entropy_with_logits", z, y, mean=True),
     [r(3, 4), r(3, 4, low=0, high=1)]),
    ("sparse_softmax_cross_entropy_with_logits",
     lambda z: apply("sparse_softmax_cross_entropy_with_logits", z, np.array([0, 3, 1]), mean=True), [r(3, 4)]),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_primitive_matches_finite_differences(case):
    name, f, inputs, *options = case
    assert check_gradients(f, *inputs, raise_error=True, **(options[0] if options else {}))


def test_every_primitive_has_a_gradient_check():
    assert set(PRIMITIVES) <= {c[0] for c in CASES}


@settings(max_examples=40, deadline=None)
@given(
    shape_a=st.lists(st.integers(1, 3), min_size=0, max_size=3),
    drop=st.lists(st.booleans(), min_size=3, max_size=3),
    op=st.sampled_from(["add", "subtract", "multiply", "divide", "maximum"]),
)
def test_broadcasting_gradients_have_input_shapes(shape_a, drop, op):
    # b takes a's shape with some axes set to 1 and leading axes removed: every broadcasting case
    shape_b = [1 if d else n for n, d in zip(shape_a, drop)][len(shape_a) // 2:]
    a = rng.uniform(0.5, 2.0, shape_a)
    b = rng.uniform(0.5, 2.0, shape_b) + 0.013  # keep maximum away from ties
    f = {"add": rb.add, "subtract": rb.subtract, "multiply": rb.multiply, "divide": rb.divide,
         "maximum": rb.maximum}[op]
    assert check_gradients(lambda x, y: f(x, y) * 1.7, a, b, raise_error=True)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 6),
    start=st.integers(-6, 5),
    stop=st.integers(-6, 6),
    step=st.sampled_from([1, 2, -1]),
    fancy=st.lists(st.integers(0, 1), min_size=1, max_size=4),
)
def test_indexing_gradients(n, start, stop, step, fancy):
    x = rng.normal(size=(n, 3))
    assert check_gradients(lambda a: a[start:stop:step] * 2.0, x, raise_error=True)
    idx = np.array(fancy) % n
    assert check_gradients(lambda a: a[idx, 1:] * 2.0, x, raise_error=True)
