"""The one error a damaged, foreign or hostile model file gives.

>>> error = ModelFileError("m.npz", "is damaged")
>>> str(error), isinstance(error, ValueError), error.path
('m.npz: is damaged', True, 'm.npz')
"""

from __future__ import annotations


class ModelFileError(ValueError):
    """A model or weights file that cannot be loaded: names the file (``path``) and what is wrong."""

    def __init__(self, path, what):
        self.path, self.what = str(path), what
        super().__init__(f"{self.path}: {what}")
