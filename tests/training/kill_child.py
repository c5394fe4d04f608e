"""The child of tests/training/test_kill_resume.py: a fit with BackupAndRestore, run as a script.

    python kill_child.py BACKUP_DIR OUT.npy [--no-backup]

Writes the final weights (concatenated, raw) to OUT.npy when the fit ends.
"""

if __name__ == "__main__":
    import sys

    import numpy as np

    import rosenblatt as rb

    backup_dir, out = sys.argv[1], sys.argv[2]
    x, y = rb.data.points.make_xor(400, seed=3)
    model = rb.Sequential([rb.layers.Input((2,)), rb.layers.Dense(64, activation="relu"),
                           rb.layers.Dropout(0.1, seed=5), rb.layers.Dense(64, activation="tanh"),
                           rb.layers.Dense(1, activation="sigmoid")], seed=1)
    model.compile(optimizer=rb.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    callbacks = [] if "--no-backup" in sys.argv else [rb.callbacks.BackupAndRestore(backup_dir, save_freq=1)]
    model.fit(x, y, epochs=6, batch_size=20, verbose=0, seed=7, callbacks=callbacks)
    np.save(out, np.concatenate([w.ravel() for w in model.get_weights()]))
