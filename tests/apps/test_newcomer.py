"""A newcomer's first steps, through the installed command (subprocess): exit status and first line."""

import os
import subprocess
import sys

import pytest

from rosenblatt.datasets import catvnoncat

h5py = pytest.importorskip("h5py")


def run(*argv, env=None, cwd=None):
    environment = {**os.environ, **(env or {})}
    done = subprocess.run([sys.executable, "-m", "rosenblatt.apps.cli", *argv], capture_output=True, text=True,
                          env=environment, cwd=cwd, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_missing_data_names_the_course_and_gives_command_line_advice(tmp_path):
    status, _, err = run("cats", "train", "--epochs", "1", "--data", str(tmp_path), cwd=tmp_path)
    assert status == 2 and "Traceback" not in err
    assert err.splitlines()[0].startswith("rosenblatt cats: cat vs non-cat data not found")
    assert "Neural Networks and Deep Learning" in err and "Deep Learning Specialization" in err
    assert "load_data(" not in err and "--data FOLDER" in err and "export ROSENBLATT_DATA=" in err


@pytest.mark.parametrize("what, content, expected", [
    ("an empty .h5", b"", "could not be read as HDF5"),
    ("a file that is not HDF5", b"just some text\n" * 10, "could not be read as HDF5"),
])
def test_a_bad_data_file_is_one_line_and_status_2(tmp_path, what, content, expected):
    (tmp_path / "mine.h5").write_bytes(content)
    status, out, err = run("cats", "train", "--epochs", "1", "--data", str(tmp_path / "mine.h5"), cwd=tmp_path)
    assert status == 2, what
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err


def test_a_wrong_checksum_is_one_line_without_a_flag_that_does_not_exist(tmp_path):
    for name in catvnoncat.FILES.values():
        (tmp_path / name).write_bytes(b"\x89HDF\r\n\x1a\n not the course's bytes")
    for command in (["train", "--epochs", "1"], ["reproduce"], ["evaluate", "m.npz"], ["mislabeled", "m.npz"]):
        status, _, err = run("cats", *command, "--data", str(tmp_path), *(["--out", "x.png"] if "mislabeled" in command else []),
                             cwd=tmp_path)
        assert status == 2, command
        if command[0] in ("train", "reproduce"):
            assert len(err.strip().splitlines()) == 1 and "SHA-256" in err and "Traceback" not in err
            assert "verify=False" not in err and "--data" in err


def test_the_data_set_once_serves_every_command(tmp_path):
    # the README's way: the files in the user cache folder (here through XDG_CACHE_HOME), then no --data anywhere
    real = catvnoncat.find_data()
    if real is None:
        pytest.skip("the cat data is not on rosenblatt's search path")
    cache = tmp_path / "cache" / "rosenblatt" / "catvnoncat"
    cache.mkdir(parents=True)
    for name in catvnoncat.FILES.values():
        (cache / name).symlink_to((real / name).resolve())
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "ROSENBLATT_DATA": ""}
    status, out, err = run("cats", "train", "--epochs", "1", "--layers", "4", "--members", "1", "--out", "m.npz",
                           env=env, cwd=tmp_path)
    assert status == 0, err
    status, out, err = run("cats", "evaluate", "m.npz", env=env, cwd=tmp_path)
    assert status == 0, err
    assert "/209" in out and "/50" in out
