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
    assert report["trials"] == 4 and all(len(v) == 1 and v[0] > 0 for v in report["times"].values())
