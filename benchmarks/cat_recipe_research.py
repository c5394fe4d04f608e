"""Research prototype: a multi-layer-perceptron recipe for cat vs non-cat.

Plain NumPy (the course recipe, exact) and PyTorch (candidate recipes, float32, one thread). Recipes are chosen
by repeated stratified k-fold cross-validation on the 209 training images only; the 50 test images are read
only by ``final``, once, for the report. Results are appended as JSON lines to ``cat_recipe_research.jsonl``
beside this file; the narrative is in ``cat_recipe_research.md``.

Run niced, one thread (the machine is shared)::

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 \
        python benchmarks/cat_recipe_research.py course-seed1
    ... python benchmarks/cat_recipe_research.py cv NAME [NAME ...]
    ... python benchmarks/cat_recipe_research.py final NAME
"""

import json
import sys
import time
from pathlib import Path

import h5py
import numpy as np

from rosenblatt.datasets import catvnoncat

HERE = Path(__file__).resolve().parent
DATA = catvnoncat.find_data()  # rosenblatt's search path: $ROSENBLATT_DATA, the user cache, beside the checkout
LOG = HERE / "cat_recipe_research.jsonl"


def load(split):
    if DATA is None:
        raise SystemExit("the cat data is not on rosenblatt's search path (see rosenblatt.datasets.catvnoncat)")
    with h5py.File(DATA / f"{split}_catvnoncat.h5", "r") as f:
        return np.asarray(f[f"{split}_set_x"]), np.asarray(f[f"{split}_set_y"])


def log(record):
    print(json.dumps(record), flush=True)
    with open(LOG, "a") as f:
        f.write(json.dumps(record) + "\n")


# ---------------------------------------------------------------- the course recipe, exactly (NumPy, float64)
def course_train(X, Y, layer_dims=(12288, 20, 7, 5, 1), lr=0.0075, iters=2500, seed=1):
    """X (n, m), Y (1, m); the course's L_layer_model: randn / sqrt(fan_in) after np.random.seed(seed)."""
    np.random.seed(seed)
    P = {}
    for l in range(1, len(layer_dims)):
        P[f"W{l}"] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(layer_dims[l - 1])
        P[f"b{l}"] = np.zeros((layer_dims[l], 1))
    L = len(layer_dims) - 1
    m = X.shape[1]
    cost = None
    for _ in range(iters):
        A = [X]
        for l in range(1, L + 1):
            Z = P[f"W{l}"] @ A[-1] + P[f"b{l}"]
            A.append(1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z))
        AL = A[-1]
        cost = float(np.squeeze(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m))
        dA = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
        for l in range(L, 0, -1):
            dZ = dA * AL * (1 - AL) if l == L else dA * (A[l] > 0)
            dW = dZ @ A[l - 1].T / m
            db = np.sum(dZ, axis=1, keepdims=True) / m
            dA = P[f"W{l}"].T @ dZ
            P[f"W{l}"] -= lr * dW
            P[f"b{l}"] -= lr * db
    return P, cost


def course_predict(P, X):
    L = len(P) // 2
    A = X
    for l in range(1, L + 1):
        Z = P[f"W{l}"] @ A + P[f"b{l}"]
        A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(0, Z)
    return (A > 0.5).astype(int).ravel()


# ---------------------------------------------------------------- candidate recipes (PyTorch, float32)
BASE = dict(
    pool=1, standardize="none", hidden=(20, 7, 5), dropout=0.0, in_dropout=0.0, wd=0.0, l2=0.0,
    lr=1e-3, batch=32, epochs=100, decay="none", flip=False, shift=0, members=1, init="he",
    label_smoothing=0.0, val_frac=0.0, patience=0, mixup=0.0, balance=False, size=0, aug_full=False,
)

