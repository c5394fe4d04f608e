"""The default cat recipe: augmentation as the research prototype did it, class weights, a self-contained model."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.apps.cats import recipe


def reference_shift_flip(pooled, flip, dy, dx, s):
    """The prototype's augmentation on pooled (8, 8, 3) pictures: flip, then reflect-pad by s and crop."""
    base = pooled[:, ::-1] if flip else pooled
    padded = np.pad(base, ((s, s), (s, s), (0, 0)), mode="reflect")
    return padded[s + dy:8 + s + dy, s + dx:8 + s + dx]


def networks(model):
    """The trained networks inside what ``recipe.train`` returns (views of an ensemble of networks)."""
    inner = model.model if isinstance(model, rb.models.TestTimeAugmentation) else model
    return inner.members if isinstance(inner, rb.models.Ensemble) else [inner]


@pytest.mark.parametrize("s", [1, 2])
def test_augmenting_pictures_then_pooling_equals_flipping_and_shifting_the_pooled_pictures(s):
    x = np.random.default_rng(0).random((40, 12288)).astype(np.float32)
    out = recipe.augment(x, recipe.DEFAULT.with_options(shift=s), np.random.default_rng(1))
    before = recipe.pooled(x, 8).reshape(-1, 8, 8, 3)
    after = recipe.pooled(out, 8).reshape(-1, 8, 8, 3)
    seen = set()
    for i in range(len(x)):
        hits = [(f, dy, dx) for f in (0, 1) for dy in range(-s, s + 1) for dx in range(-s, s + 1)
                if np.allclose(reference_shift_flip(before[i], f, dy, dx, s), after[i], atol=1e-6)]
        assert hits, f"picture {i} is not a flip and shift of the original"
        seen.update(hits)
    assert len({h[0] for h in seen}) == 2 and len({h[1:] for h in seen}) >= 6  # both flips, many shifts
    assert max(max(abs(h[1]), abs(h[2])) for h in seen) == s  # the largest shifts are drawn too


def test_augmentation_without_flip_or_shift_is_the_identity_and_draws_change_per_call():
    x = np.random.default_rng(2).random((5, 12288)).astype(np.float32)
    none = recipe.DEFAULT.with_options(flip=False, shift=0)
    np.testing.assert_array_equal(recipe.augment(x, none, np.random.default_rng(0)), x)
    rng = np.random.default_rng(0)
    assert not np.array_equal(recipe.augment(x, recipe.DEFAULT, rng), recipe.augment(x, recipe.DEFAULT, rng))


def test_class_weights_give_each_class_half_the_weight():
    y = np.array([0, 0, 0, 1])
    w = recipe.class_weights(y)
    np.testing.assert_allclose(w, [4 / 6, 4 / 6, 4 / 6, 2.0])
    assert w[y == 0].sum() == pytest.approx(w[y == 1].sum()) == pytest.approx(len(y) / 2)


def test_default_model_holds_its_preprocessing_and_survives_saving(tmp_path):
    rng = np.random.default_rng(3)
    pictures = rng.integers(0, 256, (30, 64, 64, 3), dtype=np.uint8)
    x, y = rb.datasets.catvnoncat.preprocess(pictures, np.float32), np.arange(30) % 3 == 0
    model, histories = recipe.train(recipe.DEFAULT.with_options(epochs=2, members=3), x, y, seed=4)
    assert len(networks(model)) == 3 and len(histories) == 3
    first = networks(model)[0]
    assert [type(l).__name__ for l in first.layers] == ["Reshape", "AveragePooling2D", "Flatten", "Normalization",
                                                        "Dense", "Dense"]
    np.testing.assert_allclose(first.layers[3].mean.numpy(), recipe.pooled(x, 8).mean(axis=0), rtol=1e-5)
    model.save(tmp_path / "cats.npz")
    again = rb.models.load_model(tmp_path / "cats.npz")
    np.testing.assert_array_equal(again.predict(x), model.predict(x))


def test_same_seed_same_model_other_seed_other_model():
    x = np.random.default_rng(5).random((20, 12288)).astype(np.float32)
    y = np.arange(20) % 2
    small = recipe.DEFAULT.with_options(layers=(4,), epochs=2, members=2)
    a, b, c = (recipe.train(small, x, y, seed=s)[0].predict(x) for s in (0, 0, 1))
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_rows_of_the_wrong_size_are_refused():
    with pytest.raises(ValueError, match=r"rows of 12288 values .* \(4, 100\)"):
        recipe.train(recipe.DEFAULT, np.zeros((4, 100)), np.zeros(4))


