"""The cat vs non-cat loader: synthetic HDF5 files written here, and the course's files when present."""

import sys
from pathlib import Path

import numpy as np
import pytest

h5py = pytest.importorskip("h5py", reason='the cat loader needs h5py (pip install -e ".[cats]")')

from rosenblatt.datasets import catvnoncat  # noqa: E402

REAL = catvnoncat.find_data()  # the library's search path: $ROSENBLATT_DATA, the user cache, beside the checkout
needs_real = pytest.mark.skipif(REAL is None, reason="the course's files are not on rosenblatt's search path "
                                                     "(not shipped; README, Cat vs non-cat: put both files in "
                                                     "~/.cache/rosenblatt/catvnoncat or set ROSENBLATT_DATA)")


def arrays(m_train=6, m_test=4, seed=0):
    rng = np.random.default_rng(seed)
    return {
        "train_set_x": rng.integers(0, 256, (m_train, 64, 64, 3), dtype=np.uint8),
        "train_set_y": np.arange(m_train, dtype=np.int64) % 2,
        "test_set_x": rng.integers(0, 256, (m_test, 64, 64, 3), dtype=np.uint8),
        "test_set_y": np.arange(m_test, dtype=np.int64) % 2,
        "list_classes": np.array([b"non-cat", b"cat"], dtype="S7"),
    }


def write(file, datasets):
    with h5py.File(file, "w") as f:
        for name, a in datasets.items():
            f.create_dataset(name, data=a)
    return file


def write_folder(folder, datasets):
    """The course's layout: two files, train_* and list_classes in one, test_* and list_classes in the other."""
    for split in ("train", "test"):
        write(folder / f"{split}_catvnoncat.h5",
              {k: v for k, v in datasets.items() if k.startswith(split) or k == "list_classes"})
    return folder


def test_one_file_with_both_splits(tmp_path):
    a = arrays()
    (x_train, y_train), (x_test, y_test) = catvnoncat.load_data(write(tmp_path / "mine.h5", a))
    np.testing.assert_array_equal(x_train, a["train_set_x"])
    np.testing.assert_array_equal(y_test, a["test_set_y"])
    assert x_train.dtype == np.uint8 and y_train.dtype == np.int64 and x_test.shape == (4, 64, 64, 3)


def test_course_names_with_other_bytes_fail_the_hash_check(tmp_path):
    write_folder(tmp_path, arrays())
    with pytest.raises(catvnoncat.ChecksumError, match=r"train_catvnoncat\.h5 has SHA-256 [0-9a-f]{64}.*verify=False"):
        catvnoncat.load_data(tmp_path)
    with pytest.raises(ValueError) as e:  # a ValueError, as before
        catvnoncat.load_data(tmp_path)
    assert "verify=False" not in e.value.message(command_line=True) and "--data" in e.value.message(command_line=True)


def test_verify_false_reads_a_folder_and_still_checks_the_schema(tmp_path):
    a = arrays()
    (x_train, _), (_, y_test) = catvnoncat.load_data(write_folder(tmp_path, a), verify=False)
    np.testing.assert_array_equal(x_train, a["train_set_x"])
    np.testing.assert_array_equal(y_test, a["test_set_y"])
    a["test_set_y"][0] = 7
    write_folder(tmp_path, a)
    with pytest.raises(ValueError, match=r"labels \[7\]"):
        catvnoncat.load_data(tmp_path, verify=False)


@pytest.mark.parametrize("name, bad, message", [
    ("train_set_x", np.zeros((6, 64, 64), np.uint8), r"train_set_x is uint8 of shape \(6, 64, 64\)"),
    ("train_set_x", np.zeros((6, 32, 32, 3), np.uint8), r"expected uint8 of shape \(m, 64, 64, 3\)"),
    ("test_set_x", np.zeros((4, 64, 64, 3), np.float32), r"'test_set_x' has dtype float32; expected integers"),
    ("test_set_x", np.zeros((4, 64, 64, 3), np.int16), r"test_set_x is int16"),
    ("train_set_y", np.zeros((6, 1), np.int64), r"train_set_y is int64 of shape \(6, 1\)"),
    ("train_set_y", np.zeros(5, np.int64), r"expected integer labels of shape \(6,\)"),
    ("train_set_y", np.zeros(6, np.float64), r"'train_set_y' has dtype float64"),
    ("train_set_y", np.array([0, 1, 2, 1, 0, 1]), r"labels \[2\]; expected only 0 \(non-cat\) and 1 \(cat\)"),
    ("test_set_y", np.array([0, -1, 1, 0]), r"labels \[-1\]"),
    ("list_classes", np.array([b"a", b"b", b"c"]), r"list_classes is \|S1 of shape \(3,\)"),
])
def test_schema_errors_name_the_dataset_and_the_bad_value(tmp_path, name, bad, message):
    a = arrays()
    a[name] = bad
    with pytest.raises(ValueError, match=message):
        catvnoncat.load_data(write(tmp_path / "mine.h5", a))


