"""``tf.keras.callbacks`` (aliases)."""

from rosenblatt.callbacks import (  # noqa: F401
    BackupAndRestore, Callback, CSVLogger, EarlyStopping, History, LambdaCallback, LearningRateLogger,
    LearningRateScheduler, ModelCheckpoint, ProgressBar, ReduceLROnPlateau, TerminateOnNaN,
)
from rosenblatt.compat.missing import module_getattr  # noqa: E402

__getattr__ = module_getattr(__name__, "tf.keras.callbacks")
