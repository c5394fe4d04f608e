"""Learning-rate schedules: the lecture's three decays per epoch, Keras's formulas, printing and plotting."""

import math

import numpy as np
import pytest

from rosenblatt import schedules as S


def test_the_lecture_decays_per_epoch():
    m, η0 = 32, 0.2  # 32 mini-batches per epoch
    inverse = S.InverseTimeDecay(η0, decay_steps=1, decay_rate=1.0, steps_per_epoch=m)
    exponential = S.ExponentialDecay(η0, decay_steps=1, decay_rate=0.95, steps_per_epoch=m)
    sqrt = S.InverseSqrtDecay(η0, k=0.5, steps_per_epoch=m)
    for step in range(0, 10 * m, 7):
        epoch = step // m
        assert inverse(step) == pytest.approx(η0 / (1 + 1.0 * epoch), rel=1e-15)
        assert exponential(step) == pytest.approx(0.95**epoch * η0, rel=1e-15)
        assert sqrt(step) == pytest.approx(0.5 / math.sqrt(epoch + 1) * η0, rel=1e-15)


def test_keras_formulas_per_step():
    inverse = S.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5)
    stair = S.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5, staircase=True)
    exponential = S.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.96, staircase=False)
    for step in (0, 5, 10, 15, 1000):
        assert inverse(step) == pytest.approx(0.1 / (1 + 0.5 * step / 10))
        assert stair(step) == pytest.approx(0.1 / (1 + 0.5 * (step // 10)))
        assert exponential(step) == pytest.approx(0.1 * 0.96 ** (step / 10))
    assert type(inverse(3)) is float


def test_piecewise_constant_switches_after_the_boundary_like_keras():
    lr = S.PiecewiseConstantDecay([100000, 110000], [1.0, 0.5, 0.1])
    assert [lr(s) for s in (0, 100000, 100001, 110000, 110001)] == [1.0, 1.0, 0.5, 0.5, 0.1]
    per_epoch = S.PiecewiseConstantDecay([2], [1.0, 0.1], steps_per_epoch=10)
    assert per_epoch(29) == 1.0 and per_epoch(30) == 0.1


def test_cosine_decay_with_warmup_matches_keras_3():
    η0, top, warm, decay, α = 0.0, 0.1, 10, 100, 0.1
    lr = S.CosineDecay(η0, decay, alpha=α, warmup_target=top, warmup_steps=warm)
    for step in (0, 5, 10, 60, 110, 500):
        if step < warm:
            expected = η0 + (top - η0) * step / warm
        else:
            p = min(step - warm, decay) / decay
            expected = top * ((1 - α) * 0.5 * (1 + math.cos(math.pi * p)) + α)
        assert lr(step) == pytest.approx(expected, abs=1e-15)
    assert S.CosineDecay(1.0, 10)(10) == 0.0 and S.CosineDecay(1.0, 10)(5) == pytest.approx(0.5)


def test_cosine_decay_matches_torch():
    torch = pytest.importorskip("torch")
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1)
    theirs = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50, eta_min=0.01)
    ours = S.CosineDecay(0.1, 50, alpha=0.1)
    for step in range(50):
        assert ours(step) == pytest.approx(opt.param_groups[0]["lr"], rel=1e-12)
        opt.step()
        theirs.step()


@pytest.mark.parametrize("schedule", [
    S.InverseTimeDecay(0.1, 3, 0.5, staircase=True, steps_per_epoch=4),
    S.ExponentialDecay(0.1, 1, 0.95, steps_per_epoch=10, name="lecture"),
    S.InverseSqrtDecay(0.05, k=2.0),
    S.PiecewiseConstantDecay([5, 10], [0.1, 0.05, 0.01]),
    S.CosineDecay(0.01, 100, alpha=0.1, warmup_target=0.1, warmup_steps=10),
])
def test_config_repr_and_table(schedule):
    again = S.deserialize(S.serialize(schedule))
    assert again.get_config() == schedule.get_config() and repr(again) == repr(schedule)
    assert repr(schedule).startswith(type(schedule).__name__ + "(")
    assert np.array_equal(again.values(50), schedule.values(50))
    assert schedule.values([0, 3]).tolist() == [schedule(0), schedule(3)]
    table = schedule.table(range(0, 20, 5)).splitlines()
    assert len(table) == 5 and table[0].split()[0] == "step" and float(table[1].split()[-1]) == pytest.approx(schedule(0))


def test_plot_draws_the_values(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = S.ExponentialDecay(1.0, 10, 0.5).plot(40)
    x, y = ax.lines[0].get_data()
    assert len(x) == 40 and y[10] == pytest.approx(0.5)
    ax.figure.savefig(tmp_path / "schedule.png")


@pytest.mark.parametrize("make, shown", [
    (lambda: S.InverseTimeDecay(-0.1, 1, 0.5), "initial_learning_rate .* got -0.1"),
    (lambda: S.InverseTimeDecay(0.1, 0, 0.5), "decay_steps .* got 0"),
    (lambda: S.InverseTimeDecay(0.1, 1, -0.5), "decay_rate .* got -0.5"),
    (lambda: S.ExponentialDecay(0.1, 1, 0.0), "decay_rate .* got 0.0"),
    (lambda: S.ExponentialDecay(0.1, 1, 0.9, steps_per_epoch=0), "steps_per_epoch .* got 0"),
    (lambda: S.ExponentialDecay(0.1, 1, 0.9, steps_per_epoch=2.5), "steps_per_epoch .* got 2.5"),
    (lambda: S.InverseSqrtDecay(0.1, k=0), "k .* got 0"),
    (lambda: S.PiecewiseConstantDecay([1, 2], [0.1, 0.2]), "one more entry"),
    (lambda: S.PiecewiseConstantDecay([2, 1], [0.1, 0.2, 0.3]), r"increase strictly, got \[2, 1\]"),
    (lambda: S.CosineDecay(0.1, 10, alpha=2.0), "alpha .* got 2.0"),
    (lambda: S.CosineDecay(-1.0, 10), "initial_learning_rate .* got -1.0"),
])
def test_bad_arguments_name_the_value(make, shown):
    with pytest.raises(ValueError, match=shown):
        make()


def test_deserialize_refuses_unknown_classes():
    with pytest.raises(ValueError, match="not a serialized schedule"):
        S.deserialize({"class_name": "Nope"})
    with pytest.raises(ValueError, match="cannot serialize"):
        S.serialize(lambda step: 0.1)
