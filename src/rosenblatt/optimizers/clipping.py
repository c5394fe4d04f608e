"""Gradient clipping on plain arrays: by value, by each gradient's norm, by the global norm.

The optimizers take ``clipvalue``, ``clipnorm`` or ``global_clipnorm`` and clip a copy (the gradient
itself is never modified). These functions are the same rules for direct use.

>>> import numpy as np
>>> clip_by_norm(np.array([3.0, 4.0]), 1.0)
array([0.6, 0.8])
>>> clip_by_value(np.array([-3.0, 0.5]), 1.0)
array([-1. ,  0.5])
>>> global_norm([np.array([3.0]), np.array([[4.0]])])
5.0
"""

from __future__ import annotations

import math

import numpy as np

from .checks import check_in


def norm(grad) -> float:
    """‖dW‖₂ over all elements, as a Python float (recomputed in float64 if float32's sum overflows)."""
    g = np.asarray(grad).reshape(-1)
    squares = float(np.dot(g, g))
    if squares == math.inf and g.dtype != np.float64:
        g = g.astype(np.float64)
        squares = float(np.dot(g, g))
    return math.sqrt(squares)


def global_norm(grads) -> float:
    """√(Σ ‖dW_i‖²) over a list of gradients (Keras's and PyTorch's global norm)."""
    return math.sqrt(math.fsum(norm(g) ** 2 for g in grads))


def norm_scale(n, clip):
    """The factor c / n that brings a norm n down to c, or None when n ≤ c (nothing to do)."""
    return clip / n if n > clip else None


def clip_by_norm(grad, clipnorm, out=None):
    """dW · c / max(‖dW‖, c): the gradient scaled down to norm ``clipnorm`` if it is longer (Keras's rule)."""
    grad = np.asarray(grad)
    scale = norm_scale(norm(grad), clipnorm)
    if scale is None:
        scale = 1.0
    return np.multiply(grad, scale, out=out)


def clip_by_value(grad, clipvalue, out=None):
    """Each element of dW clipped to [−c, c]."""
    return np.clip(grad, -clipvalue, clipvalue, out=out)


def check_clipping(clipnorm=None, clipvalue=None, global_clipnorm=None):
    """The optimizer's three clipping arguments as floats (or None), checked: at most one, each > 0.

    >>> check_clipping(clipnorm=1)
    (1.0, None, None)
    >>> check_clipping(clipnorm=1.0, clipvalue=0.5)
    Traceback (most recent call last):
    ValueError: set at most one of clipnorm, clipvalue, global_clipnorm; got {'clipnorm': 1.0, 'clipvalue': 0.5}
    """
    clips = {k: v for k, v in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                               ("global_clipnorm", global_clipnorm)) if v is not None}
    if len(clips) > 1:
        raise ValueError(f"set at most one of clipnorm, clipvalue, global_clipnorm; got {clips}")
    for key, value in clips.items():
        check_in(key, value, 0, math.inf, low_open=True)
    return tuple(None if v is None else float(v) for v in (clipnorm, clipvalue, global_clipnorm))


def clip_scales(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Per gradient: the clip value c (clip each element to [−c, c]), or the factor c / ‖dW‖ that scales it
    down to the norm c, or None where it is already within the norm. One of the three arguments is set.

    >>> clip_scales([np.array([3.0, 4.0]), np.array([0.3, 0.4])], clipnorm=1.0)
    [0.2, None]
    >>> clip_scales([np.array([3.0]), np.array([4.0])], global_clipnorm=1.0)
    [0.2, 0.2]
    """
    if clipvalue is not None:
        return [clipvalue] * len(grads)
    norms = [norm(grad) for grad in grads]
    if clipnorm is not None:
        return [norm_scale(n, clipnorm) for n in norms]
    return [norm_scale(math.sqrt(math.fsum(n * n for n in norms)), global_clipnorm)] * len(grads)
