"""Monthly figures in the shape councils keep them: one row per indicator, one column per
month (the wide layout), and the tidy frame shared with the return reader.

Layout::

    indicator,area_code,Apr 2024,May 2024,Jun 2024,...[,flag][,source]
    dudley_initial_assessments_10d,E08000027,71.2,74.0,x,...

A month header is ``Apr 2024``, ``April 2024``, ``Apr-24`` or ``2024-04``; each becomes
the period ``01/04/2024 to 30/04/2024`` (:mod:`perf.series` names it "April 2024"). Cells
are numbers or GSS symbols (``x``, ``c``...); a blank cell is a month not reported (no row:
nothing is invented). ``flag`` applies to every figure of its row (``ex`` for an
illustrative series); ``source`` is added to the file name.

Examples:
    >>> is_month_header("Apr 2024"), is_month_header("2024-04"), is_month_header("Q1")
    (True, True, False)
    >>> month_period("Sept 2012")
    '01/09/2012 to 30/09/2012'
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from perf.errors import BadValueError, MissingColumnError, UnknownIndicatorError
from perf.loaders._frame import finish
from perf.loaders.common import (
    FLAG_VALUES,
    parse_numbers,
    period_frame,
    read_csv_strings,
)

__all__ = ["is_month_header", "month_period", "read_monthly", "tidy_frame"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
_MONTHS["sept"] = 9
_NAMED = re.compile(r"^(?P<m>[A-Za-z]+)[ \-/]+(?P<y>\d{2}|\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})$")


def _month(text: str) -> date | None:
    text = " ".join(str(text).split())
    m = _NAMED.match(text)
    if m and m["m"].lower() in _MONTHS:
        year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
        return date(year, _MONTHS[m["m"].lower()], 1)
    m = _ISO.match(text)
    if m and 1 <= int(m["m"]) <= 12:
        return date(int(m["y"]), int(m["m"]), 1)
    return None


def is_month_header(text: str) -> bool:
    """True when a column header names one calendar month."""
    return _month(text) is not None


def month_period(text: str) -> str:
    """The period label of a month header."""
    first = _month(text)
    if first is None:
        raise BadValueError(
            "not a month", value=text, hint="Head month columns like 'Apr 2024' or '2024-04'."
        )
    last = calendar.monthrange(first.year, first.month)[1]
    return f"01/{first.month:02d}/{first.year} to {last:02d}/{first.month:02d}/{first.year}"


def tidy_frame(
    frame: pd.DataFrame, *, file: str, rows: pd.Series | None = None, validate: bool = True
) -> pd.DataFrame:
    """indicator, area_code, period, value[, numerator, denominator, flag, source] ->
    validated observations (area names and levels from the area lookup, period columns
    from the labels)."""
    # lazy: loaders.local imports perf.areas; the one area-column helper is there
    from perf.loaders.local import _area_columns

    rows = rows if rows is not None else pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    places = _area_columns(frame["area_code"].astype(str), None, file, rows)
    periods = period_frame(frame["period"].astype(str), None, file=file, column="period", rows=rows)
    out = (
        pd.DataFrame(
            {"indicator": frame["indicator"].astype(str), "value": frame["value"].astype("float64")}
        )
        .join(places)
        .join(periods)
    )
    for column in ("numerator", "denominator"):
        out[column] = frame[column].astype("float64") if column in frame else np.nan
    out["flag"] = frame["flag"] if "flag" in frame else None
    out["source"] = frame["source"] if "source" in frame else file
    return finish(out, file=file, row_numbers=rows, validate=validate)


def read_monthly(path: str | Path, *, validate: bool = True) -> pd.DataFrame:
    """The wide monthly layout -> observations, one row per indicator and reported month."""
    from perf.catalogue import catalogue  # lazy: as in loaders.local, a sibling

    path = Path(path)
    file = path.name
    raw = read_csv_strings(path).apply(lambda c: c.str.strip())
    months = [c for c in raw.columns if is_month_header(c)]
    if not months:
        raise MissingColumnError(
            "no month columns",
            file=file,
            row=1,
            column="(months)",
            hint="Head one column per month, e.g. 'Apr 2024'.",
        )
    allowed = {"indicator", "area_code", "area_name", "flag", "source", *months}
    for column in raw.columns:
        if column not in allowed:
            raise BadValueError(
                "column is neither a month nor part of this layout",
                file=file,
                row=1,
                column=column,
                hint="Use indicator, area_code, flag, source and month columns such as 'Apr 2024'.",
            )
    known = set(catalogue()["indicator"])
    records = []
    for i, r in raw.iterrows():
        row_number = int(i) + 2
        if r["indicator"] not in known:
            raise UnknownIndicatorError(
                "indicator is not in the catalogue",
                file=file,
                row=row_number,
                column="indicator",
                value=r["indicator"],
                hint="Add it to data/catalogue.csv first.",
            )
        flag = r.get("flag", "").lower() if "flag" in raw else ""
        if flag and flag not in FLAG_VALUES:
            raise BadValueError(
                "unknown flag", file=file, row=row_number, column="flag", value=flag
            )
        source = file + (f" ({r['source']})" if "source" in raw and r["source"] else "")
        for month in months:
            text = r[month]
            if text == "":
                continue  # a month not reported: no row
            values, symbols = parse_numbers(
                pd.Series([text]), file=file, column=month, row_offset=row_number
            )
            value, symbol = values.iloc[0], symbols.iloc[0]
            records.append(
                {
                    "indicator": r["indicator"],
                    "area_code": r["area_code"],
                    "period": month_period(month),
                    "value": value,
                    "flag": flag or (symbol if isinstance(symbol, str) else None),
                    "source": source,
                    "_row": row_number,
                }
            )
    frame = pd.DataFrame(records)
    return tidy_frame(frame.drop(columns="_row"), file=file, rows=frame["_row"], validate=validate)
