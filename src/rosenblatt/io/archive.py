"""The verified archive under a model file: a zip of ``.npy`` members whose every byte is covered by a SHA-256.

Layout: an ordinary uncompressed zip (``numpy.load`` still opens it) whose archive comment is
``rosenblatt-sha256:`` followed by the 64 hex digits of the SHA-256 of every byte of the file before
those digits (the members, the zip's directory, the comment's prefix).  A changed, lost or added byte
anywhere gives another digest; a cut-off file loses the digest itself.

Reading checks, before it takes any memory for an array:

* the digest, streaming over the file (1 MiB at a time);
* each member: stored, not compressed (a zip bomb is refused by its method, its declared size and,
  if it lies, by the bytes it actually gives), its declared size within the file's size;
* each array's ``.npy`` header: a plain numeric, boolean or text dtype (never ``object``, so nothing is
  unpickled), and a shape whose byte count is exactly what the member holds (a header claiming 10¹²
  numbers in a small member is refused before any allocation).

Every failure is a :class:`~rosenblatt.io.errors.ModelFileError` naming the file.

>>> import io, numpy as np
>>> buffer = io.BytesIO()
>>> write_archive(buffer, {"w": np.arange(3.0)})
>>> _ = buffer.seek(0)
>>> with ArchiveReader(buffer, "demo.npz") as archive:
...     archive.verified, archive.names, archive.array("w")
(True, ['w'], array([0., 1., 2.]))
"""

from __future__ import annotations

import hashlib
import os
import zipfile

import numpy as np

from rosenblatt.io.errors import ModelFileError

MAGIC = b"rosenblatt-sha256:"
_DIGEST = 64  # hex digits
_CHUNK = 1 << 20
ALLOWED_KINDS = "biufU"  # booleans, integers, floats, text: never object ('O') or raw/structured ('V')
_HEADER_LIMIT = 10_000  # bytes of a .npy header (numpy's own default bound)


def write_archive(f, arrays: dict):
    """Write ``arrays`` (name -> ndarray) to the seekable binary file ``f`` as a verified archive."""
    start = f.tell()
    with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, value in arrays.items():
            value = np.asanyarray(value)
            if value.dtype.kind not in ALLOWED_KINDS:
                raise TypeError(f"cannot save {name!r}: arrays of dtype {value.dtype} are not allowed in a model file")
            with zf.open(f"{name}.npy", "w", force_zip64=value.nbytes > (1 << 30)) as member:
                np.lib.format.write_array(member, value, allow_pickle=False)
        zf.comment = MAGIC + b"0" * _DIGEST
    end = f.tell()
    f.seek(start)
    digest = _sha256(f, end - start - _DIGEST)
    f.seek(end - _DIGEST)
    f.write(digest.encode("ascii"))
    f.seek(end)


def _sha256(f, length) -> str:
    h = hashlib.sha256()
    while length > 0:
        block = f.read(min(_CHUNK, length))
        if not block:
            break
        h.update(block)
        length -= len(block)
    return h.hexdigest()


