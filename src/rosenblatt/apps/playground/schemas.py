"""The JSON API's requests, validated at the boundary: known names, finite numbers, bounded work.

A request outside these bounds is answered 422 with what was wrong (pydantic's message, naming the
field and the bad value), before any work starts.
"""

from __future__ import annotations

import math
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .expression import FormulaError, parse
from .landscapes import LANDSCAPES
from .runs import OPTIMIZERS

MAX_STEPS = 10_000
MAX_OPTIMIZERS = 12
MAX_SWEEP = 24
MAX_WORK = 120_000          # optimizer steps in one request (steps × optimizers)
MAX_FORMULA_WORK = 600_000  # steps × operations of a custom formula
MAX_BODY = 64 * 1024        # bytes of a request body
LIMIT = 1e6                 # |coordinates| of a start point or a window

LandscapeName = Literal[tuple([*LANDSCAPES, "custom"])]
OptimizerName = Literal[tuple(OPTIMIZERS)]
Unit = Field(default=None, ge=0.0, lt=1.0)
Positive = Field(default=None, gt=0.0, le=1.0)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Decay(Strict):
    """The lecture's learning-rate decays, evaluated at epoch = step // every."""

    kind: Literal["none", "inverse_time", "exponential", "inverse_sqrt"] = "none"
    rate: Optional[float] = Field(default=None, ge=0.0, le=100.0,
                                  description="inverse_time: the decay rate; exponential: the factor (0.95); "
                                              "inverse_sqrt: k")
    every: int = Field(default=1, ge=1, le=MAX_STEPS, description="steps per epoch")

    @model_validator(mode="after")
    def _positive_factor(self):
        if self.kind in ("exponential", "inverse_sqrt") and self.rate is not None and self.rate <= 0:
            raise ValueError(f"decay rate for {self.kind} must be > 0, got {self.rate}")
        return self


class OptimizerSpec(Strict):
    """One optimizer of the library with its hyper-parameters (a missing one takes the library's default)."""

    name: OptimizerName
    learning_rate: float = Field(default=0.01, gt=0.0, le=10.0, description="η in (0, 10]")
    decay: Optional[Decay] = None
    beta: Optional[float] = Unit
    momentum: Optional[float] = Unit
    beta_1: Optional[float] = Unit
    beta_2: Optional[float] = Unit
    rho: Optional[float] = Unit
    epsilon: Optional[float] = Positive
    weight_decay: Optional[float] = Field(default=None, ge=0.0, le=1.0)
    initial_accumulator_value: Optional[float] = Field(default=None, ge=0.0, le=100.0)
    label: Optional[str] = Field(default=None, max_length=40)

    @model_validator(mode="after")
    def _known_parameters(self):
        allowed = set(OPTIMIZERS[self.name][3])
        given = {key for key in ("beta", "momentum", "beta_1", "beta_2", "rho", "epsilon", "weight_decay",
                                 "initial_accumulator_value") if getattr(self, key) is not None}
        if given - allowed:
            raise ValueError(f"{self.name} has no hyper-parameter {sorted(given - allowed)}; "
                             f"its hyper-parameters are {sorted(allowed) or 'none but learning_rate'}")
        return self

    def as_dict(self):
        return self.model_dump(exclude_none=True)


class Surface(Strict):
    """Which landscape: a built-in name, or ``custom`` with a ``formula`` (and optionally a ``window``)."""

    landscape: LandscapeName = "bowl"
    formula: Optional[str] = Field(default=None, max_length=300)
    window: Optional[list[float]] = Field(default=None, min_length=4, max_length=4,
                                          description="[w1 min, w1 max, w2 min, w2 max] (custom only)")

    @field_validator("formula")
    @classmethod
    def _parse(cls, formula):
        if formula is not None:
            try:
                parse(formula)
            except FormulaError as error:
                raise ValueError(f"formula: {error}") from None
        return formula

    @field_validator("window")
    @classmethod
    def _window(cls, window):
        if window is not None:
            x0, x1, y0, y1 = window
            if not (x0 < x1 and y0 < y1):
                raise ValueError(f"window must be [w1 min < w1 max, w2 min < w2 max], got {window}")
            if max(map(abs, window)) > LIMIT:
                raise ValueError(f"window coordinates must lie within ±{LIMIT:g}, got {window}")
        return window

    @model_validator(mode="after")
    def _custom(self):
        if self.landscape == "custom" and self.formula is None:
            raise ValueError("landscape 'custom' needs a formula in w1 and w2")
        if self.landscape != "custom" and (self.formula is not None or self.window is not None):
            raise ValueError(f"formula and window are for landscape 'custom', not {self.landscape!r}")
        return self

    def operations(self):
        return 1 if self.formula is None else repr(parse(self.formula)).count("(")


