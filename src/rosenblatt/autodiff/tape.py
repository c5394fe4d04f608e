"""``GradientTape``: record operations, then walk them backwards to get gradients.

The tape is a Wengert list: operations are appended in the order they run, which is already a
topological order, so ``gradient`` is one reverse loop with no recursion (a chain of 100,000
operations differentiates).  For each recorded ``out = f(x₁, …, xₖ)`` the loop takes ∂J/∂out and
adds f's vector-Jacobian product into each ∂J/∂xᵢ (the chain rule, summed over paths).

>>> import rosenblatt as rb
>>> x = rb.constant(3.0)
>>> with rb.GradientTape() as tape:
...     tape.watch(x)
...     y = x * x
>>> float(tape.gradient(y, x))
6.0

Gradients exist only for floating-point sources.  An integer source (``tf.range(-6, 7, 1)`` without a
``dtype`` is int32) is a ``TypeError`` from :meth:`GradientTape.gradient` that names the dtype and the fix,
for every operation alike, never a gradient rounded to integers.  (TensorFlow returns None there and
refuses ``sigmoid`` of an int32 tensor; rosenblatt computes the float result but gives it no gradient.)

>>> v = rb.range(-2, 3, 1)
>>> with rb.GradientTape() as tape:
...     tape.watch(v)
...     s = rb.activations.sigmoid(v)
>>> tape.gradient(s, v)
Traceback (most recent call last):
...
TypeError: GradientTape.gradient: the source has dtype int32, and gradients exist only for floating-point tensors; create it as one, e.g. tf.range(-6, 7, 1, dtype=tf.float32) or tf.constant(values, dtype=tf.float32), or watch tf.cast(v, tf.float32) instead

Comparing with the lecture's table of σ′ (``tf.range(-6, 7, 1, dtype=tf.float32)``): σ′(−6) prints
0.00246651 here and 0.00246653 on the slide.  The exact value is σ(−6)(1 − σ(−6)) = 0.0024665093, which
rosenblatt prints (σ computed in float64 and rounded once, then σ(1 − σ) in float32).  TensorFlow computes
σ in float32 with its own kernel, whose σ(−6) is off by about 8·10⁻⁶ relative (so is its σ′(−5):
0.00664812 against the exact 0.00664806).  At +6 both libraries print 0.00246653: there σ = 0.99752736,
and 1 − σ in float32 keeps only five digits.  All 13 values agree with the slide to 2·10⁻⁷.

>>> x = rb.constant([-6.0, 6.0])
>>> with rb.GradientTape() as tape:
...     tape.watch(x)
...     s = rb.activations.sigmoid(x)
>>> print(tape.gradient(s, x).numpy())
[0.00246651 0.00246653]
"""

from __future__ import annotations

import contextlib
import contextvars

import numpy as np

from rosenblatt.autodiff.tensor import Tensor, Variable

# The tapes recording in this thread/task (innermost last).  A context variable, not a global:
# each thread and each asyncio task sees its own stack.
_ACTIVE: contextvars.ContextVar[tuple] = contextvars.ContextVar("rosenblatt_active_tapes", default=())


def active_tapes() -> tuple:
    return _ACTIVE.get()


