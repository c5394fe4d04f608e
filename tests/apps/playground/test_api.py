"""The playground's JSON API: paths equal the library's optimizers bit for bit; bad input is a 422."""

import math

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient  # noqa: E402

from rosenblatt import optimizers, schedules  # noqa: E402
from rosenblatt.apps.playground import python as python_code  # noqa: E402
from rosenblatt.apps.playground.landscapes import LANDSCAPES, custom  # noqa: E402
from rosenblatt.apps.playground.runs import OPTIMIZERS  # noqa: E402
from rosenblatt.apps.playground.schemas import TrajectoryResponse  # noqa: E402
from rosenblatt.apps.playground.server import create_app  # noqa: E402


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def direct(spec, landscape, start, steps, noise=0.0, seed=0):
    """The same optimizer built by hand from the library's classes (not through the app's builder)."""
    name, lr = spec["name"], spec["learning_rate"]
    decay = spec.get("decay")
    if decay:
        lr = {"inverse_time": lambda: schedules.InverseTimeDecay(lr, 1, decay["rate"], steps_per_epoch=decay["every"]),
              "exponential": lambda: schedules.ExponentialDecay(lr, 1, decay["rate"], steps_per_epoch=decay["every"]),
              "inverse_sqrt": lambda: schedules.InverseSqrtDecay(lr, decay["rate"], steps_per_epoch=decay["every"]),
              }[decay["kind"]]()
    extra = {k: v for k, v in spec.items() if k not in ("name", "learning_rate", "decay")}
    opt = {"gd": lambda: optimizers.SGD(lr), "nesterov": lambda: optimizers.SGD(lr, momentum=0.9, nesterov=True),
           "momentum": lambda: optimizers.Momentum(lr, **extra), "rmsprop": lambda: optimizers.RMSprop(lr, **extra),
           "adam": lambda: optimizers.Adam(lr, **extra), "adagrad": lambda: optimizers.Adagrad(lr, **extra),
           "adadelta": lambda: optimizers.Adadelta(lr, **extra), "nadam": lambda: optimizers.Nadam(lr, **extra),
           "adamw": lambda: optimizers.AdamW(lr, **extra)}[name]()
    gradient = landscape.gradient
    if noise:
        rng = np.random.default_rng(seed)
        gradient = lambda W: landscape.gradient(W) + noise * rng.standard_normal(2)  # noqa: E731
    return optimizers.trajectory(opt, gradient, start, steps, stop_on_divergence=True)


def test_lists_at_least_ten_landscapes_with_formula_window_and_minima(client):
    listed = client.get("/api/landscapes").json()
    names = {item["name"] for item in listed}
    assert {"bowl", "valley", "saddle", "rosenbrock", "beale", "himmelblau", "camel", "rastrigin", "plateau",
            "two-basins"} <= names
    for item in listed:
        assert item["formula"] and len(item["window"]) == 4 and item["minima"]
        landscape = LANDSCAPES[item["name"]]
        x0, x1, y0, y1 = item["window"]
        for m in item["minima"]:  # a known minimum is inside the window and a stationary point of J
            assert x0 < m["w1"] < x1 and y0 < m["w2"] < y1
            assert np.abs(landscape.gradient(np.array([m["w1"], m["w2"]]))).max() < 2e-4, (item["name"], m)
    assert len(next(i for i in listed if i["name"] == "himmelblau")["minima"]) == 4
    kinds = {m["kind"] for m in next(i for i in listed if i["name"] == "two-basins")["minima"]}
    assert kinds == {"global", "local"}


@pytest.mark.parametrize("name", sorted(LANDSCAPES))
def test_every_optimizer_path_is_bit_for_bit_the_library_s(client, name):
    landscape = LANDSCAPES[name]
    specs = [{"name": n, "learning_rate": landscape.learning_rate} for n in OPTIMIZERS]
    specs += [{"name": "adam", "learning_rate": 0.05, "decay": {"kind": "inverse_time", "rate": 0.1, "every": 5}},
              {"name": "momentum", "learning_rate": 0.05, "beta": 0.5,
               "decay": {"kind": "exponential", "rate": 0.9, "every": 3}},
              {"name": "rmsprop", "learning_rate": 0.05, "rho": 0.5,
               "decay": {"kind": "inverse_sqrt", "rate": 2.0, "every": 1}}]
    body = {"landscape": name, "start": list(landscape.start), "steps": 150, "optimizers": specs}
    answer = client.post("/api/trajectories", json=body).json()
    TrajectoryResponse.model_validate(answer)  # as documented in the OpenAPI schema
    results = answer["results"]
    assert len(results) == len(specs)
    for spec, result in zip(specs, results):
        path = np.array(result["path"])
        expected = direct(spec, landscape, landscape.start, 150)
        assert path.shape[0] == result["steps"] + 1
        np.testing.assert_array_equal(path, expected[:len(path)])   # bit for bit (JSON floats round-trip)
        if not result["diverged"]:
            assert len(path) == 151
        assert result["final_cost"] is None or result["final_cost"] == float(landscape.cost(*path[-1]))


