"""How ``rosenblatt cats train`` builds and trains a classifier.

A :class:`Recipe` lists every choice; :data:`DEFAULT` is the one chosen by cross-validation on the 209
training pictures (``benchmarks/cat_recipe_research.md``):

* the input x / 255 (rows of 64·64·3 = 12288 values) is reshaped to pictures, each 8 × 8 block of
  pixels is averaged per channel (64 × 64 × 3 → 8 × 8 × 3 = 192 features) and each feature is
  standardised, x̂ = (x − μ) / √(σ² + ε), with μ, σ² of the training pictures; these are layers of the
  model (``Reshape``, ``AveragePooling2D``, ``Flatten``, ``Normalization``), so a saved model takes
  the same rows of 12288 values and needs no preprocessing of its own;
* then Dense(64, relu) → Dense(1, sigmoid), He-normal weights, zero biases;
* binary cross-entropy with class weights w_c = m / (2 m_c), so cats and non-cats carry half of the
  loss each (a uniform prior: the training set is 34 % cats, the test set 66 %);
* Adam (η = 10⁻³), mini-batches of 32 reshuffled every epoch, 100 epochs;
* each batch augmented afresh: every picture flipped left–right with probability ½ and shifted by
  −2 … +2 blocks (16 pixels) in each direction, the edge reflected (block −1 ← block 1, −2 ← 2);
* an :class:`~rosenblatt.models.Ensemble` of 5 such networks (seeds 1000·s + k, k < 5), answering
  through a :class:`~rosenblatt.models.TestTimeAugmentation`: P(cat) is the mean of the 5 networks'
  probabilities for the picture and for its mirror image (10 numbers), and the answer "cat" when it
  exceeds ½.

>>> small = DEFAULT.with_options(layers=(4,), epochs=1, members=2)
>>> x = np.random.default_rng(0).random((40, 12288)).astype(np.float32)
>>> model, histories = train(small, x, np.arange(40) % 2, seed=0)
>>> model.predict(x[:3]).shape, len(histories), type(model).__name__
((3, 1), 2, 'TestTimeAugmentation')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import rosenblatt as rb

PICTURE = (64, 64, 3)


@dataclass(frozen=True)
class Recipe:
    """Every choice of a training run; ``with_options`` overrides the ones given (``None`` keeps)."""

    layers: tuple = (64,)            # hidden layer sizes
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    decay: float = 0.0               # inverse-time decay per epoch: η = η0 / (1 + decay · epoch)
    batch_size: int = 32
    epochs: int = 100
    l2: float = 0.0
    dropout: float = 0.0
    pool: int = 8                    # average pool × pool pixel blocks per channel (1: every pixel);
                                     # a tuple: network k of the ensemble uses pool[k % len(pool)]
    standardize: bool = True         # per feature, with the training pictures' μ and σ²
    flip: bool = True                # flip each picture left-right with probability ½, in every batch
    shift: int = 2                   # shift each picture by up to this many blocks, in every batch
    jitter: float = 0.0              # colour jitter j: x ← clip(a_c·x + β, 0, 1), a_c ~ U(1 ± j), β ~ U(±j)
    noise: float = 0.0               # Gaussian noise of this sd added to each block (each pooled feature)
    balance: bool = True             # class weights m / (2 m_c)
    members: int = 5                 # an ensemble of this many networks (1: a single network)
    initializer: str = "he_normal"
    label_smoothing: float = 0.0     # targets y ← y·(1 − s) + s/2 in the loss
    test_flip: bool = True           # answer with the mean over each picture and its mirror ...
    test_shift: int = 0              # ... and its shifts by up to this many blocks (TestTimeAugmentation)
    validation: float = 0.0          # > 0: hold out this fraction of the pictures (stratified, per network),
    patience: int = 20               # stop when their loss has not improved for ``patience`` epochs and
                                     # keep the best epoch's weights (``epochs`` is then the most)

    def with_options(self, **changes):
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT = Recipe()


def member_seed(seed, k):
    """The seed of member k of the ensemble trained with ``seed``: 1000·seed + k."""
    return 1000 * seed + k


def pooled(x, pool, shape=PICTURE):
    """Rows of pictures → rows of their pool × pool block means (what the model's first layers compute)."""
    h, w, c = shape
    return x.reshape(len(x), h // pool, pool, w // pool, pool, c).mean(axis=(2, 4)).reshape(len(x), -1)


def build(recipe: Recipe, x_train, seed):
    """One network: [pool and] [standardise], hidden Dense layers, Dense(1, sigmoid); μ, σ² from ``x_train``."""
    layers = [rb.layers.Input((x_train.shape[1],))]
    features = x_train
    if recipe.pool > 1:
        layers += [rb.layers.Reshape(PICTURE), rb.layers.AveragePooling2D(recipe.pool), rb.layers.Flatten()]
        features = pooled(x_train, recipe.pool)
    if recipe.standardize:
        norm = rb.layers.Normalization()
        norm.adapt(features)
        layers.append(norm)
    for units in recipe.layers:
        layers.append(rb.layers.Dense(units, activation=recipe.activation, kernel_initializer=recipe.initializer,
                                      kernel_regularizer=rb.regularizers.L2(recipe.l2) if recipe.l2 else None))
        if recipe.dropout:
            layers.append(rb.layers.Dropout(recipe.dropout, seed=seed))
    layers.append(rb.layers.Dense(1, activation="sigmoid", kernel_initializer=recipe.initializer))
    return rb.Sequential(layers, seed=seed)


def _reflect(i, n):
    """Indices outside 0 … n − 1 mirrored about the edge block (−1 → 1, n → n − 2)."""
    i = np.abs(i)
    return np.where(i > n - 1, 2 * (n - 1) - i, i)


def augment(x, recipe: Recipe, rng, shape=PICTURE):
    """Rows of pictures, each flipped left-right with probability ½ and shifted by whole blocks (and,
    with ``recipe.jitter`` j > 0, each channel scaled by a_c ~ U(1 − j, 1 + j) and brightened by β ~ U(−j, j);
    with ``recipe.noise`` σ > 0, one N(0, σ²) draw added to every pixel of a block, so each pooled feature).

    The picture is cut into its pool × pool blocks (as the model pools them); a shift of (dy, dx)
    blocks, each drawn uniformly from −shift … shift, moves block (u, v) to where block (u − dy, v − dx)
    was, the edge reflected, so pooling the result gives exactly the pooled picture flipped and shifted.
    """
    (h, w, c), p, b = shape, recipe.pool, len(x)
    rows = np.broadcast_to(np.arange(h), (b, h))
    cols = np.broadcast_to(np.arange(w), (b, w))
    if recipe.shift:
        s = recipe.shift
        rows = _reflect(rows // p + rng.integers(-s, s + 1, (b, 1)), h // p) * p + rows % p
        cols = _reflect(cols // p + rng.integers(-s, s + 1, (b, 1)), w // p) * p + cols % p
    if recipe.flip:
        cols = np.where(rng.random((b, 1)) < 0.5, w - 1 - cols, cols)
    pictures = x.reshape(b, h, w, c)[np.arange(b)[:, None, None], rows[:, :, None], cols[:, None, :]]
    if recipe.jitter:
        j = recipe.jitter
        gain, offset = rng.uniform(1 - j, 1 + j, (b, 1, 1, c)), rng.uniform(-j, j, (b, 1, 1, 1))
        pictures = np.clip(pictures * gain.astype(x.dtype) + offset.astype(x.dtype), 0, 1)
    if recipe.noise:
        blocks = pictures.reshape(b, h // p, p, w // p, p, c)
        pictures = blocks + rng.normal(0, recipe.noise, (b, h // p, 1, w // p, 1, c)).astype(x.dtype)
    return pictures.reshape(b, -1)


def class_weights(y):
    """w⁽ⁱ⁾ = m / (2 m_c) for a sample of class c = y⁽ⁱ⁾: each class carries half of the total weight."""
    y = np.asarray(y).astype(np.int64)
    counts = np.bincount(y, minlength=2)
    return (len(y) / (2 * np.maximum(counts, 1)))[y].astype(np.float32)


def batches(recipe: Recipe, x, y, seed):
    """The training batches: (x, y, w) reshuffled every epoch, augmented afresh in every batch."""
    shuffle_seq, augment_seq = np.random.SeedSequence(seed).spawn(2)
    w = class_weights(y) if recipe.balance else np.ones(len(y), np.float32)
    data = rb.data.Dataset.from_tensor_slices((x, np.asarray(y, np.float32), w))
    data = data.shuffle(len(x), seed=int(shuffle_seq.generate_state(1)[0])).batch(recipe.batch_size)
    if recipe.flip or recipe.shift or recipe.jitter or recipe.noise:
        rng = np.random.default_rng(augment_seq)
        data = data.map(lambda xb, yb, wb: (augment(xb.numpy(), recipe, rng), yb, wb))
    return data


def _optimizer(recipe: Recipe, steps_per_epoch):
    lr = recipe.learning_rate
    if recipe.decay:
        lr = rb.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=recipe.decay, steps_per_epoch=steps_per_epoch)
    return _by_name(recipe.optimizer, lr)


def _by_name(name, lr):
    classes = {"sgd": rb.optimizers.SGD, "momentum": rb.optimizers.Momentum, "rmsprop": rb.optimizers.RMSprop,
               "adam": rb.optimizers.Adam, "adamw": rb.optimizers.AdamW, "nadam": rb.optimizers.Nadam,
               "adagrad": rb.optimizers.Adagrad, "adadelta": rb.optimizers.Adadelta}
    if name not in classes:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(classes)}")
    return classes[name](learning_rate=lr)


def validation_split(y, fraction, rng):
    """Indices (train, validation): ``fraction`` of each class, drawn at random, held out."""
    y = np.asarray(y).astype(np.int64)
    held = [rng.permutation(np.flatnonzero(y == c))[:int(round(fraction * np.sum(y == c)))] for c in (0, 1)]
    val = np.sort(np.concatenate(held))
    return np.setdiff1d(np.arange(len(y)), val), val


def train_member(recipe: Recipe, x, y, seed, callbacks=(), verbose=0):
    """Build and train one network with ``seed``; returns (model, history).

    With ``recipe.validation`` > 0 the network is trained on the rest of the pictures and stopped early
    on the held-out ones' loss (the best epoch's weights kept)."""
    callbacks, fit_options = list(callbacks), {}
    if recipe.validation:
        train_idx, val_idx = validation_split(y, recipe.validation, np.random.default_rng(seed))
        fit_options["validation_data"] = (x[val_idx], np.asarray(y, np.float32)[val_idx])
        callbacks.append(rb.training.EarlyStopping("val_loss", patience=recipe.patience, restore_best_weights=True))
        x, y = x[train_idx], np.asarray(y)[train_idx]
    model = build(recipe, x, seed)
    steps = int(np.ceil(len(x) / recipe.batch_size))
    loss = (rb.losses.BinaryCrossentropy(label_smoothing=recipe.label_smoothing) if recipe.label_smoothing
            else "binary_crossentropy")
    model.compile(optimizer=_optimizer(recipe, steps), loss=loss, metrics=["accuracy"])
    history = model.fit(batches(recipe, x, y, seed), epochs=recipe.epochs, verbose=verbose,
                        callbacks=callbacks, **fit_options)
    return model, history


def train(recipe: Recipe, x, y, seed=0, callbacks=(), verbose=0, progress=False):
    """Train the recipe on rows ``x`` (pictures / 255, 12288 values each) and labels ``y``.

    Returns ``(model, histories)``: an :class:`~rosenblatt.models.Ensemble` of ``recipe.members``
    networks (the network itself when there is one), compiled for ``evaluate``, and one ``History``
    per network.  ``callbacks`` are passed to every network's ``fit``; ``progress`` adds a progress
    bar per network.
    """
    x = np.asarray(x, np.float32)
    pools = recipe.pool if isinstance(recipe.pool, tuple) else (recipe.pool,)
    if x.ndim != 2 or (max(pools) > 1 and x.shape[1] != int(np.prod(PICTURE))):
        raise ValueError(f"train expects rows of {int(np.prod(PICTURE))} values (64 x 64 x 3 pictures / 255), "
                         f"got an array of shape {x.shape}")
    members, histories = [], []
    for k in range(recipe.members):
        bars = [rb.training.ProgressBar(recipe.epochs, desc=f"network {k + 1}/{recipe.members}")] if progress else []
        member = replace(recipe, pool=pools[k % len(pools)])
        model, history = train_member(member, x, y, member_seed(seed, k), list(callbacks) + bars, verbose)
        members.append(model)
        histories.append(history)
    model = members[0] if len(members) == 1 else rb.models.Ensemble(members, name="cat_ensemble")
    model = with_test_views(model, recipe)
    if model is not members[0]:
        model.compile(optimizer=_optimizer(recipe, int(np.ceil(len(x) / recipe.batch_size))),
                      loss="binary_crossentropy", metrics=["accuracy"])
    return model, histories


def with_test_views(model, recipe: Recipe):
    """``model`` answering with its mean over the views the recipe asks for at test time (the picture and
    its mirror with ``test_flip``, each shifted by up to ``test_shift`` blocks of the largest pool); the
    model itself when it asks for none."""
    if not (recipe.test_flip or recipe.test_shift):
        return model
    block = max(recipe.pool) if isinstance(recipe.pool, tuple) else recipe.pool
    return rb.models.TestTimeAugmentation(model, PICTURE, flip=recipe.test_flip, shift=recipe.test_shift,
                                          cell=block, name="cat_views")
