"""The convolutional cat recipe (``rosenblatt cats train --recipe conv``): cross-validation of candidates on the
209 training pictures only, and, once one is chosen, its test accuracy over seeds.

    OMP_NUM_THREADS=1 nice python -m benchmarks.cat_conv_recipe --cv conv conv_bn ... [--repeats 2] [--log FILE]
    OMP_NUM_THREADS=1 nice python -m benchmarks.cat_conv_recipe [--seeds 0 1 2 3 4] [--log FILE]

The protocol of ``benchmarks/cat_recipe.py --cv`` (and of the PyTorch prototype ``cat_cnn_research.py``):
repeated stratified 5-fold CV, split seed = repeat index, network seed = repeat·5 + fold, the per-channel
standardisation from the training folds only; accuracy, balanced accuracy (the criterion) and AUC of each
validation fold.  ``--cv`` never reads the test set.  Without ``--cv``, each seed s trains the chosen recipe
(``CONV``) on all 209 pictures and scores the 50 test pictures: to be run once, after the choice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

import rosenblatt as rb
from benchmarks.cat_recipe import COURSE, load, scores, stratified_folds
from rosenblatt.apps.cats import conv_recipe

PROTOTYPE = {"filters": (16, 32, 64)}  # the PyTorch prototype's network (cat_cnn_research.py), ported
CANDIDATES = {  # changes to conv_recipe.CONV; the jsonl rows before the choice list them relative to PROTOTYPE
    "conv": PROTOTYPE,
    "conv_bn": {**PROTOTYPE, "batch_norm": True},     # + BatchNormalization after each convolution
    "conv_e100": {**PROTOTYPE, "epochs": 100},
    "conv_e40": {**PROTOTYPE, "epochs": 40},
    "conv_wide": {},                                  # filters (32, 64, 128): phase 4's choice, now CONV
    "conv_shift2": {**PROTOTYPE, "shift": 2},
    "conv_ens3": {**PROTOTYPE, "members": 3},
    "conv_lr3e-3": {**PROTOTYPE, "learning_rate": 3e-3},
    "conv_e100_shift2": {**PROTOTYPE, "epochs": 100, "shift": 2},  # the first round's two best changes together
}


def cross_validate(name, x, y, repeats, log, k=5):
    chosen = conv_recipe.CONV.with_options(**CANDIDATES[name])
    results, t0 = [], time.time()
    for rep in range(repeats):
        for i, val in enumerate(stratified_folds(y, k, np.random.default_rng(rep))):
            train = np.setdiff1d(np.arange(len(y)), val)
            model, _ = conv_recipe.train(chosen, x[train], y[train], seed=rep * k + i)
            results.append(scores(model.predict(x[val], batch_size=256)[:, 0], y[val]))
            print(f"{name} fold {rep}.{i}: {results[-1][0]:.1%} ({time.time() - t0:.0f} s)", file=sys.stderr)
    acc, bal, auc = np.array(results).T
    seconds = time.time() - t0
    print(f"{name:<12} CV accuracy {acc.mean():.1%} ± {acc.std():.1%}, balanced {bal.mean():.1%}, "
          f"AUC {auc.mean():.3f}  ({repeats} x {k} folds, {seconds:.0f} s, load {os.getloadavg()[0]:.1f})", flush=True)
    log(dict(kind="cv", recipe=name, changes={k: list(v) if isinstance(v, tuple) else v
                                             for k, v in CANDIDATES[name].items()},
             framework="rosenblatt", repeats=repeats, acc=float(acc.mean()), sd=float(acc.std()),
             bal=float(bal.mean()), auc=float(auc.mean()), seconds=round(seconds), folds=[round(a, 3) for a in acc],
             folds_bal=[round(b, 3) for b in bal], folds_auc=[round(a, 3) for a in auc]))


def seeds_table(seeds, train, test, log, filters_png=None):
    (x, y), (x_test, y_test) = train, test
    rows = []
    for s in seeds:
        t0 = time.time()
        model, _ = conv_recipe.train(conv_recipe.CONV, x, y, seed=s)
        if filters_png and s == seeds[0]:
            from rosenblatt.apps.plots import conv_filters

            first = next(layer for layer in model.layers if isinstance(layer, rb.layers.Conv2D))
            conv_filters(first.kernel, filters_png, f"the first convolution's {first.filters} filters "
                                                    f"(3 × 3 × RGB, each scaled to its own range), seed {s}")
        train_acc = scores(model.predict(x, batch_size=256)[:, 0], y)[0]
        acc, bal, auc = scores(model.predict(x_test, batch_size=256)[:, 0], y_test)
        rows.append(dict(seed=s, train=train_acc, test=acc, test_bal=bal, test_auc=auc, seconds=time.time() - t0))
        print(f"seed {s}: train {train_acc:.1%}, test {acc:.0%} ({time.time() - t0:.0f} s)", file=sys.stderr)
    print(f"\n{conv_recipe.CONV}\n")
    print("| seed | train accuracy | test accuracy | test balanced accuracy | test AUC |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['seed']} | {r['train']:.1%} | {r['test']:.0%} | {r['test_bal']:.1%} | {r['test_auc']:.3f} |")
    test_acc = np.array([r["test"] for r in rows])
    for what, f in (("mean", np.mean), ("median", np.median)):
        print(f"| **{what}** | {f([r['train'] for r in rows]):.1%} | **{f(test_acc):.1%}** | "
              f"{f([r['test_bal'] for r in rows]):.1%} | {f([r['test_auc'] for r in rows]):.3f} |")
    print("\n| for comparison | train | test |\n|---|---|---|")
    for name, tr, te in COURSE:
        print(f"| {name} | {tr} | {te} |")
    log(dict(kind="seeds", recipe="conv " + str(conv_recipe.CONV), rows=rows, median=float(np.median(test_acc)),
             mean=float(test_acc.mean()), median_bal=float(np.median([r["test_bal"] for r in rows])),
             median_auc=float(np.median([r["test_auc"] for r in rows]))))


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cat_conv_recipe", description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--cv", nargs="+", choices=sorted(CANDIDATES), help="cross-validate these candidates")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--data")
    parser.add_argument("--log", help="append the results as JSON lines to this file")
    parser.add_argument("--filters-png", help="with the seeds: draw the first seed's first-layer filters here")
    args = parser.parse_args(argv)
    data = args.data  # None: the library's search path (--data, $ROSENBLATT_DATA, beside the checkout)
    try:
        train, test = load(data)
    except (FileNotFoundError, ImportError) as exc:
        print(f"cat_conv_recipe: skipped, the cat data is not available ({exc})")
        return 0

    def log(record):
        if args.log:
            with open(args.log, "a") as f:
                f.write(json.dumps(record) + "\n")

    if args.cv:
        for name in args.cv:
            cross_validate(name, *train, args.repeats, log)
        return 0
    seeds_table(args.seeds, train, test, log, args.filters_png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
