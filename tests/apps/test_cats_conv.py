"""``rosenblatt cats train --recipe conv``: trains, saves a model that evaluate/predict take as they are."""

from pathlib import Path

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.apps.cats import conv_recipe
from rosenblatt.apps.cli import main

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "catvnoncat"
needs_data = pytest.mark.skipif(not (DATA / "train_catvnoncat.h5").exists(), reason="the cat data is not available")


@needs_data
def test_train_conv_then_evaluate(tmp_path, capsys):
    out = tmp_path / "conv.npz"
    assert main(["cats", "train", "--recipe", "conv", "--data", str(DATA), "--epochs", "2", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "convolutions" in text and "32 × 3×3, 64 × 3×3, 128 × 3×3" in text and "/50" in text
    model = rb.models.load_model(out)
    assert [type(l).__name__ for l in model.layers][:5] == ["Reshape", "AveragePooling2D", "Normalization",
                                                          "RandomFlip", "RandomTranslation"]
    assert main(["cats", "evaluate", str(out), "--data", str(DATA)]) == 0


def test_conv_recipe_is_repeatable_and_learns():
    rng = np.random.default_rng(0)
    x = rng.random((24, 12288)).astype(np.float32) * 0.2
    y = np.arange(24) % 2
    x[y == 1, ::3] += 0.6  # the red channel tells the classes apart
    small = conv_recipe.CONV.with_options(filters=(4, 4), epochs=15, learning_rate=1e-2)
    a, _ = conv_recipe.train(small, x, y, seed=1)
    b, _ = conv_recipe.train(small, x, y, seed=1)
    np.testing.assert_array_equal(a.predict(x), b.predict(x))
    assert np.mean((a.predict(x)[:, 0] > 0.5) == y) == 1.0


def test_layers_option_is_refused_for_conv(capsys):
    assert main(["cats", "train", "--recipe", "conv", "--layers", "8"]) == 2
    assert "--layers is for --recipe mlp" in capsys.readouterr().err
