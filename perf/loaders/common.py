"""Shared reading helpers: text with encoding detection, numbers with suppression symbols,
and errors that name file, row and column.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row is 2.

Numbers as councils type them: a file's decimal mark is ``.`` unless it is declared
(``decimal=","``) or the file is separated by semicolons (the CSV that European-locale
Excel writes), when it is ``,``. In a ``.`` file a comma is a thousands separator only in
groups of three ("1,234", "12,345.6"): "1,5" (a decimal comma?) and "12,34,5" are refused,
never read as 15 or 12345. In a ``,`` file "1,5" is 1.5 and "1.234,5" is 1234.5.

Examples:
    >>> import pandas as pd
    >>> values, flags = parse_numbers(pd.Series(["4.0599999999999996", "c", "1E-2", "", "-"]),
    ...                               file="x.csv", column="value")
    >>> values.tolist()[0], values.tolist()[2]
    (4.06, 0.01)
    >>> flags.tolist()
    [nan, 'c', nan, nan, 'x']
    >>> parse_numbers(pd.Series(["1,5", "1.234,5"]), file="x.csv", column="v", decimal=",")[0].tolist()
    [1.5, 1234.5]
    >>> parse_numbers(pd.Series(["2", "1,5"]), file="x.csv", column="v")
    Traceback (most recent call last):
    ...
    perf.errors.BadValueError: x.csv, row 3, column 'v': a comma that is not a thousands separator (a decimal comma?) (found '1,5')...
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from perf.config import get_logger
from perf.errors import (
    BadValueError,
    EmptyFileError,
    EncodingProblem,
    FileFormatError,
    MissingColumnError,
    PeriodError,
)
from perf.periods import Period, parse_period

log = get_logger()

#: Symbols that stand in for a number (GSS style and common variants) -> the flag kept.
#: LAIT's "-" means "no figure" and becomes ``x`` (not available).
SYMBOLS: dict[str, str] = {
    "c": "c",
    "x": "x",
    "z": "z",
    "k": "k",
    "u": "u",
    "low": "low",
    ":": ":",
    "..": "..",
    "-": "x",
    "[c]": "c",
    "[x]": "x",
    "[z]": "z",
    "[k]": "k",
    "[u]": "u",
    "[low]": "low",
    "n/a": "x",
    "na": "x",
    "*": "c",
    "~": "k",
}
#: Flags a source may write in a flag column (lower case).
FLAG_VALUES = frozenset(["c", "x", "z", "k", "u", "low", "p", "r", "e", "ot", "ex", ":", ".."])

HEADER_ROW = 1


#: Lower-cased header columns that make a file one of LAIT's (the parquet data set or a
#: CSV extract of it).
LAIT_HEADER = frozenset({"short desc", "la number", "values"})


def file_header(path: Path) -> list[str]:
    """The column names of a CSV's first non-blank row, or of a parquet file's schema,
    stripped; ``[]`` for an empty CSV. A file that cannot be read as its kind is a
    :class:`~perf.errors.FileFormatError` naming it."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        # Lazy: only a parquet file needs pyarrow's parquet reader (detecting a CSV does not).
        import pyarrow.parquet as pq

        try:
            return [str(c).strip() for c in pq.read_schema(path).names]
        except (pa.ArrowException, OSError) as exc:
            raise FileFormatError(
                f"the file could not be read as parquet ({exc})",
                file=path.name,
                row=1,
                column="(all)",
                hint="Download the file again; it may be truncated.",
            ) from None
    text = read_text(path)
    try:
        for line in csv.reader(
            io.StringIO(text[:20000], newline=""), delimiter=sniff_separator(text[:20000])
        ):
            if any(c.strip() for c in line):
                return [c.strip() for c in line]
    except csv.Error as exc:
        raise FileFormatError(
            f"the header row could not be read as CSV ({exc})",
            file=path.name,
            row=1,
            column="(all)",
            hint="Save the file again as a CSV.",
        ) from None
    return []


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
        raise EmptyFileError(
            "the file is empty",
            file=file,
            row=1,
            column="(all)",
            hint="Export the data again; the file has no header and no rows.",
        )
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4096]:
        raise EncodingProblem(
            "the file is UTF-16 or binary, not a text CSV",
            file=file,
            row=1,
            column="(all)",
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
        raise EmptyFileError(
            "the file holds only blank space",
            file=file,
            row=1,
            column="(all)",
            hint="Export the data again; the file has no header and no rows.",
        )
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
    separator = sniff_separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            sep=separator,
        )
    except pd.errors.ParserError as exc:
        detail = " ".join(str(exc).split())
        raise BadValueError(
            f"the CSV could not be parsed ({detail})",
            file=path.name,
            row=_parser_error_row(detail),
            column="(all)",
            hint="Check that row for unquoted commas or a stray quote mark.",
        ) from None
    except pd.errors.EmptyDataError:
        raise EmptyFileError(
            "the file is empty",
            file=path.name,
            row=1,
            column="(all)",
            hint="Export the data again with its header row.",
        ) from None
    if not isinstance(frame.index, pd.RangeIndex):
        # pandas takes the first column as the index when data rows have one more cell
        # than the header: refuse rather than shift every column by one.
        raise BadValueError(
            "a row has more cells than the header",
            file=path.name,
            row=2,
            column="(all)",
            hint="Remove the extra cells, or add the missing column name to the header.",
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    seen: set[str] = set()
    for name in frame.columns:
        if name in seen:
            raise BadValueError(
                f"two columns are both called {name!r}" if name else "two columns have no name",
                file=path.name,
                row=1,
                column=name or "(blank)",
                hint="Give every column its own name in the header row.",
            )
        seen.add(name)
    # Excel leaves empty columns at the right of an export: drop those with no name and
    # no data (a named or non-empty extra column is still the reader's to refuse).
    blank = [
        c
        for c in frame.columns
        if (c == "" or c.startswith("Unnamed:"))
        and not frame[c].fillna("").str.strip().astype(bool).any()
    ]
    if blank:
        frame = frame.drop(columns=blank)
    if frame.empty:
        raise EmptyFileError(
            "the file has a header but no data rows",
            file=path.name,
            row=2,
            column=str(frame.columns[0]) if len(frame.columns) else "(all)",
            hint="Add at least one row of figures, or remove the file.",
        )
    # The decimal mark that goes with the separator (read by the loaders' parse_numbers).
    frame.attrs["decimal"] = "," if separator == ";" else "."
    return frame


def sniff_separator(text: str) -> str:
    r"""``;`` when the header line has more semicolon- than comma-separated fields (the CSV
    European-locale Excel writes, with decimal commas), else ``,``.

    >>> sniff_separator("indicator;area_code;period;value\nx;E1;2016;1,5\n")
    ';'
    >>> sniff_separator("a,b\n1,2\n")
    ','
    """
    header = next((line for line in text.split("\n", 50)[:50] if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def file_decimal(frame: pd.DataFrame, declared: str | None = None) -> str:
    """The decimal mark for a frame read by :func:`read_csv_strings`: ``declared`` if given
    (``"."`` or ``","``), else the one that goes with the file's separator."""
    if declared is not None:
        if declared not in (".", ","):
            raise ValueError(f"decimal must be '.' or ',', not {declared!r}")
        return declared
    return frame.attrs.get("decimal", ".")


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
                hint = (
                    f"The header seems to be on row {found}, not row 1 (a title row above "
                    f"it?): delete the rows above the header and save again. " + hint
                )
            raise MissingColumnError(
                "required column is missing",
                file=Path(file).name,
                row=HEADER_ROW,
                column=column,
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
    raw: pd.Series,
    *,
    file: str | Path,
    column: str,
    row_offset: int = 2,
    rows: pd.Series | np.ndarray | None = None,
    decimal: str = ".",
) -> tuple[pd.Series, pd.Series]:
    """Turn text cells into floats, vectorised; symbols become NaN with the symbol as flag.

    Blank cells are NaN with no flag. Thousands separators (in groups of three), a
    trailing '%', float artefacts ("4.0599999999999996") and scientific notation are
    handled; ``decimal`` is the file's decimal mark (see the module docstring). Anything
    else raises :class:`BadValueError` naming the first bad row: ``rows`` gives the file
    row of each position, else positions count from ``row_offset`` (the row of the first).
    """
    # Each distinct cell is parsed once (a LAIT extract has ~8,000 distinct values in
    # 44,000 rows), then spread back by position.
    cells = raw.to_numpy(dtype=object)
    codes, uniques = pd.factorize(cells, use_na_sentinel=True)
    u_values, u_flags, _ = parse_unique_numbers(
        uniques,
        codes,
        file=file,
        column=column,
        decimal=decimal,
        rows=np.arange(len(cells)) + row_offset if rows is None else np.asarray(rows),
    )
    values = pd.Series(u_values.take(codes), index=raw.index, dtype="float64")
    flags = pd.Series(u_flags.take(codes), index=raw.index, dtype=object)
    return values, flags


def percent_marked(raw: pd.Series) -> pd.Series:
    """Which cells were written with a '%' sign (for :func:`check_percent_scale`)."""
    return raw.astype(object).where(raw.notna(), "").astype(str).str.contains("%", regex=False)


_PROBLEMS = {
    1: (
        "must be a number or a suppression symbol (c, x, z, k, u, low)",
        "Correct the cell; write a symbol such as 'c' for a suppressed figure, never 0.",
    ),
    2: (
        "is not a finite number",
        "No published figure is infinite: correct the cell "
        "(a formula error or a number too large to be real?).",
    ),
    3: (
        "a comma that is not a thousands separator (a decimal comma?)",
        "This file's decimal mark is '.': write 1.5, not 1,5. A file with decimal commas "
        "must be separated by ';' (as European-locale Excel saves it) or be read with "
        "decimal=','; thousands separators come in groups of three (12,345).",
    ),
    4: (
        "a '.' in a file whose decimal mark is ','",
        "In a file with decimal commas write 1,5 (not 1.5); a '.' may only separate "
        "thousands in groups of three (1.234,5).",
    ),
}


def parse_unique_numbers(
    uniques,
    codes: np.ndarray,
    *,
    file: str | Path,
    column: str,
    rows: np.ndarray | None = None,
    decimal: str = ".",
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Parse each distinct cell once: ``uniques`` are the distinct cells, ``codes`` the
    position of each file row's cell in them (-1: a missing cell, read as blank).

    Returns ``(values, flags, percent)`` indexed by code, with one extra entry at the end
    for code -1, so ``values.take(codes)`` spreads them back. Raises
    :class:`BadValueError` naming the first file row (``rows``: the row of each position;
    default position + 2) whose cell is not a number.
    """
    if isinstance(uniques, pa.Array) and decimal == ".":
        # Plain numbers are cast by pyarrow; only the other cells become Python strings.
        plain = pc.fill_null(pc.match_substring_regex(uniques, _PLAIN_NUMBER), False)
        fast = pc.cast(pc.utf8_trim_whitespace(uniques.filter(plain)), pa.float64())
        u_values = np.full(len(uniques), np.nan)
        is_plain = plain.to_numpy(zero_copy_only=False)
        u_values[is_plain] = fast.to_numpy(zero_copy_only=False)
        cells = np.full(len(uniques), None, dtype=object)
        cells[~is_plain] = uniques.filter(pc.invert(plain)).to_pylist()
        cells = pd.Series(cells, dtype=object)
    else:
        cells = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
        u_values = None
    u_values, u_flags, u_problem, u_percent = _parse_cells(cells, decimal, u_values)
    u_values = np.append(u_values, np.nan)  # code -1: a missing cell (ragged row) is blank
    u_flags = np.append(u_flags, np.nan)
    u_problem = np.append(u_problem, 0)
    u_problem[np.isinf(u_values)] = 2
    if u_problem.any():
        problem = u_problem[codes]
        position = int(np.argmax(problem > 0))
        message, hint = _PROBLEMS[int(problem[position])]
        row = int(rows[position]) if rows is not None else position + 2
        raise BadValueError(
            message,
            file=Path(file).name,
            row=row,
            column=column,
            value=str(cells.iloc[codes[position]]).strip(),
            hint=hint,
        )
    return u_values, u_flags, np.append(u_percent, False)


_GROUPED = {
    ".": re.compile(r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$"),
    ",": re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?$"),
}
#: A plain number (ASCII digits; what the fast paths read without looking further).
_PLAIN_NUMBER = r"^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$"
_NUMBER = re.compile(r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_MARKS_ONLY = re.compile(r"^[+-]?[0-9.,]+$")
_INFINITE = {
    "inf": 1.0,
    "+inf": 1.0,
    "-inf": -1.0,
    "infinity": 1.0,
    "+infinity": 1.0,
    "-infinity": -1.0,
}


def parse_number_text(text: str, decimal: str = ".") -> tuple[float, str | None, str | None, bool]:
    """One cell's text as the CSV readers read it: ``(value, flag, problem, percent)``:
    the number (NaN for a symbol, a blank or a problem), the symbol's flag, what is wrong
    (None when nothing is) and whether it was written with a '%'. A comma in a ``.``
    text separates thousands only in groups of three: "80,5" and "1.234,5" are problems,
    never 805 or 1.2345.

    >>> parse_number_text("1,234.5"), parse_number_text("56%")[::3]
    ((1234.5, None, None, False), (56.0, True))
    >>> parse_number_text("80,5")[2]
    'a comma that is not a thousands separator (a decimal comma?)'
    >>> parse_number_text("1.234,5")[2] == parse_number_text("80,5")[2]
    True
    """
    value, flag, problem, percent = _parse_text(text, decimal)
    return (
        float(value),
        flag if isinstance(flag, str) else None,
        _PROBLEMS[problem][0] if problem else None,
        bool(percent),
    )


def _parse_text(cell, decimal: str) -> tuple[float, str | float, int, bool]:
    """(value, flag, problem, percent) of one cell the fast path did not read."""
    text = cell.strip() if isinstance(cell, str) else ""
    if not text:
        return np.nan, np.nan, 0, False
    symbol = SYMBOLS.get(text.lower())
    if symbol is not None:
        return np.nan, symbol, 0, False
    percent = "%" in text
    cleaned = text.replace("%", "").strip()
    other = "," if decimal == "." else "."
    if other in cleaned:
        if _GROUPED[decimal].match(cleaned):
            cleaned = cleaned.replace(other, "")
        elif _MARKS_ONLY.match(cleaned):
            # The other mark where it cannot separate thousands ("1,5" in a '.' file).
            return np.nan, np.nan, 3 if decimal == "." else 4, percent
    if decimal == ",":
        cleaned = cleaned.replace(",", ".")
    if _NUMBER.match(cleaned):
        return float(cleaned), np.nan, 0, percent
    if cleaned.lower() in _INFINITE:
        return _INFINITE[cleaned.lower()] * np.inf, np.nan, 0, percent
    return np.nan, np.nan, 1, percent


def _parse_cells(
    raw: pd.Series, decimal: str = ".", fast: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(values, flags, problem, percent) for a series of distinct cells; problem is 0
    (fine) or a key of :data:`_PROBLEMS`, percent whether the cell had a '%'; see
    :func:`parse_numbers`. ``fast``: the plain numbers already read (NaN for the rest)."""
    if decimal not in (".", ","):
        raise ValueError(f"decimal must be '.' or ',', not {decimal!r}")
    if fast is not None:
        values = fast.copy()
    elif decimal == ".":
        # Fast path: most cells are plain numbers; one cell at a time only for the rest.
        values = pd.to_numeric(raw, errors="coerce").astype("float64").to_numpy().copy()
    else:
        values = np.full(len(raw), np.nan)
    flags = np.full(len(raw), np.nan, dtype=object)
    problem = np.zeros(len(raw), dtype=np.int8)
    percent = np.zeros(len(raw), dtype=bool)  # a '%' cell never passes the fast path
    cells = raw.to_numpy(dtype=object)
    for i in np.flatnonzero(np.isnan(values)):
        values[i], flags[i], problem[i], percent[i] = _parse_text(cells[i], decimal)
    return values, flags, problem, percent


def check_percent_scale(
    values: pd.Series,
    marked: pd.Series,
    groups: pd.Series,
    *,
    file: str | Path,
    column: str,
    rows: pd.Series,
) -> None:
    """Refuse a percentage indicator that mixes fractions with percentages.

    Within each group (one indicator of a file), a value written as a fraction (between 0
    and 1, no '%') among values written as percentages (with '%', or above 1) is an error
    when, read as a percentage, it would sit among the others (0.55 beside 56% or 56): it
    is then almost certainly 55% typed as a fraction. A genuinely small percentage (0.8
    beside 3.4 and 5.1: 80 is far outside them) is left alone.

    Raises:
        BadValueError: naming the file, the fraction rows and a percentage row, and column.

    >>> rows = pd.Series([2, 3, 4])
    >>> check_percent_scale(pd.Series([0.8, 3.4, 5.1]), pd.Series([False] * 3),
    ...                     pd.Series(["a"] * 3), file="f.csv", column="value", rows=rows)
    >>> check_percent_scale(pd.Series([56.0, 0.55, 60.0]), pd.Series([True, False, False]),
    ...                     pd.Series(["a"] * 3), file="f.csv", column="value", rows=rows)
    Traceback (most recent call last):
    ...
    perf.errors.BadValueError: f.csv, row 3, column 'value': a percentage indicator mixes fractions (row 3) with percentages (rows 2, 4)...
    """
    frame = pd.DataFrame(
        {
            "v": values.to_numpy(),
            "pct": marked.to_numpy(dtype=bool),
            "g": groups.to_numpy(),
            "row": np.asarray(rows),
        }
    )
    frame = frame[frame["v"].notna()]
    fraction = (frame["v"] > 0) & (frame["v"] < 1) & ~frame["pct"]
    percent = frame["pct"] | (frame["v"] > 1)
    for _, group in frame[fraction | percent].groupby("g", sort=False):
        fr, pc = group[fraction.loc[group.index]], group[percent.loc[group.index]]
        if fr.empty or pc.empty:
            continue
        low, high = pc["v"].min(), pc["v"].max()
        suspect = fr[(fr["v"] * 100 >= low / 2) & (fr["v"] * 100 <= high * 2)]
        if suspect.empty:
            continue
        listed = lambda r: ", ".join(str(int(x)) for x in r[:5]) + (" ..." if len(r) > 5 else "")  # noqa: E731
        raise BadValueError(
            f"a percentage indicator mixes fractions (row{'s' if len(suspect) > 1 else ''} "
            f"{listed(suspect['row'].tolist())}) with percentages (row"
            f"{'s' if len(pc) > 1 else ''} {listed(pc['row'].tolist())})",
            file=Path(file).name,
            row=int(suspect["row"].iloc[0]),
            column=column,
            value=suspect["v"].iloc[0],
            hint="Write every value of a percentage indicator as a percentage (55 or 55%, "
            "not 0.55).",
        )


#: Periods must fit the tidy model's datetime64[ns] columns.
_MIN_DAY, _MAX_DAY = pd.Timestamp.min.date(), pd.Timestamp.max.date()


def period_frame(
    labels: pd.Series,
    kind: str | None = None,
    *,
    file: str | Path,
    column: str,
    rows: pd.Series | None = None,
) -> pd.DataFrame:
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
        holding = codes == i
        parsed.append(
            parse_period_at(
                label,
                kind,
                file=file,
                column=column,
                row=lambda: (
                    int(rows.to_numpy()[holding].min())
                    if rows is not None
                    else int(np.argmax(holding)) + 2
                ),
            )
        )
    out = pd.DataFrame(
        {
            "period": pd.array([p.label for p in parsed], dtype="str").take(codes),
            "period_kind": pd.array([p.kind for p in parsed], dtype="str").take(codes),
            "period_start": pd.DatetimeIndex(
                [p.start for p in parsed], dtype="datetime64[ns]"
            ).take(codes),
            "period_end": pd.DatetimeIndex([p.end for p in parsed], dtype="datetime64[ns]").take(
                codes
            ),
            "qualifier": np.array([p.qualifier for p in parsed], dtype=object).take(codes),
        },
        index=labels.index,
    )
    return out


def parse_period_at(label: str, kind: str | None, *, file: str | Path, column: str, row) -> Period:
    """:func:`perf.periods.parse_period`, refusing periods the tidy model cannot store, with
    a :class:`PeriodError` naming ``file``, ``row`` (an int, or a callable giving it: the
    row is only looked for when there is an error) and ``column``."""
    try:
        period = parse_period(label, kind)
        if not (_MIN_DAY < period.start and period.end < _MAX_DAY):
            raise PeriodError(
                "the period is outside the years perf can store (1678 to 2261)",
                value=label,
                hint="Check the year in the label.",
            )
    except PeriodError as exc:
        raise PeriodError(
            exc.message,
            file=Path(file).name,
            row=row() if callable(row) else row,
            column=column,
            value=exc.value if exc.value is not None else label,
            hint=exc.hint or "Write the period as e.g. '2012-13 Q1', '2015/16' or '31 March 2025'.",
        ) from None
    return period


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
            f"no area code for {names.iloc[pos]!r}",
            file=Path(file).name,
            row=pos + 2,
            column=_CODE_COLUMN.get(str(places["area_level"].iloc[pos]), "area code"),
            hint="Add the ONS code, or remove the row if it is not a real area.",
        )
    if demo.any():
        log.info(
            "%s: %d demonstration row(s) without an area code skipped (%s)",
            Path(file).name,
            int(demo.sum()),
            ", ".join(sorted(set(names[demo]))),
        )
    return keyed