def test_jitter_stays_in_range_and_noise_has_the_asked_spread_per_block():
    x = np.random.default_rng(6).random((200, 12288)).astype(np.float32)
    plain = dict(flip=False, shift=0)
    jittered = recipe.augment(x, recipe.DEFAULT.with_options(jitter=0.2, **plain), np.random.default_rng(0))
    assert jittered.dtype == np.float32 and 0 <= jittered.min() and jittered.max() <= 1
    assert not np.allclose(jittered, x)
    noisy = recipe.augment(x, recipe.DEFAULT.with_options(noise=0.05, **plain), np.random.default_rng(0))
    diff = noisy.reshape(200, 8, 8, 8, 8, 3) - x.reshape(200, 8, 8, 8, 8, 3)
    np.testing.assert_allclose(diff, diff[:, :, :1, :, :1, :].repeat(8, 2).repeat(8, 4), atol=1e-6)  # one per block
    assert (recipe.pooled(noisy, 8) - recipe.pooled(x, 8)).std() == pytest.approx(0.05, rel=0.02)


def test_networks_of_an_ensemble_can_pool_differently():
    x = np.random.default_rng(7).random((12, 12288)).astype(np.float32)
    model, _ = recipe.train(recipe.DEFAULT.with_options(pool=(8, 4), members=3, epochs=1), x, np.arange(12) % 2)
    assert [m.layers[1].pool_size for m in networks(model)] == [(8, 8), (4, 4), (8, 8)]
    assert [m.layers[3].mean.shape for m in networks(model)] == [(192,), (768,), (192,)]


def test_validation_split_holds_out_the_asked_fraction_of_each_class():
    y = np.array([0] * 30 + [1] * 10)
    train, val = recipe.validation_split(y, 0.2, np.random.default_rng(0))
    assert sorted(np.concatenate([train, val])) == list(range(40))
    assert (np.sum(y[val] == 0), np.sum(y[val] == 1)) == (6, 2)


def test_early_stopping_keeps_the_best_epoch_on_the_held_out_pictures():
    rng = np.random.default_rng(8)
    x = rng.random((40, 12288)).astype(np.float32)
    y = rng.integers(0, 2, 40)  # labels of noise: the held-out loss soon stops improving
    small = recipe.DEFAULT.with_options(layers=(16,), members=1, epochs=60, validation=0.25, patience=3,
                                        flip=False, shift=0, test_flip=False, test_shift=0)
    model, (history,) = recipe.train(small, x, y, seed=0)
    losses = history.history["val_loss"]
    best = int(np.argmin(losses))
    assert len(losses) == best + 1 + 3 < 60  # stopped at the patience-th epoch without improvement (Keras)
    assert model.layers[3].mean.shape == (192,)
    _, val = recipe.validation_split(y, 0.25, np.random.default_rng(recipe.member_seed(0, 0)))
    kept = model.evaluate(x[val], y[val].astype(np.float32), verbose=0)
    kept = kept[0] if isinstance(kept, (list, tuple)) else kept
    assert kept == pytest.approx(losses[best], rel=1e-4)  # the best epoch's weights, not the last


def test_label_smoothing_reaches_the_loss():
    x = np.random.default_rng(9).random((12, 12288)).astype(np.float32)
    model, _ = recipe.train(recipe.DEFAULT.with_options(members=1, epochs=1, label_smoothing=0.1), x,
                            np.arange(12) % 2)
    assert networks(model)[0].loss.label_smoothing == pytest.approx(0.1)


def test_test_time_views_wrap_the_ensemble_and_survive_saving(tmp_path):
    x = np.random.default_rng(10).random((16, 12288)).astype(np.float32)
    y = np.arange(16) % 2
    small = recipe.DEFAULT.with_options(layers=(4,), epochs=1, members=2)
    plain, _ = recipe.train(small.with_options(test_flip=False, test_shift=0), x, y, seed=0)
    viewed, _ = recipe.train(small.with_options(test_flip=True, test_shift=1), x, y, seed=0)
    assert isinstance(viewed, rb.models.TestTimeAugmentation) and isinstance(viewed.model, rb.models.Ensemble)
    assert (viewed.cell, viewed.shift, len(viewed.views())) == (8, 1, 18)
    pictures = x.reshape(16, 64, 64, 3)
    mirrored = pictures[:, :, ::-1].reshape(16, -1)
    flip_only = recipe.with_test_views(plain, small.with_options(test_flip=True, test_shift=0))
    np.testing.assert_allclose(flip_only.predict(x), (plain.predict(x) + plain.predict(mirrored)) / 2, rtol=1e-5)
    assert recipe.with_test_views(plain, small.with_options(test_flip=False, test_shift=0)) is plain
    viewed.save(tmp_path / "viewed.npz")
    np.testing.assert_array_equal(rb.models.load_model(tmp_path / "viewed.npz").predict(x), viewed.predict(x))
