"""The local pool and a Dask cluster give the same table; lost workers lose nothing; resuming skips what is done."""

import multiprocessing
import os
import signal

import pytest

import rosenblatt as rb
from rosenblatt import sweep

distributed = pytest.importorskip("distributed")

TIMING = {"time_s", "worker", "attempts", "finished_at"}
TRIALS = sweep.grid(optimizer=["sgd", "adam"], learning_rate=[50.0, 1.0, 0.1, 0.01], batch_size=[32, 100], seed=[0, 1])
TASK = dict(model="mlp", data="circles", epochs=8, n_samples=400)


def results(rows):
    """The rows without what depends on where and when they ran."""
    return sorted(({k: v for k, v in r.items() if k not in TIMING} for r in rows), key=lambda r: r["trial_id"])


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1", processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory):
    path = tmp_path_factory.mktemp("local") / "sweep.csv"
    rows = sweep.run(TRIALS, **TASK, table=path, workers=2, progress=False)
    return rows, path


def test_local_pool_table_has_one_row_per_trial_with_their_status(local_rows):
    rows, path = local_rows
    assert results(sweep.read_table(path)) == results(rows)
    assert len(rows) == len(TRIALS) == len({r["trial_id"] for r in rows})
    assert [(r["optimizer"], r["learning_rate"], r["batch_size"], r["seed"]) for r in rows] == [
        (t["optimizer"], t["learning_rate"], t["batch_size"], t["seed"]) for t in TRIALS]
    assert {r["status"] for r in rows if r["optimizer"] == "sgd" and r["learning_rate"] == 50.0} == {"diverged"}
    assert all(r["status"] == "ok" for r in rows if r["learning_rate"] == 0.1)


def test_local_pool_equals_one_process_equals_run_trial(local_rows):
    rows, _ = local_rows
    serial = sweep.run(TRIALS[:6], **TASK, workers=1, progress=False)
    assert results(serial) == results(rows[:6])
    direct = [sweep.run_trial(t, sweep.Task(**TASK)) for t in TRIALS[:2]]
    assert results(direct) == results(rows[:2])


@pytest.mark.parametrize("table", ["sweep.parquet", "sweep.csv"])
def test_dask_cluster_table_equals_the_local_pool(cluster, local_rows, tmp_path, table):
    with distributed.Client(cluster) as client:
        rows = sweep.run(TRIALS, **TASK, table=tmp_path / table, client=client, progress=False)
    assert results(rows) == results(local_rows[0])
    assert results(sweep.read_table(tmp_path / table)) == results(local_rows[0])
    assert {r["worker"] for r in rows} <= set(cluster.scheduler_info["workers"])


def test_arrays_are_sent_to_the_workers_once_and_give_the_same_rows(cluster):
    x, y = rb.data.points.make_moons(n_samples=300, seed=5)
    trials = sweep.grid(optimizer=["sgd", "adam"], learning_rate=[0.3, 0.03])
    local = sweep.run(trials, data=(x, y, x[:50], y[:50]), epochs=3, workers=2, progress=False)
    with distributed.Client(cluster) as client:
        remote = sweep.run(trials, data=(x, y, x[:50], y[:50]), epochs=3, client=client, progress=False)
    assert results(remote) == results(local)
    assert all(r["data"].startswith("arrays:") and r["status"] == "ok" for r in local)


def test_dask_by_scheduler_address(cluster, local_rows):
    rows = sweep.run(TRIALS[:4], **TASK, scheduler=cluster.scheduler_address, progress=False)
    assert results(rows) == results(local_rows[0][:4])


def test_a_killed_dask_worker_loses_no_finished_row_and_its_trials_run_elsewhere(cluster, local_rows, tmp_path):
    path, killed = tmp_path / "sweep.csv", []
    long = dict(TASK, epochs=30)
    with distributed.Client(cluster) as client:
        client.wait_for_workers(2)

        def kill_one(row):
            if killed:
                return
            busy = {w: keys for w, keys in client.processing().items() if keys}
            address = next(iter(busy))
            pid = client.run(os.getpid, workers=[address])[address]
            killed.append((address, pid, len(sweep.read_table(path)), sweep.read_table(path)))
            os.kill(pid, signal.SIGKILL)

        rows = sweep.run(TRIALS, **long, table=path, client=client, progress=False, callback=kill_one)
        client.wait_for_workers(2)  # the nanny starts a new one, for the next tests
    address, pid, n_before, before = killed[0]
    table = sweep.read_table(path)
    assert len(table) == len(TRIALS) == len({r["trial_id"] for r in table})
    assert table[:n_before] == before  # nothing written before the kill changed
    assert all(r["status"] in ("ok", "diverged") for r in table)
    retried = [r for r in table if r["attempts"] > 1]
    assert retried and all(r["worker"] != address for r in retried)


def test_a_killed_pool_process_loses_no_finished_row_and_its_trial_runs_again(tmp_path):
    path, killed = tmp_path / "sweep.csv", []

    def kill_one(row):
        if not killed:
            child = next(p for p in multiprocessing.active_children() if "Dask" not in p.name)
            killed.append(sweep.read_table(path))
            os.kill(child.pid, signal.SIGKILL)

    rows = sweep.run(TRIALS[:8], **TASK, table=path, workers=2, progress=False, callback=kill_one)
    table = sweep.read_table(path)
    assert len(table) == 8 == len({r["trial_id"] for r in table})
    assert table[:len(killed[0])] == killed[0]
    assert max(r["attempts"] for r in table) == 2
    assert all(r["status"] in ("ok", "diverged") for r in rows)


def test_a_trial_whose_process_always_dies_is_lost_not_fatal():
    # os._exit(seed) as the model function: the process running the trial exits, every time
    rows = sweep.run(sweep.grid(seed=[0, 1]), model=os._exit, data="circles", epochs=1, n_samples=50, workers=1,
                     max_attempts=2, progress=False)
    assert [r["status"] for r in rows] == ["lost", "lost"]
    assert all(r["attempts"] == 2 and "died 2 times" in r["reason"] for r in rows)


def test_progress_bar_counts_trials_and_shows_the_best_so_far(capsys):
    pytest.importorskip("tqdm")
    trials = sweep.grid(optimizer=["sgd", "adam"], learning_rate=[0.1, 1e-4])
    rows = sweep.run(trials, epochs=3, n_samples=200, workers=1, progress=True)
    err = capsys.readouterr().err
    b = sweep.best(rows)
    assert "4/4" in err
    assert f"best val acc {b['final_val_accuracy']:.3f}: {b['optimizer']} η={b['learning_rate']:.3g}" in err
