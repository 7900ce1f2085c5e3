"""A council's quarterly return: the collection workbook ``perf template`` writes, filled in
by service leads, read back and checked (its Indicators sheet saved as CSV is checked cell
by cell, and refused as a return: it names no council and carries no check).

:func:`read_return` checks every cell and lists **every** problem (sheet, row, column and
what to do), never only the first, and loses nothing else: a workbook with one bad cell
still reports all its other problems, and a clean one gives its frames (this period's
figures as observations, targets, the council's statuses, commentary and key activities).
Warnings (an off-target indicator without commentary) do not stop it.

The workbook (see :mod:`perf.collection`, which writes it from the same column lists):

* ``Indicators``: one row per indicator of the council's plans, columns
  :data:`INDICATOR_HEADER` then one column per earlier period (pre-filled, for reference:
  a changed figure there is a revision, reported by :func:`perf.collection.check_return`),
  then :data:`ENTRY_HEADER` for this period.
* ``Key activities``: :data:`ACTIVITY_HEADER`.
* ``Notes``: how to fill it in, and the workbook's area and period (cells B2, B3, B4).
* ``Check`` (hidden, protected): the council, the period and a keyed digest of every
  pre-filled cell (:func:`template_check`); :func:`check_problems` says what no longer
  matches (a relabelled council, a changed cell), or warns that a workbook made before the
  check cannot be vouched for.

A cell is read as the CSV readers read it: "80,5" and "1.234,5" are refused (never 805 or
1.2345); a number Excel shows as a percentage (60%, stored as 0.6) is read as the
percentage it shows on a percentage indicator, with a warning, and refused elsewhere; a
fraction (0.6) beside earlier percentages is refused; a formula in any cell is an error
(perf reads values, and a formula copied on into a template would run there). A return's
indicators must be those its council collects in its period: its plans in force, else the
core set (:func:`plan_problems`). Only one return per council and period is read
(:func:`duplicate_returns`).

Examples:
    >>> problem = Problem("Indicators", 5, "Value", "text in a number cell", value="n/a")
    >>> print(problem.describe("return.xlsx"))
    return.xlsx, sheet 'Indicators', row 5, column 'Value': text in a number cell (found 'n/a').
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from perf import config
from perf._numbers import is_missing
from perf.errors import DataError, DuplicateKeyError, PerfError, PeriodError
from perf.fileio import input_file
from perf.loaders.common import parse_number_text, read_csv_strings
from perf.loaders.monthly import tidy_frame
from perf.loaders.plans import SCHEMES, canonical_status, plans_for, scheme_of_status
from perf.loaders.workbook import is_sound, load_workbook, read_part
from perf.periods import Period, parse_period, previous_quarter
from perf.schema import Commentary, KeyActivities, Targets, empty_observations

__all__ = [
    "ACTIVITY_HEADER",
    "ACTIVITY_STATUS_INPUT",
    "CHECK_SHEET",
    "FIXED_COLUMNS",
    "COMMENTARY_LIMIT",
    "ENTRY_HEADER",
    "INDICATOR_HEADER",
    "INDICATOR_SHEET",
    "NOTES_SHEET",
    "Problem",
    "Return",
    "ReturnError",
    "SHEETS",
    "check_problems",
    "is_return",
    "duplicate_returns",
    "missing_commentary",
    "plan_problems",
    "read_return",
    "read_return_once",
    "reference_periods",
    "return_observations",
    "template_check",
]

INDICATOR_SHEET, ACTIVITY_SHEET, NOTES_SHEET = "Indicators", "Key activities", "Notes"
SHEETS = (INDICATOR_SHEET, ACTIVITY_SHEET, NOTES_SHEET)
#: The hidden, protected sheet with the workbook's check (see :func:`template_check`).
CHECK_SHEET = "Check"
CHECK_VERSION = "1"
#: What the indicator is (pre-filled from the plan and the catalogue).
INDICATOR_HEADER = [
    "Ref",
    "Indicator id",
    "Indicator",
    "Plan",
    "Priority",
    "Objective",
    "Polarity",
    "Unit",
    "Target",
    "Tolerance",
    "Frequency",
    "Cumulative or in-period",
    "Lead officer",
]
#: What the service lead fills in for this period.
ENTRY_HEADER = ["Period", "Value", "Numerator", "Denominator", "Council status", "Commentary"]
ACTIVITY_HEADER = [
    "Ref",
    "Plan",
    "Priority",
    "Objective",
    "Key activity",
    "Period",
    "Status",
    "Progress",
    "Lead officer",
]
#: Key-activity progress (Dudley's key-actions scheme): what a cell may say -> status.
ACTIVITY_STATUS_INPUT = {
    "★": "excellent",
    "✓": "good",
    "▲": "fair",
    "excellent": "excellent",
    "good": "good",
    "fair": "fair",
}
#: The longest commentary a cell may hold (a committee paragraph, not a report).
COMMENTARY_LIMIT = 2000
_NUMBER_COLUMNS = ("Value", "Numerator", "Denominator", "Target")


class ReturnError(DataError):
    """A return has problems; ``problems`` lists every one (the message shows them all).
    Built by :meth:`from_problems`; takes :class:`PerfError`'s arguments, as every error."""

    def __init__(self, message: str, *, problems: tuple = (), **where) -> None:
        self.problems = list(problems)
        super().__init__(message, **where)

    def __reduce__(self):
        # PerfError's keyword arguments (and the problems) survive a trip to another process
        return _rebuild_return_error, (
            self.message,
            tuple(self.problems),
            {
                "file": self.file,
                "row": self.row,
                "column": self.column,
                "value": self.value,
                "hint": self.hint,
            },
        )

    @classmethod
    def from_problems(cls, problems: list[Problem], file: str) -> ReturnError:
        lines = "\n".join("  " + p.describe(file) for p in problems)
        return cls(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the return:\n{lines}\n",
            problems=tuple(problems),
            file=file,
            hint="Correct them in the workbook and run `perf check` again.",
        )


