"""The lecture's "Cat vs Non Cat" image set, loaded like ``tf.keras.datasets``.

Each example is a 64 × 64 RGB picture, so it has n = 64 × 64 × 3 = 12288 features, and a label
y = 1 if it shows a cat, y = 0 if not. The course's files hold 209 training and 50 test pictures.

The files are those of the programming assignments "Logistic Regression with a Neural Network mindset"
(week 2) and "Deep Neural Network for Image Classification: Application" (week 4) of *Neural Networks and
Deep Learning*, course 1 of DeepLearning.AI's Deep Learning Specialization on Coursera (the assignment's
``datasets/`` folder; the SHA-256 sums below identify them). The project does not ship or download them (no
licence for redistribution is known). ``load_data`` reads ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``
from the first of these folders that has them (:func:`search_folders`; the command line, the tests and the
benchmarks all search through :func:`find_data`, so the order is written only here):

1. ``path`` (``--data`` on the command line; when given, only there; ``path`` may also name one ``.h5`` file
   that holds both splits, such as a file written by ``rosenblatt cats make-dataset``),
2. ``$ROSENBLATT_DATA/catvnoncat``, then ``$ROSENBLATT_DATA``,
3. the user cache folder, ``$XDG_CACHE_HOME/rosenblatt/catvnoncat`` (``~/.cache/rosenblatt/catvnoncat``),
4. ``../shared/data/catvnoncat`` beside the source checkout (when rosenblatt runs from one).

Checks, before any array is returned:

* a file with one of the course's names must have the course's SHA-256, else ``ValueError`` (not a
  warning: the course's published numbers only hold for the course's bytes, and a truncated download should
  stop the run; :class:`ChecksumError`). Your own data belongs in a file with its own name; ``verify=False``
  skips the hash check.
* every file passes a schema check: datasets ``{split}_set_x`` (m, 64, 64, 3) uint8 and ``{split}_set_y``
  (m,) integer with labels in {0, 1}; ``list_classes``, if present, two byte strings. Datasets must be plain
  in-file datasets (no links to other files, no external or virtual storage). HDF5 never unpickles, and no
  object dtype is read.
"""

import hashlib
import os
from pathlib import Path

import numpy as np

from rosenblatt.extras import install_hint

COURSE = ('the programming assignments "Logistic Regression with a Neural Network mindset" (week 2) and '
          '"Deep Neural Network for Image Classification: Application" (week 4) of "Neural Networks and Deep '
          'Learning", course 1 of DeepLearning.AI\'s Deep Learning Specialization on Coursera (the datasets/ '
          'folder of either assignment)')
FILES = {"train": "train_catvnoncat.h5", "test": "test_catvnoncat.h5"}
KNOWN_SHA256 = {
    "train_catvnoncat.h5": "fbe56ab67c3ae28d564e3a644189117976d6b31af0a3ce9bb17dbf22908af242",
    "test_catvnoncat.h5": "6a9d39ce52fa85953c5834695b8534a30ed8cfd54971fb2f080b5a24d002b951",
}
IMAGE_SHAPE = (64, 64, 3)
CLASS_NAMES = ("non-cat", "cat")


def load_data(path=None, *, verify=True):
    """Load the cat vs non-cat pictures.

    Args:
        path: a folder holding ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``, or one ``.h5`` file holding
            ``train_set_x``, ``train_set_y``, ``test_set_x`` and ``test_set_y``. Default ``None``: look in
            ``$ROSENBLATT_DATA``, the user cache folder, then beside the checkout (see the module docstring).
        verify: check the SHA-256 of files named like the course's files (default ``True``).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images uint8 of shape (m, 64, 64, 3), labels int64 of
        shape (m,) with 1 = cat.

    Raises:
        ValueError: a file is truncated, not HDF5, has the wrong SHA-256 or fails the schema check.
        DataNotFoundError: (a ``FileNotFoundError``) no folder had the files; the message lists where it looked
            and how to supply them.
        ChecksumError: (a ``ValueError``) a file with the course's name has other bytes.
        ImportError: h5py is not installed (``pip install -e ".[cats]"`` from the checkout).

    Example:

    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> x_train.shape, x_train.dtype, y_train.shape, int(y_train.sum())  # doctest: +SKIP
    ((209, 64, 64, 3), dtype('uint8'), (209,), 72)
    """
    if path is not None and Path(path).suffix in (".h5", ".hdf5") and not Path(path).exists():
        raise FileNotFoundError(f"no file {path}; make one with `rosenblatt cats make-dataset` or pass a folder "
                                "holding train_catvnoncat.h5 and test_catvnoncat.h5")
    if path is not None and Path(path).is_file():
        path = Path(path)
        if verify:
            _check_hash(path)
        return _read(path, "train"), _read(path, "test")
    folder = _find_folder(path)
    out = []
    for split, name in FILES.items():
        file = folder / name
        if verify:
            _check_hash(file)
        out.append(_read(file, split))
    return tuple(out)