class GridRequest(Surface):
    n: int = Field(default=161, ge=11, le=301, description="grid points per side")


class Race(Surface):
    start: list[float] = Field(min_length=2, max_length=2, description="W_0 = [w1, w2]")
    steps: int = Field(default=200, ge=1, le=MAX_STEPS)
    noise: float = Field(default=0.0, ge=0.0, le=100.0, description="σ of the gradient noise")
    seed: int = Field(default=0, ge=0, le=2**32 - 1)
    inspect: Optional[int] = Field(default=None, ge=1, le=MAX_STEPS,
                                   description="also return what happened inside this step")

    @field_validator("start")
    @classmethod
    def _start(cls, start):
        if max(map(abs, start)) > LIMIT:
            raise ValueError(f"start must lie within ±{LIMIT:g}, got {start}")
        return start

    def _bound(self, count):
        if self.steps * count > MAX_WORK:
            raise ValueError(f"steps × optimizers = {self.steps} × {count} = {self.steps * count} exceeds "
                             f"{MAX_WORK}")
        if self.steps * self.operations() > MAX_FORMULA_WORK:
            raise ValueError(f"steps × formula operations = {self.steps} × {self.operations()} exceeds "
                             f"{MAX_FORMULA_WORK}; use fewer steps or a shorter formula")
        return self


class TrajectoryRequest(Race):
    optimizers: list[OptimizerSpec] = Field(min_length=1, max_length=MAX_OPTIMIZERS)

    @model_validator(mode="after")
    def _work(self):
        return self._bound(len(self.optimizers))


class SweepRequest(Race):
    optimizer: OptimizerSpec
    eta_min: float = Field(default=1e-4, gt=0.0, le=10.0)
    eta_max: float = Field(default=1.0, gt=0.0, le=10.0)
    count: int = Field(default=12, ge=2, le=MAX_SWEEP)

    @model_validator(mode="after")
    def _work(self):
        if not self.eta_min < self.eta_max:
            raise ValueError(f"eta_min must be < eta_max, got {self.eta_min} and {self.eta_max}")
        return self._bound(self.count)


class MinibatchRequest(Strict):
    batch_size: int = Field(default=200, ge=1, le=200, description="1 (stochastic) … 200 (the whole set)")
    learning_rate: float = Field(default=0.5, gt=0.0, le=10.0)
    iterations: int = Field(default=200, ge=1, le=2000)
    optimizer: OptimizerName = "gd"
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


def finite_or_none(x):
    return x if x is None or math.isfinite(x) else None


# -- the answers, for the OpenAPI documentation (the server writes them as plain JSON) ---------------------
class NearestMinimum(BaseModel):
    w1: float
    w2: float
    kind: Literal["global", "local"]


class PathResult(BaseModel):
    name: OptimizerName
    label: str
    colour: str = Field(description="an Okabe–Ito colour, #RRGGBB")
    dash: list[int] = Field(description="the dash pattern the page draws it with")
    path: list[list[float]] = Field(description="W_0 … W_n, [[w1, w2], …]")
    cost: list[Optional[float]] = Field(description="J(W_t) for each point (null where not finite)")
    diverged: bool
    diverged_at: Optional[int] = Field(description="the step at which it diverged (a non-finite value, or the point "
                                                   "left the region of 10 windows around the view)")
    steps: int
    final_cost: Optional[float]
    nearest_minimum: Optional[NearestMinimum]
    distance: Optional[float] = Field(description="Euclidean distance from the last point to the nearest known minimum")
    inside: Optional[dict] = Field(default=None, description="with inspect = t: η after decay, dW, W before and "
                                                             "after, the step, the effective η, the slots")


class TrajectoryResponse(BaseModel):
    landscape: str
    start: list[float]
    steps: int
    results: list[PathResult]


class SweepResponse(BaseModel):
    landscape: str
    etas: list[float]
    results: list[PathResult]


class MinibatchResponse(BaseModel):
    path: list[list[float]]
    batch_cost: list[Optional[float]] = Field(description="the cost of the mini-batch each iteration used")
    cost: list[Optional[float]] = Field(description="the true cost (whole set) before each iteration")
    final_cost: Optional[float]
    batch_size: int
    learning_rate: float
    iterations: int
