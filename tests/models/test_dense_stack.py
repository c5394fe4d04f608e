"""A Sequential of Dense layers runs as one ``dense_stack`` primitive (``Sequential._make_plan``).

The numbers must be those of calling the layers one by one, bit for bit, through training; anything
the stack does not cover falls back to the layers, with their own errors."""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.autodiff.primitives import PRIMITIVES
from rosenblatt.models.sequential import Sequential


def _train(make, x, y, loss, monkeypatch=None, steps=5):
    model = make()
    if monkeypatch is not None:  # the reference: the layers called one by one
        monkeypatch.setattr(model, "_make_plan", lambda: None)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss=loss)
    model.fit(x, y, batch_size=8, epochs=steps, verbose=0, seed=0)
    return model


HEADS = {  # last layer, loss, labels
    "sigmoid": (lambda d: rb.layers.Dense(1, activation="sigmoid", dtype=d), "binary_crossentropy", 2),
    "softmax": (lambda d: rb.layers.Dense(3, activation="softmax", dtype=d), "sparse_categorical_crossentropy", 3),
    "relu": (lambda d: rb.layers.Dense(2, activation="relu", dtype=d), "mse", None),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("head", sorted(HEADS))
def test_the_stack_trains_bit_for_bit_as_the_layers(head, dtype, monkeypatch):
    last, loss, classes = HEADS[head]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    y = rng.integers(0, classes, 40) if classes else rng.normal(size=(40, 2))

    def make():
        return Sequential([rb.layers.Input((3,), dtype=dtype), rb.layers.Dense(6, activation="tanh", dtype=dtype),
                           rb.layers.Dense(5, activation="relu", dtype=dtype), last(dtype)], seed=1)

    stacked = _train(make, x, y, loss)
    with rb.GradientTape() as tape:  # it did take the stack
        stacked(x.astype(dtype))
    assert tape._records[0][3] is PRIMITIVES["dense_stack"]
    layered = _train(make, x, y, loss, monkeypatch)
    assert layered._plan is False
    for a, b in zip(stacked.get_weights(), layered.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(stacked.predict(x), layered.predict(x))


def test_one_tape_entry_for_the_stack_and_one_for_a_sigmoid_head():
    model = Sequential([rb.layers.Dense(4, activation="relu"), rb.layers.Dense(1, activation="sigmoid")], seed=0)
    model.build((None, 3))
    with rb.GradientTape() as tape:
        model(np.ones((2, 3), np.float32))
    assert [record[3] for record in tape._records] == [PRIMITIVES["dense_stack"], PRIMITIVES["sigmoid"]]


@pytest.mark.parametrize("layers", [
    [rb.layers.Dense(4, activation="relu"), rb.layers.Dropout(0.5), rb.layers.Dense(1)],
    [rb.layers.Dense(4, use_bias=False), rb.layers.Dense(1)],
    [rb.layers.Dense(4, activation="sigmoid"), rb.layers.Dense(1)],  # a sigmoid inside: not fused
    [rb.layers.Dense(4), rb.layers.Dense(1, dtype="float64")],
    [rb.layers.Input((3,)), rb.layers.Dense(4, dtype="float64"), rb.layers.Dense(1, dtype="float64")],
], ids=["dropout", "no-bias", "hidden-sigmoid", "two-dtypes", "float32-input"])
def test_what_the_stack_does_not_cover_runs_layer_by_layer(layers):
    model = Sequential(layers, seed=0)
    model.build((None, 3))
    assert model._make_plan() is None
    assert model(np.ones((2, 3))).shape == (2, 1)


def test_wrong_inputs_get_the_layers_errors_and_the_plan_follows_changes():
    model = Sequential([rb.layers.Dense(4, activation="relu"), rb.layers.Dense(1)], seed=0)
    model.build((None, 3))
    with pytest.raises(ValueError, match="Dense 'dense' expects 3 input features, got 5"):
        model(np.ones((2, 5), np.float32))
    assert model(np.ones((2, 3), np.float64)).dtype == "float32"  # cast by the layers, as before
    model(np.ones((2, 3), np.float32))
    assert model._plan is not None
    model.add(rb.layers.Dropout(0.2))
    assert model._plan is False
    model(np.ones((2, 3), np.float32))
    assert model._plan is None
    model.pop()
    model(np.ones((2, 3), np.float32))
    assert model._plan is not None
