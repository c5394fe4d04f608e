"""Dataset: structures, dtypes, batch / map / filter / take / skip / repeat, lengths, the fast path."""

import types

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.data import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, TensorSpec


def values(ds):
    """Each element as plain Python values (lists), in the element's structure."""
    def plain(e):
        if isinstance(e, tuple):
            return tuple(plain(v) for v in e)
        if isinstance(e, dict):
            return {k: plain(v) for k, v in e.items()}
        assert isinstance(e, Tensor)
        return e.numpy().tolist()
    return [plain(e) for e in ds]


def test_the_lecture_code_runs_unchanged():
    rng = np.random.default_rng(0)
    train_set_x, train_set_y = rng.random((209, 12)), rng.integers(0, 2, 209)
    tf = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=Dataset))
    dataset = tf.data.Dataset.from_tensor_slices((train_set_x, train_set_y))
    dataset = dataset.shuffle(buffer_size=64).batch(32)
    seen = []
    for i in range(3):
        rows = []
        for step, (x, y) in enumerate(dataset):
            assert isinstance(x, Tensor) and isinstance(y, Tensor)
            assert x.dtype == np.float64 and y.dtype == train_set_y.dtype
            assert x.shape == (32 if step < 6 else 17, 12) and y.shape == x.shape[:1]
            rows.append(x.numpy())
        assert step == 6
        epoch = np.concatenate(rows)
        assert sorted(map(tuple, epoch)) == sorted(map(tuple, train_set_x))  # every example once per epoch
        seen.append(epoch)
    assert not np.array_equal(seen[0], seen[1])  # a new order each epoch


def test_single_tuple_triple_dict_and_nested_structures():
    x, y, w = np.arange(6.0).reshape(3, 2), np.array([0, 1, 0]), np.array([1.0, 0.5, 2.0])
    assert values(Dataset.from_tensor_slices(x)) == [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]
    assert values(Dataset.from_tensor_slices((x, y)))[1] == ([2.0, 3.0], 1)
    assert values(Dataset.from_tensor_slices((x, y, w)).batch(2))[1] == ([[4.0, 5.0]], [0], [2.0])
    as_dict = values(Dataset.from_tensor_slices({"features": x, "label": y}))
    assert as_dict[2] == {"features": [4.0, 5.0], "label": 0}
    nested = Dataset.from_tensor_slices(({"a": x, "b": y}, w)).batch(3)
    (first,) = values(nested)
    assert first == ({"a": x.tolist(), "b": y.tolist()}, w.tolist())


def test_dtypes_numpy_kept_python_lists_follow_tensorflow():
    for dtype in (np.float64, np.float32, np.float16, np.int64, np.uint8, np.bool_):
        x = np.ones((4, 3), dtype=dtype)
        ds = Dataset.from_tensor_slices(x)
        assert next(iter(ds)).dtype == dtype
        assert next(iter(ds.shuffle(4, seed=0).batch(2))).dtype == dtype
        assert ds.element_spec == TensorSpec((3,), np.dtype(dtype))
    assert next(iter(Dataset.from_tensor_slices([1.0, 2.0]))).dtype == np.float32
    assert next(iter(Dataset.from_tensor_slices([1, 2]))).dtype == np.int32
    assert next(iter(Dataset.from_tensor_slices(rb.constant([[1.0], [2.0]], dtype="float64")))).dtype == np.float64


def test_source_arrays_are_not_copied_and_batches_are_read_only_views():
    x = np.arange(10.0).reshape(5, 2)
    batch = next(Dataset.from_tensor_slices(x).batch(4)._batches_arrays())
    assert np.shares_memory(batch, x) and not batch.flags.writeable
    assert x.flags.writeable  # the caller's array is untouched


@pytest.mark.parametrize("n, b, drop", [(10, 3, False), (10, 3, True), (9, 3, False), (9, 3, True), (2, 5, False),
                                        (2, 5, True), (0, 4, False), (1, 1, False)])
