"""Replacing a file all at once and durably: a crash, a kill or a full disk mid-write leaves the previous
file as it was, and no litter that grows.

:func:`writing` yields a binary file object.  On Linux the new content goes to an unnamed file in the
target's folder (``O_TMPFILE``): nothing is visible under any name while it is written, so a process
killed mid-write leaves nothing behind.  It is flushed and ``fsync``-ed, given a name with ``linkat``
(the target's own name when there is none yet; otherwise a temporary ``.<name>.<pid>-<random>.tmp``
that is renamed over the target at once), and the folder is ``fsync``-ed so that the rename itself
survives a power cut.  Where ``O_TMPFILE`` is missing (other systems, some file systems) the file is a
named temporary in the same folder from the start.  Either way, each save of a path first removes the
temporaries of that path left by processes that no longer run, so a killed save never leaves more than
one stale file per path and the next save removes it.

The result has the permissions any new file gets (0o666 less the umask), or the previous file's.

:func:`replacing` is the same for writers that want a path (h5py).

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
>>> with writing(path) as f:
...     _ = f.write(b"hello")
>>> open(path).read(), sorted(os.listdir(os.path.dirname(path)))
('hello', ['notes.txt'])
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import time

_O_TMPFILE = getattr(os, "O_TMPFILE", None)


def _folder_and_mode(path):
    path = os.fspath(path)
    folder, name = os.path.split(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot write {path}: the folder {folder} does not exist")
    mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0o666
    return path, folder, name, mode


def _temporary_name(folder, name):
    return os.path.join(folder, f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def remove_stale_temporaries(folder, name) -> list[str]:
    """Remove the temporaries of ``folder/name`` whose writing process has ended; returns their names.

    A temporary of a live process (another save of the same path, running now) is left alone; one of the
    naming before pids were recorded (``.<name>.<8 hex>.tmp``) is removed once it is 10 minutes old.
    """
    own = re.compile(re.escape(f".{name}.") + r"(\d+)-[0-9a-f]{8}\.tmp\Z")
    old = re.compile(re.escape(f".{name}.") + r"[0-9a-f]{8}\.tmp\Z")
    removed = []
    try:
        entries = os.listdir(folder)
    except OSError:
        return removed
    for entry in entries:
        match = own.match(entry)
        full = os.path.join(folder, entry)
        if match:
            if _alive(int(match.group(1))):
                continue
        elif not old.match(entry):
            continue
        else:
            with contextlib.suppress(OSError):
                if time.time() - os.stat(full).st_mtime < 600:
                    continue
        with contextlib.suppress(FileNotFoundError):
            os.unlink(full)
            removed.append(entry)
    return removed


def _alive(pid) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0
    return True


def _fsync_folder(folder):
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - a platform whose folders cannot be opened (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on a folder
        pass
    finally:
        os.close(fd)


def _open_unnamed(folder, mode):
    """A file descriptor of an unnamed file in ``folder``, or None where ``O_TMPFILE`` is not available."""
    if _O_TMPFILE is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        fd = os.open(folder, _O_TMPFILE | os.O_RDWR, mode)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # the file system has no O_TMPFILE: a named temporary instead
        raise
    return fd  # its mode is ``mode`` less the umask, as a named file's would be


def _give_name(fd, folder, name, path):
    """Link the unnamed file ``fd`` into ``folder``: as ``path`` if that is free (returns False), else under a
    temporary name (returned), to be renamed over ``path``."""
    source = f"/proc/self/fd/{fd}"
    folder_fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:  # a dst_dir_fd makes os.link call linkat(..., AT_SYMLINK_FOLLOW), which follows the /proc link
        if not os.path.exists(path):
            try:
                os.link(source, name, dst_dir_fd=folder_fd, follow_symlinks=True)
                return False
            except FileExistsError:
                pass
        tmp = _temporary_name(folder, name)
        os.link(source, os.path.basename(tmp), dst_dir_fd=folder_fd, follow_symlinks=True)
        return tmp
    finally:
        os.close(folder_fd)


@contextlib.contextmanager
def writing(path):
    """Yield a binary file open for writing; on success its content replaces ``path``, durably."""
    path, folder, name, mode = _folder_and_mode(path)
    remove_stale_temporaries(folder, name)
    fd = _open_unnamed(folder, mode)
    tmp = None
    if fd is None:
        tmp = _temporary_name(folder, name)
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_RDWR, mode)  # the umask applies
    try:
        with os.fdopen(fd, "w+b") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())  # on disk before it has a name: a crash cannot leave an empty file
            if tmp is None:
                tmp = _give_name(f.fileno(), folder, name, path)
        if tmp:
            os.replace(tmp, path)
        tmp = None
        _fsync_folder(folder)
    except BaseException:
        if tmp:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise


@contextlib.contextmanager
def replacing(path):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` (durably), on an error it is
    removed."""
    path, folder, name, mode = _folder_and_mode(path)
    remove_stale_temporaries(folder, name)
    tmp = _temporary_name(folder, name)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))  # the umask applies
    try:
        yield tmp
        with open(tmp, "rb+") as f:  # on disk before the rename, so a crash cannot leave an empty file
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_folder(folder)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
