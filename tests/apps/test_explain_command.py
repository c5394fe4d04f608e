"""``rosenblatt explain``: the lecture's example by default, a worksheet with its answer key, mistakes."""

import numpy as np
import pytest

from rosenblatt.apps.cli import main


def test_default_is_the_lectures_example(capsys):
    assert main(["explain", "--digits", "3"]) == 0
    out = capsys.readouterr().out
    assert "a [2, 2, 1] network (sigmoid, sigmoid), binary cross-entropy, m = 1" in out
    assert "[[-2.  2.]]" in out  # x = (−2, 2)
    assert "z1 = X·W1 + b1    (1 × 2) = (1 × 2)·(2 × 2) + (1 × 2)" in out
    assert "equal to 1e-12" in out


def test_batch_three_layers_markdown(tmp_path, capsys):
    out = tmp_path / "notes.md"
    argv = ["explain", "--layers", "3,4,2,1", "--activation", "tanh", "--batch", "5", "--format", "markdown",
            "--out", str(out)]
    assert main(argv) == 0
    text = out.read_text()
    assert r"W^{(3)}" in text and r"(5 \times 4)" in text and "sum of the rows of dz1" in text
    assert "written to" in capsys.readouterr().out


def test_worksheet_and_answer_key(tmp_path):
    sheet, key = tmp_path / "sheet.txt", tmp_path / "key.txt"
    assert main(["explain", "--worksheet", "--answers", str(key), "--out", str(sheet)]) == 0
    assert "____" in sheet.read_text() and "____" not in key.read_text()
    assert "Check against the GradientTape" in key.read_text()
    numbers = [line for line in key.read_text().splitlines() if "[[" in line]
    assert len(numbers) > len([line for line in sheet.read_text().splitlines() if "[[" in line and "_" not in line])


def test_mse_linear_output(capsys):
    assert main(["explain", "--loss", "mse", "--output", "linear", "--layers", "2,3,2", "--batch", "2"]) == 0
    out = capsys.readouterr().out
    assert "mean squared error" in out and "da2 = 2 (a2 − y) / (m·j)" in out


@pytest.mark.parametrize("argv, message", [
    (["explain", "--layers", "2,x"], "expected sizes separated by commas"),
    (["explain", "--layers", "2"], "at least two sizes"),
    (["explain", "--batch", "0"], "--batch must be from 1 to 64, got 0"),
    (["explain", "--answers", "key.md"], "--answers FILE goes with --worksheet"),
    (["explain", "--output", "relu"], "--loss bce needs --output sigmoid"),
    (["explain", "--out", "no/such/dir/f.md"], "does not exist"),
])
def test_mistakes(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
