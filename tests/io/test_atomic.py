"""io.atomic.replacing: all or nothing, no temporary left behind, and ordinary file permissions."""

import os
import stat

import numpy as np
import pytest

import rosenblatt as rb
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
