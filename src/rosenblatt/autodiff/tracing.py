"""``function``: trace a Python function once, then replay its Wengert list on new arrays (TensorFlow's
``tf.function``: "trace once, run the graph").

The first call with given input shapes and dtypes runs the Python function on placeholder tensors and keeps
what :class:`~rosenblatt.GradientTape` would keep: each primitive of the table that ran, which of its inputs
are the function's arguments, earlier results or constants, and its parameters.  Later calls with the same
shapes and dtypes skip Python, the tensors and the tape: they run the recorded primitives' own ``forward``
on plain NumPy arrays, and :meth:`Function.gradient` runs their own VJPs backwards, in the tape's order, so
the value and the gradients have the very bits of the eager tape (no second implementation of any
derivative).  New shapes or dtypes trace again.

For J = (1 − w1)² + 100 (w2 − w1²)², ∂J/∂w1 = −2 (1 − w1) − 400 w1 (w2 − w1²) and
∂J/∂w2 = 200 (w2 − w1²):

>>> import numpy as np
>>> import rosenblatt as rb
>>> @rb.function
... def rosenbrock(w1, w2):
...     return (1 - w1) ** 2 + 100 * (w2 - w1 ** 2) ** 2
>>> J, (g1, g2) = rosenbrock.gradient(np.array([-1.2]), np.array([1.0]))
>>> J, g1, g2
(array([24.2]), array([-215.6]), array([-88.]))
>>> rosenbrock(np.array([1.0]), np.array([1.0])).numpy()
array([0.])
>>> rosenbrock.trace_count
1

As in TensorFlow, Python runs at trace time only: an ``if`` or a loop on the arguments' shapes, dtypes or
on Python values is taken once and frozen into the trace.  Reading an argument-dependent tensor's *values*
in Python (``bool(x > 0)``, ``float(x)``, ``x.numpy()``) cannot be traced and is a ``TypeError`` at trace
time; use the table's operations (``rb.where``, ``rb.maximum``, ``rb.abs``) instead.  Tensors the function
captures (a layer's variables) are constants of the trace, read by reference: gradients are taken with
respect to the arguments only.  Called while a ``GradientTape`` records, the function runs eagerly, so the
tape sees every operation.
"""

from __future__ import annotations

import numpy as np

from rosenblatt import dtypes
from rosenblatt.autodiff.tape import _ACTIVE
from rosenblatt.autodiff.tensor import Tensor


class _Traced(Tensor):
    """A tensor that depends on a traced function's arguments: its values exist only at trace time."""

    __slots__ = ()

    def _refuse(self, what):
        raise TypeError(f"rosenblatt.function: {what} reads the values of a tensor that depends on the function's "
                        "arguments, which a trace cannot follow (Python runs at trace time only); use the "
                        "library's operations (rb.where, rb.maximum, rb.abs, ...) on the tensor instead, or "
                        "call the Python function without rosenblatt.function")

    def numpy(self):
        self._refuse(".numpy()")

    def __array__(self, dtype=None, copy=None):
        self._refuse("converting it to a NumPy array")

    def __bool__(self):
        self._refuse("bool() (an if or a while on a tensor)")

    def __float__(self):
        self._refuse("float()")

    def __int__(self):
        self._refuse("int()")

    def __index__(self):
        self._refuse("using it as an index")

    def _compare(self, other):
        self._refuse("a comparison (<, >, ==, ...)")

    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _compare
    __hash__ = object.__hash__
    _traced = True


class _Tracer:
    """Stands in for a tape in ``ops.apply``: keeps every primitive that an argument's value flows into."""

    def __init__(self, placeholders):
        self.slot = {id(p): i for i, p in enumerate(placeholders)}  # tensor id -> slot in the value list
        self.keep = list(placeholders)  # keeps the traced tensors alive, so that their ids stay theirs
        self.constants: list = []
        self.steps: list = []  # (prim, input slots, params, output slot)
        self.dtypes = [p._value.dtype for p in placeholders]
        self.n_args = len(placeholders)

    def _record(self, out, inputs, arrays, prim, saved, params):
        slots, dependent = [], False
        for x, a in zip(inputs, arrays):
            s = self.slot.get(id(x)) if isinstance(x, Tensor) else None
            if s is None:
                slots.append(("c", a))
            else:
                slots.append(s)
                dependent = True
        if not dependent:
            return
        out.__class__ = _Traced
        self.keep.append(out)
        self.slot[id(out)] = ("n", len(self.steps))
        self.dtypes.append(out._value.dtype)
        self.steps.append((prim, slots, params))


