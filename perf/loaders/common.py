"""Shared reading helpers: text with encoding detection, numbers with suppression symbols,
and errors that name file, row and column.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is 2.

Examples:
    >>> import pandas as pd
    >>> values, flags = parse_numbers(pd.Series(["4.0599999999999996", "c", "1E-2", "", "-"]),
    ...                               file="x.csv", column="value")
    >>> values.tolist()[0], values.tolist()[2]
    (4.06, 0.01)
    >>> flags.tolist()
    [nan, 'c', nan, nan, 'x']
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import (
    BadValueError,
    EmptyFileError,
    EncodingProblem,
    MissingColumnError,
    PeriodError,
)
from perf.periods import parse_period

log = get_logger()

#: Symbols that stand in for a number (GSS style and common variants) -> the flag kept.
#: LAIT's "-" means "no figure" and becomes ``x`` (not available).
SYMBOLS: dict[str, str] = {
    "c": "c", "x": "x", "z": "z", "k": "k", "u": "u", "low": "low", ":": ":", "..": "..",
    "-": "x", "[c]": "c", "[x]": "x", "[z]": "z", "[k]": "k", "[u]": "u", "[low]": "low",
    "n/a": "x", "na": "x", "*": "c", "~": "k",
}
#: Flags a source may write in a flag column (lower case).
FLAG_VALUES = frozenset(["c", "x", "z", "k", "u", "low", "p", "r", "e", "ot", "ex", ":", ".."])

HEADER_ROW = 1


def decode(data: bytes, file: str | Path) -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), else cp1252, else latin-1.

    Raises :class:`EncodingProblem` for UTF-16/32 or binary content (NUL bytes), which no
    analyst's CSV should contain, and :class:`EmptyFileError` for an empty file.

    >>> decode("Área".encode("cp1252"), "a.csv")
    'Área'
    >>> decode(b"\\xef\\xbb\\xbfa,b", "a.csv")
    'a,b'
    """
    if not data.strip():
        raise EmptyFileError("the file is empty", file=file, row=1, column="(all)",
                             hint="Export the data again; the file has no header and no rows.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise EncodingProblem(
            "the file is UTF-16 or binary, not a text CSV", file=file, row=1, column="(all)",
            hint="Save it as 'CSV UTF-8 (comma delimited)' from Excel, or as a plain CSV.",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if not text.strip():
        raise EmptyFileError("the file holds only blank space", file=file, row=1, column="(all)",
                             hint="Export the data again; the file has no header and no rows.")
    return _unify_newlines(text)


def _unify_newlines(text: str) -> str:
    r"""Windows (CRLF) and classic-Mac/Excel "CSV (Macintosh)" (bare CR) line endings -> LF.

    >>> _unify_newlines("a,b\r1,2\r\n3,4\r")
    'a,b\n1,2\n3,4\n'
    """
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | Path) -> str:
    """Read a text file whatever its encoding (see :func:`decode`)."""
    path = Path(path)
    return decode(path.read_bytes(), path.name)


def read_csv_strings(path: str | Path, *, text: str | None = None) -> pd.DataFrame:
    """Every cell as a string ('' for blank), header as given, nothing guessed.

    Raises :class:`EmptyFileError` when there is a header but no data rows.
    """
    path = Path(path)
    if text is None:
        text = read_text(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                            skipinitialspace=False)
    except pd.errors.ParserError as exc:
        detail = " ".join(str(exc).split())
        raise BadValueError(f"the CSV could not be parsed ({detail})", file=path.name,
                            row=_parser_error_row(detail), column="(all)",
                            hint="Check that row for unquoted commas or a stray quote mark.") from None
    except pd.errors.EmptyDataError:
        raise EmptyFileError("the file is empty", file=path.name, row=1, column="(all)",
                             hint="Export the data again with its header row.") from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first column as the index when data rows have one more cell
        # than the header: refuse rather than shift every column by one.
        raise BadValueError("a row has more cells than the header", file=path.name, row=2,
                            column="(all)", hint="Remove the extra cells, or add the missing "
                            "column name to the header.")
    frame.columns = [str(c).strip() for c in frame.columns]
    seen: set[str] = set()
    for name in frame.columns:
        if name in seen:
            raise BadValueError(f"two columns are both called {name!r}" if name else
                                "two columns have no name", file=path.name, row=1,
                                column=name or "(blank)",
                                hint="Give every column its own name in the header row.")
        seen.add(name)
    # Excel leaves empty columns at the right of an export: drop those with no name and
    # no data (a named or non-empty extra column is still the reader's to refuse).
    blank = [c for c in frame.columns if (c == "" or c.startswith("Unnamed:"))
             and not frame[c].fillna("").str.strip().astype(bool).any()]
    if blank:
        frame = frame.drop(columns=blank)
    if frame.empty:
        raise EmptyFileError("the file has a header but no data rows", file=path.name, row=2,
                             column=str(frame.columns[0]) if len(frame.columns) else "(all)",
                             hint="Add at least one row of figures, or remove the file.")
    return frame


