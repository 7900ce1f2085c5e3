"""What the readers of the council's statutory returns share: dates, codes, where a record
sits, which council and which collection years a return covers, and the errors.

**Privacy.** The returns are child-level personal data. Every error and log line here
names the file, the row (a CSV row as a spreadsheet numbers it, header = row 1; an XML
file's line) and the column or element, and never a child's identifier or a date: a bad
date is described ("written month first"), not quoted. Only a code from a fixed list (a
legal status, a placement type) is quoted back, and only when it looks like one.

**Which council.** A return's council is read from the return itself when it says (the
CSV sample layout's ``LA`` column, the CIN census header's ``LEA`` number), else from its
file or folder name ("dudley_ssda903_2026", "E08000027"). "Another council" means a
return whose own council differs from the council its file or folder is named after (a
Leeds return in a folder named for Dudley): data/local holds many councils' files, so a
folder or file name is what says whose a return is meant to be.

**Which years.** A return covers collection years (1 April to 31 March, named by the
year they end in, as DfE names the SSDA903 and CIN collections: the 2026 return covers
1 April 2025 to 31 March 2026). An in-year extract covers its year up to its extract date,
written in its file or folder name as yyyy-mm-dd.

Examples:
    >>> covered_by_name(["ssda903_2025-26_to_2025-09-30"])
    (2026, datetime.date(2025, 9, 30))
    >>> covered_by_name(["SSDA903_2020_episodes.csv"])
    (2020, None)
    >>> str(area_in_names(["example_dudley_returns"])["area_code"])
    'E08000027'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from perf.areas import areas, find_area
from perf.config import get_logger
from perf.errors import BadValueError, DataError, DuplicateKeyError, PerfError

__all__ = [
    "AnotherCouncilError",
    "DisagreeingReturnsError",
    "MARKER",
    "CIN_SOURCE",
    "SSDA903_SOURCE",
    "SYNTHETIC_SOURCE",
    "is_computed",
    "Span",
    "area_in_names",
    "check_codes",
    "collection_year",
    "covered_by_name",
    "is_synthetic",
    "located",
    "parse_dates",
]

log = get_logger()

#: A file of this name beside a return (in its folder or the folder above) marks it as a
#: synthetic worked example: every figure computed from it is flagged ``ex``.
MARKER = "SYNTHETIC.md"
#: What the source of every figure computed from a synthetic worked example says (the
#: briefing's cover looks for it).
SYNTHETIC_SOURCE = "SYNTHETIC worked example"
#: What the source of every figure computed from a council's returns says, by return.
SSDA903_SOURCE = "computed from the council's SSDA903 return"
CIN_SOURCE = "computed from the council's CIN census"


def is_computed(sources: pd.Series) -> np.ndarray:
    """Which observations were computed from a council's statutory returns (by source).

    >>> is_computed(pd.Series(["r (computed from the council's CIN census)", "cla.csv"]))
    array([ True, False])
    """
    text = sources.astype(str)
    return (
        text.str.contains(SSDA903_SOURCE, regex=False) | text.str.contains(CIN_SOURCE, regex=False)
    ).to_numpy(dtype=bool)


class AnotherCouncilError(DataError):
    """A return belongs to a council other than the one its file or folder is named for."""


class DisagreeingReturnsError(DuplicateKeyError):
    """Two returns for the same council and year do not hold the same records."""


@dataclass(frozen=True)
class Span:
    """The days a return covers for one council: ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def holds(self, start: date, end: date) -> bool:
        return self.start <= start and end <= self.end


def collection_year(day: date) -> int:
    """The collection year holding ``day``, named by the year it ends in.

    >>> collection_year(date(2025, 9, 30)), collection_year(date(2026, 3, 31))
    (2026, 2026)
    """
    return day.year + 1 if day.month >= 4 else day.year


def year_span(year: int, extract: date | None = None) -> Span:
    """Collection year ``year`` (ending 31 March ``year``), cut at ``extract`` when given.

    >>> year_span(2026, date(2025, 9, 30))
    Span(start=datetime.date(2025, 4, 1), end=datetime.date(2025, 9, 30))
    """
    end = date(year, 3, 31)
    return Span(date(year - 1, 4, 1), min(end, extract) if extract else end)


def merge_spans(spans) -> list[Span]:
    """Spans joined where they touch or overlap, in order.

    >>> merge_spans([year_span(2019), year_span(2018), year_span(2021)])  # doctest: +ELLIPSIS
    [Span(start=datetime.date(2017, 4, 1), end=datetime.date(2019, 3, 31)), Span(...2020, 4, 1)...]
    """
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and span.start <= out[-1].end + timedelta(days=1):
            out[-1] = Span(out[-1].start, max(out[-1].end, span.end))
        else:
            out.append(span)
    return out


