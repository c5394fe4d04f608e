"""Bring your own pictures: write a cat vs non-cat HDF5 file from two folders of images.

The file has the course's layout, both splits in one file, so ``catvnoncat.load_data(out)`` reads it:

| dataset | shape | dtype |
|---|---|---|
| ``train_set_x``, ``test_set_x`` | (m, 64, 64, 3) | uint8 |
| ``train_set_y``, ``test_set_y`` | (m,) | int64, 1 = cat |
| ``list_classes`` | (2,) | ``S7``: ``[b'non-cat', b'cat']`` |

Each picture is turned upright by its EXIF orientation, converted to RGB, cropped to its central square and
resized to 64 × 64 with Lanczos filtering (Pillow). The split is stratified: in each class, a share
``test_fraction`` (rounded) goes to the test set, chosen by ``numpy.random.default_rng(seed)``, and each
split is then shuffled with the same generator. Files Pillow cannot read are skipped and listed in the report.
The file is written to a temporary name beside ``out`` and renamed, so a crash never leaves half a file.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rosenblatt.datasets.catvnoncat import CLASS_NAMES, IMAGE_SHAPE
from rosenblatt.io.atomic import replacing


@dataclass(frozen=True)
class MakeDatasetReport:
    """What ``make_dataset`` wrote: counts per split and class, and the files it skipped with the reason."""

    out: Path
    train_cats: int
    train_non_cats: int
    test_cats: int
    test_non_cats: int
    skipped: tuple = ()  # ((path, reason), ...)

    def __str__(self):
        lines = [f"wrote {self.out}: train {_count(self.train_cats, 'cat')} + {_count(self.train_non_cats, 'non-cat')}, "
                 f"test {_count(self.test_cats, 'cat')} + {_count(self.test_non_cats, 'non-cat')}"]
        if self.skipped:
            lines.append(f"skipped {_count(len(self.skipped), 'unreadable file')}:")
            lines += [f"  {p}: {why}" for p, why in self.skipped]
        return "\n".join(lines)


def _count(n, noun):
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def make_dataset(cats_dir, non_cats_dir, out, *, test_fraction=0.2, seed=0, overwrite=False):
    """Resize the pictures under ``cats_dir`` and ``non_cats_dir`` to 64 × 64 RGB and write ``out`` (HDF5).

    Args:
        cats_dir: folder of cat pictures (searched recursively; hidden files are ignored).
        non_cats_dir: folder of other pictures.
        out: the ``.h5`` file to write.
        test_fraction: share of each class held out for the test set, in [0, 1) (default 0.2).
        seed: seed of the split and the shuffle (default 0).
        overwrite: replace ``out`` if it exists (default ``False``: ``FileExistsError``).

    Returns:
        a ``MakeDatasetReport``.

    Example:

    >>> import tempfile
    >>> from PIL import Image
    >>> from rosenblatt.datasets import catvnoncat
    >>> d = Path(tempfile.mkdtemp())
    >>> for label, n in (("cats", 5), ("dogs", 5)):
    ...     (d / label).mkdir()
    ...     for i in range(n):
    ...         Image.new("RGB", (80 + i, 50), (40 * i, 0, 0)).save(d / label / f"{i}.png")
    >>> (d / "dogs" / "notes.txt").write_text("not a picture")
    13
    >>> report = make_dataset(d / "cats", d / "dogs", d / "mine.h5", seed=1)
    >>> print(report)  # doctest: +ELLIPSIS
    wrote .../mine.h5: train 4 cats + 4 non-cats, test 1 cat + 1 non-cat
    skipped 1 unreadable file:
      .../notes.txt: ...
    >>> (x_train, y_train), (x_test, y_test) = catvnoncat.load_data(d / "mine.h5")
    >>> x_train.shape, y_test.shape
    ((8, 64, 64, 3), (2,))
    """
    cats_dir, non_cats_dir, out = Path(cats_dir), Path(non_cats_dir), Path(out)
    if not 0 <= test_fraction < 1:
        raise ValueError(f"test_fraction must be in [0, 1), got {test_fraction!r}")
    for d, flag in ((cats_dir, "cats_dir"), (non_cats_dir, "non_cats_dir")):
        if not d.is_dir():
            raise NotADirectoryError(f"{flag} {str(d)!r} is not a folder of pictures")
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists; pass overwrite=True (--overwrite) to replace it")
    if not out.parent.is_dir():
        raise NotADirectoryError(f"the folder of out, {str(out.parent)!r}, does not exist")

    images, skipped = {}, []
    for label, d in ((1, cats_dir), (0, non_cats_dir)):
        images[label] = []
        for file in _picture_files(d):
            try:
                images[label].append(load_picture(file))
            except Exception as e:  # Pillow raises many types for bad files; none of them is fatal here
                skipped.append((file, f"{type(e).__name__}: {e}"))
        if not images[label]:
            raise ValueError(f"no readable pictures in {d} ({sum(1 for _ in _picture_files(d))} files tried)")

    rng = np.random.default_rng(seed)
    split = {"train": ([], []), "test": ([], [])}
    for label in (1, 0):
        x = np.stack(images[label])
        order = rng.permutation(len(x))
        n_test = round(test_fraction * len(x))
        for name, idx in (("test", order[:n_test]), ("train", order[n_test:])):
            split[name][0].append(x[idx])
            split[name][1].append(np.full(len(idx), label, dtype=np.int64))
    arrays = {}
    for name, (xs, ys) in split.items():
        x, y = np.concatenate(xs), np.concatenate(ys)
        order = rng.permutation(len(x))
        arrays[f"{name}_set_x"], arrays[f"{name}_set_y"] = x[order], y[order]
    arrays["list_classes"] = np.array([c.encode() for c in CLASS_NAMES], dtype="S7")
    _write_atomically(out, arrays, attrs={"seed": seed, "test_fraction": test_fraction})

    ytr, yte = arrays["train_set_y"], arrays["test_set_y"]
    return MakeDatasetReport(out, int(ytr.sum()), int((ytr == 0).sum()), int(yte.sum()), int((yte == 0).sum()),
                             tuple(skipped))


def _picture_files(folder):
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def load_picture(file):
    """One picture → uint8 (64, 64, 3): upright, RGB, central square, Lanczos resize."""
    from PIL import Image, ImageOps

    with Image.open(file) as im:
        im = ImageOps.exif_transpose(im)
        im = im.convert("RGB")
        im = ImageOps.fit(im, IMAGE_SHAPE[1::-1], method=Image.Resampling.LANCZOS)
        return np.asarray(im, dtype=np.uint8)


def _write_atomically(out, arrays, attrs):
    from rosenblatt.datasets.catvnoncat import _h5py

    h5py = _h5py()
    with replacing(out) as tmp, h5py.File(tmp, "w") as f:
        for name, a in arrays.items():
            f.create_dataset(name, data=a)
        f.attrs.update(attrs)
