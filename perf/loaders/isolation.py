"""One council's bad local file fails that council's briefing only.

A council's own files (``data/local``: long-form observations, scorecards, targets, key
activities, commentary, plans, statuses, assessments and returns) are about that council. When one cannot be read, the figures of
every other council do not depend on it: :func:`read_isolated` sets the file aside as a
:class:`FileFailure` naming the councils it is about, and the loaders go on with the rest.
A briefing for one of those councils then stops with the file's own error (file, row,
column and what to do); every other briefing renders. A file whose councils cannot be
told (no readable area column), or a published release (DfE, ONS), fails every briefing
as before: nothing is dropped without a council to answer for it.

Examples:
    >>> import tempfile
    >>> from pathlib import Path
    >>> bad = Path(tempfile.mkdtemp()) / "dudley_q1.csv"
    >>> _ = bad.write_text("indicator,area_code,period,value\\n"
    ...                    "dudley_lac_rate,dudley,2012-13 Q1,lots\\n")
    >>> sorted(areas_of(bad, "local"))
    ['E08000027']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

import pandas as pd

from perf.config import get_logger
from perf.errors import PerfError
from perf.loaders.common import read_csv_strings
from perf.loaders.registry import get, names

__all__ = [
    "FileFailure",
    "Loaded",
    "areas_of",
    "isolated",
    "read_isolated",
    "set_aside",
    "validate_isolated",
]

log = get_logger()

T = TypeVar("T")


def isolated(fmt: str | None) -> bool:
    """True for a format whose files hold one council's own figures (set aside on their own
    when bad): the registry's ``isolated`` formats."""
    return fmt is not None and fmt in names() and get(fmt).isolated


@dataclass(frozen=True)
class FileFailure:
    """A council-local file that could not be read, and the councils it is about (for
    ``perf check``'s view, where every unreadable file is set aside, possibly none)."""

    file: str
    areas: frozenset[str]
    error: PerfError
    path: Path | None = None

    def __str__(self) -> str:
        return str(self.error)


class Loaded(NamedTuple):
    """A loader's frame and the council-local files it set aside; for observations, also
    the ``source`` of every figure that is a council's own (:attr:`own`)."""

    frame: pd.DataFrame
    failures: tuple[FileFailure, ...]
    #: the ``source`` values of the council's own, unpublished figures (a format that is
    #: ``own``, or a file anywhere under data/local): what public output must protect
    own: frozenset[str] = frozenset()


def areas_of(path: str | Path, fmt: str) -> frozenset[str]:
    """The ONS codes of the councils a council-local file is about: its ``area_code``
    cells (a code in any case, a DfE number or a name), a scorecard's ``Area`` line or a
    return's area code (its Notes sheet); an empty set when they cannot be told (then the
    file is not isolated)."""
    # lazy: perf.areas imports perf.loaders.common, whose package imports this module
    from perf.areas import find_area

    path = Path(path)
    try:
        own = get(fmt).areas_of(path)
        if own is not None:
            return own
        raw = read_csv_strings(path)
        column = next((c for c in raw.columns if c.strip().lower() == "area_code"), None)
        values = [] if column is None else pd.unique(raw[column].str.strip()).tolist()
    except (PerfError, OSError, UnicodeError, ValueError):
        return frozenset()
    codes = set()
    for value in values:
        if not value:
            continue
        try:
            codes.add(str(find_area(value)["area_code"]))
        except PerfError:
            continue  # the unreadable cell may be this very one; the others say whose file
    return frozenset(codes)


def set_aside(
    file: str, areas: frozenset[str], error: PerfError, path: Path | None = None
) -> FileFailure:
    """The :class:`FileFailure` of a council's file that is left out, logged as a warning."""
    if areas:
        log.warning(
            "set aside %s: %s (only %s's briefings stop; the rest go on)",
            file,
            error,
            ", ".join(sorted(areas)),
        )
    else:
        log.warning("set aside %s: %s (the other files are still checked)", file, error)
    return FileFailure(file, areas, error, path)


def read_isolated(
    path: Path, fmt: str, read: Callable[[Path], T], *, every_file: bool = False
) -> T | FileFailure:
    """``read(path)``; when it raises a :class:`PerfError` for a council-local file whose
    councils are known, its :class:`FileFailure` instead (logged as a warning). Any other
    failure is raised, unless ``every_file`` (``perf check``'s view: every file that cannot
    be read is set aside, with the councils it is about when they can be told)."""
    try:
        return read(path)
    except PerfError as exc:
        areas = areas_of(path, fmt) if isolated(fmt) else frozenset()
        if not areas and not every_file:
            raise
        return set_aside(path.name, areas, exc, path)


def validate_isolated(
    frame: pd.DataFrame,
    validate: Callable[[pd.DataFrame], T],
    files: Mapping[str, tuple[str, Path]],
    *,
    every_file: bool = False,
) -> tuple[T, pd.DataFrame, list[FileFailure]]:
    """``validate(frame)``, checking rules across files (a key given twice). When the error
    names a council's own file (``files``: file name -> its format and path), that file's
    rows (by the ``source`` column) are set aside and the rest validated again; any other
    error is raised (with ``every_file``, any file the error names is set aside). Returns
    what ``validate`` returned, the rows it was given and the files set aside. ``files`` is
    not modified."""
    left = dict(files)
    failures: list[FileFailure] = []
    while True:
        try:
            return validate(frame), frame, failures
        except PerfError as exc:
            if str(exc.file) not in left:
                raise
            fmt, named = left.pop(str(exc.file))
            areas = areas_of(named, fmt) if isolated(fmt) else frozenset()
            if not areas and not every_file:
                raise
            failures.append(set_aside(str(exc.file), areas, exc, named))
            source = frame["source"].astype(str)
            keep = ~source.str.startswith(f"{exc.file} (") & (source != str(exc.file))
            frame = frame[keep.to_numpy()].reset_index(drop=True)
