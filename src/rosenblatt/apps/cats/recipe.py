"""How ``rosenblatt cats train`` builds and trains a classifier: a multi-layer perceptron on x / 255.

A :class:`Recipe` lists every choice; :data:`DEFAULT` is the one chosen by cross-validation on the
training set (see ``benchmarks/cat_recipe_research.md``).  The model it returns takes rows of
12288 pixel values in [0, 1] and outputs P(cat); any standardisation is a layer inside it, so a
saved model is self-contained.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

import rosenblatt as rb


@dataclass(frozen=True)
class Recipe:
    layers: tuple = (20, 7, 5)
    activation: str = "relu"
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    decay: float = 0.0               # inverse-time decay per epoch: η = η0 / (1 + decay · epoch)
    batch_size: int = 32
    epochs: int = 100
    l2: float = 0.0
    dropout: float = 0.0
    standardize: bool = True
    flip: bool = False               # add horizontally flipped copies of the training pictures
    initializer: str = "he_normal"
    options: dict = field(default_factory=dict)

    def with_options(self, **changes):
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


DEFAULT = Recipe()


def flipped(x):
    """Rows of 64×64×3 pictures mirrored left to right."""
    return x.reshape(-1, 64, 64, 3)[:, :, ::-1, :].reshape(len(x), -1)


def build(recipe: Recipe, x_train, seed):
    layers = [rb.layers.Input((x_train.shape[1],))]
    if recipe.standardize:
        norm = rb.layers.Normalization()
        norm.adapt(x_train)
        layers.append(norm)
    for units in recipe.layers:
        layers.append(rb.layers.Dense(units, activation=recipe.activation, kernel_initializer=recipe.initializer,
                                      kernel_regularizer=rb.regularizers.L2(recipe.l2) if recipe.l2 else None))
        if recipe.dropout:
            layers.append(rb.layers.Dropout(recipe.dropout, seed=seed))
    layers.append(rb.layers.Dense(1, activation="sigmoid", kernel_initializer="glorot_uniform"))
    return rb.Sequential(layers, seed=seed)


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


def train(recipe: Recipe, x, y, seed=0, callbacks=(), verbose=0):
    """Build and train one model on (x, y) (x already / 255); returns (model, history)."""
    if recipe.flip:
        x, y = np.concatenate([x, flipped(x)]), np.concatenate([y, y])
    model = build(recipe, x, seed)
    steps = int(np.ceil(len(x) / recipe.batch_size))
    model.compile(optimizer=_optimizer(recipe, steps), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=recipe.batch_size, epochs=recipe.epochs, seed=seed, verbose=verbose,
                        callbacks=list(callbacks))
    return model, history
