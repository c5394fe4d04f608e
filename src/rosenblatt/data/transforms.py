"""The kinds of :class:`~rosenblatt.data.Dataset`, one small class per method that makes them.

Each class says what one pass yields in two ways where it can:

* ``_index_chunks()``: for datasets whose elements are rows of the source arrays (slices, and
  ``shuffle`` / ``take`` / ``skip`` / ``repeat`` of them): the row indices, in chunks;
* ``_elements()``: for everything else (after ``batch``, ``map``, ``filter``): each element as a flat
  list of ndarrays.  ``batch`` turns an index stream into batches with one gather per batch.

``take``, ``skip`` and ``repeat`` live in :mod:`rosenblatt.data.selection`.  These classes are built by
the methods of :class:`~rosenblatt.data.Dataset`, which validate the arguments; they trust what they get.

>>> from rosenblatt.data import Dataset
>>> type(Dataset.range(3).shuffle(3).batch(2)).__name__
'BatchDataset'
"""

from __future__ import annotations

import itertools

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.data import indices, structure
from rosenblatt.data.dataset import UNKNOWN_CARDINALITY, Dataset
from rosenblatt.data.shuffling import buffer_shuffle, pass_rng, resolve_seed, shuffled_order

_CHUNK = 4096  # indices per chunk when shuffling an endless stream


class TensorSliceDataset(Dataset):
    """The rows of one or more arrays: ``Dataset.from_tensor_slices``."""

    def __init__(self, tensors):
        if isinstance(tensors, Dataset):
            raise ValueError("from_tensor_slices expects arrays, a tuple or a dict of them; got a Dataset")
        leaves, self._spec = structure.flatten(tensors)
        if not leaves:
            raise ValueError(f"from_tensor_slices needs at least one array; got an empty structure {tensors!r}")
        names = structure.paths(self._spec)
        arrays = [structure.to_numeric_array(v, w, "from_tensor_slices") for v, w in zip(leaves, names)]
        for a, w in zip(arrays, names):
            if a.ndim == 0:
                raise ValueError(f"from_tensor_slices needs at least one dimension to slice, got a scalar "
                                 f"(component {w} = {a.item()!r}); expected an array of shape (m, ...)")
        for a, w in zip(arrays[1:], names[1:]):
            if len(a) != len(arrays[0]):
                hint = ""
                if a.shape == (1, len(arrays[0])):
                    hint = f"; a row vector of shape {a.shape} wants transposing (.T) or flattening (.ravel())"
                raise ValueError(f"from_tensor_slices needs the same length on axis 0 in every component; "
                                 f"{names[0]} has {len(arrays[0])} (shape {arrays[0].shape}) but {w} has "
                                 f"{len(a)} (shape {a.shape}){hint}")
        self._source = arrays

    def _index_chunks(self):
        if len(self._source[0]):
            yield range(0, len(self._source[0]))

    def _cardinality(self):
        return len(self._source[0])

    def _leaf_specs(self):
        return [structure.TensorSpec(a.shape[1:], a.dtype) for a in self._source]


class Transform(Dataset):
    """A dataset made from one input dataset; by default it keeps the input's structure."""

    def __init__(self, input_dataset):
        self._input = input_dataset

    @property
    def _source(self):
        return self._input._source

    @property
    def _spec(self):
        return self._input._spec

    def _leaf_specs(self):
        return self._input._leaf_specs()

    def _elements(self):
        if self._source is not None:
            return indices.rows(self._source, self._index_chunks())
        return self._stream()

    def _stream(self):
        """One pass over elements, for an input that is not rows of arrays."""
        raise NotImplementedError

    def _call(self, fn, leaves):
        """Call a user function on one element given as Tensors: a tuple as positional arguments."""
        args = structure.unflatten(self._input._spec, [Tensor(a) for a in leaves])
        return fn(*args) if isinstance(args, tuple) else fn(args)


