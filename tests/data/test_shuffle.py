"""shuffle: TensorFlow's buffer semantics, seeds, and a new order on each pass."""

import collections

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rosenblatt.data import Dataset
from rosenblatt.data.shuffling import buffer_shuffle, shuffled_order


def order(ds):
    return [int(t) for t in ds]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 60), buffer_size=st.integers(1, 80), seed=st.integers(0, 2**32))
def test_a_seeded_shuffle_is_a_repeatable_permutation_within_the_buffer_reach(n, buffer_size, seed):
    ds = Dataset.range(n).shuffle(buffer_size, seed=seed)
    out = order(ds)
    assert sorted(out) == list(range(n))
    assert out == order(Dataset.range(n).shuffle(buffer_size, seed=seed))  # same seed, same order
    # element i has entered the buffer by output position i - buffer_size + 1, and not before
    assert all(pos >= i - buffer_size + 1 for pos, i in enumerate(out))


def test_buffer_size_one_keeps_the_order():
    assert order(Dataset.range(50).shuffle(1, seed=0)) == list(range(50))
    assert list(buffer_shuffle(range(5), 1, np.random.default_rng(0))) == [0, 1, 2, 3, 4]


def test_a_full_buffer_gives_every_permutation_equally_often():
    ds = Dataset.range(4).shuffle(4, seed=0)  # reshuffles each pass: 2400 passes, 24 permutations
    counts = collections.Counter(tuple(order(ds)) for _ in range(2400))
    assert len(counts) == 24
    chi2 = sum((c - 100) ** 2 / 100 for c in counts.values())
    assert chi2 < 50  # 23 degrees of freedom: p ≈ 0.001


def test_a_small_buffer_has_tensorflows_distribution():
    # n = 3, buffer 2: the first output is 0 or 1 (1/2 each); the second is drawn from the rest of the
    # buffer plus element 2; so 2 never comes first and the four other orders have probability 1/4.
    ds = Dataset.range(3).shuffle(2, seed=1)
    counts = collections.Counter(tuple(order(ds)) for _ in range(4000))
    assert set(counts) == {(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0)}
    assert all(abs(c - 1000) < 120 for c in counts.values())


def test_a_small_buffer_keeps_elements_near_their_positions():
    n, buffer_size = 1000, 10
    out = np.array(order(Dataset.range(n).shuffle(buffer_size, seed=0)))
    ahead = out - np.arange(n)  # how much earlier than its input position each element came out
    assert ahead.max() <= buffer_size - 1  # never more than the buffer can hold
    assert np.mean(np.abs(ahead)) < 2 * buffer_size  # and rarely much later
    assert out.tolist() != list(range(n))


def test_each_pass_draws_a_new_order_from_the_seed_without_global_state():
    ds = Dataset.range(20).shuffle(20, seed=5)
    passes = [order(ds) for _ in range(3)]
    assert passes[0] != passes[1] != passes[2]
    np.random.seed(0)
    again = Dataset.range(20).shuffle(20, seed=5)
    np.random.seed(123)  # the global generator plays no part
    assert [order(again) for _ in range(3)] == passes
    fixed = Dataset.range(20).shuffle(20, seed=5, reshuffle_each_iteration=False)
    assert order(fixed) == order(fixed) == passes[0]
    assert order(Dataset.range(20).shuffle(20, seed=6)) != passes[0]


def test_unseeded_and_generator_seeds():
    a, b = Dataset.range(30).shuffle(30), Dataset.range(30).shuffle(30)
    assert order(a) != order(b)  # fresh entropy each (1 chance in 30! to fail)
    g1, g2 = np.random.default_rng(4), np.random.default_rng(4)
    assert order(Dataset.range(30).shuffle(30, seed=g1)) == order(Dataset.range(30).shuffle(30, seed=g2))


def test_repeat_after_shuffle_reshuffles_each_pass():
    out = order(Dataset.range(10).shuffle(10, seed=0).repeat(3))
    passes = [out[0:10], out[10:20], out[20:30]]
    assert all(sorted(p) == list(range(10)) for p in passes) and passes[0] != passes[1]
    fixed = order(Dataset.range(10).shuffle(10, seed=0, reshuffle_each_iteration=False).repeat(2))
    assert fixed[:10] == fixed[10:]


def test_shuffle_after_repeat_mixes_passes_in_a_stream():
    out = order(Dataset.range(10).repeat().shuffle(5, seed=0).take(100))
    # the first 100 outputs are drawn from the first 104 inputs, so each value appears 9 to 11 times
    assert len(out) == 100 and all(9 <= c <= 11 for c in collections.Counter(out).values())
    assert len(collections.Counter(out)) == 10 and out[:10] != list(range(10))


@pytest.mark.parametrize("buffer_size", [1, 4, 50])
def test_index_path_and_element_path_give_the_same_order(buffer_size):
    fast = Dataset.range(30).shuffle(buffer_size, seed=9)
    slow = Dataset.range(30).map(lambda v: v).shuffle(buffer_size, seed=9)  # per element, after map
    assert [order(fast) for _ in range(2)] == [order(slow) for _ in range(2)]


def test_shuffled_order_uses_a_permutation_for_a_full_buffer():
    rng_a, rng_b = np.random.default_rng(2), np.random.default_rng(2)
    assert shuffled_order(np.arange(10), 10, rng_a).tolist() == rng_b.permutation(10).tolist()


def test_shuffle_of_batches_moves_whole_batches():
    out = [t.numpy().tolist() for t in Dataset.range(12).batch(3).shuffle(4, seed=0)]
    assert sorted(out) == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
