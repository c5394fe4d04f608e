"""Input pipelines, as ``tf.data``: ``Dataset`` and the lecture's built-in 2-D point sets.

>>> import numpy as np
>>> from rosenblatt import data
>>> x, y = data.points.make_circles(n_samples=100, seed=0)
>>> dataset = data.Dataset.from_tensor_slices((x, y)).shuffle(buffer_size=64, seed=0).batch(32)
>>> len(dataset), [int(xb.shape[0]) for xb, yb in dataset]
(4, [32, 32, 32, 4])
"""

from rosenblatt.data import points
from rosenblatt.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset
from rosenblatt.data.structure import TensorSpec

__all__ = ["Dataset", "AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "TensorSpec", "points"]
