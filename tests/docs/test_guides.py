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
