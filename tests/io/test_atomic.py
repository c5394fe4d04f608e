"""io.atomic: all or nothing, durable, no temporary left behind (a full disk, a kill, a failing fsync), and
ordinary file permissions."""

import errno
import os
import stat
import subprocess
import sys

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.io import atomic
from rosenblatt.io.atomic import replacing


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umasks_permissions_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1)])
        model.save(tmp_path / "m.npz")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "m.npz") == 0o644
    assert os.listdir(tmp_path) == ["m.npz"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")
    os.chmod(path, 0o640)
    with replacing(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(b"new")
    assert path.read_bytes() == b"new" and _mode(path) == 0o640


def test_an_error_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with replacing(path) as tmp:
            with open(tmp, "wb") as f:
                f.write(b"half")
            raise RuntimeError("crash")
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["a.bin"]


def test_a_missing_folder_is_named_with_the_users_path(tmp_path):
    target = tmp_path / "nowhere" / "m.npz"
    with pytest.raises(FileNotFoundError, match="nowhere/m.npz: the folder .*nowhere does not exist"):
        with replacing(target):
            pass
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1)])
    with pytest.raises(FileNotFoundError, match="nowhere"):
        model.save(target)
    assert np.all(np.isfinite(model.get_weights()[0]))


# -- durable saves: invisible while written, full disks, stale temporaries ------------------------------------

def _small_model():
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(3), rb.layers.Dense(1)], seed=0)
    model.compile(optimizer="adam", loss="mse")
    return model


def test_nothing_is_visible_while_the_file_is_written(tmp_path):
    path = tmp_path / "m.npz"
    path.write_bytes(b"old")
    with atomic.writing(path) as f:
        f.write(b"new content")
        assert sorted(os.listdir(tmp_path)) == ["m.npz"] and path.read_bytes() == b"old"
    assert path.read_bytes() == b"new content" and os.listdir(tmp_path) == ["m.npz"]


def test_without_o_tmpfile_a_named_temporary_is_used_and_cleaned(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_O_TMPFILE", None)
    path = tmp_path / "m.npz"
    with atomic.writing(path) as f:
        f.write(b"x")
        assert len(os.listdir(tmp_path)) == 1 and os.listdir(tmp_path)[0].startswith(".m.npz.")
    assert os.listdir(tmp_path) == ["m.npz"]


def test_stale_temporaries_of_dead_processes_are_removed_by_the_next_save(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".m.npz.{pid}-0123abcd.tmp"
    live = tmp_path / f".m.npz.{os.getppid()}-0123abcd.tmp"  # a save of another live process, in progress
    other = tmp_path / f".other.npz.{pid}-0123abcd.tmp"
    for p in (stale, live, other):
        p.write_bytes(b"half a model")
    _small_model().save(tmp_path / "m.npz")
    assert sorted(os.listdir(tmp_path)) == sorted(["m.npz", live.name, other.name])


def test_a_full_disk_leaves_the_previous_file_and_no_litter(tmp_path, monkeypatch):
    model, path = _small_model(), tmp_path / "m.npz"
    model.save(path)
    before = path.read_bytes()

    def full(f, array, **kwargs):
        f.write(b"\0" * 100)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np.lib.format, "write_array", full)
    with pytest.raises(OSError) as caught:
        model.save(path)
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.npz"]


def test_a_failing_fsync_leaves_the_previous_file(tmp_path, monkeypatch):
    model, path = _small_model(), tmp_path / "m.npz"
    model.save(path)
    before = path.read_bytes()
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "I/O error")))
    with pytest.raises(OSError):
        model.save(path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["m.npz"]


@pytest.fixture
def small_tmpfs(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (the injected ENOSPC test covers the same path)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


def test_a_really_full_disk_leaves_the_previous_file(small_tmpfs):
    path = small_tmpfs / "m.npz"
    small = _small_model()
    small.save(path)
    before = path.read_bytes()
    big = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(40_000)], seed=0)  # 480 KB > 192 KB
    with pytest.raises(OSError) as caught:
        big.save(path)
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == before and os.listdir(small_tmpfs) == ["m.npz"]
    assert rb.models.load_model(path).count_params() == small.count_params()
