"""Every ```python block of the documentation site runs, page by page.

A page's blocks run in order in one namespace (a guide builds on its earlier blocks), in a temporary
folder; a block that should not run is written as ```text or ```console instead. Matplotlib draws
off-screen (Agg).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
FENCE = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)
PAGES = sorted(p for p in DOCS.rglob("*.md") if FENCE.search(p.read_text(encoding="utf-8")))


def test_the_guides_have_code():
    """The collection below cannot silently go empty (a renamed folder, a changed fence)."""
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"getting-started.md", "guides/gradient-tape.md", "guides/optimizers.md", "from-pytorch.md"} <= names


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_code_runs(page, tmp_path, monkeypatch):
    pytest.importorskip("matplotlib").use("Agg")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__guide__"}
    for number, block in enumerate(FENCE.findall(page.read_text(encoding="utf-8")), 1):
        try:
            exec(compile(block, f"{page.name} block {number}", "exec"), namespace)
        except Exception as error:  # name the block: the page's traceback lines point into it
            raise AssertionError(f"{page.relative_to(DOCS)}, python block {number} failed: {error!r}") from error


def test_griffe_extension_doctest():
    """docs/griffe_doctests.py is outside the package and the doctest paths: run its examples here."""
    import doctest
    import importlib.util

    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location("griffe_doctests", DOCS / "griffe_doctests.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1 and result.failed == 0
    # a run of prompt, continuation and output lines becomes one block; text after it is left alone
    text = "Text.\n\n>>> for i in range(2):\n...     print(i)\n0\n1\n\nMore :func:`rosenblatt.explain`."
    assert module.fence_doctests(text) == (
        "Text.\n\n```pycon\n>>> for i in range(2):\n...     print(i)\n0\n1\n```\n\nMore `rosenblatt.explain`.")
