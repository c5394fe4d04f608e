"""``TestTimeAugmentation``: a trained model's mean output over mirrored and shifted copies of each picture.

A model trained on pictures flipped left–right and shifted at random has learnt to answer the same for
each of those copies, but no single copy is the one it answers best; averaging over all of them at
test time removes that noise.  For a model f and the set V of views of a picture x,

    ŷ(x) = (1/|V|) Σ_{v ∈ V} f(v(x)),

where the picture (h × w × c) is cut into cells of ``cell`` × ``cell`` pixels, an H × W grid
(H = h / cell, W = w / cell), and the view v_{m, dy, dx} first mirrors the picture left–right if m = 1,
then moves the content of cell (u + dy, v + dx) to cell (u, v) for dy, dx ∈ {−s, …, s}, cells beyond
the edge reflected about the edge cell (index −1 → 1, H → H − 2):

    v(x)[i, j] = x'[ρ_H(i // cell + dy) · cell + i mod cell,  ρ_W(j // cell + dx) · cell + j mod cell],
    ρ_n(k) = |k| if |k| ≤ n − 1 else 2(n − 1) − |k|,      x' = x mirrored if m = 1, else x.

So |V| = (1 + flip) · (2s + 1)², and ``TestTimeAugmentation(f, flip=False, shift=0)`` is f itself.  With
``cell`` the size of the model's pooling blocks, every view pooled is exactly the pooled picture mirrored
and shifted by whole blocks (what a model trained with block shifts has seen).

The inputs are pictures (n, h, w, c) or rows of h·w·c values (n, h·w·c), as the model takes them; each
view is given to the model in the same form.  ``predict``, ``evaluate`` (after ``compile``), ``summary``
and ``save`` work as for any model, and the file holds the wrapped model (see :mod:`rosenblatt.models.saving`).
``fit`` would train the model on its mean over the views: train the model first, then wrap it.

>>> import numpy as np
>>> import rosenblatt as rb
>>> f = rb.Sequential([rb.layers.Input((4 * 4 * 1,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> x = np.arange(32, dtype=np.float32).reshape(2, 16) / 32
>>> mirrored = x.reshape(2, 4, 4, 1)[:, :, ::-1].reshape(2, 16)
>>> tta = TestTimeAugmentation(f, image_shape=(4, 4, 1), flip=True)
>>> bool(np.allclose(tta.predict(x), (f.predict(x) + f.predict(mirrored)) / 2))
True
>>> len(tta.views())       # the unmirrored and the mirrored picture, no shifts
2
"""

from __future__ import annotations

import numpy as np

from rosenblatt.autodiff.ops import add, divide, getitem, reshape
from rosenblatt.layers.layer import Layer
from rosenblatt.models.model import Model


def _reflect(k, n):
    """Cell indices outside 0 … n − 1 mirrored about the edge cell (−1 → 1, n → n − 2)."""
    k = np.abs(k)
    return np.where(k > n - 1, 2 * (n - 1) - k, k)


class TestTimeAugmentation(Model):
    """The mean of ``model``'s outputs over mirrored and shifted copies of its input pictures.

    Args:
        model: a trained model (or layer) that takes the pictures, as pictures or as rows.
        image_shape: (h, w, c), the pictures' shape.
        flip: also use each picture mirrored left–right (default True).
        shift: shift by −shift … shift cells in each direction (default 0: no shifts).
        cell: the cell size in pixels (default 1); must divide h and w.
        name: the model's name (default ``"test_time_augmentation"``).
    """

    __test__ = False  # not a pytest test class, whatever its name

    def __init__(self, model, image_shape, flip=True, shift=0, cell=1, name=None, trainable=True, dtype=None):
        if not isinstance(model, Layer):
            raise ValueError(f"TestTimeAugmentation: model must be a model or layer, got {type(model).__name__}")
        try:
            h, w, c = (int(d) for d in image_shape)
        except (TypeError, ValueError):
            raise ValueError(f"TestTimeAugmentation: image_shape must be (height, width, channels), "
                             f"got {image_shape!r}") from None
        cell, shift = int(cell), int(shift)
        if cell < 1 or h % cell or w % cell:
            raise ValueError(f"TestTimeAugmentation: cell {cell} must be a positive divisor of the picture's "
                             f"height {h} and width {w}")
        if shift < 0 or shift >= min(h, w) // cell:
            raise ValueError(f"TestTimeAugmentation: shift must be between 0 and {min(h, w) // cell - 1} cells "
                             f"(a picture of {h // cell} × {w // cell} cells), got {shift}")
        super().__init__(name=name or "test_time_augmentation", trainable=trainable, dtype=dtype or model.dtype)
        self.model = model  # tracked as the one sub-layer: its weights are this model's weights
        self.image_shape, self.flip, self.shift, self.cell = (h, w, c), bool(flip), shift, cell
        self.built = model.built
        shapes = getattr(model, "output_shapes", None)
        self.output_shapes = [shapes[-1]] if shapes else []
        first_input = getattr(model, "_input_shape", None) or getattr(model, "_build_shape", None)
        self._build_shape = None if first_input is None else tuple(first_input)

    def views(self):
        """The (rows, cols) pixel index arrays of every view: view[i, j] = picture[rows[i], cols[j]]."""
        (h, w, _), p, s = self.image_shape, self.cell, self.shift
        i, j = np.arange(h), np.arange(w)
        out = []
        for mirror in ((False, True) if self.flip else (False,)):
            for dy in range(-s, s + 1):
                for dx in range(-s, s + 1):
                    rows = _reflect(i // p + dy, h // p) * p + i % p
                    cols = _reflect(j // p + dx, w // p) * p + j % p
                    out.append((rows, w - 1 - cols if mirror else cols))
        return out

    def call(self, inputs, training=None):
        shape = tuple(inputs.shape)
        if shape[1:] not in ((int(np.prod(self.image_shape)),), self.image_shape):
            raise ValueError(f"TestTimeAugmentation '{self.name}': expected pictures of shape {self.image_shape} "
                             f"or rows of {int(np.prod(self.image_shape))} values, got inputs of shape {shape}")
        pictures = reshape(inputs, (-1,) + self.image_shape) if len(shape) == 2 else inputs
        total = None
        for rows, cols in self.views():
            view = getitem(pictures, (slice(None), rows[:, None], cols[None, :]))
            output = self.model(reshape(view, (-1,) + shape[1:]) if len(shape) == 2 else view, training=training)
            total = output if total is None else add(total, output)
        return divide(total, len(self.views()))

    def get_config(self) -> dict:
        from rosenblatt.models.config import model_to_config

        return {"name": self.name, "model": model_to_config(self.model), "image_shape": list(self.image_shape),
                "flip": self.flip, "shift": self.shift, "cell": self.cell}
