"""The Keras-style surface: construction, validation, get(), config, duck-typed variables, clipping."""

import math

import numpy as np
import pytest

from rosenblatt import optimizers as O
from rosenblatt import schedules as S

ALL = [O.SGD, O.Momentum, O.RMSprop, O.Adam, O.AdamW, O.Nadam, O.Adagrad, O.Adadelta]


@pytest.mark.parametrize("cls, kwargs, shown", [
    (O.SGD, dict(learning_rate=-0.1), "-0.1"),
    (O.SGD, dict(learning_rate=0), "learning_rate .* got 0"),
    (O.SGD, dict(learning_rate="0.1"), "'0.1'"),
    (O.SGD, dict(learning_rate=math.nan), "nan"),
    (O.SGD, dict(momentum=1.0), r"momentum must be a number in \[0, 1\), got 1.0"),
    (O.SGD, dict(nesterov=True), "nesterov=True needs momentum > 0"),
    (O.Momentum, dict(beta=-0.5), "beta .* got -0.5"),
    (O.RMSprop, dict(rho=1.5), "rho .* got 1.5"),
    (O.RMSprop, dict(epsilon=0.0), r"epsilon must be a number in \(0, inf\), got 0.0"),
    (O.Adam, dict(beta_1=1.0), "beta_1 .* got 1.0"),
    (O.Adam, dict(beta_2=-0.001), "beta_2 .* got -0.001"),
    (O.Adam, dict(epsilon=-1e-8), "epsilon .* got -1e-08"),
    (O.AdamW, dict(weight_decay=-1), "weight_decay .* got -1"),
    (O.Nadam, dict(momentum_decay=0), "momentum_decay .* got 0"),
    (O.Adagrad, dict(initial_accumulator_value=-0.1), "initial_accumulator_value .* got -0.1"),
    (O.Adadelta, dict(rho=1), "rho .* got 1"),
    (O.Adam, dict(clipnorm=0), "clipnorm .* got 0"),
    (O.Adam, dict(clipnorm=1.0, clipvalue=1.0), "at most one of"),
])
def test_bad_hyperparameters_name_the_value(cls, kwargs, shown):
    with pytest.raises(ValueError, match=shown):
        cls(**kwargs)


@pytest.mark.parametrize("cls", ALL)
def test_config_round_trip(cls):
    opt = cls(learning_rate=S.CosineDecay(0.1, 100, warmup_target=0.2, warmup_steps=10), clipnorm=2.0, name="mine")
    config = opt.get_config()
    assert config["learning_rate"]["class_name"] == "CosineDecay" and config["clipnorm"] == 2.0
    again = cls.from_config(config)
    assert again.get_config() == config and again.name == "mine"
    assert O.deserialize(O.serialize(opt)).get_config() == config
    assert repr(cls()).startswith(cls.__name__ + "(learning_rate=")


def test_get_resolves_names_dicts_and_instances():
    for name, cls in [("sgd", O.SGD), ("Adam", O.Adam), ("RMSPROP", O.RMSprop), ("momentum", O.Momentum),
                      ("adagrad", O.Adagrad), ("adadelta", O.Adadelta), ("nadam", O.Nadam), ("adamw", O.AdamW)]:
        assert type(O.get(name)) is cls
    opt = O.Adam()
    assert O.get(opt) is opt
    assert O.get({"class_name": "SGD", "config": {"learning_rate": 0.5}}).learning_rate == 0.5
    with pytest.raises(ValueError, match="unknown optimizer 'adamax'"):
        O.get("adamax")


def test_keras_defaults():
    assert O.SGD().get_config()["learning_rate"] == 0.01
    assert (O.Adam().beta_1, O.Adam().beta_2, O.Adam().epsilon, O.Adam().learning_rate) == (0.9, 0.999, 1e-8, 1e-3)
    assert (O.RMSprop().rho, O.RMSprop().epsilon) == (0.9, 1e-8)
    assert (O.Adagrad().initial_accumulator_value, O.Adagrad().epsilon) == (0.1, 1e-7)
    assert (O.Adadelta().learning_rate, O.Adadelta().rho, O.Adadelta().epsilon) == (1.0, 0.95, 1e-6)
    assert (O.Momentum().beta, O.AdamW().weight_decay) == (0.9, 0.004)


class Var:
    """A duck-typed variable, as rosenblatt.Variable: the array lives in _value."""

    def __init__(self, value):
        self._value = np.asarray(value)


class Grad:
    def __init__(self, value):
        self._value = np.asarray(value)