def _rebuild_return_error(message: str, problems: tuple, where: dict) -> ReturnError:
    return ReturnError(message, problems=problems, **where)


@dataclass(frozen=True)
class Problem:
    """One problem in a return: where (sheet, row, column) and what to do."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    value: object = None
    hint: str = ""
    kind: str = "error"  # error | warning | revision

    def detail(self) -> str:
        """What was wrong, the value found and what to do (no location)."""
        text = self.message
        if self.value is not None:
            text += f" (found {str(self.value)[:60]!r})"
        text += "." if not text.endswith(".") else ""
        return text + (f" {self.hint}" if self.hint else "")

    def describe(self, file: str) -> str:
        """The problem with its location, as an error message lists it."""
        where = [file, f"sheet {self.sheet!r}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return (
            ", ".join(where)
            + ": "
            + ("revision: " if self.kind == "revision" else "")
            + ("warning: " if self.kind == "warning" else "")
            + self.detail()
        )


@dataclass
class Return:
    """What a return holds once read. Frames are None when the return has errors."""

    file: str
    area_code: str | None
    period: str | None
    problems: list[Problem] = field(default_factory=list)
    #: the Indicators rows as read (every column, cells as values), for later checks
    rows: pd.DataFrame | None = None
    earlier_periods: list[str] = field(default_factory=list)
    #: plan (lower case) -> its status scheme, from the Notes sheet
    schemes: dict[str, str] = field(default_factory=dict)
    observations: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None
    statuses: pd.DataFrame | None = None
    commentary: pd.DataFrame | None = None
    activities: pd.DataFrame | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind != "warning"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == "warning"]

    def raise_for_errors(self) -> None:
        if self.errors:
            raise ReturnError.from_problems(self.errors, self.file)


def is_return(path: str | Path) -> bool:
    """True for a workbook with perf's Indicators and Notes sheets (read from the zip's
    workbook.xml: no cell is loaded)."""
    path = Path(path)
    if not is_sound(path):
        return False
    try:
        book = read_part(path, "xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return f'name="{INDICATOR_SHEET}"' in book and f'name="{NOTES_SHEET}"' in book


# --- cells ------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: object) -> tuple[float, str | None, str | None, bool]:
    """(number, flag, problem, percent): a number, a GSS symbol (NaN and its flag), or a
    problem; ``percent`` when the text was typed with a '%' ("56%" is 56). Text is read as
    the CSV readers read it (:func:`perf.loaders.common.parse_number_text`): "80,5" and
    "1.234,5" are problems, never 805 or 1.2345."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan, None, None, False
    if isinstance(value, bool):
        return np.nan, None, "a true/false value in a number cell", False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return np.nan, None, "not a finite number", False
        return float(value), None, None, False
    text = str(value).strip()
    if text.startswith("="):
        return np.nan, None, "a formula where a number belongs", False
    number, flag, problem, percent = parse_number_text(text)
    if problem is not None:
        if "comma" in problem or "'.'" in problem:
            return np.nan, None, problem, percent
        return np.nan, None, "text in a number cell", percent
    if not math.isfinite(number) and flag is None:
        return np.nan, None, "not a number", percent
    return number, flag, None, percent


_NUMBER_HINT = (
    "Type the figure as a number (no units or words), or a symbol: x (not "
    "available), c (suppressed), z (not applicable)."
)
_COMMA_HINT = (
    "Type the figure as a number with a decimal point (80.5), in a cell Excel shows as a "
    "number: perf does not guess whether a comma marks decimals or thousands."
)
_FORMULA_HINT = (
    "perf reads what a cell holds, not what a formula computes or links to: type the figure "
    "or the text itself (or copy the cell and Paste Special > Values)."
)


# --- reading -------------------------------------------------------------------------


def _sheet_rows(ws, problems: list[Problem]) -> tuple[list[list[object]], set[tuple[int, int]]]:
    """The sheet's values by row, and the (row, column) positions of numbers shown with a
    percent format (Excel stores 60% as 0.6). A formula is a problem (its cell is read as
    blank): perf reads values, and a formula copied on into a template would run there."""
    rows: list[list[object]] = []
    percent: set[tuple[int, int]] = set()
    header: list[object] = []
    for r, cells in enumerate(ws.iter_rows(), start=1):
        values = []
        for c, cell in enumerate(cells):
            value = cell.value
            if cell.data_type == "f":
                name = _text(header[c]) if c < len(header) else ""
                problems.append(
                    Problem(
                        ws.title,
                        r,
                        name or _column_letter(c),
                        "a formula in the cell",
                        value=str(getattr(value, "text", value)),
                        hint=_FORMULA_HINT,
                    )
                )
                value = None
            elif isinstance(value, (int, float)) and "%" in str(cell.number_format or ""):
                percent.add((r, c))
            values.append(value)
        if r == 1:
            header = values
        rows.append(values)
    return rows, percent


