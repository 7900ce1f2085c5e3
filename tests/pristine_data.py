"""The tests read a copy of the committed data/, never the user's own files there.

``perf.config`` reads ``PERF_DATA_DIR`` once, when it is imported, and every kernel, worker
and command a test starts inherits the environment. tests/conftest.py imports this module
before anything imports perf, so importing it points ``PERF_DATA_DIR`` at a copy of data/ as
committed at ``HEAD``: a return copied into data/local/ as README's "Each quarter" says, a
draft in data/local/archive/, a notes.txt or an edited plans.csv never reaches a test. It
needs only the standard library (perf must not be imported first).

The copy is ``<perf cache>/test-data/<tree>/data`` (``PERF_CACHE_DIR``, else
``$XDG_CACHE_HOME/perf`` or ``~/.cache/perf``, as :func:`perf.cache.cache_dir`), ``<tree>``
being git's hash of the committed data/ folder: sessions reuse it while data/ is unchanged,
so perf's own cache (keyed on the data files' paths, sizes and times) stays warm. A copy
whose files no longer match what was extracted (a test wrote into it) is made again.
Outside a git checkout the tests read data/ as it is, and pytest's header says so.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

#: Copies of the committed data not used for this long are removed when a new one is made.
STALE_AFTER_S = 14 * 24 * 3600

_FILES = "files.json"


def cache_root() -> Path:
    """Where perf keeps its cache (the rule :func:`perf.cache.cache_dir` follows, repeated
    here because perf must not be imported yet; tests/test_pristine_data.py checks they
    agree)."""
    given = os.environ.get("PERF_CACHE_DIR")
    if given:
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "perf"


def _git(project: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, check=True, timeout=60
    ).stdout


def _listing(data: Path) -> dict[str, list[int]]:
    """Every file under ``data``: relative path -> [size, modification time in ns]."""
    found = {}
    for path in sorted(data.rglob("*")):
        if path.is_file():
            st = path.stat()
            found[path.relative_to(data).as_posix()] = [st.st_size, st.st_mtime_ns]
    return found


def _intact(copy: Path) -> bool:
    try:
        recorded = json.loads((copy.parent / _FILES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return copy.is_dir() and _listing(copy) == recorded


def committed_data(project: Path = PROJECT, root: Path | None = None) -> Path | None:
    """A copy of ``project``'s data/ as committed at ``HEAD`` (made once per data tree and
    kept); None outside a git checkout."""
    try:
        tree = _git(project, "rev-parse", "HEAD:data").decode().strip()
    except (OSError, subprocess.SubprocessError):
        return None
    root = (root or cache_root()) / "test-data"
    home = root / tree[:16]
    copy = home / "data"
    if _intact(copy):
        os.utime(home)  # in use: not stale
        return copy
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one process builds; the others (xdist) wait
        if not _intact(copy):
            _extract(project, home)
            _prune(root, keep=home)
    return copy


def _extract(project: Path, home: Path) -> None:
    archive = _git(project, "archive", "--format=tar", "HEAD", "data")
    building = home.with_name(f".{home.name}.{os.getpid()}.tmp")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(building, filter="data")
    (building / _FILES).write_text(json.dumps(_listing(building / "data")), encoding="utf-8")
    shutil.rmtree(home, ignore_errors=True)  # a copy a test wrote into
    building.rename(home)


def _prune(root: Path, keep: Path) -> None:
    """Remove copies of earlier data trees that no session has used for a while."""
    now = time.time()
    for old in root.iterdir():
        try:
            if old != keep and now - old.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


#: The copy the tests read (None outside a git checkout: then data/ itself).
COPY = committed_data()
if COPY is not None:
    os.environ["PERF_DATA_DIR"] = str(COPY)


def report_header() -> str:
    """What pytest's header says about the data the tests read."""
    if COPY is None:
        return "test data: data/ as it is (not a git checkout: files added there are read too)"
    return f"test data: data/ as committed at HEAD, copied to {COPY}"
