"""The sweep's plots: written, labelled, with the diverged region and the suggestions where they belong."""

import pytest

import rosenblatt as rb
from rosenblatt import sweep

pytest.importorskip("matplotlib")
from rosenblatt.sweep import plots  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    trials = sweep.grid(optimizer=["sgd", "adam"], learning_rate=[100.0, 1.0, 0.1, 0.01], batch_size=[32, 100])
    return sweep.run(trials, "mlp", "circles", epochs=4, n_samples=300, workers=2, progress=False)


def legend(fig):
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_loss_against_eta_marks_the_diverged_region(rows, tmp_path):
    assert {r["status"] for r in rows if r["optimizer"] == "sgd" and r["learning_rate"] == 100.0} == {"diverged"}
    fig = plots.loss_vs_lr(rows, tmp_path / "a.png")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "learning rate" in ax.get_xlabel() and "loss" in ax.get_ylabel()
    assert any(t.startswith("sgd: diverged (η ≥ 100, hatched)") for t in legend(fig))
    spans = [p for p in ax.patches if p.get_x() == 100.0]  # the shaded region starts at the first divergence
    first = {r["optimizer"]: r["learning_rate"] for r in sorted(rows, key=lambda r: -r["learning_rate"])
             if r["status"] == "diverged"}
    assert len(spans) == sum(lr == 100.0 for lr in first.values()) >= 1
    assert (tmp_path / "a.png").stat().st_size > 10_000


def test_best_curves_and_heat_map(rows, tmp_path):
    fig = plots.best_curves(rows, tmp_path / "b.png", k=3)
    assert len(fig.axes[0].lines) == 6  # 3 trials × (training, validation)
    assert fig.axes[0].get_xlabel() == "epoch"
    best = sweep.best(rows)
    assert legend(fig)[0].startswith(f"{best['optimizer']} η={best['learning_rate']:.3g} b={best['batch_size']}")
    fig = plots.heatmap(rows, tmp_path / "c.png", x="learning_rate", y="batch_size")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 8 and fig.axes[0].get_ylabel() == "batch size"
    assert len(fig.axes) == 2  # the colour bar


def test_lr_find_plot_shows_both_suggestions(tmp_path):
    x, y = rb.data.points.make_circles(n_samples=300, seed=0)
    model = sweep.trial.build_model(sweep.Task(), 2, 0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    found = sweep.lr_find(model, x, y, num_iter=80)
    fig = plots.lr_find(found, tmp_path / "d.png")
    labels = legend(fig)
    assert any(t.startswith("steepest descent: η = ") for t in labels)
    assert any(t.startswith("minimum / 10: η = ") for t in labels)
    assert fig.axes[0].get_xscale() == "log"
