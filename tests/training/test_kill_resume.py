"""SIGKILL a training process with BackupAndRestore at random moments (between batches, mid-epoch, mid-save),
start it again with the same command each time; the final weights equal an uninterrupted run's, bit for bit,
and no temporary files accumulate.

CI kills 6 times; the long run kills 60 times:

    ROSENBLATT_LONG=1 nice python -m pytest -q tests/training/test_kill_resume.py -s

(``ROSENBLATT_KILLS=N`` sets the number of kills directly; ``-s`` shows the count and the time.)
"""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np

CHILD = os.path.join(os.path.dirname(__file__), "kill_child.py")
KILLS = int(os.environ.get("ROSENBLATT_KILLS", 60 if os.environ.get("ROSENBLATT_LONG") == "1" else 6))


def _start(backup, out, *flags):
    return subprocess.Popen([sys.executable, CHILD, str(backup), str(out), *flags],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkill_at_random_moments_then_resume_is_bit_identical(tmp_path):
    began = time.perf_counter()
    reference = tmp_path / "reference.npy"
    child = _start(tmp_path / "unused", reference, "--no-backup")
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err.decode()
    backup, out = tmp_path / "backup", tmp_path / "out.npy"
    # how long a run takes from its start, to spread the kills over it
    probe = time.perf_counter()
    child = _start(tmp_path / "probe", tmp_path / "probe.npy")
    child.communicate(timeout=300)
    length = time.perf_counter() - probe
    rng = np.random.default_rng(int(os.environ.get("ROSENBLATT_KILL_SEED", "0")))
    kills, finished, positions, litter = 0, 0, [], []
    while kills < KILLS:
        child = _start(backup, out)
        time.sleep(rng.uniform(0.2 * length, 0.9 * length))
        if child.poll() is not None:  # it finished (resumed after earlier kills) before this kill
            assert child.returncode == 0, child.stderr.read().decode()
            np.testing.assert_array_equal(np.load(out), np.load(reference))
            out.unlink()
            finished += 1
            continue
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        names = os.listdir(backup) if backup.exists() else []
        litter.append(len([n for n in names if n.endswith(".tmp")]))
        assert litter[-1] <= 1, names  # at most the one a kill between link and rename leaves
        if "backup.npz" in names:
            with np.load(backup / "backup.npz") as f:
                state = json.loads(str(f["training_state"]))
            positions.append((state["epoch"], state["step"]))
    child = _start(backup, out)
    _, err = child.communicate(timeout=300)
    assert child.returncode == 0, err.decode()
    finished += 1
    np.testing.assert_array_equal(np.load(out), np.load(reference))
    assert os.listdir(backup) == []  # the backup is deleted at the end, and no temporary is left
    assert positions, "no kill landed after a backup was written: the runs are too short to test anything"
    print(f"\n{kills} SIGKILLs at {len(set(positions))} distinct (epoch, batch) backups, {finished} runs finished "
          f"after resuming, all bit-identical to the uninterrupted run; {sum(litter)} stale temporaries seen after "
          f"kills (each removed by the next save); {time.perf_counter() - began:.1f} s")
