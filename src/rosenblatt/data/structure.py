"""The shape of a dataset element: one array, a tuple of them, or a dict of them (nested freely).

A *structure* is a leaf (an array) or a ``tuple`` / ``dict`` of structures.  The pipeline works on
flat lists of leaves and puts the structure back at the end, so that ``(x, y)`` in gives ``(x, y)``
out and ``{"image": x, "label": y}`` in gives a dict out, as ``tf.nest`` does.

>>> leaves, spec = flatten(({"a": 1, "b": 2}, 3))
>>> leaves
[1, 2, 3]
>>> unflatten(spec, [10, 20, 30])
({'a': 10, 'b': 20}, 30)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from rosenblatt import dtypes

LEAF = None  # the spec of a single array


class TensorSpec(NamedTuple):
    """The shape and dtype of one component of a dataset element, as ``tf.TensorSpec``.

    ``None`` in ``shape`` marks a dimension that can vary, such as the last, smaller batch.

    >>> TensorSpec((None, 2), np.dtype("float64"))
    TensorSpec(shape=(None, 2), dtype=dtype('float64'), name=None)
    """

    shape: tuple
    dtype: np.dtype
    name: str | None = None


def flatten(structure, list_is_leaf=True):
    """``(leaves, spec)``: the leaves in order and a spec that :func:`unflatten` reads.

    Tuples and dicts are containers; with ``list_is_leaf`` (TensorFlow's rule for
    ``from_tensor_slices``) a list is one array, otherwise it is read as a tuple.

    >>> flatten((1, [2, 3]))
    ([1, [2, 3]], ('tuple', (None, None)))
    >>> flatten((1, [2, 3]), list_is_leaf=False)[0]
    [1, 2, 3]
    """
    leaves = []
    spec = _flatten_into(structure, leaves, list_is_leaf)
    return leaves, spec


def _flatten_into(structure, leaves, list_is_leaf):
    if isinstance(structure, tuple) or (isinstance(structure, list) and not list_is_leaf):
        return ("tuple", tuple(_flatten_into(s, leaves, list_is_leaf) for s in structure))
    if isinstance(structure, dict):
        return ("dict", tuple((k, _flatten_into(v, leaves, list_is_leaf)) for k, v in structure.items()))
    leaves.append(structure)
    return LEAF


def unflatten(spec, leaves):
    """Rebuild the structure described by ``spec`` from ``leaves`` (any iterable, read in order).

    >>> unflatten(("dict", (("x", None),)), [5])
    {'x': 5}
    """
    return _build(spec, iter(leaves))


def _build(spec, it):
    if spec is LEAF:
        return next(it)
    kind, items = spec
    if kind == "tuple":
        return tuple(_build(s, it) for s in items)
    return {k: _build(s, it) for k, s in items}


def paths(spec, prefix=""):
    """A readable name for each leaf, such as ``[0]`` or ``['image']``, used in error messages.

    >>> paths(("tuple", (None, ("dict", (("w", None),)))))
    ['[0]', "[1]['w']"]
    """
    if spec is LEAF:
        return [prefix or "the tensor"]
    kind, items = spec
    if kind == "tuple":
        return [p for i, s in enumerate(items) for p in paths(s, f"{prefix}[{i}]")]
    return [p for k, s in items for p in paths(s, f"{prefix}[{k!r}]")]


def to_numeric_array(value, where, caller):
    """``value`` as an ndarray with TensorFlow's dtype rule, refusing anything that is not numbers.

    NumPy arrays keep their dtype (``float64`` stays ``float64``); Python floats become ``float32``
    and Python ints ``int32``.  ``where`` names the component and ``caller`` the function in the
    message.

    >>> to_numeric_array([0.5, 1.5], "[0]", "f").dtype
    dtype('float32')
    >>> to_numeric_array(["a"], "[1]", "f")
    Traceback (most recent call last):
    ValueError: f expects numeric arrays (bool, int, uint, float or complex); component [1] has dtype <U1
    """
    try:
        array = dtypes.to_array(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{caller} expects rectangular numeric arrays; component {where} could not be "
                         f"converted ({exc})") from exc
    if array.dtype.kind not in "biufc":
        raise ValueError(f"{caller} expects numeric arrays (bool, int, uint, float or complex); "
                         f"component {where} has dtype {array.dtype}")
    return array


def to_arrays(structure):
    """A structure returned by a user function (``map``), with every leaf an ndarray.

    Tensors give their array, Python numbers follow TensorFlow's dtype rule; lists count as tuples.

    >>> to_arrays([1.0, {"k": np.int64(2)}])
    (array(1., dtype=float32), {'k': array(2)})
    """
    leaves, spec = flatten(structure, list_is_leaf=False)
    return unflatten(spec, [to_numeric_array(v, w, "map")
                            for v, w in zip(leaves, paths(spec))])


def stack(elements, spec, caller="batch"):
    """Stack a list of elements (flat lists of arrays) into one element with a new first axis.

    >>> stack([[np.zeros(2)], [np.ones(2)]], LEAF)
    [array([[0., 0.],
           [1., 1.]])]
    """
    out = []
    for i, where in enumerate(paths(spec)):
        parts = [e[i] for e in elements]
        try:
            out.append(np.stack(parts))
        except ValueError as exc:
            shapes = sorted({p.shape for p in parts})
            raise ValueError(f"{caller} needs elements of one shape to stack; component {where} has shapes "
                             f"{shapes[:4]}") from exc
    return out
