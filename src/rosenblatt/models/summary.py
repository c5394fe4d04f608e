"""The text of ``model.summary()``: layers, output shapes, parameter counts (and, for a functional model,
what each layer is connected to)."""

from __future__ import annotations


def _connections(model) -> dict:
    """layer name → the names of the layers whose outputs it is called on (functional models only)."""
    links: dict = {}
    for t in getattr(model, "_nodes", ()):
        links.setdefault(t.layer.name, []).extend(i.layer.name for i in t.inbound)
    return links


def summary(model) -> str:
    """A table like Keras's.  Sequential models show output shapes once built."""
    layers = getattr(model, "_layers", [])
    shapes = getattr(model, "output_shapes", [])
    links = _connections(model)
    rows = [("Layer (type)", "Output Shape", "Param #") + (("Connected to",) if links else ())]
    for i, layer in enumerate(layers):
        shape = str(shapes[i]) if i < len(shapes) and model.built else "?"
        row = (f"{layer.name} ({type(layer).__name__})", shape, f"{layer.count_params():,}")
        rows.append(row + ((", ".join(links.get(layer.name, [])) or "-",) if links else ()))
    columns = len(rows[0])
    widths = [max(len(r[c]) for r in rows) + 2 for c in range(columns)]
    line = "─" * sum(widths)
    out = [f'Model: "{model.name}"', line]
    out.append("".join(rows[0][c].ljust(widths[c]) for c in range(columns)))
    out.append("═" * sum(widths))
    for r in rows[1:]:
        text = r[0].ljust(widths[0]) + r[1].ljust(widths[1]) + r[2].rjust(widths[2] - 2)
        out.append((text + "  " + r[3]) if columns == 4 else text)
    out.append(line)
    total = model.count_params()
    trainable = sum(w._value.size for w in model.trainable_weights)
    out += [f"Total params: {total:,}", f"Trainable params: {trainable:,}",
            f"Non-trainable params: {total - trainable:,}", line]
    return "\n".join(out)
