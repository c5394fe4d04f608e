"""200 concurrent trajectory requests (4 optimizers × 1,000 steps on Rosenbrock) against a real uvicorn.

Zero errors and every answer equal to the library's own paths; the median and p99 latency are printed
(``-s`` shows them; the README quotes a run). ``PLAYGROUND_LOAD`` sets the count (default 200).
"""

import asyncio
import os
import statistics
import time

import numpy as np
import pytest

httpx = pytest.importorskip("httpx")

from rosenblatt.apps.playground.landscapes import LANDSCAPES  # noqa: E402
from rosenblatt.apps.playground.runs import race  # noqa: E402

COUNT = int(os.environ.get("PLAYGROUND_LOAD", "200"))
LIMIT_S = 240
SPECS = [{"name": "gd", "learning_rate": 0.001}, {"name": "momentum", "learning_rate": 0.002},
         {"name": "rmsprop", "learning_rate": 0.01}, {"name": "adam", "learning_rate": 0.02}]
STARTS = [(-1.2 + 0.1 * k, 1.0 - 0.05 * k) for k in range(8)]


def test_two_hundred_concurrent_requests(server_url):
    expected = {start: [r["path"] for r in race(LANDSCAPES["rosenbrock"], start, SPECS, 1000)] for start in STARTS}

    async def one(client, k):
        start = STARTS[k % len(STARTS)]
        body = {"landscape": "rosenbrock", "start": list(start), "steps": 1000, "optimizers": SPECS}
        began = time.perf_counter()
        response = await client.post("/api/trajectories", json=body)
        took = time.perf_counter() - began
        return start, response, took

    async def run():
        limits = httpx.Limits(max_connections=COUNT, max_keepalive_connections=COUNT)
        async with httpx.AsyncClient(base_url=server_url, timeout=LIMIT_S, limits=limits, trust_env=False) as client:
            return await asyncio.wait_for(asyncio.gather(*(one(client, k) for k in range(COUNT))), LIMIT_S)

    began = time.perf_counter()
    answers = asyncio.run(run())
    wall = time.perf_counter() - began
    errors = [r.status_code for _, r, _ in answers if r.status_code != 200]
    assert errors == []
    for start, response, _ in answers:
        paths = [r["path"] for r in response.json()["results"]]
        assert paths == expected[start]
        assert all(len(p) == 1001 for p in paths)
    latencies = sorted(t for _, _, t in answers)
    median = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(np.ceil(0.99 * len(latencies))) - 1)]
    print(f"\n{COUNT} concurrent requests: median {median * 1e3:.0f} ms, p99 {p99 * 1e3:.0f} ms, "
          f"all answered in {wall:.1f} s ({COUNT / wall:.1f} requests/s)")
