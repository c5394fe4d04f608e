"""Weight initializers: how W⁽ˡ⁾ starts before the first gradient step.

Every random initializer takes ``seed`` (an int or a ``numpy.random.Generator``): the same seed
gives the same weights.  Without one, the layer's generator is used (a model's ``seed``), else
fresh OS entropy.  Names and defaults follow Keras.

>>> GlorotUniform(seed=0)((2, 3)).shape
(2, 3)
>>> get("zeros")((2,))
array([0., 0.], dtype=float32)
>>> bool((RandomNormal(seed=1)((2, 2)) == RandomNormal(seed=1)((2, 2))).all())
True
"""

from __future__ import annotations

import math

import numpy as np

from rosenblatt import dtypes
from rosenblatt.naming import did_you_mean


def _fans(shape) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: ``init(shape, dtype=float32, rng=None) -> ndarray``."""

    seed = None

    def _rng(self, rng):
        if isinstance(self.seed, np.random.Generator):
            return self.seed
        if self.seed is not None:
            return np.random.default_rng(self.seed)
        return rng if rng is not None else np.random.default_rng()

    def __call__(self, shape, dtype=None, rng=None):
        shape = tuple(int(s) for s in shape)
        dtype = dtypes.as_dtype(dtype or dtypes.float32)
        return np.asarray(self.sample(shape, self._rng(rng)), dtype=dtype)

    def sample(self, shape, rng):
        raise NotImplementedError

    def get_config(self) -> dict:
        return {k: v for k, v in vars(self).items() if not isinstance(v, np.random.Generator)}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    """W = 0."""

    def sample(self, shape, rng):
        return np.zeros(shape)


class Ones(Initializer):
    """W = 1."""

    def sample(self, shape, rng):
        return np.ones(shape)


class Constant(Initializer):
    """W = value."""

    def __init__(self, value=0.0):
        self.value = value

    def sample(self, shape, rng):
        return np.full(shape, self.value)


class RandomNormal(Initializer):
    """W ~ N(mean, stddev²), stddev 0.05 by default (Keras's ``random_normal``)."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def sample(self, shape, rng):
        return rng.normal(self.mean, self.stddev, shape)


class RandomUniform(Initializer):
    """W ~ U(minval, maxval), [−0.05, 0.05] by default."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def sample(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, shape)


def _truncated_normal(rng, stddev, shape):
    """N(0, σ²) cut at ±2σ by redrawing, scaled so the result's std is σ (Keras's choice)."""
    scale = stddev / 0.87962566103423978
    out = rng.normal(0.0, scale, shape)
    bad = np.abs(out) > 2 * scale
    while bad.any():
        out[bad] = rng.normal(0.0, scale, int(bad.sum()))
        bad = np.abs(out) > 2 * scale
    return out


class VarianceScaling(Initializer):
    """Var(W) = scale / n, n = fan_in, fan_out or their mean; normal (truncated) or uniform."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"mode must be 'fan_in', 'fan_out' or 'fan_avg', got {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"unknown distribution {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def sample(self, shape, rng):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, shape)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), shape)
        return _truncated_normal(rng, math.sqrt(variance), shape)


def GlorotUniform(seed=None):
    """U(−√(6/(fan_in + fan_out)), +√(6/(fan_in + fan_out))) — Keras's default for Dense."""
    return VarianceScaling(1.0, "fan_avg", "uniform", seed)


def GlorotNormal(seed=None):
    """Truncated normal with σ = √(2/(fan_in + fan_out))."""
    return VarianceScaling(1.0, "fan_avg", "truncated_normal", seed)


def HeNormal(seed=None):
    """Truncated normal with σ = √(2/fan_in), for ReLU layers."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def HeUniform(seed=None):
    """U(−√(6/fan_in), +√(6/fan_in))."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


def LecunNormal(seed=None):
    """Truncated normal with σ = √(1/fan_in)."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_normal": HeNormal, "he_uniform": HeUniform, "lecun_normal": LecunNormal,
    "variance_scaling": VarianceScaling,
}


def get(identifier) -> Initializer:
    """An initializer from a name (``"he_normal"``), an instance, or a ``{"class_name", "config"}`` dict."""
    if isinstance(identifier, Initializer) or callable(identifier) and not isinstance(identifier, type):
        return identifier
    if isinstance(identifier, dict):
        return _from_config(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    raise ValueError(f"unknown initializer {identifier!r}; {did_you_mean(identifier, _BY_NAME)}expected one of "
                     f"{sorted(_BY_NAME)}")


def serialize(init) -> dict | None:
    """A JSON-able description ``{"class_name", "config"}`` of a built-in initializer."""
    if not isinstance(init, Initializer):
        return None
    config = init.get_config()
    if not isinstance(config.get("seed"), (int, type(None))):
        config.pop("seed")
    return {"class_name": type(init).__name__, "config": config}


def _from_config(spec: dict) -> Initializer:
    classes = {"Zeros": Zeros, "Ones": Ones, "Constant": Constant, "RandomNormal": RandomNormal,
               "RandomUniform": RandomUniform, "VarianceScaling": VarianceScaling}
    cls = classes.get(spec.get("class_name"))
    if cls is None:
        raise ValueError(f"unknown initializer class {spec.get('class_name')!r}")
    return cls(**spec.get("config", {}))
