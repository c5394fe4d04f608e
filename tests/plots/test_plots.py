"""The lecture's figures: the plotted data checked against the formulas, and the files the command writes."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.image as mimage  # noqa: E402

import rosenblatt as rb  # noqa: E402
from rosenblatt import plots  # noqa: E402
from rosenblatt.apps.cli import main  # noqa: E402

OKABE = {mcolors.to_hex(c) for c in plots.OKABE_ITO.values()}


def line_colours(fig):
    return {mcolors.to_hex(line.get_color()) for ax in fig.axes for line in ax.lines}


def labelled(fig):
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title(), ax
        assert ax.get_legend() is not None, ax.get_title()


def test_activations_and_the_tapes_derivatives():
    fig = plots.activations()
    assert [ax.get_title() for ax in fig.axes] == ["sigmoid", "tanh", "relu"]
    labelled(fig)
    z = np.arange(-6, 7, 0.1)
    sigma = 1 / (1 + np.exp(-z))
    expected = {"sigmoid": (sigma, sigma * (1 - sigma)), "tanh": (np.tanh(z), 1 - np.tanh(z) ** 2),
                "relu": (np.maximum(z, 0), (z > 0).astype(float))}
    for ax in fig.axes:
        g, slope = ax.lines[0], ax.lines[1]
        np.testing.assert_allclose(g.get_xdata(), z)
        np.testing.assert_allclose(g.get_ydata(), expected[ax.get_title()][0], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(slope.get_ydata(), expected[ax.get_title()][1], rtol=1e-10, atol=1e-15)
        assert slope.get_linestyle() == "--"
    _, slope = plots.activation_and_slope("sigmoid", np.arange(-6.0, 7.0))  # the lecture's tf.range(-6, 7, 1)
    assert slope[6] == 0.25 and slope.argmax() == 6
    assert {mcolors.to_hex(line.get_color()) for ax in fig.axes for line in ax.lines[:2]} <= OKABE


def test_boundary_linear_is_a_line_relu_bends():
    fig = plots.boundary("circles", epochs=60, n_samples=400)
    labelled(fig)
    linear, relu = fig.axes
    accuracy = lambda ax: int(ax.get_title().split(": ")[1].split("%")[0])  # noqa: E731
    assert accuracy(linear) <= 65 and accuracy(relu) >= 95
    line = linear.lines[0]
    assert line.get_linestyle() == "--" and len(line.get_xdata()) == 2  # drawn as the straight line it is
    assert "the line" in line.get_label()
    assert len(relu.collections) >= 3  # regions, the P = 0.5 contour, the points
    blue, green = relu.collections[-2:]
    assert mcolors.to_hex(blue.get_facecolor()[0]) == plots.OKABE_ITO["blue"].lower()
    assert mcolors.to_hex(green.get_facecolor()[0]) == plots.OKABE_ITO["bluish green"].lower()


def test_linear_boundary_is_where_the_network_says_one_half():
    model = rb.Sequential([rb.layers.Input((2,), dtype="float64"), rb.layers.Dense(4, dtype="float64"),
                           rb.layers.Dense(3, dtype="float64"),
                           rb.layers.Dense(1, activation="sigmoid", dtype="float64")], seed=3)
    w0, W = plots.linear_boundary(model)
    x1 = np.linspace(-2, 2, 7)
    on_line = np.column_stack([x1, -(w0 + W[0] * x1) / W[1]])
    np.testing.assert_allclose(model.predict(on_line)[:, 0], 0.5, atol=1e-12)


def test_learning_rates_slow_right_diverging():
    fig = plots.learning_rates(epochs=150)
    labelled(fig)
    slow, right, large = (line.get_ydata() for line in fig.axes[0].lines[:3])
    assert len(slow) == len(right) == 150 and len(large) < 20  # η = 0.1 stopped: the loss overflowed
    assert np.all(np.diff(slow) < 0) and slow[-1] > 2 * right[-1]
    assert right[-1] < 0.15 and large[-1] > 1e6 * large[0]
    assert "inf at epoch" in fig.axes[0].texts[0].get_text()
    assert fig.axes[0].get_yscale() == "log"


def test_batch_sizes_noise_falls_with_b():
    fig = plots.batch_sizes(steps=120)
    labelled(fig)
    lines = fig.axes[0].lines
    assert [line.get_label().split(" (")[0] for line in lines] == ["b = 1", "b = 32", "b = m = 256"]
    noise = [np.std(np.diff(line.get_ydata())) for line in lines]
    assert noise[0] > 3 * noise[1] > 9 * noise[2]
    full = lines[2].get_ydata()
    assert full[-1] < full[0] and np.mean(np.diff(full) < 0) > 0.95
    np.testing.assert_allclose(full, plots.batch_losses(256, steps=120))


def test_history_train_against_validation():
    model = rb.Sequential([rb.layers.Dense(4, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x, y = rb.data.points.make_moons(200, seed=0)
    history = model.fit(x, y, epochs=5, validation_split=0.2, verbose=0)
    fig = plots.history(history)
    labelled(fig)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    for ax, name in zip(fig.axes, ["loss", "accuracy"]):
        np.testing.assert_allclose(ax.lines[0].get_ydata(), history.history[name])
        np.testing.assert_allclose(ax.lines[1].get_ydata(), history.history["val_" + name])
        assert [line.get_label() for line in ax.lines] == ["train", "validation"]
    with pytest.raises(ValueError, match=r"no \['auc'\] in the history"):
        plots.history(history, metrics=["auc"])
    with pytest.raises(ValueError, match="non-empty dict"):
        plots.history({})


def test_schedules_are_the_lectures_formulas():
    fig = plots.schedules(epochs=30, initial_learning_rate=0.2, decay_rate=1.0, k=2.0)
    labelled(fig)
    epoch = np.arange(30)
    lecture, others = fig.axes
    np.testing.assert_allclose(lecture.lines[0].get_ydata(), 0.2 / (1 + 1.0 * epoch), rtol=1e-15)
    np.testing.assert_allclose(lecture.lines[1].get_ydata(), 0.95 ** epoch * 0.2, rtol=1e-14)
    np.testing.assert_allclose(lecture.lines[2].get_ydata(), 2.0 / np.sqrt(epoch + 1) * 0.2, rtol=1e-15)
    assert len(others.lines) == 2 and others.lines[0].get_ydata()[-1] == pytest.approx(0.02)


def test_perceptron_converges_and_fails_on_xor():
    fig = plots.perceptron()
    labelled(fig)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("Perceptron on separable: 100% right") and "stopped after" in titles[0]
    assert titles[2].startswith("Perceptron on XOR") and "never stops" in titles[2]
    assert "100%" not in titles[2] and "100%" not in titles[3]
    assert titles[1].startswith("Sigmoid neuron on separable: 100% right")


@pytest.mark.parametrize("name, epochs", [("activations", None), ("boundary", 5), ("learning-rates", 20),
                                          ("batch-sizes", 20), ("history", 3), ("schedules", 20),
                                          ("perceptron", 5)])
def test_the_command_writes_the_figure(tmp_path, capsys, name, epochs):
    out = tmp_path / f"{name}.png"
    argv = ["plot", name, "--out", str(out), "--dpi", "50"] + (["--epochs", str(epochs)] if epochs else [])
    assert main(argv) == 0
    assert f"{name} written to {out}" in capsys.readouterr().out
    pixels = mimage.imread(out)[..., :3]
    assert pixels.shape[0] > 150 and pixels.shape[1] > 250
    ink = np.mean(np.any(pixels < 0.9, axis=-1))
    assert 0.02 < ink < 0.9  # drawn on, not blank, not flooded
    blue = np.array(mcolors.to_rgb(plots.OKABE_ITO["blue"]))
    vermillion = np.array(mcolors.to_rgb(plots.OKABE_ITO["vermillion"]))
    near = lambda c: np.mean(np.all(np.abs(pixels - c) < 0.06, axis=-1))  # noqa: E731
    others = [np.array(mcolors.to_rgb(plots.OKABE_ITO[c])) for c in ("sky blue", "orange")]
    assert max(near(c) for c in [blue, vermillion] + others) > 0.0005  # the palette's colours are in the picture


def test_the_command_writes_svg(tmp_path):
    out = tmp_path / "schedules.svg"
    assert main(["plot", "schedules", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("<?xml") and "<svg" in text and plots.OKABE_ITO["orange"].lower() in text.lower()


@pytest.mark.parametrize("argv, message", [
    (["plot", "schedules", "--out", "figure.jpg"], "must end in .png, .svg or .pdf"),
    (["plot", "schedules", "--out", "no/such/folder/f.png"], "does not exist"),
    (["plot", "boundary", "--epochs", "0"], "--epochs must be at least 1, got 0"),
])
def test_command_mistakes(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_save_refuses_other_formats(tmp_path):
    with pytest.raises(ValueError, match="must end in one of .png, .svg, .pdf"):
        plots.save(plots.schedules(epochs=3), tmp_path / "f.gif")
