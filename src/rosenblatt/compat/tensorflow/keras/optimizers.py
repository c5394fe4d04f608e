"""``tf.keras.optimizers``, with the lecture's ``Momentum`` and ``schedules`` (aliases)."""

import rosenblatt.schedules as _schedules
from rosenblatt.compat.missing import Alias, module_getattr
from rosenblatt.optimizers import *  # noqa: F401,F403

schedules = Alias(__name__ + ".schedules", "tf.keras.optimizers.schedules", _schedules)
__getattr__ = module_getattr(__name__, "tf.keras.optimizers")
