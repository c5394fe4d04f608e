"""Mistakes on the command line end in one line naming the flag or file, and a non-zero status; no traceback."""

import pytest

from rosenblatt.apps.cli import main

pytest.importorskip("h5py")
PIL = pytest.importorskip("PIL.Image")


def error_of(argv, capsys, status=2):
    assert main(argv) == status
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err


@pytest.fixture
def pictures(tmp_path):
    folder = tmp_path / "cats"
    folder.mkdir()
    PIL.new("RGB", (70, 50), (200, 100, 0)).save(folder / "a.png")
    return folder


def test_make_dataset_names_the_flag_of_a_missing_folder(pictures, tmp_path, capsys):
    err = error_of(["cats", "make-dataset", "--cats", str(pictures), "--non-cats", str(tmp_path / "nowhere"),
                    "--out", str(tmp_path / "x.h5")], capsys)
    assert "--non-cats" in err and "nowhere" in err and "non_cats_dir" not in err


def test_make_dataset_refuses_an_existing_file_in_cli_words_and_a_missing_out_folder(pictures, tmp_path, capsys):
    (tmp_path / "x.h5").write_text("")
    err = error_of(["cats", "make-dataset", "--cats", str(pictures), "--non-cats", str(pictures),
                    "--out", str(tmp_path / "x.h5")], capsys)
    assert "--overwrite" in err and "overwrite=True" not in err
    err = error_of(["cats", "make-dataset", "--cats", str(pictures), "--non-cats", str(pictures),
                    "--out", str(tmp_path / "nodir" / "x.h5")], capsys)
    assert "nodir" in err and "does not exist" in err


@pytest.fixture
def circles_model(tmp_path):
    from rosenblatt.apps import demo

    path = tmp_path / "circles.npz"
    demo.build("relu", 0).save(path)
    return path


@pytest.mark.parametrize("command", [["evaluate"], ["predict", "x.png"], ["mislabeled", "--out", "g.png"]])
def test_a_model_that_is_not_a_cat_model_is_named_as_such(command, circles_model, tmp_path, capsys):
    argv = ["cats", command[0], str(circles_model)] + command[1:] + ["--data", str(tmp_path / "none")] * (
        command[0] != "predict")
    err = error_of(argv, capsys)
    assert "circles.npz is not a cat model" in err and "2 input features" in err and "12288" in err


@pytest.fixture
def cat_model(tmp_path):
    """A (untrained) model of the cat model's shape: rows of 12288 values → P(cat)."""
    import rosenblatt as rb

    path = tmp_path / "cat.npz"
    rb.Sequential([rb.layers.Input((12288,)), rb.layers.Dense(1, activation="sigmoid")], seed=0).save(path)
    return path


def test_demo_plot_into_a_missing_folder_is_refused_before_training(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    from rosenblatt.apps import demo

    monkeypatch.setattr(demo, "run", lambda *a, **k: pytest.fail("trained before checking --plot"))
    err = error_of(["demo", "--plot", str(tmp_path / "nodir" / "p.png")], capsys)
    assert "--plot" in err and "nodir" in err and "does not exist" in err


def test_mislabeled_grid_into_a_missing_folder_is_refused_before_reading_the_data(cat_model, tmp_path, capsys):
    err = error_of(["cats", "mislabeled", str(cat_model), "--out", str(tmp_path / "nodir" / "g.png"),
                    "--data", str(tmp_path / "no-data")], capsys)
    assert "--out" in err and "nodir" in err and "does not exist" in err


def test_train_into_a_missing_folder_is_refused_before_training_naming_the_users_path(tmp_path, capsys, monkeypatch):
    from rosenblatt.apps.cats import recipe

    monkeypatch.setattr(recipe, "train", lambda *a, **k: pytest.fail("trained before checking --out"))
    out = tmp_path / "nodir" / "x.npz"
    err = error_of(["cats", "train", "--out", str(out), "--data", str(tmp_path / "no-data")], capsys)
    assert f"--out {out}" in err and "does not exist" in err and ".tmp-" not in err


def test_a_file_that_is_not_a_model_file_is_named_as_such(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a model")
    err = error_of(["cats", "evaluate", str(tmp_path / "notes.txt")], capsys)
    assert "notes.txt is not a rosenblatt model file (.npz saved by model.save" in err
    assert "allow_pickle" not in err


def test_predict_says_no_such_file_for_a_missing_picture(cat_model, tmp_path, capsys):
    main(["cats", "predict", str(cat_model), str(tmp_path / "missing.png")])
    line = next(l for l in capsys.readouterr().out.splitlines() if "missing.png" in l)
    assert "no such file" in line and "Pillow" not in line


def test_predict_exits_1_when_any_picture_could_not_be_read_after_printing_every_row(cat_model, tmp_path, capsys):
    PIL.new("RGB", (30, 40)).save(tmp_path / "ok.png")
    ok, missing = str(tmp_path / "ok.png"), str(tmp_path / "missing.png")
    assert main(["cats", "predict", str(cat_model), ok]) == 0
    assert main(["cats", "predict", str(cat_model), ok, missing]) == 1
    assert main(["cats", "predict", str(cat_model), missing]) == 1
    out = capsys.readouterr().out
    assert sum("ok.png" in l for l in out.splitlines()) == 2 and sum("missing.png" in l for l in out.splitlines()) == 2
    with pytest.raises(SystemExit):
        main(["cats", "predict", "--help"])
    assert "exit status" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["train", "--epochs", "1"], ["reproduce"]])
def test_missing_data_mentions_the_data_flag(command, tmp_path, capsys, monkeypatch, no_cat_data):
    monkeypatch.setenv("ROSENBLATT_DATA", str(tmp_path / "nowhere"))
    monkeypatch.chdir(tmp_path)
    err = error_of(["cats"] + command, capsys)
    assert "nowhere" in err and "--data FOLDER" in err


def test_make_dataset_report_counts_in_words(tmp_path, capsys):
    for folder in ("cats", "others"):
        (tmp_path / folder).mkdir()
        for i in range(5):
            PIL.new("RGB", (40 + i, 50), (50 * i, 0, 0)).save(tmp_path / folder / f"{i}.png")
    (tmp_path / "others" / "notes.txt").write_text("not a picture")
    assert main(["cats", "make-dataset", "--cats", str(tmp_path / "cats"), "--non-cats", str(tmp_path / "others"),
                 "--out", str(tmp_path / "x.h5")]) == 0
    out = capsys.readouterr().out
    assert "train 4 cats + 4 non-cats, test 1 cat + 1 non-cat" in out
    assert "skipped 1 unreadable file:" in out and "notes.txt" in out


def test_mislabeled_captions_say_the_true_label():
    from rosenblatt.apps.cats import pictures

    assert pictures.caption(1, 0.4512) == "true: cat · P(cat) 0.45"
    assert pictures.caption(0, 0.91) == "true: non-cat · P(cat) 0.91"


@pytest.mark.parametrize("flag", ["--epochs", "--batch-size", "--members"])
def test_train_needs_at_least_one_epoch_batch_and_network(flag, tmp_path, capsys):
    err = error_of(["cats", "train", flag, "0", "--data", str(tmp_path / "no-data")], capsys)
    assert f"{flag} must be at least 1" in err


def test_predict_table_lines_have_no_trailing_spaces(cat_model, tmp_path, capsys):
    PIL.new("RGB", (30, 40)).save(tmp_path / "ok.png")
    main(["cats", "predict", str(cat_model), str(tmp_path / "ok.png"), str(tmp_path / "a-long-missing-name.png")])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(line == line.rstrip() for line in lines)
