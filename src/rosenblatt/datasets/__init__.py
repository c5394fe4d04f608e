"""Built-in data sets, loaded like ``tf.keras.datasets``: ``catvnoncat.load_data()`` (the lecture's pictures).

``make_dataset`` writes the same layout from your own pictures.
"""

from rosenblatt.datasets import catvnoncat
from rosenblatt.datasets.make_dataset import MakeDatasetReport, load_picture, make_dataset

__all__ = ["catvnoncat", "make_dataset", "MakeDatasetReport", "load_picture"]