class ArchiveReader:
    """Read a model archive's members, checked; ``verified`` says whether it carried a digest (files of
    format 1 do not).  Use as a context manager."""

    def __init__(self, source, label):
        self.label = str(label)
        self._own = not hasattr(source, "read")
        try:
            self._f = open(source, "rb") if self._own else source
        except FileNotFoundError:
            raise
        except OSError as exc:
            raise ModelFileError(self.label, f"cannot be read ({exc})") from exc
        try:
            self.size = self._f.seek(0, os.SEEK_END)
            self.verified = self._check_digest()
            self._f.seek(0)
            self._zip = zipfile.ZipFile(self._f)
            infos = self._zip.infolist()
        except ModelFileError:
            self.close()
            raise
        except Exception as exc:  # BadZipFile, OSError, ValueError, ... from a damaged directory
            self.close()
            raise ModelFileError(self.label, f"is not a readable model archive ({type(exc).__name__}: {exc})") from exc
        self._infos = {}
        for info in infos:
            if not info.filename.endswith(".npy") or info.filename[:-4] in self._infos:
                self.close()
                raise ModelFileError(self.label, f"has an unexpected member {info.filename!r:.80}")
            self._infos[info.filename[:-4]] = info
        self.names = list(self._infos)

    def _check_digest(self) -> bool:
        tail = len(MAGIC) + _DIGEST
        if self.size < tail:
            return False
        self._f.seek(self.size - tail)
        end = self._f.read(tail)
        if not end.startswith(MAGIC):
            return False
        self._f.seek(0)
        actual = _sha256(self._f, self.size - _DIGEST)
        if actual.encode("ascii") != end[len(MAGIC):]:
            raise ModelFileError(self.label, "is damaged: its SHA-256 does not match its content "
                                             "(changed, cut off or extended since it was saved)")
        return True

    def array(self, name) -> np.ndarray:
        """The array ``name``, read with bounded memory; a ``ModelFileError`` for anything amiss."""
        info = self._infos.get(name)
        if info is None:
            raise ModelFileError(self.label, f"has no '{name}' entry")
        if info.compress_type != zipfile.ZIP_STORED:
            raise ModelFileError(self.label, f"entry '{name}' is compressed (method {info.compress_type}); "
                                             "model files are stored uncompressed")
        if info.file_size != info.compress_size or info.file_size > self.size:
            raise ModelFileError(self.label, f"entry '{name}' declares {info.file_size} bytes in a file of "
                                             f"{self.size}")
        try:
            with self._zip.open(info) as member:
                shape, fortran, dtype, header = _read_header(member)
                if dtype.kind not in ALLOWED_KINDS or dtype.hasobject or dtype.fields is not None:
                    raise ModelFileError(self.label, f"entry '{name}' has dtype {dtype}; only numbers, booleans "
                                                     "and text are allowed")
                count = 1
                for d in shape:
                    count *= d
                nbytes = count * dtype.itemsize
                if nbytes != info.file_size - header:
                    raise ModelFileError(self.label, f"entry '{name}' claims shape {shape} of {dtype} "
                                                     f"({nbytes} bytes) but holds {info.file_size - header}")
                buffer = bytearray(nbytes)
                got = member.readinto(memoryview(buffer)) if nbytes else 0
                if got != nbytes or member.read(1):
                    raise ModelFileError(self.label, f"entry '{name}' is cut short or too long")
        except ModelFileError:
            raise
        except Exception as exc:  # BadZipFile (CRC-32), ValueError (header), OSError, EOFError, ...
            raise ModelFileError(self.label, f"entry '{name}' is damaged ({type(exc).__name__}: {exc})") from exc
        array = np.frombuffer(buffer, dtype=dtype)
        return array.reshape(shape[::-1]).T if fortran else array.reshape(shape)

    def text(self, name, limit=1 << 24) -> str:
        """A 0-d text entry as a ``str`` (at most ``limit`` characters)."""
        info = self._infos.get(name)
        if info is not None and info.file_size > 4 * limit + _HEADER_LIMIT:
            raise ModelFileError(self.label, f"entry '{name}' is {info.file_size} bytes, more than text may be")
        value = self.array(name)
        if value.dtype.kind != "U" or value.ndim != 0:
            raise ModelFileError(self.label, f"entry '{name}' should be one text, got {value.dtype} of shape "
                                             f"{value.shape}")
        try:
            return str(value[()])
        except Exception as exc:  # a code point that is not one (UnicodeEncodeError later, ValueError)
            raise ModelFileError(self.label, f"entry '{name}' is not text ({exc})") from exc

    def close(self):
        if getattr(self, "_zip", None) is not None:
            self._zip.close()
        if self._own and getattr(self, "_f", None) is not None:
            self._f.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _read_header(member):
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(member, max_header_size=_HEADER_LIMIT)
    elif version in ((2, 0), (3, 0)):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(member, max_header_size=_HEADER_LIMIT)
    else:  # pragma: no cover - read_magic accepts only those
        raise ValueError(f"unknown .npy version {version}")
    if not all(isinstance(d, int) and d >= 0 for d in shape):
        raise ValueError(f"bad shape {shape!r}")
    return tuple(shape), fortran, np.dtype(dtype), member.tell()
