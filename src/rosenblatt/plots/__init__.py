"""The lecture's figures, computed by the library (matplotlib: the optional ``plot`` extra).

Each function returns a ``matplotlib.figure.Figure`` (made without pyplot: show it as a notebook
cell's value, or ``save`` it); ``rosenblatt plot NAME --out file.png`` writes the same figures.

=================  ==========================================================================
``activations``    each activation and its derivative, taken by the GradientTape
``trainable_activations``  PReLU, Swish and the APL unit at initialisation and after training
``boundary``       decision regions of the same network, linear against ReLU activations
``learning_rates`` one network at η = 0.001 (slow), 0.03 (right) and 0.1 (diverging)
``batch_sizes``    the loss per step for b = 1, 32 and m
``history``        the loss and metrics of any ``fit``, train against validation
``schedules``      the lecture's three decay formulas and the library's other schedules
``perceptron``     Rosenblatt's perceptron and a sigmoid neuron, on separable points and on XOR
=================  ==========================================================================

Colours are Okabe and Ito's colour-blind-safe palette (:data:`OKABE_ITO`); lines also differ by style.

>>> from rosenblatt import plots
>>> sorted(plots.PLOTS)
['activations', 'batch-sizes', 'boundary', 'history', 'learning-rates', 'perceptron', 'schedules']
"""

from rosenblatt.plots.functions import activation_and_slope, activations, schedules
from rosenblatt.plots.regions import boundary, linear_boundary, perceptron
from rosenblatt.plots.style import OKABE_ITO, save
from rosenblatt.plots.training import batch_losses, batch_sizes, history, learning_rates
from rosenblatt.plots.trainable import trainable_activations

PLOTS = {"activations": activations, "boundary": boundary, "learning-rates": learning_rates,
         "batch-sizes": batch_sizes, "history": history, "schedules": schedules, "perceptron": perceptron}

__all__ = ["activations", "boundary", "learning_rates", "batch_sizes", "history", "schedules", "perceptron", "save",
           "activation_and_slope", "linear_boundary", "batch_losses", "OKABE_ITO", "PLOTS"]
__all__ += ["trainable_activations"]
