"""Leaving and joining the ecosystem: a model's weights and graph in other frameworks' formats.

Each format is an optional extra (``onnx``, ``interop``: ``pip install -e ".[onnx]"`` from the checkout); nothing
here is imported by ``import rosenblatt``.  This folder sits above ``layers`` and below ``models``: it reads a model
through its public attributes (``model.layers``, the functional graph) and never imports ``rosenblatt.models``,
so that ``Model.export_onnx`` and ``Model.save_weights`` can call it without an import circle.
"""

from rosenblatt.interop.onnx_export import export_onnx, to_onnx
