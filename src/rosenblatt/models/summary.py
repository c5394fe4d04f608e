"""The text of ``model.summary()``: layers, output shapes, parameter counts."""

from __future__ import annotations


def summary(model) -> str:
    """A table like Keras's.  Sequential models show output shapes once built."""
    layers = getattr(model, "_layers", [])
    shapes = getattr(model, "output_shapes", [])
    rows = [("Layer (type)", "Output Shape", "Param #")]
    for i, layer in enumerate(layers):
        shape = str(shapes[i]) if i < len(shapes) and model.built else "?"
        rows.append((f"{layer.name} ({type(layer).__name__})", shape, f"{layer.count_params():,}"))
    widths = [max(len(r[c]) for r in rows) + 2 for c in range(3)]
    line = "─" * sum(widths)
    out = [f'Model: "{model.name}"', line]
    out.append("".join(rows[0][c].ljust(widths[c]) for c in range(3)))
    out.append("═" * sum(widths))
    for r in rows[1:]:
        out.append(r[0].ljust(widths[0]) + r[1].ljust(widths[1]) + r[2].rjust(widths[2] - 2))
    out.append(line)
    total = model.count_params()
    trainable = sum(w._value.size for w in model.trainable_weights)
    out += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}", line]
    return "\n".join(out)
