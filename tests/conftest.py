"""Shared fixtures: the cat data found through the library's own search path, or its absence made sure of."""

import pytest

from rosenblatt.datasets import catvnoncat


@pytest.fixture(scope="session")
def cat_data():
    """The folder with the course's two files (``--data``'s search: $ROSENBLATT_DATA, the user cache, beside
    the checkout), else the test is skipped with where to put them."""
    folder = catvnoncat.find_data()
    if folder is None:
        pytest.skip("the cat data is not on rosenblatt's search path: "
                    + "; ".join(f"{f} ({why})" for f, why in catvnoncat.search_folders()))
    return folder


@pytest.fixture
def no_cat_data(tmp_path, monkeypatch):
    """No folder of the search path holds the files (nor does the checkout's neighbour)."""
    monkeypatch.delenv("ROSENBLATT_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(catvnoncat, "checkout_folder", lambda: None)
    return tmp_path