def _load_workbook(
    path: Path, problems: list[Problem], percent: dict[str, set[tuple[int, int]]] | None = None
) -> dict[str, list[list[object]]] | None:
    book = load_workbook(path, data_only=False)
    for name in book.sheetnames:
        if name not in SHEETS and name != CHECK_SHEET:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "the workbook has a sheet perf does not read",
                    hint="Move its figures into the Indicators or Key "
                    "activities sheet, then delete the sheet.",
                )
            )
    for name in SHEETS:
        if name not in book.sheetnames:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "the sheet is missing",
                    hint="Start again from `perf template`, or restore it.",
                )
            )
    sheets = {}
    for name in (*SHEETS, CHECK_SHEET):
        if name not in book.sheetnames:
            continue
        ws = book[name]
        for merged in ws.merged_cells.ranges:
            problems.append(
                Problem(
                    name,
                    merged.min_row,
                    None,
                    f"cells {merged.coord} are merged",
                    hint="Unmerge them (Home > Merge & Center) so each figure has its own cell.",
                )
            )
        sheets[name], shown_as_percent = _sheet_rows(ws, problems)
        if percent is not None:
            percent[name] = shown_as_percent
    return sheets


def _header_problems(
    sheet: str, header: list[object], expected: list[str], problems: list[Problem]
) -> dict[str, int]:
    """Column positions by name; a renamed, moved or missing column is a problem."""
    found = [_text(h) for h in header]
    positions = {}
    for i, name in enumerate(expected):
        if i >= len(found) or found[i] != name:
            got = found[i] if i < len(found) else ""
            problems.append(
                Problem(
                    sheet,
                    1,
                    _column_letter(i) + f" ({name})",
                    f"the column should be headed {name!r}",
                    value=got or None,
                    hint="Headers are fixed: restore it as the template had it.",
                )
            )
        positions[name] = i
    return positions


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _meta(notes: list[list[object]]) -> dict[str, str]:
    meta = {}
    for row in notes[:40]:
        if len(row) >= 2 and isinstance(row[0], str):
            meta[row[0].strip().rstrip(":").lower()] = _text(row[1])
    return meta


