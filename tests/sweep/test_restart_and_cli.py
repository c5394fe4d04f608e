"""``rosenblatt sweep CONFIG.toml``: a sweep killed and started again does no finished trial twice."""

import os
import signal
import subprocess
import sys
import time

import pytest

from rosenblatt import sweep
from rosenblatt.apps.cli import main

CONFIG = """
model = "mlp"
data = "circles"
epochs = 40
n_samples = 600
table = "{table}"

[grid]
optimizer = ["sgd", "adam"]
learning_rate = [1.0, 0.3, 0.1, 0.03, 0.01, 0.003]
"""


def command(config, *extra):
    return [sys.executable, "-m", "rosenblatt.apps.cli", "sweep", str(config), "--quiet", *extra]


@pytest.mark.parametrize("table", ["sweep.csv", "sweep.parquet"])
def test_a_sweep_killed_and_started_again_does_no_finished_trial_twice(tmp_path, table):
    config = tmp_path / "sweep.toml"
    config.write_text(CONFIG.format(table=table))
    path = tmp_path / table
    first = subprocess.Popen(command(config, "--workers", "1"), start_new_session=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and first.poll() is None and len(sweep.read_table(path)) < 3:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)  # the sweep and its pool's processes, mid-trial
    first.wait()
    assert first.returncode == -signal.SIGKILL, first.stdout.read().decode()
    before = sweep.read_table(path)
    assert 3 <= len(before) < 12
    second = subprocess.run(command(config, "--workers", "2"), capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert f"({12 - len(before)} run now, {len(before)} already in" in second.stdout
    after = sweep.read_table(path)
    assert len(after) == 12 == len({r["trial_id"] for r in after})
    assert after[:len(before)] == before  # the same rows, times and workers: not run again


def test_cli_prints_the_best_and_writes_the_plots(tmp_path, capsys):
    config = tmp_path / "sweep.toml"
    config.write_text(CONFIG.replace("epochs = 40", "epochs = 5").format(table="t.csv") + 'batch_size = [32, 64]\n')
    (tmp_path / "plots").mkdir()
    assert main(["sweep", str(config), "--quiet", "--workers", "2", "--plots", str(tmp_path / "plots")]) == 0
    out = capsys.readouterr().out
    assert "24 trials (24 run now, 0 already in" in out and "best: " in out
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == [
        "sweep_best_curves.png", "sweep_heatmap.png", "sweep_loss_vs_lr.png"]


@pytest.mark.parametrize("text, message", [
    ("model = 'mlp'\n", "exactly one of a [grid] or a [sample]"),
    ("epoch = 3\n[grid]\n", "unknown key(s) ['epoch']"),
    ("[grid]\nlearning_rate = [-1.0]\n", "learning_rate must be > 0"),
    ("[grid\n", "is not valid TOML"),
    ("data = 'mnist'\n[grid]\n", "data must be one of"),
])
def test_cli_mistakes_are_one_line_errors(tmp_path, capsys, text, message):
    config = tmp_path / "bad.toml"
    config.write_text(text)
    assert main(["sweep", str(config), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rosenblatt sweep: ") and message in err and "Traceback" not in err


def test_cli_random_sample(tmp_path, capsys):
    config = tmp_path / "s.toml"
    config.write_text('epochs = 2\nn_samples = 100\ntable = "s.csv"\n[sample]\nn = 3\nseed = 1\n'
                      'learning_rate = ["log-uniform", 1e-3, 1.0]\n')
    assert main(["sweep", str(config), "--quiet", "--workers", "1"]) == 0
    rows = sweep.read_table(tmp_path / "s.csv")
    assert sorted(r["learning_rate"] for r in rows) == sorted(
        t["learning_rate"] for t in sweep.sample(3, seed=1, learning_rate=("log-uniform", 1e-3, 1.0)))
