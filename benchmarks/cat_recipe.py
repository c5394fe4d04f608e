"""The default cat recipe over several seeds, trained through the library (the function ``rosenblatt cats
train`` calls), beside the course's published numbers; and, for choosing recipes, cross-validation on
the training set only.

    python -m benchmarks.cat_recipe [--seeds 0 1 2 3 4] [--quick] [--data PATH] [--log FILE]
    python -m benchmarks.cat_recipe --cv NAME [NAME ...] [--repeats 2] [--log FILE]

Each seed s trains the recipe on the 209 training pictures (an ensemble of networks with seeds
1000·s + k) and scores it on the 50 test pictures; the table gives, per seed, train and test accuracy,
test balanced accuracy (the mean of the two classes' recalls) and AUC, then the mean, median and spread
of test accuracy.  One test picture is 2 points.  ``--quick`` trains 5 epochs and 2 networks: a smoke
run whose numbers mean nothing.  ``--cv`` never reads the test set: repeated stratified 5-fold
cross-validation of the training set (split seed = repeat index, network seed = fold number, the
protocol of ``cat_recipe_research.py``), standardisation statistics from the training folds only.

The data is read from ``--data``, else the library's search path (``$ROSENBLATT_DATA``, the user cache,
``../shared/data/catvnoncat`` beside the checkout); without it the benchmark says so and skips.  Run it niced
on a shared machine: about 30 s per seed on one core.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

import rosenblatt as rb
from rosenblatt.apps.cats import recipe


COURSE = [  # published in the course (train / test accuracy), and the re-run over seeds
    ("course, four layers [12288, 20, 7, 5, 1], np.random.seed(1)", "98.6 %", "80 %"),
    ("course, same four layers, seeds 0–7 (issue 4)", "", "62–80 %, median 76 %"),
    ("course, two layers 12288-7-1", "100 %", "72 %"),
    ("course, logistic regression", "99 %", "70 %"),
    ("phase-1 PyTorch prototype (shifts ±1, no test-time views), seeds 0–4", "89–91 %", "76–80 %, median 78 %"),
    ("phase-2 library port of it, seeds 0–4", "91–92 %", "74–78 %, median 76 %"),
]

# Phases 2 and 3 compared changes to the phase-2 default (shifts of ±1 block, no test-time views); the
# rows of cat_recipe.jsonl before phase 3's choice list their changes relative to it.
PHASE2 = {"shift": 1, "test_flip": False, "test_shift": 0}

CANDIDATES = {  # recipes compared by --cv: changes to the default
    "default": {},
    "phase2": PHASE2,
    "jitter": {**PHASE2, "jitter": 0.1},
    "noise": {**PHASE2, "noise": 0.03},
    "pools84": {**PHASE2, "pool": (8, 4), "members": 6},
    "members10": {**PHASE2, "members": 10},
    "wide128": {**PHASE2, "layers": (128,)},
    "epochs50": {**PHASE2, "epochs": 50},
    "epochs200": {**PHASE2, "epochs": 200},
    # phase 3: test-time views (the same trained networks as "phase2", answering on several views)
    "tta_flip": {**PHASE2, "test_flip": True},
    "tta_flipshift": {**PHASE2, "test_flip": True, "test_shift": 1},
    # phase 3: training changes (each also scored with test-time views: --also-tta)
    "deep128_64": {**PHASE2, "layers": (128, 64), "dropout": 0.3},
    "momentum": {**PHASE2, "optimizer": "momentum", "learning_rate": 0.05, "decay": 0.02},
    "shift2": {**PHASE2, "shift": 2},
    "smooth": {**PHASE2, "label_smoothing": 0.1},
    "early": {**PHASE2, "validation": 0.2, "epochs": 300, "patience": 30},
    "shift3": {**PHASE2, "shift": 3},
}


def load(data):
    (x, y), (x_test, y_test) = rb.datasets.catvnoncat.load_data(data)
    prep = rb.datasets.catvnoncat.preprocess
    return (prep(x, np.float32), y), (prep(x_test, np.float32), y_test)


def scores(p, y):
    """Accuracy, balanced accuracy and AUC (P(a cat scores above a non-cat), ties half) of P(cat) ``p``."""
    hat = (p > 0.5).astype(int)
    pos, neg = p[y == 1], p[y == 0]
    auc = np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))
    return float(np.mean(hat == y)), float(np.mean([np.mean(hat[y == c] == c) for c in (0, 1)])), float(auc)


def seeds_table(chosen, seeds, train, test, log):
    (x, y), (x_test, y_test) = train, test
    rows = []
    for s in seeds:
        t0 = time.time()
        model, _ = recipe.train(chosen, x, y, seed=s)
        train_acc = scores(model.predict(x, batch_size=256)[:, 0], y)[0]
        acc, bal, auc = scores(model.predict(x_test, batch_size=256)[:, 0], y_test)
        rows.append(dict(seed=s, train=train_acc, test=acc, test_bal=bal, test_auc=auc, seconds=time.time() - t0))
        print(f"seed {s}: train {train_acc:.1%}, test {acc:.0%} ({time.time() - t0:.0f} s)", file=sys.stderr)
    print(f"\n{chosen}\n")
    print("| seed | train accuracy | test accuracy | test balanced accuracy | test AUC |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['seed']} | {r['train']:.1%} | {r['test']:.0%} | {r['test_bal']:.1%} | {r['test_auc']:.3f} |")
    test = np.array([r["test"] for r in rows])
    print(f"| **mean** | {np.mean([r['train'] for r in rows]):.1%} | **{test.mean():.1%}** | "
          f"{np.mean([r['test_bal'] for r in rows]):.1%} | {np.mean([r['test_auc'] for r in rows]):.3f} |")
    print(f"| **median** | | **{np.median(test):.0%}** | | |")
    print(f"| spread | | {test.min():.0%}–{test.max():.0%} ({round((test.max() - test.min()) * len(y_test))} "
          f"pictures), sd {test.std():.1%} | | |")
    print("\n| for comparison | train | test |\n|---|---|---|")
    for name, tr, te in COURSE:
        print(f"| {name} | {tr} | {te} |")
    log(dict(kind="seeds", recipe=str(chosen), rows=rows, median=float(np.median(test)), mean=float(test.mean())))


def stratified_folds(y, k, rng):
    folds = [[] for _ in range(k)]
    for c in (0, 1):
        for i, j in enumerate(rng.permutation(np.flatnonzero(y == c))):
            folds[i % k].append(j)
    return [np.sort(np.array(f)) for f in folds]


TTA = {"": dict(test_flip=False, test_shift=0), "flip": dict(test_flip=True, test_shift=0),
       "flip+shift": dict(test_flip=True, test_shift=1), "flip+shift2": dict(test_flip=True, test_shift=2),
       "flip+shift3": dict(test_flip=True, test_shift=3)}
TRAINED = {}  # (training changes, repeat, fold) -> model: candidates that differ only at test time share them


def cross_validate(name, chosen, x, y, repeats, log, k=5, also_tta=()):
    """Score candidate ``name``; with ``also_tta`` (names in ``TTA``), also the same networks answering with
    the mean over those views (``TestTimeAugmentation``), logged as ``name+tta_...``."""
    at_test = dict(test_flip=chosen.test_flip, test_shift=chosen.test_shift)
    variants = [(name, chosen)]
    for views in also_tta:
        variants.append((f"{name}+tta_{views.replace('+', '') or 'none'}", chosen.with_options(**TTA[views])))
    bare = chosen.with_options(**TTA[""])
    training = {k: v for k, v in CANDIDATES[name].items() if k not in at_test}
    results, t0 = {v: [] for v, _ in variants}, time.time()
    for rep in range(repeats):
        for i, val in enumerate(stratified_folds(y, k, np.random.default_rng(rep))):
            train = np.setdiff1d(np.arange(len(y)), val)
            key = (json.dumps(training, sort_keys=True), rep, i)
            if key not in TRAINED:
                TRAINED[key] = recipe.train(bare, x[train], y[train], seed=rep * k + i)[0]
            for variant, variant_recipe in variants:
                model = recipe.with_test_views(TRAINED[key], variant_recipe)
                results[variant].append(scores(model.predict(x[val], batch_size=256)[:, 0], y[val]))
    for variant, variant_recipe in variants:
        acc, bal, auc = np.array(results[variant]).T
        print(f"{variant:<12} CV accuracy {acc.mean():.1%} ± {acc.std():.1%}, balanced {bal.mean():.1%}, "
              f"AUC {auc.mean():.3f}  ({repeats} x {k} folds, {time.time() - t0:.0f} s)", flush=True)
        changes = {**CANDIDATES[name], **{f: getattr(variant_recipe, f) for f in at_test
                                          if getattr(variant_recipe, f) != getattr(recipe.DEFAULT, f)}}
        log(dict(kind="cv", recipe=variant, changes=changes, repeats=repeats, acc=float(acc.mean()),
                 sd=float(acc.std()), bal=float(bal.mean()), auc=float(auc.mean()), folds=[round(a, 3) for a in acc],
                 folds_bal=[round(b, 3) for b in bal], folds_auc=[round(a, 3) for a in auc]))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cat_recipe", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--quick", action="store_true", help="5 epochs, 2 networks: a smoke run")
    parser.add_argument("--data", help="folder with the two .h5 files (default: rosenblatt's search path, "
                                       "$ROSENBLATT_DATA, the user cache, ../shared/data/catvnoncat)")
    parser.add_argument("--cv", nargs="+", choices=sorted(CANDIDATES), help="cross-validate these candidates")
    parser.add_argument("--repeats", type=int, default=2, help="repeats of 5-fold CV (default 2)")
    parser.add_argument("--also-tta", nargs="+", default=(), choices=sorted(TTA), metavar="VIEWS",
                        help=f"with --cv: also score the same networks with these test-time views {sorted(TTA)}")
    parser.add_argument("--log", help="append the results as JSON lines to this file")
    args = parser.parse_args(argv)
    data = args.data
    try:
        train, test = load(data)
    except (FileNotFoundError, ImportError) as exc:
        print(f"cat_recipe: skipped, the cat data is not available ({exc})")
        return 0

    def log(record):
        if args.log:
            with open(args.log, "a") as f:
                f.write(json.dumps(record) + "\n")

    quick = dict(epochs=5, members=2) if args.quick else {}
    if args.cv:
        for name in args.cv:
            chosen = recipe.DEFAULT.with_options(**{**CANDIDATES[name], **quick})
            cross_validate(name, chosen, *train, args.repeats, log, also_tta=args.also_tta)
        return 0
    seeds_table(recipe.DEFAULT.with_options(**quick), args.seeds, train, test, log)
    return 0


if __name__ == "__main__":
    sys.exit(main())
