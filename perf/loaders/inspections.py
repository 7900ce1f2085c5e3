"""Ofsted's children's services inspection outcomes (ILACS): the OpenDocument spreadsheet
Ofsted publishes each year (``LA_Inspection_Outcomes_as_at_31_March_2025.ods``), read with
pandas' ``odf`` engine into the ``inspections`` frame (:class:`perf.schema.Inspections`).

Judgements are not observations (no value, no period): each row is one inspection of one
council, with its dates, its overall effectiveness and the four sub-judgements, in Ofsted's
words (:data:`perf.schema.JUDGEMENTS`). Two sheets are read, each found by its header row
(a table starting on any of the first rows), never by its name:

* the latest judgement of every council (``Inspections_as_at_31_March``: a header with the
  area code and no inspection type or status column): :func:`read`;
* every ILACS inspection since 2018 (``ILACS_inspection_history``: a header with
  ``Inspection type`` and ``Local authority status``): ``read(path, history=True)``. The
  latest judgements take their ``inspection_type`` from it.

The in-year sheet (inspections and visits of the last year) is not read: a focused visit or
monitoring visit gives no judgement.

Rules (Ofsted's, checked here; a row that breaks one is an error naming the file, sheet,
row and column):

* dates are dd/mm/yyyy (text) or date cells, and a publication never precedes its
  inspection;
* judgements are one of Outstanding, Good, Requires improvement to be good, Inadequate;
* the overall effectiveness judgement is given for every inspection before
  :data:`NO_OVERALL_FROM` (1 April 2026): Ofsted gives none from then on, so a later
  inspection may have sub-judgements only (``overall_effectiveness`` missing);
* the care leavers sub-judgement began on 1 January 2023 (:data:`CARE_LEAVERS_FROM`): it is
  blank before then; before 2023 children in care and care leavers had one sub-judgement,
  read as ``children_in_care``;
* one row per council and inspection date.

Examples:
    >>> from perf import config
    >>> latest = read(config.RAW_DIR / "dfe" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods")
    >>> dudley = latest.set_index("area_code").loc["E08000027"]
    >>> dudley["overall_effectiveness"], str(dudley["inspection_date"].date())
    ('Requires improvement to be good', '2022-10-31')
"""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import BadValueError, DuplicateKeyError, FileFormatError, MissingColumnError
from perf.schema import INSPECTION_COLUMNS, JUDGEMENT_COLUMNS, JUDGEMENTS

__all__ = [
    "CARE_LEAVERS_FROM",
    "HEADERS",
    "NO_OVERALL_FROM",
    "is_inspection_outcomes",
    "read",
]

log = get_logger()

#: Ofsted gives no overall effectiveness judgement for inspections from this day (issue 24):
#: from then a row may carry the sub-judgements only.
NO_OVERALL_FROM = pd.Timestamp("2026-04-01")
#: The care leavers sub-judgement was introduced for inspections from this day.
CARE_LEAVERS_FROM = pd.Timestamp("2023-01-01")

#: Column of the frame -> the headings Ofsted has given it (compared lower case, spaces
#: collapsed).
HEADERS: dict[str, tuple[str, ...]] = {
    "area_code": ("Local authority area code", "LA code", "Area code"),
    "area_name": ("Local authority name", "Local authority", "LA name"),
    "ofsted_region": ("Ofsted region", "Region"),
    "inspection_type": ("Inspection type", "Inspection/Visit type"),
    "inspection_date": ("Inspection date", "Inspection start date", "Inspection/Visit date"),
    "publication_date": ("Publication date", "Report publication date"),
    "overall_effectiveness": ("Overall effectiveness",),
    "impact_of_leaders": (
        "The impact of leaders on social work practice with children and families",
    ),
    "help_and_protection": (
        "The experiences and progress of children who need help and protection",
    ),
    "children_in_care": (
        "The experiences and progress of children in care",
        # before 1 January 2023 one sub-judgement covered both
        "The experiences and progress of children in care and care leavers",
    ),
    "care_leavers": ("The experiences and progress of care leavers",),
    "la_status": ("Local authority status",),
}
_REQUIRED = [
    "area_code",
    "area_name",
    "inspection_date",
    "publication_date",
    "overall_effectiveness",
    "impact_of_leaders",
    "help_and_protection",
    "children_in_care",
    "care_leavers",
]
_SOURCE = "{file} (Ofsted, children's services inspection outcomes, official statistics)"
#: Text only this file type has in its content (read from the zip, no cell parsed).
_SIGNS = ("Local authority area code", "Overall effectiveness", "The impact of leaders")


