"""A cap on the numbers that building a model may allocate, so that loading a file cannot exhaust memory.

The loader of model files builds the model its file describes, then compares each weight with the file's
arrays.  A description is only text: ``Dense(300_000_000)`` is a few bytes.  Inside :func:`capped`,
``Layer.add_weight`` and ``Sequential.build`` call :func:`reserve` before they allocate, and a request
beyond the cap raises a ``ValueError`` naming what asked, before any memory is taken.  Outside it (ordinary use) :func:`reserve` does nothing.

>>> with capped(10):
...     reserve(6, "Dense 'a' kernel")
...     try:
...         reserve(6, "Dense 'b' kernel")
...     except ValueError as e:
...         print(e)
Dense 'b' kernel: 6 numbers would exceed the 10 that the file holds (4 left)
"""

from __future__ import annotations

import contextlib
import contextvars

_left: contextvars.ContextVar = contextvars.ContextVar("rosenblatt_allocation_left", default=None)


@contextlib.contextmanager
def capped(numbers: int):
    """Allow at most ``numbers`` numbers to be reserved inside the block (this thread/context only)."""
    token = _left.set([int(numbers), int(numbers)])
    try:
        yield
    finally:
        _left.reset(token)


def reserve(count: int, what: str):
    """Take ``count`` numbers from the cap, or raise ``ValueError`` if that would exceed it."""
    box = _left.get()
    if box is None:
        return
    if count > box[0]:
        raise ValueError(f"{what}: {count} numbers would exceed the {box[1]} that the file holds ({box[0]} left)")
    box[0] -= count
