"""The cost-landscape page's work: 4 optimizers × 1,000 steps on Rosenbrock, next to PyTorch doing the same.

    python -m benchmarks.playground [--rounds 15]

Times (medians over the rounds, after one warm-up):
  rosenblatt race        the app's computation (runs.race: the library's optimizers, gradients from rosenblatt.function's
                         replay of the tape's primitives)
  rosenblatt request     the same through the HTTP API in-process (validation and JSON included)
  torch                  torch.optim SGD, SGD(momentum) (the EWA form's equivalent), RMSprop, Adam, each on a
                         2-element tensor with autograd, 1,000 steps each
The target is under 50 ms for the request.
"""

from __future__ import annotations

import argparse
import statistics
import time

from rosenblatt.apps.playground.landscapes import LANDSCAPES
from rosenblatt.apps.playground.runs import race

SPECS = [{"name": "gd", "learning_rate": 0.001}, {"name": "momentum", "learning_rate": 0.002, "beta": 0.9},
         {"name": "rmsprop", "learning_rate": 0.01, "rho": 0.9}, {"name": "adam", "learning_rate": 0.02}]
START, STEPS = (-1.2, 1.0), 1000


def time_it(fn, rounds):
    fn()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def rosenblatt_race():
    return race(LANDSCAPES["rosenbrock"], START, SPECS, STEPS)


def rosenblatt_request():
    from fastapi.testclient import TestClient

    from rosenblatt.apps.playground.server import create_app

    client = TestClient(create_app())
    body = {"landscape": "rosenbrock", "start": list(START), "steps": STEPS, "optimizers": SPECS}
    return lambda: client.post("/api/trajectories", json=body).raise_for_status()


def torch_race():
    import torch

    torch.set_num_threads(1)

    def J(w):
        return (1 - w[0]) ** 2 + 100 * (w[1] - w[0] ** 2) ** 2

    def run():
        makers = [lambda p: torch.optim.SGD(p, lr=0.001),
                  lambda p: torch.optim.SGD(p, lr=0.002 * (1 - 0.9), momentum=0.9),
                  lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8),
                  lambda p: torch.optim.Adam(p, lr=0.02)]
        paths = []
        for make in makers:
            w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
            opt = make([w])
            path = [w.detach().clone()]
            for _ in range(STEPS):
                opt.zero_grad()
                J(w).backward()
                opt.step()
                path.append(w.detach().clone())
            paths.append(torch.stack(path))
        return paths

    return run


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=15)
    args = p.parse_args(argv)
    rows = [("rosenblatt race", time_it(rosenblatt_race, args.rounds))]
    try:
        rows.append(("rosenblatt request", time_it(rosenblatt_request(), args.rounds)))
    except ImportError as error:
        print(f"(skipping the request: {error})")
    try:
        rows.append(("torch", time_it(torch_race(), args.rounds)))
    except ImportError:
        print("(skipping torch: not installed)")
    base = dict(rows).get("torch")
    print(f"4 optimizers x {STEPS} steps on Rosenbrock, median of {args.rounds} rounds")
    for name, seconds in rows:
        ratio = f"  {base / seconds:5.2f}x torch's speed" if base and name != "torch" else ""
        print(f"  {name:<20} {seconds * 1e3:8.1f} ms{ratio}")
    request = dict(rows).get("rosenblatt request")
    if request is not None:
        print(f"target: the request under 50 ms: {'met' if request < 0.05 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
