"""A griffe extension for the API reference: the docstrings' doctests as code blocks, Sphinx roles as code.

The docstrings are Google style with bare ``>>>`` examples (they run as doctests) and a few Sphinx roles
(``:class:`~rosenblatt.models.Ensemble```). Markdown would read ``[0, 1]`` in a doctest's output as a link
and print the roles as text, so before griffe parses a docstring this extension

* fences every run of lines that starts with ``>>>`` (prompt, continuation lines and expected output,
  up to the next blank line) as a ``pycon`` code block, and
* turns ``:role:`~a.b.C``` into ```C``` (``:role:`a.b.C``` into ```a.b.C```).

Loaded by mkdocs.yml (``extensions: [docs/griffe_doctests.py]``); not part of the installed package.
"""

from __future__ import annotations

import re

import griffe

_ROLE = re.compile(r":(?:class|func|mod|meth|attr|data|obj|exc):`(~?)([^`]+)`")


def _role(match: re.Match) -> str:
    tilde, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def fence_doctests(text: str) -> str:
    r"""``text`` with each ``>>>`` example fenced as ```pycon and each Sphinx role as inline code.

    >>> fence_doctests("Adds.\n\n>>> 1 + 1\n2\n\nSee :class:`~a.B`.").splitlines()
    ['Adds.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'See `B`.']
    """
    out, inside, indent = [], False, ""
    for line in text.splitlines():
        stripped = line.lstrip()
        if not inside and stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            inside = True
        elif inside and not stripped:
            out.append(f"{indent}```")
            inside = False
        out.append(line if inside else _ROLE.sub(_role, line))
    if inside:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Rewrite each docstring once, when griffe has loaded its object."""

    def on_instance(self, *, obj: griffe.Object, **kwargs) -> None:  # griffe's hook
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
