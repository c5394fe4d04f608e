"""What every figure shares: matplotlib imported lazily, the Okabe–Ito colours, a projector-sized style, saving.

matplotlib is the optional ``plot`` extra: nothing here imports it until a figure is made.  Figures are
``matplotlib.figure.Figure`` objects made without pyplot (no global state: nothing to close, nothing
shown by itself); in a notebook that has imported pyplot they display as the cell's value.

The colours are Okabe and Ito's (2008) palette, told apart with every common colour-vision deficiency;
lines also differ by style and points by marker, so a figure reads in grey too.

>>> OKABE_ITO["blue"], OKABE_ITO["bluish green"]
('#0072B2', '#009E73')
"""

from __future__ import annotations

from pathlib import Path

from rosenblatt.extras import install_hint

OKABE_ITO = {
    "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7", "black": "#000000",
}
CYCLE = [OKABE_ITO[c] for c in ("blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue",
                                "black")]
BLUE, GREEN = OKABE_ITO["blue"], OKABE_ITO["bluish green"]  # the lecture's "blue vs green points"
STYLE = {"font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "legend.fontsize": 11, "lines.linewidth": 2.2,
         "axes.grid": True, "grid.alpha": 0.3}
FORMATS = (".png", ".svg", ".pdf")


def matplotlib():
    """The matplotlib module, or an ImportError that says how to install it."""
    try:
        import matplotlib as mpl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plots need matplotlib: " + install_hint("plot")) from exc
    return mpl


def pyplot():
    """matplotlib's pyplot on the off-screen Agg backend (for the demo's and the sweeps' pictures, which are
    saved, never shown), or an ImportError that says how to install it."""
    matplotlib().use("Agg")
    import matplotlib.pyplot as plt

    return plt


def styled(plot):
    """Run a plot function inside the house style (fonts, line widths, the grid), so its text and lines get it."""
    import functools

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        with matplotlib().rc_context(STYLE):
            return plot(*args, **kwargs)

    return wrapper


def figure(rows=1, cols=1, size=(6.4, 4.8), **kwargs):
    """A new ``Figure`` (no pyplot) with a grid of axes (an array, always 2-D), in the Okabe–Ito colours."""
    matplotlib()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] * cols, size[1] * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False, **kwargs)
    for ax in axes.flat:
        ax.set_prop_cycle(color=CYCLE)
    return fig, axes


def save(fig, path, dpi=100):
    """Write ``fig`` to ``path`` (.png, .svg or .pdf); returns the path."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"cannot write a figure to {path}: the name must end in one of {', '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"cannot write a figure to {path}: the folder {path.parent} does not exist")
    with matplotlib().rc_context(STYLE):
        fig.savefig(path, dpi=dpi)
    return path
