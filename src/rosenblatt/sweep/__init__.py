"""Learning-rate sweeps: the lecture's "try lots of different learning rates and see what works just right".

* :func:`grid` and :func:`sample`: the trials (optimizer × learning rate × batch size × decay × seed).
* :func:`run`: train one fresh seeded model per trial, on a local process pool or a Dask cluster, each
  row written to a Parquet or CSV table as it finishes (a restarted sweep skips what is done).
* :func:`lr_find`: the learning-rate range test (Smith 2017; fastai's ``lr_find``).
* :mod:`rosenblatt.sweep.plots`: final loss against η, the best curves, a heat map, the range test.

NumPy is all this package needs for the local pool and CSV; Dask and Parquet need the ``sweep`` extra,
the plots the ``plot`` extra (both imported only when used).

>>> from rosenblatt import sweep
>>> len(sweep.grid(optimizer=["sgd", "adam"], learning_rate=[1.0, 0.1, 0.01]))
6
"""

from rosenblatt.sweep.lr_find import LRFinderResult, lr_find
from rosenblatt.sweep.runner import best, run
from rosenblatt.sweep.space import grid, sample, trial_id
from rosenblatt.sweep.table import ResultsTable, curves, read_table
from rosenblatt.sweep.trial import Task, run_trial

__all__ = ["grid", "sample", "trial_id", "run", "best", "Task", "run_trial", "ResultsTable", "read_table", "curves",
           "lr_find", "LRFinderResult"]
