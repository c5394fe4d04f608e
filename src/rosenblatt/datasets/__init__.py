"""Built-in data sets, loaded like ``tf.keras.datasets``: ``catvnoncat.load_data()`` (the lecture's pictures),
``moons.load_data()``, ``circles``, ``blobs``, ``xor``, ``spirals`` (the 2-D point sets, split for testing).

``make_dataset`` writes the same layout from your own pictures.
"""

from rosenblatt.datasets import catvnoncat, points
from rosenblatt.datasets.points import blobs, circles, moons, spirals, xor
from rosenblatt.datasets.make_dataset import MakeDatasetReport, load_picture, make_dataset

__all__ = ["blobs", "catvnoncat", "circles", "moons", "points", "spirals", "xor", "make_dataset", "MakeDatasetReport", "load_picture"]
