"""``rosenblatt cats``: the lecture's cat vs non-cat classifier as a command-line tool.

    rosenblatt cats train [--recipe mlp|conv] [--layers 64] [--optimizer adam] [--learning-rate] [--batch-size]
                          [--epochs] [--members 5] [--seed] [--out model.npz]
    rosenblatt cats evaluate MODEL
    rosenblatt cats predict MODEL IMAGE...
    rosenblatt cats mislabeled MODEL --out grid.png
    rosenblatt cats reproduce            the course's published table, re-run
    rosenblatt cats make-dataset --cats DIR --non-cats DIR --out FILE.h5

The data is read from ``--data`` (a folder or an .h5 file), else ``$ROSENBLATT_DATA``, else the user
cache folder, else ``../shared/data/catvnoncat`` beside the checkout; see
:func:`rosenblatt.datasets.catvnoncat.load_data`.
"""

from __future__ import annotations

from rosenblatt.apps.cats import commands, recipe as _recipe


def add_parser(sub):
    cats = sub.add_parser("cats", help="the cat vs non-cat classifier",
                          description="The lecture's cat vs non-cat classifier. " + DATA_NOTE)
    cats_sub = cats.add_subparsers(dest="cats_command", required=True, metavar="COMMAND")
    data_help = ("folder with train_catvnoncat.h5 and test_catvnoncat.h5, or one .h5 file (default: "
                 "$ROSENBLATT_DATA, then ~/.cache/rosenblatt/catvnoncat, then ../shared/data/catvnoncat "
                 "beside the checkout)")
    recipe, chosen = "default: the recipe's, ", _recipe.DEFAULT

    p = _command(cats_sub, "train", "train a classifier (default: the recipe chosen by cross-validation, 5 networks; "
                 "about 10 s on one core)")
    p.add_argument("--data", metavar="FOLDER", help=data_help)
    p.add_argument("--recipe", choices=["mlp", "conv"], default="mlp",
                   help="mlp: the perceptron ensemble; conv: the convolutional network (about 30 s on one core)")
    p.add_argument("--layers", help=f"hidden layer sizes, e.g. 20,7,5 ({recipe}{','.join(map(str, chosen.layers))}; "
                                    "mlp only)")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "rmsprop", "adam", "adamw", "nadam", "adagrad",
                                           "adadelta"], help=f"the optimizer ({recipe}{chosen.optimizer})")
    p.add_argument("--learning-rate", type=float, help=f"the learning rate η ({recipe}{chosen.learning_rate:g})")
    p.add_argument("--batch-size", type=int, help=f"pictures per gradient step ({recipe}{chosen.batch_size})")
    p.add_argument("--epochs", type=int, help=f"passes over the 209 training pictures ({recipe}{chosen.epochs})")
    p.add_argument("--members", type=int, help=f"networks in the ensemble, 1: a single network ({recipe}{chosen.members}; "
                                               "conv: 1)")
    p.add_argument("--seed", type=int, default=0, help="seed of the weights, shuffling and augmentation")
    p.add_argument("--out", default="cat-model.npz", metavar="FILE.npz", help="where to save the model")
    p.set_defaults(func=commands.train)

    p = _command(cats_sub, "evaluate", "accuracy of a saved model on the train and test sets (a few seconds)")
    p.add_argument("model", help="a model saved by rosenblatt cats train")
    p.add_argument("--data", metavar="FOLDER", help=data_help)
    p.set_defaults(func=commands.evaluate)

    p = _command(cats_sub, "predict", "P(cat) and a verdict for each picture (any size or format)",
                 epilog="Prints a row for every picture; the exit status is 0 when every picture "
                        "was read, 1 when any could not be (its row says why).")
    p.add_argument("model", help="a model saved by rosenblatt cats train")
    p.add_argument("images", nargs="+", help="picture files (PNG, JPEG, ...; resized to 64 × 64)")
    p.set_defaults(func=commands.predict)

    p = _command(cats_sub, "mislabeled", "a grid of the test pictures the model gets wrong")
    p.add_argument("model", help="a model saved by rosenblatt cats train")
    p.add_argument("--out", required=True, metavar="FILE.png", help="the PNG to write")
    p.add_argument("--data", metavar="FOLDER", help=data_help)
    p.set_defaults(func=commands.mislabeled)

    p = _command(cats_sub, "reproduce", "re-run the course's published table with this library "
                 "(about 20 s for the three models on one core)")
    p.add_argument("--data", metavar="FOLDER", help=data_help)
    p.add_argument("--only", choices=["logistic", "two", "four"], help="one model of the table (default: all three)")
    p.set_defaults(func=commands.reproduce)

    p = _command(cats_sub, "make-dataset", "your own pictures in the course's HDF5 layout")
    p.add_argument("--cats", required=True, help="folder of cat pictures")
    p.add_argument("--non-cats", required=True, help="folder of other pictures")
    p.add_argument("--out", required=True, metavar="FILE.h5", help="the .h5 file to write")
    p.add_argument("--test-fraction", type=float, default=0.2, help="share of each class kept for the test set")
    p.add_argument("--seed", type=int, default=0, help="seed of the split into train and test")
    p.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    p.set_defaults(func=commands.make_dataset)
    return cats


DATA_NOTE = ("The course's two files are not shipped: place them once in ~/.cache/rosenblatt/catvnoncat (or "
             "export ROSENBLATT_DATA=FOLDER) and every command finds them; --data overrides.")


def _command(sub, name, text, **kwargs):
    return sub.add_parser(name, help=text, description=text[0].upper() + text[1:] + ".", **kwargs)


__all__ = ["add_parser"]
