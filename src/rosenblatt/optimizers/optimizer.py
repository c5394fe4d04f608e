"""The optimizer base: the bookkeeping every optimizer shares, so that each one writes only its update.

An optimizer keeps, for each variable it has seen, its slots (v_dW, s_dW, …) and applies

    W = W − (the optimizer's step, from dW and the slots)

in place. A subclass writes that update twice, side by side, on the same equations:

* ``_update(k, dW, W, *temporaries, *slots)`` on NumPy arrays, in place, with ``out=`` so that no
  full-size temporary is allocated; the base calls it on cache-sized chunks of each variable, so all of
  an update's passes run over memory that is already in cache (one trip to main memory, not six). It
  returns None (the base then checks W), or the chunk's flat position of the first non-finite number
  it found (-1: none), which spares the divergence check its own pass; an update for which
  ``_guards_itself(W, dW)`` is True (a compiled loop, :mod:`~rosenblatt.optimizers.kernels`) writes no
  non-finite number, so the base need not copy the chunk aside to put it back;
* ``_rule(k, dW, W, *slots) -> (W, *slots)`` on Python floats, for float64 variables of at most
  ``SMALL`` numbers (the two-number point of the cost-landscape page), where NumPy's per-call cost would
  dominate. It performs the same IEEE operations in the same order, so both give the same bits
  (tests/optimizers check it).

``k`` holds the step's constants (η, β^t, …), computed once per step by ``_constants(t, η)``.
The variable is duck-typed: ``getattr(var, "_value", var)`` is its array, updated in place, never rebound.
"""

from __future__ import annotations

import math
from itertools import repeat

import numpy as np

from ..schedules import deserialize as _deserialize_schedule
from ..schedules import serialize as _serialize_schedule
from .checks import (DivergenceError, all_finite, check_in, check_learning_rate, finite, first_not_finite,
                     fit_float32)
from .clipping import check_clipping, clip_scales
from .slots import (Group, VariableSlots, check_variable, chunk_length, is_small, new_slots, restore_slots,
                    slots_state, write_columns)


