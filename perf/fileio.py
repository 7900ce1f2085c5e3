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

import os
import re
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "slug"]


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