def test_batch_sizes_and_remainder(n, b, drop):
    ds = Dataset.range(n).batch(b, drop_remainder=drop)
    sizes = [len(t) for t in ds]
    expected = [b] * (n // b) + ([] if drop or n % b == 0 else [n % b])
    assert sizes == expected and len(ds) == len(expected)
    assert int(ds.cardinality()) == len(expected)
    assert sum(values(ds), []) == list(range(sum(expected)))
    # the same through the generic (per-element) path, after a map
    generic = Dataset.range(n).map(lambda v: v).batch(b, drop_remainder=drop)
    assert values(generic) == values(ds)


def test_batch_element_spec_and_batches_of_batches():
    ds = Dataset.from_tensor_slices((np.zeros((7, 2)), np.zeros(7, dtype=np.int64)))
    assert ds.batch(3).element_spec == (TensorSpec((None, 2), np.dtype("float64")),
                                        TensorSpec((None,), np.dtype("int64")))
    assert ds.batch(3, drop_remainder=True).element_spec[0].shape == (3, 2)
    assert [t.shape for t in Dataset.range(8).batch(2).batch(2)] == [(2, 2), (2, 2)]
    with pytest.raises(ValueError, match="one shape to stack"):
        list(Dataset.range(5).batch(2).batch(3))


def test_map_before_batch_is_per_element_after_batch_per_batch():
    calls = []

    def f(x, y):
        calls.append(x.shape)
        return x * 2, y
    ds = Dataset.from_tensor_slices((np.arange(6.0), np.arange(6))).map(f).batch(4)
    assert values(ds) == [([0.0, 2.0, 4.0, 6.0], [0, 1, 2, 3]), ([8.0, 10.0], [4, 5])]
    assert calls == [()] * 6
    calls.clear()
    ds = Dataset.from_tensor_slices((np.arange(6.0), np.arange(6))).batch(4).map(f)
    assert values(ds)[1] == ([8.0, 10.0], [4, 5]) and calls == [(4,), (2,)]
    assert ds.element_spec == (TensorSpec((None,), np.dtype("float64")), TensorSpec((None,), np.dtype("int64")))


def test_map_structures_and_dtypes():
    ds = Dataset.from_tensor_slices({"a": np.arange(3.0), "b": np.arange(3)})
    out = ds.map(lambda d: {"sum": d["a"] + 1.0, "b": d["b"]})
    assert values(out) == [{"sum": 1.0, "b": 0}, {"sum": 2.0, "b": 1}, {"sum": 3.0, "b": 2}]
    assert values(Dataset.range(2).map(lambda v: [v, 0.5])) == [(0, 0.5), (1, 0.5)]
    assert next(iter(Dataset.range(2).map(lambda v: 0.5))).dtype == np.float32  # Python floats: float32
    with pytest.raises(ValueError, match="dtype"):
        list(Dataset.range(2).map(lambda v: "text"))


def test_take_skip_repeat_filter_and_cardinality():
    ds = Dataset.range(5)
    assert values(ds.take(2)) == [0, 1] and values(ds.take(9)) == [0, 1, 2, 3, 4] and values(ds.take(0)) == []
    assert values(ds.take(-1)) == values(ds) and values(ds.skip(-1)) == []
    assert values(ds.skip(3)) == [3, 4] and values(ds.skip(7)) == []
    assert values(ds.repeat(2)) == [0, 1, 2, 3, 4] * 2 and values(ds.repeat(0)) == []
    assert values(ds.repeat().take(7)) == [0, 1, 2, 3, 4, 0, 1]
    assert values(ds.repeat(2).batch(4)) == [[0, 1, 2, 3], [4, 0, 1, 2], [3, 4]]  # batches span passes
    assert values(ds.repeat(3).skip(4).take(3)) == [4, 0, 1]
    assert values(ds.batch(2).repeat(2)) == [[0, 1], [2, 3], [4]] * 2
    assert values(ds.batch(2).skip(1).take(1)) == [[2, 3]]
    assert values(ds.filter(lambda v: v > 2)) == [3, 4]
    assert values(Dataset.range(0).repeat()) == []  # empty forever is empty
    cases = {ds.take(3): 3, ds.skip(2): 3, ds.repeat(3): 15, ds.repeat(): INFINITE_CARDINALITY,
             ds.repeat().take(4): 4, ds.repeat().batch(2): INFINITE_CARDINALITY,
             ds.filter(lambda v: v > 1): UNKNOWN_CARDINALITY,
             ds.filter(lambda v: v > 1).take(2): UNKNOWN_CARDINALITY, ds.map(lambda v: v): 5, ds.shuffle(2): 5,
             Dataset.range(0).repeat(): 0, ds.prefetch(2): 5, ds.cache(): 5}
    for d, n in cases.items():
        assert int(d.cardinality()) == n, d


def test_len_of_infinite_or_unknown_is_a_type_error():
    with pytest.raises(TypeError, match="infinite"):
        len(Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(Dataset.range(3).filter(lambda v: v > 0))
    assert bool(Dataset.range(3).repeat())


def test_fast_path_yields_ndarrays_in_structure_and_matches_iteration():
    x, y = np.random.default_rng(1).random((50, 3)), np.arange(50)
    ds = Dataset.from_tensor_slices((x, y)).shuffle(20, seed=3, reshuffle_each_iteration=False).batch(8)
    arrays = list(ds._batches_arrays())
    assert all(isinstance(b, tuple) and all(type(a) is np.ndarray for a in b) for b in arrays)
    tensors = list(ds)
    assert all(np.array_equal(a, t.numpy()) for b, tb in zip(arrays, tensors) for a, t in zip(b, tb))
    reused = [tuple(a.copy() for a in b) for b in ds._batches_arrays(reuse_buffers=True)]
    assert all(np.array_equal(a, r) for b, rb in zip(arrays, reused) for a, r in zip(b, rb))
    assert [len(b[1]) for b in reused] == [8] * 6 + [2]
    d = next(Dataset.from_tensor_slices({"x": x}).batch(4)._batches_arrays())
    assert isinstance(d, dict) and d["x"].shape == (4, 3)
    assert list(Dataset.range(3).as_numpy_iterator()) == [0, 1, 2]


def test_reuse_buffers_writes_into_the_same_memory():
    x = np.arange(40.0).reshape(20, 2)
    batches = Dataset.from_tensor_slices(x).shuffle(20, seed=0).batch(6)._batches_arrays(reuse_buffers=True)
    first = next(batches)
    second = next(batches)
    assert np.shares_memory(first, second)


def test_repr_and_range():
    assert repr(Dataset.range(5).batch(2)) == "<BatchDataset cardinality=3>"
    assert repr(Dataset.range(5).repeat()) == "<RepeatDataset cardinality=infinite>"
    assert values(Dataset.range(1, 7, 2)) == [1, 3, 5]
