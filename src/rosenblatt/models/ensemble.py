"""``Ensemble``: several trained models answering as one, by the mean of their outputs.

For K members f₁ … f_K that map the same inputs to outputs of the same shape,

    ŷ = (1/K) Σₖ fₖ(x),

e.g. the mean probability of K classifiers trained with different seeds: their errors differ, so the
mean varies less from one set of seeds to the next than any one member does.  ``predict``,
``evaluate`` (after ``compile``), ``summary`` and ``save`` work as for any model; the file holds every
member, in one ``.npz`` (see :mod:`rosenblatt.models.saving`).

>>> import numpy as np
>>> import rosenblatt as rb
>>> def member(seed):
...     return rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=seed)
>>> members = [member(0), member(1)]
>>> ensemble = Ensemble(members)
>>> x = np.array([[1.0, -2.0]])
>>> bool(np.allclose(ensemble.predict(x), (members[0].predict(x) + members[1].predict(x)) / 2))
True
>>> len(ensemble.weights)
4
"""

from __future__ import annotations

from rosenblatt.autodiff.ops import add, divide
from rosenblatt.layers.layer import Layer
from rosenblatt.models.model import Model


class Ensemble(Model):
    """The mean of its members' outputs.

    Args:
        members: a non-empty list of models (or layers), usually trained separately.  Their names are
            made unique within the ensemble (``sequential``, ``sequential_1``, ...).
        name: the ensemble's name (default ``"ensemble"``).

    ``fit`` on an ensemble would train every member at once on the *mean* output, which is not how an
    ensemble of independent models is made: train the members first, then wrap them.  The members'
    own optimizer states are not kept when the ensemble is saved; the ensemble's compile settings are.
    """

    def __init__(self, members, name=None, trainable=True, dtype=None):
        try:
            members = list(members)
        except TypeError:
            raise ValueError(f"Ensemble: members must be a list of models, got {members!r:.80}") from None
        if not members:
            raise ValueError("Ensemble: members must be a non-empty list of models, got an empty list")
        for i, member in enumerate(members):
            if not isinstance(member, Layer):
                raise ValueError(f"Ensemble: member {i} must be a model or layer, got {type(member).__name__}")
        super().__init__(name=name or "ensemble", trainable=trainable, dtype=dtype or members[0].dtype)
        taken = set()
        for member in members:
            base, i = member.name, 1
            while member.name in taken:
                member.name, i = f"{base}_{i}", i + 1
            taken.add(member.name)
            self._layers.append(member)
        self.members = members
        self.built = all(member.built for member in members)
        shapes = [getattr(member, "output_shapes", None) for member in members]
        self.output_shapes = [s[-1] for s in shapes] if all(shapes) else []
        first_input = getattr(members[0], "_input_shape", None) or getattr(members[0], "_build_shape", None)
        self._build_shape = None if first_input is None else tuple(first_input)

    def call(self, inputs, training=None):
        outputs = [member(inputs, training=training) for member in self.members]
        shapes = {tuple(o.shape) for o in outputs}
        if len(shapes) > 1:
            raise ValueError(f"Ensemble '{self.name}': the members' outputs differ in shape: "
                             f"{[tuple(o.shape) for o in outputs]}")
        total = outputs[0]
        for output in outputs[1:]:
            total = add(total, output)
        return divide(total, len(outputs)) if len(outputs) > 1 else total

    def get_config(self) -> dict:
        from rosenblatt.models.config import model_to_config

        return {"name": self.name, "members": [model_to_config(member) for member in self.members]}
