"""The speed comparison runs: ``python -m benchmarks --quick`` exits 0 and times every workload.

Speed itself is not tested (the table of a full run is what counts, on a quiet machine); this only
checks that every framework runs every workload once, in about half a minute.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_quick_run_times_every_workload(tmp_path):
    pytest.importorskip("threadpoolctl")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--no-keras", "--threads", "1", "--json", str(out),
         "--markdown", str(tmp_path / "bench.md")],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    keys = [r["workload"] for r in report["results"]]
    assert keys[0] == "tiny" and {"cat-b32-f32", "cat-b209-f64", "wide-b32", "mnist", "rosenbrock", "course"} <= set(keys)
    for result in report["results"]:
        assert not result["errors"], result
        assert result["medians"]["rosenblatt fit"] > 0 and result["medians"]["numpy"] > 0
    assert "Speed-up of rosenblatt" in done.stdout and "Targets:" in (tmp_path / "bench.md").read_text()


def test_unknown_workload_is_a_clear_error():
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "nope"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0 and "unknown workload" in done.stderr


def test_conv_speed_runs_side_by_side(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("threadpoolctl")
    out = tmp_path / "conv.json"
    done = subprocess.run([sys.executable, "-m", "benchmarks.conv_speed", "--rounds", "1", "--json", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert set(report["conv"]) == {"rosenblatt", "torch"} and set(report["tiny"]) == {"rosenblatt tape", "torch"}
    assert "cat conv net" in done.stdout and "GradientTape loop" in done.stdout and "load average" in done.stdout
