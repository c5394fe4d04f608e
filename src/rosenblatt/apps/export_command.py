"""``rosenblatt export-onnx MODEL.npz OUT.onnx``: a saved model as an ONNX file (see
:mod:`rosenblatt.interop.onnx_export`).

>>> import tempfile, os
>>> import rosenblatt as rb
>>> folder = tempfile.mkdtemp()
>>> model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")], seed=0)
>>> model.save(os.path.join(folder, "m.npz"))
>>> from rosenblatt.apps.cli import main
>>> main(["export-onnx", os.path.join(folder, "m.npz"), os.path.join(folder, "m.onnx")])  # doctest: +ELLIPSIS
wrote .../m.onnx: Sequential 'sequential', opset 17, input input_layer (batch, 2), output dense (batch, 1), 3 parameters
0
"""

from __future__ import annotations

from pathlib import Path

from rosenblatt.apps import CommandError

HELP = "write a saved model (.npz) as an ONNX file, for ONNX Runtime and other frameworks (the onnx extra)"


def add_parser(sub):
    p = sub.add_parser("export-onnx", help=HELP, description=HELP[0].upper() + HELP[1:] + ". The ONNX graph "
                       "computes model.predict: inputs and outputs channels last (NHWC) as in rosenblatt, a "
                       "dynamic batch axis, no dropout or augmentation.")
    p.add_argument("model", metavar="MODEL.npz", help="a model saved by model.save or rosenblatt cats train")
    p.add_argument("out", metavar="OUT.onnx", help="the ONNX file to write (replaced if it exists)")
    p.add_argument("--opset", type=int, default=17, metavar="N", help="the ONNX operator set version")
    p.set_defaults(func=run)
    return p


def _dims(value_info):
    return "(" + ", ".join(d.dim_param or str(d.dim_value) if d.dim_param or d.dim_value else "?"
                           for d in value_info.type.tensor_type.shape.dim) + ")"


def run(args) -> int:
    from rosenblatt.interop.onnx_graph import onnx
    from rosenblatt.models import load_model

    onnx()  # the extra missing: say so before reading the model
    out = Path(args.out)
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name, e.g. {out / 'model.onnx'}")
    if not out.parent.is_dir():
        raise CommandError(f"{out}: the folder {out.parent} does not exist")
    if not Path(args.model).is_file():
        raise CommandError(f"no model file {args.model}")
    try:
        model = load_model(args.model)
    except ValueError as exc:  # a damaged or foreign file: ModelFileError names it
        raise CommandError(" ".join(str(exc).split())) from exc
    try:
        proto = model.export_onnx(out, opset=args.opset)
    except ValueError as exc:  # a layer without a conversion, a bad opset
        raise CommandError(str(exc)) from exc
    graph = proto.graph
    ins = ", ".join(f"{i.name} {_dims(i)}" for i in graph.input)
    outs = ", ".join(f"{o.name} {_dims(o)}" for o in graph.output)
    print(f"wrote {out}: {type(model).__name__} '{model.name}', opset {args.opset}, input {ins}, output {outs}, "
          f"{model.count_params():,} parameters")
    return 0
