"""A TensorFlow name that rosenblatt lacks is a clear error, not an ``AttributeError`` on an internal module.

The compat namespaces (``tf``, ``tf.keras``, ``tf.keras.layers``, ...) answer every name they do not have with
:class:`NotInRosenblatt`, which names the TensorFlow spelling and says it is not part of rosenblatt yet.  It is
an ``AttributeError``, so ``hasattr`` and ``getattr(ns, name, default)`` behave as usual.  Nothing is listed
by hand: a namespace that aliases a library module (``tf.keras.layers`` is :mod:`rosenblatt.layers`) is an
:class:`Alias` that looks names up in that module when asked, so a name added to the library later is found.

>>> import rosenblatt.compat.tensorflow as tf
>>> tf.keras.layers.Dense is __import__("rosenblatt").layers.Dense
True
>>> tf.random.normal
Traceback (most recent call last):
...
rosenblatt.compat.missing.NotInRosenblatt: tf.random is TensorFlow's, and not part of rosenblatt yet...
"""

from __future__ import annotations

import sys
import types


class NotInRosenblatt(AttributeError):
    """A TensorFlow or Keras name that rosenblatt does not provide (yet)."""


def missing(tf_name: str, namespace: str) -> NotInRosenblatt:
    hint = (" For random numbers, rosenblatt takes a seed or a numpy.random.Generator (numpy.random.default_rng) "
            "instead of global state." if "random" in tf_name else "")
    return NotInRosenblatt(
        f"{tf_name} is TensorFlow's, and not part of rosenblatt yet: rosenblatt.compat.tensorflow has the names "
        f"the lecture uses (dir({namespace}) lists what {namespace} has).{hint}")


def module_getattr(module_name: str, tf_name: str):
    """A module ``__getattr__`` (PEP 562) for a compat module: a missing name is :class:`NotInRosenblatt`."""

    def __getattr__(name):
        if name.startswith("__"):  # Python's own probes (__path__, __wrapped__, ...) stay plain
            raise AttributeError(f"module {module_name!r} has no attribute {name!r}")
        raise missing(f"{tf_name}.{name}", tf_name)

    return __getattr__


class Alias(types.ModuleType):
    """TensorFlow's name for a rosenblatt module: its names are the module's, looked up when asked; a missing
    one is :class:`NotInRosenblatt`. Also registered in ``sys.modules``, so ``from ... import`` works."""

    def __init__(self, module_name: str, tf_name: str, target: types.ModuleType):
        super().__init__(module_name, target.__doc__)
        self.__dict__["_target"], self.__dict__["_tf_name"] = target, tf_name
        sys.modules.setdefault(module_name, self)

    def __getattr__(self, name):
        try:
            return getattr(self._target, name)
        except AttributeError:
            if name.startswith("__"):
                raise
            raise missing(f"{self._tf_name}.{name}", self._tf_name) from None

    def __dir__(self):
        return sorted(set(dir(self._target)) - {"_target", "_tf_name"})

    def __repr__(self):
        return f"<{self._tf_name}: rosenblatt's {self._target.__name__}>"
