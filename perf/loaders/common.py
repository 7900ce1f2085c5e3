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
from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import BadValueError, EmptyFileError, EncodingProblem, MissingColumnError

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
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


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
        raise BadValueError(f"the CSV could not be parsed ({exc})", file=path.name,
                            hint="Check for unquoted commas or stray quote marks.") from None
    except pd.errors.EmptyDataError:
        raise EmptyFileError("the file is empty", file=path.name, row=1, column="(all)",
                             hint="Export the data again with its header row.") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if frame.empty:
        raise EmptyFileError("the file has a header but no data rows", file=path.name, row=2,
                             column=str(frame.columns[0]),
                             hint="Add at least one row of figures, or remove the file.")
    return frame


def require_columns(frame: pd.DataFrame, required: list[str], file: str | Path) -> None:
    """Raise :class:`MissingColumnError` naming the first absent column."""
    for column in required:
        if column not in frame.columns:
            raise MissingColumnError(
                "required column is missing", file=Path(file).name, row=HEADER_ROW, column=column,
                hint=f"The header must include: {', '.join(required)}.",
            )


def parse_numbers(
    raw: pd.Series, *, file: str | Path, column: str, row_offset: int = 2
) -> tuple[pd.Series, pd.Series]:
    """Turn text cells into floats, vectorised; symbols become NaN with the symbol as flag.

    Blank cells are NaN with no flag. Thousands separators, a trailing '%', float
    artefacts ("4.0599999999999996") and scientific notation are handled. Anything
    else raises :class:`BadValueError` naming the first bad row (``row_offset`` is the
    spreadsheet row of the series' first position).
    """
    # Fast path: most cells are plain numbers; string work only on the rest.
    values = pd.to_numeric(raw, errors="coerce").astype("float64")
    flags = pd.Series(np.nan, index=raw.index, dtype=object)
    rest = values.isna().to_numpy()
    if rest.any():
        text = raw[rest].astype("string").fillna("").str.strip()
        lowered = text.str.lower()
        symbol = lowered.map(SYMBOLS)
        cleaned = text.str.replace(",", "", regex=False).str.replace("%", "", regex=False)
        cleaned = cleaned.str.strip()
        numbers = pd.to_numeric(cleaned.where(symbol.isna() & (cleaned != "")), errors="coerce")
        bad = numbers.isna() & symbol.isna() & (text != "")
        if bad.any():
            position = int(np.flatnonzero(rest)[np.flatnonzero(bad.to_numpy())[0]])
            raise BadValueError(
                "must be a number or a suppression symbol (c, x, z, k, u, low)",
                file=Path(file).name, row=position + row_offset, column=column,
                value=str(raw.iloc[position]).strip(),
                hint="Correct the cell; write a symbol such as 'c' for a suppressed figure, "
                "never 0.",
            )
        values[rest] = numbers.astype("float64").to_numpy()
        flags[rest] = symbol.astype(object).where(symbol.notna(), np.nan).to_numpy()
    return values, flags
