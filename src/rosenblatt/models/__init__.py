"""Models: ``Sequential``, the subclassable ``Model`` (and ``Model(inputs, outputs)``, the functional API),
``Ensemble`` (the mean of several), ``TestTimeAugmentation`` (the mean over mirrored and shifted pictures),
``Perceptron`` (Rosenblatt's 1958 neuron and learning rule, on NumPy), ``load_model``.

>>> import rosenblatt as rb
>>> model = Sequential([rb.layers.Input((2,)), rb.layers.Dense(3)])
>>> model.count_params()
9
"""

from rosenblatt.models.ensemble import Ensemble
from rosenblatt.models.functional import Functional
from rosenblatt.models.model import Model
from rosenblatt.models.perceptron import Perceptron
from rosenblatt.models.sequential import Sequential
from rosenblatt.models.test_time_augmentation import TestTimeAugmentation
from rosenblatt.models.saving import load_model, load_weights, save_model, save_weights


__all__ = ["Ensemble", "Functional", "Model", "Perceptron", "Sequential", "TestTimeAugmentation", "load_model",
           "load_weights", "save_model", "save_weights"]
