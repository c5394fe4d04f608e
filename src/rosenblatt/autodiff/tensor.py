"""``Tensor`` and ``Variable``: an ``ndarray`` with the operators of the lecture.

A :class:`Tensor` wraps one NumPy array (``float32`` by default, like TensorFlow) and never
changes it; every operator on it goes through :func:`rosenblatt.autodiff.ops` so that an
active :class:`~rosenblatt.autodiff.tape.GradientTape` can record it.  A :class:`Variable`
is a Tensor whose array is updated *in place* by ``assign`` and by the optimizers.

>>> import rosenblatt as rb
>>> x = rb.constant([1.0, 2.0, 3.0])
>>> (2 * x + 1).numpy()
array([3., 5., 7.], dtype=float32)
>>> x.dtype, x.shape
(dtype('float32'), (3,))
>>> w = rb.Variable([[1.0], [2.0]], name="w")
>>> w.assign_sub([[0.5], [0.5]]).numpy().ravel()
array([0.5, 1.5], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from rosenblatt import dtypes


class Tensor:
    """An immutable n-dimensional array that gradient tapes can follow.

    Args:
        value: anything :func:`numpy.asarray` accepts, or another Tensor.
        dtype: the element type; by default Python floats become ``float32`` and Python ints
            ``int32`` (TensorFlow's rule), while NumPy arrays keep their own dtype.
    """

    __slots__ = ("_value", "_logits", "__weakref__")
    # NumPy defers to our reflected operators (ndarray + Tensor -> Tensor.__radd__).
    __array_ufunc__ = None
    _traced = False  # True for a tensor inside rosenblatt.function's trace (see autodiff/tracing.py)

    def __init__(self, value, dtype=None):
        self._value = dtypes.to_array(value, dtype)
        self._logits = None

    # -- reading -------------------------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (a NumPy scalar for a 0-d tensor, as TensorFlow)."""
        return self._value if self._value.ndim else self._value[()]

    @property
    def shape(self) -> tuple:
        return self._value.shape

    @property
    def dtype(self) -> np.dtype:
        return self._value.dtype

    @property
    def ndim(self) -> int:
        return self._value.ndim

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._value)

    def __array__(self, dtype=None, copy=None):
        value = self._value
        if dtype is not None and value.dtype != dtype:
            return value.astype(dtype)
        return value.copy() if copy else value

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        return int(self._value)

    def __bool__(self):
        return bool(self._value)

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._value)))

    def __repr__(self):
        body = np.array2string(self._value, separator=" ", threshold=200)
        sep = "\n" if "\n" in body else ""
        return f"rosenblatt.Tensor({sep}{body}, shape={self.shape}, dtype={self.dtype.name})"

    __hash__ = object.__hash__

    # -- operators: all defined in ops, attached below -----------------------------------


changes = [0]
"""A counter bumped whenever which variables a model trains may have changed: a Variable's ``trainable`` set,
a layer's attribute set, a weight added.  Layers cache their ``trainable_weights`` until it moves."""


class Variable(Tensor):
    """A trainable tensor whose value is changed in place (``assign``, optimizers).

    Gradient tapes watch trainable variables automatically.

    Args:
        initial_value: the starting value (array-like, Tensor, or a callable returning one).
        trainable: whether tapes watch it and ``Layer.trainable_weights`` lists it.
        name: a label used in summaries, errors and saved files.
        dtype: element type; defaults as for :class:`Tensor`.
    """

    __slots__ = ("_trainable", "name")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None):
        if callable(initial_value):
            initial_value = initial_value()
        value = dtypes.to_array(initial_value, dtype)
        super().__init__(np.array(value, copy=True, order="C"))
        self.trainable = bool(trainable)
        self.name = name if name is not None else "Variable"

    @property
    def trainable(self) -> bool:
        """Whether tapes watch it and ``Layer.trainable_weights`` lists it."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        changes[0] += 1

    def numpy(self) -> np.ndarray:
        """A copy of the current value (later updates do not change it)."""
        return self._value.copy() if self._value.ndim else self._value[()]

    def value(self) -> Tensor:
        """A constant Tensor holding a snapshot of the current value."""
        return Tensor(self._value.copy())

    read_value = value

    def assign(self, value):
        """Set the value in place; the shape must stay the same. Returns ``self``."""
        new = np.asarray(getattr(value, "_value", value))
        if new.shape != self._value.shape and new.ndim != 0:
            raise ValueError(
                f"Variable '{self.name}' has shape {self._value.shape}; cannot assign a value of shape {new.shape}"
            )
        np.copyto(self._value, new, casting="same_kind")
        return self

    def assign_add(self, delta):
        """``self += delta`` in place. Returns ``self``."""
        np.add(self._value, getattr(delta, "_value", delta), out=self._value, casting="same_kind")
        return self

    def assign_sub(self, delta):
        """``self -= delta`` in place. Returns ``self``."""
        np.subtract(self._value, getattr(delta, "_value", delta), out=self._value, casting="same_kind")
        return self

    def __repr__(self):
        body = np.array2string(self._value, separator=" ", threshold=200)
        return f"<rosenblatt.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, numpy=\n{body}>"


def constant(value, dtype=None, shape=None, name=None) -> Tensor:
    """A constant Tensor, as ``tf.constant``.

    >>> print(constant(2, dtype="float32").numpy())
    2.0
    >>> constant(7, shape=(2,)).numpy()
    array([7, 7], dtype=int32)
    """
    t = Tensor(value, dtype)
    if shape is not None:
        t._value = np.broadcast_to(t._value, tuple(shape)).copy()
    return t


def range(start, limit=None, delta=1, dtype=None, name=None) -> Tensor:  # noqa: A001 - TensorFlow's name
    """Evenly spaced values in ``[start, limit)``, as ``tf.range``.

    Integers give ``int32``, any float gives ``float32`` unless ``dtype`` says otherwise.

    >>> range(-2, 3).numpy()
    array([-2, -1,  0,  1,  2], dtype=int32)
    >>> range(0, 1, 0.25, dtype="float64").numpy()
    array([0.  , 0.25, 0.5 , 0.75])
    """
    if limit is None:
        start, limit = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, limit, delta))
        dtype = dtypes.float32 if is_float else dtypes.int32
    if delta == 0:
        raise ValueError("range: delta must not be 0")
    return Tensor(np.arange(start, limit, delta, dtype=dtypes.as_dtype(dtype)))


def is_tensor(x) -> bool:
    """Whether ``x`` is a :class:`Tensor` (or :class:`Variable`)."""
    return isinstance(x, Tensor)


def convert_to_tensor(value, dtype=None) -> Tensor:
    """``value`` itself if it is already a Tensor of that dtype, else a new constant."""
    if isinstance(value, Tensor) and (dtype is None or value.dtype == dtypes.as_dtype(dtype)):
        return value
    return Tensor(value, dtype)  # to_array reads a tensor's array (and refuses a traced one)
