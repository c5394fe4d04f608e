"""The local pool's processes: one BLAS thread each, set before NumPy loads, the caller's environment untouched."""

import multiprocessing
import os

import pytest

from rosenblatt import sweep


@pytest.mark.skipif(not os.path.exists("/proc/self/environ"), reason="reads the processes' environment in /proc")
def test_pool_processes_start_with_one_blas_thread_and_the_parent_keeps_its_environment(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own setting is kept
    seen = []

    def look(row):
        for p in multiprocessing.active_children():
            if p.name.startswith("SpawnProcess"):
                with open(f"/proc/{p.pid}/environ", "rb") as f:
                    seen.append(sorted(e for e in f.read().split(b"\0") if b"_NUM_THREADS=" in e))

    sweep.run(sweep.grid(seed=[0, 1, 2]), epochs=1, n_samples=50, workers=2, progress=False, callback=look)
    assert seen and all(b"OPENBLAS_NUM_THREADS=1" in env and b"OMP_NUM_THREADS=3" in env for env in seen)
    assert "OPENBLAS_NUM_THREADS" not in os.environ and os.environ["OMP_NUM_THREADS"] == "3"