class Optimizer:
    """Base class. Not used directly: see :class:`~rosenblatt.optimizers.Adam` and the others.

    Args:
        learning_rate: η, a number > 0 or a schedule (any callable of the step, 0 for the first update,
            returning a float).
        weight_decay: λ for decoupled weight decay, W = W − η λ W before the update (Keras's and
            AdamW's form), or None. Default None.
        clipnorm: clip each gradient to this L2 norm (dW · c / max(‖dW‖, c), per variable, as Keras).
        clipvalue: clip each gradient's elements to [−c, c].
        global_clipnorm: clip all gradients together to this global L2 norm. At most one of the three.
        check_finite: raise :class:`DivergenceError` on a non-finite gradient or weight. Default True.
            Gradients are checked before any variable changes, so on a non-finite gradient nothing is
            modified (``error.applied`` is False). A weight that overflows from finite inputs is found
            after its own update and put back (W and slots) as it was, so no inf or NaN is ever left in a
            weight or a slot; the step has then been applied to the variables updated before it
            (``error.applied`` is True). Adam's compiled loop checks each block of elements before
            writing it, so there the elements before the first bad one's block keep the step too.
        name: a name for the optimizer.
    """

    slot_names: tuple = ()
    _temporaries = 1

    def __init__(self, learning_rate, *, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 check_finite=True, name=None):
        self.learning_rate = learning_rate
        self.weight_decay = None if weight_decay is None else check_in("weight_decay", weight_decay, 0, math.inf)
        self.clipnorm, self.clipvalue, self.global_clipnorm = check_clipping(clipnorm, clipvalue, global_clipnorm)
        self._clipping = (clipnorm, clipvalue, global_clipnorm) != (None, None, None)
        self.check_finite = bool(check_finite)
        self.name = name or type(self).__name__.lower()
        self.iterations = 0
        self._records = []
        self._by_id = {}
        self._pending = {}
        self._scratch = {}
        self._kept = {}  # per dtype: buffers for a chunk's W and slots; per chunk: its views; see _keep
        self._groups = {}

    # -- the learning rate ------------------------------------------------------------------------
    @property
    def learning_rate(self):
        """η: a float, or the schedule it was given."""
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self._learning_rate = check_learning_rate(value)
        self._scheduled = callable(self._learning_rate)

    def current_learning_rate(self) -> float:
        """η for the next update (the schedule evaluated at ``iterations``)."""
        if not self._scheduled:
            return self._learning_rate
        η = float(self._learning_rate(self.iterations))
        if not 0.0 <= η < math.inf:
            raise ValueError(f"the learning-rate schedule gave {η!r} at step {self.iterations}; expected a finite "
                             f"number >= 0")
        return η

    # -- what subclasses write --------------------------------------------------------------------
    def _constants(self, t, η):
        """The step's constants, computed once per step for all variables (t counts from 1)."""
        return (η,)

    def _update(self, k, dW, W, *temporaries_and_slots):  # pragma: no cover - abstract
        raise NotImplementedError

    def _rule(self, k, dW, W, *slots):  # pragma: no cover - abstract
        raise NotImplementedError

    def _initial_slot(self, name) -> float:
        return 0.0

    def _hyperparameters(self) -> dict:
        return {}

    def _advance(self, k):
        """Commit per-step scalar state (only after the whole step succeeded)."""

    def _scalar_state(self) -> dict:
        return {}

    def _set_scalar_state(self, state):
        pass

    # -- variables and their slots ----------------------------------------------------------------
    def build(self, var_list):
        """Create the slots of ``var_list`` now (otherwise done on first sight in ``apply_gradients``)."""
        for var in var_list:
            if id(var) not in self._by_id:
                self._track(var)

    def _track(self, var):
        array = check_variable(var)
        index = len(self._records)
        slots = new_slots(array, self.slot_names, self._initial_slot, self._pending.pop(index, None), index)
        record = VariableSlots(var, index, array, slots)
        self._bind(record, array)
        self._records.append(record)
        self._by_id[id(var)] = record
        return record

    def _bind(self, record, array):
        if is_small(array):
            record.bind(array, [], None)
            return
        scratch = self._scratch.get(array.dtype)
        if scratch is None:  # the temporaries (and a clipped gradient), shared by all variables of a dtype
            count = self._temporaries + self._clipping
            scratch = self._scratch[array.dtype] = [np.empty(chunk_length(array.dtype), array.dtype)
                                                    for _ in range(count)]
        record.bind(array, scratch[:self._temporaries], scratch[-1] if self._clipping else None)

    def _rebind(self, record, array):
        self._groups.clear()
        self._kept.clear()  # its views of the chunks that are being replaced
        check_variable(array)
        if array.shape != record.shape or array.dtype != record.array.dtype:
            raise ValueError(f"variable {record.index} changed from {record.shape} {record.array.dtype} to "
                             f"{array.shape} {array.dtype} between updates")
        self._bind(record, array)

    def get_slot(self, var, name):
        """The live array of slot ``name`` (one of ``slot_names``) of ``var``."""
        record = self._by_id.get(id(var))
        if record is None or name not in self.slot_names:
            raise KeyError(f"no slot {name!r} for this variable; slots are {self.slot_names}, and a variable has "
                           f"them once it has been updated or built")
        return record.slots[self.slot_names.index(name)]

    # -- one step ---------------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Apply one update: W = W − (step) for each (gradient, variable) pair; None gradients are skipped.

        Args:
            grads_and_vars: an iterable of (dW, W) pairs, e.g. ``zip(grads, model.trainable_weights)``.
                dW is an array or a tensor (read, never modified); W is an ndarray or holds one in ``_value``.
        """
        pairs, indices, by_id = [], [], self._by_id
        for grad, var in grads_and_vars:
            if grad is None:
                continue
            record = by_id.get(id(var)) or self._track(var)
            array = getattr(var, "_value", var)
            if array is not record.array:
                self._rebind(record, array)
            grad = getattr(grad, "_value", grad)
            if type(grad) is not np.ndarray:
                grad = np.asarray(grad)
            if grad.shape != record.shape:
                raise ValueError(f"gradient of shape {grad.shape} for variable {record.index} of shape {record.shape}")
            pairs.append((record, grad))
            indices.append(record.index)
        if not pairs:
            return
        if len(pairs) == 1 and pairs[0][0].small and not self._clipping:  # the cost-landscape page's point
            return self._apply_small(*pairs[0])
        group = self._group(pairs, tuple(indices)) if len(pairs) > 1 and not self._clipping else None
        if group is not None and group.everything:  # one update for all (a model's packed small weights)
            grads, pairs = [grad for _, grad in pairs], []
        elif group is not None:  # its variables are updated together; the others (the large ones) each alone
            grads = [grad for (_, grad), inside in zip(pairs, group.take) if inside]
            pairs = [pair for pair, inside in zip(pairs, group.take) if not inside]
        t = self.iterations + 1
        η = self.current_learning_rate() if self._scheduled else self._learning_rate
        k = self._constants(t, η)
        keep = 1.0 - η * self.weight_decay if self.weight_decay else None
        scales = (clip_scales([grad for _, grad in pairs], self.clipnorm, self.clipvalue, self.global_clipnorm)
                  if self._clipping else repeat(None))
        small = [(record, self._step_small(record, grad, k, keep, scale, t, η))  # computed, checked, not written
                 for (record, grad), scale in zip(pairs, scales) if record.small]
        if group is not None or len(small) < len(pairs):
            with np.errstate(all="ignore"):  # overflow is reported as DivergenceError, not as a warning
                G = None if group is None else group.gradient(grads)
                if self.check_finite:
                    if G is not None and not finite(G):
                        record = next(r for r, g in zip(group.records, grads) if not finite(np.asarray(g)))
                        self._diverged(t, record, η, False, "a gradient that is not finite")
                    for record, grad in pairs:
                        if not record.small and not finite(grad):
                            self._diverged(t, record, η, False, "a gradient that is not finite")
                if G is not None:
                    self._step_group(group, G, k, keep, t, η)
                for (record, grad), scale in zip(pairs, scales):
                    if not record.small:
                        self._step_arrays(record, grad.ravel(record.order), k, keep, scale, t, η)
        for record, columns in small:
            write_columns(record.views, columns)
        self._advance(k)
        self.iterations = t

    def _apply_small(self, record, grad):
        """``apply_gradients`` for one small variable alone: the same steps, with less bookkeeping."""
        t = self.iterations + 1
        η = self.current_learning_rate() if self._scheduled else self._learning_rate
        k = self._constants(t, η)
        keep = 1.0 - η * self.weight_decay if self.weight_decay else None
        write_columns(record.views, self._step_small(record, grad, k, keep, None, t, η))
        self._advance(k)
        self.iterations = t

    def _step_small(self, record, grad, k, keep, scale, t, η):
        """The update on Python floats; returns the new columns (W, *slots), checked, without writing them."""
        G = grad.tolist() if grad.ndim == 1 else grad.ravel(record.order).tolist()
        if self.check_finite and not all_finite(G):
            self._diverged(t, record, η, False, "a gradient that is not finite")
        if scale is not None:
            G = [min(max(g, -scale), scale) for g in G] if self.clipvalue is not None else [g * scale for g in G]
        columns = [view.tolist() for view in record.views]
        if keep is not None:
            columns[0] = [w * keep for w in columns[0]]
        columns = list(zip(*map(self._rule, repeat(k), G, *columns)))
        if self.check_finite and not all(map(all_finite, columns)):
            what = "a weight that is not finite" if not all_finite(columns[0]) else "a slot that is not finite"
            self._diverged(t, record, η, False, what)
        if self.check_finite and record.views[0].format == "f" and not fit_float32(columns):
            self._diverged(t, record, η, False, "a weight or slot beyond float32's range (it would be stored as inf)")
        return columns

    def _step_arrays(self, record, g, k, keep, scale, t, η):
        clip = self.clipvalue is not None
        for lo, hi, args, clipped in record.chunks:
            dW = g[lo:hi] if len(record.chunks) > 1 else g
            W = args[0]
            if scale is not None:
                dW = np.clip(dW, -scale, scale, out=clipped) if clip else np.multiply(dW, scale, out=clipped)
            # weight decay's multiply writes W before the update, and can overflow too
            guarded = self.check_finite and keep is None and self._guards_itself(W, dW)
            kept = self._keep(args) if self.check_finite and not guarded else None
            if keep is not None:
                np.multiply(W, keep, out=W)
            bad = self._update(k, dW, *args)  # None, or where the update found a non-finite number (-1: none)
            if self.check_finite and bad is None:  # the update did not check itself: W and every slot, here
                bad = first_not_finite((W, *args[1 + self._temporaries:]))
            if self.check_finite and bad >= 0:
                at = lo + bad
                what = ("a weight or a slot that is not finite" if guarded else "a weight that is not finite"
                        if not math.isfinite(W.ravel("K")[bad]) else "a slot that is not finite")
                for live, copy in zip(*kept or ()):  # put the chunk's W and slots back: nothing non-finite stays
                    live[...] = copy
                done = None if not guarded else (
                    f"it was not written from the block holding its element {at} on, so no weight or slot holds "
                    f"a non-finite value; its elements before that block and the variables updated before it "
                    f"keep this step")
                self._diverged(t, record, η, True, what, done, at=at)

    def _guards_itself(self, W, dW):
        """Whether ``_update`` on this chunk writes no non-finite number into W or a slot (and says where)."""
        return False

    def _keep(self, args):
        """The chunk's W and slots, and copies of them (in scratch buffers) to put back if the update overflows.

        A finite W, dW and η can still give ±inf (float32 overflows above 3.4e38: ``SGD(1e300)``), found only
        after the update; the copy, made while the chunk is in cache, is what lets no inf reach a weight.
        The views are made once per chunk (``args`` is the chunk's tuple, kept alive by the entry, so its
        id is not reused): on a small variable, making them cost more than the copies.
        """
        entry = self._kept.get(id(args))
        if entry is None or entry[0] is not args:
            live = (args[0], *args[1 + self._temporaries:])
            buffers = self._kept.get(args[0].dtype)
            if buffers is None or len(buffers) < len(live):
                buffers = self._kept[args[0].dtype] = [np.empty(chunk_length(args[0].dtype), args[0].dtype)
                                                       for _ in live]
            entry = self._kept[id(args)] = (args, live, [b[:a.size] for b, a in zip(buffers, live)])
        _, live, copies = entry
        for copy, a in zip(copies, live):
            copy[...] = a  # np.copyto parses its keywords: 0.6 µs a call on 256 numbers, this 0.17 (measured)
        return live, copies

    # -- variables that lie side by side in one buffer ----------------------------------------------
    def _group(self, pairs, key):
        """The :class:`Group` of the small ones of these variables when their arrays are consecutive in one
        buffer, else None.

        A model packs its weights that way (``Layer._pack_weights``); their update then runs once over the
        buffer, with slots that are one buffer too, instead of once per variable (for the small layers of a
        network, NumPy's per-call cost is most of an update). Decided once per list of variables.
        """
        try:
            return self._groups[key]
        except KeyError:
            group = Group.of([record for record, _ in pairs], self)
            if group is not None:  # its slots are now the variables' slots: forget groups made before
                self._groups = {k: g for k, g in self._groups.items() if g is None}
            self._groups[key] = group
            return group

    def _step_group(self, group, G, k, keep, t, η):
        try:
            self._step_arrays(group.record, G, k, keep, None, t, η)
        except DivergenceError as error:
            record = next(r for r, (lo, hi) in zip(group.records, group.bounds) if lo <= error.at < hi)
            self._diverged(t, record, η, True, "a weight that is not finite",
                           "the step was put back as it was where it overflowed; no weight or slot holds a "
                           "non-finite value")

    def _diverged(self, t, record, η, applied, what, done=None, at=None):
        done = done or ("it was put back as it was; the variables updated before it keep this step" if applied
                        else "no variable was changed")
        error = DivergenceError(f"diverged at step {t}: variable {record.index} (shape {record.shape}) got {what} "
                                f"with learning rate {η!r}; {done}. Try a smaller learning rate.",
                                step=t, variable=record.index, learning_rate=η, applied=applied)
        error.at = at  # the flat position of the first non-finite number, where known
        raise error

    # -- state and configuration --------------------------------------------------------------------
    def get_state(self) -> dict:
        """A flat dict of copies: ``iterations``, per-step scalars, and ``"{i}/{slot}"`` arrays per variable.

        ``i`` is the variable's position in the order the optimizer first saw it. Every value is an int,
        a float or an ndarray, so ``numpy.savez(path, **state)`` stores it without pickle.
        """
        return {"iterations": self.iterations, **self._scalar_state(),
                **slots_state(self._records, self._pending, self.slot_names)}

    def set_state(self, state):
        """Restore what :meth:`get_state` returned (or an ``np.load`` of it): training resumes exactly.

        Variables are matched by position; those the optimizer has not seen yet take their slots when it
        first sees them. Variables without saved slots start afresh.
        """
        state = dict(state)
        expected = ["iterations", *self._scalar_state()]
        missing = [key for key in expected if key not in state]
        if missing:
            raise ValueError(f"state lacks {missing}; expected {expected} and '<index>/<slot>' entries")
        iterations = int(np.asarray(state.pop("iterations")))
        scalars = {name: float(np.asarray(state.pop(name))) for name in expected[1:]}
        self._pending = restore_slots(self._records, state, self.slot_names, self._initial_slot, expected)
        self.iterations = iterations
        self._set_scalar_state(scalars)

    def get_config(self) -> dict:
        """The constructor's arguments, for :meth:`from_config`.

        A schedule of :mod:`rosenblatt.schedules` appears as ``{"class_name", "config"}``; any other
        callable learning rate appears as itself (it cannot be written to JSON).
        """
        lr = self._learning_rate
        if callable(lr) and hasattr(lr, "get_config"):
            lr = _serialize_schedule(lr)
        config = {"name": self.name, "learning_rate": lr, **self._hyperparameters(),
                  "weight_decay": self.weight_decay, "clipnorm": self.clipnorm, "clipvalue": self.clipvalue,
                  "global_clipnorm": self.global_clipnorm, "check_finite": self.check_finite}
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        lr = config.get("learning_rate")
        if isinstance(lr, dict):
            config["learning_rate"] = _deserialize_schedule(lr)
        return cls(**config)

    def __repr__(self):
        shown = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items()
                          if k not in ("name", "check_finite") and v is not None)
        return f"{type(self).__name__}({shown})"