def test_object_dtype_is_refused_unread(tmp_path):
    a = arrays()
    del a["train_set_y"]
    file = write(tmp_path / "mine.h5", a)
    with h5py.File(file, "a") as f:
        f.create_dataset("train_set_y", data=["0"] * 6, dtype=h5py.string_dtype())
    with pytest.raises(ValueError, match=r"train_set_y' has dtype object"):
        catvnoncat.load_data(file)


@pytest.mark.parametrize("missing", ["train_set_x", "test_set_y"])
def test_missing_dataset(tmp_path, missing):
    a = arrays()
    del a[missing]
    with pytest.raises(ValueError, match=rf"has no dataset '{missing}'; it has \["):
        catvnoncat.load_data(write(tmp_path / "mine.h5", a))


def test_a_known_train_file_alone_is_not_both_splits(tmp_path):
    write_folder(tmp_path, arrays())
    with pytest.raises(ValueError, match="has no dataset 'test_set_x'"):
        catvnoncat.load_data(tmp_path / "train_catvnoncat.h5", verify=False)


def test_truncated_file(tmp_path):
    file = write(tmp_path / "mine.h5", arrays(m_train=50))
    data = file.read_bytes()
    file.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"mine\.h5 could not be read as HDF5 \(truncated or not an HDF5 file\?\)"):
        catvnoncat.load_data(file)


def test_not_hdf5(tmp_path):
    file = tmp_path / "mine.h5"
    file.write_bytes(b"\x80\x04K\x01.")  # a pickle: never unpickled, just not HDF5
    with pytest.raises(ValueError, match="could not be read as HDF5"):
        catvnoncat.load_data(file)


def test_links_to_other_files_are_refused(tmp_path):
    a = arrays()
    other = write(tmp_path / "other.h5", {"x": a.pop("train_set_x")})
    file = write(tmp_path / "mine.h5", a)
    with h5py.File(file, "a") as f:
        f["train_set_x"] = h5py.ExternalLink(str(other), "x")
    with pytest.raises(ValueError, match="train_set_x' is a ExternalLink"):
        catvnoncat.load_data(file)


def test_external_storage_is_refused(tmp_path):
    a = arrays()
    raw = tmp_path / "raw.bin"
    raw.write_bytes(a.pop("train_set_y").tobytes())
    file = write(tmp_path / "mine.h5", a)
    with h5py.File(file, "a") as f:
        f.create_dataset("train_set_y", shape=(6,), dtype=np.int64, external=[(str(raw), 0, 48)])
    with pytest.raises(ValueError, match="keeps its data outside the file"):
        catvnoncat.load_data(file)


def test_missing_files_say_where_it_looked_and_what_to_do(tmp_path, no_cat_data):
    with pytest.raises(FileNotFoundError) as e:
        catvnoncat.load_data()
    text = str(e.value)
    assert str(tmp_path / "empty-cache" / "rosenblatt" / "catvnoncat") in text
    assert "$ROSENBLATT_DATA is not set" in text
    assert "does not ship or download" in text and "make-dataset" in text and "load_data(path=" in text
    # the course and the assignments that publish the files are named
    assert "Neural Networks and Deep Learning" in text and "Deep Learning Specialization" in text
    assert "Deep Neural Network for Image Classification: Application" in text
    # the command line's words: shell commands and --data, no Python call
    cli = e.value.message(command_line=True)
    assert "load_data(" not in cli and "--data FOLDER" in cli and "export ROSENBLATT_DATA=" in cli
    assert f"mkdir -p {tmp_path / 'empty-cache' / 'rosenblatt' / 'catvnoncat'}" in cli

    with pytest.raises(FileNotFoundError, match=r"the path argument\): has neither file"):
        catvnoncat.load_data(tmp_path)
    write(tmp_path / "train_catvnoncat.h5", {})
    with pytest.raises(FileNotFoundError, match=r"has only train_catvnoncat\.h5"):
        catvnoncat.load_data(tmp_path)