# -- names -------------------------------------------------------------------------------

_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_FINANCIAL_YEAR = re.compile(r"(?<!\d)(\d{4})[-_](\d{2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def covered_by_name(names) -> tuple[int | None, date | None]:
    """(collection year, extract date) from ``names`` (file, then folder names): the first
    name with an ISO date gives the extract date, the first with a year the collection
    year: ``2025-26`` is the year ending March 2026, a bare year the year ending in March
    of it (DfE's naming: SSDA903 2020 is 1 April 2019 to 31 March 2020); with no year
    named, the extract date's collection year.

    >>> covered_by_name(["episodes.csv", "dudley_2019-20"])
    (2020, None)
    >>> covered_by_name(["episodes_2026.csv", "dudley_2025-26_to_2025-09-30"])
    (2026, datetime.date(2025, 9, 30))
    >>> covered_by_name(["cin_census.xml"])
    (None, None)
    """
    year = extract = None
    for name in names:
        text = str(name)
        found = _ISO_DAY.search(text)
        if found:
            try:
                day = date(*map(int, found.groups()))
            except ValueError:
                day = None
            extract = extract or day
            text = text[: found.start()] + " " + text[found.end() :]
        if year is None:
            for match in _FINANCIAL_YEAR.finditer(text):
                first, second = int(match[1]), int(match[2])
                if second == (first + 1) % 100:
                    year = first + 1
                    break
        if year is None:
            bare = _YEAR.search(text)
            year = int(bare[1]) if bare else None
    if year is None and extract is not None:
        year = collection_year(extract)
    return year, extract


_TOKENS = re.compile(r"[A-Za-z]+|E\d{8}", re.I)
#: Words in return file names that are never (part of) a council's name.
_NOT_PLACES = frozenset(
    {
        "ssda",
        "cin",
        "census",
        "return",
        "returns",
        "episodes",
        "header",
        "extract",
        "example",
        "sample",
        "to",
        "the",
        "of",
        "csv",
        "xml",
        "la",
        "and",
    }
)


_CODE = re.compile(r"E\d{8}", re.I)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Every word of every area's name, lower case (a name is looked up only when each of
    its words is one of these: a failed look-up suggests close names, which is slow)."""
    words = areas()["area_name"].str.lower().str.findall(r"[a-z]+")
    return frozenset(w for found in words for w in found)


def area_in_names(names) -> pd.Series | None:
    """The council named in the first of ``names`` that names one (an ONS code, or a
    council's name written with ``_``, ``-`` or spaces between its words), as
    :func:`perf.areas.find_area` returns it; None when none does.

    >>> area_in_names(["SSDA903_2020_episodes.csv", "leeds"])["area_name"]
    'Leeds'
    >>> area_in_names(["episodes.csv", "ssda903_sample"]) is None
    True
    """
    vocabulary = _place_words()
    for name in names:
        tokens = [t for t in _TOKENS.findall(Path(str(name)).stem)]
        for size in range(min(4, len(tokens)), 0, -1):
            for at in range(len(tokens) - size + 1):
                words = tokens[at : at + size]
                if size == 1 and words[0].lower() in _NOT_PLACES:
                    continue
                if not all(w.lower() in vocabulary or _CODE.fullmatch(w) for w in words):
                    continue
                try:
                    return find_area(" ".join(words))
                except PerfError:
                    continue
    return None


def is_synthetic(path: Path) -> bool:
    """Whether a return is a synthetic worked example: a :data:`MARKER` file sits in its
    folder (a file's folder, or the folder of tables itself) or the folder above."""
    folder = path if path.is_dir() else path.parent
    return (folder / MARKER).is_file() or (folder.parent / MARKER).is_file()


# -- where a record is -------------------------------------------------------------------


def located(
    cls: type[PerfError],
    message: str,
    *,
    file: str,
    row: int | None = None,
    column: str | None = None,
    xml: bool = False,
    code: object = None,
    hint: str | None = None,
) -> PerfError:
    """An error naming file, row (an XML file's line) and column (an XML element's path);
    ``code`` is quoted only when it looks like a code (up to 4 capitals and digits), so a
    child's identifier or a date typed into a code column is never repeated."""
    value = code if isinstance(code, str) and re.fullmatch(r"[A-Z0-9]{1,4}", code) else None
    if xml:
        where = ", ".join(
            p
            for p in (f"line {row}" if row else None, f"element {column}" if column else None)
            if p
        )
        return cls(f"{where}: {message}" if where else message, file=file, value=value, hint=hint)
    return cls(message, file=file, row=row, column=column, value=value, hint=hint)


# -- dates -------------------------------------------------------------------------------

_DAY_FIRST = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+00:00(?::00)?)?\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?\s*$")


def _parse_distinct(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(dates, problem) for distinct cells: problem 0 none, 1 not a date, 2 month first."""
    text = texts.astype(str)
    blank = text.str.strip().eq("").to_numpy()
    dmy = text.str.extract(_DAY_FIRST)
    iso = text.str.extract(_ISO)
    is_dmy = dmy[0].notna().to_numpy()
    is_iso = iso[0].notna().to_numpy()
    day = np.where(is_dmy, dmy[0], iso[2])
    month = np.where(is_dmy, dmy[1], iso[1])
    year = np.where(is_dmy, dmy[2], iso[0])
    parts = pd.DataFrame(
        {
            "year": pd.to_numeric(pd.Series(year), errors="coerce"),
            "month": pd.to_numeric(pd.Series(month), errors="coerce"),
            "day": pd.to_numeric(pd.Series(day), errors="coerce"),
        }
    )
    valid = parts.notna().all(axis=1).to_numpy()
    dates = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[D]")
    if valid.any():
        dates[valid] = (
            pd.to_datetime(parts[valid], errors="coerce").to_numpy().astype("datetime64[D]")
        )
    problem = np.where(blank, 0, np.where(~(is_dmy | is_iso) | np.isnat(dates), 1, 0))
    swapped = (
        (~blank)
        & np.isnat(dates)
        & (parts["month"] > 12).to_numpy()
        & (parts["day"].between(1, 12).to_numpy())
    )
    problem = np.where(swapped, 2, problem).astype(np.int8)
    return dates, problem


def parse_dates(
    cells: pd.Series, *, file: str, column: str, rows: np.ndarray, xml: bool = False
) -> np.ndarray:
    """Day-first dates (``dd/mm/yyyy``, DfE's form; ISO ``yyyy-mm-dd`` is read too) as
    ``datetime64[ns]``, blank cells NaT. Each distinct cell is parsed once. The first row
    (in file order) holding a cell that is not a date, or a date written month first
    (``12/31/2019``, ``2019-31-12``), raises :class:`BadValueError` naming file, row and
    column, without the date.

    >>> parse_dates(pd.Series(["05/04/2019", "", "2019-04-06"]), file="e.csv",
    ...             column="DECOM", rows=np.array([2, 3, 4])).astype(str).tolist()
    ['2019-04-05T00:00:00.000000000', 'NaT', '2019-04-06T00:00:00.000000000']
    >>> parse_dates(pd.Series(["04/30/2019"]), file="e.csv", column="DECOM",
    ...             rows=np.array([7]))
    Traceback (most recent call last):
    ...
    perf.errors.BadValueError: e.csv, row 7, column 'DECOM': the date is written the wrong way round (month before day). ...
    """
    codes, uniques = pd.factorize(cells.astype(str), use_na_sentinel=True)
    dates, problem = _parse_distinct(pd.Series(uniques, dtype=object))
    bad = problem[codes] if len(codes) else np.zeros(0, dtype=np.int8)
    if (bad > 0).any():
        at = int(np.argmax(bad > 0))
        kind = int(bad[at])
        message = (
            "the date is written the wrong way round (month before day)"
            if kind == 2
            else "this is not a date"
        )
        raise located(
            BadValueError,
            message,
            file=file,
            row=int(rows[at]),
            column=column,
            xml=xml,
            hint="Write dates day first, as dd/mm/yyyy (e.g. 31/03/2025), as DfE's "
            "specification asks.",
        )
    out = dates[codes] if len(codes) else np.zeros(0, dtype="datetime64[D]")
    if len(codes):
        out[codes < 0] = np.datetime64("NaT")
    return out.astype("datetime64[ns]")


def check_codes(
    cells: pd.Series,
    allowed,
    *,
    file: str,
    column: str,
    rows: np.ndarray,
    what: str,
    blank: bool = False,
    xml: bool = False,
) -> pd.Series:
    """``cells`` stripped (upper case), after checking each is one of ``allowed`` (or blank,
    when ``blank``); the first row holding anything else raises :class:`BadValueError`."""
    text = cells.astype(str).str.strip().str.upper()
    ok = text.isin(allowed) | (text.eq("") if blank else False)
    if not ok.all():
        at = int(np.argmax(~ok.to_numpy()))
        raise located(
            BadValueError,
            f"not a known {what} code",
            file=file,
            row=int(rows[at]),
            column=column,
            xml=xml,
            code=text.iloc[at],
            hint=f"Use one of: {', '.join(sorted(allowed))}.",
        )
    return text


def warn(message: str, *, file: str, row: int | None = None, xml: bool = False) -> str:
    """Log a warning about a return (file and row only) and give its text back."""
    where = f"{file}, {'line' if xml else 'row'} {row}" if row else file
    text = f"{where}: {message}"
    log.warning("%s", text)
    return text
