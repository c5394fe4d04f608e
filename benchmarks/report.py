"""The tables (medians, ratios, targets, peak memory) and the plot of throughput against batch size.

Ratios are speed-ups: how many times faster rosenblatt is than the other (> 1 means faster), from
the medians of the same run, whatever the unit (for µs/step and seconds the ratio is inverted).
"""

from __future__ import annotations

FIT, TAPE = "rosenblatt fit", "rosenblatt tape"

# (group, other framework, the least speed-up that meets the target); "*" is every group.
TARGETS = [
    ("tiny", "torch", 4.0), ("tiny", "numpy", 0.8),
    ("cat", "torch", 1.2), ("cat", "torch fused", 1.0), ("cat", "numpy", 0.9),
    ("mnist", "torch", 1.2), ("mnist", "torch fused", 1.0), ("mnist", "numpy", 0.9),
    ("wide", "torch fused", 1.0),
    ("*", "keras", 5.0),
]
ROSENBROCK_MAX_US = 10.0


def _fmt(value, unit):
    if value is None:
        return "–"
    if unit == "µs/step":
        return f"{value:.1f}"
    if unit == "s":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _ratio(value):
    return "–" if value is None else f"{value:.2f}×"


def _table(header, rows):
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"] + [line(r) for r in rows])


def medians_table(results, frameworks):
    rows = []
    for r in results:
        w = r.workload
        rows.append([w.key, w.unit] + [_fmt(r.median(f), w.unit) for f in frameworks])
    return _table(["workload", "unit"] + frameworks, rows)


def ratios_table(results, frameworks):
    others = [f for f in frameworks if not f.startswith("rosenblatt")]
    mine = [f for f in (FIT, TAPE) if f in frameworks]
    header = ["workload"] + [f"{m.split()[1]} vs {o}" for m in mine for o in others]
    rows = [[r.workload.key] + [_ratio(r.speedup(m, o)) for m in mine for o in others] for r in results]
    return _table(header, rows)


def targets(results):
    """Each target as (workload, what, needed, fit's value, tape's value, met by fit)."""
    out = []
    for r in results:
        w = r.workload
        if w.kind == "rosenbrock":
            value = r.median(FIT)
            out.append((w.key, "µs per optimizer step", f"≤ {ROSENBROCK_MAX_US:g}",
                        _fmt(value, w.unit), "–", value is not None and value <= ROSENBROCK_MAX_US))
        for group, other, need in TARGETS:
            if group not in ("*", w.group) or other not in r.seconds:
                continue
            fit, tape = r.speedup(FIT, other), r.speedup(TAPE, other)
            out.append((w.key, f"vs {other}", f"≥ {need:g}×", _ratio(fit), _ratio(tape),
                        fit is not None and fit >= need))
    return out


def targets_table(results):
    rows = [[key, what, need, fit, tape, "met" if ok else "NOT met"]
            for key, what, need, fit, tape, ok in targets(results)]
    return _table(["workload", "target", "needed", "fit", "tape", "status (fit)"], rows)


def memory_table(results, frameworks):
    rows = []
    for r in results:
        cells = []
        for f in frameworks:
            b = r.memory.get(f)
            cells.append("–" if b is None else f"{b / 2**20:,.1f}")
        rows.append([r.workload.key] + cells)
    return _table(["peak MiB"] + frameworks, rows)


def machine_lines(info):
    return [f"- {k}: {v}" for k, v in info.items()]


def full_report(results, frameworks, info, rounds, keras_rounds=None):
    shown = [f for f in frameworks if any(f in r.seconds for r in results)]
    keras = f" ({keras_rounds} for Keras)" if "keras" in shown and keras_rounds is not None and keras_rounds < rounds \
        else ""
    parts = ["Machine and settings:", *machine_lines(info), "",
             f"Medians of {rounds} interleaved rounds{keras} (higher is better for /s, lower for µs/step and s):", "",
             medians_table(results, shown), "",
             "Speed-up of rosenblatt (its median over the other's; > 1 means rosenblatt is faster):", "",
             ratios_table(results, shown), "", "Targets:", "", targets_table(results), "",
             "Peak memory above the start (MiB): building the network and its first chunk:", "",
             memory_table(results, shown)]
    notes = [f"- {r.workload.key}: {r.workload.title}; data: {r.source or 'none'}" for r in results]
    errors = [f"- {r.workload.key} / {f}: {e}" for r in results for f, e in r.errors.items()]
    parts += ["", "Workloads:", *notes]
    if errors:
        parts += ["", "Errors:", *errors]
    return "\n".join(parts)


def plot_cat(results, path):
    """Samples per second against batch size for the cat network, per framework, float32 and float64."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = [r for r in results if r.workload.group == "cat"]
    if not cats:
        return False
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=False, dpi=90)
    for ax, dtype in zip(axes, ("float32", "float64")):
        rows = sorted((r for r in cats if r.workload.dtype == dtype), key=lambda r: r.workload.batch)
        frameworks = [f for f in dict.fromkeys(f for r in rows for f in r.seconds)]
        for f in frameworks:
            points = [(r.workload.batch, r.median(f)) for r in rows if r.median(f) is not None]
            if points:
                xs, ys = zip(*points)
                style = "-o" if f.startswith("rosenblatt") else "--s"
                ax.plot(xs, ys, style, label=f, linewidth=2 if f == FIT else 1.2, markersize=4)
        ax.set_ylim(bottom=0)
        ax.set_xscale("log", base=2)
        ax.set_xticks([32, 64, 209], ["32", "64", "209"])
        ax.set_title(f"cat network, {dtype}")
        ax.set_xlabel("batch size")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("samples per second")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def load(path):
    """The results and machine description that ``--json`` wrote, to print or plot them again."""
    import json

    from benchmarks.harness import Result
    from benchmarks.workloads import workloads

    with open(path) as f:
        saved = json.load(f)
    known = {w.key: w for w in workloads(quick=saved.get("quick", False))}
    results = [Result(known[r["workload"]], r.get("source", ""), r["seconds"], r["memory"], r["errors"])
               for r in saved["results"] if r["workload"] in known]
    return results, saved["machine"], saved["rounds"], saved.get("keras_rounds")