def _parser_error_row(detail: str) -> int | None:
    """The spreadsheet row a pandas tokenizer error points at, if it says."""
    m = re.search(r"in line (\d+)", detail)
    if m:
        return int(m.group(1))
    m = re.search(r"starting at row (\d+)", detail)
    return int(m.group(1)) + 1 if m else None


def require_columns(frame: pd.DataFrame, required: list[str], file: str | Path) -> None:
    """Raise :class:`MissingColumnError` naming the first absent column.

    A merged-header export (a title row, perhaps a blank row, above the real header) is
    not guessed at: the error says on which row the header seems to be, so the analyst
    can delete the rows above it. Scorecards are the exception: their reader looks for
    the ``PI`` row wherever it is.
    """
    for column in required:
        if column not in frame.columns:
            hint = f"The header must include: {', '.join(required)}."
            found = _header_row_below(frame, required)
            if found is not None:
                hint = (f"The header seems to be on row {found}, not row 1 (a title row above "
                        f"it?): delete the rows above the header and save again. " + hint)
            raise MissingColumnError(
                "required column is missing", file=Path(file).name, row=HEADER_ROW, column=column,
                hint=hint,
            )


def _header_row_below(frame: pd.DataFrame, required: list[str], look: int = 10) -> int | None:
    """Spreadsheet row (1-based) among the first data rows that holds every required name."""
    wanted = {c.strip().lower() for c in required}
    for pos in range(min(look, len(frame))):
        cells = {str(v).strip().lower() for v in frame.iloc[pos].tolist()}
        if wanted <= cells:
            return pos + 2
    return None


def parse_numbers(
    raw: pd.Series, *, file: str | Path, column: str, row_offset: int = 2
) -> tuple[pd.Series, pd.Series]:
    """Turn text cells into floats, vectorised; symbols become NaN with the symbol as flag.

    Blank cells are NaN with no flag. Thousands separators, a trailing '%', float
    artefacts ("4.0599999999999996") and scientific notation are handled. Anything
    else raises :class:`BadValueError` naming the first bad row (``row_offset`` is the
    spreadsheet row of the series' first position).
    """
    # Each distinct cell is parsed once (a LAIT extract has ~8,000 distinct values in
    # 44,000 rows), then spread back by position.
    cells = raw.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    u_values, u_flags, u_bad = _parse_cells(pd.Series(uniques, dtype=object))
    u_values = np.append(u_values, np.nan)  # code -1: a missing cell (ragged row) is blank
    u_flags = np.append(u_flags, np.nan)
    u_bad = np.append(u_bad, False)
    u_inf = np.isinf(u_values)
    for bad_u, message, hint in (
        (u_bad, "must be a number or a suppression symbol (c, x, z, k, u, low)",
         "Correct the cell; write a symbol such as 'c' for a suppressed figure, never 0."),
        (u_inf, "is not a finite number", "No published figure is infinite: correct the cell "
         "(a formula error or a number too large to be real?)."),
    ):
        if bad_u.any():
            position = int(np.argmax(bad_u[codes]))
            raise BadValueError(message, file=Path(file).name, row=position + row_offset,
                                column=column, value=str(cells[position]).strip(), hint=hint)
    values = pd.Series(u_values.take(codes), index=raw.index, dtype="float64")
    flags = pd.Series(u_flags.take(codes), index=raw.index, dtype=object)
    return values, flags