RECIPES = {
    # the course's architecture and init, trained like the course (full batch GD, 2,500 steps), as a baseline
    "course": dict(hidden=(20, 7, 5), optimizer="gd", lr=0.0075, batch=0, epochs=2500, init="course"),
    "course_adam": dict(hidden=(20, 7, 5), lr=1e-3, batch=32, epochs=100),
    # wave 1: one change at a time from a plain Adam MLP
    "mlp": dict(hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60),
    "mlp_pool2": dict(pool=2, hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60),
    "mlp_pool4": dict(pool=4, hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60),
    "mlp_img": dict(hidden=(64,), standardize="image", lr=1e-3, batch=32, epochs=60),
    "mlp_drop": dict(hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60, dropout=0.5),
    "mlp_aug": dict(hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60, flip=True, shift=4),
    "mlp_reg": dict(hidden=(64,), standardize="pixel", lr=1e-3, batch=32, epochs=60, flip=True, shift=4,
                    dropout=0.5, wd=0.05, decay="cosine"),
    # wave 2: augmentation is the first thing that helped; combine it with balance, pooling, width, length
    "aug_bal": dict(hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=4, balance=True),
    "aug_p2": dict(pool=2, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=2),
    "aug_p4": dict(pool=4, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=1),
    "aug_p2_long": dict(pool=2, hidden=(128,), standardize="pixel", epochs=200, flip=True, shift=2, dropout=0.3,
                        decay="cosine"),
    "aug_chan": dict(hidden=(64,), standardize="channel", epochs=60, flip=True, shift=4),
    "aug_none": dict(hidden=(64,), standardize="none", epochs=60, flip=True, shift=4),
    # wave 3: 16 x 16 inputs (pool 4) with flips and shifts was best; tune around it
    "p4_s2": dict(pool=4, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=2),
    "p4_long": dict(pool=4, hidden=(64,), standardize="pixel", epochs=200, flip=True, shift=1, decay="cosine"),
    "p4_wide": dict(pool=4, hidden=(256,), standardize="pixel", epochs=100, flip=True, shift=1, dropout=0.5,
                    decay="cosine"),
    "p4_deep": dict(pool=4, hidden=(128, 64), standardize="pixel", epochs=100, flip=True, shift=1, dropout=0.3,
                    decay="cosine"),
    "p4_wd": dict(pool=4, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, wd=0.1,
                  decay="cosine"),
    "p4_ens": dict(pool=4, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=1, members=5),
    "p8": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1),
    "p4_mix": dict(pool=4, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, mixup=0.4),
    # wave 4: the train prior (34% cats) is not the test prior (66%, per the data README): weigh both classes
    # equally (a uniform prior) and select by balanced accuracy
    "p4_bal": dict(pool=4, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=1, balance=True),
    "p4_wd_bal": dict(pool=4, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, wd=0.1,
                      decay="cosine", balance=True),
    "p4_ens_bal": dict(pool=4, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=1, members=5,
                       balance=True),
    "p2_bal": dict(pool=2, hidden=(64,), standardize="pixel", epochs=60, flip=True, shift=2, balance=True),
    # wave 5: 8 x 8 inputs (pool 8, 192 features) was best on every CV measure; tune around it
    "p8_s0": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True),
    "p8_full": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=4, aug_full=True),
    "p8_wide": dict(pool=8, hidden=(256,), standardize="pixel", epochs=100, flip=True, shift=1, dropout=0.5,
                    decay="cosine"),
    "p8_deep": dict(pool=8, hidden=(128, 64), standardize="pixel", epochs=100, flip=True, shift=1, dropout=0.3,
                    decay="cosine"),
    "p16": dict(pool=16, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1),
    "s12": dict(size=12, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1),
    "p8_bal": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, balance=True),
    "p8_ens": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, members=5),
    "p8_ens_bal": dict(pool=8, hidden=(64,), standardize="pixel", epochs=100, flip=True, shift=1, members=5,
                       balance=True),
    "aug_course": dict(hidden=(20, 7, 5), standardize="none", epochs=100, flip=True, shift=4, init="course"),
}


