"""The work behind each ``rosenblatt cats`` sub-command (public API only)."""

from __future__ import annotations

import sys
import zipfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import rosenblatt as rb
from rosenblatt.apps import CommandError
from rosenblatt.apps.cats import conv_recipe, pictures, recipe, reproduce as course


def _fail(message) -> int:
    print(f"rosenblatt cats: {message}", file=sys.stderr)
    return 2


def _load(data):
    with _data_errors():
        (x, y), (x_test, y_test) = rb.datasets.catvnoncat.load_data(data)
    prep = rb.datasets.catvnoncat.preprocess
    return (x, prep(x, np.float32), y), (x_test, prep(x_test, np.float32), y_test)


@contextmanager
def _data_errors():
    """The loader's errors in the command line's words: missing data with shell advice (--data,
    ROSENBLATT_DATA, the cache folder), a bad file in one line (exit status 2, no traceback)."""
    catvnoncat = rb.datasets.catvnoncat
    try:
        yield
    except (catvnoncat.DataNotFoundError, catvnoncat.ChecksumError) as exc:
        raise CommandError(exc.message(command_line=True)) from exc
    except ValueError as exc:  # not HDF5, truncated, the wrong layout
        raise CommandError(" ".join(str(exc).split())) from exc


def _table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) + 2 for i in range(len(header))]
    lines = ["".join(str(h).ljust(w) for h, w in zip(header, widths)), "─" * sum(widths)]
    lines += ["".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _accuracy(model, x, y):
    p = model.predict(x, batch_size=256)[:, 0]
    return float(np.mean((p > 0.5) == y)), p


def train(args) -> int:
    try:
        layers = None if args.layers is None else tuple(int(v) for v in args.layers.split(",") if v.strip())
    except ValueError:
        return _fail(f"--layers must be integers separated by commas, e.g. 20,7,5; got {args.layers!r}")
    if layers is not None and (not layers or min(layers) < 1):
        return _fail(f"--layers needs positive sizes, got {args.layers!r}")
    for flag, value in (("--members", args.members), ("--epochs", args.epochs), ("--batch-size", args.batch_size)):
        if value is not None and value < 1:
            return _fail(f"{flag} must be at least 1, got {value}")
    _check_out(args.out)
    if getattr(args, "recipe", "mlp") == "conv":
        if layers is not None:
            return _fail("--layers is for --recipe mlp; the conv recipe's layers are fixed (see README)")
        return _train_conv(args)
    chosen = recipe.DEFAULT.with_options(layers=layers, optimizer=args.optimizer, learning_rate=args.learning_rate,
                                         batch_size=args.batch_size, epochs=args.epochs, members=args.members)
    (_, x, y), (_, x_test, y_test) = _load(args.data)
    model, histories = recipe.train(chosen, x, y, seed=args.seed, progress=True)
    model.save(args.out)
    train_acc, _ = _accuracy(model, x, y)
    test_acc, _ = _accuracy(model, x_test, y_test)
    losses = [h.history["loss"][-1] for h in histories if h.history.get("loss")]
    print(_table([
        ["inputs", _inputs(chosen)],
        ["hidden layers", ", ".join(map(str, chosen.layers)) or "none"],
        ["optimizer", f"{chosen.optimizer}, η = {chosen.learning_rate:g}"],
        ["batch size / epochs", f"{chosen.batch_size} / {max(len(h.epoch) for h in histories)}"],
        ["augmentation", _augmentation(chosen)],
        ["test-time views", _views(chosen)],
        ["class weights", "m / (2 m_c), balanced" if chosen.balance else "none"],
        ["networks", f"{chosen.members} (mean probability; seeds 1000·{args.seed} + k)" if chosen.members > 1
         else f"1 (seed {recipe.member_seed(args.seed, 0)})"],
        ["final loss" + (" (mean)" if len(losses) > 1 else ""), f"{np.mean(losses):.4f}" if losses else "-"],
        ["train accuracy", f"{train_acc:.1%} ({round(train_acc * len(y))}/{len(y)})"],
        ["test accuracy", f"{test_acc:.1%} ({round(test_acc * len(y_test))}/{len(y_test)})"],
        ["saved to", args.out],
    ], ["", f"seed {args.seed}"]))
    return 0


def _train_conv(args) -> int:
    if args.optimizer not in (None, "adam", "sgd"):
        return _fail(f"--recipe conv trains with adam or sgd, got --optimizer {args.optimizer}")
    chosen = conv_recipe.CONV.with_options(optimizer=args.optimizer, learning_rate=args.learning_rate,
                                           batch_size=args.batch_size, epochs=args.epochs, members=args.members)
    (_, x, y), (_, x_test, y_test) = _load(args.data)
    model, histories = conv_recipe.train(chosen, x, y, seed=args.seed, progress=True)
    model.save(args.out)
    train_acc, _ = _accuracy(model, x, y)
    test_acc, _ = _accuracy(model, x_test, y_test)
    losses = [h.history["loss"][-1] for h in histories if h.history.get("loss")]
    print(_table([
        ["inputs", f"pixels / 255 → {chosen.pool}×{chosen.pool} blocks averaged (32 × 32 × 3), standardised per channel"
         if chosen.pool > 1 else "pixels / 255, standardised per channel"],
        ["convolutions", ", ".join(f"{f} × {chosen.kernel_size}×{chosen.kernel_size}" for f in chosen.filters)
         + " (relu, max-pool 2 between)" + (", batch norm" if chosen.batch_norm else "")],
        ["head", f"global average → dropout {chosen.dropout:g} → Dense(1, sigmoid)"],
        ["optimizer", f"{chosen.optimizer}, η = {chosen.learning_rate:g}"],
        ["batch size / epochs", f"{chosen.batch_size} / {chosen.epochs}"],
        ["augmentation", ", ".join((["random flips"] if chosen.flip else [])
                                   + ([f"shifts of ±{chosen.shift} pixels"] if chosen.shift else [])) or "none"],
        ["class weights", "m / (2 m_c), balanced" if chosen.balance else "none"],
        ["networks", f"{chosen.members} (seeds 1000·{args.seed} + k)"],
        ["final loss" + (" (mean)" if len(losses) > 1 else ""), f"{np.mean(losses):.4f}" if losses else "-"],
        ["train accuracy", f"{train_acc:.1%} ({round(train_acc * len(y))}/{len(y)})"],
        ["test accuracy", f"{test_acc:.1%} ({round(test_acc * len(y_test))}/{len(y_test)})"],
        ["saved to", args.out],
    ], ["", f"seed {args.seed}, --recipe conv"]))
    return 0


def _inputs(chosen):
    pools = chosen.pool if isinstance(chosen.pool, tuple) else (chosen.pool,)
    pooled = " or ".join(f"{p}×{p} blocks averaged → {12288 // p ** 2}" if p > 1 else "12288" for p in pools)
    return f"pixels / 255 → {pooled}" + (", standardised" if chosen.standardize else "")


def _augmentation(chosen):
    parts = (["random flips"] if chosen.flip else []) + ([f"shifts of ±{chosen.shift} block(s)"] if chosen.shift else [])
    return ", ".join(parts) + " per batch" if parts else "none"


def _views(chosen):
    if not (chosen.test_flip or chosen.test_shift):
        return "none (the picture only)"
    count = (1 + chosen.test_flip) * (2 * chosen.test_shift + 1) ** 2
    what = ("the picture and its mirror" if chosen.test_flip else "the picture") + (
        f", shifted by up to ±{chosen.test_shift} block(s)" if chosen.test_shift else "")
    return f"mean P(cat) over {what} ({count} views)"


def _model(path):
    try:
        model = rb.models.load_model(path)
    except FileNotFoundError:
        raise CommandError(f"no model file {path}; train one with `rosenblatt cats train --out {path}`")
    except ValueError as exc:
        if not zipfile.is_zipfile(path):  # not an .npz at all: NumPy's own message (allow_pickle ...) misleads
            raise CommandError(f"{path} is not a rosenblatt model file (.npz saved by model.save / "
                               "rosenblatt cats train)")
        raise CommandError(str(exc))
    _check_cat_model(model, path)
    return model


def _check_cat_model(model, path):
    """A cat model takes rows of 12288 values and gives one column, P(cat): try it on one row of zeros."""
    try:
        out = model.predict(np.zeros((1, 12288), np.float32))
    except ValueError as exc:
        first = model.layers[0] if getattr(model, "layers", None) else None
        kernel = getattr(first, "kernel", None)
        takes = f"it takes {kernel.shape[0]} input features" if kernel is not None else f"it says: {exc}"
        raise CommandError(f"{path} is not a cat model: {takes}, a cat model takes 12288 "
                           "(64 × 64 × 3 pictures / 255)")
    if out.shape != (1, 1):
        raise CommandError(f"{path} is not a cat model: it gives {out.shape[1:]} outputs per picture, "
                           "a cat model gives one, P(cat)")


def evaluate(args) -> int:
    model = _model(args.model)
    (_, x, y), (_, x_test, y_test) = _load(args.data)
    rows = []
    for name, xs, ys in (("train", x, y), ("test", x_test, y_test)):
        acc, p = _accuracy(model, xs, ys)
        rows.append([name, len(ys), f"{acc:.1%}", f"{int(np.sum((p > 0.5) == ys))}/{len(ys)}"])
    print(_table(rows, ["set", "pictures", "accuracy", "correct"]))
    return 0


def predict(args) -> int:
    model = _model(args.model)
    rows, errors = pictures.read(args.images)
    table = []
    for f, x in rows:
        p = float(model.predict(x.astype(np.float32))[0, 0])
        table.append([f, f"{p:.3f}", "cat" if p > 0.5 else "non-cat"])
    table += [[f, "-", why] for f, why in errors]
    print(_table(table, ["picture", "P(cat)", "verdict"]))
    return 1 if errors else 0  # after every row, so one bad file does not hide the others' answers


def mislabeled(args) -> int:
    model = _model(args.model)
    _check_out(args.out)
    _, (x_uint8, x_test, y_test) = _load(args.data)
    _, p = _accuracy(model, x_test, y_test)
    wrong = np.flatnonzero((p > 0.5) != y_test)
    pictures.mislabeled_grid(x_uint8[wrong], y_test[wrong], p[wrong], args.out,
                             f"{len(wrong)} of {len(y_test)} test pictures mislabeled")
    print(f"{len(wrong)} of {len(y_test)} test pictures mislabeled; grid written to {args.out}")
    return 0


def reproduce(args) -> int:
    with _data_errors():
        data = course.load(args.data)
    course.run(data=data, only=args.only)
    return 0


def make_dataset(args) -> int:
    for flag, folder in (("--cats", args.cats), ("--non-cats", args.non_cats)):
        if not Path(folder).is_dir():
            return _fail(f"{flag} {folder}: no such folder" if not Path(folder).exists()
                         else f"{flag} {folder} is a file, not a folder of pictures")
    if not 0 <= args.test_fraction < 1:
        return _fail(f"--test-fraction must be at least 0 and below 1, got {args.test_fraction}")
    _check_out(args.out, overwrite=args.overwrite)
    try:
        report = rb.datasets.make_dataset(args.cats, args.non_cats, args.out, test_fraction=args.test_fraction,
                                          seed=args.seed, overwrite=args.overwrite)
    except (FileNotFoundError, FileExistsError, ValueError) as exc:
        return _fail(str(exc))
    print(_report_text(report))
    return 0


def _count(n, what):
    return f"{n} {what}" + ("" if n == 1 else "s")


def _report_text(report):
    """What make_dataset wrote, in words ("1 cat", "2 cats"), and the files it skipped."""
    lines = [f"wrote {report.out}: train {_count(report.train_cats, 'cat')} + "
             f"{_count(report.train_non_cats, 'non-cat')}, test {_count(report.test_cats, 'cat')} + "
             f"{_count(report.test_non_cats, 'non-cat')}"]
    if report.skipped:
        lines.append(f"skipped {_count(len(report.skipped), 'unreadable file')}:")
        lines += [f"  {path}: {why}" for path, why in report.skipped]
    return "\n".join(lines)


def _check_out(out, overwrite=None):
    """Refuse an output path whose folder is missing (or, with ``overwrite=False``, that exists), before any work."""
    out = Path(out)
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give a file name")
    if not out.parent.is_dir():
        raise CommandError(f"--out {out}: the folder {out.parent} does not exist")
    if overwrite is False and out.exists():
        raise CommandError(f"--out {out} exists; pass --overwrite to replace it")
