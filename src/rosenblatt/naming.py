"""The closest known names to a misspelt one, for error messages ("did you mean 'relu'?").

>>> did_you_mean("rellu", ["relu", "sigmoid", "tanh"])
"did you mean 'relu'? "
>>> did_you_mean("sgd", ["adam"])
''
"""

from __future__ import annotations

import difflib


def closest(name, known, n=3) -> list[str]:
    """The names of ``known`` closest to ``name`` (case ignored): the best, and up to ``n - 1`` as close."""
    if not isinstance(name, str):
        return []
    by_lower = {}
    for k in known:
        by_lower.setdefault(str(k).lower(), str(k))
    target = name.lower()
    matches = difflib.get_close_matches(target, list(by_lower), n=n, cutoff=0.6)
    ratio = [difflib.SequenceMatcher(None, target, m).ratio() for m in matches]
    return [by_lower[m] for m, r in zip(matches, ratio) if r >= ratio[0] - 0.02]


def did_you_mean(name, known) -> str:
    """``"did you mean 'x'? "`` (or ``'x' or 'y'``), or ``""`` when nothing is close."""
    matches = closest(name, known)
    if not matches:
        return ""
    return "did you mean " + " or ".join(repr(m) for m in matches) + "? "
