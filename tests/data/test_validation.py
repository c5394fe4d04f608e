"""Bad input is refused at the boundary with a ValueError saying what was expected and what came."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.data import Dataset


@pytest.mark.parametrize("tensors, pattern", [
    (np.array(["a", "b"]), r"numeric arrays .* component the tensor has dtype <U1"),
    ((np.zeros(2), np.array([{}, {}], dtype=object)), r"numeric .* component \[1\] has dtype object"),
    ({"image": np.zeros(2), "name": ["x", "y"]}, r"component \['name'\] has dtype <U1"),
    (3.0, r"needs at least one dimension to slice, got a scalar"),
    ((np.zeros(3), 1), r"got a scalar \(component \[1\] = 1\)"),
    ([[1.0, 2.0], [3.0]], r"rectangular numeric arrays; component the tensor could not be converted"),
    ((), r"at least one array; got an empty structure \(\)"),
    ({}, r"at least one array"),
])
def test_from_tensor_slices_refuses_what_it_cannot_slice(tensors, pattern):
    with pytest.raises(ValueError, match=pattern):
        Dataset.from_tensor_slices(tensors)


def test_mismatched_lengths_name_both_lengths():
    with pytest.raises(ValueError, match=
            r"\[0\] has 209 \(shape \(209, 4\)\) but \[1\] has 208 \(shape \(208,\)\)"):
        Dataset.from_tensor_slices((np.zeros((209, 4)), np.zeros(208)))
    with pytest.raises(ValueError, match=r"\['x'\] has 3 .* \['y'\] has 2"):
        Dataset.from_tensor_slices({"x": np.zeros(3), "y": np.zeros(2)})
    # the course's labels of shape (1, m) get a hint
    with pytest.raises(ValueError, match=r"shape \(1, 5\) wants transposing \(\.T\)"):
        Dataset.from_tensor_slices((np.zeros((5, 2)), np.zeros((1, 5))))


def test_a_dataset_is_not_sliced_again():
    with pytest.raises(ValueError, match="got a Dataset"):
        Dataset.from_tensor_slices(Dataset.range(3))


@pytest.mark.parametrize("bad", [0, -1, -3, 2.5, "32", None, True, np.float64(4.0)])
def test_batch_size_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match=r"batch: batch_size must be an int ≥ 1; got " + repr(bad)[:2]):
        Dataset.range(4).batch(bad)


def test_batch_size_may_be_a_numpy_int_or_scalar_tensor():
    assert len(Dataset.range(4).batch(np.int64(2))) == 2
    assert len(Dataset.range(4).batch(rb.constant(2))) == 2


@pytest.mark.parametrize("bad", [0, -1, 1.5, None])
def test_buffer_size_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match=r"shuffle: buffer_size must be an int ≥ 1; got"):
        Dataset.range(4).shuffle(bad)


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True])
def test_seed_must_be_none_a_non_negative_int_or_a_generator(bad):
    with pytest.raises(ValueError, match=r"shuffle: seed must be None, a non-negative int or a numpy.random"):
        Dataset.range(4).shuffle(4, seed=bad)


@pytest.mark.parametrize("method, args, pattern", [
    ("take", (-2,), r"take: count must be an int ≥ 0 or -1; got -2"),
    ("skip", (1.0,), r"skip: count must be an int ≥ 0 or -1; got 1.0"),
    ("repeat", (-5,), r"repeat: count must be an int ≥ 0 or -1 or None; got -5"),
    ("prefetch", (-2,), r"prefetch: buffer_size must be an int ≥ 0 or -1 or None; got -2"),
    ("map", (3,), r"map: map_func must be callable; got 3"),
    ("filter", ("x",), r"filter: predicate must be callable; got 'x'"),
])
def test_other_arguments(method, args, pattern):
    with pytest.raises(ValueError, match=pattern):
        getattr(Dataset.range(4), method)(*args)


def test_map_over_an_empty_dataset_has_no_known_structure():
    with pytest.raises(ValueError, match="input dataset is empty"):
        Dataset.range(0).map(lambda v: v).element_spec