def read_return_once(path: str | Path) -> Return:
    """:func:`read_return`, read once per process while the file is unchanged (its size and
    modification time): the observations, four local tables (targets, key activities,
    commentary, statuses) and the isolation of a bad return each need every return, and a
    workbook is slow to read. The same :class:`Return` is shared: copy a frame before
    changing it."""
    path = Path(path)
    st = path.stat()
    return _read_return_at(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _read_return_at(path: str, size: int, mtime_ns: int) -> Return:
    return read_return(path)


def read_return(path: str | Path) -> Return:
    """Read and check a return (.xlsx from ``perf template``; its Indicators sheet as CSV
    is checked cell by cell but never read as a return: a CSV says neither whose return it
    is nor carries the template's check). Every problem is in ``.problems``; the frames are
    set only when there is no error (warnings allowed)."""
    from perf.catalogue import catalogue  # lazy: the catalogue is a sibling (as loaders.local)

    path = input_file(path)
    problems: list[Problem] = []
    percent: dict[str, set[tuple[int, int]]] = {}
    if path.suffix.lower() == ".csv":
        raw = read_csv_strings(path)
        sheets = {INDICATOR_SHEET: [list(raw.columns)] + raw.to_numpy().tolist()}
        meta: dict[str, str] = {}
        problems.append(
            Problem(
                INDICATOR_SHEET,
                None,
                None,
                "a CSV copy of the Indicators sheet is not a return: it says neither whose "
                "return it is nor which period's workbook it came from (a CSV has no Notes "
                "sheet), and it carries no check that its pre-filled cells are perf's",
                hint="Send the workbook itself (.xlsx), as `perf template` wrote it and the "
                "service leads filled it in; its cells are checked below all the same.",
            )
        )
    else:
        sheets = _load_workbook(path, problems, percent) or {}
        meta = _meta(sheets.get(NOTES_SHEET, []))
    period = meta.get("period")
    result = Return(path.name, meta.get("area code") or None, None, problems)
    result.schemes = {
        k.removeprefix("scheme of ").strip(): v.lower()
        for k, v in meta.items()
        if k.startswith("scheme of ") and v.lower() in SCHEMES
    }
    indicators = sheets.get(INDICATOR_SHEET, [])
    if not indicators:
        problems.append(Problem(INDICATOR_SHEET, None, None, "the sheet is empty"))
        return result
    header = [_text(h) for h in indicators[0]]
    if period is None and "Period" in header:  # a CSV: the period column says it
        first = next((r for r in indicators[1:] if _text(r[header.index("Period")])), None)
        period = _text(first[header.index("Period")]) if first else None
    try:
        result.period = parse_period(period).label if period else None
    except PeriodError:
        problems.append(
            Problem(NOTES_SHEET, 4, "B", "the workbook's period is not a period", value=period)
        )
    n_fixed = len(INDICATOR_HEADER)
    earlier = header[n_fixed : len(header) - len(ENTRY_HEADER)]
    result.earlier_periods = earlier
    problems += _earlier_problems(earlier, result.period)
    expected = INDICATOR_HEADER + earlier + ENTRY_HEADER
    _header_problems(INDICATOR_SHEET, indicators[0], expected, problems)
    if path.suffix.lower() != ".csv":
        problems += check_problems(sheets, result.area_code, result.period)
    cat = catalogue().set_index("indicator")
    records = []
    shown_as_percent = percent.get(INDICATOR_SHEET, set())
    for r, cells in enumerate(indicators[1:], start=2):
        cells = list(cells) + [None] * (len(expected) - len(cells))
        row = dict(zip(expected, cells))
        if not any(_text(v) for v in cells):
            continue
        typed = {name for i, name in enumerate(expected) if (r, i) in shown_as_percent}
        records.append(_check_indicator_row(row, r, result, cat, problems, typed))
    result.rows = pd.DataFrame(records)
    if ACTIVITY_SHEET in sheets:
        result.activities = _activities(sheets[ACTIVITY_SHEET], result, problems)
    if result.errors:
        result.activities = None
        return result
    _frames(result)
    return result


def reference_periods(period: Period) -> list[str] | None:
    """The periods a workbook for ``period`` shows beside it: back to the same quarter last
    year (so the previous quarter, the previous year end and the same period last year are
    all there); the year before for a year; None for any other kind of period.

    >>> reference_periods(parse_period("2025-26 Q3"))
    ['2024-25 Q3', '2024-25 Q4', '2025-26 Q1', '2025-26 Q2']
    >>> reference_periods(parse_period("2024-25"))
    ['2023-24']
    """
    if period.kind == "financial_quarter":
        out, p = [], period
        for _ in range(4):
            p = previous_quarter(p)
            out.append(p.label)
        return out[::-1]
    if period.kind == "financial_year":
        start = period.start.year - 1
        return [f"{start}-{str(start + 1)[-2:]}"]
    return None


def _earlier_problems(found: list[str], period: str | None) -> list[Problem]:
    """The earlier periods' columns a workbook for ``period`` must have: a deleted one
    would silently leave its figures out of the revision check."""
    expected = reference_periods(parse_period(period)) if period else None
    if expected is None or found == expected:
        return []
    problems = [
        Problem(
            INDICATOR_SHEET,
            1,
            label,
            f"the column for {label} is missing",
            hint="The earlier periods' columns are fixed (their figures are compared with "
            "the figures perf holds): restore the column as the template had it, or start "
            "again from `perf template`.",
        )
        for label in expected
        if label not in found
    ]
    problems += [
        Problem(
            INDICATOR_SHEET,
            1,
            label or None,
            f"a column this workbook for {period} does not have",
            value=label or None,
            hint=f"Its earlier periods are {', '.join(expected)}: delete the column.",
        )
        for label in found
        if label not in expected
    ]
    if not problems:  # the same periods, in another order
        problems.append(
            Problem(
                INDICATOR_SHEET,
                1,
                None,
                "the earlier periods' columns are out of order",
                value=", ".join(found),
                hint=f"Put them back as the template had them: {', '.join(expected)}.",
            )
        )
    return problems


# --- the template's check ----------------------------------------------------------------

#: The columns ``perf template`` fills in and service leads leave alone, by sheet: a
#: workbook's check covers them (and every heading, and the whole Notes sheet).
FIXED_COLUMNS = {
    INDICATOR_SHEET: frozenset(INDICATOR_HEADER) - {"Target", "Lead officer"} | {"Period"},
    ACTIVITY_SHEET: frozenset({"Ref", "Plan", "Priority", "Objective", "Key activity", "Period"}),
}


def _digest(*parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(config.RETURN_KEY, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _fixed_rows(sheets: dict[str, list[list[object]]]) -> list[tuple[str, int, list[str]]]:
    """Every row's fixed cells, as text: (sheet, row, cells), rows with none left out."""
    found = []
    for sheet in SHEETS:
        rows = sheets.get(sheet) or []
        header = [_text(h) for h in rows[0]] if rows else []
        for r, cells in enumerate(rows, start=1):
            if sheet == NOTES_SHEET:
                fixed = [_text(v) for v in list(cells)[:2]]
            elif r == 1:
                fixed = header
            else:
                fixed = [_text(v) for name, v in zip(header, cells) if name in FIXED_COLUMNS[sheet]]
            if any(fixed):
                found.append((sheet, r, fixed))
    return found


def template_check(
    sheets: dict[str, list[list[object]]], area_code: str, period: str
) -> list[list[str]]:
    """The rows of the :data:`CHECK_SHEET` that ``perf template`` hides in a workbook: its
    area code and period, a keyed digest (HMAC-SHA256, key :data:`perf.config.RETURN_KEY`)
    of each row's fixed cells (:data:`FIXED_COLUMNS`, every heading, the Notes sheet), and
    one of all of these. :func:`check_problems` reads them back: a workbook relabelled for
    another council, or whose pre-filled cells were changed, no longer matches.

    ``sheets``: each sheet's values by row, as :func:`read_return` reads them.
    """
    rows = [
        [sheet, str(r), _digest(CHECK_VERSION, sheet, r, cells)[:32]]
        for sheet, r, cells in _fixed_rows(sheets)
    ]
    whole = _digest(CHECK_VERSION, area_code, period, rows)
    return [
        ["perf check", CHECK_VERSION, whole],
        ["Area code", area_code, ""],
        ["Period", period, ""],
        *rows,
    ]


def check_problems(
    sheets: dict[str, list[list[object]]], area_code: str | None, period: str | None
) -> list[Problem]:
    """What a workbook's check (:func:`template_check`) says of it: errors when its council
    or period was changed (Notes!B3, B4), when a pre-filled cell was changed or a row
    added, or when the check itself was edited; a warning, and nothing else, for a workbook
    made before perf wrote the check (it is read, but cannot be vouched for)."""
    stored = [[_text(v) for v in list(row)[:3]] for row in sheets.get(CHECK_SHEET) or []]
    if not stored or stored[0][:2] != ["perf check", CHECK_VERSION] or len(stored) < 3:
        return [
            Problem(
                NOTES_SHEET,
                None,
                None,
                "the workbook carries no check (it was made by an earlier perf): perf cannot "
                "tell that its council, period and pre-filled cells are as perf wrote them",
                kind="warning",
                hint="Make next quarter's from `perf template`.",
            )
        ]
    made_for, made_period = stored[1][1], stored[2][1]
    rows = [r for r in stored[3:] if any(r)]
    redo = "Start again from `perf template` for the council and period, and fill that in."
    if _digest(CHECK_VERSION, made_for, made_period, rows) != stored[0][2]:
        return [
            Problem(
                CHECK_SHEET,
                None,
                None,
                "the workbook's check was edited: perf cannot tell whose return it is",
                hint=redo,
            )
        ]
    problems = []
    if (area_code or "") != made_for:
        problems.append(
            Problem(
                NOTES_SHEET,
                3,
                "B",
                f"the area code was changed: perf template made this workbook for {made_for}",
                value=area_code or "",
                hint="A return is one council's: " + redo,
            )
        )
    if (period or "") != made_period:
        problems.append(
            Problem(
                NOTES_SHEET,
                4,
                "B",
                f"the period was changed: perf template made this workbook for {made_period}",
                value=period or "",
                hint=redo,
            )
        )
    wanted = {(sheet, int(r)): digest for sheet, r, digest in rows if r.isdigit()}
    said = {(p.sheet, p.row) for p in problems}  # the area code or period: said above
    for sheet, r, cells in _fixed_rows(sheets):
        digest = wanted.pop((sheet, r), None)
        if (sheet, r) in said:
            continue
        if digest is None:
            problems.append(
                Problem(
                    sheet,
                    r,
                    None,
                    "a row perf template did not write",
                    value=" | ".join(c for c in cells if c)[:60],
                    hint="Rows are fixed: delete it (a new indicator or key activity goes in "
                    "the council's plan, data/local/plans.csv, and the next template).",
                )
            )
        elif _digest(CHECK_VERSION, sheet, r, cells)[:32] != digest:
            problems.append(
                Problem(
                    sheet,
                    r,
                    None,
                    "a pre-filled cell was changed since perf template wrote the workbook",
                    value=" | ".join(c for c in cells if c)[:60],
                    hint="Put it back as it was (the grey cells and the headings are fixed; "
                    "only the white cells, the target and the lead officer are filled in), or "
                    + redo[0].lower()
                    + redo[1:],
                )
            )
    for sheet, r in sorted(wanted):
        problems.append(
            Problem(
                sheet,
                r,
                None,
                "a row perf template wrote is missing or blank",
                hint="Restore it, or " + redo[0].lower() + redo[1:],
            )
        )
    return problems


def _period_problem(
    sheet: str, row: int, period: str, expected: str | None, hint: str = ""
) -> list[Problem]:
    """A row's period that is not the workbook's, as a problem (none when it is, or when
    either is blank)."""
    if not expected or not period:
        return []
    try:
        same = parse_period(period).label == expected
    except PeriodError:
        same = False
    return (
        []
        if same
        else [
            Problem(
                sheet,
                row,
                "Period",
                f"the period does not match the workbook's ({expected})",
                value=period,
                hint=hint,
            )
        ]
    )


def _check_indicator_row(
    row: dict,
    r: int,
    result: Return,
    cat: pd.DataFrame,
    problems: list[Problem],
    typed_percent: frozenset[str] | set[str] = frozenset(),
) -> dict:
    sheet = INDICATOR_SHEET
    out: dict[str, Any] = {"row": r}
    indicator = _text(row.get("Indicator id"))
    out["indicator"] = indicator
    known = indicator in cat.index
    if not known:
        problems.append(
            Problem(
                sheet,
                r,
                "Indicator id",
                "unknown indicator",
                value=indicator or None,
                hint="Use an id from data/catalogue.csv; do not edit the pre-filled columns.",
            )
        )
    problems += _period_problem(
        sheet,
        r,
        _text(row.get("Period")),
        result.period,
        hint="This workbook collects one period; use a new template for another.",
    )
    unit = str(cat.loc[indicator, "unit"]) if known else None
    if known and cat.loc[indicator, "polarity"] == "neither" and _text(row.get("Target")):
        problems.append(
            Problem(
                sheet,
                r,
                "Target",
                "a target for a measure of demand or activity, where neither higher nor lower "
                "is better: it is shown with no red, amber or green, so a target cannot be "
                "scored",
                value=row.get("Target"),
                hint="Clear the target (the council's commentary can say what it expects).",
            )
        )
    for column in _NUMBER_COLUMNS + tuple(result.earlier_periods):
        number, flag, problem, percent = _number(row.get(column))
        if problem:
            hint = _COMMA_HINT if "comma" in problem or "'.'" in problem else _NUMBER_HINT
            problems.append(Problem(sheet, r, column, problem, value=row.get(column), hint=hint))
        elif column in typed_percent or percent:
            # Excel shows 0.6 with a percent format as 60%: what the service lead saw
            number = number * 100 if column in typed_percent else number
            problems += _percent_problem(sheet, r, column, number, unit)
            if column in ("Numerator", "Denominator") or unit != "%":
                number = np.nan
        out[column] = number
        out[f"{column} flag"] = flag
    if unit == "%":
        problems += _fraction_problem(sheet, r, out, result.earlier_periods, typed_percent)
    status_text = _text(row.get("Council status"))
    out["council_status"] = None
    if status_text:
        status = canonical_status(status_text)
        plan_scheme = _scheme_of_row(row, result.schemes)
        if status is None or (plan_scheme and scheme_of_status(status) != plan_scheme):
            allowed = SCHEMES[plan_scheme or "tolerance"].accepts()
            problems.append(
                Problem(
                    sheet,
                    r,
                    "Council status",
                    f"the status is not in the council's {plan_scheme or 'status'} scheme",
                    value=status_text,
                    hint="Choose from the drop-down: " + ", ".join(allowed) + ".",
                )
            )
        else:
            out["council_status"] = status
    comment = _text(row.get("Commentary"))
    if len(comment) > COMMENTARY_LIMIT:
        problems.append(
            Problem(
                sheet,
                r,
                "Commentary",
                f"the commentary is {len(comment):,} characters; the limit is {COMMENTARY_LIMIT:,}",
                hint="Shorten it to a paragraph a committee can read; put the "
                "detail in the service's own report.",
            )
        )
    out["commentary"] = comment or None
    out["lead_officer"] = _text(row.get("Lead officer")) or None
    out["scheme"] = _scheme_of_row(row, result.schemes) or "tolerance"
    if out["council_status"] in ("red", "below") and not comment:
        problems.append(missing_commentary(r))
    return out


def _percent_problem(
    sheet: str, r: int, column: str, number: float, unit: str | None
) -> list[Problem]:
    """A figure typed as a percentage: on a percentage indicator's value, target or earlier
    figure, read as the percentage it shows (60% is 60) and said so; anywhere else an error
    (a count or a rate is not a percentage)."""
    if column in ("Numerator", "Denominator"):
        return [
            Problem(
                sheet,
                r,
                column,
                f"a percentage ({number:g}%) where a count belongs",
                hint="Type the number of people counted, without a % sign or percent format.",
            )
        ]
    if unit != "%":
        return [
            Problem(
                sheet,
                r,
                column,
                f"a percentage ({number:g}%) for an indicator measured in {unit or 'its own unit'}",
                hint="Type the figure in the indicator's unit (the Unit column), without a % "
                "sign or percent format.",
            )
        ]
    return [
        Problem(
            sheet,
            r,
            column,
            f"typed as a percentage ({number:g}%): read as {number:g}",
            kind="warning",
            hint="Percentages are typed as numbers (60 for 60%); check the figure is the one "
            "meant.",
        )
    ]


def _fraction_problem(
    sheet: str, r: int, out: dict, earlier: list[str], typed_percent: frozenset[str] | set[str]
) -> list[Problem]:
    """A percentage indicator's value typed as a fraction (0.6) beside earlier figures that
    are percentages (50 to 58): as the CSV readers refuse a file that mixes them
    (:func:`perf.loaders.common.check_percent_scale`), an error."""
    if is_missing(out.get("Value")):
        return []
    value = float(out["Value"])
    before = [float(out[p]) for p in earlier if not is_missing(out.get(p))]
    if (
        "Value" in typed_percent
        or not 0 < value < 1
        or not before
        or min(before) <= 1
        or not min(before) / 2 <= value * 100 <= max(before) * 2
    ):
        return []
    return [
        Problem(
            sheet,
            r,
            "Value",
            f"{value:g} reads as a fraction where the earlier periods are percentages "
            f"({min(before):g} to {max(before):g})",
            value=value,
            hint=f"Type the percentage: {value * 100:g} for {value * 100:g}%.",
        )
    ]


def missing_commentary(row: int) -> Problem:
    """The warning for an off-target indicator with no commentary."""
    return Problem(
        INDICATOR_SHEET,
        row,
        "Commentary",
        "the indicator is off target but has no commentary",
        kind="warning",
        hint="Every indicator off target needs a commentary: what happened and what is being done.",
    )


def _scheme_of_row(row: dict, schemes: dict[str, str]) -> str | None:
    """The status scheme of the row's plan, as the workbook's Notes sheet declares it."""
    return schemes.get(_text(row.get("Plan")).lower())


def _activities(
    rows: list[list[object]], result: Return, problems: list[Problem]
) -> pd.DataFrame | None:
    sheet = ACTIVITY_SHEET
    if not rows:
        return None
    _header_problems(sheet, rows[0], ACTIVITY_HEADER, problems)
    records = []
    for r, cells in enumerate(rows[1:], start=2):
        cells = list(cells) + [None] * (len(ACTIVITY_HEADER) - len(cells))
        row = dict(zip(ACTIVITY_HEADER, cells))
        if not any(_text(v) for v in cells):
            continue
        ref = _text(row["Ref"])
        if not ref:
            problems.append(Problem(sheet, r, "Ref", "the key activity has no reference"))
        status_text = _text(row["Status"])
        status = ACTIVITY_STATUS_INPUT.get(
            status_text.lower() if status_text.isascii() else status_text
        )
        if not status_text:
            problems.append(
                Problem(
                    sheet,
                    r,
                    "Status",
                    "the status is blank",
                    hint="Choose ★, ✓ or ▲ from the drop-down.",
                )
            )
        elif status is None:
            problems.append(
                Problem(
                    sheet,
                    r,
                    "Status",
                    "the status is not in the key-activity scheme",
                    value=status_text,
                    hint="Choose ★ (excellent), ✓ (good) or ▲ (fair) from the drop-down.",
                )
            )
        lead = _text(row["Lead officer"])
        if not lead:
            problems.append(
                Problem(
                    sheet,
                    r,
                    "Lead officer",
                    "the lead officer is blank",
                    hint="Every key activity needs the officer accountable for it.",
                )
            )
        problems += _period_problem(sheet, r, _text(row["Period"]), result.period)
        progress = _text(row["Progress"])
        if len(progress) > COMMENTARY_LIMIT:
            problems.append(
                Problem(
                    sheet,
                    r,
                    "Progress",
                    f"the progress note is "
                    f"{len(progress):,} characters; the limit is "
                    f"{COMMENTARY_LIMIT:,}",
                )
            )
        records.append(
            {
                "ref": ref,
                "area_code": result.area_code or "",
                "period": result.period or "",
                "priority": _text(row["Priority"]) or "(none)",
                "objective": _text(row["Objective"]) or None,
                "activity": _text(row["Key activity"]),
                "status": status or "",
                "progress": progress or None,
                "lead_officer": lead or None,
            }
        )
    return pd.DataFrame(records) if records else None


def _frames(result: Return) -> None:
    """This period's figures, targets, statuses and commentary as perf's frames."""
    rows = result.rows
    area, period = result.area_code, result.period
    if rows is None or rows.empty or not area or not period:
        return
    source = f"{result.file} (the council's return for {period})"
    obs = rows[rows["Value"].notna() | rows["Value flag"].notna()]
    result.observations = pd.DataFrame(
        {
            "indicator": obs["indicator"],
            "area_code": area,
            "period": period,
            "value": obs["Value"],
            "numerator": obs["Numerator"],
            "denominator": obs["Denominator"],
            "flag": obs["Value flag"],
            "source": source,
            "row": obs["row"],
        }
    ).reset_index(drop=True)
    targets = rows[rows["Target"].notna()]
    result.targets = Targets.validate(
        pd.DataFrame(
            {
                "indicator": targets["indicator"],
                "area_code": area,
                "period": period,
                "target": targets["Target"],
            }
        ).reset_index(drop=True)
    )
    own = rows[rows["council_status"].notna()]
    result.statuses = pd.DataFrame(
        {
            "indicator": own["indicator"],
            "area_code": area,
            "period": period,
            "status": own["council_status"],
            "scheme": own["council_status"].map(scheme_of_status),
        }
    ).reset_index(drop=True)
    said = rows[rows["commentary"].notna()]
    result.commentary = Commentary.validate(
        pd.DataFrame(
            {
                "indicator": said["indicator"],
                "area_code": area,
                "period": period,
                "text": said["commentary"],
            }
        ).reset_index(drop=True)
    )
    if result.activities is not None:
        result.activities = KeyActivities.validate(result.activities)


def _area(code: str | None) -> tuple[str, str] | None:
    """(ONS code, name) of a return's area code, or None when it names no known area."""
    # lazy: perf.areas imports perf.loaders.common, whose package imports this module
    from perf.areas import find_area

    try:
        row = find_area(code) if code else None
    except PerfError:
        return None
    return None if row is None else (str(row["area_code"]), str(row["area_name"]))


def plan_problems(
    result: Return, plans: pd.DataFrame | None, core: pd.DataFrame | None = None
) -> list[Problem]:
    """A return's indicators outside what its council collects in its period, as errors:
    the council's plans in force then (``plans``: :func:`perf.loaders.load_plans`' frame),
    else the children's services core set (``core``: :func:`perf.loaders.plans.read_core_set`),
    by the rule its workbook is made with (:func:`perf.loaders.plans.plans_for`). A return
    is the council's named on its Notes sheet, and a workbook relabelled for another council
    (B3 changed) holds the first council's indicators, which the second's do not include.
    With neither a plan nor a core set in data/ there is nothing to check against, and no
    problem.

    >>> plans = pd.DataFrame({"area_code": ["E08000035"], "plan": ["P"], "kind": ["indicator"],
    ...                       "item": ["leeds_lac_count"], "from": ["2024-25"], "to": [None]})
    >>> rows = pd.DataFrame({"row": [2], "indicator": ["dudley_lac_rate"]})
    >>> relabelled = Return("r.xlsx", "E08000035", "2025-26 Q1", rows=rows)
    >>> print(plan_problems(relabelled, plans)[0].describe("r.xlsx"))
    r.xlsx, sheet 'Indicators', row 2, column 'Indicator id': dudley_lac_rate is not in Leeds's plan (found 'dudley_lac_rate'). ...
    >>> core = plans.assign(area_code="*", plan="Core", item="cla_rate", **{"from": None})
    >>> earlier = Return("r.xlsx", "E08000035", "2023-24 Q4", rows=rows)
    >>> plan_problems(earlier, plans, core)[0].message
    "dudley_lac_rate is not in the children's services core set (no plan of Leeds's in force)"
    """
    rows = result.rows
    area = _area(result.area_code)
    no_plans = plans is None or plans.empty
    if rows is None or rows.empty or area is None or (no_plans and (core is None or core.empty)):
        return []  # no plan and no core set in data/: nothing to check against
    code, name = area
    if result.period:
        nothing = pd.DataFrame(columns=["area_code", "kind", "item"])
        collected, is_core = plans_for(
            plans, nothing if core is None else core, code, result.period
        )
    else:  # a return without a period (its own error): any plan of the council's
        collected = plans[plans["area_code"] == code] if plans is not None else core
        is_core = False
    placed = set(collected.loc[collected["kind"] == "indicator", "item"])
    hint = (
        "A return holds the indicators of the council named on its Notes sheet (cell B3), "
        "for the period in B4: was it made for another council or period? Fill in the "
        "council's own workbook from `perf template`, or add the indicator to its plan "
        "(data/local/plans.csv) and make a new one."
    )
    if not placed:
        return [
            Problem(
                NOTES_SHEET,
                3,
                "B",
                f"no plan in force in {result.period} places any indicator for {name}, and "
                "data/ keeps no core set",
                value=result.area_code,
                hint=hint,
            )
        ]
    where = (
        f"the children's services core set (no plan of {name}'s in force)"
        if is_core
        else f"{name}'s plan"
    )
    return [
        Problem(
            INDICATOR_SHEET,
            int(row.row),
            "Indicator id",
            f"{row.indicator} is not in {where}",
            value=row.indicator,
            hint=hint,
        )
        for row in rows.itertuples(index=False)
        if row.indicator and row.indicator not in placed
    ]


def duplicate_returns(paths: list[Path]) -> dict[Path, PerfError]:
    """Of ``paths`` (every return in data/local, at any depth), those that are one of two or
    more returns for the same council and period, each with an error naming the others:
    only one is read, and perf cannot tell a draft from the final one (a copy in
    ``archive/`` or ``old/`` would otherwise be read beside it, or in its place). A return
    that cannot be read is left to its own error."""
    seen: dict[tuple[str, str], list[Path]] = {}
    for path in paths:
        try:
            result = read_return_once(path)
        except PerfError:
            continue
        area = _area(result.area_code)
        if area is not None and result.period:
            seen.setdefault((area[0], result.period), []).append(Path(path))
    found: dict[Path, PerfError] = {}
    for (code, period), same in seen.items():
        if len(same) < 2:
            continue
        root = Path(os.path.commonpath([p.parent for p in same]))
        names = [p.relative_to(root).as_posix() for p in same]
        for path in same:
            found[path] = DuplicateKeyError(
                f"{len(same)} returns for {code} in {period} ({', '.join(names)}): perf "
                "reads one return per council and period",
                file=path.name,
                hint="Keep the final return in data/local and move the others (drafts, "
                "copies) out of data/.",
            )
    return found


def return_observations(result: Return, *, validate: bool = True) -> pd.DataFrame:
    """A read return's figures for its period as tidy observations, each located by its
    row of the Indicators sheet (``source_row`` when ``validate=False``, as every
    reader). Raises :class:`ReturnError` when the return has errors."""
    result.raise_for_errors()
    frame = result.observations
    if frame is None or frame.empty:
        empty = empty_observations()
        return empty if validate else empty.assign(source_row=pd.Series(dtype="int32"))
    return tidy_frame(
        frame.drop(columns="row"), file=result.file, rows=frame["row"], validate=validate
    )
