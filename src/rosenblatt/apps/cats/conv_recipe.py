"""The convolutional cat recipe, ``rosenblatt cats train --recipe conv`` (public API only).

A :class:`ConvRecipe` lists every choice; :data:`CONV` is the one chosen by cross-validation on the 209
training pictures (``benchmarks/cat_recipe_research.md``, phase 4: the PyTorch prototype's network, ported,
then with twice the filters, the best of 8 candidates by balanced accuracy, accuracy and AUC alike).  The model takes the same rows of
12288 values as the perceptron recipe (pictures / 255), so a saved model needs no preprocessing:

* ``Reshape`` to 64 × 64 × 3, ``AveragePooling2D(2)`` (32 × 32 × 3), ``Normalization`` per channel
  (μ_c, σ²_c of the training pictures);
* in training only, each picture of every batch flipped left–right with probability ½ (``RandomFlip``) and
  shifted by up to ±4 pixels in each direction, the edge reflected (``RandomTranslation``, nearest pixel);
* [Conv2D 3 × 3 (32), relu → MaxPooling2D 2] → [Conv2D 3 × 3 (64), relu → MaxPooling2D 2] →
  Conv2D 3 × 3 (128), relu ("same" padding, He-normal weights) → GlobalAveragePooling2D → Dropout(0.3) →
  Dense(1, sigmoid);
* binary cross-entropy with class weights m / (2 m_c), Adam (η = 10⁻³), batches of 32, 60 epochs.

>>> small = CONV.with_options(filters=(2, 2), epochs=1)
>>> x = np.random.default_rng(0).random((8, 12288)).astype(np.float32)
>>> model, _ = train(small, x, np.arange(8) % 2, seed=0)
>>> model.predict(x[:3]).shape, type(model.layers[-1]).__name__
((3, 1), 'Dense')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

import rosenblatt as rb
from rosenblatt.apps.cats.recipe import PICTURE, class_weights, member_seed


@dataclass(frozen=True)
class ConvRecipe:
    """Every choice of a conv training run; ``with_options`` overrides the ones given (``None`` keeps)."""

    filters: tuple = (32, 64, 128)   # one 3 × 3 conv layer each (relu, "same"); a 2 × 2 max-pool after all but the last
    kernel_size: int = 3
    pool: int = 2                    # average pool × pool pixel blocks first (1: every pixel)
    batch_norm: bool = False         # BatchNormalization after each convolution (before relu)
    dropout: float = 0.3             # before the output unit
    flip: bool = True                # RandomFlip("horizontal") in training
    shift: int = 4                   # RandomTranslation by up to ± this many (pooled) pixels in training
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    batch_size: int = 32
    epochs: int = 60
    balance: bool = True             # class weights m / (2 m_c)
    members: int = 1                 # an ensemble of this many networks (seeds 1000·s + k)

    def with_options(self, **changes):
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


CONV = ConvRecipe()


def build(recipe: ConvRecipe, x_train, seed):
    """One network (see the module); the per-channel μ, σ² from ``x_train`` (rows of 12288 values)."""
    h, w, c = PICTURE
    p = recipe.pool
    pictures = x_train.reshape(len(x_train), h // p, p, w // p, p, c).mean(axis=(2, 4))
    norm = rb.layers.Normalization(axis=-1)
    norm.adapt(pictures)
    layers = [rb.layers.Input((h * w * c,)), rb.layers.Reshape(PICTURE)]
    if p > 1:
        layers.append(rb.layers.AveragePooling2D(p))
    layers.append(norm)
    augment = np.random.SeedSequence(seed).spawn(2)
    if recipe.flip:
        layers.append(rb.layers.RandomFlip("horizontal", seed=np.random.default_rng(augment[0])))
    if recipe.shift:
        f = recipe.shift / (h // p)
        layers.append(rb.layers.RandomTranslation(f, f, fill_mode="reflect", interpolation="nearest",
                                                  seed=np.random.default_rng(augment[1])))
    for i, filters in enumerate(recipe.filters):
        if recipe.batch_norm:
            layers += [rb.layers.Conv2D(filters, recipe.kernel_size, padding="same", use_bias=False,
                                        kernel_initializer="he_normal"),
                       rb.layers.BatchNormalization(), rb.layers.Activation("relu")]
        else:
            layers.append(rb.layers.Conv2D(filters, recipe.kernel_size, padding="same", activation="relu",
                                           kernel_initializer="he_normal"))
        if i < len(recipe.filters) - 1:
            layers.append(rb.layers.MaxPooling2D(2))
    layers.append(rb.layers.GlobalAveragePooling2D())
    if recipe.dropout:
        layers.append(rb.layers.Dropout(recipe.dropout, seed=seed))
    layers.append(rb.layers.Dense(1, activation="sigmoid"))
    return rb.Sequential(layers, seed=seed, name="cat_conv")


def train_member(recipe: ConvRecipe, x, y, seed, callbacks=(), verbose=0):
    """Build and train one network with ``seed``; returns (model, history)."""
    model = build(recipe, x, seed)
    w = class_weights(y) if recipe.balance else np.ones(len(y), np.float32)
    data = rb.data.Dataset.from_tensor_slices((x, np.asarray(y, np.float32)[:, None], w))
    data = data.shuffle(len(x), seed=seed).batch(recipe.batch_size)
    optimizer = {"adam": rb.optimizers.Adam, "sgd": rb.optimizers.SGD}[recipe.optimizer](recipe.learning_rate)
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(data, epochs=recipe.epochs, verbose=verbose, callbacks=list(callbacks))
    return model, history


def train(recipe: ConvRecipe, x, y, seed=0, callbacks=(), verbose=0, progress=False):
    """Train the recipe on rows ``x`` (pictures / 255) and labels ``y``; returns ``(model, histories)``
    (an :class:`~rosenblatt.models.Ensemble` when ``recipe.members`` > 1)."""
    x = np.asarray(x, np.float32)
    if x.ndim != 2 or x.shape[1] != int(np.prod(PICTURE)):
        raise ValueError(f"train expects rows of {int(np.prod(PICTURE))} values (64 x 64 x 3 pictures / 255), "
                         f"got an array of shape {x.shape}")
    members, histories = [], []
    for k in range(recipe.members):
        bars = [rb.training.ProgressBar(recipe.epochs, desc=f"network {k + 1}/{recipe.members}")] if progress else []
        model, history = train_member(recipe, x, y, member_seed(seed, k), list(callbacks) + bars, verbose)
        members.append(model)
        histories.append(history)
    if len(members) == 1:
        return members[0], histories
    model = rb.models.Ensemble(members, name="cat_conv_ensemble")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, histories
