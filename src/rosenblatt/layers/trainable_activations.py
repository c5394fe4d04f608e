"""Trainable activations: g(z; θ) whose parameters θ are learned with the weights (Apicella et al., 2021).

Three from the survey, each a layer placed after a linear one (``Dense(8)``, then ``PReLU()``):

=============================  ==================================================  ==========================
layer                          g(z)                                                parameters
=============================  ==================================================  ==========================
``PReLU`` (Keras's)            z if z > 0, else α·z                                α, one per unit
``Swish``                      z·σ(βz)                                             β, one for the layer
``AdaptivePiecewiseLinear``    max(0, z) + Σₛ aₛ·max(0, −z + bₛ), s = 1 … S        aₛ, bₛ, S per unit
=============================  ==================================================  ==========================

"One per unit" means one per element of a sample (shape ``input_shape[1:]``), or one per channel with
``shared_axes``: ``PReLU(shared_axes=[1, 2])`` on (m, H, W, C) images learns C values of α, as Keras.
PReLU is one primitive (``prelu``, with its VJP for z and α); Swish and the adaptive piecewise-linear unit
are composed of primitives (multiply, sigmoid, relu, subtract, reduce_sum), so their gradients follow.

>>> import rosenblatt as rb
>>> PReLU(alpha_initializer="ones")(rb.constant([[-2.0, 3.0]])).numpy()     # α = 1: the identity
array([[-2.,  3.]], dtype=float32)
>>> float(Swish()(rb.constant([[2.0]]))[0, 0])                            # 2·σ(2), β = 1
1.7615941...
"""

from __future__ import annotations

import numpy as np

from rosenblatt import activations, initializers, regularizers
from rosenblatt.autodiff.ops import apply, multiply, reduce_sum, reshape, subtract
from rosenblatt.layers.layer import Layer


def _shared_axes(cls, shared_axes):
    """``shared_axes`` as a sorted tuple of axes ≥ 1 (None: no axis shared)."""
    if shared_axes is None:
        return ()
    axes = [shared_axes] if isinstance(shared_axes, (int, np.integer)) else list(shared_axes)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) and a >= 1 for a in axes):
        raise ValueError(f"{cls}: shared_axes must be axes ≥ 1 of the input (axis 0 is the batch), e.g. [1, 2], "
                         f"got {shared_axes!r}")
    return tuple(sorted({int(a) for a in axes}))


class _PerUnit(Layer):
    """What the per-unit activations share: the parameters' shape from ``input_shape`` and ``shared_axes``,
    and the check that a later input has the shape the layer was built for."""

    def _parameter_shape(self, input_shape):
        cls = type(self).__name__
        if input_shape is None or len(input_shape) < 2:
            raise ValueError(f"{cls} '{self.name}' expects inputs of shape (batch, features...), got shape "
                             f"{input_shape}")
        if self.shared_axes and self.shared_axes[-1] >= len(input_shape):
            raise ValueError(f"{cls} '{self.name}': shared_axes {list(self.shared_axes)} do not fit inputs of shape "
                             f"{tuple(input_shape)} (axes 1 to {len(input_shape) - 1})")
        shape = tuple(1 if axis in self.shared_axes else d for axis, d in enumerate(input_shape) if axis)
        if None in shape:
            raise ValueError(f"{cls} '{self.name}' needs known sizes for its unshared axes, got input shape "
                             f"{tuple(input_shape)}: give the sizes, or share those axes (shared_axes)")
        self._built_for = (None,) + tuple(None if axis in self.shared_axes else d
                                          for axis, d in enumerate(input_shape) if axis)
        return shape

    def _check(self, z):
        expected = self._built_for
        if z.ndim != len(expected) or any(e is not None and e != d for e, d in zip(expected, z.shape)):
            raise ValueError(f"{type(self).__name__} '{self.name}' was built for inputs of shape {expected}, "
                             f"got shape {z.shape}")

    def get_config(self):
        return {**super().get_config(), "shared_axes": list(self.shared_axes) or None}


