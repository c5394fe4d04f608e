"""Augmentation layers, active only in training (``training=True``; otherwise they pass images through):
``RandomFlip`` and ``RandomTranslation``, on (m, H, W, C) images, each picture drawn afresh in every batch.

RandomTranslation moves picture n by (δ_n, ε_n) pixels, δ_n ~ U(h_lo·H, h_hi·H), ε_n ~ U(w_lo·W, w_hi·W):
y_{n,i,j} = x_{n, i − δ_n, j − ε_n}; with ``interpolation="bilinear"`` (Keras's default) a fractional shift
mixes the two nearest rows (columns) linearly, with ``"nearest"`` it is rounded.  Pixels that come from
outside the picture are filled by ``fill_mode``, in Keras's words: ``"reflect"`` (d c b a | a b c d | d c b a),
``"wrap"`` (a b c d | a b c d | a b c d), ``"nearest"`` (a a a a | a b c d | d d d d) or ``"constant"``
(k k k k | a b c d | k k k k, k = ``fill_value``).  Both are composed of ``getitem`` / ``where`` / arithmetic,
so a gradient passes through them.  Randomness comes from ``seed`` (an int or a ``numpy.random.Generator``).

>>> import numpy as np
>>> x = np.arange(4.0).reshape(1, 1, 4, 1)
>>> RandomFlip("horizontal", seed=2)(x, training=True).numpy().ravel()
array([3., 2., 1., 0.], dtype=float32)
>>> RandomFlip("horizontal", seed=2)(x).numpy().ravel()       # inference: unchanged
array([0., 1., 2., 3.], dtype=float32)
>>> shift = RandomTranslation(0.0, (0.5, 0.5), fill_mode="constant", interpolation="nearest")
>>> shift(x, training=True).numpy().ravel()                   # two pixels to the right
array([0., 0., 0., 1.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.ops import add, getitem, multiply, transpose, where
from rosenblatt.layers.convolutional import check_images
from rosenblatt.layers.layer import Layer

_FLIPS = {"horizontal": (False, True), "vertical": (True, False), "horizontal_and_vertical": (True, True)}
_FILL_MODES = ("reflect", "wrap", "nearest", "constant")


def _generator(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _seed_config(seed):
    return seed if isinstance(seed, int) and not isinstance(seed, bool) else None


class RandomFlip(Layer):
    """Mirror each picture with probability ½, left-right and/or upside down, during training.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` or ``"horizontal_and_vertical"`` (default).
        seed: an int or a ``numpy.random.Generator``.
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, **kwargs):
        super().__init__(**kwargs)
        if mode not in _FLIPS:
            raise ValueError(f"RandomFlip: mode must be one of {sorted(_FLIPS)}, got {mode!r}")
        self.mode, self.seed = mode, seed
        self._flip_rng = _generator(seed)

    def build(self, input_shape):
        check_images(self, input_shape)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        x = inputs
        for axis, active in ((1, _FLIPS[self.mode][0]), (2, _FLIPS[self.mode][1])):
            if active:
                flip = self._flip_rng.random(x.shape[0]) < 0.5
                mirrored = getitem(x, (slice(None),) * axis + (slice(None, None, -1),))
                x = where(flip[:, None, None, None], mirrored, x)
        return x

    def get_config(self):
        return {**super().get_config(), "mode": self.mode, "seed": _seed_config(self.seed)}


def _factor(value, what):
    lo, hi = (-value, value) if isinstance(value, (int, float)) else tuple(value)
    if not -1.0 <= lo <= hi <= 1.0:
        raise ValueError(f"RandomTranslation: {what} must be f in [0, 1] or (lower, upper) with −1 ≤ lower ≤ upper ≤ 1, "
                         f"got {value!r}")
    return float(lo), float(hi)


def _source(index, size, mode):
    """Where output index ``index`` (ints, may lie outside [0, size)) reads from, and whether it is inside."""
    inside = (index >= 0) & (index < size)
    if mode == "reflect":
        period = 2 * size
        folded = np.mod(index, period)
        return np.where(folded < size, folded, period - 1 - folded), inside
    if mode == "wrap":
        return np.mod(index, size), inside
    return np.clip(index, 0, size - 1), inside


class RandomTranslation(Layer):
    """Shift each picture by a random fraction of its height and width, during training.

    Args:
        height_factor: f (shifts in [−f·H, f·H]) or (lower, upper) fractions; positive moves down.
        width_factor: the same for W; positive moves right.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"nearest"`` or ``"constant"`` (see the module).
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: an int or a ``numpy.random.Generator``.
        fill_value: the value k of ``fill_mode="constant"`` (default 0).
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.height_factor = _factor(height_factor, "height_factor")
        self.width_factor = _factor(width_factor, "width_factor")
        if fill_mode not in _FILL_MODES:
            raise ValueError(f"RandomTranslation: fill_mode must be one of {list(_FILL_MODES)}, got {fill_mode!r}")
        if interpolation not in ("bilinear", "nearest"):
            raise ValueError(f"RandomTranslation: interpolation must be 'bilinear' or 'nearest', got {interpolation!r}")
        self.fill_mode, self.interpolation, self.seed = fill_mode, interpolation, seed
        self.fill_value = float(fill_value)
        self._shift_rng = _generator(seed)

    def build(self, input_shape):
        check_images(self, input_shape)

    def _shift(self, x, axis, shifts):
        """x moved by ``shifts`` (one per picture, in pixels) along ``axis`` (1: rows, 2: columns)."""
        m, size = x.shape[0], x.shape[axis]
        base = np.floor(shifts) if self.interpolation == "bilinear" else np.round(shifts)
        frac = shifts - base
        out, outside_weight = None, 0.0
        taps = ((0, 1.0 - frac), (1, frac)) if self.interpolation == "bilinear" else ((0, np.ones(m)),)
        shape = (m, size, 1, 1) if axis == 1 else (m, 1, size, 1)
        rows = np.arange(m)[:, None]
        for offset, weight in taps:
            # y_i = x_{i − δ}: with δ = base + frac, the two taps are x_{i − base} (1 − frac) and x_{i − base − 1} frac
            index = np.arange(size)[None, :] - base[:, None].astype(np.intp) - offset
            source, inside = _source(index, size, self.fill_mode)
            picked = getitem(x, (rows, source) if axis == 1 else (rows, slice(None), source))
            if axis == 2:  # advanced indices around a slice come first: (m, W, H, C) → (m, H, W, C)
                picked = transpose(picked, (0, 2, 1, 3))
            w = np.broadcast_to(weight[:, None], index.shape)
            if self.fill_mode == "constant":  # a tap outside the picture reads k
                outside_weight = outside_weight + np.where(inside, 0.0, w)
                w = np.where(inside, w, 0.0)
            term = multiply(picked, w.reshape(shape).astype(x.dtype))
            out = term if out is None else add(out, term)
        if self.fill_mode == "constant" and self.fill_value != 0.0:
            out = add(out, (self.fill_value * outside_weight).reshape(shape).astype(x.dtype))
        return out

    def call(self, inputs, training=None):
        if not training:
            return inputs
        m, h, w = inputs.shape[:3]
        x = inputs
        for axis, (lo, hi), size in ((1, self.height_factor, h), (2, self.width_factor, w)):
            shifts = self._shift_rng.uniform(lo * size, hi * size, m)
            if lo != 0.0 or hi != 0.0:
                x = self._shift(x, axis, shifts)
        return x

    def get_config(self):
        return {**super().get_config(), "height_factor": list(self.height_factor),
                "width_factor": list(self.width_factor), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "seed": _seed_config(self.seed), "fill_value": self.fill_value}