class ConcreteFunction:
    """One trace of a :class:`Function` (for one signature of shapes and dtypes), replayed on arrays.

    The Wengert list becomes two straight-line Python functions (as ``torch.fx`` writes its graphs as code):
    the forward pass alone, and the forward pass followed by the reverse walk of the VJPs.  Their text is
    :attr:`source`; each line calls a table entry's own ``forward`` or ``vjp``.
    """

    def __init__(self, name, signature, tracer: _Tracer, output):
        self.name, self.signature = name, signature
        n, steps = tracer.n_args, tracer.steps
        names = {f"a{i}": None for i in range(n)}  # the arguments' slots; then results r{j}, constants c{k}
        env = {"_ndarray": np.ndarray, "_asarray": np.asarray}
        kinds = {f"a{i}": tracer.dtypes[i] for i in range(n)}
        differentiable = {f"a{i}": tracer.dtypes[i].kind in "fc" for i in range(n)}
        forward, backward, constants = [], [], []
        for j, (prim, slots, params) in enumerate(steps):
            ins = []
            for s in slots:
                if isinstance(s, tuple) and s[0] == "c":
                    ins.append(f"c{len(constants)}")
                    env[ins[-1]] = s[1]
                    constants.append(s[1])
                else:
                    ins.append(f"r{s[1]}" if isinstance(s, tuple) else f"a{s}")
            out, args = f"r{j}", ", ".join(ins)
            env[f"f{j}"], env[f"b{j}"] = prim.forward, prim.vjp
            kw = ""
            if params:
                env[f"p{j}"] = params
                kw = f", **p{j}"
            saved = f"z{j}" if prim.saves else "None"
            forward.append(f"    {out}, {saved} = f{j}({args}{kw})" if prim.saves else f"    {out} = f{j}({args}{kw})")
            forward.append(f"    if type({out}) is not _ndarray: {out} = _asarray({out})")
            kinds[out] = tracer.dtypes[n + j]
            needs = tuple(differentiable.get(x, False) for x in ins)
            differentiable[out] = any(needs) and kinds[out].kind in "fc"
            if differentiable[out]:
                sel = f", needs={needs!r}" if prim.selective else ""
                lines = [f"    if g_{out} is not None:", f"        v = b{j}(g_{out}, {out}, {saved}, {args}{sel}{kw})"]
                for k, (x, need) in enumerate(zip(ins, needs)):
                    if need:
                        lines.append(f"        if v[{k}] is not None: "
                                     f"g_{x} = v[{k}] if g_{x} is None else g_{x} + v[{k}]")
                backward.append(lines)
        self._n = n
        if isinstance(output, Tensor) and id(output) in tracer.slot:
            s = tracer.slot[id(output)]
            result, self._constant = (f"r{s[1]}" if isinstance(s, tuple) else f"a{s}"), None
        else:
            result, self._constant = None, output._value
        if result is not None:  # the output's shape and dtype are the trace's, so one seed serves every replay
            env["seed"] = _seed(output._value)
        header = ", ".join([f"a{i}" for i in range(n)] + [f"{k}={k}" for k in env])
        grads = [f"g_a{i}" for i in range(n)]
        receivers = sorted({f"g_{x}" for x in list(names) + [f"r{j}" for j in range(len(steps))]})
        code = [f"def forward({header}):", *forward, f"    return {result}", "",
                f"def gradient({header}):", *forward, f"    {' = '.join(receivers)} = None",
                f"    g_{result} = seed"]
        for lines in reversed(backward):
            code.extend(lines)
        code.append(f"    return {result}, ({', '.join(grads)}{',' if n == 1 else ''})")
        self.source = "\n".join(code) + "\n"
        if result is not None:
            namespace = dict(env)
            exec(compile(self.source, f"<rosenblatt.function {name}>", "exec"), namespace)  # noqa: S102
            self._forward, self._gradient = namespace["forward"], namespace["gradient"]

    def __call__(self, *arrays) -> np.ndarray:
        """The function's value at ``arrays`` (NumPy arrays of the traced shapes and dtypes)."""
        return self._constant if self._constant is not None else self._forward(*arrays)

    def gradient(self, *arrays, unconnected_gradients="none"):
        """(J, [∂ΣJ/∂argument for each argument]) at ``arrays``, as ``GradientTape.gradient`` gives them."""
        if self._constant is not None:
            value, grads = self._constant, [None] * self._n
        else:
            value, grads = self._gradient(*arrays)
        return value, [_shaped(g, a, unconnected_gradients) for g, a in zip(grads, arrays)]


