"""make_dataset: pictures of odd sizes and formats in, the course's HDF5 layout out."""

import numpy as np
import pytest

h5py = pytest.importorskip("h5py", reason="make_dataset needs h5py (pip install -e \".[cats]\")")
Image = pytest.importorskip("PIL.Image", reason="make_dataset needs Pillow (pip install -e \".[cats]\")")

from rosenblatt.datasets import catvnoncat, make_dataset  # noqa: E402


@pytest.fixture
def folders(tmp_path):
    """10 cats (red, PNG and JPEG, odd sizes and modes), 6 non-cats (blue), and some files that are not pictures."""
    cats, others = tmp_path / "cats", tmp_path / "others"
    (cats / "sub").mkdir(parents=True)
    others.mkdir()
    for i in range(10):
        size = (37 + 13 * i, 91 - 5 * i)
        folder = cats / "sub" if i % 3 == 0 else cats
        if i % 2:
            Image.new("RGB", size, (250, 10, 10)).save(folder / f"cat{i}.jpg", quality=95)
        else:
            Image.new("RGBA" if i % 4 else "L", size, (250, 10, 10, 255) if i % 4 else 128).save(folder / f"cat{i}.png")
    for i in range(6):
        Image.new("P" if i == 0 else "RGB", (200, 30 + i), 3 if i == 0 else (10, 10, 250)).save(others / f"o{i}.png")
    (cats / "readme.txt").write_text("not a picture")
    (others / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated jpeg")
    (others / ".DS_Store").write_bytes(b"hidden files are ignored")
    return cats, others


def test_writes_the_course_layout_and_lists_unreadable_files(folders, tmp_path):
    cats, others = folders
    out = tmp_path / "mine.h5"
    report = make_dataset(cats, others, out, test_fraction=0.2, seed=3)
    assert (report.train_cats, report.test_cats, report.train_non_cats, report.test_non_cats) == (8, 2, 5, 1)
    assert sorted(p.name for p, _ in report.skipped) == ["broken.jpg", "readme.txt"]
    assert all("Error" in why for _, why in report.skipped)
    assert "skipped 2 unreadable files:" in str(report) and "readme.txt" in str(report)
    with h5py.File(out, "r") as f:
        assert {k: (f[k].shape, f[k].dtype.str) for k in f} == {
            "train_set_x": ((13, 64, 64, 3), "|u1"), "train_set_y": ((13,), "<i8"),
            "test_set_x": ((3, 64, 64, 3), "|u1"), "test_set_y": ((3,), "<i8"),
            "list_classes": ((2,), "|S7")}
        assert list(f["list_classes"][()]) == [b"non-cat", b"cat"]
    (x_train, y_train), (x_test, y_test) = catvnoncat.load_data(out)
    x, y = np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test])
    # the RGB/RGBA cats are red, the non-cats (but the palette one) blue: labels travel with their pictures
    red = x[..., 0].mean((1, 2)) > 200
    blue = x[..., 2].mean((1, 2)) > 200
    assert red.sum() == 7 and np.all(y[red] == 1) and blue.sum() == 5 and np.all(y[blue] == 0)
    assert not list(tmp_path.glob(".mine.h5.*"))  # no temporary file left behind


def test_the_seed_decides_the_split(folders, tmp_path):
    cats, others = folders
    a = make_dataset(cats, others, tmp_path / "a.h5", seed=0)
    b = make_dataset(cats, others, tmp_path / "b.h5", seed=0)
    c = make_dataset(cats, others, tmp_path / "c.h5", seed=1)
    xa, xb, xc = (catvnoncat.load_data(r.out)[0][0] for r in (a, b, c))
    np.testing.assert_array_equal(xa, xb)
    assert not np.array_equal(xa, xc)


def test_no_test_set(folders, tmp_path):
    report = make_dataset(*folders, tmp_path / "all.h5", test_fraction=0)
    (x_train, _), (x_test, y_test) = catvnoncat.load_data(report.out)
    assert x_train.shape == (16, 64, 64, 3) and x_test.shape == (0, 64, 64, 3) and y_test.shape == (0,)


def test_refuses_to_overwrite_unless_asked(folders, tmp_path):
    out = tmp_path / "mine.h5"
    out.write_text("precious")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        make_dataset(*folders, out)
    assert out.read_text() == "precious"
    make_dataset(*folders, out, overwrite=True)
    assert len(catvnoncat.load_data(out)[0][0]) == 13


@pytest.mark.parametrize("fraction", [-0.1, 1, 1.5])
def test_bad_test_fraction(folders, tmp_path, fraction):
    with pytest.raises(ValueError, match=rf"test_fraction must be in \[0, 1\), got {fraction}"):
        make_dataset(*folders, tmp_path / "x.h5", test_fraction=fraction)


def test_bad_folders(folders, tmp_path):
    cats, others = folders
    with pytest.raises(NotADirectoryError, match="non_cats_dir .*nowhere"):
        make_dataset(cats, tmp_path / "nowhere", tmp_path / "x.h5")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "a.txt").write_text("no")
    with pytest.raises(ValueError, match=r"no readable pictures in .*empty \(1 files tried\)"):
        make_dataset(cats, empty, tmp_path / "x.h5")
    with pytest.raises(NotADirectoryError, match="the folder of out"):
        make_dataset(cats, others, tmp_path / "no" / "x.h5")
