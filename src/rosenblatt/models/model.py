"""``Model``: a layer that can be compiled, trained, evaluated, saved.

Subclass it and write ``call`` (layers assigned as attributes are tracked), use
:class:`~rosenblatt.models.Sequential`, or call ``Model(inputs, outputs)`` on symbolic tensors (the functional
API, :mod:`rosenblatt.models.functional`).  ``fit``/``evaluate``/``predict`` live in
:mod:`rosenblatt.training`; this class only holds what ``compile`` chose.

>>> import numpy as np
>>> import rosenblatt as rb
>>> class TwoLayer(Model):
...     def __init__(self):
...         super().__init__()
...         self.hidden = rb.layers.Dense(4, activation="relu")
...         self.out = rb.layers.Dense(1, activation="sigmoid")
...     def call(self, x):
...         return self.out(self.hidden(x))
>>> model = TwoLayer()
>>> model(np.zeros((3, 2))).shape, len(model.trainable_weights)
((3, 1), 4)
"""

from __future__ import annotations

from rosenblatt import losses as losses_module
from rosenblatt import metrics as metrics_module
from rosenblatt.autodiff.ops import add
from rosenblatt.layers.layer import Layer


class Model(Layer):
    """A trainable network.  See :meth:`compile`, :meth:`fit`, :meth:`evaluate`, :meth:`predict`."""

    _autocast = False

    def __new__(cls, *args, **kwargs):
        # Model(inputs, outputs) is the functional API (Keras's rule): it makes a Functional model
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from rosenblatt.models.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.optimizer = None
        self.loss = None
        self.compiled_metrics: list = []
        self.stop_training = False
        self.history = None

    # -- compile ------------------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose how to train: an optimizer, a loss and metrics (objects or names).

        Args:
            optimizer: an optimizer or a name (``"sgd"``, ``"adam"``, ...).
            loss: a loss or a name (``"binary_crossentropy"``, ...).
            metrics: a list of metrics or names; ``"accuracy"`` picks the one that fits the loss.
        """
        from rosenblatt import optimizers

        self.optimizer = optimizers.get(optimizer)
        self.loss = losses_module.get(loss) if loss is not None else None
        self.compiled_metrics = [metrics_module.get(m, self.loss) for m in (metrics or [])]
        self.stop_training = False

    def compute_loss(self, y_true, y_pred, sample_weight=None):
        """The compiled loss plus the layers' regularization terms."""
        if self.loss is None:
            raise ValueError("the model has no loss: call model.compile(optimizer=..., loss=...) first")
        total = self.loss(y_true, y_pred, sample_weight)
        for term in self.losses:
            total = add(total, term)
        return total

    # -- training (implemented in rosenblatt.training) -------------------------------------------
    def fit(self, x=None, y=None, **kwargs):
        """Train; see :func:`rosenblatt.training.fit` for the arguments. Returns a ``History``."""
        from rosenblatt.training.fit import fit

        return fit(self, x, y, **kwargs)

    def evaluate(self, x=None, y=None, **kwargs):
        """Loss and metrics on data; see :func:`rosenblatt.training.evaluate`."""
        from rosenblatt.training.evaluate import evaluate

        return evaluate(self, x, y, **kwargs)

    def predict(self, x, batch_size=None, verbose=0):
        """The model's outputs as a NumPy array, batch by batch, without recording gradients."""
        from rosenblatt.training.evaluate import predict

        return predict(self, x, batch_size=batch_size, verbose=verbose)

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, path):
        """Save architecture, weights and optimizer state to one ``.npz`` file (never pickle)."""
        from rosenblatt.models.saving import save_model

        save_model(self, path)

    def save_weights(self, path):
        """Save only the weights: to an ``.npz`` file, or Keras 3's ``….weights.h5``, or a PyTorch state_dict in
        ``….safetensors`` (see :mod:`rosenblatt.interop`)."""
        from rosenblatt.models.saving import save_weights

        save_weights(self, path)

    def load_weights(self, path):
        """Load weights saved by :meth:`save_weights` or :meth:`save` (or by Keras, ``….weights.h5``, or PyTorch,
        ``….safetensors``); shapes must match."""
        from rosenblatt.models.saving import load_weights

        load_weights(self, path)

    def export_onnx(self, path, opset=17):
        """Write the model as an ONNX file for ONNX Runtime (the ``onnx`` extra); returns the ``onnx.ModelProto``.

        Inference only, inputs and outputs channels last as here, a dynamic batch axis; see
        :mod:`rosenblatt.interop.onnx_export` for what is exported and how.

        Args:
            path: the ``.onnx`` file to write.
            opset: the ONNX operator set version (default 17).
        """
        from rosenblatt.interop.onnx_export import export_onnx

        return export_onnx(self, path, opset=opset)

    def _save_training_state(self, path, state: dict):
        """A model file with ``state`` (a ``BackupAndRestore`` backup) beside it; training/ calls this, so that
        only models/ knows the file format's model side."""
        from rosenblatt.models.training_state import save_training_state

        save_training_state(self, path, state)

    def _load_training_state(self, path) -> dict:
        """Load a backup written by :meth:`_save_training_state` into this model; returns its ``state``."""
        from rosenblatt.models.training_state import load_training_state

        return load_training_state(self, path)

    def summary(self, print_fn=print):
        """Print each layer's output shape and parameter count."""
        from rosenblatt.models.summary import summary

        print_fn(summary(self))

    def get_layer(self, name=None, index=None):
        """The layer called ``name``, or the one at position ``index`` of ``model.layers`` (Keras's method)."""
        layers = self.layers
        if (name is None) == (index is None):
            raise ValueError("get_layer: give either a name or an index, not both or neither")
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"get_layer: index {index} is out of range; the model has {len(layers)} layers")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"get_layer: no layer named {name!r}; the layers are {[layer.name for layer in layers]}")

    @property
    def metrics_names(self) -> list[str]:
        return ["loss"] + [m.name for m in self.compiled_metrics]

