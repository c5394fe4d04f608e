"""The built-in cost landscapes J(w1, w2): each a formula, a view window and its known minima.

Every landscape is written in the formula language of :mod:`.expression`, so the page shows the very
text that is computed, and its gradient comes from the library's autodiff (:func:`rosenblatt.function`'s
trace of the tape's primitives, never a second, hand-written derivative). A custom landscape is the same
object built from the user's formula.

>>> bowl = LANDSCAPES["bowl"]
>>> bowl.gradient(np.array([1.0, -2.0]))        # ∇(w1² + w2²) = (2 w1, 2 w2)
array([ 2., -4.])
>>> round(float(LANDSCAPES["rosenbrock"].cost(1.0, 1.0)), 12)
0.0
>>> len(LANDSCAPES["himmelblau"].minima)
4
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

import rosenblatt as rb

from .expression import compile_formula


@dataclass(frozen=True)
class Minimum:
    w1: float
    w2: float
    kind: str = "global"  # "global" or "local"


@dataclass
class Landscape:
    """J(w1, w2) = ``formula`` seen through ``window`` = (w1 min, w1 max, w2 min, w2 max)."""

    name: str
    title: str
    formula: str
    window: tuple
    minima: tuple = ()
    start: tuple = (0.0, 0.0)
    learning_rate: float = 0.01
    about: str = ""
    _J: object = field(default=None, repr=False)
    _traced: object = field(default=None, repr=False)

    def __post_init__(self):
        self._J = compile_formula(self.formula)
        self._traced = rb.function(self._J, name=self.name)

    def cost(self, w1, w2) -> np.ndarray:
        """J at points (numbers or arrays of one shape), float64, without a tape."""
        with np.errstate(all="ignore"):
            return np.asarray(self._J(np.asarray(w1, np.float64), np.asarray(w2, np.float64)).numpy(), np.float64)

    def gradient(self, W) -> np.ndarray:
        """∇J at ``W`` (shape (2,), or (k, 2) for k points at once), float64, from ``rb.function``'s trace.

        The formula is traced once per number of points; each call replays the primitives' forward functions
        and VJPs on the arrays, which gives the eager ``GradientTape``'s bits. One point and k points run the
        same element-wise operations (on contiguous columns), so a point's gradient has the same bits alone or
        in a batch.
        """
        W = np.asarray(W, np.float64)
        with np.errstate(all="ignore"):  # a diverging point is reported by the optimizer, not as a warning
            return self._gradient(W)

    def _gradient(self, W):
        """:meth:`gradient` of a float64 ``W`` without its ``np.errstate`` (for callers that set their own)."""
        columns = W.reshape(-1, 2).T.copy()  # w1 and w2, each contiguous
        _, (g1, g2) = self._traced.gradient(columns[0], columns[1], unconnected_gradients="zero")
        columns[0] = g1
        columns[1] = g2
        return columns.T.reshape(W.shape)

    def grid(self, n=161):
        """J on an n × n grid over the window: (w1 values, w2 values, J[i_w2, i_w1])."""
        x0, x1, y0, y1 = self.window
        xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
        X, Y = np.meshgrid(xs, ys)
        return xs, ys, self.cost(X, Y)

    def nearest_minimum(self, w1, w2):
        """(the nearest known minimum, its Euclidean distance), or (None, None) when none is known."""
        if not self.minima or not (math.isfinite(w1) and math.isfinite(w2)):
            return None, None
        best = min(self.minima, key=lambda m: math.hypot(w1 - m.w1, w2 - m.w2))
        return best, math.hypot(w1 - best.w1, w2 - best.w2)

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "formula": self.formula, "window": list(self.window),
                "minima": [{"w1": m.w1, "w2": m.w2, "kind": m.kind, "cost": float(self.cost(m.w1, m.w2))}
                           for m in self.minima],
                "start": list(self.start), "learning_rate": self.learning_rate, "about": self.about}


def _m(*points, kind="global"):
    return tuple(Minimum(a, b, kind) for a, b in points)


_ALL = [
    Landscape("bowl", "Convex bowl", "w1^2 + w2^2", (-2.0, 2.0, -2.0, 2.0), _m((0.0, 0.0)), (-1.6, 1.4), 0.1,
              "The easy case: every optimizer reaches the one minimum."),
    Landscape("valley", "Elongated valley", "0.05*w1^2 + 2*w2^2", (-4.0, 4.0, -4.0, 4.0), _m((0.0, 0.0)),
              (-3.5, 2.5), 0.4, "Ill-conditioned (curvatures 0.1 and 4): gradient descent zig-zags across, "
              "momentum and RMSprop go along."),
    Landscape("saddle", "Saddle point", "w1^2 - w2^2 + 0.25*w2^4", (-2.5, 2.5, -2.5, 2.5),
              _m((0.0, math.sqrt(2.0)), (0.0, -math.sqrt(2.0))), (-2.2, 0.02), 0.05,
              "A saddle at the origin between two minima: a start near w2 = 0 lingers there."),
    Landscape("rosenbrock", "Rosenbrock", "(1 - w1)^2 + 100*(w2 - w1^2)^2", (-2.0, 2.0, -1.0, 3.0),
              _m((1.0, 1.0)), (-1.2, 1.0), 0.001, "A curved, flat-bottomed valley: finding it is easy, "
              "following it to (1, 1) is not."),
    Landscape("beale", "Beale", "(1.5 - w1 + w1*w2)^2 + (2.25 - w1 + w1*w2^2)^2 + (2.625 - w1 + w1*w2^3)^2",
              (-4.5, 4.5, -4.5, 4.5), _m((3.0, 0.5)), (1.0, 1.4), 0.001,
              "Steep walls and flat floors: the gradient spans many orders of magnitude."),
    Landscape("himmelblau", "Himmelblau", "(w1^2 + w2 - 11)^2 + (w1 + w2^2 - 7)^2", (-5.0, 5.0, -5.0, 5.0),
              _m((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
              (-0.3, 0.2), 0.005, "Four minima of equal cost: which one you reach depends on the start."),
    Landscape("camel", "Six-hump camel", "(4 - 2.1*w1^2 + w1^4/3)*w1^2 + w1*w2 + (-4 + 4*w2^2)*w2^2",
              (-2.0, 2.0, -2.0, 2.0),
              _m((0.089842, -0.712656), (-0.089842, 0.712656))
              + _m((1.703607, -0.796084), (-1.703607, 0.796084), (1.607105, 0.568651), (-1.607105, -0.568651),
                   kind="local"),
              (-1.5, -1.2), 0.01, "Two global and four local minima."),
    Landscape("rastrigin", "Rastrigin", "20 + w1^2 - 10*cos(2*pi*w1) + w2^2 - 10*cos(2*pi*w2)",
              (-5.12, 5.12, -5.12, 5.12), _m((0.0, 0.0)), (3.2, 2.3), 0.002,
              "A bowl covered in local minima: most paths stop in the nearest dimple."),
    Landscape("plateau", "Plateau", "1 - exp(-(w1^2 + w2^2)/4)", (-5.0, 5.0, -5.0, 5.0), _m((0.0, 0.0)),
              (3.6, 3.0), 0.5, "Almost flat far from the hole: plain gradient descent barely moves, "
              "methods that divide by √s_dW do."),
    Landscape("two-basins", "Two basins",
              "0.05*(w1^2 + w2^2) - exp(-((w1 - 1.5)^2 + (w2 - 1)^2)) - 0.6*exp(-((w1 + 1.5)^2 + (w2 + 1)^2)/1.5)",
              (-4.0, 4.0, -4.0, 4.0), _m((1.427765, 0.951843)) + _m((-1.329057, -0.886038), kind="local"),
              (-3.0, -2.2), 0.1, "A shallow local minimum (lower left) and the global one (upper right)."),
]
LANDSCAPES = {landscape.name: landscape for landscape in _ALL}


def custom(formula: str, window=(-3.0, 3.0, -3.0, 3.0)) -> Landscape:
    """A landscape from a user's formula (see :mod:`.expression`); its minima are unknown.

    >>> custom("w1^2 + 3*w2^2").gradient(np.array([1.0, 1.0]))
    array([2., 6.])
    """
    return Landscape("custom", "Custom formula", formula, tuple(float(v) for v in window), (), (-2.0, 2.0), 0.05,
                     "Your formula; its gradient comes from the tape.")