def preprocess(x, dtype=np.float64, pool=1):
    """Flatten images to rows of features scaled to [0, 1]: (m, h, w, c) uint8 → (m, h·w·c / pool²) ``dtype``.

    x̃⁽ⁱ⁾ = x⁽ⁱ⁾ / 255, one row per example (Keras's layout; the course stacks columns, X = x̃ᵀ). With
    ``pool`` p > 1 each p × p block of pixels is first averaged per channel (64 × 64 → 64/p × 64/p):
    x̃_{u,v,c} = (1/p²) Σ_{a,b<p} x_{pu+a, pv+b, c} / 255.

    Args:
        x: uint8 images of shape (m, height, width, channels).
        dtype: the float type of the result (default ``numpy.float64``).
        pool: side of the averaged blocks; must divide height and width (default 1: no pooling).

    >>> x = np.full((2, 64, 64, 3), 255, dtype=np.uint8)
    >>> preprocess(x).shape, float(preprocess(x).max()), preprocess(x, np.float32).dtype
    ((2, 12288), 1.0, dtype('float32'))
    >>> preprocess(x, pool=8).shape
    (2, 192)
    """
    x = np.asarray(x)
    if x.dtype != np.uint8 or x.ndim != 4:
        raise ValueError(f"preprocess expects uint8 images of shape (m, height, width, channels), "
                         f"got {x.dtype} of shape {x.shape}")
    m, h, w, c = x.shape
    if not isinstance(pool, (int, np.integer)) or pool < 1 or h % pool or w % pool:
        raise ValueError(f"pool must be a positive integer dividing the image's {h} x {w} pixels, got {pool!r}")
    if pool > 1:
        x = x.reshape(m, h // pool, pool, w // pool, pool, c).mean(axis=(2, 4), dtype=np.float64)
    return (x.reshape(m, -1) / 255.0).astype(dtype)


def cache_dir():
    """The user cache folder: ``$XDG_CACHE_HOME/rosenblatt/catvnoncat``, else ``~/.cache/rosenblatt/catvnoncat``.

    >>> cache_dir().parts[-2:]
    ('rosenblatt', 'catvnoncat')
    """
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "rosenblatt" / "catvnoncat"


def checkout_folder():
    """``../shared/data/catvnoncat`` beside the source checkout rosenblatt runs from, or None when it is installed
    elsewhere (no ``pyproject.toml`` three folders above this module)."""
    root = Path(__file__).resolve().parents[3]
    return root / ".." / "shared" / "data" / "catvnoncat" if (root / "pyproject.toml").is_file() else None


def search_folders(path=None):
    """The folders ``load_data(path)`` looks in, in order, each with why it is there.

    >>> search_folders("/data")
    [(PosixPath('/data'), 'the path argument')]
    """
    if path is not None:
        return [(Path(path), "the path argument")]
    folders = []
    env = os.environ.get("ROSENBLATT_DATA")
    if env:
        folders += [(Path(env) / "catvnoncat", "$ROSENBLATT_DATA/catvnoncat"), (Path(env), "$ROSENBLATT_DATA")]
    folders.append((cache_dir(), "the user cache folder"))
    beside = checkout_folder()
    if beside is not None:
        folders.append((beside, "beside the source checkout"))
    return folders


def find_data(path=None):
    """The first folder of :func:`search_folders` that holds both files (or ``path`` itself when it is a file),
    else None. What the tests and benchmarks use to find the data, or skip.

    >>> find_data("/nowhere") is None
    True
    """
    if path is not None and Path(path).is_file():
        return Path(path)
    for folder, _ in search_folders(path):
        if all((folder / name).is_file() for name in FILES.values()):
            return folder
    return None


class DataNotFoundError(FileNotFoundError):
    """No folder of the search path holds both files. ``looked``: one line per folder and what it holds;
    ``advice(command_line)``: how to supply them, in the library's or the command line's words."""

    def __init__(self, looked, path=None):
        self.looked, self.path = list(looked), path
        super().__init__(self.message(command_line=False))

    def message(self, command_line=False):
        return ("cat vs non-cat data not found: looked for " + " and ".join(FILES.values()) + " in\n"
                + "\n".join(self.looked) + "\n" + self.advice(command_line))

    def advice(self, command_line=False):
        where = (f"They come from {COURSE}; the project does not ship or download them (no licence for "
                 "redistribution is known). ")
        cache = cache_dir()
        if command_line:
            how = (f"Place both once for every command: mkdir -p {cache} && cp train_catvnoncat.h5 test_catvnoncat.h5 "
                   f"{cache}/ (or export ROSENBLATT_DATA=/your/folder), or pass --data FOLDER to each command. ")
        else:
            how = (f"Place both in {cache} (or set ROSENBLATT_DATA=/your/folder), or call "
                   "load_data(path='/your/folder'). ")
        own = ("To use your own pictures, make a file with "
               "`rosenblatt cats make-dataset --cats DIR --non-cats DIR --out FILE.h5` and "
               + ("pass --data FILE.h5." if command_line else "call load_data('FILE.h5')."))
        return where + how + own


def _find_folder(path):
    found = find_data(path)
    if found is not None:
        return found
    looked = []
    for folder, why in search_folders(path):
        present = [name for name in FILES.values() if (folder / name).is_file()]
        state = "has only " + present[0] if present else "has neither file" if folder.is_dir() else "does not exist"
        looked.append(f"  - {folder} ({why}): {state}")
    if path is None and not os.environ.get("ROSENBLATT_DATA"):
        looked.append("  - $ROSENBLATT_DATA is not set")
    raise DataNotFoundError(looked, path)


def _sha256(file):
    digest = hashlib.sha256()
    with open(file, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ChecksumError(ValueError):
    """A file named like the course's has other bytes. ``message(command_line)`` words the advice for the
    library (``verify=False``) or for the command line (rename the file)."""

    def __init__(self, file, actual, expected):
        self.file, self.actual, self.expected = Path(file), actual, expected
        super().__init__(self.message(command_line=False))

    def message(self, command_line=False):
        own = ("give it another name and pass --data with that file or folder (the schema is still checked)"
               if command_line else "give it another name or pass verify=False (the schema is still checked)")
        return (f"{self.file} has SHA-256 {self.actual}, but the course's {self.file.name} has {self.expected}: the file is "
                f"truncated, altered or another data set. Get the course's file again; if it is your own data, "
                + own + ".")


def _check_hash(file):
    expected = KNOWN_SHA256.get(Path(file).name)
    if expected is None:
        return
    actual = _sha256(file)
    if actual != expected:
        raise ChecksumError(file, actual, expected)


def _h5py():
    try:
        import h5py
    except ImportError as e:
        raise ImportError("reading the cat vs non-cat HDF5 files needs h5py: " + install_hint("cats")) from e
    return h5py


def _read(file, split):
    """Open ``file``, check the ``split`` datasets' schema, and return ``(x, y)``."""
    h5py = _h5py()
    try:
        with h5py.File(file, "r") as f:
            x = _dataset(h5py, f, file, f"{split}_set_x")
            y = _dataset(h5py, f, file, f"{split}_set_y")
            if x.ndim != 4 or x.shape[1:] != IMAGE_SHAPE or x.dtype != np.uint8:
                raise ValueError(f"{file}: {split}_set_x is {x.dtype} of shape {x.shape}; expected uint8 of "
                                 f"shape (m, {', '.join(map(str, IMAGE_SHAPE))})")
            if y.ndim != 1 or y.dtype.kind not in "iu" or y.shape[0] != x.shape[0]:
                raise ValueError(f"{file}: {split}_set_y is {y.dtype} of shape {y.shape}; expected integer "
                                 f"labels of shape ({x.shape[0]},), one per image in {split}_set_x")
            if "list_classes" in f:
                classes = _dataset(h5py, f, file, "list_classes")
                if classes.shape != (2,) or classes.dtype.kind != "S":
                    raise ValueError(f"{file}: list_classes is {classes.dtype} of shape {classes.shape}; "
                                     f"expected two byte strings such as [b'non-cat', b'cat']")
            x, y = x[()], y[()]
    except OSError as e:
        raise ValueError(f"{file} could not be read as HDF5 (truncated or not an HDF5 file?): {e}") from e
    bad = np.setdiff1d(np.unique(y), [0, 1])
    if bad.size:
        raise ValueError(f"{file}: {split}_set_y holds labels {bad[:5].tolist()}; expected only 0 (non-cat) "
                         f"and 1 (cat)")
    return np.ascontiguousarray(x), y.astype(np.int64)


def _dataset(h5py, f, file, name):
    link = f.get(name, getlink=True)
    if link is None:
        raise ValueError(f"{file} has no dataset {name!r}; it has {sorted(f.keys())}")
    if not isinstance(link, h5py.HardLink):
        raise ValueError(f"{file}: {name!r} is a {type(link).__name__}; only datasets stored in the file are read")
    d = f[name]
    if not isinstance(d, h5py.Dataset):
        raise ValueError(f"{file}: {name!r} is a {type(d).__name__}, not a dataset")
    if d.external or d.is_virtual:
        raise ValueError(f"{file}: {name!r} keeps its data outside the file; only data stored in the file is read")
    if d.dtype.kind not in "iuS":
        raise ValueError(f"{file}: {name!r} has dtype {d.dtype}; expected integers or byte strings")
    return d
