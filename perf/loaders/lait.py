"""LAIT long extracts (``Short Desc, Data item, Years, LA and Regions, Values, LA Number, Region``).

Quirks handled, all vectorised (the extract has ~44,000 rows):

* ``Values`` are strings with float artefacts ("4.0599999999999996"), scientific notation
  ("7.0000000000000007E-2") and "-" for no figure (NaN, flag ``x``);
* ``Data item`` is filled only on a measure's first row (forward-filled; the catalogue's
  title comes from the data dictionary anyway);
* areas are DfE 3-digit numbers (970 England, 980-990 regions), mapped to ONS codes by
  :func:`perf.areas.la_number_to_code`;
* a bare year is read by the measure's ``Year_Type`` in ``lait_data_dictionary.csv``:
  "Academic Year" 2016 -> 2015/16, "Financial Year" 2016 -> 2015-16, "Annual" (a 31 March
  count) 2016 -> 31 March 2016, "Calendar Year" -> 2016. Qualifiers such as "(prov)" become
  the flag.

Examples:
    >>> from perf import config
    >>> obs = read(config.RAW_DIR / "lait" / "lait_key_indicators_long.csv")
    >>> row = obs.query("indicator == 'PriTotAbs' and area_code == 'E09000003' and period == '2015/16'")
    >>> float(row["value"].item())
    4.06
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config
from perf.errors import BadValueError, UnknownIndicatorError
from perf.loaders._frame import finish
from perf.loaders.common import (
    parse_numbers,
    period_frame,
    read_csv_strings,
    read_text,
    require_columns,
)

REQUIRED = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number"]
DICTIONARY = config.RAW_DIR / "lait" / "lait_data_dictionary.csv"

#: LAIT Year_Type -> period kind for a bare year (the year the period ends in).
YEAR_TYPES = {
    "academic year": "academic_year",
    "financial year": "financial_year",
    "annual": "snapshot",
    "calendar year": "calendar_year",
    "annual (end of sept)": "calendar_year",
    "annual - january": "calendar_year",
}


@lru_cache(maxsize=2)
def read_dictionary(path: str | Path = DICTIONARY) -> pd.DataFrame:
    """LAIT's data dictionary (latin-1), one row per measure, as strings.

    >>> read_dictionary().set_index("Measure_short").loc["LAC", "Year_Type"]
    'Annual'
    """
    path = Path(path)
    frame = read_csv_strings(path, text=read_text(path))
    return frame.drop_duplicates("Measure_short").reset_index(drop=True)


def _strip(column: pd.Series) -> pd.Series:
    """Strip spaces via the (few) distinct values: much faster than .str.strip on 44k rows."""
    return column.map({u: u.strip() for u in pd.unique(column)})


def read(path: str | Path, *, validate: bool = True) -> pd.DataFrame:
    """Read a LAIT long extract into the observations model."""
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.areas import la_number_to_code

    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    require_columns(raw, REQUIRED, file)
    row = pd.Series(np.arange(len(raw)) + 2, index=raw.index)

    year_type = read_dictionary().set_index("Measure_short")["Year_Type"].str.strip().str.lower()
    kind = raw["Short Desc"].map(year_type.map(YEAR_TYPES))
    unknown = kind.isna()
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise UnknownIndicatorError(
            "measure not in LAIT's data dictionary (or its Year_Type is not understood)",
            file=file, row=pos + 2, column="Short Desc", value=raw["Short Desc"].iloc[pos],
            hint="Check the Short Desc against lait_data_dictionary.csv's Measure_short.",
        )

    values, flags = parse_numbers(raw["Values"], file=file, column="Values")

    # Map each distinct LA number once, then spread back by position.
    codes, uniques = pd.factorize(raw["LA Number"].to_numpy(dtype=object), use_na_sentinel=True)
    numbers = pd.to_numeric(pd.Series(list(uniques) + [""], dtype=object), errors="coerce")
    by_number = la_number_to_code(numbers)
    places = by_number.iloc[np.where(codes < 0, len(uniques), codes)].set_axis(raw.index)
    missing = places["area_code"].isna()
    if missing.any():
        pos = int(np.flatnonzero(missing.to_numpy())[0])
        raise BadValueError(
            "LA Number is not a known DfE local-authority number", file=file, row=pos + 2,
            column="LA Number", value=raw["LA Number"].iloc[pos],
            hint="Use the 3-digit DfE number (e.g. 332 for Dudley); see lait/la_code_list.xlsx.",
        )

    long = pd.DataFrame({
        "indicator": _strip(raw["Short Desc"]),
        "value": values, "flag": flags, "years": _strip(raw["Years"]), "kind": kind,
    }).join(places)
    parts = []
    for period_kind, group in long.groupby("kind", sort=False):
        parts.append(group.join(period_frame(group["years"], period_kind, file=file,
                                             column="Years", rows=row.loc[group.index])))
    long = pd.concat(parts).sort_index()
    long["source"] = f"{file} (DfE Local Authority Interactive Tool)"
    return finish(long, file=file, row_numbers=row, validate=validate)
