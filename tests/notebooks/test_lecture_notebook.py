"""The lecture as a notebook: ``notebooks/lecture.py`` (jupytext) converted and run top to bottom with nbmake.

The cat section trains when the data is on rosenblatt's search path (``$ROSENBLATT_DATA``, the user cache,
``../shared/data/catvnoncat`` beside the checkout: ``catvnoncat.find_data``); otherwise it says so and moves
on.  Outputs are never written back to the repository.
"""

from pathlib import Path

import pytest

from rosenblatt.datasets import catvnoncat

jupytext = pytest.importorskip("jupytext")
nb_run = pytest.importorskip("nbmake.nb_run")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "notebooks" / "lecture.py"
CATS = catvnoncat.find_data()  # what the notebook's load_data() finds, in the same order
SECTIONS = ["The perceptron", "Activation functions", "Why non-linear activations", "A dense layer from scratch",
            "The loss", "Gradient descent and backpropagation with pencil and paper", "Mini-batches",
            "The optimizers", "Learning-rate decay", "Cat vs non-cat"]


def test_the_notebook_walks_the_lecture():
    notebook = jupytext.read(SOURCE)
    headings = [cell.source.splitlines()[0] for cell in notebook.cells if cell.cell_type == "markdown"]
    for number, section in enumerate(SECTIONS, start=1):
        assert any(h.startswith(f"## {number}. {section}") for h in headings), section
    assert all(not cell.get("outputs") for cell in notebook.cells)


def test_the_notebook_runs_top_to_bottom(tmp_path):
    path = tmp_path / "lecture.ipynb"
    jupytext.write(jupytext.read(SOURCE), path)
    result = nb_run.NotebookRun(path, default_timeout=600).execute()
    assert result.error is None, f"{result.error.summary}\n{result.error.trace}"
    outputs = [o for cell in result.nb.cells if cell.cell_type == "code" for o in cell.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    # the figures display as the cells' values: six, and the cat section's history when the data is here
    assert len(images) >= (7 if CATS is not None else 6)
    text = "".join(o.get("text", "") for o in outputs)
    assert "0.000123394576" in text and "0.8807971" in text
    assert "0.00246651 (slide: 0.00246653), exact 0.00246651" in text  # the table's difference, shown
    markdown = [o for o in outputs if "text/markdown" in o.get("data", {})]
    assert markdown and "Backpropagation with pencil and paper" in markdown[0]["data"]["text/markdown"]
    if CATS is not None:
        assert "test accuracy" in text
    else:
        assert "no cat data here" in text
