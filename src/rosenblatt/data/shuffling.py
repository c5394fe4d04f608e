"""TensorFlow's shuffle buffer, and the seeds of each pass over the data.

``Dataset.shuffle(buffer_size)`` keeps a buffer of ``buffer_size`` elements. Each output is drawn
uniformly from the buffer and its place is taken by the next input element; once the input runs
out the buffer drains, still uniformly:

.. math::

    P(\\text{output } t = e) = \\frac{1}{|B_t|} \\quad \\text{for each } e \\in B_t,
    \\qquad B_{t+1} = B_t \\setminus \\{\\text{output } t\\} \\cup \\{\\text{input } t + \\text{buffer\\_size}\\}

So element ``i`` can come out no earlier than position ``i - buffer_size + 1``; ``buffer_size = 1``
keeps the order, and ``buffer_size`` of at least the data's length gives a uniform permutation
(which :func:`shuffled_order` then draws directly with ``rng.permutation``).

The seed of pass ``k`` is ``(seed, k)``: runs with one seed repeat exactly, and each pass differs.

>>> shuffled_order(np.arange(6), buffer_size=1, rng=np.random.default_rng(0))
array([0, 1, 2, 3, 4, 5])
>>> sorted(shuffled_order(np.arange(6), buffer_size=3, rng=pass_rng(7, 0)).tolist())
[0, 1, 2, 3, 4, 5]
"""

from __future__ import annotations

import numbers

import numpy as np

_DRAWS = 1024  # the most uniform numbers drawn from the generator at a time


def buffer_shuffle(items, buffer_size, rng):
    """Yield ``items`` (any iterable, possibly endless) in the order of a shuffle buffer.

    Args:
        items: the input elements, in order.
        buffer_size: how many elements the buffer holds (≥ 1).
        rng: a :class:`numpy.random.Generator`; the only source of randomness.

    >>> list(buffer_shuffle("abcd", 1, np.random.default_rng(0)))
    ['a', 'b', 'c', 'd']
    """
    it = iter(items)
    buffer = []
    for item in it:
        buffer.append(item)
        if len(buffer) == buffer_size:
            break
    draws, block = iter(()), 16
    for item in it:
        try:
            u = next(draws)
        except StopIteration:  # draw uniforms in growing blocks: cheap for short and long inputs
            block = min(2 * block, _DRAWS)
            draws = iter(rng.random(block).tolist())
            u = next(draws)
        j = int(u * buffer_size)
        yield buffer[j]
        buffer[j] = item
    # the input is exhausted: drain the buffer in uniformly random order
    for j in rng.permutation(len(buffer)).tolist():
        yield buffer[j]


def shuffled_order(order, buffer_size, rng):
    """The order of a finite index array after a shuffle buffer, as an int64 array.

    A buffer at least as long as ``order`` is a uniform permutation, drawn in one NumPy call;
    a smaller buffer is simulated index by index (a loop over Python ints, O(len(order))).

    >>> shuffled_order(np.arange(4), 10, np.random.default_rng(0)).shape
    (4,)
    """
    order = np.asarray(order, dtype=np.int64)
    if buffer_size >= len(order):
        return order[rng.permutation(len(order))]
    return np.fromiter(buffer_shuffle(order.tolist(), buffer_size, rng), dtype=np.int64, count=len(order))


def resolve_seed(seed, caller="shuffle"):
    """A fixed non-negative integer seed from ``seed``: an int, a Generator, or ``None``.

    ``None`` draws fresh entropy from the operating system (never NumPy's global state); a
    Generator is asked for one integer, so it advances once.

    >>> resolve_seed(3)
    3
    >>> isinstance(resolve_seed(None), int)
    True
    """
    if seed is None:
        return int(np.random.SeedSequence().entropy)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**63))
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and seed >= 0:
        return int(seed)
    raise ValueError(f"{caller}: seed must be None, a non-negative int or a numpy.random.Generator; "
                     f"got {seed!r}")


def pass_rng(seed, k):
    """The generator of pass ``k`` over the data with this ``seed``: ``default_rng((seed, k))``.

    >>> float(pass_rng(1, 0).random()) == float(pass_rng(1, 0).random())
    True
    """
    return np.random.default_rng((seed, k))