def test_duck_typed_variables_are_updated_in_place():
    big, tiny = Var(np.ones((30, 2), np.float32)), Var([1.0, 2.0])
    arrays = big._value, tiny._value
    O.SGD(0.5).apply_gradients(zip([Grad(np.ones((30, 2), np.float32)), Grad([2.0, 2.0])], [big, tiny]))
    assert big._value is arrays[0] and tiny._value is arrays[1]
    np.testing.assert_array_equal(big._value, 0.5)
    np.testing.assert_array_equal(tiny._value, [0.0, 1.0])


@pytest.mark.parametrize("clip", [{}, {"clipnorm": 0.1}, {"clipvalue": 0.1}, {"global_clipnorm": 0.1}])
@pytest.mark.parametrize("size", [3, 40])
def test_gradients_are_never_modified(clip, size):
    g = np.linspace(-1, 1, size)
    keep = g.copy()
    O.Adam(0.1, **clip).apply_gradients([(g, np.zeros(size))])
    np.testing.assert_array_equal(g, keep)


def test_none_gradients_are_skipped():
    a, b = np.ones(2), np.ones(2)
    opt = O.SGD(0.5)
    opt.apply_gradients([(None, a), (np.ones(2), b)])
    assert opt.iterations == 1 and a.tolist() == [1, 1] and b.tolist() == [0.5, 0.5]
    opt.apply_gradients([(None, a)])
    assert opt.iterations == 1


def test_bad_variables_and_gradients():
    opt = O.SGD()
    with pytest.raises(ValueError, match=r"gradient of shape \(3,\) for variable 0 of shape \(2,\)"):
        opt.apply_gradients([(np.ones(3), np.ones(2))])
    with pytest.raises(TypeError, match="floating-point"):
        opt.apply_gradients([(np.ones(2), np.ones(2, dtype=int))])
    with pytest.raises(ValueError, match="must be contiguous"):
        opt.apply_gradients([(np.ones(2), np.ones((2, 2))[:, 0])])


def test_float32_stays_float32():
    W = np.ones(50_000, np.float32)
    opt = O.Adam(0.1)
    opt.apply_gradients([(np.ones(50_000, np.float32), W)])
    assert W.dtype == np.float32 and opt.get_slot(W, "s").dtype == np.float32
    assert set(opt._scratch) == {np.dtype(np.float32)}  # no float64 scratch was made
    np.testing.assert_allclose(W, np.float32(0.9), rtol=1e-6)


@pytest.mark.parametrize("size", [2, 40])
def test_clipping(size):
    g = np.zeros(size)
    g[:2] = [3.0, 4.0]
    for kwargs, expected in [({"clipnorm": 1.0}, [0.6, 0.8]), ({"clipvalue": 3.5}, [3.0, 3.5]),
                             ({"clipnorm": 10.0}, [3.0, 4.0])]:
        W = np.zeros(size)
        O.SGD(1.0, **kwargs).apply_gradients([(g, W)])
        np.testing.assert_allclose(-W[:2], expected, rtol=1e-15)
    a, b = np.zeros(size), np.zeros(1)
    O.SGD(1.0, global_clipnorm=6.5).apply_gradients([(g, a), (np.array([12.0]), b)])  # global norm 13
    np.testing.assert_allclose([-a[0], -a[1], -b[0]], [1.5, 2.0, 6.0], rtol=1e-15)


def test_schedule_is_evaluated_at_the_step():
    lr = S.PiecewiseConstantDecay([1], [1.0, 0.5])  # steps 0 and 1 at 1.0, then 0.5
    W, opt = np.zeros(1), O.SGD(lr)
    for _ in range(3):
        opt.apply_gradients([(np.ones(1), W)])
    assert W[0] == -2.5 and opt.iterations == 3 and opt.current_learning_rate() == 0.5
    O.SGD(lambda step: 0.1 / (step + 1)).apply_gradients([(np.ones(1), W)])  # any callable
    assert W[0] == -2.6
    with pytest.raises(ValueError, match="schedule gave -1.0 at step 0"):
        O.SGD(lambda step: -1.0).apply_gradients([(np.ones(1), W)])


def test_weight_decay_is_decoupled():
    W = np.array([2.0, -4.0])
    O.SGD(0.1, weight_decay=0.5).apply_gradients([(np.zeros(2), W)])
    np.testing.assert_allclose(W, [2.0 * 0.95, -4.0 * 0.95])


@pytest.mark.parametrize("cls", ALL)
def test_updates_allocate_no_full_size_temporaries(cls):
    """After the first step (which creates the slots), a step allocates only a few KiB, whatever the size."""
    import tracemalloc

    W, g = np.zeros((12288, 20), np.float32), np.full((12288, 20), 0.01, np.float32)
    opt = cls(clipnorm=1.0)
    opt.apply_gradients([(g, W)])
    tracemalloc.start()
    opt.apply_gradients([(g, W)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 32 * 1024 < W.nbytes, f"{cls.__name__} allocated {peak} bytes in one step"
