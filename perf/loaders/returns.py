"""A council's quarterly return: the collection workbook ``perf template`` writes, filled in
by service leads (or its Indicators sheet saved as CSV), read back and checked.

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

Examples:
    >>> problem = Problem("Indicators", 5, "Value", "text in a number cell", value="n/a")
    >>> print(problem.describe("return.xlsx"))
    return.xlsx, sheet 'Indicators', row 5, column 'Value': text in a number cell (found 'n/a').
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from perf.errors import DataError, FileFormatError, PeriodError
from perf.fileio import input_file
from perf.loaders.common import SYMBOLS, read_csv_strings
from perf.loaders.monthly import tidy_frame
from perf.loaders.plans import SCHEMES, canonical_status, scheme_of_status
from perf.periods import parse_period
from perf.schema import Commentary, KeyActivities, Targets, empty_observations

__all__ = [
    "ACTIVITY_HEADER",
    "ACTIVITY_STATUS_INPUT",
    "COMMENTARY_LIMIT",
    "ENTRY_HEADER",
    "INDICATOR_HEADER",
    "INDICATOR_SHEET",
    "NOTES_SHEET",
    "Problem",
    "Return",
    "ReturnError",
    "SHEETS",
    "is_return",
    "missing_commentary",
    "read_return",
    "read_return_once",
    "return_observations",
]

INDICATOR_SHEET, ACTIVITY_SHEET, NOTES_SHEET = "Indicators", "Key activities", "Notes"
SHEETS = (INDICATOR_SHEET, ACTIVITY_SHEET, NOTES_SHEET)
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
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
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


def _number(value: object) -> tuple[float, str | None, str | None]:
    """(number, flag, problem): a number, a GSS symbol (NaN and its flag), or a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return np.nan, None, None
    if isinstance(value, bool):
        return np.nan, None, "a true/false value in a number cell"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return np.nan, None, "not a finite number"
        return float(value), None, None
    text = str(value).strip()
    if text.startswith("="):
        return np.nan, None, "a formula where a number belongs"
    if text.lower() in SYMBOLS:
        return np.nan, SYMBOLS[text.lower()], None
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return np.nan, None, "text in a number cell"
    return (number, None, None) if math.isfinite(number) else (np.nan, None, "not a number")


_NUMBER_HINT = (
    "Type the figure as a number (no units or words), or a symbol: x (not "
    "available), c (suppressed), z (not applicable)."
)


# --- reading -------------------------------------------------------------------------


def _sheet_rows(ws) -> list[list[object]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _load_workbook(path: Path, problems: list[Problem]) -> dict[str, list[list[object]]] | None:
    import openpyxl  # lazy: only a workbook needs it, and it is slow to import

    try:
        book = openpyxl.load_workbook(path, data_only=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileFormatError(
            f"the workbook could not be opened ({type(exc).__name__})",
            file=path.name,
            hint="Save it again from Excel as .xlsx.",
        ) from None
    for name in book.sheetnames:
        if name not in SHEETS:
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
    for name in SHEETS:
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
        sheets[name] = _sheet_rows(ws)
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
    """Read and check a return (.xlsx from ``perf template``, or its Indicators sheet as
    CSV). Every problem is in ``.problems``; the frames are set only when there is no
    error (warnings allowed)."""
    from perf.catalogue import catalogue  # lazy: the catalogue is a sibling (as loaders.local)

    path = input_file(path)
    problems: list[Problem] = []
    if path.suffix.lower() == ".csv":
        raw = read_csv_strings(path)
        sheets = {INDICATOR_SHEET: [list(raw.columns)] + raw.to_numpy().tolist()}
        meta: dict[str, str] = {}
    else:
        sheets = _load_workbook(path, problems) or {}
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
    expected = INDICATOR_HEADER + earlier + ENTRY_HEADER
    _header_problems(INDICATOR_SHEET, indicators[0], expected, problems)
    cat = catalogue().set_index("indicator")
    records = []
    for r, cells in enumerate(indicators[1:], start=2):
        cells = list(cells) + [None] * (len(expected) - len(cells))
        row = dict(zip(expected, cells))
        if not any(_text(v) for v in cells):
            continue
        records.append(_check_indicator_row(row, r, result, cat, problems))
    result.rows = pd.DataFrame(records)
    if ACTIVITY_SHEET in sheets:
        result.activities = _activities(sheets[ACTIVITY_SHEET], result, problems)
    if result.errors:
        result.activities = None
        return result
    _frames(result)
    return result


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
    row: dict, r: int, result: Return, cat: pd.DataFrame, problems: list[Problem]
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
    for column in _NUMBER_COLUMNS + tuple(result.earlier_periods):
        number, flag, problem = _number(row.get(column))
        if problem:
            problems.append(
                Problem(sheet, r, column, problem, value=row.get(column), hint=_NUMBER_HINT)
            )
        out[column] = number
        out[f"{column} flag"] = flag
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