def _parse_cells(raw: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, flags, bad) for a series of distinct cells; see :func:`parse_numbers`."""
    # Fast path: most cells are plain numbers; string work only on the rest.
    values = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy().copy()
    flags = np.full(len(raw), np.nan, dtype=object)
    bad_all = np.zeros(len(raw), dtype=bool)
    rest = np.isnan(values)
    if rest.any():
        text = raw[rest].astype("string").fillna("").str.strip()
        lowered = text.str.lower()
        symbol = lowered.map(SYMBOLS)
        cleaned = text.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
        cleaned = cleaned.str.strip()
        numbers = pd.to_numeric(cleaned.where(symbol.isna() & (cleaned != "")), errors="coerce")
        bad = numbers.isna() & symbol.isna() & (text != "")
        values[rest] = numbers.astype("float64").to_numpy()
        flags[rest] = symbol.astype(object).where(symbol.notna(), np.nan).to_numpy()
        bad_all[rest] = bad.to_numpy(dtype=bool)
    return values, flags, bad_all


#: Periods must fit the tidy model's datetime64[ns] columns.
_MIN_DAY, _MAX_DAY = pd.Timestamp.min.date(), pd.Timestamp.max.date()


def period_frame(labels: pd.Series, kind: str | None = None, *, file: str | Path, column: str,
                 rows: pd.Series | None = None) -> pd.DataFrame:
    """Parse a column of period labels (each distinct label once) into the period columns
    of the tidy model plus ``qualifier``, indexed like ``labels``.

    A label that cannot be parsed raises :class:`PeriodError` naming the file, the first
    row holding it (``rows``: spreadsheet row of each position; default position + 2) and
    ``column``.

    >>> period_frame(pd.Series(["2016", "2017 (prov)", "2016"]), "snapshot", file="f.csv",
    ...              column="Years")[["period", "qualifier"]]
              period qualifier
    0  31 March 2016       NaN
    1  31 March 2017         p
    2  31 March 2016       NaN
    >>> period_frame(pd.Series(["2016", "20x5"]), file="f.csv", column="Years")
    Traceback (most recent call last):
    ...
    perf.errors.PeriodError: f.csv, row 3, column 'Years': not a recognised period label (found '20x5')...
    """
    text = labels.astype(object).where(labels.notna(), "").to_numpy(dtype=object)
    codes, uniques = pd.factorize(text)
    parsed = []
    for i, label in enumerate(uniques):
        try:
            period = parse_period(label, kind)
            if not (_MIN_DAY < period.start and period.end < _MAX_DAY):
                raise PeriodError("the period is outside the years perf can store (1678 to "
                                  "2261)", value=label, hint="Check the year in the label.")
        except PeriodError as exc:
            holding = codes == i
            row = (int(rows.to_numpy()[holding].min()) if rows is not None
                   else int(np.argmax(holding)) + 2)
            raise PeriodError(exc.message, file=Path(file).name, row=row, column=column,
                              value=exc.value if exc.value is not None else label,
                              hint=exc.hint or "Write the period as e.g. '2012-13 Q1', "
                              "'2015/16' or '31 March 2025'.") from None
        parsed.append(period)
    out = pd.DataFrame({
        "period": pd.array([p.label for p in parsed], dtype="str").take(codes),
        "period_kind": pd.array([p.kind for p in parsed], dtype="str").take(codes),
        "period_start": pd.DatetimeIndex([p.start for p in parsed], dtype="datetime64[ns]")
        .take(codes),
        "period_end": pd.DatetimeIndex([p.end for p in parsed], dtype="datetime64[ns]")
        .take(codes),
        "qualifier": np.array([p.qualifier for p in parsed], dtype=object).take(codes),
    }, index=labels.index)
    return out


_CODE_COLUMN = {"england": "country_code", "region": "region_code", "la": "new_la_code"}


def keyed_rows(places: pd.DataFrame, file: str | Path) -> pd.Series:
    """Which rows have an area code; the rest must be the file's own demonstration rows.

    DfE dashboard files carry template rows named 'Region demo' and 'LA demo' with no
    code: those are skipped and logged. Any other row without a code is an error, so a
    damaged row for a real council never disappears silently.

    Args:
        places: ``area_code``, ``area_name``, ``area_level`` per row (the file's index).
        file: the file name, for messages.

    Returns:
        A boolean mask of the rows to keep.

    Raises:
        BadValueError: a row without an area code that is not a demonstration row.

    Examples:
        >>> places = pd.DataFrame({"area_code": ["E08000027", "", ""],
        ...     "area_name": ["Dudley", "Region demo", "LA demo"],
        ...     "area_level": ["la", "region", "la"]})
        >>> keyed_rows(places, "f.csv").tolist()
        [True, False, False]
        >>> keyed_rows(places.assign(area_name=["Dudley", "Walsall", "LA demo"]), "f.csv")
        Traceback (most recent call last):
        ...
        perf.errors.BadValueError: f.csv, row 3, column 'region_code': no area code for 'Walsall'. Add the ONS code, or remove the row if it is not a real area.
    """
    keyed = places["area_code"].fillna("").astype(str).str.strip() != ""
    names = places["area_name"].fillna("").astype(str)
    demo = ~keyed & names.str.contains(r"\bdemo\b", case=False, regex=True)
    damaged = ~keyed & ~demo
    if damaged.any():
        pos = int(np.flatnonzero(damaged.to_numpy())[0])
        raise BadValueError(
            f"no area code for {names.iloc[pos]!r}", file=Path(file).name, row=pos + 2,
            column=_CODE_COLUMN.get(str(places["area_level"].iloc[pos]), "area code"),
            hint="Add the ONS code, or remove the row if it is not a real area.",
        )
    if demo.any():
        log.info("%s: %d demonstration row(s) without an area code skipped (%s)", Path(file).name,
                 int(demo.sum()), ", ".join(sorted(set(names[demo]))))
    return keyed