def recipe(name):
    if name not in RECIPES:
        raise KeyError(f"unknown recipe {name!r}; known: {sorted(RECIPES)}")
    r = dict(BASE)
    r["optimizer"] = "adam"
    r.update(RECIPES[name])
    return r


def shrink(t, r):
    """Average-pool images (m, 3, 64, 64) by r["pool"], or to r["size"] x r["size"] (area interpolation)."""
    import torch

    if r["size"]:
        return torch.nn.functional.adaptive_avg_pool2d(t, r["size"])
    if r["pool"] > 1:
        return torch.nn.functional.avg_pool2d(t, r["pool"])
    return t


def prep(x_train, x_eval, r):
    """uint8 (m, 64, 64, 3) -> float32 images (m, c, h, w), statistics from x_train only.

    With r["aug_full"], returns the full-size images /255 and a function ``post`` that shrinks and standardises
    (applied after augmentation, inside training); otherwise the shrunk, standardised images and identity.
    """
    import torch

    full_a = torch.from_numpy(x_train).float().permute(0, 3, 1, 2) / 255.0
    full_b = torch.from_numpy(x_eval).float().permute(0, 3, 1, 2) / 255.0
    a, b = shrink(full_a, r), shrink(full_b, r)
    if r["standardize"] == "pixel":
        mu, sd = a.mean(0, keepdim=True), a.std(0, keepdim=True) + 1e-3
        a, b = (a - mu) / sd, (b - mu) / sd
    elif r["standardize"] == "global":
        mu, sd = a.mean(), a.std()
        a, b = (a - mu) / sd, (b - mu) / sd
    elif r["standardize"] == "channel":
        mu, sd = a.mean((0, 2, 3), keepdim=True), a.std((0, 2, 3), keepdim=True)
        a, b = (a - mu) / sd, (b - mu) / sd
    elif r["standardize"] == "image":
        def per_image(t):
            mu = t.mean((1, 2, 3), keepdim=True)
            sd = t.std((1, 2, 3), keepdim=True) + 1e-3
            return (t - mu) / sd
        a, b = per_image(a), per_image(b)
    if r["aug_full"]:
        assert r["standardize"] == "pixel"
        mu, sd = shrink(full_a, r).mean(0, keepdim=True), shrink(full_a, r).std(0, keepdim=True) + 1e-3
        return full_a, b, lambda t: (shrink(t, r) - mu) / sd
    return a, b, lambda t: t


def augment(xb, r, gen):
    import torch

    if r["flip"]:
        mask = torch.rand(xb.shape[0], generator=gen) < 0.5
        xb = torch.where(mask[:, None, None, None], xb.flip(3), xb)
    if r["shift"]:
        s = r["shift"]
        pad = torch.nn.functional.pad(xb, (s, s, s, s), mode="reflect")
        h, w = xb.shape[2], xb.shape[3]
        out = torch.empty_like(xb)
        dy = torch.randint(0, 2 * s + 1, (xb.shape[0],), generator=gen)
        dx = torch.randint(0, 2 * s + 1, (xb.shape[0],), generator=gen)
        for i in range(xb.shape[0]):
            out[i] = pad[i, :, dy[i]:dy[i] + h, dx[i]:dx[i] + w]
        xb = out
    return xb


def build(n_in, r, gen):
    import torch

    layers = []
    dims = (n_in,) + tuple(r["hidden"])
    if r["in_dropout"]:
        layers.append(torch.nn.Dropout(r["in_dropout"]))
    for i in range(len(r["hidden"])):
        layers += [torch.nn.Linear(dims[i], dims[i + 1]), torch.nn.ReLU()]
        if r["dropout"]:
            layers.append(torch.nn.Dropout(r["dropout"]))
    layers.append(torch.nn.Linear(dims[-1], 1))
    model = torch.nn.Sequential(*layers)
    with torch.no_grad():
        for mod in model:
            if isinstance(mod, torch.nn.Linear):
                fan_in = mod.weight.shape[1]
                scale = {"he": np.sqrt(2.0 / fan_in), "course": 1 / np.sqrt(fan_in),
                         "glorot": np.sqrt(2.0 / (fan_in + mod.weight.shape[0]))}[r["init"]]
                mod.weight.copy_(torch.randn(mod.weight.shape, generator=gen) * scale)
                mod.bias.zero_()
    return model


