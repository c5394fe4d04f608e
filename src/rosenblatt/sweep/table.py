"""The results table: one row per finished trial, written the moment it finishes.

Two formats, chosen by the path's suffix:

* ``.parquet`` (needs pyarrow): a folder of Parquet files, one per trial, each written to a temporary
  name and renamed, so a sweep killed at any instant leaves only whole rows. The folder is a Parquet
  data set: ``pyarrow.parquet.read_table(path)``, ``pandas.read_parquet(path)`` and
  ``dask.dataframe.read_parquet(path)`` read it as one table.
* ``.csv``: one file, a header and one line per trial, flushed and synced after each line. A line cut
  short by a kill is dropped when the sweep starts again.

The ``curves`` column holds the per-epoch curves as JSON (``{"loss": [...], "val_loss": [...], ...}``);
:func:`curves` unfolds them into a long table (one row per trial, metric and epoch).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "sweep.csv"
>>> table = ResultsTable(path)
>>> table.append({"trial_id": "t-1", "learning_rate": 0.1, "batch_size": 32, "curves": '{"loss": [0.7, 0.5]}'})
>>> [(r["trial_id"], r["learning_rate"], r["batch_size"]) for r in ResultsTable(path).read()]
[('t-1', 0.1, 32)]
>>> curves(ResultsTable(path).read())
[('t-1', 'loss', 1, 0.7), ('t-1', 'loss', 2, 0.5)]
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from pathlib import Path

INTEGERS = {"batch_size", "seed", "epochs", "epochs_run", "attempts"}
STRINGS = {"trial_id", "optimizer", "model", "data", "status", "reason", "curves", "worker"}


def _fsync(f):
    f.flush()
    os.fsync(f.fileno())


def _typed(key, text):
    """A CSV cell back in its type: ints, strings, floats (NaN for an empty cell)."""
    if key in STRINGS:
        return text
    if key in INTEGERS:
        return int(text) if text not in ("", None) else -1
    try:
        return float(text) if text not in ("", None) else math.nan
    except ValueError:
        return text


class ResultsTable:
    """A sweep's table at ``path`` (``.parquet`` folder or ``.csv`` file); created on the first append."""

    def __init__(self, path):
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise ValueError(f"sweep: the results table {path} must end in .parquet or .csv")
        self.format = suffix[1:]
        if self.format == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError as exc:
                from rosenblatt.extras import install_hint

                raise ImportError(f"sweep: {path}: Parquet needs pyarrow ({install_hint('sweep')}), "
                                  "or name a .csv table") from exc
            if self.path.exists() and not self.path.is_dir():
                raise ValueError(f"sweep: {path} exists and is not a folder of Parquet files")
        elif self.path.is_dir():
            raise ValueError(f"sweep: {path} is a folder; a CSV table is a file")
        if not self.path.parent.is_dir():
            raise FileNotFoundError(f"sweep: the folder {self.path.parent} of the results table does not exist")
        self._header = None

    # -- writing ----------------------------------------------------------------------------------------
    def append(self, row: dict):
        """Write one row now (durably: synced to disk before returning)."""
        if self.format == "parquet":
            self._append_parquet(row)
        else:
            self._append_csv(row)

    def _append_parquet(self, row):
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.path.mkdir(exist_ok=True)
        final = self.path / f"{row['trial_id']}.parquet"
        temporary = self.path / f".{row['trial_id']}.parquet.tmp"
        pq.write_table(pa.Table.from_pylist([row]), temporary)
        with open(temporary, "rb") as f:
            os.fsync(f.fileno())
        os.replace(temporary, final)

    def _append_csv(self, row):
        row = {k: (v.replace("\n", " ").replace("\r", " ") if isinstance(v, str) else v) for k, v in row.items()}
        if self._header is None:
            self._header = self._repair_csv()
        new = self._header is None
        if new:
            self._header = list(row)
        with open(self.path, "a", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=self._header, extrasaction="ignore", restval="")
            if new:
                writer.writeheader()
            writer.writerow({k: repr(v) if isinstance(v, float) else v for k, v in row.items()})
            _fsync(f)

    def _repair_csv(self):
        """Drop a last line cut short by a kill; return the header (None for a new or empty file)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, "rb+") as f:
            data = f.read()
            if not data.endswith(b"\n"):
                cut = data.rfind(b"\n") + 1
                f.truncate(cut)
                data = data[:cut]
        if not data:
            return None
        return next(csv.reader(io.StringIO(data.decode("utf-8"))))

    # -- reading ----------------------------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> list[dict]:
        """All rows, in the order they finished (``finished_at`` when present)."""
        if not self.path.exists():
            return []
        if self.format == "parquet":
            rows = self._read_parquet()
        else:
            rows = self._read_csv()
        if rows and "finished_at" in rows[0]:
            rows.sort(key=lambda r: r["finished_at"])
        return rows

    def _read_parquet(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        parts = sorted(self.path.glob("*.parquet"))
        if not parts:
            return []
        table = pa.concat_tables([pq.read_table(p) for p in parts], promote_options="default")
        return table.to_pylist()

    def _read_csv(self):
        with open(self.path, newline="", encoding="utf-8") as f:
            text = f.read()
        if not text.endswith("\n"):
            text = text[:text.rfind("\n") + 1]  # a line cut short by a kill is not a row
        return [{k: _typed(k, v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]

    def done(self) -> dict:
        """``{trial_id: row}`` of the finished trials."""
        return {row["trial_id"]: row for row in self.read()}


def curves(rows) -> list[tuple]:
    """The curves of ``rows`` as a long, tidy list of ``(trial_id, metric, epoch, value)`` (epochs from 1)."""
    out = []
    for row in rows:
        for metric, values in json.loads(row.get("curves") or "{}").items():
            out.extend((row["trial_id"], metric, e + 1, float(v)) for e, v in enumerate(values))
    return out


def read_table(path) -> list[dict]:
    """The rows of the sweep table at ``path`` (a ``.parquet`` folder or a ``.csv`` file)."""
    return ResultsTable(path).read()


__all__ = ["ResultsTable", "read_table", "curves"]
