"""The trainable activation that is a primitive of its own: PReLU, with its VJP for the input and for α.

f(z; α) = z if z > 0, else α·z (He et al. 2015), α broadcast against z (one α per unit, or shared over some
axes).  Its partial derivatives, where ``g`` is ∂J/∂f:

    ∂f/∂z = 1 if z > 0, else α          (at z = 0: α, as PyTorch's ``prelu`` and the library's leaky_relu)
    ∂f/∂α = 0 if z > 0, else z          (summed over the axes along which α was broadcast)

It is one entry rather than the composition relu(z) − α·relu(−z) (exact too) because a layer's call is then
one tape entry instead of four, and because ONNX and PyTorch name it as one operation (``PRelu``, ``prelu``).
Swish with a trainable β and the adaptive piecewise-linear unit are composed of existing primitives
(see :mod:`rosenblatt.layers.trainable_activations`).

>>> import numpy as np
>>> z, alpha = np.array([[-2.0, 3.0]]), np.array([0.25, 0.5])
>>> _prelu(z, alpha)
array([[-0.5,  3. ]])
>>> _prelu_vjp(np.ones((1, 2)), None, None, z, alpha)     # (∂J/∂z, ∂J/∂α)
(array([[0.25, 1.  ]]), array([-2.,  0.]))
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.primitives.base import Primitive, unbroadcast


# Written with max, min and a 0/1 mask rather than np.where: the same numbers (x + 0 = x, 0 + y = y), three
# times faster on a layer's mixed signs, where np.where's element-by-element choice mispredicts (256 × 256
# float32: forward 0.64 → 0.21 ms, ∂J/∂z 0.68 → 0.22 ms, measured on a loaded shared machine).
def _prelu(z, alpha):
    return np.maximum(z, 0) + alpha * np.minimum(z, 0)  # z if z > 0, else α·z


def _prelu_vjp(g, out, saved, z, alpha, needs=(True, True)):
    gz = galpha = None
    if needs[0]:
        positive = z > 0
        gz = unbroadcast(g * positive + (g * alpha) * ~positive, np.shape(z))  # g if z > 0, else α·g
    if needs[1]:
        galpha = unbroadcast(g * np.minimum(z, 0), np.shape(alpha))  # g·z where z ≤ 0, else 0
    return gz, galpha


TABLE = {"prelu": Primitive(_prelu, _prelu_vjp, selective=True)}
