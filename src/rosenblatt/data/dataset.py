"""``Dataset``: an input pipeline with ``tf.data``'s names: slice, shuffle, batch, map, repeat.

A dataset is a sequence of *elements*, each one tensor or a tuple / dict of them.  Methods return a
new dataset and never change the old one; iterating gives :class:`~rosenblatt.Tensor` objects in the
element's structure::

    dataset = Dataset.from_tensor_slices((train_set_x, train_set_y))
    dataset = dataset.shuffle(buffer_size=64).batch(32)
    for step, (x, y) in enumerate(dataset):   # x: (32, ...) tensor, y: (32,) tensor
        ...

The mini-batch of the lecture, with :math:`m` examples and batch size :math:`b` (:math:`1 \\le b \\le m`):
one pass yields :math:`\\lceil m / b \\rceil` batches, the last one of :math:`m \\bmod b` examples unless
``drop_remainder=True``.

**Speed.** A dataset built from arrays is iterated by row indices (see :mod:`rosenblatt.data.indices`):
each pass computes one order of the rows with NumPy, and each batch is a single slice or fancy index
``x[idx]`` of the source arrays, never an element-by-element loop and never a copy of the whole data.
The training loop reads batches through :meth:`Dataset._batches_arrays`, which skips the Tensor wrapping.

>>> import numpy as np
>>> x = np.arange(10, dtype=np.float64).reshape(5, 2)
>>> y = np.array([0, 1, 0, 1, 1])
>>> ds = Dataset.from_tensor_slices((x, y)).shuffle(buffer_size=5, seed=0).batch(2)
>>> len(ds), [tuple(b.shape) for b, _ in ds]
(3, [(2, 2), (2, 2), (1, 2)])
>>> xb, yb = next(iter(ds))
>>> xb.dtype, yb.dtype
(dtype('float64'), dtype('int64'))
"""

from __future__ import annotations

import numbers

import numpy as np

from rosenblatt.autodiff.tensor import Tensor
from rosenblatt.data import indices, structure

INFINITE_CARDINALITY = -1
"""``cardinality()`` of an endless dataset (``repeat()``), as ``tf.data.INFINITE_CARDINALITY``."""
UNKNOWN_CARDINALITY = -2
"""``cardinality()`` when the length cannot be known without iterating (``filter``)."""
AUTOTUNE = -1
"""Accepted wherever TensorFlow takes ``tf.data.AUTOTUNE``; this library runs in one thread."""


def _count(value, name, caller, minimum, minus_one=False, allow_none=False):
    """``value`` as an int ≥ ``minimum`` (or ``-1``, "all", where allowed), else a ValueError."""
    if value is None and allow_none:
        return -1
    if isinstance(getattr(value, "_value", None), np.ndarray) and value.ndim == 0:
        value = value._value.item()  # a scalar Tensor
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and (
            value >= minimum or (minus_one and value == -1)):
        return int(value)
    expected = f"an int ≥ {minimum}" + (" or -1" if minus_one else "") + (" or None" if allow_none else "")
    raise ValueError(f"{caller}: {name} must be {expected}; got {value!r}")


