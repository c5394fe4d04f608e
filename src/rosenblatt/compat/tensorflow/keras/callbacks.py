"""``tf.keras.callbacks`` (aliases)."""

from rosenblatt.training.callbacks import (
    Callback, EarlyStopping, History, LambdaCallback, LearningRateLogger, ProgressBar,
)
from rosenblatt.compat.missing import module_getattr  # noqa: E402

__getattr__ = module_getattr(__name__, "tf.keras.callbacks")
