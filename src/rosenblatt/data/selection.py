"""``take``, ``skip`` and ``repeat``: which elements of the input, and how many passes over it.

They keep the input's kind: over rows of arrays they cut and repeat the index stream (so a following
``batch`` still gathers each batch at once), over anything else they cut and repeat the elements.

>>> from rosenblatt.data import Dataset
>>> [int(t) for t in Dataset.range(4).repeat(2).skip(3).take(3)]
[3, 0, 1]
"""

from __future__ import annotations

import itertools

from rosenblatt.data.dataset import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY
from rosenblatt.data.transforms import Transform


class TakeDataset(Transform):
    """``Dataset.take``: the first ``count`` elements (all for -1)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _index_chunks(self):
        if self._count == -1:
            yield from self._input._index_chunks()
            return
        left = self._count
        if left == 0:
            return
        for chunk in self._input._index_chunks():
            if len(chunk) >= left:
                yield chunk[:left]
                return
            yield chunk
            left -= len(chunk)

    def _stream(self):
        if self._count == -1:
            return self._input._elements()
        return itertools.islice(self._input._elements(), self._count)

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count == -1 or n == UNKNOWN_CARDINALITY:
            return n
        return self._count if n == INFINITE_CARDINALITY else min(n, self._count)


class SkipDataset(Transform):
    """``Dataset.skip``: all but the first ``count`` elements (none for -1)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _index_chunks(self):
        if self._count == -1:
            return
        left = self._count
        for chunk in self._input._index_chunks():
            if left >= len(chunk):
                left -= len(chunk)
                continue
            yield chunk[left:]
            left = 0

    def _stream(self):
        if self._count == -1:
            return iter(())
        return itertools.islice(self._input._elements(), self._count, None)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return 0 if self._count == -1 else max(n - self._count, 0)


class RepeatDataset(Transform):
    """``Dataset.repeat``: ``count`` passes over the input (endless for -1); each pass runs it anew."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _passes(self, one_pass):
        k = 0
        while self._count == -1 or k < self._count:
            empty = True
            for item in one_pass():
                empty = False
                yield item
            if empty:  # an empty input repeated forever is still empty
                return
            k += 1

    def _index_chunks(self):
        return self._passes(self._input._index_chunks)

    def _stream(self):
        return self._passes(self._input._elements)

    def _cardinality(self):
        n = self._input._cardinality()
        if n in (0, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY):
            return n
        return INFINITE_CARDINALITY if self._count == -1 else n * self._count
