"""Other libraries' names for rosenblatt's objects: ``import rosenblatt.compat.tensorflow as tf``."""
