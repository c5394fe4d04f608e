"""``tf.keras.optimizers``, with the lecture's ``Momentum`` and ``schedules`` (aliases)."""

from rosenblatt import schedules
from rosenblatt.optimizers import *  # noqa: F401,F403
