"""The built-in 2-D point sets as ``tf.keras.datasets``-style loaders: ``(x_train, y_train), (x_test, y_test)``.

``moons.load_data()`` (and ``blobs``, ``circles``, ``xor``, ``spirals``) draws ``n_samples`` points with
:mod:`rosenblatt.data.points` and splits them, stratified, into a training and a test part; nothing is
downloaded, and the same ``seed`` gives the same split.

>>> (x_train, y_train), (x_test, y_test) = moons.load_data(n_samples=200, test_split=0.25, seed=0)
>>> x_train.shape, x_test.shape, int(y_test.sum())
((150, 2), (50, 2), 25)
"""

from __future__ import annotations

import numpy as np

from rosenblatt.data import points


class PointSet:
    """A loader for one point set; ``load_data`` as in the module."""

    def __init__(self, name: str):
        self.name = name

    def load_data(self, n_samples=400, noise=None, test_split=0.25, seed=0):
        """((x_train, y_train), (x_test, y_test)): ``n_samples`` points, ``test_split`` of each class for testing.

        Args:
            n_samples: how many points in all (default 400).
            noise: the set's noise (None: its default).
            test_split: the fraction held out, in (0, 1) (default 0.25).
            seed: int or ``numpy.random.Generator`` for the points and the split (default 0).
        """
        if not 0.0 < test_split < 1.0:
            raise ValueError(f"{self.name}.load_data: test_split must be in (0, 1), got {test_split!r}")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        make = points.get(self.name)
        x, y = make(n_samples=n_samples, seed=rng) if noise is None else make(n_samples=n_samples, noise=noise, seed=rng)
        test = np.zeros(len(y), bool)
        for label in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == label))
            test[members[: int(round(test_split * len(members)))]] = True
        return (x[~test], y[~test]), (x[test], y[test])

    def __repr__(self):
        return f"<rosenblatt.datasets.points.{self.name}>"


blobs, circles, moons, spirals, xor = (PointSet(name) for name in ("blobs", "circles", "moons", "spirals", "xor"))

__all__ = ["PointSet", "blobs", "circles", "moons", "spirals", "xor"]
