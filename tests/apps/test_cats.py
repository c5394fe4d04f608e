"""The cat classifier: the course's four-layer result reproduced exactly, and the command line."""


import numpy as np
import pytest

from rosenblatt.apps.cli import main
from rosenblatt.datasets import catvnoncat

DATA = catvnoncat.find_data()  # --data's own search: $ROSENBLATT_DATA, the user cache, beside the checkout
needs_data = pytest.mark.skipif(DATA is None, reason="the cat data is not on rosenblatt's search path "
                                                     "(not shipped; README, Cat vs non-cat: put both files in "
                                                     "~/.cache/rosenblatt/catvnoncat or set ROSENBLATT_DATA)")
pytest.importorskip("h5py")
PIL = pytest.importorskip("PIL.Image")


@needs_data
def test_four_layer_course_result_is_reproduced():
    from rosenblatt.apps.cats import reproduce

    data = reproduce.load(DATA)
    sizes, init, lr, iterations = reproduce.MODELS["four layers [12288, 20, 7, 5, 1]"]
    result = reproduce.train("four layers", sizes, init, lr, iterations, data)
    assert abs(result.costs[2499] - 0.088439943) < 1e-6
    assert result.train_correct == 206 and result.test_correct == 40


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    if DATA is None:
        pytest.skip("the cat data is not on rosenblatt's search path")
    out = tmp_path_factory.mktemp("cats") / "model.npz"
    assert main(["cats", "train", "--data", str(DATA), "--epochs", "3", "--layers", "8", "--out", str(out)]) == 0
    return out


@needs_data
def test_train_then_evaluate(model_file, capsys):
    assert main(["cats", "evaluate", str(model_file), "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "train" in out and "test" in out and "/50" in out


@needs_data
def test_predict_pictures_of_any_size_and_a_file_that_is_not_one(model_file, tmp_path, capsys):
    rng = np.random.default_rng(0)
    PIL.fromarray((rng.random((120, 90, 3)) * 255).astype(np.uint8)).save(tmp_path / "wide.png")
    PIL.fromarray((rng.random((20, 33, 3)) * 255).astype(np.uint8)).save(tmp_path / "small.jpg")
    PIL.fromarray((rng.random((50, 50)) * 255).astype(np.uint8)).save(tmp_path / "grey.png")
    (tmp_path / "notes.txt").write_text("not a picture")
    files = [tmp_path / n for n in ("wide.png", "small.jpg", "grey.png", "notes.txt")]
    assert main(["cats", "predict", str(model_file)] + [str(f) for f in files]) == 1  # notes.txt unreadable
    out = capsys.readouterr().out
    for name in ("wide.png", "small.jpg", "grey.png"):
        line = next(l for l in out.splitlines() if name in l)
        p = float(line.split()[1])
        assert 0 <= p <= 1 and ("cat" in line)
    assert "not a picture" in next(l for l in out.splitlines() if "notes.txt" in l)


@needs_data
def test_mislabeled_grid(model_file, tmp_path, capsys):
    out = tmp_path / "grid.png"
    assert main(["cats", "mislabeled", str(model_file), "--out", str(out), "--data", str(DATA)]) == 0
    assert out.stat().st_size > 1000 and "mislabeled" in capsys.readouterr().out


def test_make_dataset_then_train_on_it(tmp_path, capsys):
    rng = np.random.default_rng(1)
    for folder, n in (("cats", 6), ("others", 6)):
        (tmp_path / folder).mkdir()
        for i in range(n):
            size = (int(rng.integers(30, 120)), int(rng.integers(30, 120)))
            PIL.fromarray((rng.random(size + (3,)) * 255).astype(np.uint8)).save(tmp_path / folder / f"{i}.png")
    (tmp_path / "cats" / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    out = tmp_path / "mine.h5"
    assert main(["cats", "make-dataset", "--cats", str(tmp_path / "cats"), "--non-cats", str(tmp_path / "others"),
                 "--out", str(out), "--seed", "3"]) == 0
    printed = capsys.readouterr().out
    assert "broken.jpg" in printed and out.exists()
    assert main(["cats", "train", "--data", str(out), "--epochs", "2", "--layers", "4",
                 "--out", str(tmp_path / "m.npz")]) == 0


def test_missing_data_says_where_it_looked(tmp_path, capsys, monkeypatch, no_cat_data):
    monkeypatch.setenv("ROSENBLATT_DATA", str(tmp_path / "nowhere"))
    assert main(["cats", "train", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err


def test_bad_layers_option(capsys):
    assert main(["cats", "train", "--layers", "20,x"]) == 2
    assert "--layers" in capsys.readouterr().err
