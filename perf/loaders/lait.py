"""LAIT long data (``Short Desc, Data item, Years, LA and Regions, Values, LA Number, Region``):
the whole "big data set" as DfE publishes it (``bds_long_0.parquet``, read with pyarrow)
or any extract of it saved as CSV.

Quirks handled, all vectorised (the data set has 641,070 rows: every column is worked on
through its distinct values, a few hundred ids, 65 year labels, 55,000 values):

* ``Values`` are strings with float artefacts ("4.0599999999999996"), scientific notation
  ("7.0000000000000007E-2") and "-" for no figure (NaN, flag ``x``);
* ``Data item`` is filled only on a measure's first row (not read: the catalogue's title
  comes from the data dictionary);
* areas are DfE 3-digit numbers (970 England, 980-990 regions), mapped to ONS codes by
  :func:`perf.areas.la_number_to_code`;
* a year label is read by the measure's ``Year_Type`` in ``lait_data_dictionary.csv``:
  "Academic Year" 2016 -> 2015/16, "Financial Year" 2016 -> 2015-16, "Annual" (a 31 March
  count) 2016 -> 31 March 2016, "Calendar Year" -> 2016, "Annual (end of Sept)" (the social
  work workforce census) 2016 -> 30 September 2016; ranges ("2013/14-15/16",
  "2014-16") and qualifiers ("2018 (Rev)", "2020 (Final)") by :mod:`perf.periods`, the
  qualifier becoming the flag;
* a measure the dictionary does not list (or whose Year_Type is new) is kept, its labels
  read as written (a bare year is a calendar year), and logged once as a warning; the
  catalogue gives it unknown polarity (``neither``);
* the year label ``0`` (:func:`perf.periods.is_no_period`) is LAIT's placeholder for a
  measure it has no year for. Such a row cannot be placed in time, so it cannot be an
  observation; in ``bds_long_0.parquet`` all 170 of them (``CINPermExclusion``) are "-",
  no figure. They are left out with **one warning naming the file, the rows and the
  column** (nothing is lost: they say only "no figure, no year"). A ``0`` row that does
  carry a figure would lose it, so it is an error naming the file, row and column.

* a row that repeats an earlier one exactly (same measure, area, year, figure and flag:
  DfE's release of 2024-11-15 repeats 1,530 rows of ``KS2GDW_Teacher_Assess``) is left out
  with **one warning naming the file, the rows and the measures**; two rows giving one
  measure, area and year different figures are an error, as for any file.

* England's figure for a measure and year that cannot be right, given at least
  :data:`MIN_COUNCILS` councils' figures: below every council's, or above every council's
  yet under half their sum. England's figure is either an average of its councils' (so
  within their range) or their total (so about their sum); one that is neither is read as
  no figure (flag ``x``, as LAIT's own "-") with **one warning naming the file, the rows,
  the column and the figures**, so nothing is compared with it. In
  ``bds_long_0.parquet``, England's first-time entrants to youth justice (``FirstYJS``, a
  rate per 100,000 young people) read 1,258 for 2024 where the councils' run from 63 to
  189: ten times too large, in every year.

Rows: in a CSV, row 1 is the header; in a parquet file, row 1 is the first record.

Examples:
    >>> from perf import config
    >>> obs = read(config.RAW_DIR / "lait" / "bds_long_0.parquet")
    >>> row = obs.query("indicator == 'PriTotAbs' and area_code == 'E09000003' and period == '2015/16'")
    >>> float(row["value"].item())
    4.06
    >>> obs.query("indicator == 'Hosp_Adm_Alc_<18yrs' and area_code == 'E92000001'")["period"].iloc[0]
    '2013-14 to 2015-16'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from perf import config
from perf.config import get_logger
from perf.errors import BadValueError, DuplicateKeyError, EmptyFileError, FileFormatError
from perf.loaders._frame import (
    SOURCE_ROW,
    categorical,
    check_rules,
    text_from_codes,
)
from perf.loaders.common import (
    file_decimal,
    parse_period_at,
    parse_unique_numbers,
    read_csv_strings,
    read_text,
    require_columns,
    sniff_separator,
)
from perf.periods import Period, is_no_period, snapshot
from perf.schema import OBSERVATION_COLUMNS

__all__ = ["DICTIONARY", "REQUIRED", "YEAR_TYPES", "measures", "read", "read_dictionary"]

log = get_logger()

#: England's figure is checked against its councils' only where this many have one.
MIN_COUNCILS = 100

REQUIRED = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number"]
#: The columns read (the area name comes from the LA number).
READ = ["Short Desc", "Years", "Values", "LA Number"]
DICTIONARY = config.RAW_DIR / "lait" / "lait_data_dictionary.csv"
SOURCE = "DfE Local Authority Interactive Tool"

#: LAIT Year_Type -> period kind for a bare year (the year the period ends in).
YEAR_TYPES = {
    "academic year": "academic_year",
    "financial year": "financial_year",
    "annual": "snapshot",
    "calendar year": "calendar_year",
    "annual (end of sept)": "calendar_year",
    "annual - january": "calendar_year",
}
#: LAIT Year_Type -> the day of the year its figures are counted on, where that is fixed: a
#: bare year is then that day of the year (the social work workforce "2025" is at
#: 30 September 2025, DfE's census date, not the calendar year 2025). Parsed first by
#: :data:`YEAR_TYPES` (the qualifier kept), then moved to the day.
SNAPSHOT_DAYS = {"annual (end of sept)": (9, 30)}


@lru_cache(maxsize=2)
def read_dictionary(path: str | Path = DICTIONARY) -> pd.DataFrame:
    """LAIT's data dictionary (latin-1), one row per measure, as strings.

    >>> read_dictionary().set_index("Measure_short").loc["LAC", "Year_Type"]
    'Annual'
    """
    path = Path(path)
    frame = read_csv_strings(path, text=read_text(path))
    return frame.drop_duplicates("Measure_short").reset_index(drop=True)


@lru_cache(maxsize=2)
def _year_kinds(path: str | Path = DICTIONARY) -> dict[str, str]:
    """Measure_short -> period kind, for the measures whose Year_Type is understood."""
    d = read_dictionary(path)
    types = d["Year_Type"].str.strip().str.lower()
    kinds = types.map(YEAR_TYPES).where(
        ~types.isin(SNAPSHOT_DAYS), types.map(YEAR_TYPES) + "@" + types
    )
    return {m.strip(): k for m, k in zip(d["Measure_short"], kinds) if isinstance(k, str)}


def _parse_year(label: str, kind: str | None, *, file: str, row) -> Period:
    """A LAIT year label read by its measure's kind: a period kind, or ``kind@year type``
    for a year type counted on one day (:data:`SNAPSHOT_DAYS`).

    >>> _parse_year("2025", "calendar_year@annual (end of sept)", file="f", row=2).label
    '30 September 2025'
    >>> _parse_year("2018 (Rev)", "calendar_year@annual (end of sept)", file="f", row=2).qualifier
    'r'
    """
    kind, _, year_type = (kind or "").partition("@")
    period = parse_period_at(label, kind or None, file=file, column="Years", row=row)
    if not year_type or period.kind != "calendar_year":
        return period
    month, day = SNAPSHOT_DAYS[year_type]
    return replace(snapshot(date(period.end.year, month, day)), qualifier=period.qualifier)


@lru_cache(maxsize=64)
def _log_undocumented(file: str, names: tuple[str, ...]) -> None:
    """Warn once per process and file about measures the data dictionary does not type."""
    log.warning(
        "%s: %d measure(s) not in lait_data_dictionary.csv (or with a Year_Type perf "
        "does not know) kept with unknown polarity, their year labels read as written: "
        "%s",
        file,
        len(names),
        ", ".join(names[:20]) + (" ..." if len(names) > 20 else ""),
    )


def _parquet_columns(path: Path) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each required column of a LAIT parquet file as (codes, distinct values)."""
    try:
        names = pq.read_schema(path).names
        missing = [c for c in REQUIRED if c not in names]
        if missing:
            raise FileFormatError(
                "required column is missing",
                file=path.name,
                row=1,
                column=missing[0],
                hint=f"A LAIT data set has the columns {', '.join(REQUIRED)}.",
            )
        # "LA and Regions" (the name) must be there, but the name comes from the LA number.
        table = pq.read_table(path, columns=READ, read_dictionary=READ[:3])
    except (pa.ArrowException, OSError) as exc:
        raise FileFormatError(
            f"the file could not be read as parquet ({exc})",
            file=path.name,
            row=1,
            column="(all)",
            hint="Download the file again; it may be truncated.",
        ) from None
    table = table.unify_dictionaries().combine_chunks()
    out = {}
    for name in READ:
        column = table.column(name).chunk(0) if table.column(name).num_chunks else None
        if column is None:
            out[name] = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object))
        elif pa.types.is_dictionary(column.type):
            indices = column.indices
            if column.null_count:  # a missing cell: code -1
                indices = pc.if_else(column.is_null(), pa.scalar(-1, indices.type), indices)
            # Values stay an arrow array: parse_unique_numbers casts its plain numbers.
            dictionary = (
                column.dictionary
                if name == "Values"
                else column.dictionary.to_numpy(zero_copy_only=False)
            )
            out[name] = (
                indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False),
                dictionary,
            )
        elif pa.types.is_floating(column.type) or pa.types.is_integer(column.type):
            out[name] = _number_codes(
                np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)
            )
        else:
            codes, uniques = pd.factorize(
                column.to_numpy(zero_copy_only=False), use_na_sentinel=True
            )
            out[name] = (codes.astype(np.int32), np.asarray(uniques, dtype=object))
    return out


