"""Row indices: how a dataset built from arrays is iterated without copying them.

While a pipeline only picks, reorders and groups rows of its source arrays (``shuffle``, ``take``,
``skip``, ``repeat``, ``batch``), it passes *index chunks* instead of elements: a ``range`` for rows
in order, or an int64 array for rows in shuffled order.  A batch is then one NumPy call per source
array: a slice (a read-only view, no copy) for a ``range``, one fancy index ``x[idx]`` otherwise.

>>> x = np.arange(10) * 10
>>> gather([x], range(2, 5))
[array([20, 30, 40])]
>>> gather([x], np.array([7, 1]))
[array([70, 10])]
>>> concat([range(0, 2), range(2, 4)])
range(0, 4)
"""

from __future__ import annotations

import numpy as np


def as_array(chunk):
    """The chunk as an int64 array.

    >>> as_array(range(3))
    array([0, 1, 2])
    """
    if isinstance(chunk, range):
        return np.arange(chunk.start, chunk.stop, chunk.step, dtype=np.int64)
    return chunk


def concat(chunks):
    """One chunk holding the indices of ``chunks`` in order; consecutive ranges stay a range.

    >>> concat([range(0, 2), np.array([5])])
    array([0, 1, 5])
    """
    if len(chunks) == 1:
        return chunks[0]
    if all(isinstance(c, range) for c in chunks) and all(
            a.stop == b.start and a.step == b.step == 1 for a, b in zip(chunks, chunks[1:])):
        return range(chunks[0].start, chunks[-1].stop)
    return np.concatenate([as_array(c) for c in chunks])


def gather(source, chunk, out=None):
    """The rows ``chunk`` of each array in ``source``: views for a step-1 range, copies otherwise.

    With ``out`` (one buffer per source array, at least ``len(chunk)`` rows long) the copies are
    written into ``out[i][:len(chunk)]``, which saves allocating fresh memory for every batch.

    >>> buf = [np.empty(3, dtype=np.int64)]
    >>> gather([np.arange(5) * 10], np.array([4, 0]), out=buf)[0], buf[0][:2]
    (array([40,  0]), array([40,  0]))
    """
    if isinstance(chunk, range) and chunk.step == 1:
        views = []
        for leaf in source:
            view = leaf[chunk.start:chunk.stop]
            view.flags.writeable = False  # the view shares memory with the caller's array
            views.append(view)
        return views
    idx = as_array(chunk)
    if out is None:
        return [leaf[idx] for leaf in source]
    # mode="clip" lets NumPy write straight into out (the indices are valid by construction)
    return [np.take(leaf, idx, axis=0, out=buf[:len(idx)], mode="clip") for leaf, buf in zip(source, out)]


def rows(source, chunks):
    """Yield one element (a list with row ``i`` of each source array) per index in ``chunks``."""
    for chunk in chunks:
        for i in chunk:
            yield [leaf[i, ...] for leaf in source]


def batches(source, chunks, batch_size, drop_remainder, reuse_buffers=False):
    """Yield the batches of ``batch_size`` consecutive indices from the stream ``chunks``, gathered.

    A batch may span chunks (for example across ``repeat`` passes), as in TensorFlow.  With
    ``reuse_buffers`` every gathered (not sliced) batch is written into the same buffers, so each
    batch is overwritten by the next: only for a consumer that is done with a batch before the next.

    >>> [b[0].tolist() for b in batches([np.arange(5)], [range(0, 5)], 2, False)]
    [[0, 1], [2, 3], [4]]
    """
    out = None

    def take(pending):
        nonlocal out
        chunk = concat(pending)
        if reuse_buffers and not isinstance(chunk, range) and (out is None or len(out[0]) < len(chunk)):
            out = [np.empty((len(chunk),) + leaf.shape[1:], dtype=leaf.dtype) for leaf in source]
        return gather(source, chunk, out)

    pending, count = [], 0
    for chunk in chunks:
        while len(chunk):
            head, chunk = chunk[:batch_size - count], chunk[batch_size - count:]
            pending.append(head)
            count += len(head)
            if count == batch_size:
                yield take(pending)
                pending, count = [], 0
    if count and not drop_remainder:
        yield take(pending)