def is_inspection_outcomes(path: str | Path) -> bool:
    """True for an OpenDocument spreadsheet whose tables carry Ofsted's judgement headings
    (read from the zip's content.xml as text: no cell is parsed).

    >>> from perf import config
    >>> is_inspection_outcomes(config.RAW_DIR / "dfe" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods")
    True
    """
    try:
        with zipfile.ZipFile(path) as z:
            content = z.read("content.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return all(sign in content for sign in _SIGNS)


def _heading(text: object) -> str:
    return " ".join(str(text).split()).lower()


_BY_HEADING = {_heading(h): column for column, hs in HEADERS.items() for h in hs}


def _header_row(sheet: pd.DataFrame) -> int | None:
    """The position of a sheet's header row (the one naming the area code), or None."""
    wanted = {_heading(h) for h in HEADERS["area_code"]}
    for position in range(min(len(sheet), 15)):
        if any(_heading(c) in wanted for c in sheet.iloc[position] if isinstance(c, str)):
            return position
    return None


def _table(sheet: pd.DataFrame) -> tuple[int, dict[str, int]] | None:
    """(header position, frame column -> sheet column position) of a sheet's table."""
    at = _header_row(sheet)
    if at is None:
        return None
    found: dict[str, int] = {}
    for position, heading in enumerate(sheet.iloc[at]):
        column = _BY_HEADING.get(_heading(heading)) if isinstance(heading, str) else None
        if column is not None and column not in found:
            found[column] = position
    return at, found


def _is_history(columns: dict[str, int]) -> bool:
    return "la_status" in columns


def _is_latest(columns: dict[str, int]) -> bool:
    # The in-year sheet has a type column too (inspections and visits): the latest has none.
    # Its other columns are not asked for here, so a renamed one is named by _frame.
    return "inspection_type" not in columns and "la_status" not in columns


def _read_sheets(path: Path) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(path, engine="odf", sheet_name=None, header=None, dtype=object)
    except (ValueError, OSError, zipfile.BadZipFile, KeyError) as exc:
        raise FileFormatError(
            f"the file could not be read as an OpenDocument spreadsheet ({exc})",
            file=path.name,
            hint="Download Ofsted's file again; it may be truncated.",
        ) from None


def _dates(
    cells: pd.Series, *, where: str, column: str, rows: np.ndarray, required: bool
) -> pd.Series:
    """Date cells or dd/mm/yyyy text -> Timestamps; anything else names its row."""
    out = []
    for cell, row in zip(cells, rows):
        if isinstance(cell, (datetime, pd.Timestamp)):
            out.append(pd.Timestamp(cell).normalize())
            continue
        text = "" if cell is None or (isinstance(cell, float) and np.isnan(cell)) else str(cell)
        text = text.strip()
        if not text:
            if required:
                raise BadValueError(
                    f"{column} is blank",
                    file=where,
                    row=int(row),
                    column=column,
                    hint="Every inspection has its date: copy it from Ofsted's report.",
                )
            out.append(pd.NaT)
            continue
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        try:
            if match is None:
                raise ValueError(text)
            day, month, year = (int(g) for g in match.groups())
            out.append(pd.Timestamp(year=year, month=month, day=day))
        except ValueError:
            raise BadValueError(
                "not a date written dd/mm/yyyy",
                file=where,
                row=int(row),
                column=column,
                value=text,
                hint="Write the date as Ofsted does, e.g. 31/10/2022.",
            ) from None
    return pd.Series(pd.DatetimeIndex(out, dtype="datetime64[ns]"), index=cells.index)


def _text(cells: pd.Series) -> pd.Series:
    text = cells.map(lambda c: " ".join(str(c).split()) if isinstance(c, str) else c)
    return text.where(text.map(lambda c: isinstance(c, str) and c != ""), None).astype(object)


def _frame(path: Path, sheet_name: str, sheet: pd.DataFrame, history: bool) -> pd.DataFrame:
    where = f"{path.name}, sheet {sheet_name!r}"
    table = _table(sheet)
    if table is None:  # read() passes only sheets whose table it found
        raise MissingColumnError(
            "no table with a local authority area code heading", file=where, row=1
        )
    at, columns = table
    for column in _REQUIRED + (["inspection_type"] if history else []):
        if column not in columns:
            raise MissingColumnError(
                "a column of Ofsted's judgements table is missing",
                file=where,
                row=at + 1,
                column=HEADERS[column][0],
                hint="Headings read: " + "; ".join(HEADERS[column]) + ". Rename the heading, "
                "or add Ofsted's new one to perf.loaders.inspections.HEADERS.",
            )
    body = sheet.iloc[at + 1 :]
    rows = np.arange(at + 2, at + 2 + len(body))  # the rows a spreadsheet shows
    code = _text(body.iloc[:, columns["area_code"]])
    filled = body.notna().any(axis=1).to_numpy()
    blank_code = code.isna().to_numpy() & filled
    if blank_code.any():
        pos = int(np.flatnonzero(blank_code)[0])
        raise BadValueError(
            "no local authority area code",
            file=where,
            row=int(rows[pos]),
            column=HEADERS["area_code"][0],
            hint="Every row is one council's inspection: give its ONS code (e.g. E08000027).",
        )
    keep = code.notna().to_numpy()
    body, rows = body[keep], rows[keep]
    frame = pd.DataFrame(index=body.index)
    for column in INSPECTION_COLUMNS:
        if column in ("inspection_date", "publication_date"):
            frame[column] = _dates(
                body.iloc[:, columns[column]],
                where=where,
                column=HEADERS[column][0],
                rows=rows,
                required=True,
            )
        elif column == "source":
            frame[column] = _SOURCE.format(file=path.name)
        elif column in columns:
            frame[column] = _text(body.iloc[:, columns[column]])
        else:
            frame[column] = None
    _check(frame, where, rows)
    frame["row"] = rows
    return frame.reset_index(drop=True)


def _fail(
    frame: pd.DataFrame,
    bad: np.ndarray,
    where: str,
    rows: np.ndarray,
    column: str,
    message: str,
    hint: str,
) -> None:
    pos = int(np.flatnonzero(bad)[0])
    raise BadValueError(
        message,
        file=where,
        row=int(rows[pos]),
        column=HEADERS[column][0],
        value=frame[column].iloc[pos],
        hint=hint,
    )


def _check(frame: pd.DataFrame, where: str, rows: np.ndarray) -> None:
    """Ofsted's rules (the module's docstring), each failure naming its row and column."""
    codes = frame["area_code"].astype(str)
    bad = ~codes.str.fullmatch(r"E(06|08|09|10)\d{6}").to_numpy()
    if bad.any():
        _fail(
            frame,
            bad,
            where,
            rows,
            "area_code",
            "not a council's ONS code",
            "Use the council's ONS code (E06, E08, E09 or E10 and six digits).",
        )
    for column in JUDGEMENT_COLUMNS:
        values = frame[column]
        bad = (values.notna() & ~values.isin(JUDGEMENTS)).to_numpy()
        if bad.any():
            _fail(
                frame,
                bad,
                where,
                rows,
                column,
                "not one of Ofsted's judgements",
                "Use one of: " + "; ".join(JUDGEMENTS) + ".",
            )
    early = (frame["inspection_date"] < NO_OVERALL_FROM).to_numpy()
    bad = early & frame["overall_effectiveness"].isna().to_numpy()
    if bad.any():
        _fail(
            frame,
            bad,
            where,
            rows,
            "overall_effectiveness",
            "no overall effectiveness judgement for an inspection before 1 April 2026",
            "Ofsted judged overall effectiveness until April 2026: copy it from the report.",
        )
    subs = [c for c in JUDGEMENT_COLUMNS if c not in ("overall_effectiveness", "care_leavers")]
    bad = frame[subs].isna().any(axis=1).to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        column = next(c for c in subs if pd.isna(frame[c].iloc[pos]))
        _fail(
            frame,
            bad,
            where,
            rows,
            column,
            "a sub-judgement is blank",
            "Every ILACS inspection judges the three experiences and the leaders' impact: "
            "copy the judgement from the report.",
        )
    bad = (
        (frame["inspection_date"] < CARE_LEAVERS_FROM) & frame["care_leavers"].notna()
    ).to_numpy()
    if bad.any():
        _fail(
            frame,
            bad,
            where,
            rows,
            "care_leavers",
            "a care leavers judgement for an inspection before 1 January 2023",
            "Ofsted judged care leavers apart only from 2023: check the inspection date.",
        )
    bad = (frame["publication_date"] < frame["inspection_date"]).to_numpy()
    if bad.any():
        _fail(
            frame,
            bad,
            where,
            rows,
            "publication_date",
            "published before the inspection date",
            "Check the two dates (dd/mm/yyyy: day first).",
        )
    dup = frame.duplicated(["area_code", "inspection_date"], keep=False).to_numpy()
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        same = (
            (frame["area_code"] == frame["area_code"].iloc[first])
            & (frame["inspection_date"] == frame["inspection_date"].iloc[first])
        ).to_numpy()
        at = [int(r) for r in rows[same][:2]]
        raise DuplicateKeyError(
            f"two rows give {frame['area_code'].iloc[first]}'s inspection of "
            f"{frame['inspection_date'].iloc[first]:%d/%m/%Y} (rows {at[0]} and {at[1]})",
            file=where,
            row=at[1],
            column=HEADERS["area_code"][0],
            hint="Keep one row per council and inspection.",
        )


def read(path: str | Path, *, history: bool = False) -> pd.DataFrame:
    """The latest ILACS judgement of every council in Ofsted's file (``history=True``: every
    inspection since 2018), validated against :class:`perf.schema.Inspections`; one row per
    council and inspection, in the file's order."""
    # lazy: pandera loads with the models (as the observation readers' validation)
    from perf.schema import Inspections

    path = Path(path)
    sheets = _read_sheets(path)
    latest = past = None
    for name, sheet in sheets.items():
        table = _table(sheet)
        if table is None:
            continue
        if _is_history(table[1]) and past is None:
            past = (name, sheet)
        elif _is_latest(table[1]) and latest is None:
            latest = (name, sheet)
    wanted = past if history else latest
    if wanted is None:
        kind = (
            "every inspection (Inspection type, Local authority status)"
            if history
            else ("the latest judgements (Overall effectiveness, no inspection type)")
        )
        raise MissingColumnError(
            f"no sheet with Ofsted's table of {kind}",
            file=path.name,
            column="Local authority area code",
            hint=f"Sheets found: {', '.join(sheets)}. Use Ofsted's published file unedited.",
        )
    frame = _frame(path, *wanted, history=history)
    if not history and past is not None:
        frame = _with_types(frame, _frame(path, *past, history=True))
    return Inspections.validate(frame.drop(columns="row")[INSPECTION_COLUMNS])


def _with_types(latest: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The latest judgements with each inspection's type from the history sheet."""
    types = history.set_index(["area_code", "inspection_date"])["inspection_type"]
    keys = pd.MultiIndex.from_frame(latest[["area_code", "inspection_date"]])
    return latest.assign(inspection_type=types.reindex(keys).to_numpy())