def _csv_columns_fast(path: Path, text: str) -> dict[str, tuple[np.ndarray, np.ndarray]] | None:
    """The required columns of a plain LAIT CSV as (codes, distinct values), read by
    pyarrow's CSV reader (several times faster than pandas' for 44,000 rows of text), or
    None when the file is anything but plain: then :func:`read_csv_strings` reads it and
    gives its located errors."""
    if sniff_separator(text) != ",":
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            # A quoted newline breaks a row: pyarrow then errs, and pandas reads the file.
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in REQUIRED},
                strings_can_be_null=False,
                include_columns=REQUIRED,
                quoted_strings_can_be_null=False,
            ),
            read_options=pacsv.ReadOptions(block_size=1 << 24),
        )
        if table.num_rows == 0 or table.column_names != REQUIRED:
            return None
        out = {}
        for name in REQUIRED:
            column = table.column(name).combine_chunks().dictionary_encode()
            dictionary = (
                column.dictionary
                if name == "Values"
                else column.dictionary.to_numpy(zero_copy_only=False)
            )
            out[name] = (column.indices.to_numpy(zero_copy_only=False).astype(np.int32), dictionary)
        return out
    except (pa.ArrowException, KeyError, ValueError):
        return None


def _csv_columns(path: Path) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], str]:
    text = read_text(path)
    fast = _csv_columns_fast(path, text)
    if fast is not None:
        return fast, "."
    raw = read_csv_strings(path, text=text)
    require_columns(raw, REQUIRED, path.name)
    out = {}
    for name in REQUIRED:
        codes, uniques = pd.factorize(raw[name].to_numpy(dtype=object), use_na_sentinel=True)
        out[name] = (codes.astype(np.int32), np.asarray(uniques, dtype=object))
    return out, file_decimal(raw)


