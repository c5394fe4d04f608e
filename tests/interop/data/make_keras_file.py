"""Write keras_conv.weights.h5 and keras_conv_expected.npz with the real Keras 3 (torch backend).

    KERAS_BACKEND=torch python tests/interop/data/make_keras_file.py

The network: Normalization (adapted), Conv2D 3 × 3 "same" relu, BatchNormalization (random statistics),
MaxPooling2D, Conv2D 3 × 3 without bias, Flatten, Dense relu, Dense sigmoid, on 8 × 8 × 3 pictures;
the .npz holds four pictures and Keras's predictions for them.  test_keras_weights.py builds the same network
in rosenblatt, loads the file, and compares.
"""

import os
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def main():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    import keras  # here, not at the top: pytest's doctest collection imports this file

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    L = keras.layers
    model = keras.Sequential([L.Input((8, 8, 3)), L.Normalization(), L.Conv2D(4, 3, padding="same", activation="relu"),
                              L.BatchNormalization(), L.MaxPooling2D(2), L.Conv2D(2, 3, use_bias=False), L.Flatten(),
                              L.Dense(5, activation="relu"), L.Dense(1, activation="sigmoid")])
    x = rng.random((4, 8, 8, 3)).astype(np.float32)
    model.layers[0].adapt(rng.random((32, 8, 8, 3)).astype(np.float32))
    for w in model.layers[2].weights:  # BatchNormalization: γ, β, μ, σ² all away from their starting values
        w.assign(rng.uniform(0.5, 1.5, w.shape).astype(np.float32))
    model.save_weights(HERE / "keras_conv.weights.h5")
    np.savez(HERE / "keras_conv_expected.npz", x=x, y=np.asarray(model.predict(x, verbose=0)),
             keras_version=np.array(keras.__version__))


if __name__ == "__main__":
    main()
