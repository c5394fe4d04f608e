"""Saving and loading models and weights (``.npz`` with JSON, never pickle)."""

from rosenblatt.io.saving import load_model, load_weights, save_model, save_weights

__all__ = ["load_model", "load_weights", "save_model", "save_weights"]
