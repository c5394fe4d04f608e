"""Shared fixtures. Tests find the cat data with ``catvnoncat.find_data()``, the command line's own search
(``$ROSENBLATT_DATA``, the user cache, beside the checkout); ``no_cat_data`` makes sure there is none."""

import pytest

from rosenblatt.datasets import catvnoncat


@pytest.fixture
def no_cat_data(tmp_path, monkeypatch):
    """No folder of the search path holds the files (nor does the checkout's neighbour)."""
    monkeypatch.delenv("ROSENBLATT_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(catvnoncat, "checkout_folder", lambda: None)
    return tmp_path
