"""``rosenblatt cats``: the lecture's cat vs non-cat classifier as a command-line tool.

    rosenblatt cats train [--layers 64] [--optimizer adam] [--learning-rate] [--batch-size]
                          [--epochs] [--members 5] [--seed] [--out model.npz]
    rosenblatt cats evaluate MODEL
    rosenblatt cats predict MODEL IMAGE...
    rosenblatt cats mislabeled MODEL --out grid.png
    rosenblatt cats reproduce            the course's published table, re-run
    rosenblatt cats make-dataset --cats DIR --non-cats DIR --out FILE.h5

The data is read from ``--data`` (a folder or an .h5 file), else ``$ROSENBLATT_DATA``, else the user
cache folder; see :func:`rosenblatt.datasets.catvnoncat.load_data`.
"""

from __future__ import annotations

from rosenblatt.apps.cats import commands


def add_parser(sub):
    cats = sub.add_parser("cats", help="the cat vs non-cat classifier")
    cats_sub = cats.add_subparsers(dest="cats_command", required=True)
    data_help = "folder with train_catvnoncat.h5 and test_catvnoncat.h5, or one .h5 file"

    p = cats_sub.add_parser("train", help="train a classifier (default: the recipe chosen by cross-validation)")
    p.add_argument("--data", help=data_help)
    p.add_argument("--layers", help="hidden layer sizes, e.g. 20,7,5 (default 64)")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "rmsprop", "adam", "adamw", "nadam", "adagrad",
                                           "adadelta"])
    p.add_argument("--learning-rate", type=float)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--epochs", type=int)
    p.add_argument("--members", type=int, help="networks in the ensemble (default 5; 1: a single network)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="cat-model.npz", help="where to save the model (default cat-model.npz)")
    p.set_defaults(func=commands.train)

    p = cats_sub.add_parser("evaluate", help="accuracy of a saved model on the train and test sets")
    p.add_argument("model")
    p.add_argument("--data", help=data_help)
    p.set_defaults(func=commands.evaluate)

    p = cats_sub.add_parser("predict", help="P(cat) and a verdict for each picture (any size or format)",
                            epilog="Prints a row for every picture; the exit status is 0 when every picture "
                                   "was read, 1 when any could not be (its row says why).")
    p.add_argument("model")
    p.add_argument("images", nargs="+")
    p.set_defaults(func=commands.predict)

    p = cats_sub.add_parser("mislabeled", help="a grid of the test pictures the model gets wrong")
    p.add_argument("model")
    p.add_argument("--out", required=True, help="the PNG to write")
    p.add_argument("--data", help=data_help)
    p.set_defaults(func=commands.mislabeled)

    p = cats_sub.add_parser("reproduce", help="re-run the course's published table with this library")
    p.add_argument("--data", help=data_help)
    p.add_argument("--only", choices=["logistic", "two", "four"], help="one model of the table")
    p.set_defaults(func=commands.reproduce)

    p = cats_sub.add_parser("make-dataset", help="your own pictures in the course's HDF5 layout")
    p.add_argument("--cats", required=True, help="folder of cat pictures")
    p.add_argument("--non-cats", required=True, help="folder of other pictures")
    p.add_argument("--out", required=True, help="the .h5 file to write")
    p.add_argument("--test-fraction", type=float, default=0.2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(func=commands.make_dataset)
    return cats


__all__ = ["add_parser"]