class GradientTape:
    """Record operations inside a ``with`` block to differentiate them afterwards.

    Args:
        persistent: if False (default) ``gradient`` may be called once, after which the tape
            releases what it recorded; if True, any number of times.
        watch_accessed_variables: watch every trainable :class:`Variable` an operation reads
            (default True), as TensorFlow does.  Other tensors need :meth:`watch`.
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = bool(persistent)
        self._watch_variables = bool(watch_accessed_variables)
        self._records: list | None = []
        self._watched: set = set()  # ids of tensors that lead to a watched source
        self._keep: list = []  # keeps watched tensors alive, so that their ids stay theirs
        self._recording = False
        self._token = None

    # -- the with block --------------------------------------------------------------------
    def __enter__(self):
        if self._records is None:
            raise RuntimeError("this GradientTape was already used; make a new one")
        self._token = _ACTIVE.set(_ACTIVE.get() + (self,))
        self._recording = True
        return self

    def __exit__(self, *exc):
        self._recording = False
        tapes = _ACTIVE.get()
        if tapes and tapes[-1] is self:  # the innermost, as a with block leaves it
            _ACTIVE.set(tapes[:-1])
        else:
            _ACTIVE.set(tuple(t for t in tapes if t is not self))
        return False

    @contextlib.contextmanager
    def stop_recording(self):
        """Operations inside this block are not recorded."""
        was, self._recording = self._recording, False
        try:
            yield
        finally:
            self._recording = was

    def reset(self):
        """Forget everything recorded so far."""
        self._records, self._watched, self._keep = [], set(), []

    def watch(self, tensor):
        """Follow ``tensor`` (or every tensor in a list/tuple/dict) for ``gradient``.

        An integer or boolean tensor has no gradient: it is not followed, and ``gradient`` with it as a
        source is a ``TypeError`` (see the module docs).
        """
        for t in _flatten(tensor):
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.watch expects tensors, got {type(t).__name__}")
            if self._watched is not None and t._value.dtype.kind in "fc":
                self._watched.add(id(t))
                self._keep.append(t)

    def watched_variables(self) -> list:
        """The variables this tape has watched so far."""
        return [t for t in self._keep if isinstance(t, Variable)]

    # -- recording (called by ops.apply) ---------------------------------------------------
    def _record(self, out, inputs, arrays, prim, saved, params):
        """Keep ``out = prim(inputs)`` if an input leads to a watched tensor (or is a trainable variable).

        ``needs`` marks those inputs: only they get a gradient, and selective primitives compute no other.
        """
        if not self._recording or self._records is None:
            return
        watched = self._watched
        needs = []
        for x in inputs:
            key = id(x)  # a watched tensor is kept alive by the tape, so no other live object has its id
            if key in watched:
                needs.append(True)
            elif isinstance(x, Variable) and self._watch_variables and x._trainable and x._value.dtype.kind == "f":
                watched.add(key)
                self._keep.append(x)
                needs.append(True)
            else:
                needs.append(False)
        if True in needs and out._value.dtype.kind in "fc":
            watched.add(id(out))
            self._records.append((out, inputs, arrays, prim, saved, params, needs))

    # -- differentiation --------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """∂target/∂source for each source (summed over target's elements, as TensorFlow does).

        Args:
            target: a Tensor, or a list of tensors (their gradients add up).
            sources: a Tensor, or a list, tuple or dict of tensors; the result has the same form.
            output_gradients: optional ∂J/∂target to start from instead of ones.
            unconnected_gradients: ``"none"`` (default) returns None for a source the target
                does not depend on; ``"zero"`` returns zeros.
        """
        if self._records is None:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of gradients; "
                "use GradientTape(persistent=True) to call gradient() several times"
            )
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"unconnected_gradients must be 'none' or 'zero', got {unconnected_gradients!r}")
        simple = type(sources) is list  # model.trainable_weights: a flat list of floating-point variables
        if simple:
            watched = self._watched  # a watched tensor is a floating-point one
            for s in sources:
                if id(s) not in watched and (not isinstance(s, Tensor) or s._value.dtype.kind not in "fc"):
                    simple = False
                    break
        flat_sources = sources if simple else _flatten(sources)
        if not simple:
            _check_sources(flat_sources)
        if simple and isinstance(target, Tensor) and output_gradients is None:  # a loss: ∂J/∂J = 1
            value = target._value
            grads = {id(target): np.array(1, value.dtype) if value.ndim == 0 else np.ones_like(value)}
            grads = self._backward(grads, sources)
            results = []
            for s in sources:  # as _result, at once for an array of the source's shape and dtype (what VJPs give)
                g = grads.get(id(s))
                if type(g) is np.ndarray:
                    value, flags = s._value, g.flags
                    if g.dtype == value.dtype and g.shape == value.shape and flags.writeable and flags.forc:
                        result = Tensor.__new__(Tensor)
                        result._value, result._logits = g, None
                        results.append(result)
                        continue
                results.append(self._result(s, g, unconnected_gradients))
            return results
        targets = _flatten(target)
        seeds = _flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
        grads: dict = {}
        for t, seed in zip(targets, seeds):
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.gradient: target must be a tensor, got {type(t).__name__}")
            if seed is not None:
                g = np.asarray(getattr(seed, "_value", seed))
                if not np.can_cast(g.dtype, t._value.dtype, "same_kind"):
                    raise TypeError(f"GradientTape.gradient: output_gradients of dtype {g.dtype} cannot be cast to "
                                    f"the target's dtype {t._value.dtype} without losing values")
                g = g.astype(t._value.dtype, copy=False)
            else:  # ∂t/∂t = 1 (a loss is 0-d: a cheaper way to the same array)
                g = np.array(1, t._value.dtype) if t._value.ndim == 0 else np.ones_like(t._value)
            grads[id(t)] = g if id(t) not in grads else grads[id(t)] + g

        grads = self._backward(grads, flat_sources)
        results = [self._result(s, grads.get(id(s)), unconnected_gradients) for s in flat_sources]
        return results if simple else _unflatten(sources, results)

    def _gradient_arrays(self, loss, sources) -> list:
        """``gradient(loss, sources)`` for fit's step: a 0-d ``loss``, a list of variables; the arrays
        themselves (None where unconnected), not wrapped in tensors, as ``apply_gradients`` takes them."""
        if self._records is None:
            return self.gradient(loss, sources)  # raises the error of a used tape
        value = loss._value
        grads = self._backward({id(loss): np.array(1, value.dtype) if value.ndim == 0 else np.ones_like(value)}, sources)
        out = []
        for s in sources:
            g = grads.get(id(s))
            if g is not None and (type(g) is not np.ndarray or g.shape != s._value.shape or g.dtype != s._value.dtype):
                g = self._result(s, g, "none")._value
            out.append(g)
        return out

    def _backward(self, grads, sources) -> dict:
        """The reverse loop: from ``grads`` (id → ∂J/∂tensor for the targets), ∂J/∂x for every recorded x."""
        keep = {id(s) for s in sources}
        for out, inputs, arrays, prim, saved, params, needs in reversed(self._records):
            key = id(out)
            g = grads.get(key) if key in keep else grads.pop(key, None)
            if g is None:
                continue
            if prim.selective:
                input_grads = prim.vjp(g, out._value, saved, *arrays, needs=needs, **params)
            else:
                input_grads = prim.vjp(g, out._value, saved, *arrays, **params)
            for x, gx, need in zip(inputs, input_grads, needs):
                if need and gx is not None:
                    k = id(x)
                    prev = grads.get(k)
                    grads[k] = gx if prev is None else prev + gx
        if not self._persistent:  # one set of gradients: release what was recorded
            self._records, self._watched, self._keep = None, None, []
        return grads

    @staticmethod
    def _result(source, g, unconnected):
        if g is None:
            return Tensor(np.zeros_like(source._value)) if unconnected == "zero" else None
        if type(g) is not np.ndarray:
            g = np.asarray(g)
        value = source._value
        if g.shape != value.shape:  # a scalar seed, or a broadcast view
            g = np.broadcast_to(g, value.shape)
        if g.dtype != value.dtype and not np.can_cast(g.dtype, value.dtype, "same_kind"):
            raise TypeError(f"GradientTape: a gradient of dtype {g.dtype} cannot be cast to its source's dtype "
                            f"{value.dtype} without losing its values")
        if g.dtype != value.dtype or not ((g.flags.c_contiguous or g.flags.f_contiguous) and g.flags.writeable):
            g = np.array(g, dtype=value.dtype, order="F" if value.flags.f_contiguous and value.ndim > 1 else "C")
        result = Tensor.__new__(Tensor)
        result._value, result._logits = g, None
        return result


def _check_sources(sources):
    """Raise the error for the first source that is not a floating-point tensor."""
    for i, s in enumerate(sources):
        if not isinstance(s, Tensor):
            raise ValueError(f"GradientTape.gradient: sources must be tensors or variables, got {type(s).__name__}")
        if s._value.dtype.kind not in "fc":
            raise TypeError(_not_differentiable(s, i, len(sources)))


def _not_differentiable(source, i, n) -> str:
    which = "the source" if n == 1 else f"source {i}"
    return (f"GradientTape.gradient: {which} has dtype {source._value.dtype}, and gradients exist only for "
            "floating-point tensors; create it as one, e.g. tf.range(-6, 7, 1, dtype=tf.float32) or "
            "tf.constant(values, dtype=tf.float32), or watch tf.cast(v, tf.float32) instead")


def _flatten(structure) -> list:
    if isinstance(structure, Tensor):
        return [structure]
    if isinstance(structure, dict):
        return [v for k in structure for v in _flatten(structure[k])]
    if isinstance(structure, (list, tuple)):
        return [v for item in structure for v in _flatten(item)]
    return [structure]


def _unflatten(structure, flat):
    it = iter(flat)

    def build(s):
        if isinstance(s, dict):
            return {k: build(v) for k, v in s.items()}
        if isinstance(s, (list, tuple)):
            return type(s)(build(v) for v in s) if isinstance(s, list) or type(s) is tuple else [build(v) for v in s]
        return next(it)

    return build(structure)


@contextlib.contextmanager
def no_recording():
    """Run a block without any tape recording it (e.g. building a model, or predicting).

    >>> import rosenblatt as rb
    >>> x = rb.Variable(1.0)
    >>> with rb.GradientTape() as tape:
    ...     with no_recording():
    ...         y = x * 2.0
    >>> tape.gradient(y, x) is None
    True
    """
    token = _ACTIVE.set(())
    try:
        yield
    finally:
        _ACTIVE.reset(token)
