"""The training loop behind ``fit``/``evaluate``/``predict``, callbacks and progress display."""

from rosenblatt.training.callbacks import (
    Callback, EarlyStopping, History, LambdaCallback, LearningRateLogger, ProgressBar,
)
from rosenblatt.training.evaluate import evaluate, predict
from rosenblatt.training.fit import Diverged, fit, train_step

__all__ = ["Callback", "EarlyStopping", "History", "LambdaCallback", "LearningRateLogger", "ProgressBar", "evaluate",
           "predict", "fit", "train_step", "Diverged"]