def test_noise_is_seeded_and_the_same_as_a_direct_call(client):
    landscape = LANDSCAPES["himmelblau"]
    specs = [{"name": "gd", "learning_rate": 0.005}, {"name": "adam", "learning_rate": 0.05}]
    body = {"landscape": "himmelblau", "start": [-0.3, 0.2], "steps": 100, "noise": 2.0, "seed": 7, "optimizers": specs}
    first = client.post("/api/trajectories", json=body).json()["results"]
    again = client.post("/api/trajectories", json=body).json()["results"]
    other = client.post("/api/trajectories", json={**body, "seed": 8}).json()["results"]
    for spec, result in zip(specs, first):
        np.testing.assert_array_equal(np.array(result["path"]), direct(spec, landscape, (-0.3, 0.2), 100, 2.0, 7))
    assert first == again and first[0]["path"] != other[0]["path"]


def test_a_diverged_path_is_cut_and_marked(client):
    body = {"landscape": "bowl", "start": [1.0, 1.0], "steps": 500,
            "optimizers": [{"name": "gd", "learning_rate": 1.5}]}
    result = client.post("/api/trajectories", json=body).json()["results"][0]
    assert result["diverged"] and result["diverged_at"] < 20 and result["steps"] == result["diverged_at"]
    assert result["final_cost"] is not None and math.isfinite(result["final_cost"])
    np.testing.assert_array_equal(result["path"][-2], [(-2.0) ** (result["steps"] - 1)] * 2)  # W_t = (1 − 2η)^t W_0
    fine = client.post("/api/trajectories", json={**body, "optimizers": [{"name": "gd", "learning_rate": 0.1}]}).json()
    assert not fine["results"][0]["diverged"] and fine["results"][0]["distance"] < 1e-12


def test_the_table_numbers(client):
    body = {"landscape": "himmelblau", "start": [3.5, 3.5], "steps": 400,
            "optimizers": [{"name": "gd", "learning_rate": 0.01}]}
    r = client.post("/api/trajectories", json=body).json()["results"][0]
    assert r["nearest_minimum"] == {"w1": 3.0, "w2": 2.0, "kind": "global"}
    assert r["distance"] == pytest.approx(math.hypot(r["path"][-1][0] - 3.0, r["path"][-1][1] - 2.0))
    assert r["distance"] < 1e-6 and r["steps"] == 400


def test_inside_a_step_shows_the_library_slots(client):
    body = {"landscape": "rosenbrock", "start": [-1.2, 1.0], "steps": 10, "inspect": 4,
            "optimizers": [{"name": "adam", "learning_rate": 0.01, "decay": {"kind": "inverse_time", "rate": 0.5}},
                           {"name": "momentum", "learning_rate": 0.001}, {"name": "gd", "learning_rate": 0.001}]}
    adam, momentum, gd = (r["inside"] for r in client.post("/api/trajectories", json=body).json()["results"])
    opt = optimizers.Adam(schedules.InverseTimeDecay(0.01, 1, 0.5))
    W = np.array([-1.2, 1.0])
    for _ in range(4):
        before = W.copy()
        dW = LANDSCAPES["rosenbrock"].gradient(W)
        opt.apply_gradients([(dW, W)])
    state = opt.get_state()
    assert adam["t"] == 4 and adam["learning_rate"] == 0.01 / (1 + 0.5 * 3)   # η after decay, at step t = 4
    assert adam["slots"]["v"] == state["0/v"].tolist() and adam["slots"]["s"] == state["0/s"].tolist()
    assert adam["corrected"]["v_corr"] == (state["0/v"] / (1 - 0.9 ** 4)).tolist()
    assert adam["W_before"] == before.tolist() and adam["dW"] == dW.tolist() and adam["W"] == W.tolist()
    assert adam["step"] == (W - before).tolist()
    assert set(momentum["slots"]) == {"v"} and gd["slots"] == {}
    assert gd["effective_learning_rate"] == pytest.approx([0.001, 0.001])