def train_one(xa, ya, r, seed, xv=None, yv=None, post=lambda t: t):
    """Train one member on images xa (m, c, h, w), labels ya (m,); return the model (eval mode)."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    model = build(post(xa[:1]).numel(), r, gen)
    params = list(model.parameters())
    if r["optimizer"] == "gd":
        opt = torch.optim.SGD(params, lr=r["lr"])
    elif r["wd"]:
        opt = torch.optim.AdamW(params, lr=r["lr"], weight_decay=r["wd"])
    else:
        opt = torch.optim.Adam(params, lr=r["lr"])
    m = xa.shape[0]
    batch = r["batch"] or m
    steps_per_epoch = -(-m // batch)
    total = steps_per_epoch * r["epochs"]
    if r["decay"] == "cosine":
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 0.5 * (1 + np.cos(np.pi * min(t, total) / total)))
    elif r["decay"] == "inverse":
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1 / (1 + 5 * t / total))
    else:
        sched = None
    yt = torch.from_numpy(ya).float()
    # class-balanced weights: each class carries half of the loss, w_c = m / (2 m_c)
    wt = torch.from_numpy(np.where(ya == 1, m / (2 * ya.sum()), m / (2 * (m - ya.sum())))).float() if r["balance"] else None
    eps = r["label_smoothing"]
    best, best_state, bad = -1.0, None, 0
    for epoch in range(r["epochs"]):
        model.train()
        perm = torch.randperm(m, generator=gen)
        for k in range(steps_per_epoch):
            idx = perm[k * batch:(k + 1) * batch]
            xb = post(augment(xa[idx], r, gen))
            yb = yt[idx] * (1 - eps) + 0.5 * eps
            if r["mixup"]:
                lam = float(np.random.default_rng(seed * 100003 + epoch * 1000 + k).beta(r["mixup"], r["mixup"]))
                j = torch.randperm(xb.shape[0], generator=gen)
                xb = lam * xb + (1 - lam) * xb[j]
                yb = lam * yb + (1 - lam) * yb[j]
            logits = model(xb.flatten(1)).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yb, weight=wt[idx] if wt is not None else None)
            if r["l2"]:
                loss = loss + r["l2"] / (2 * m) * sum((p ** 2).sum() for p in params if p.dim() == 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if sched:
                sched.step()
        if xv is not None and r["patience"]:
            acc = accuracy(predict_proba([model], xv), yv)
            if acc > best:
                best, bad = acc, 0
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
            else:
                bad += 1
                if bad >= r["patience"]:
                    break
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    return model


def predict_proba(models, x):
    import torch

    with torch.no_grad():
        return np.mean([torch.sigmoid(mo.eval()(x.flatten(1)).squeeze(1)).numpy() for mo in models], axis=0)


def accuracy(p, y):
    return float(np.mean((p > 0.5).astype(int) == y))


def balanced_accuracy(p, y):
    hat = (p > 0.5).astype(int)
    return float(np.mean([np.mean(hat[y == c] == c) for c in (0, 1)]))


def auc(p, y):
    """Probability that a random cat scores above a random non-cat (ties count half)."""
    pos, neg = p[y == 1], p[y == 0]
    return float(np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])))


def fit_predict(x_tr, y_tr, x_ev, r, seed):
    """Train the recipe (all members) on (x_tr, y_tr); return probabilities on x_ev."""
    a, b, post = prep(x_tr, x_ev, r)
    models = []
    for k in range(r["members"]):
        s = seed * 1000 + k
        if r["val_frac"]:
            rng = np.random.default_rng(s)
            idx = stratified_holdout(y_tr, r["val_frac"], rng)
            tr = np.setdiff1d(np.arange(len(y_tr)), idx)
            models.append(train_one(a[tr], y_tr[tr], r, s, post(a[idx]), y_tr[idx], post=post))
        else:
            models.append(train_one(a, y_tr, r, s, post=post))
    return predict_proba(models, b)


def stratified_holdout(y, frac, rng):
    out = []
    for c in (0, 1):
        idx = np.flatnonzero(y == c)
        out.append(rng.choice(idx, size=max(1, round(frac * len(idx))), replace=False))
    return np.sort(np.concatenate(out))


def stratified_folds(y, k, rng):
    folds = [[] for _ in range(k)]
    for c in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == c))
        for i, j in enumerate(idx):
            folds[i % k].append(j)
    return [np.sort(np.array(f)) for f in folds]


def cv(name, k=5, repeats=2):
    """Repeated stratified k-fold accuracy on the training set; the split seed is the repeat index."""
    r = recipe(name)
    x, y = load("train")
    accs, bals, aucs, t0 = [], [], [], time.time()
    for rep in range(repeats):
        for i, val in enumerate(stratified_folds(y, k, np.random.default_rng(rep))):
            tr = np.setdiff1d(np.arange(len(y)), val)
            p = fit_predict(x[tr], y[tr], x[val], r, seed=rep * k + i)
            accs.append(accuracy(p, y[val]))
            bals.append(balanced_accuracy(p, y[val]))
            aucs.append(auc(p, y[val]))
    log(dict(kind="cv", recipe=name, k=k, repeats=repeats, mean=round(float(np.mean(accs)), 4),
             sd=round(float(np.std(accs)), 4), bal=round(float(np.mean(bals)), 4),
             auc=round(float(np.mean(aucs)), 4), folds=[round(a, 3) for a in accs],
             seconds=round(time.time() - t0, 1), config={k_: v for k_, v in r.items() if v != BASE.get(k_)}))


def final(name, seeds=(0, 1, 2, 3, 4)):
    """The one look at the test set: train on all 209 images with 5 seeds, report test accuracy."""
    r = recipe(name)
    x, y = load("train")
    xt, yt = load("test")
    accs, train_accs, bals, aucs, t0 = [], [], [], [], time.time()
    for s in seeds:
        p = fit_predict(x, y, np.concatenate([x, xt]), r, seed=s)
        train_accs.append(accuracy(p[: len(y)], y))
        accs.append(accuracy(p[len(y):], yt))
        bals.append(round(balanced_accuracy(p[len(y):], yt), 4))
        aucs.append(round(auc(p[len(y):], yt), 4))
    log(dict(kind="final", recipe=name, seeds=list(seeds), test=accs, train=train_accs, test_bal=bals, test_auc=aucs,
             median=float(np.median(accs)), mean=round(float(np.mean(accs)), 4), min=min(accs), max=max(accs),
             seconds=round(time.time() - t0, 1)))


def course_seed1():
    x, y = load("train")
    xt, yt = load("test")
    X = (x.reshape(len(x), -1).T / 255.0)
    Xt = (xt.reshape(len(xt), -1).T / 255.0)
    P, cost = course_train(X, y[None, :])
    log(dict(kind="course-seed1", cost=cost, train=int((course_predict(P, X) == y).sum()),
             test=int((course_predict(P, Xt) == yt).sum())))


if __name__ == "__main__":
    import torch

    torch.set_num_threads(1)
    cmd, *names = sys.argv[1:]
    if cmd == "course-seed1":
        course_seed1()
    elif cmd == "cv":
        for n in names:
            cv(n)
    elif cmd == "cv4":  # four repeats of 5 folds, to separate the front runners
        for n in names:
            cv(n, repeats=4)
    elif cmd == "cv1":  # one repeat of 5 folds, for the slow full-batch baselines
        for n in names:
            cv(n, repeats=1)
    elif cmd == "final":
        for n in names:
            final(n)
    else:
        raise SystemExit(f"unknown command {cmd!r}")
