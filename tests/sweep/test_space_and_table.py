"""The search space and the results table."""

import math

import numpy as np
import pytest

from rosenblatt import sweep
from rosenblatt.sweep.table import ResultsTable, curves


def test_grid_is_the_product_in_order_with_defaults():
    trials = sweep.grid(optimizer=["sgd", "adam"], learning_rate=[1.0, 0.1], batch_size=[16, 64], seed=[0, 1])
    assert len(trials) == 16
    assert trials[0] == {"optimizer": "sgd", "learning_rate": 1.0, "batch_size": 16, "decay": 0.0, "seed": 0}
    assert trials[1]["seed"] == 1 and trials[2]["batch_size"] == 64 and trials[8]["optimizer"] == "adam"
    assert len({sweep.trial_id(t) for t in trials}) == 16


@pytest.mark.parametrize("axes, message", [
    ({"learning_rate": [0.1, -1.0]}, "learning_rate must be > 0"),
    ({"optimizer": ["adamm"]}, "optimizer must be one of"),
    ({"batch_size": [0]}, "batch_size must be an int ≥ 1"),
    ({"decay": [math.nan]}, "decay must be a finite number"),
    ({"momentum": [0.9]}, "unknown hyper-parameter"),
    ({"learning_rate": []}, "learning_rate has no values"),
])
def test_grid_refuses_bad_values_by_name(axes, message):
    with pytest.raises(ValueError, match=message):
        sweep.grid(**axes)


def test_log_uniform_samples_are_uniform_in_log_eta_and_repeatable():
    trials = sweep.sample(2000, seed=3, learning_rate=("log-uniform", 1e-4, 1.0), optimizer=["sgd", "adam"])
    lrs = np.log10([t["learning_rate"] for t in trials])
    assert lrs.min() >= -4 and lrs.max() <= 0
    # uniform on [-4, 0]: each unit interval holds a quarter (± 4 standard errors)
    counts = np.histogram(lrs, bins=4, range=(-4, 0))[0]
    assert np.all(np.abs(counts - 500) < 4 * math.sqrt(2000 * 0.25 * 0.75))
    assert [t["seed"] for t in trials[:3]] == [0, 1, 2]
    assert trials == sweep.sample(2000, seed=3, learning_rate=("log-uniform", 1e-4, 1.0), optimizer=["sgd", "adam"])
    with pytest.raises(ValueError, match="log-uniform range needs low > 0"):
        sweep.sample(2, learning_rate=("log-uniform", 0.0, 1.0))


def test_duplicate_trials_are_refused():
    with pytest.raises(ValueError, match="appears twice"):
        sweep.run(sweep.grid(learning_rate=0.1) * 2, epochs=1, progress=False)


def _row(i, **extra):
    return {"trial_id": f"t-{i}", "optimizer": "sgd", "learning_rate": 0.1 / 3 ** i, "batch_size": 32, "seed": i,
            "status": "ok", "reason": "a\nb", "final_loss": math.nan, "curves": '{"loss": [0.5, 0.25]}',
            "finished_at": float(i), **extra}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_table_round_trips_rows_exactly(tmp_path, suffix):
    table = ResultsTable(tmp_path / f"sweep{suffix}")
    for i in range(3):
        table.append(_row(i))
    rows = ResultsTable(tmp_path / f"sweep{suffix}").read()
    assert [r["trial_id"] for r in rows] == ["t-0", "t-1", "t-2"]
    assert rows[2]["learning_rate"] == 0.1 / 9  # every bit of the float
    assert rows[1]["batch_size"] == 32 and isinstance(rows[1]["batch_size"], int)
    assert math.isnan(rows[0]["final_loss"])
    assert rows[0]["reason"] == "a b" if suffix == ".csv" else "a\nb"
    assert curves(rows[:1]) == [("t-0", "loss", 1, 0.5), ("t-0", "loss", 2, 0.25)]


def test_csv_line_cut_short_by_a_kill_is_dropped_and_the_table_goes_on(tmp_path):
    path = tmp_path / "sweep.csv"
    table = ResultsTable(path)
    table.append(_row(0))
    table.append(_row(1))
    text = path.read_text()
    path.write_text(text[:-7])  # the second line, half written
    assert [r["trial_id"] for r in ResultsTable(path).read()] == ["t-0"]
    again = ResultsTable(path)
    again.append(_row(2))
    assert [r["trial_id"] for r in ResultsTable(path).read()] == ["t-0", "t-2"]


def test_parquet_temporary_files_are_not_rows(tmp_path):
    path = tmp_path / "sweep.parquet"
    ResultsTable(path).append(_row(0))
    (path / ".t-1.parquet.tmp").write_bytes(b"half a file")
    assert [r["trial_id"] for r in ResultsTable(path).read()] == ["t-0"]


def test_table_path_must_say_its_format(tmp_path):
    with pytest.raises(ValueError, match=r"must end in \.parquet or \.csv"):
        ResultsTable(tmp_path / "sweep.json")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ResultsTable(tmp_path / "missing" / "sweep.csv")