def test_sweep_is_the_optimizer_at_each_learning_rate(client):
    body = {"landscape": "bowl", "start": [1.0, 1.0], "steps": 50, "optimizer": {"name": "gd"},
            "eta_min": 0.01, "eta_max": 1.5, "count": 12}
    out = client.post("/api/sweep", json=body).json()
    assert len(out["etas"]) == 12 and out["etas"][0] == pytest.approx(0.01) and out["etas"][-1] == pytest.approx(1.5)
    assert all(a < b for a, b in zip(out["etas"], out["etas"][1:]))
    finals = [r["final_cost"] for r in out["results"]]
    assert out["results"][-1]["diverged"] and not out["results"][0]["diverged"]   # too large diverges
    assert finals[0] > finals[4]                                                     # too small is slow
    for eta, result in zip(out["etas"], out["results"]):
        expected = direct({"name": "gd", "learning_rate": eta}, LANDSCAPES["bowl"], (1.0, 1.0), 50)
        np.testing.assert_array_equal(result["path"], expected[:len(result["path"])])


def test_minibatch_view_batch_one_is_noisier(client):
    runs = {b: client.post("/api/minibatch", json={"batch_size": b, "learning_rate": 0.5, "iterations": 200}).json()
            for b in (1, 16, 200)}
    rough = {b: np.abs(np.diff(r["batch_cost"])).mean() for b, r in runs.items()}
    assert rough[1] > 3 * rough[16] > 9 * rough[200]
    assert all(len(r["path"]) == 201 and len(r["batch_cost"]) == 200 for r in runs.values())
    np.testing.assert_allclose(runs[200]["batch_cost"], runs[200]["cost"], rtol=1e-12)  # the whole set: the true cost
    assert runs[200]["final_cost"] < runs[200]["cost"][0]
    surface = client.get("/api/minibatch/surface").json()
    assert len(surface["x"]) == 200 and len(surface["grid"]["J"]) == 121


def test_surface_of_a_custom_formula_and_its_tape_gradient(client):
    out = client.post("/api/surface", json={"landscape": "custom", "formula": "w1^2 + 3*sin(w2)",
                                            "window": [-1, 1, -2, 2], "n": 21}).json()
    assert out["grid"]["J"][0][0] == pytest.approx(1 + 3 * math.sin(-2)) and len(out["grid"]["w1"]) == 21
    J = custom("exp(w1/2)*cos(w2) - sqrt(abs(w1*w2) + 1) + log(w1^2 + 1)^3 / (w2^2 + 2)")
    W = np.array([0.7, -1.3])
    a, b = W
    # the derivative written by hand
    u = math.log(a * a + 1)
    d1 = (0.5 * math.exp(a / 2) * math.cos(b) - math.copysign(1, a * b) * b / (2 * math.sqrt(abs(a * b) + 1))
          + 3 * u ** 2 * (2 * a / (a * a + 1)) / (b * b + 2))
    d2 = (-math.exp(a / 2) * math.sin(b) - math.copysign(1, a * b) * a / (2 * math.sqrt(abs(a * b) + 1))
          - u ** 3 * 2 * b / (b * b + 2) ** 2)
    np.testing.assert_allclose(J.gradient(W), [d1, d2], rtol=1e-12)


