"""The verified file format, knowing nothing of models: a ``.npz`` archive whose every byte a SHA-256 covers,
read with its headers checked before any allocation and never with pickle (:mod:`~rosenblatt.io.archive`),
written atomically and durably (:mod:`~rosenblatt.io.atomic`), and its one error type. The model side —
which arrays and JSON a model writes, and how a file becomes a model again — is
:mod:`rosenblatt.models.saving` (``model.save``, ``rosenblatt.models.load_model``).
"""

from rosenblatt.io.errors import ModelFileError

__all__ = ["ModelFileError"]
