"""Replacing a file all at once: a crash mid-write leaves the previous file as it was.

The new content is written to a temporary file in the same folder, flushed to disk, then renamed over
the target (``os.replace``, atomic on POSIX and Windows). The temporary file is created with the
permissions any new file gets (0o666 less the umask), or the previous file's, so the result is
readable as the user expects (``tempfile.mkstemp`` would leave it private to its owner, 0o600).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
>>> with replacing(path) as tmp:
...     with open(tmp, "w") as f:
...         _ = f.write("hello")
>>> open(path).read(), sorted(os.listdir(os.path.dirname(path)))
('hello', ['notes.txt'])
"""

from __future__ import annotations

import contextlib
import os
import secrets


@contextlib.contextmanager
def replacing(path):
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on an error it is removed."""
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} does not exist")
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666
    while True:
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))  # the umask applies
            break
        except FileExistsError:  # pragma: no cover - 32 random bits taken
            continue
    try:
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before the rename, so a crash cannot leave an empty file
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
