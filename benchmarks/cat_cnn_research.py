"""Research only: would a small convolutional network (which rosenblatt does not have) clear the cat bar?

PyTorch, float32, one thread; the cross-validation protocol of ``benchmarks/cat_recipe.py --cv`` (the same
stratified folds: split seed = repeat index, network seed = fold number; balanced accuracy as the criterion;
statistics from the training folds only).  The test set is never read.

    OMP_NUM_THREADS=1 nice -n 10 python -m benchmarks.cat_cnn_research [--repeats 2] [--epochs 60] [--log FILE]

The network: pictures / 255, averaged over 2 × 2 pixels (32 × 32 × 3), standardised per channel →
[conv 3 × 3 (16) → relu → max-pool 2] → [conv 3 × 3 (32) → relu → max-pool 2] → [conv 3 × 3 (64) → relu]
→ global average → dropout 0.3 → Dense(1, sigmoid); class-weighted binary cross-entropy, Adam 10⁻³,
batches of 32, each picture flipped left-right with probability ½ and shifted by up to 4 cells (reflect
padding) afresh in every batch.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import torch
from torch import nn

import rosenblatt as rb
from benchmarks.cat_recipe import scores, stratified_folds


def net():
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, 1))


def augment(xb, shift, gen):
    b, _, h, w = xb.shape
    flip = torch.rand(b, generator=gen) < 0.5
    xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
    padded = nn.functional.pad(xb, (shift,) * 4, mode="reflect")
    dy, dx = (torch.randint(0, 2 * shift + 1, (b,), generator=gen) for _ in range(2))
    return torch.stack([padded[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])


def train_predict(x_tr, y_tr, x_ev, seed, epochs):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    mean, sd = x_tr.mean(axis=(0, 2, 3), keepdims=True), x_tr.std(axis=(0, 2, 3), keepdims=True) + 1e-3
    xt, xe = torch.tensor((x_tr - mean) / sd), torch.tensor((x_ev - mean) / sd)
    yt = torch.tensor(y_tr, dtype=torch.float32)
    w = torch.tensor(len(y_tr) / (2 * np.bincount(y_tr, minlength=2)), dtype=torch.float32)[y_tr]
    model = net()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(yt), generator=gen)
        for i in range(0, len(yt), 32):
            idx = order[i:i + 32]
            logits = model(augment(xt[idx], 4, gen))[:, 0]
            loss = nn.functional.binary_cross_entropy_with_logits(logits, yt[idx], weight=w[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return torch.sigmoid(model(xe)[:, 0]).numpy()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--log")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    (x, y), _ = rb.datasets.catvnoncat.load_data()
    x = x.astype(np.float32).reshape(-1, 32, 2, 32, 2, 3).mean(axis=(2, 4)).transpose(0, 3, 1, 2) / 255
    y = np.asarray(y).astype(np.int64).ravel()
    results, t0 = [], time.time()
    for rep in range(args.repeats):
        for i, val in enumerate(stratified_folds(y, 5, np.random.default_rng(rep))):
            train = np.setdiff1d(np.arange(len(y)), val)
            p = train_predict(x[train], y[train], x[val], rep * 5 + i, args.epochs)
            results.append(scores(p, y[val]))
            print(f"fold {rep}.{i}: {results[-1][0]:.1%} ({time.time() - t0:.0f} s)", file=sys.stderr)
    acc, bal, auc = np.array(results).T
    name = f"cnn16-32-64_pool2_e{args.epochs}"
    print(f"{name} CV accuracy {acc.mean():.1%} ± {acc.std():.1%}, balanced {bal.mean():.1%}, AUC {auc.mean():.3f}"
          f"  ({args.repeats} x 5 folds, {time.time() - t0:.0f} s)")
    if args.log:
        with open(args.log, "a") as f:
            f.write(json.dumps(dict(kind="cv", recipe=name, framework="pytorch", repeats=args.repeats,
                                    acc=float(acc.mean()), sd=float(acc.std()), bal=float(bal.mean()),
                                    auc=float(auc.mean()), folds=[round(a, 3) for a in acc])) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
