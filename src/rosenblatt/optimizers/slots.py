"""One variable as an optimizer sees it: its array, its slots, and the views each update runs over.

Two ways through an update, chosen once per variable:

* float64 variables of at most ``SMALL`` numbers (the two-number point of the cost-landscape page) are
  read into Python floats through memoryviews and updated by the optimizer's ``_rule``, since NumPy's
  per-call cost (about a microsecond) would be most of the work;
* every other variable is cut into chunks of ``CHUNK_BYTES`` per array, and the optimizer's ``_update``
  runs on each chunk's views in turn: all of its passes then run over memory already in cache;
* variables whose arrays lie one after the other in one buffer (a model's packed weights) form a
  :class:`Group`: one update over the whole buffer per step, with slots that are one buffer too.

The slots' life outside an update is here too: created (``new_slots``), saved as a flat dict of arrays
(``slots_state``) and restored from one (``restore_slots``).

>>> import numpy as np
>>> W = np.zeros(3)
>>> record = VariableSlots(W, 0, W, [np.zeros(3)])
>>> record.bind(W, [], None)
>>> record.small
True
>>> W32 = np.zeros(200_000, np.float32)
>>> record = VariableSlots(W32, 1, W32, [np.zeros_like(W32)])
>>> record.bind(W32, [np.empty(chunk_length(W32.dtype), np.float32)], None)
>>> record.small, [(lo, hi) for lo, hi, _, _ in record.chunks]
(False, [(0, 131072), (131072, 200000)])
"""

from __future__ import annotations

import numpy as np

SMALL = 16
"""float64 variables with at most this many numbers take the pure-Python path."""

CHUNK_BYTES = 1 << 19
"""Bytes of each array that one pass of an update covers (512 KiB): the update's arrays stay in L2/L3
(measured on the wide network: 11.0 ms per Adam step at 512 KiB, 12.8 at 256 KiB, 18.4 at 8 MiB)."""


