"""The main demo: the lecture's "blue vs green points", with and without non-linearity.

Two networks of the same shape [2, 8, 8, 1] train on the same non-linear point set: one with
linear activations (a linear model however deep, so a straight-line boundary) and one with ReLU.
Only the ReLU network can bend its boundary around the classes.
"""

from __future__ import annotations

import numpy as np

import rosenblatt as rb


def build(activation, seed):
    return rb.Sequential([
        rb.layers.Input((2,)),
        rb.layers.Dense(8, activation=activation),
        rb.layers.Dense(8, activation=activation),
        rb.layers.Dense(1, activation="sigmoid"),
    ], seed=seed)


def run(dataset="circles", epochs=100, seed=0, learning_rate=0.01, batch_size=32, plot=None, verbose=True, out=print):
    """Train both networks; return ``{activation: (train accuracy, test accuracy)}``."""
    make = rb.data.points.get(dataset)
    x, y = make(n_samples=1000, seed=seed)
    x_test, y_test = make(n_samples=500, seed=seed + 1)
    results, models = {}, {}
    for activation in ("linear", "relu"):
        model = build(activation, seed)
        model.compile(optimizer=rb.optimizers.Adam(learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
        callbacks = [rb.training.ProgressBar(epochs, desc=f"{activation:>6} network")] if verbose else []
        model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0, seed=seed, callbacks=callbacks)
        _, train_acc = model.evaluate(x, y)
        _, test_acc = model.evaluate(x_test, y_test)
        results[activation], models[activation] = (train_acc, test_acc), model
    out(f"\nBlue vs green points ({dataset}, {len(x)} training points, {len(x_test)} test points, {epochs} epochs)")
    out(f"{'network [2, 8, 8, 1]':<28}{'train accuracy':>16}{'test accuracy':>16}")
    for activation, (train_acc, test_acc) in results.items():
        out(f"{activation + ' activations':<28}{train_acc:>15.1%}{test_acc:>16.1%}")
    out("Linear activations give a linear boundary however deep the network; ReLU bends it around the classes.")
    if plot:
        from rosenblatt.apps.plots import decision_boundaries

        decision_boundaries(models, x_test, y_test, plot, title=f"Blue vs green points: {dataset}")
        out(f"decision boundaries written to {plot}")
    return results