class PReLU(_PerUnit):
    """The parametric ReLU (He et al., 2015), with Keras's arguments: g(z) = z if z > 0, else α·z.

    Derivatives (the ``prelu`` primitive): ∂g/∂z = 1 if z > 0, else α; ∂g/∂α = 0 if z > 0, else z, summed
    over the batch and the shared axes. At z = 0 the slope is taken as α (PyTorch's choice; TensorFlow's
    relu(z) − α·relu(−z) gives 0 there). α = 0 is ReLU, a fixed α = 0.2 is ``leaky_relu``.

    Args:
        alpha_initializer: how α starts (default ``"zeros"``: the layer starts as a ReLU).
        alpha_regularizer: an optional penalty on α added to the loss.
        alpha_constraint: only None: rosenblatt has no weight constraints yet (a clear error otherwise).
        shared_axes: the input axes along which one α is shared (default None: one α per element of a
            sample); α has the shape ``input_shape[1:]`` with these axes set to 1, as Keras.
        **kwargs: ``name``, ``dtype``, ``trainable``, ``input_shape`` (see :class:`Layer`).

    Weights: ``alpha``, of shape ``input_shape[1:]`` with the shared axes 1 (ONNX ``PRelu``'s slope, and
    PyTorch's ``nn.PReLU(num_parameters).weight`` for a Dense layer's units).

    >>> import rosenblatt as rb
    >>> layer = PReLU(alpha_initializer=rb.initializers.Constant(0.25))
    >>> layer(rb.constant([[-2.0, 1.0, -4.0]])).numpy(), layer.alpha.shape
    (array([[-0.5,  1. , -1. ]], dtype=float32), (3,))
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        kwargs["name"] = kwargs.get("name") or "p_re_lu"  # Keras's default name (its snake case of PReLU)
        super().__init__(**kwargs)
        if alpha_constraint is not None:
            raise ValueError(f"PReLU: alpha_constraint={alpha_constraint!r} is not supported (rosenblatt has no "
                             "weight constraints yet); pass None")
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = None
        self.shared_axes = _shared_axes("PReLU", shared_axes)

    def build(self, input_shape):
        self.alpha = self.add_weight("alpha", self._parameter_shape(input_shape), self.alpha_initializer,
                                     regularizer=self.alpha_regularizer)

    def call(self, inputs):
        self._check(inputs)
        return apply("prelu", inputs, self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha_initializer": initializers.serialize(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer), "alpha_constraint": None}


class Swish(Layer):
    """Swish with a trainable β (Ramachandran, Zoph and Le, 2017): g(z) = z·σ(βz), σ(t) = 1 / (1 + e⁻ᵗ).

    β = 1 is ``swish`` (SiLU); β → ∞ tends to ReLU, β = 0 gives the line z/2. Derivatives, which the tape
    takes through multiply and sigmoid:

        ∂g/∂z = σ(βz) + βz·σ(βz)(1 − σ(βz)),    ∂g/∂β = z²·σ(βz)(1 − σ(βz))

    Keras has no such layer (only the fixed ``swish``); the name and arguments are rosenblatt's.

    Args:
        beta_initializer: how β starts: a number (default 1.0) or an initializer.
        trainable_beta: whether β is learned (default True); if False it stays a fixed, saved weight.
        beta_regularizer: an optional penalty on β added to the loss.
        **kwargs: ``name``, ``dtype``, ``trainable``, ``input_shape`` (see :class:`Layer`).

    Weights: ``beta``, one number (shape ()), for every unit (ONNX: ``Mul(z, Sigmoid(Mul(beta, z)))``).

    >>> import rosenblatt as rb
    >>> layer = Swish(beta_initializer=2.0)
    >>> layer(rb.constant([[0.0, 1.0]])).numpy().round(6), float(layer.beta)    # 1·σ(2) = 0.880797
    (array([[0.      , 0.880797]], dtype=float32), 2.0)
    """

    def __init__(self, beta_initializer=1.0, trainable_beta=True, beta_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(beta_initializer, (int, float, np.integer, np.floating)) and not isinstance(beta_initializer,
                                                                                                  bool):
            beta_initializer = initializers.Constant(float(beta_initializer))
        self.beta_initializer = initializers.get(beta_initializer)
        self.trainable_beta = bool(trainable_beta)
        self.beta_regularizer = regularizers.get(beta_regularizer)

    def build(self, input_shape):
        self.beta = self.add_weight("beta", (), self.beta_initializer, trainable=self.trainable_beta,
                                    regularizer=self.beta_regularizer)

    def call(self, inputs):
        return multiply(inputs, activations.sigmoid(multiply(self.beta, inputs)))

    def get_config(self):
        init = self.beta_initializer
        beta = init.value if isinstance(init, initializers.Constant) else initializers.serialize(init)
        return {**super().get_config(), "beta_initializer": beta, "trainable_beta": self.trainable_beta,
                "beta_regularizer": regularizers.serialize(self.beta_regularizer)}


class AdaptivePiecewiseLinear(_PerUnit):
    """The adaptive piecewise-linear unit, APL (Agostinelli, Hoffman, Sadowski and Baldi, 2015):

        g(z) = max(0, z) + Σₛ aₛ·max(0, −z + bₛ),   s = 1 … S,

    a ReLU plus S hinges: hinge s bends the line at z = bₛ, adding slope −aₛ to its left. Each unit learns
    its own aₛ and bₛ (or shares them along ``shared_axes``). Derivatives, which the tape takes through
    relu, subtract, multiply and reduce_sum:

        ∂g/∂z = [z > 0] − Σₛ aₛ·[bₛ > z],   ∂g/∂aₛ = max(0, bₛ − z),   ∂g/∂bₛ = aₛ·[bₛ > z]

    Args:
        hinges: S, the number of hinges (default 2); a positive integer.
        a_initializer: how the slopes aₛ start (default ``"zeros"``: the unit starts as a ReLU).
        b_initializer: how the hinge points bₛ start (default None: U(−1, 1), so that the hinges differ;
            with equal bₛ they would get equal gradients and never part).
        a_regularizer, b_regularizer: optional penalties added to the loss (the paper puts an L2 penalty
            on a and b).
        shared_axes: as :class:`PReLU`'s.
        **kwargs: ``name``, ``dtype``, ``trainable``, ``input_shape`` (see :class:`Layer`).

    Weights: ``a`` and ``b``, each of shape ``(S,) + input_shape[1:]`` (shared axes 1): hinge s first, so
    ``a[s]`` has the shape of PReLU's α, and g(z) = relu(z) + Σₛ a[s] ⊙ relu(b[s] − z). (The hinges first, not
    last: a sum over a leading axis of 2 is 20 times faster in NumPy than over a trailing one.)

    >>> import rosenblatt as rb
    >>> layer = AdaptivePiecewiseLinear(hinges=1, a_initializer="ones", b_initializer="zeros")
    >>> layer(rb.constant([[-2.0, 3.0]])).numpy()      # max(0, z) + max(0, −z) = |z|
    array([[2., 3.]], dtype=float32)
    >>> layer.a.shape, layer.b.shape
    ((1, 2), (1, 2))
    """

    def __init__(self, hinges=2, a_initializer="zeros", b_initializer=None, a_regularizer=None, b_regularizer=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(hinges, bool) or not isinstance(hinges, (int, np.integer)) or hinges < 1:
            raise ValueError(f"AdaptivePiecewiseLinear: hinges must be a positive integer, got {hinges!r}")
        self.hinges = int(hinges)
        self.a_initializer = initializers.get(a_initializer)
        self.b_initializer = initializers.get(b_initializer if b_initializer is not None
                                              else initializers.RandomUniform(-1.0, 1.0))
        self.a_regularizer = regularizers.get(a_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.shared_axes = _shared_axes("AdaptivePiecewiseLinear", shared_axes)

    def build(self, input_shape):
        shape = self._parameter_shape(input_shape)
        self.a = self.add_weight("a", (self.hinges,) + shape, self.a_initializer, regularizer=self.a_regularizer)
        self.b = self.add_weight("b", (self.hinges,) + shape, self.b_initializer, regularizer=self.b_regularizer)
        self._per_sample = (self.hinges, 1) + shape  # a and b with a batch axis, to broadcast against z

    def call(self, inputs):
        self._check(inputs)
        a, b = reshape(self.a, self._per_sample), reshape(self.b, self._per_sample)
        hinges = activations.relu(subtract(b, inputs))  # max(0, bₛ − z), of shape (S, m, ...)
        return activations.relu(inputs) + reduce_sum(multiply(a, hinges), axis=0)

    def get_config(self):
        return {**super().get_config(), "hinges": self.hinges,
                "a_initializer": initializers.serialize(self.a_initializer),
                "b_initializer": initializers.serialize(self.b_initializer),
                "a_regularizer": regularizers.serialize(self.a_regularizer),
                "b_regularizer": regularizers.serialize(self.b_regularizer)}