def _seed(value):
    """∂J/∂J = 1, where the tape starts its walk: read-only, so that it can be shared by every replay."""
    seed = np.array(1, value.dtype) if value.ndim == 0 else np.ones(value.shape, value.dtype)
    seed.flags.writeable = False
    return seed


def _shaped(g, like, unconnected):
    """``GradientTape._result`` on arrays: the argument's shape and dtype (zeros or None if unconnected)."""
    if g is None:
        return np.zeros_like(like) if unconnected == "zero" else None
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    if g.shape != like.shape:
        g = np.broadcast_to(g, like.shape)
    if g.dtype != like.dtype or not g.flags.writeable or not (g.flags.c_contiguous or g.flags.f_contiguous):
        g = np.array(g, dtype=like.dtype)
    return g


class Function:
    """A Python function of tensors, traced once per signature (argument shapes and dtypes) and replayed.

    Calling it returns a :class:`Tensor`; :meth:`gradient` returns the value and the gradients as arrays.
    """

    def __init__(self, python_function, name=None):
        self.python_function = python_function
        self.__name__ = name or getattr(python_function, "__name__", "function")
        self.__doc__ = getattr(python_function, "__doc__", None)
        self._traces: dict = {}

    @property
    def trace_count(self) -> int:
        """How many signatures have been traced."""
        return len(self._traces)

    def _arrays(self, args):
        arrays = []
        for i, a in enumerate(args):
            if type(a) is np.ndarray:
                pass
            elif isinstance(a, Tensor):
                a = a._value
            elif not isinstance(a, np.ndarray):
                try:
                    a = dtypes.to_array(a)
                except (TypeError, ValueError):
                    a = np.asarray(None)
                if a.dtype.kind not in "biufc":
                    raise TypeError(f"rosenblatt.function {self.__name__}: argument {i} is a {type(args[i]).__name__}"
                                    "; a traced function takes tensors, arrays or numbers (bind other values "
                                    "with functools.partial or a closure)")
            arrays.append(a)
        return arrays

    def get_concrete_function(self, *args) -> ConcreteFunction:
        """The trace for these arguments' shapes and dtypes (traced now if it is new)."""
        return self._concrete(self._arrays(args))

    def _concrete(self, arrays) -> ConcreteFunction:
        key = tuple([(a.shape, a.dtype) for a in arrays])
        trace = self._traces.get(key)
        if trace is None:
            trace = self._traces[key] = self._trace(arrays, key)
        return trace

    def _trace(self, arrays, key) -> ConcreteFunction:
        placeholders = []
        for a in arrays:
            p = Tensor.__new__(_Traced)
            p._value, p._logits = a, None
            placeholders.append(p)
        tracer = _Tracer(placeholders)
        token = _ACTIVE.set((tracer,))  # the trace, and no outer tape, records
        try:
            out = self.python_function(*placeholders)
        finally:
            _ACTIVE.reset(token)
        if not isinstance(out, Tensor):  # a number or an array is a constant result; anything else is refused
            value = np.asarray(out) if isinstance(out, (int, float, np.ndarray, np.generic)) else np.asarray(None)
            if value.dtype.kind not in "biufc":
                raise TypeError(f"rosenblatt.function {self.__name__}: the function returned a "
                                f"{type(out).__name__}; a traced function returns one tensor")
            out = Tensor(out)
        return ConcreteFunction(self.__name__, key, tracer, out)

    def __call__(self, *args):
        if _ACTIVE.get():  # a tape is recording: run eagerly, so that it sees every operation
            return self.python_function(*args)
        arrays = self._arrays(args)
        result = Tensor.__new__(Tensor)
        result._value, result._logits = self._concrete(arrays)(*arrays), None
        return result

    def gradient(self, *args, unconnected_gradients="none"):
        """(the value, [∂Σvalue/∂argument, one per argument]) as NumPy arrays, from the trace.

        The same arrays as ``GradientTape.gradient(f(*args), args)`` gives, bit for bit; an argument the value
        does not depend on (or an integer one) gets None, or zeros with ``unconnected_gradients="zero"``.
        """
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"unconnected_gradients must be 'none' or 'zero', got {unconnected_gradients!r}")
        arrays = self._arrays(args)
        return self._concrete(arrays).gradient(*arrays, unconnected_gradients=unconnected_gradients)


def function(func=None, *, name=None):
    """Trace ``func`` once per signature and replay it (usable as ``@function`` or ``function(f)``)."""
    if func is None:
        return lambda f: Function(f, name)
    return Function(func, name)
