"""A small on-disk cache for frames and lookups that are slow to build and rarely change.

Each entry's name carries a key made from the size and modification time of every data file
and every perf source file, so an edited CSV or a changed loader rebuilds it on next use;
an unreadable or stale entry is simply rebuilt. This module imports nothing heavy, so the
command line can use a cached lookup without importing pandas.

Examples:
    >>> import tempfile, os
    >>> os.environ["PERF_CACHE_DIR"] = tempfile.mkdtemp()
    >>> cached_json("demo", lambda: {"a": 1}), cached_json("demo", lambda: {"a": 2})
    ({'a': 1}, {'a': 1})
    >>> del os.environ["PERF_CACHE_DIR"]
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from perf import config
from perf.fileio import atomic_write

__all__ = [
    "cache_dir",
    "cached_json",
    "cached_pickle",
    "in_steady_inputs",
    "input_key",
    "steady_inputs",
]

log = config.get_logger()


def cache_dir() -> Path:
    """``PERF_CACHE_DIR``, else ``$XDG_CACHE_HOME/perf`` or ``~/.cache/perf``."""
    given = os.environ.get("PERF_CACHE_DIR")
    if given:
        return Path(given)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "perf"


#: The layers above analysis (``make lint``'s layer contract in pyproject.toml): whole
#: packages and modules that only present, report or run things, and ``style`` (the charts'
#: and pages' style files). No cached frame or lookup is built with them (the cache itself
#: may not import them), so editing one does not throw away the cache and cost the next
#: render seconds. tests/test_architecture.py checks this list against the contract.
UNKEYED: frozenset[str] = frozenset(
    {
        "charts",
        "tables",
        "sanitise",
        "collection",
        "scorecards",
        "report",
        "render",
        "cli",
        "__main__",
        "style",
    }
)


#: Installed packages whose version changes what a cached frame holds (pyarrow, when
#: installed, is pandas' string storage: a frame pickled without it has other dtypes).
ENVIRONMENT_PACKAGES = ("pandas", "pyarrow", "numpy", "pandera")


def _environment() -> str:
    """Where each of :data:`ENVIRONMENT_PACKAGES` is installed and when (a reinstall or an
    upgrade changes it), without importing any of them (importlib.metadata would cost a
    render tens of milliseconds)."""
    from importlib.util import find_spec  # lazy: only a cache key needs it

    found = []
    for name in ENVIRONMENT_PACKAGES:
        spec = find_spec(name)
        if spec is None or not spec.origin:
            found.append(f"{name}=none")
            continue
        try:
            found.append(f"{name}={spec.origin}@{os.stat(spec.origin).st_mtime_ns}")
        except OSError:
            found.append(f"{name}={spec.origin}")
    return ";".join(found)


def _keyed(path: Path, source_root: Path) -> bool:
    top = path.relative_to(source_root).parts[0]
    return top.removesuffix(".py") not in UNKEYED


def _inputs(all_code: bool) -> str:
    """Every keyed file's path, size and mtime, one line each."""
    lines = []
    source_root = config.PROJ_ROOT / "perf"
    for root in (config.DATA_DIR, source_root):
        for path in sorted(root.rglob("*")):
            if root == source_root and not all_code and not _keyed(path, source_root):
                continue
            if path.is_file() and "__pycache__" not in path.parts:
                st = path.stat()
                lines.append(f"{path}|{st.st_size}|{st.st_mtime_ns}\n")
    return "".join(lines)


#: While :func:`steady_inputs` is open: the environment and the inputs, read once.
_steady: dict[Any, str] | None = None


@contextmanager
def steady_inputs() -> Iterator[None]:
    """Within it, the data files, perf's code and the packages are taken as unchanged: they
    are looked at once, not on every :func:`input_key` (a walk of the tree, about 12 ms), so
    a schedule's hundreds of cached parameter checks cost milliseconds, not seconds. Open
    it only around work that changes none of them; nested, the outer one counts.

    >>> with steady_inputs():
    ...     input_key("demo") == input_key("demo")
    True
    """
    global _steady
    if _steady is not None:
        yield
        return
    _steady = {}
    try:
        yield
    finally:
        _steady = None


def in_steady_inputs() -> bool:
    """A :func:`steady_inputs` block is open."""
    return _steady is not None


def _remembered(what: Any, read: Callable[[], str]) -> str:
    if _steady is None:
        return read()
    if what not in _steady:
        _steady[what] = read()
    return _steady[what]


def input_key(kind: str, extra: str = "", *, all_code: bool = False) -> str:
    """A short hash of every data file's and perf source file's path, size and mtime
    (the presentation, report and render layers, :data:`UNKEYED`, left out unless
    ``all_code``), and of where and when :data:`ENVIRONMENT_PACKAGES` were installed."""
    environment = _remembered("environment", _environment)
    digest = hashlib.sha256(f"{kind}|{extra}|{environment}".encode())
    digest.update(_remembered(("inputs", all_code), lambda: _inputs(all_code)).encode())
    return digest.hexdigest()[:20]


#: Entries kept per kind. More than one, so two checkouts (or a git worktree) sharing the
#: cache, or switching branches, do not evict each other's entry and rebuild on every render.
KEEP_PER_KIND = 4


def _store(path: Path, kind: str, payload: bytes) -> None:
    try:
        stale = re.compile(re.escape(kind) + r"-[0-9a-f]{20}" + re.escape(path.suffix))
        siblings = []
        for old in path.parent.glob(f"{kind}-*{path.suffix}"):
            if old != path and stale.fullmatch(old.name):  # not "observations-public-..."
                try:
                    siblings.append((old.stat().st_mtime_ns, old))
                except FileNotFoundError:
                    continue
        for _, old in sorted(siblings, reverse=True)[KEEP_PER_KIND - 1 :]:  # oldest go
            old.unlink(missing_ok=True)
        atomic_write(path, payload)
    except OSError as exc:  # a read-only home is no reason to fail a briefing
        log.info("could not cache %s: %s", kind, exc)


def cached_pickle(kind: str, build: Callable[[], Any], extra: str = "") -> Any:
    """``build()``, or its pickle from an earlier process with the same inputs."""
    path = cache_dir() / f"{kind}-{input_key(kind, extra)}.pkl"
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    value = build()
    _store(path, kind, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def cached_json(kind: str, build: Callable[[], Any], extra: str = "") -> Any:
    """``build()`` (JSON-serialisable), or its copy from an earlier process."""
    path = cache_dir() / f"{kind}-{input_key(kind, extra)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    _store(path, kind, json.dumps(value, sort_keys=True).encode("utf-8"))
    return value
