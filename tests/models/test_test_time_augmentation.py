"""TestTimeAugmentation: the mean over mirrored and cell-shifted pictures, against NumPy's reflect padding;
pictures or rows; one pickle-free file."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.models import TestTimeAugmentation

SHAPE = (8, 12, 2)


def rows_model(seed=0):
    return rb.Sequential([rb.layers.Input((int(np.prod(SHAPE)),)), rb.layers.Dense(5, activation="tanh"),
                          rb.layers.Dense(1, activation="sigmoid")], seed=seed)


def reference_views(pictures, flip, shift, cell):
    """Mirror, cut into cells, reflect-pad the cell grid by ``shift`` cells (np.pad) and crop every offset."""
    n, h, w, c = pictures.shape
    out = []
    for mirror in ((0, 1) if flip else (0,)):
        base = pictures[:, :, ::-1] if mirror else pictures
        grid = base.reshape(n, h // cell, cell, w // cell, cell, c)
        padded = np.pad(grid, ((0, 0), (shift, shift), (0, 0), (shift, shift), (0, 0), (0, 0)), mode="reflect")
        for dy in range(2 * shift + 1):
            for dx in range(2 * shift + 1):
                out.append(padded[:, dy:dy + h // cell, :, dx:dx + w // cell].reshape(n, h, w, c))
    return out


@pytest.mark.parametrize("flip, shift, cell", [(True, 0, 1), (False, 1, 4), (True, 1, 4), (True, 2, 2), (True, 1, 1)])
def test_output_is_the_mean_over_the_reflected_views(flip, shift, cell):
    x = np.random.default_rng(0).random((6,) + SHAPE).astype(np.float32)
    f = rows_model()
    tta = TestTimeAugmentation(f, SHAPE, flip=flip, shift=shift, cell=cell)
    views = reference_views(x, flip, shift, cell)
    assert len(tta.views()) == len(views) == (1 + flip) * (2 * shift + 1) ** 2
    expected = np.mean([f.predict(v.reshape(6, -1)) for v in views], axis=0)
    np.testing.assert_allclose(tta.predict(x.reshape(6, -1)), expected, rtol=1e-5, atol=1e-7)
    assert not np.allclose(expected, f.predict(x.reshape(6, -1)), atol=1e-4)  # the views change the answer


def test_no_views_is_the_model_itself_and_pictures_stay_pictures():
    x = np.random.default_rng(1).random((4,) + SHAPE).astype(np.float32)
    f = rows_model()
    np.testing.assert_array_equal(TestTimeAugmentation(f, SHAPE, flip=False).predict(x.reshape(4, -1)),
                                  f.predict(x.reshape(4, -1)))
    g = rb.Sequential([rb.layers.Input(SHAPE), rb.layers.Flatten(), rb.layers.Dense(1, activation="sigmoid")], seed=2)
    mirrored = (g.predict(x) + g.predict(x[:, :, ::-1])) / 2
    np.testing.assert_allclose(TestTimeAugmentation(g, SHAPE).predict(x), mirrored, rtol=1e-6)


def test_save_and_load_keeps_the_views_and_the_compile_settings(tmp_path):
    rng = np.random.default_rng(3)
    x, y = rng.random((10, int(np.prod(SHAPE)))).astype(np.float32), np.arange(10) % 2
    members = [rows_model(0), rows_model(1)]
    tta = TestTimeAugmentation(rb.models.Ensemble(members), SHAPE, shift=1, cell=4, name="views")
    tta.compile(loss="binary_crossentropy", metrics=["accuracy"])
    assert len(tta.weights) == 8
    tta.save(tmp_path / "tta.npz")
    with np.load(tmp_path / "tta.npz", allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)
    again = rb.models.load_model(tmp_path / "tta.npz")
    assert isinstance(again, TestTimeAugmentation) and isinstance(again.model, rb.models.Ensemble)
    assert (again.name, again.image_shape, again.flip, again.shift, again.cell) == ("views", SHAPE, True, 1, 4)
    np.testing.assert_array_equal(again.predict(x), tta.predict(x))
    assert again.evaluate(x, y) == pytest.approx(tta.evaluate(x, y))


def test_bad_options_and_inputs_are_refused():
    f = rows_model()
    with pytest.raises(ValueError, match="divisor"):
        TestTimeAugmentation(f, SHAPE, cell=5)
    with pytest.raises(ValueError, match="shift must be between 0 and 1"):
        TestTimeAugmentation(f, SHAPE, shift=2, cell=4)
    with pytest.raises(ValueError, match="image_shape"):
        TestTimeAugmentation(f, (8, 12))
    with pytest.raises(ValueError, match="must be a model"):
        TestTimeAugmentation("model", SHAPE)
    with pytest.raises(ValueError, match=r"rows of 192 values, got inputs of shape \(3, 100\)"):
        TestTimeAugmentation(f, SHAPE).predict(np.zeros((3, 100), np.float32))
