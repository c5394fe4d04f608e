import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt import initializers as I


@pytest.mark.parametrize("name", ["random_normal", "random_uniform", "glorot_normal", "glorot_uniform",
                                  "he_normal", "he_uniform", "lecun_normal"])
def test_seed_makes_weights_repeatable(name):
    cls = type(I.get(name)) if name.startswith("random") else None
    make = (lambda: cls(seed=7)) if cls else (lambda: getattr(I, {
        "glorot_normal": "GlorotNormal", "glorot_uniform": "GlorotUniform", "he_normal": "HeNormal",
        "he_uniform": "HeUniform", "lecun_normal": "LecunNormal"}[name])(seed=7))
    a, b = make()((40, 30)), make()((40, 30))
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32


@pytest.mark.parametrize("init,std", [
    (I.RandomNormal(seed=0), 0.05),
    (I.GlorotNormal(seed=0), np.sqrt(2 / (400 + 300))),
    (I.HeNormal(seed=0), np.sqrt(2 / 400)),
    (I.LecunNormal(seed=0), np.sqrt(1 / 400)),
    (I.GlorotUniform(seed=0), np.sqrt(6 / 700) / np.sqrt(3)),
    (I.HeUniform(seed=0), np.sqrt(6 / 400) / np.sqrt(3)),
    (I.RandomUniform(seed=0), 0.1 / np.sqrt(12)),
])
def test_spread_matches_the_formula(init, std):
    w = init((400, 300), dtype="float64")
    assert abs(w.std() - std) / std < 0.03
    assert abs(w.mean()) < 0.05 * std + 1e-3


def test_glorot_uniform_limit_and_truncation():
    w = I.GlorotUniform(seed=1)((100, 50))
    assert np.abs(w).max() <= np.sqrt(6 / 150)
    w = I.HeNormal(seed=1)((200, 100), dtype="float64")
    assert np.abs(w).max() <= 2 * np.sqrt(2 / 200) / 0.87962566103423978 + 1e-12


def test_zeros_ones_constant_and_errors():
    assert (I.get("zeros")((2, 2)) == 0).all() and (I.get("ones")((3,)) == 1).all()
    assert (I.Constant(2.5)((2,)) == 2.5).all()
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        I.get("glorot")


def test_model_seed_gives_repeatable_models():
    def make():
        return rb.Sequential([rb.layers.Input((4,)), rb.layers.Dense(3), rb.layers.Dense(2)], seed=42).get_weights()

    for a, b in zip(make(), make()):
        np.testing.assert_array_equal(a, b)
