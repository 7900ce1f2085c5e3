"""One council's bad local file fails that council's briefing only.

A council's own files (``data/local``: long-form observations, scorecards, targets, key
activities, commentary) are about that council. When one cannot be read, the figures of
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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from perf.config import get_logger
from perf.errors import PerfError
from perf.loaders.common import read_csv_strings

__all__ = ["ISOLATED_FORMATS", "FileFailure", "Loaded", "areas_of", "read_isolated"]

log = get_logger()

#: The formats that hold one council's own figures, set aside on their own when bad.
ISOLATED_FORMATS = frozenset({"local", "scorecard", "targets", "key_activities",
                              "commentary"})


@dataclass(frozen=True)
class FileFailure:
    """A council-local file that could not be read, and the councils it is about."""

    file: str
    areas: frozenset[str]
    error: PerfError

    def __str__(self) -> str:
        return str(self.error)


class Loaded(NamedTuple):
    """A loader's frame and the council-local files it set aside."""

    frame: pd.DataFrame
    failures: tuple[FileFailure, ...]


def areas_of(path: str | Path, fmt: str) -> frozenset[str]:
    """The ONS codes of the councils a council-local file is about: its ``area_code``
    cells (a code in any case, a DfE number or a name) or a scorecard's ``Area`` line; an
    empty set when they cannot be told (then the file is not isolated)."""
    # lazy: perf.areas imports perf.loaders.common, whose package imports this module
    from perf.areas import find_area

    path = Path(path)
    try:
        if fmt == "scorecard":
            # lazy: perf.loaders.local imports perf.areas (see above)
            from perf.loaders.local import scorecard_area

            values = [scorecard_area(path)]
        else:
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


def read_isolated(path: Path, fmt: str, read: Callable[[Path], pd.DataFrame]
                  ) -> tuple[pd.DataFrame | None, FileFailure | None]:
    """``read(path)``; when it raises a :class:`PerfError` for a council-local file whose
    councils are known, ``(None, FileFailure)`` instead (logged as a warning). Any other
    failure is raised."""
    try:
        return read(path), None
    except PerfError as exc:
        if fmt not in ISOLATED_FORMATS:
            raise
        areas = areas_of(path, fmt)
        if not areas:
            raise
        log.warning("set aside %s: %s (only %s's briefings stop; the rest go on)", path.name,
                    exc, ", ".join(sorted(areas)))
        return None, FileFailure(path.name, areas, exc)