def _first_row(holding: np.ndarray, rows: np.ndarray) -> int:
    return int(rows[np.argmax(holding)])


def _strip_uniques(codes: np.ndarray, uniques: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Strip each distinct value; values equal once stripped share one code."""
    stripped = [
        "" if u is None or (isinstance(u, float) and np.isnan(u)) else str(u).strip()
        for u in uniques
    ]
    if len(set(stripped)) == len(stripped) and (not len(codes) or codes.min() >= 0):
        return codes, stripped  # nothing merged, nothing missing: the codes stand
    labels, inverse = np.unique(np.array(stripped + [""], dtype=object), return_inverse=True)
    return inverse.astype(np.int32)[np.where(codes < 0, len(stripped), codes)], list(labels)


def _number_codes(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values) of a numeric column; whole numbers 0-99,999 (DfE LA numbers)
    are their own codes, with no hashing of 640,000 floats.

    >>> _number_codes(np.array([332.0, 970.0, 332.0]))[0].tolist()
    [332, 970, 332]
    >>> _number_codes(np.array([332.0, np.nan, 3.5]))[0].tolist()
    [0, -1, 1]
    """
    # min and max are NaN when a cell is: then the general path, as for 3.5 or -1.
    if len(numbers) and numbers.min() >= 0 and numbers.max() < 100_000:
        codes = numbers.astype(np.int32)
        if (codes == numbers).all():
            return codes, np.arange(int(codes.max()) + 1, dtype=float)
    codes, uniques = pd.factorize(numbers, use_na_sentinel=True)
    return codes.astype(np.int32), np.asarray(uniques, dtype=object)


def _exact_repeats(frame: pd.DataFrame) -> np.ndarray:
    """True on each row that repeats an earlier row exactly: same measure, area and period,
    the same figure (or both none) and the same flag."""
    columns = ["indicator", "area_code", "period", "value", "flag"]
    return frame[columns].duplicated(keep="first").to_numpy()


def _warn_repeats(file: str, rows: np.ndarray, measures: pd.Series) -> None:
    names = sorted(set(measures.astype(str)))
    log.warning(
        "%s, rows %d to %d: %d row(s) repeating an earlier row exactly (same measure, area, "
        "year and figure) left out, of %s",
        file,
        int(rows.min()),
        int(rows.max()),
        len(rows),
        ", ".join(names[:20]) + (" ..." if len(names) > 20 else ""),
    )


def _england_out_of_range(
    key: np.ndarray, england: np.ndarray, council: np.ndarray, value: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which rows are England's figure for a measure and year (rows sharing a ``key``) that
    is neither within its councils' range (an average) nor at least half their sum (a
    total), where at least :data:`MIN_COUNCILS` councils have a figure; and, for those rows
    in order, the councils' lowest, highest and total figures. One pass over the rows.

    >>> key = np.repeat([0, 1], 102)
    >>> england = np.tile([True] + [False] * 101, 2)
    >>> value = np.array([1258.0, 63.0, 189.0] + [130.0] * 99 + [140.0, 63.0, 189.0] * 34)
    >>> wrong, councils = _england_out_of_range(key, england, ~england, value)
    >>> np.flatnonzero(wrong).tolist(), councils.tolist()
    ([0], [[63.0, 189.0, 13122.0]])
    """
    figure = np.isfinite(value)
    at = np.flatnonzero(england & figure)
    if not len(at):
        return np.zeros(len(value), dtype=bool), np.zeros((0, 3))
    size = int(key.max()) + 1
    k, v = key[council & figure], value[council & figure]
    count = np.bincount(k, minlength=size)
    total = np.bincount(k, weights=v, minlength=size)
    low, high = np.full(size, np.inf), np.full(size, -np.inf)
    np.minimum.at(low, k, v)
    np.maximum.at(high, k, v)
    g, e = key[at], value[at]
    bad = (count[g] >= MIN_COUNCILS) & ((e < low[g]) | ((e > high[g]) & (e < 0.5 * total[g])))
    out = np.zeros(len(value), dtype=bool)
    out[at[bad]] = True
    g = key[out]
    return out, np.column_stack([low[g], high[g], total[g]])


def _warn_england(
    file: str,
    rows: np.ndarray,
    measures: Sequence[str],
    periods: Sequence[str],
    figures: np.ndarray,
    councils: np.ndarray,
) -> None:
    shown = [
        f"row {int(row)}: {measure} {period} England {figure:,.6g} (councils {low:,.6g} to "
        f"{high:,.6g}, total {total:,.6g})"
        for row, measure, period, figure, (low, high, total) in zip(
            rows, measures, periods, figures, councils
        )
    ]
    log.warning(
        "%s, column 'Values': %d England figure(s) outside every council's and not their "
        "total, read as no figure (flag x: nothing is compared with them): %s",
        file,
        len(shown),
        "; ".join(shown[:5]) + (f"; and {len(shown) - 5} more" if len(shown) > 5 else ""),
    )


def measures(path: str | Path) -> list[str]:
    """The measure ids (``Short Desc``, stripped) in a LAIT file, sorted; read cheaply.

    >>> from perf import config
    >>> len(measures(config.RAW_DIR / "lait" / "bds_long_0.parquet"))
    434
    """
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        column = pq.read_table(path, columns=["Short Desc"]).column("Short Desc")
        names = pc.unique(column).to_pylist()
    else:
        names = read_csv_strings(path)["Short Desc"].unique().tolist()
    return sorted({str(n).strip() for n in names if n is not None and str(n).strip()})


def read(path: str | Path, *, validate: bool = True, decimal: str | None = None) -> pd.DataFrame:
    """Read a LAIT long file (the parquet data set or a CSV extract) into observations.

    ``decimal``: the CSV's decimal mark when it is not the one its separator implies (see
    :mod:`perf.loaders.common`); LAIT's own files use ``.``.
    """
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.areas import la_number_to_code

    path = Path(path)
    file = path.name
    if path.suffix.lower() == ".parquet":
        columns, first_row, mark = _parquet_columns(path), 1, decimal or "."
    else:
        columns, mark = _csv_columns(path)
        first_row, mark = 2, decimal or mark
    n = len(columns["Short Desc"][0])
    if n == 0:
        raise EmptyFileError(
            "the file has no rows",
            file=file,
            row=first_row,
            column="Short Desc",
            hint="Download the data set again.",
        )
    # Row-sized arrays are int32 codes, each made once: on 641,070 rows every new array is
    # megabytes of fresh memory, and the page faults cost more than the arithmetic.
    rows = np.arange(first_row, n + first_row, dtype=np.int32)

    # Measures: blank is an error; not in the dictionary is kept (kind None) and logged.
    m_codes, m_labels = _strip_uniques(*columns["Short Desc"])
    m_present = np.bincount(m_codes, minlength=len(m_labels)) > 0
    blank_label = np.array([label == "" for label in m_labels], dtype=bool)
    if (blank_label & m_present).any():
        raise BadValueError(
            "Short Desc is blank",
            file=file,
            row=_first_row(blank_label[m_codes], rows),
            column="Short Desc",
            hint="Every row needs its measure's Short Desc.",
        )
    known = _year_kinds()
    kinds = [known.get(label) for label in m_labels]
    undocumented = tuple(
        label for label, kind, used in zip(m_labels, kinds, m_present) if used and kind is None
    )
    if undocumented:
        _log_undocumented(file, undocumented)

    # Values: each distinct cell parsed once.
    v_codes, v_uniques = columns["Values"]
    values, flags, _ = parse_unique_numbers(
        v_uniques, v_codes, file=file, column="Values", rows=rows, decimal=mark
    )
    if len(v_codes) and v_codes.min() < 0:
        v_codes = np.where(v_codes < 0, len(v_uniques), v_codes)  # the blank entry at the end

    # Years: LAIT's "0" rows (no year) are left out, with one warning; never a figure.
    y_codes, y_labels = _strip_uniques(*columns["Years"])
    placeholder = np.array([is_no_period(label) for label in y_labels], dtype=bool)
    no_year = placeholder[y_codes] if placeholder.any() else None
    if no_year is not None and no_year.any():
        figure = ~np.isnan(values[v_codes[no_year]])
        if figure.any():
            raise BadValueError(
                "a figure with the year label '0' (no year): it cannot be placed in time",
                file=file,
                row=_first_row(figure, rows[no_year]),
                column="Years",
                hint="Give the row its year, or remove it if the figure is not real.",
            )
        where = rows[no_year]
        log.warning(
            "%s, rows %d to %d, column 'Years': %d row(s) with the year label '0' (LAIT's "
            "'no year') left out; none carries a figure (%s)",
            file,
            where.min(),
            where.max(),
            len(where),
            ", ".join(sorted({m_labels[c] for c in np.unique(m_codes[no_year])})),
        )
        keep = ~no_year
        rows, m_codes, v_codes, y_codes = rows[keep], m_codes[keep], v_codes[keep], y_codes[keep]
        la_codes, la_uniques = columns["LA Number"][0][keep], columns["LA Number"][1]
        m_present = np.bincount(m_codes, minlength=len(m_labels)) > 0
    else:
        la_codes, la_uniques = columns["LA Number"]

    # Areas: each distinct LA number mapped once.
    numbers = pd.to_numeric(pd.Series(list(la_uniques) + [""], dtype=object), errors="coerce")
    whole = np.isfinite(numbers) & (numbers == np.floor(numbers)) & (numbers.abs() < 1e9)
    places = la_number_to_code(numbers.where(whole))  # 3.5, 1e400: no such number
    if len(la_codes) and la_codes.min() < 0:
        la_codes = np.where(la_codes < 0, len(la_uniques), la_codes)
    la_present = np.bincount(la_codes, minlength=len(la_uniques) + 1) > 0
    unknown_number = places["area_code"].isna().to_numpy() & la_present
    if unknown_number.any():
        pos = int(np.argmax(unknown_number[la_codes]))
        raise BadValueError(
            "LA Number is not a known DfE local-authority number",
            file=file,
            row=int(rows[pos]),
            column="LA Number",
            value=(list(la_uniques) + [""])[la_codes[pos]],
            hint="Use the 3-digit DfE number (e.g. 332 for Dudley); see lait/la_code_list.xlsx.",
        )

    # Periods: each (year kind, year label) pair that occurs is parsed once.
    kind_names = sorted({k for k in kinds if k is not None}) + [None]
    kind_of_measure = np.array([kind_names.index(k) for k in kinds], dtype=np.int32)
    pair = kind_of_measure[m_codes]
    pair *= len(y_labels)
    pair += y_codes
    used = np.flatnonzero(np.bincount(pair, minlength=len(kind_names) * len(y_labels)))
    parsed = [
        _parse_year(
            y_labels[p % len(y_labels)],
            kind_names[p // len(y_labels)],
            file=file,
            row=lambda p=p: _first_row(pair == p, rows),
        )
        for p in used
    ]
    lookup = np.full(len(kind_names) * len(y_labels), -1, dtype=np.int32)
    lookup[used] = np.arange(len(used))
    pcode = lookup[pair]

    # Flag: the value's symbol, else the period's qualifier.
    f_codes, symbols = pd.factorize(flags, use_na_sentinel=True)  # NaN: no symbol
    # England's figures that cannot be right read as LAIT's own "-": no figure, flag x
    value = values[v_codes]
    levels = places["area_level"].fillna("").to_numpy(dtype=object)
    wrong, councils = _england_out_of_range(
        m_codes.astype(np.int64) * len(parsed) + pcode,
        (levels == "england")[la_codes],
        (levels == "la")[la_codes],
        value,
    )
    flag_labels = sorted(
        set(symbols)
        | {q.qualifier for q in parsed if q.qualifier}
        | ({"x"} if wrong.any() else set())
    )
    flag_index = {f: i for i, f in enumerate(flag_labels)}
    v_flag = np.append([flag_index[f] for f in symbols], -1).astype(np.int32)[f_codes]
    q_flag = np.array([flag_index.get(q.qualifier, -1) for q in parsed] + [-1], dtype=np.int32)
    flag = v_flag[v_codes]
    if (q_flag >= 0).any():  # a period qualifier, where the value has no symbol
        np.copyto(flag, q_flag[pcode], where=flag < 0)
    if wrong.any():
        _warn_england(
            file,
            rows[wrong],
            [m_labels[c] for c in m_codes[wrong]],
            [parsed[c].label for c in pcode[wrong]],
            value[wrong],
            councils,
        )
        value[wrong] = np.nan
        flag[wrong] = flag_index["x"]

    nan = np.full(len(rows), np.nan)
    period = categorical(pcode, [q.label for q in parsed], np.ones(len(parsed), bool))
    frame = pd.DataFrame(
        {
            "indicator": categorical(m_codes, m_labels, m_present),
            "area_code": categorical(la_codes, places["area_code"].fillna("").tolist(), la_present),
            "area_name": categorical(la_codes, places["area_name"].fillna("").tolist(), la_present),
            "area_level": categorical(
                la_codes, places["area_level"].fillna("").tolist(), la_present
            ),
            "period": period,
            "period_kind": categorical(pcode, [q.kind for q in parsed], np.ones(len(parsed), bool)),
            "period_start": np.array([q.start for q in parsed], dtype="datetime64[ns]")[pcode],
            "period_end": np.array([q.end for q in parsed], dtype="datetime64[ns]")[pcode],
            "value": value,
            "numerator": nan,
            "denominator": nan.copy(),
            "flag": text_from_codes(flag, flag_labels),
            "source": categorical(
                np.zeros(len(rows), dtype=np.int8), [f"{file} ({SOURCE})"], np.ones(1, bool)
            ),
        },
        columns=OBSERVATION_COLUMNS,
        copy=False,
    )
    try:
        check_rules(frame, file=file, row_numbers=pd.Series(rows))  # fastest with period as codes
    except DuplicateKeyError:
        # DfE's release of 2024-11-15 repeats 1,530 rows of one measure exactly: the repeats
        # say nothing new and are left out (one warning naming them); rows that repeat a key
        # with another figure still stop the read, as check_rules says
        repeats = _exact_repeats(frame)
        if not repeats.any():
            raise
        _warn_repeats(file, rows[repeats], frame.loc[repeats, "indicator"])
        frame, rows = frame[~repeats].reset_index(drop=True), rows[~repeats]
        check_rules(frame, file=file, row_numbers=pd.Series(rows))
    period = frame["period"].array  # the categorical, less any repeats left out
    frame["period"] = text_from_codes(period.codes, period.categories)  # the schema's str
    if validate:
        # The contract (columns, order, dtypes, nullability) holds by construction: every
        # column above is built in the schema's dtype, and check_rules has checked the
        # columns that may not be missing. pandera's check of it costs a tenth of this
        # read; tests/test_loaders.py and tests/test_fuzz_loaders.py check it with pandera.
        return frame
    frame[SOURCE_ROW] = rows
    return frame
