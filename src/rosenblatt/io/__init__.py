"""Saving and loading models and weights (a verified ``.npz`` with JSON, never pickle)."""

from rosenblatt.io.errors import ModelFileError
from rosenblatt.io.saving import load_model, load_weights, save_model, save_weights

__all__ = ["ModelFileError", "load_model", "load_weights", "save_model", "save_weights"]