class Dataset:
    """A sequence of elements (tensors, or tuples / dicts of tensors) with ``tf.data``'s methods.

    Build one with :meth:`from_tensor_slices` or :meth:`range`; every method returns a new dataset.
    Subclasses (in :mod:`~rosenblatt.data.transforms` and :mod:`~rosenblatt.data.selection`) define
    ``_spec`` (the element structure) and either ``_elements()`` (elements as flat lists of ndarrays)
    or, when each element is a row of the arrays in ``_source``, ``_index_chunks()`` (the row indices
    of one pass).
    """

    _source = None  # the flat list of source arrays, when elements are rows of them

    # -- what each kind of dataset defines ---------------------------------------------------
    def _elements(self):
        """One pass: each element as a flat list of ndarrays (the leaves of ``_spec``)."""
        return indices.rows(self._source, self._index_chunks())

    def _index_chunks(self):
        """One pass as a stream of row-index chunks (``range`` or int64 arrays) into ``_source``."""
        raise NotImplementedError

    def _cardinality(self) -> int:
        raise NotImplementedError

    def _leaf_specs(self) -> list:
        raise NotImplementedError

    # -- building ---------------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None) -> "Dataset":
        """A dataset whose elements are the slices of ``tensors`` along their first axis.

        Args:
            tensors: an array (or Tensor, or nested list), a tuple such as ``(x, y)`` or
                ``(x, y, sample_weight)``, or a dict such as ``{"image": x, "label": y}``; tuples
                and dicts may nest.  Every component needs the same length ``m`` on axis 0.
            name: accepted for TensorFlow compatibility; unused.

        NumPy arrays keep their dtype and are *not copied* (do not change them while a dataset
        uses them); Python floats become ``float32`` and ints ``int32``, as in TensorFlow.

        Raises:
            ValueError: a component that is not numeric, a scalar, a ragged list, or components
                of different lengths.

        >>> ds = Dataset.from_tensor_slices({"a": [1.0, 2.0], "b": np.array([[1, 2], [3, 4]])})
        >>> [{k: v.numpy().tolist() for k, v in e.items()} for e in ds]
        [{'a': 1.0, 'b': [1, 2]}, {'a': 2.0, 'b': [3, 4]}]
        >>> Dataset.from_tensor_slices(np.zeros(3)).element_spec
        TensorSpec(shape=(), dtype=dtype('float64'), name=None)
        """
        return transforms.TensorSliceDataset(tensors)

    @staticmethod
    def range(start, stop=None, step=1, dtype=np.int64, name=None) -> "Dataset":
        """The integers ``start, start + step, …`` below ``stop``, as ``tf.data.Dataset.range``.

        >>> [int(t) for t in Dataset.range(2, 8, 2)]
        [2, 4, 6]
        """
        if stop is None:
            start, stop = 0, start
        return Dataset.from_tensor_slices(np.arange(start, stop, step, dtype=dtype))

    # -- transformations ----------------------------------------------------------------------
    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None) -> "Dataset":
        """Shuffle with a buffer of ``buffer_size`` elements, as TensorFlow does.

        Each output is drawn uniformly from the buffer and replaced by the next input element, so
        an element moves at most ``buffer_size - 1`` places earlier; a buffer at least as long as the
        dataset gives a uniform permutation (see :mod:`rosenblatt.data.shuffling`).

        Args:
            buffer_size: elements held in the buffer (int ≥ 1).
            seed: ``None`` (fresh operating-system entropy), an int ≥ 0, or a
                ``numpy.random.Generator`` (asked once for a seed). Equal seeds give equal orders.
            reshuffle_each_iteration: draw a new order on each pass (default ``True``); pass ``k``
                uses ``numpy.random.default_rng((seed, k))``. ``False`` repeats the first order.

        >>> ds = Dataset.range(5).shuffle(5, seed=1)
        >>> a, b = [int(t) for t in ds], [int(t) for t in ds]
        >>> sorted(a) == sorted(b) == [0, 1, 2, 3, 4], a != b
        (True, True)
        """
        buffer_size = _count(buffer_size, "buffer_size", "shuffle", 1)
        return transforms.ShuffleDataset(self, buffer_size, seed, bool(reshuffle_each_iteration))

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None,
              name=None) -> "Dataset":
        """Group ``batch_size`` consecutive elements into one, stacking each component on a new axis 0.

        Args:
            batch_size: elements per batch (int ≥ 1).
            drop_remainder: drop a last batch smaller than ``batch_size`` (default ``False``).
            num_parallel_calls, deterministic: accepted for TensorFlow compatibility; unused.

        >>> [b.numpy().tolist() for b in Dataset.range(5).batch(2)]
        [[0, 1], [2, 3], [4]]
        >>> len(Dataset.range(5).batch(2, drop_remainder=True))
        2
        """
        batch_size = _count(batch_size, "batch_size", "batch", 1)
        return transforms.BatchDataset(self, batch_size, bool(drop_remainder))

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None) -> "Dataset":
        """Apply ``map_func`` to each element (to each batch, after ``batch``).

        A tuple element is passed as positional arguments, anything else as one argument, all as
        Tensors; the result may be a Tensor, an array, a number, or a tuple / dict of them.
        This runs Python once per element: map after ``batch`` where you can.

        >>> [t.numpy().tolist() for t in Dataset.range(4).batch(2).map(lambda x: x * 10)]
        [[0, 10], [20, 30]]
        >>> [int(b) for a, b in Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda a, b: (b, a))]
        [1, 2]
        """
        if not callable(map_func):
            raise ValueError(f"map: map_func must be callable; got {map_func!r}")
        return transforms.MapDataset(self, map_func)

    def filter(self, predicate, name=None) -> "Dataset":
        """Keep the elements for which ``predicate`` (called as in :meth:`map`) is true.

        >>> [int(t) for t in Dataset.range(6).filter(lambda x: x > 3)]
        [4, 5]
        """
        if not callable(predicate):
            raise ValueError(f"filter: predicate must be callable; got {predicate!r}")
        return transforms.FilterDataset(self, predicate)

    def take(self, count, name=None) -> "Dataset":
        """The first ``count`` elements (all of them for ``count=-1``).

        >>> [int(t) for t in Dataset.range(10).take(3)]
        [0, 1, 2]
        """
        return selection.TakeDataset(self, _count(count, "count", "take", 0, minus_one=True))

    def skip(self, count, name=None) -> "Dataset":
        """All but the first ``count`` elements (none of them for ``count=-1``).

        >>> [int(t) for t in Dataset.range(5).skip(3)]
        [3, 4]
        """
        return selection.SkipDataset(self, _count(count, "count", "skip", 0, minus_one=True))

    def repeat(self, count=None, name=None) -> "Dataset":
        """The dataset ``count`` times over, or endlessly for ``count=None`` or ``-1``.

        Each pass runs the pipeline again, so a shuffle before ``repeat`` gives a new order each pass.

        >>> [int(t) for t in Dataset.range(2).repeat(3)]
        [0, 1, 0, 1, 0, 1]
        >>> int(Dataset.range(2).repeat().cardinality()) == INFINITE_CARDINALITY
        True
        """
        count = _count(count, "count", "repeat", 0, minus_one=True, allow_none=True)
        return selection.RepeatDataset(self, count)

    def prefetch(self, buffer_size=AUTOTUNE, name=None) -> "Dataset":
        """Returns the dataset itself: accepted for TensorFlow compatibility (everything runs in one thread).

        >>> ds = Dataset.range(3)
        >>> ds.prefetch(AUTOTUNE) is ds
        True
        """
        _count(buffer_size, "buffer_size", "prefetch", 0, minus_one=True, allow_none=True)
        return self

    def cache(self, filename="", name=None) -> "Dataset":
        """Returns the dataset itself: arrays are already in memory (accepted for compatibility).

        >>> ds = Dataset.range(3)
        >>> ds.cache() is ds
        True
        """
        return self

    # -- reading -------------------------------------------------------------------------------
    def _elements_reusing_buffers(self):
        """Like ``_elements()``, but a batch may be written into the buffers of the previous one."""
        return self._elements()

    def _batches_arrays(self, reuse_buffers=False):
        """Iterate the elements as NumPy arrays, without wrapping them in Tensors: the training loop's path.

        Yields each element (each batch, after :meth:`batch`) in its structure: one ndarray,
        a tuple ``(x, y)`` / ``(x, y, w)`` of ndarrays, or a dict of them.  For a dataset built from
        arrays with ``shuffle``/``batch``/``take``/``skip``/``repeat`` every batch is a single slice
        (a read-only view) or fancy index of the source arrays.

        Args:
            reuse_buffers: when the last step is ``batch``, gather every shuffled batch into the same
                preallocated arrays (about twice as fast for large rows: no fresh memory per batch).
                Each batch is then *overwritten by the next*: only for a consumer, such as the
                training loop, that is done with a batch before it asks for the next one.

        >>> x, y = np.arange(6.0).reshape(3, 2), np.array([0, 1, 1])
        >>> [tuple(a.shape for a in b) for b in Dataset.from_tensor_slices((x, y)).batch(2)._batches_arrays()]
        [((2, 2), (2,)), ((1, 2), (1,))]
        """
        spec = None
        for leaves in (self._elements_reusing_buffers() if reuse_buffers else self._elements()):
            if spec is None:
                spec = self._spec
            yield structure.unflatten(spec, leaves)

    def __iter__(self):
        """Iterate the elements as :class:`~rosenblatt.Tensor` objects in the element's structure."""
        spec = None
        for leaves in self._elements():
            if spec is None:
                spec = self._spec
            yield structure.unflatten(spec, [Tensor(a) for a in leaves])

    def as_numpy_iterator(self):
        """Iterate the elements as NumPy arrays (read-only views where the batch is a slice).

        >>> list(Dataset.range(3).as_numpy_iterator())
        [array(0), array(1), array(2)]
        """
        return self._batches_arrays()

    def cardinality(self) -> Tensor:
        """The number of elements as a scalar int64 Tensor, or ``INFINITE_CARDINALITY`` (-1) /
        ``UNKNOWN_CARDINALITY`` (-2).

        >>> int(Dataset.range(7).batch(3).cardinality())
        3
        """
        return Tensor(np.int64(self._cardinality()))

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True  # a dataset is never "false", even when len() would fail

    @property
    def element_spec(self):
        """The :class:`~rosenblatt.data.structure.TensorSpec` of each component, in the element's structure.

        After :meth:`map` this runs the function once on the first element to find out.
        """
        return structure.unflatten(self._spec, self._leaf_specs())

    def __repr__(self):
        n = self._cardinality()
        size = {INFINITE_CARDINALITY: "infinite", UNKNOWN_CARDINALITY: "unknown"}.get(n, str(n))
        return f"<{type(self).__name__} cardinality={size}>"


# The kinds of dataset subclass Dataset, so they are imported once it exists.
from rosenblatt.data import selection, transforms  # noqa: E402
