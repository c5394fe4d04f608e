"""Pictures in and out: a user's image files as model input, and a grid of mislabeled pictures."""

from __future__ import annotations

import numpy as np

import rosenblatt as rb


def read(files):
    """Each file → a row of 12288 values in [0, 1]; unreadable files are returned as errors."""
    rows, errors = [], []
    for f in files:
        try:
            picture = rb.datasets.load_picture(f)
        except ImportError:
            raise
        except FileNotFoundError:
            errors.append((f, "no such file"))
            continue
        except IsADirectoryError:
            errors.append((f, "a folder, not a picture"))
            continue
        except Exception as exc:  # Pillow raises several kinds for files that are not pictures
            errors.append((f, f"not a picture Pillow can read ({type(exc).__name__}: {exc})"))
            continue
        rows.append((f, rb.datasets.catvnoncat.preprocess(picture[None])))
    return rows, errors


def caption(label, prob):
    """A mislabeled picture's caption: its true label, said as such, and the model's P(cat)."""
    return f"true: {'cat' if label else 'non-cat'} · P(cat) {prob:.2f}"


def mislabeled_grid(x_uint8, y, p, path, title):
    """Draw the pictures with their true label and P(cat)."""
    from rosenblatt.plots.style import pyplot as _pyplot

    plt = _pyplot()
    n = len(x_uint8)
    cols = min(n, 6) or 1
    rows = max(1, int(np.ceil(n / cols)))
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.5 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.axis("off")
    for ax, picture, label, prob in zip(axes.ravel(), x_uint8, y, p):
        ax.imshow(picture)
        ax.set_title(caption(label, prob), fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
