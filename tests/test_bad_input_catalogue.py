"""A catalogue of bad inputs a user can give, each with the exception type and the words its message must
have: what was expected and what came.  (Fit on empty data, EarlyStopping's arguments, matmul shapes and
the command line are in the newcomer tests.)"""

import numpy as np
import pytest

import rosenblatt as rb
from rosenblatt.compat import tensorflow as tf

X = np.random.default_rng(0).random((10, 2)).astype("float32")
Y = (X[:, :1] > 0.5).astype("float32")


def compiled():
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    return model


def _garbage(tmp_path):
    path = tmp_path / "garbage.npz"
    path.write_bytes(b"hello, not a model")
    return path


CASES = [
    # unknown names: the closest known one
    ("activation", lambda: rb.layers.Dense(3, activation="rellu"), ValueError,
     r"unknown activation 'rellu'; did you mean 'relu'\?"),
    ("activation get", lambda: rb.activations.get("sigmod"), ValueError, r"did you mean 'sigmoid'\?"),
    ("optimizer", lambda: rb.optimizers.get("adamm"), ValueError, r"unknown optimizer 'adamm'; did you mean 'adam'\?"),
    ("optimizer compile", lambda: compiled().compile(optimizer="rmsprob", loss="mse"), ValueError,
     r"did you mean 'rmsprop'\?"),
    ("loss", lambda: rb.losses.get("binary_crosentropy"), ValueError, r"did you mean 'binary_crossentropy'\?"),
    ("loss compile", lambda: compiled().compile(optimizer="sgd", loss="mean_squared_eror"), ValueError,
     r"did you mean 'mean_squared_error'\?"),
    ("metric", lambda: rb.metrics.get("acuracy"), ValueError, r"unknown metric 'acuracy'; did you mean 'accuracy'\?"),
    ("metric compile", lambda: compiled().compile(optimizer="sgd", loss="mse", metrics=["precisoin"]), ValueError,
     r"did you mean 'precision'\?"),
    ("initializer", lambda: rb.layers.Dense(3, kernel_initializer="glorot_uniformm"), ValueError,
     r"unknown initializer 'glorot_uniformm'; did you mean 'glorot_uniform'\?"),
    ("initializer he", lambda: rb.initializers.get("he_normall"), ValueError, r"did you mean 'he_normal'\?"),
    ("layer", lambda: rb.layers.get("Dens"), ValueError, r"unknown layer class 'Dens'; did you mean 'Dense'\?"),
    ("layer case", lambda: rb.layers.get("dropout"), ValueError, r"did you mean 'Dropout'\?"),
    # layer arguments
    ("units 0", lambda: rb.layers.Dense(0), ValueError, "Dense: units must be a positive integer, got 0"),
    ("units -3", lambda: rb.layers.Dense(-3), ValueError, "Dense: units must be a positive integer, got -3"),
    ("units 2.5", lambda: rb.layers.Dense(2.5), ValueError, "Dense: units must be a positive integer, got 2.5"),
    ("dropout str", lambda: rb.layers.Dropout("0.5"), TypeError, r"Dropout: rate must be a number in \[0, 1\), got '0.5'"),
    ("dropout 1.5", lambda: rb.layers.Dropout(1.5), ValueError, r"Dropout: rate must be in \[0, 1\), got 1.5"),
    ("input int", lambda: rb.layers.Input(shape=2), TypeError, r"Input: shape must be a tuple .* got 2; write shape=\(2,\)"),
    ("input zero", lambda: tf.keras.Input(shape=(0,)), TypeError, r"Input: shape must be a tuple of positive ints"),
    ("sequential one layer", lambda: rb.Sequential(rb.layers.Dense(4)), TypeError,
     r"Sequential expects a list of layers, got one Dense; write Sequential\(\[Dense"),
    ("sequential add str", lambda: rb.Sequential().add("dense"), TypeError, "Sequential.add expects a Layer, got str"),
    # data
    ("1-D sample predict", lambda: compiled().predict(np.array([0.1, 0.2])), ValueError,
     r"expects inputs of shape \(batch, 2\), got shape \(2,\)"),
    ("1-D sample Dense", lambda: rb.layers.Dense(3)(np.array([0.1, 0.2])), ValueError,
     r"expects inputs of shape \(batch, features\), got shape \(2,\)"),
    ("features", lambda: compiled().predict(np.ones((3, 3))), ValueError, "expects 2 input features, got 3"),
    ("ragged", lambda: compiled().fit([[1.0, 2.0], [3.0]], [1.0, 0.0], verbose=0), ValueError,
     r"fit: inputs x is a ragged list \(rows of lengths \[1, 2\]\)"),
    ("symbolic Input", lambda: compiled().predict(tf.keras.Input(shape=(2,))), TypeError,
     "predict: inputs x is the InputLayer .* a placeholder for building a model, not data"),
    # (a layer called on Input(...) itself is the functional API, issue 10; on the InputLayer object it is a mistake)
    ("layer on InputLayer", lambda: rb.layers.Dense(3)(tf.keras.layers.InputLayer(shape=(2,))), TypeError,
     r"Dense 'dense.*' was called on the InputLayer 'input_layer.*', not on data"),
    ("unbatched dataset", lambda: compiled().fit(rb.data.Dataset.from_tensor_slices((X, Y)), verbose=0), ValueError,
     r"the Dataset yields single samples, not batches: call .batch\(batch_size\)"),
    ("x y lengths", lambda: compiled().fit(X, Y[:5], verbose=0), ValueError, "x has 10 samples but y has 5"),
    ("nan inputs", lambda: compiled().fit(np.full((4, 2), np.nan), np.ones((4, 1)), verbose=0), ValueError,
     r"inputs x contain nan at index \(0, 0\)"),
    ("labels 255", lambda: compiled().fit(X, Y * 255, verbose=0), ValueError, r"labels in \[0, 1\].*divide by 255"),
    ("dataset and y", lambda: compiled().fit(rb.data.Dataset.from_tensor_slices((X, Y)).batch(2), Y, verbose=0),
     ValueError, "when x is a Dataset, the labels come from it; do not pass y"),
    ("batch 0", lambda: rb.data.Dataset.range(4).batch(0), ValueError, "batch: batch_size must be an int ≥ 1; got 0"),
    ("shuffle 0", lambda: rb.data.Dataset.range(4).shuffle(buffer_size=0), ValueError,
     "shuffle: buffer_size must be an int ≥ 1; got 0"),
    # fit's arguments
    ("epochs -1", lambda: compiled().fit(X, Y, epochs=-1, verbose=0), ValueError,
     "fit: epochs must be a non-negative integer, got -1"),
    ("initial_epoch -1", lambda: compiled().fit(X, Y, initial_epoch=-1, verbose=0), ValueError,
     "fit: initial_epoch must be a non-negative integer, got -1"),
    ("batch_size 0", lambda: compiled().fit(X, Y, batch_size=0, verbose=0), ValueError,
     "fit: batch_size must be a positive integer, got 0"),
    ("validation_split", lambda: compiled().fit(X, Y, validation_split=1.5, verbose=0), ValueError,
     r"validation_split must be in \[0, 1\), got 1.5"),
    ("verbose", lambda: compiled().fit(X, Y, verbose="loud"), ValueError,
     "fit: verbose must be 0 .* or 'auto', got 'loud'"),
    ("callbacks not a list", lambda: compiled().fit(X, Y, verbose=0, callbacks=rb.callbacks.EarlyStopping()),
     TypeError, r"callbacks must be a list of callbacks, got one EarlyStopping; write callbacks=\[EarlyStopping"),
    ("callback not a Callback", lambda: compiled().fit(X, Y, verbose=0, callbacks=[print]), TypeError,
     "callbacks must be Callback objects, got builtin_function_or_method"),
    ("not compiled", lambda: rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(1)]).fit(X, Y), ValueError,
     r"call model.compile\(optimizer=..., loss=...\) before fit"),
    # optimizers
    ("lr negative", lambda: rb.optimizers.SGD(-0.1), ValueError, "learning_rate must be a number > 0 .* got -0.1"),
    ("lr nan", lambda: rb.optimizers.Adam(float("nan")), ValueError, "learning_rate must be a number > 0 .* got nan"),
    ("beta_1", lambda: rb.optimizers.Adam(beta_1=1.5), ValueError, r"beta_1 must be a number in \[0, 1\), got 1.5"),
    ("set_weights", lambda: compiled().set_weights([np.zeros((3, 1)), np.zeros(1)]), ValueError,
     r"weight 'kernel' has shape \(2, 1\), got \(3, 1\)"),
    # callbacks
    ("backup save_freq", lambda: rb.callbacks.BackupAndRestore("/tmp/b", save_freq=0), ValueError,
     "save_freq must be 'epoch' or a positive integer"),
    ("checkpoint save_freq", lambda: rb.callbacks.ModelCheckpoint("m.npz", save_freq="sometimes"), ValueError,
     "ModelCheckpoint: save_freq must be 'epoch' or a positive integer"),
    ("checkpoint mode", lambda: rb.callbacks.ModelCheckpoint("m.npz", mode="up"), ValueError,
     "mode must be 'auto', 'min' or 'max', got 'up'"),
    ("plateau factor", lambda: rb.callbacks.ReduceLROnPlateau(factor=2), ValueError,
     r"ReduceLROnPlateau: factor must be in \(0, 1\), got 2"),
    ("scheduler not callable", lambda: rb.callbacks.LearningRateScheduler(0.1), TypeError,
     "schedule must be a function of"),
    ("csv separator", lambda: rb.callbacks.CSVLogger("log.csv", separator=",,"), ValueError,
     "separator must be one character"),
    ("lambda hook", lambda: rb.callbacks.LambdaCallback(on_epoch_finish=print), TypeError,
     "unknown hook 'on_epoch_finish'"),
]


@pytest.mark.parametrize("name, call, error, words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(name, call, error, words):
    with pytest.raises(error, match=words) as caught:
        call()
    assert type(caught.value) in (ValueError, TypeError)


def test_files_the_catalogue_covers(tmp_path):
    with pytest.raises(rb.io.ModelFileError, match="garbage.npz: is not a readable model archive"):
        rb.models.load_model(_garbage(tmp_path))
    with pytest.raises(FileNotFoundError):
        rb.models.load_model(tmp_path / "nowhere.npz")


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 40