def chunk_length(dtype) -> int:
    """Numbers of ``dtype`` in one chunk (the length of each scratch buffer)."""
    return max(1, CHUNK_BYTES // np.dtype(dtype).itemsize)


def is_small(array) -> bool:
    """Whether ``array`` takes the pure-Python path: float64 with at most ``SMALL`` numbers."""
    return array.dtype == np.float64 and array.size <= SMALL


def memory_order(array) -> str:
    """"C" for a row-major array, "F" for a column-major one (a large Dense kernel): the order in which
    ``np.ravel(a, order)`` walks its memory, so that a variable, its slots and its gradient line up."""
    return "C" if array.flags.c_contiguous else "F"


def check_variable(var) -> np.ndarray:
    """The array a variable holds (``getattr(var, "_value", var)``), if the optimizer can update it in place."""
    array = getattr(var, "_value", var)
    if not isinstance(array, np.ndarray) or array.dtype.kind != "f":
        raise TypeError(f"a variable must be a floating-point numpy.ndarray or hold one in `_value`, "
                        f"got {type(var).__name__} of {getattr(array, 'dtype', type(array).__name__)}")
    if not ((array.flags.c_contiguous or array.flags.f_contiguous) and array.flags.writeable):
        raise ValueError(f"a variable's array must be contiguous and writeable (it is updated in place); "
                         f"got strides {array.strides} for shape {array.shape}")
    return array


class VariableSlots:
    """A variable (kept alive here, so its ``id`` stays its key), its position, its slots, its views."""

    __slots__ = ("variable", "index", "array", "shape", "order", "slots", "small", "chunks", "views")

    def __init__(self, variable, index, array, slots):
        self.variable, self.index, self.shape, self.slots = variable, index, array.shape, slots

    def bind(self, array, temporaries, clipped):
        """Point the views at ``array`` (again, when the variable's storage was rebound).

        ``temporaries`` are the optimizer's scratch buffers and ``clipped`` the buffer for a clipped
        gradient (or None), each ``chunk_length`` long and shared by all variables of the dtype; the
        pure-Python path needs neither.
        """
        self.array, self.order = array, memory_order(array)
        flat = np.ravel(array, self.order)  # views: the slots have the variable's layout
        slots = [np.ravel(s, self.order) for s in self.slots]
        self.small = is_small(array)
        self.views = [memoryview(a) for a in (flat, *slots)] if self.small else None
        if self.small:
            self.chunks = None
            return
        n, step = flat.size, chunk_length(array.dtype)
        self.chunks = [(lo, min(lo + step, n),
                        (flat[lo:lo + step], *(t[:min(step, n - lo)] for t in temporaries),
                         *(s[lo:lo + step] for s in slots)),
                        None if clipped is None else clipped[:min(step, n - lo)])
                       for lo in range(0, max(n, 1), step)]


GROUP_MAX = 1 << 14
"""Variables of at most this many numbers are updated together when they lie side by side; a larger one is
updated alone, since copying its gradient into the group's buffer would cost more than the calls it saves."""


def _address(array) -> int:
    return array.__array_interface__["data"][0]


class Group:
    """Variables whose arrays lie one after the other in one buffer, updated as one array.

    ``take`` says which of the variables of an ``apply_gradients`` call are in it (those of at most
    ``GROUP_MAX`` numbers); ``record`` covers their span (its slots are single buffers, and each variable's
    slots become views into them, so ``get_slot``, ``get_state`` and a later update of one variable alone see
    the same numbers); ``bounds`` are each variable's (lo, hi) in it; ``grad`` receives their gradients.
    """

    def __init__(self, take, records, record, bounds):
        self.take, self.records, self.record, self.bounds = take, records, record, bounds
        self.everything = all(take)
        self.grad = np.empty(record.array.size, record.array.dtype)
        self._views = [self.grad[lo:hi].reshape(r.shape) for r, (lo, hi) in zip(records, bounds)]

    def gradient(self, grads):
        """The gradients, side by side in one buffer (each copied into its variable's place: the same values
        as concatenating them, in fewer calls)."""
        for view, g in zip(self._views, grads):
            if g.dtype is view.dtype:
                view[...] = g
            else:  # as concatenate(..., out=) casts: a complex gradient is refused, not truncated
                np.copyto(view, g, casting="same_kind")
        return self.grad

    @classmethod
    def of(cls, records, optimizer):
        """The group of the small ones of ``records`` if their arrays are consecutive in one buffer, else None."""
        take = tuple(r.array.size <= GROUP_MAX for r in records)
        records = [r for r, inside in zip(records, take) if inside]
        if len(records) < 2:
            return None
        arrays = [r.array for r in records]
        first, base = arrays[0], arrays[0].base
        if base is None or not base.flags.c_contiguous or any(
                a.base is not base or a.dtype != first.dtype or not a.flags.c_contiguous for a in arrays):
            return None
        start = position = _address(first)
        bounds = []
        for a in arrays:
            if _address(a) != position:
                return None
            lo = (position - start) // a.itemsize
            bounds.append((lo, lo + a.size))
            position += a.nbytes
        total = bounds[-1][1]
        if is_small(np.empty(total, first.dtype)):  # a few float64 numbers: the pure-Python path is faster
            return None
        offset = (start - _address(base)) // first.itemsize
        W = base.reshape(-1)[offset:offset + total]
        slots = []
        for j in range(len(optimizer.slot_names)):
            flat = np.empty(total, first.dtype)
            for r, (lo, hi) in zip(records, bounds):
                flat[lo:hi] = r.slots[j].reshape(-1)
                r.slots[j] = flat[lo:hi].reshape(r.shape)
            slots.append(flat)
        for r in records:
            optimizer._bind(r, r.array)
        whole = VariableSlots(None, -1, W, slots)
        optimizer._bind(whole, W)
        return cls(take, records, whole, bounds)


def new_slots(array, slot_names, initial, saved=None, index=0) -> list:
    """Fresh slots for ``array``, one per name, with its shape, dtype and memory order: ``initial(name)``
    everywhere, or the ``saved`` {name: array} that ``set_state`` kept for a variable not yet seen.

    >>> new_slots(np.ones(2), ("v", "s"), lambda name: 0.0, {"v": [1.0, 2.0], "s": [3.0, 4.0]})
    [array([1., 2.]), array([3., 4.])]
    """
    slots = []
    for name in slot_names:
        slot = np.full(array.shape, initial(name), dtype=array.dtype, order=memory_order(array))
        if saved is not None:
            copy_saved(slot, saved[name], f"{index}/{name}")
        slots.append(slot)
    return slots


def slots_state(records, pending, slot_names) -> dict:
    """``{"i/name": copy}`` for every variable's slots, and for the saved ones still waiting for their variable."""
    state = {}
    for record in records:
        for name, slot in zip(slot_names, record.slots):
            state[f"{record.index}/{name}"] = slot.copy()
    for index, slots in pending.items():
        for name, value in slots.items():
            state[f"{index}/{name}"] = np.array(value)
    return state


def restore_slots(records, state, slot_names, initial, expected) -> dict:
    """Copy the ``"i/name"`` entries of ``state`` into the slots of ``records`` (matched by position; a variable
    without saved slots starts afresh at ``initial(name)``); return those of variables not seen yet.

    Every entry is checked first (``expected`` are the other keys, for the message), so a bad state changes
    nothing.

    >>> W = np.zeros(2)
    >>> record = VariableSlots(W, 0, W, [np.zeros(2)])
    >>> restore_slots([record], {"0/v": [1.0, 2.0], "1/v": [5.0, 6.0]}, ("v",), lambda name: 0.0, ["iterations"])
    {1: {'v': array([5., 6.])}}
    >>> record.slots
    [array([1., 2.])]
    """
    slots = {}
    for key, value in state.items():
        index, _, name = key.partition("/")
        if not index.isdigit() or name not in slot_names:
            raise ValueError(f"unknown state entry {key!r}; expected {expected} or '<index>/<slot>' with a "
                             f"slot in {slot_names}")
        slots.setdefault(int(index), {})[name] = np.asarray(value)
    for index, saved in slots.items():
        if set(saved) != set(slot_names):
            raise ValueError(f"state of variable {index} has slots {sorted(saved)}, expected {slot_names}")
    for record in records:
        saved = slots.pop(record.index, None)
        for name, slot in zip(slot_names, record.slots):
            if saved is None:
                slot.fill(initial(name))
            else:
                copy_saved(slot, saved[name], f"{record.index}/{name}")
    return slots


def copy_saved(slot, saved, key):
    """Copy a saved slot into the live one, refusing another shape (``key`` names it in the message)."""
    saved = np.asarray(saved)
    if saved.shape != slot.shape:
        raise ValueError(f"saved slot {key} has shape {saved.shape}, but its variable has shape {slot.shape}")
    np.copyto(slot, saved, casting="same_kind")


def write_columns(views, columns):
    """Write the new columns (W, *slots) of a small variable into its memoryviews."""
    for view, column in zip(views, columns):
        if len(column) == 2:  # a point of the plane
            view[0], view[1] = column
        else:
            for j, x in enumerate(column):
                view[j] = x
