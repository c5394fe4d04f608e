"""The cost-landscape explorer's ASGI app: the page (static files) and the JSON API it calls.

    GET  /                       the page          GET  /api/landscapes    formulas, windows, minima
    GET  /api/optimizers         names, colours, hyper-parameters and their defaults
    POST /api/surface            J on a grid (for the contour map)
    POST /api/trajectories       the paths of the optimizers from a start point
    POST /api/sweep              one optimizer at several η (a fan of paths)
    POST /api/minibatch          the mini-batch view (logistic regression on two weights)
    GET  /openapi.json           the API's documentation (OpenAPI 3)

Every path is computed by :mod:`rosenblatt.optimizers` and every gradient by the tape, in
:mod:`.runs`; this module only validates, dispatches and serialises.

>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app())
>>> client.get("/api/landscapes").json()[0]["formula"]
'w1^2 + w2^2'
"""

from __future__ import annotations

import math
from importlib import resources

import numpy as np
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from . import minibatch, python, runs
from .landscapes import LANDSCAPES, custom
from .schemas import (MAX_BODY, GridRequest, MinibatchRequest, MinibatchResponse, Surface, SweepRequest,
                      SweepResponse, TrajectoryRequest, TrajectoryResponse, finite_or_none)

STATIC = resources.files("rosenblatt.apps.playground") / "static"


class BodyLimit:
    """Refuse a request body over ``limit`` bytes with 413, whether or not it declares its length.

    The body is read here first (at most ``limit`` bytes are ever held), then handed on whole.
    """

    def __init__(self, app, limit=MAX_BODY):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        body, more = [], True
        size = 0
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            size += len(message.get("body", b""))
            if size > self.limit:
                return await _too_large(send, self.limit)
            body.append(message.get("body", b""))
            more = message.get("more_body", False)
        whole = {"type": "http.request", "body": b"".join(body), "more_body": False}
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return whole
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send, limit):
    response = JSONResponse({"detail": f"request body over {limit} bytes"}, status_code=413)
    await response({"type": "http"}, None, send)


def _landscape(request: Surface):
    if request.landscape == "custom":
        return custom(request.formula, request.window or (-3.0, 3.0, -3.0, 3.0))
    return LANDSCAPES[request.landscape]


def _clean(value):
    """Non-finite floats become null (JSON has no inf or NaN), recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _finite_repr(x):
    return x if math.isfinite(x) else repr(x)


def _grid_json(xs, ys, Z):
    Z = np.where(np.isfinite(Z), Z, np.nan)
    return {"w1": xs.tolist(), "w2": ys.tolist(),
            "J": [[None if math.isnan(v) else v for v in row] for row in Z.tolist()],
            "min": finite_or_none(float(np.nanmin(Z))) if np.isfinite(Z).any() else None,
            "max": finite_or_none(float(np.nanmax(Z))) if np.isfinite(Z).any() else None}


def _results(results):
    for result in results:
        if "inside" in result:
            result["inside"] = _clean(result["inside"])
        if result["distance"] is not None and not math.isfinite(result["distance"]):
            result["distance"] = None
        if any(not math.isfinite(v) for point in result["path"][-1:] for v in point):  # never: cut before
            result["path"] = _clean(result["path"])
    return results


def create_app() -> FastAPI:
    # no /docs or /redoc: FastAPI's pages load their scripts from a CDN, and this app works offline
    app = FastAPI(title="rosenblatt playground", version="1", docs_url=None, redoc_url=None,
                  description="The cost-landscape explorer: the library's optimizers racing on J(w1, w2). "
                              "Paths come from rosenblatt.optimizers, gradients from rosenblatt's GradientTape.")

    @app.exception_handler(RequestValidationError)
    async def invalid(request, exc):  # FastAPI's own handler echoes the input, which may be NaN: 500
        return JSONResponse({"detail": _clean(jsonable_encoder(exc.errors(), custom_encoder={float: _finite_repr}))},
                            status_code=422)

    @app.get("/api/landscapes", summary="The built-in landscapes: formula, view window, known minima")
    def landscapes() -> list[dict]:
        return [landscape.describe() for landscape in LANDSCAPES.values()]

    @app.get("/api/optimizers", summary="The optimizers: label, colour, dash, hyper-parameters and defaults")
    def optimizer_list() -> list[dict]:
        return [{"name": name, "label": label, "colour": colour, "dash": dash, "hyperparameters": params,
                 "learning_rate": runs.DEFAULT_LEARNING_RATE.get(name, 0.01)}
                for name, (label, colour, dash, params) in runs.OPTIMIZERS.items()]

    @app.post("/api/surface", summary="J on an n × n grid over the landscape's window")
    def surface(request: GridRequest):
        landscape = _landscape(request)
        return JSONResponse({**landscape.describe(), "grid": _grid_json(*landscape.grid(request.n))})

    @app.post("/api/trajectories", summary="The path of each optimizer from a start point",
              responses={200: {"model": TrajectoryResponse}, 422: {"description": "what was wrong with the request"}})
    def trajectories(request: TrajectoryRequest):
        landscape = _landscape(request)
        results = runs.race(landscape, tuple(request.start), [spec.as_dict() for spec in request.optimizers],
                            request.steps, noise=request.noise, seed=request.seed, inspect=request.inspect)
        return JSONResponse({"landscape": landscape.name, "start": request.start, "steps": request.steps,
                             "results": _results(results)})

    @app.post("/api/python", summary="The Python that computes the same paths with the library")
    def as_python(request: TrajectoryRequest):
        return JSONResponse({"code": python.code(request.model_dump(exclude_none=True))})

    @app.post("/api/sweep", summary="One optimizer at count values of η, log-spaced from eta_min to eta_max",
              responses={200: {"model": SweepResponse}})
    def sweep(request: SweepRequest):
        landscape = _landscape(request)
        etas = runs.log_space(request.eta_min, request.eta_max, request.count)
        results = runs.sweep(landscape, tuple(request.start), request.optimizer.as_dict(), request.steps, etas,
                             noise=request.noise, seed=request.seed)
        return JSONResponse({"landscape": landscape.name, "etas": etas, "results": _results(results)})

    @app.post("/api/minibatch", summary="Logistic regression on two weights with a chosen batch size and η",
              responses={200: {"model": MinibatchResponse}})
    def minibatch_run(request: MinibatchRequest):
        out = minibatch.run(request.batch_size, request.learning_rate, request.iterations, request.optimizer,
                            request.seed)
        return JSONResponse(_clean(out))

    @app.get("/api/minibatch/surface", summary="The true cost of the mini-batch view on a grid, and its data")
    def minibatch_surface() -> dict:
        x, y = minibatch.data()
        return JSONResponse({"window": list(minibatch.WINDOW), "start": list(minibatch.START),
                             "learning_rates": minibatch.LEARNING_RATES, "batch_sizes": minibatch.BATCH_SIZES,
                             "grid": _grid_json(*minibatch.grid()), "x": x.tolist(), "y": y.tolist()})

    @app.get("/", include_in_schema=False)
    def index():
        return FileResponse(str(STATIC / "index.html"), headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    return app
