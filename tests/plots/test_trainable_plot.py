"""``rosenblatt plot activations --trainable``: the curves drawn are the layers' formulas, the trained ones bent,
the figure is labelled in the house's colours, and the command writes the picture."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.image as mimage  # noqa: E402

import rosenblatt as rb  # noqa: E402
from rosenblatt import plots  # noqa: E402
from rosenblatt.apps.cli import main  # noqa: E402
from rosenblatt.plots.trainable import curve, make_activation  # noqa: E402

OKABE = {mcolors.to_hex(c) for c in plots.OKABE_ITO.values()}


def test_the_curve_is_each_layers_formula():
    z = np.linspace(-3, 3, 13)
    prelu = make_activation("PReLU")
    prelu(rb.constant(np.ones((1, 16))))
    prelu.alpha.assign([0.3])
    np.testing.assert_allclose(curve(prelu, z), np.where(z > 0, z, 0.3 * z), rtol=1e-6)
    swish = make_activation("Swish")
    swish(rb.constant(np.ones((1, 16))))
    swish.beta.assign(2.0)
    np.testing.assert_allclose(curve(swish, z), z / (1 + np.exp(-2 * z)), rtol=1e-6, atol=1e-7)
    apl = make_activation("AdaptivePiecewiseLinear", hinges=2)
    apl(rb.constant(np.ones((1, 16))))
    apl.a.assign([[0.5], [-1.0]])
    apl.b.assign([[1.0], [-2.0]])
    expected = np.maximum(0, z) + 0.5 * np.maximum(0, 1.0 - z) - 1.0 * np.maximum(0, -2.0 - z)
    np.testing.assert_allclose(curve(apl, z), expected, rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="unknown trainable activation 'ELU'"):
        make_activation("ELU")


def test_the_trained_curves_bent():
    fig = plots.trainable_activations(epochs=30, n_samples=200)
    assert [ax.get_title().split(":")[0] for ax in fig.axes] == ["PReLU", "Swish", "AdaptivePiecewiseLinear"]
    for ax in fig.axes:
        assert ax.get_xlabel() == "z" and ax.get_ylabel() and ax.get_legend() is not None
        assert "accuracy" in ax.get_title()
        start = [line for line in ax.lines if line.get_linestyle() == "--"]
        trained = [line for line in ax.lines if "trained" in line.get_label()]
        assert len(start) in (1, 2) and len(trained) == 2, ax.get_title()
        for line in trained:
            assert np.abs(line.get_ydata() - start[0].get_ydata()).max() > 0.05, (ax.get_title(), line.get_label())
            assert line.get_linestyle() == "-"
    curves = [line for ax in fig.axes for line in ax.lines if not line.get_label().startswith("_")]
    assert {mcolors.to_hex(line.get_color()) for line in curves} <= OKABE  # (the axes at 0 are grey)
    assert "100 epochs" not in fig.get_suptitle() and "30 epochs" in fig.get_suptitle()


def test_the_command_writes_the_figure(tmp_path, capsys):
    out = tmp_path / "trainable.png"
    assert main(["plot", "activations", "--trainable", "--epochs", "3", "--dataset", "moons", "--out", str(out),
                 "--dpi", "50"]) == 0
    assert f"activations written to {out}" in capsys.readouterr().out
    pixels = mimage.imread(out)[..., :3]
    assert pixels.shape[0] > 250 and pixels.shape[1] > 700
    ink = np.mean(np.any(pixels < 0.9, axis=-1))
    assert 0.02 < ink < 0.9


def test_trainable_is_only_for_activations(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["plot", "schedules", "--trainable"]) == 2
    assert "--trainable is for the activations figure, not schedules" in capsys.readouterr().err