def test_landscape_gradients_match_pytorch():
    torch = pytest.importorskip("torch")
    fns = {"rosenbrock": lambda a, b: (1 - a) ** 2 + 100 * (b - a ** 2) ** 2,
           "beale": lambda a, b: (1.5 - a + a * b) ** 2 + (2.25 - a + a * b ** 2) ** 2 + (2.625 - a + a * b ** 3) ** 2,
           "rastrigin": lambda a, b: (20 + a ** 2 - 10 * torch.cos(2 * math.pi * a)
                                      + b ** 2 - 10 * torch.cos(2 * math.pi * b)),
           "two-basins": lambda a, b: 0.05 * (a ** 2 + b ** 2) - torch.exp(-((a - 1.5) ** 2 + (b - 1) ** 2))
           - 0.6 * torch.exp(-((a + 1.5) ** 2 + (b + 1) ** 2) / 1.5),
           "camel": lambda a, b: (4 - 2.1 * a ** 2 + a ** 4 / 3) * a ** 2 + a * b + (-4 + 4 * b ** 2) * b ** 2}
    rng = np.random.default_rng(0)
    for name, f in fns.items():
        x0, x1, y0, y1 = LANDSCAPES[name].window
        P = np.column_stack([rng.uniform(x0, x1, 20), rng.uniform(y0, y1, 20)])
        a = torch.tensor(P[:, 0], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(P[:, 1], dtype=torch.float64, requires_grad=True)
        f(a, b).sum().backward()
        np.testing.assert_allclose(LANDSCAPES[name].gradient(P), np.column_stack([a.grad, b.grad]), rtol=1e-10,
                                   atol=1e-10, err_msg=name)


def test_copy_as_python_computes_the_same_paths(client):
    body = {"landscape": "beale", "start": [1.0, 1.4], "steps": 60, "noise": 0.5, "seed": 3,
            "optimizers": [{"name": "nesterov", "learning_rate": 0.001},
                           {"name": "adamw", "learning_rate": 0.01, "weight_decay": 0.1},
                           {"name": "adagrad", "learning_rate": 0.3,
                            "decay": {"kind": "exponential", "rate": 0.97, "every": 2}}]}
    code = client.post("/api/python", json=body).json()["code"]
    assert code == python_code.code(body) and "eval" not in code
    namespace = {}
    exec(compile(code, "<copied>", "exec"), namespace)  # our own generated text, as a user would paste it
    results = client.post("/api/trajectories", json=body).json()["results"]
    for result, path in zip(results, namespace["paths"].values()):
        np.testing.assert_array_equal(result["path"], path)
    custom_body = {"landscape": "custom", "formula": "w1^2 + 2*w2^2", "window": [-2, 2, -2, 2], "start": [1, 1],
                   "steps": 5, "optimizers": [{"name": "gd", "learning_rate": 0.1}]}
    namespace = {}
    exec(compile(python_code.code(custom_body), "<copied>", "exec"), namespace)
    np.testing.assert_array_equal(client.post("/api/trajectories", json=custom_body).json()["results"][0]["path"],
                                  namespace["paths"]["Gradient descent"])


BAD = [
    ("unknown landscape", {"landscape": "everest"}, "bowl"),
    ("unknown optimizer", {"optimizers": [{"name": "lion", "learning_rate": 0.1}]}, "gd"),
    ("η zero", {"optimizers": [{"name": "gd", "learning_rate": 0}]}, "greater than 0"),
    ("η above 10", {"optimizers": [{"name": "gd", "learning_rate": 10.5}]}, "less than or equal to 10"),
    ("too many steps", {"steps": 10001}, "less than or equal to 10000"),
    ("no steps", {"steps": 0}, "greater than or equal to 1"),
    ("too many optimizers", {"optimizers": [{"name": "gd", "learning_rate": 0.1}] * 13}, "at most 12"),
    ("no optimizer", {"optimizers": []}, "at least 1"),
    ("β out of range", {"optimizers": [{"name": "adam", "learning_rate": 0.1, "beta_1": 1.0}]}, "less than 1"),
    ("a parameter the optimizer lacks", {"optimizers": [{"name": "gd", "learning_rate": 0.1, "beta_1": 0.9}]},
     "gd has no hyper-parameter"),
    ("unknown field", {"colour": "red"}, "Extra inputs"),
    ("start of one number", {"start": [1.0]}, "at least 2"),
    ("start far away", {"start": [1e7, 0]}, "within"),
    ("a string for a number", {"start": ["one", 0]}, "valid number"),
    ("unknown decay", {"optimizers": [{"name": "gd", "learning_rate": 0.1, "decay": {"kind": "cosine"}}]},
     "inverse_time"),
    ("formula without custom", {"formula": "w1^2"}, "for landscape 'custom'"),
    ("custom without formula", {"landscape": "custom"}, "needs a formula"),
    ("unsafe formula", {"landscape": "custom", "formula": "__import__('os').system('ls')"}, "unexpected character"),
    ("unknown name", {"landscape": "custom", "formula": "__import__ + w1"}, "unknown name '__import__'"),
    ("attribute access", {"landscape": "custom", "formula": "w1.real"}, "unexpected"),
    ("unbalanced formula", {"landscape": "custom", "formula": "(w1 + w2"}, "expected ')'"),
    ("formula too long", {"landscape": "custom", "formula": "w1+" * 120 + "w2"}, "at most 300"),
    ("a reversed window", {"landscape": "custom", "formula": "w1^2+w2^2", "window": [1, -1, -1, 1]}, "w1 min < w1 max"),
    ("too much work", {"steps": 10000, "optimizers": [{"name": "gd", "learning_rate": 0.1}] * 13}, "at most 12"),
    ("formula work over the bound", {"landscape": "custom", "formula": "+".join(["sin(w1*w2)"] * 20), "steps": 10000},
     "exceeds"),
    ("negative noise", {"noise": -1}, "greater than or equal to 0"),
    ("inspect past the end", {"inspect": 20000}, "less than or equal to 10000"),
]


@pytest.mark.parametrize("what, change, message", BAD, ids=[b[0] for b in BAD])
def test_bad_trajectory_requests_get_a_422_that_says_why(client, what, change, message):
    body = {"landscape": "bowl", "start": [1.0, 1.0], "steps": 10, "optimizers": [{"name": "gd", "learning_rate": 0.1}],
            **change}
    response = client.post("/api/trajectories", json=body)
    assert response.status_code == 422, (what, response.text)
    assert message in response.text, (what, response.text)


@pytest.mark.parametrize("text", ['{"landscape": "bowl", "start": [NaN, 0], "optimizers": [{"name": "gd"}]}',
                                  '{"landscape": "bowl", "start": [Infinity, 0], "optimizers": [{"name": "gd"}]}',
                                  '{"landscape": "bowl", "start": [1e999, 0], "optimizers": [{"name": "gd"}]}',
                                  '{"landscape": ', "[]", "null", '"bowl"'])
def test_non_finite_or_malformed_json_is_a_422_not_a_500(client, text):
    response = client.post("/api/trajectories", content=text, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text


def test_the_body_size_is_bounded(client):
    big = '{"landscape": "bowl", "start": [1, 1], "optimizers": [{"name": "gd"}], "x": "' + "a" * 70_000 + '"}'
    response = client.post("/api/trajectories", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and "65536" in response.text

    def chunks():  # no Content-Length: counted as it arrives
        yield b'{"landscape": "bowl", "x": "'
        for _ in range(20):
            yield b"a" * 5000
        yield b'"}'
    response = client.post("/api/trajectories", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_bad_minibatch_and_sweep_requests(client):
    assert client.post("/api/minibatch", json={"batch_size": 0}).status_code == 422
    assert client.post("/api/minibatch", json={"batch_size": 201}).status_code == 422
    assert client.post("/api/minibatch", json={"iterations": 5000}).status_code == 422
    sweep = {"landscape": "bowl", "start": [1, 1], "optimizer": {"name": "gd"}}
    assert client.post("/api/sweep", json={**sweep, "eta_min": 0.5, "eta_max": 0.1}).status_code == 422
    assert client.post("/api/sweep", json={**sweep, "count": 25}).status_code == 422
    assert client.post("/api/sweep", json={**sweep, "steps": 10000, "count": 24}).status_code == 422
    assert client.post("/api/surface", json={"landscape": "custom", "formula": "w1 +* w2"}).status_code == 422
    assert client.post("/api/surface", json={"n": 5000}).status_code == 422


@pytest.mark.parametrize("path", ["/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py",
                                  "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static//etc/passwd", "/../server.py",
                                  "/server.py", "/static/js/../../server.py"])
def test_no_file_outside_the_static_folder_is_served(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "create_app" not in response.text


def test_the_page_and_its_files_are_served_and_documented(client):
    page = client.get("/")
    assert page.status_code == 200 and '<canvas id="map"' in page.text
    for name in ("/static/app.css", "/static/js/main.js", "/static/js/contour.js", "/static/js/chart.js",
                 "/static/js/state.js", "/static/js/minibatch.js", "/static/js/map.js", "/static/js/panels.js",
                 "/static/js/model.js"):
        assert client.get(name).status_code == 200, name
    schema = client.get("/openapi.json").json()
    assert {"/api/landscapes", "/api/optimizers", "/api/trajectories", "/api/sweep", "/api/minibatch",
            "/api/surface", "/api/python"} <= set(schema["paths"])
    assert "http" not in page.text.replace("http-equiv", "")   # nothing fetched from elsewhere
    assert client.get("/docs").status_code == 404   # FastAPI's docs page would load scripts from a CDN