def test_search_order_path_then_environment_then_cache_then_beside_the_checkout(tmp_path, monkeypatch):
    monkeypatch.setattr(catvnoncat, "KNOWN_SHA256", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("ROSENBLATT_DATA", str(tmp_path / "env"))
    monkeypatch.setattr(catvnoncat, "checkout_folder", lambda: tmp_path / "shared" / "data" / "catvnoncat")
    for folder, m in ((tmp_path / "shared" / "data" / "catvnoncat", 1),
                      (tmp_path / "cache" / "rosenblatt" / "catvnoncat", 2), (tmp_path / "env", 3),
                      (tmp_path / "env" / "catvnoncat", 4)):
        folder.mkdir(parents=True)
        write_folder(folder, arrays(m_train=m))
        assert len(catvnoncat.load_data()[0][0]) == m  # each newly filled folder ranks above the last
        assert catvnoncat.find_data() == folder
    write_folder(tmp_path, arrays(m_train=5))
    assert len(catvnoncat.load_data(tmp_path)[0][0]) == 5


def test_without_h5py_the_error_names_the_extra(tmp_path, monkeypatch):
    file = write(tmp_path / "mine.h5", arrays())
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ImportError, match=r'pip install -e "\.\[cats\]"'):
        catvnoncat.load_data(file)


def test_a_missing_h5_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"no file .*mine\.h5"):
        catvnoncat.load_data(tmp_path / "mine.h5")


def test_preprocess():
    x = np.arange(2 * 64 * 64 * 3).reshape(2, 64, 64, 3).astype(np.uint8)
    out = catvnoncat.preprocess(x)
    assert out.shape == (2, 12288) and out.dtype == np.float64
    np.testing.assert_array_equal(out[1], x[1].ravel() / 255.0)
    assert catvnoncat.preprocess(x, np.float32).dtype == np.float32
    with pytest.raises(ValueError, match=r"got float64 of shape \(2, 12288\)"):
        catvnoncat.preprocess(out)


def test_preprocess_pool_averages_blocks_per_channel():
    x = np.random.default_rng(0).integers(0, 256, (3, 64, 64, 3), dtype=np.uint8)
    out = catvnoncat.preprocess(x, pool=8).reshape(3, 8, 8, 3)
    np.testing.assert_allclose(out[2, 1, 5, 0], x[2, 8:16, 40:48, 0].mean() / 255)
    np.testing.assert_allclose(catvnoncat.preprocess(x, pool=64).reshape(3, 3), x.mean((1, 2)) / 255)
    for bad in (0, 3, 2.0):
        with pytest.raises(ValueError, match=rf"pool must be a positive integer dividing .* 64 x 64 .*got {bad}"):
            catvnoncat.preprocess(x, pool=bad)


def test_the_checkout_folder_is_beside_the_repository():
    root = Path(__file__).resolve().parents[2]
    assert catvnoncat.checkout_folder().resolve() == (root / ".." / "shared" / "data" / "catvnoncat").resolve()


def test_embedded_hashes_match_the_shared_sums_file():
    sums = (REAL or Path("nowhere")) / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip(f"no {sums}")
    listed = dict(reversed(line.split()) for line in sums.read_text().splitlines() if line.strip())
    assert listed == catvnoncat.KNOWN_SHA256


@needs_real
def test_the_course_files():
    (x_train, y_train), (x_test, y_test) = catvnoncat.load_data(REAL)
    assert x_train.shape == (209, 64, 64, 3) and x_train.dtype == np.uint8
    assert x_test.shape == (50, 64, 64, 3) and y_test.shape == (50,)
    assert int(y_train.sum()) == 72 and int(y_test.sum()) == 33
    np.testing.assert_array_equal(x_test[17], x_train[146])  # the README's note: the same picture twice


@needs_real
def test_the_course_files_through_the_environment(monkeypatch):
    monkeypatch.setenv("ROSENBLATT_DATA", str(REAL.parent))
    (x_train, _), _ = catvnoncat.load_data()
    assert len(x_train) == 209
