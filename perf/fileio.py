"""Writing files safely, and naming them: the one atomic writer and the one slug.

Every file perf writes (HTML, executed notebooks, frozen records, manifests, the cache)
goes through :func:`atomic_write`: readers see the old file or the new one, never half of
one, and the new file's mode follows the umask like any file the user creates (so a
colleague on a shared folder can read it). Standard library only.

Examples:
    >>> import tempfile, pathlib, os
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "sub" / "a.txt"
    >>> atomic_write(target, "hello")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('hello', ['a.txt'])
    >>> slug("Bristol, City of"), slug("2012-13 Q1")
    ('Bristol_City_of', '2012-13_Q1')
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from perf import config
from perf.errors import FileAccessError

__all__ = ["atomic_write", "data_folder", "input_file", "output_folder", "slug"]


def atomic_write(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` (text is UTF-8) to ``path`` via a temporary file in the same
    directory, fsync and ``os.replace``; the temporary file is removed if anything fails.
    Parent directories are created. The file's mode is ``0o666`` less the umask."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def slug(text: str) -> str:
    """A file-system-safe name: runs of anything but letters, digits, ``.``, ``-`` become ``_``."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", str(text)).strip("_") or "_"


def data_folder(path: str | Path | None = None) -> Path:
    """``path`` (by default :data:`perf.config.DATA_DIR`) if it is a folder; else a
    :class:`FileAccessError` naming ``PERF_DATA_DIR``, the way to point perf at its data.

    A checkout of perf has its ``data/``; an installed perf (``pip install``) has none, and
    every render, check and load starts here rather than failing on the first missing file.

    >>> data_folder("/nonexistent/data")
    Traceback (most recent call last):
    ...
    perf.errors.FileAccessError: /nonexistent/data: there is no data folder here. Set PERF_DATA_DIR to the folder holding perf's data (raw/, local/ and catalogue.csv, as in the repository's data/); a perf installed with pip has none of its own.
    """
    folder = Path(path) if path is not None else config.DATA_DIR
    if not folder.is_dir():
        raise FileAccessError(
            "there is no data folder here",
            file=folder,
            hint="Set PERF_DATA_DIR to the folder holding perf's data (raw/, local/ and "
            "catalogue.csv, as in the repository's data/); a perf installed with pip has "
            "none of its own.",
        )
    return folder


def input_file(path: str | Path) -> Path:
    """``path`` if it is a file that can be read; else a :class:`FileAccessError` that says
    what it is instead (missing, a folder, a link loop, unreadable).

    >>> input_file("/")
    Traceback (most recent call last):
    ...
    perf.errors.FileAccessError: /: is a folder, not a file. Give the path of a file in it.
    """
    path = Path(path)
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileAccessError(
                "is a symbolic link that points back to itself (a loop)",
                file=path,
                hint="Point the link at the real file.",
            ) from None
        if exc.errno == errno.ENOENT:
            raise FileAccessError("no such file", file=path, hint="Check the path.") from None
        raise FileAccessError(
            f"cannot be read ({exc.strerror})", file=path, hint="Check the file's permissions."
        ) from None
    if path.is_dir():
        raise FileAccessError(
            "is a folder, not a file", file=path, hint="Give the path of a file in it."
        )
    if not os.access(path, os.R_OK):
        raise FileAccessError(
            "cannot be read (permission denied)", file=path, hint="Check the file's permissions."
        )
    return path


def output_folder(path: str | Path) -> Path:
    """``path`` as a folder perf can write into (created if missing), checked by writing a
    temporary file there; else a :class:`FileAccessError` saying why and what to do.

    >>> import tempfile
    >>> output_folder(tempfile.mkdtemp()).is_dir()
    True
    """
    path = Path(path)
    hint = "Choose another folder with --out, or ask for write access to this one."
    if path.exists() and not path.is_dir():
        raise FileAccessError("is a file, not a folder for outputs", file=path, hint=hint)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".perf-write-check-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise FileAccessError(
            f"cannot be written to ({exc.strerror})", file=exc.filename or path, hint=hint
        ) from None
    return path
