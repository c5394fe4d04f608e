"""Leaving and joining the ecosystem: a model's weights and graph in other frameworks' formats.

Each format is an optional extra (``onnx``, ``interop``: ``pip install -e ".[onnx]"`` from the checkout); nothing
here is imported by ``import rosenblatt``.  This folder sits above ``layers`` and below ``models``: it reads a model
through its public attributes (``model.layers``, the functional graph) and never imports ``rosenblatt.models``,
so that ``Model.export_onnx`` and ``Model.save_weights`` can call it without an import circle.
"""

from rosenblatt.interop.keras_weights import load_keras_weights, save_keras_weights
from rosenblatt.interop.layouts import dense_to_linear, hwio_to_oihw, linear_to_dense, nchw_to_nhwc, nhwc_to_nchw, \
    oihw_to_hwio
from rosenblatt.interop.onnx_export import export_onnx, to_onnx
from rosenblatt.interop.torch_module import to_torch_module
from rosenblatt.interop.torch_weights import load_torch_state_dict, save_torch_state_dict, torch_state_dict
