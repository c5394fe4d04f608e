"""``tf.keras.callbacks`` (aliases)."""

from rosenblatt.training.callbacks import (
    Callback, EarlyStopping, History, LambdaCallback, LearningRateLogger, ProgressBar,
)
