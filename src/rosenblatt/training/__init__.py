"""The training loop behind ``fit``/``evaluate``/``predict``, callbacks and progress display."""

from rosenblatt.training.callbacks import (
    Callback, EarlyStopping, History, LambdaCallback, LearningRateLogger, ProgressBar,
)
from rosenblatt.training.backup import BackupAndRestore
from rosenblatt.training.checkpoint import ModelCheckpoint
from rosenblatt.training.log_callbacks import CSVLogger, TerminateOnNaN
from rosenblatt.training.schedule_callbacks import LearningRateScheduler, ReduceLROnPlateau
from rosenblatt.training.evaluate import evaluate, predict
from rosenblatt.training.fit import Diverged, fit, train_step

__all__ = ["BackupAndRestore", "CSVLogger", "LearningRateScheduler", "ModelCheckpoint", "ReduceLROnPlateau",
           "TerminateOnNaN", "Callback", "EarlyStopping", "History", "LambdaCallback", "LearningRateLogger", "ProgressBar", "evaluate",
           "predict", "fit", "train_step", "Diverged"]
