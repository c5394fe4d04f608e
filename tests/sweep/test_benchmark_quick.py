"""``python -m benchmarks.sweep --quick`` runs every backend once and finds them giving the same table."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_quick_sweep_benchmark_runs(tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.sweep", "--quick", "--json", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "same table on every backend: yes" in done.stdout
    report = json.loads(out.read_text())
    times = report["times"]
    assert report["trials"] == 4 and all(len(times[k]) == 1 and times[k][0] > 0
                                         for k in ("in-process", "pool 1", "pool 2", "dask 1", "dask 2"))
    # the overhead alone is a difference of two times (it may come out below 0 on a busy machine)
    assert all(len(times[k]) == 1 for k in ("tiny in-process", "tiny pool 1", "tiny dask 1"))
