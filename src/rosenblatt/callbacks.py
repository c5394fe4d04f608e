"""Callbacks for ``fit``, by Keras's names (``tf.keras.callbacks``).

>>> import rosenblatt as rb
>>> sorted(name for name in rb.callbacks.__all__ if name.endswith("NaN"))
['TerminateOnNaN']
"""

from rosenblatt.training.backup import BackupAndRestore
from rosenblatt.training.callbacks import (
    Callback, EarlyStopping, History, LambdaCallback, LearningRateLogger, ProgressBar,
)
from rosenblatt.training.checkpoint import ModelCheckpoint
from rosenblatt.training.log_callbacks import CSVLogger, TerminateOnNaN
from rosenblatt.training.schedule_callbacks import LearningRateScheduler, ReduceLROnPlateau

__all__ = ["BackupAndRestore", "CSVLogger", "Callback", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateLogger", "LearningRateScheduler", "ModelCheckpoint", "ProgressBar", "ReduceLROnPlateau",
           "TerminateOnNaN"]
