"""The child of tests/training/test_determinism.py: train with a seed, print a digest of what came out.

    python determinism_child.py DTYPE
"""

if __name__ == "__main__":
    import hashlib
    import json
    import sys

    import numpy as np

    import rosenblatt as rb

    dtype = sys.argv[1]
    x, y = rb.data.points.make_xor(300, seed=3)
    model = rb.Sequential([rb.layers.Input((2,), dtype=dtype), rb.layers.Dense(16, activation="relu", dtype=dtype),
                           rb.layers.Dropout(0.2, seed=4), rb.layers.Dense(2100, activation="tanh",
                                                                           dtype=dtype),
                           rb.layers.Dense(1, activation="sigmoid", dtype=dtype)], seed=1)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=32, verbose=0, seed=5, validation_split=0.1)
    h = hashlib.sha256()
    for w in model.get_weights():
        assert w.dtype == np.dtype(dtype)
        h.update(w.tobytes())
    h.update(json.dumps(history.history).encode())
    h.update(model.predict(x).tobytes())
    used = rb.optimizers.kernels._compiled.get("adam") is not None
    print(h.hexdigest(), "kernels" if used else "numpy")