class ShuffleDataset(Transform):
    """``Dataset.shuffle``: a buffer of ``buffer_size`` elements (see :mod:`rosenblatt.data.shuffling`)."""

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        self._buffer_size = buffer_size
        self._seed = resolve_seed(seed)
        self._reshuffle = reshuffle_each_iteration
        self._passes = 0

    def _rng(self):
        """The generator of the next pass: ``(seed, k)`` for pass k, or always pass 0."""
        k = self._passes if self._reshuffle else 0
        self._passes += 1
        return pass_rng(self._seed, k)

    def _index_chunks(self):
        rng = self._rng()
        if self._input._cardinality() >= 0:  # finite: the whole order in one chunk
            chunks = list(self._input._index_chunks())
            if chunks:
                yield shuffled_order(indices.as_array(indices.concat(chunks)), self._buffer_size, rng)
            return
        stream = buffer_shuffle(itertools.chain.from_iterable(self._input._index_chunks()), self._buffer_size, rng)
        while len(chunk := np.fromiter(itertools.islice(stream, _CHUNK), dtype=np.int64)):
            yield chunk

    def _stream(self):
        return buffer_shuffle(self._input._elements(), self._buffer_size, self._rng())

    def _cardinality(self):
        return self._input._cardinality()


class BatchDataset(Transform):
    """``Dataset.batch``: ``batch_size`` consecutive elements stacked on a new axis 0."""

    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._batch_size = batch_size
        self._drop_remainder = drop_remainder

    @property
    def _source(self):
        return None  # a batch is not a row of the source arrays

    def _elements_reusing_buffers(self):
        if self._input._source is None:
            return self._stream()
        return self._stream(reuse_buffers=True)

    def _stream(self, reuse_buffers=False):
        source = self._input._source
        if source is not None:  # the fast path: one slice or fancy index per batch
            yield from indices.batches(source, self._input._index_chunks(), self._batch_size,
                                       self._drop_remainder, reuse_buffers)
            return
        pending = []
        for leaves in self._input._elements():
            pending.append(leaves)
            if len(pending) == self._batch_size:
                yield structure.stack(pending, self._input._spec)
                pending = []
        if pending and not self._drop_remainder:
            yield structure.stack(pending, self._input._spec)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._batch_size if self._drop_remainder else -(-n // self._batch_size)

    def _leaf_specs(self):
        size = self._batch_size if self._drop_remainder else None
        return [structure.TensorSpec((size,) + tuple(s.shape), s.dtype) for s in self._input._leaf_specs()]


class MapDataset(Transform):
    """``Dataset.map``: a user function applied to each element (each batch, after ``batch``)."""

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._fn = map_func
        self._out_spec = None
        self._out_leaf_specs = None

    @property
    def _source(self):
        return None

    def _apply(self, leaves):
        result = self._call(self._fn, leaves)
        out, spec = structure.flatten(result, list_is_leaf=False)
        arrays = [structure.to_numeric_array(v, w, "map") for v, w in zip(out, structure.paths(spec))]
        if self._out_spec is None:
            self._out_spec = spec
            batched = [s.shape[:1] == (None,) for s in self._input._leaf_specs()]
            unknown_first = bool(batched) and all(batched)
            self._out_leaf_specs = [structure.TensorSpec(((None,) + a.shape[1:]) if unknown_first and a.ndim
                                                         else a.shape, a.dtype) for a in arrays]
        return arrays

    def _stream(self):
        return (self._apply(leaves) for leaves in self._input._elements())

    def _peek(self):
        """Run the function on the first element, to learn the structure of what it returns."""
        if self._out_spec is None:
            first = next(iter(self._input._elements()), None)
            if first is None:
                raise ValueError("map: the structure of the mapped elements is unknown, "
                                 "the input dataset is empty")
            self._apply(first)

    @property
    def _spec(self):
        self._peek()
        return self._out_spec

    def _leaf_specs(self):
        self._peek()
        return self._out_leaf_specs

    def _cardinality(self):
        return self._input._cardinality()


class FilterDataset(Transform):
    """``Dataset.filter``: the elements on which a predicate is true."""

    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._predicate = predicate

    @property
    def _source(self):
        return None

    def _stream(self):
        for leaves in self._input._elements():
            keep = self._call(self._predicate, leaves)
            if bool(np.asarray(getattr(keep, "_value", keep))):
                yield leaves

    def _cardinality(self):
        return 0 if self._input._cardinality() == 0 else UNKNOWN_CARDINALITY
