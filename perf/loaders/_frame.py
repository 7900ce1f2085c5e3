"""Finishing a loader's long frame into the validated observations model.

Validation is split for speed without weakening it: the element-wise rules of
:class:`perf.schema.Observations` (non-empty ids, level and kind vocabularies, the unique
key, period order) are checked here, vectorised and once, with errors that name the file
and row; pandera then checks the contract itself (columns, order, dtypes, nullability)
without coercing or re-running those rules. :func:`validate_observations` is the same
check for a frame built elsewhere (``load_all`` runs it once on the combined frame).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from perf.errors import BadValueError, DuplicateKeyError
from perf.schema import AREA_LEVELS, KEY, OBSERVATION_COLUMNS, PERIOD_KINDS, Observations

_STR_COLUMNS = ["indicator", "area_code", "area_name", "area_level", "period", "period_kind",
                "flag", "source"]
_FLOAT_COLUMNS = ["value", "numerator", "denominator"]
_DATE_COLUMNS = ["period_start", "period_end"]


@lru_cache(maxsize=1)
def _contract():
    """Observations with the element-wise rules taken out (they are checked vectorised in
    :func:`check_rules`) and no coercion (:func:`_typed` builds the dtypes)."""
    schema = copy.deepcopy(Observations.to_schema())
    schema.coerce = False
    schema.unique = None
    schema.checks = []
    for column in schema.columns.values():
        column.coerce = False
        column.checks = []
    return schema


def _as_str(column: pd.Series) -> pd.Series:
    """A column as the ``str`` dtype, converting each distinct value once."""
    if column.dtype == "str":
        return column
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = pd.array([str(u) for u in uniques] + [None], dtype="str")
    return pd.Series(values.take(np.where(codes < 0, len(uniques), codes)),
                     index=column.index, name=column.name)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in OBSERVATION_COLUMNS:
        series = frame[column]
        if column in _STR_COLUMNS:
            series = _as_str(series)
        elif column in _FLOAT_COLUMNS:
            series = pd.to_numeric(series, errors="raise").astype("float64") \
                if series.dtype != "float64" else series
        elif series.dtype != "datetime64[ns]":
            series = pd.to_datetime(series).astype("datetime64[ns]")
        out[column] = series.to_numpy() if not isinstance(series.dtype, pd.StringDtype) \
            else series.array
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def _row(numbers: pd.Series | None, pos: int) -> int:
    return int(numbers.iloc[pos]) if numbers is not None else pos + 2


def check_rules(frame: pd.DataFrame, *, file: str | Path,
                row_numbers: pd.Series | None = None) -> None:
    """The element-wise rules of the observations model, vectorised, with located errors."""
    name = Path(file).name
    for column in ("indicator", "area_code", "period"):
        empty = (frame[column].isna() | (frame[column] == "")).to_numpy()
        if empty.any():
            pos = int(np.argmax(empty))
            raise BadValueError(f"{column} is blank", file=name, row=_row(row_numbers, pos),
                                column=column, hint="Every row needs an indicator, area and period.")
    for column, allowed in (("area_level", AREA_LEVELS), ("period_kind", PERIOD_KINDS)):
        bad = (~frame[column].isin(allowed)).to_numpy()
        if bad.any():
            pos = int(np.argmax(bad))
            raise BadValueError(f"{column} must be one of {', '.join(allowed)}", file=name,
                                row=_row(row_numbers, pos), column=column,
                                value=frame[column].iloc[pos])
    backwards = (frame["period_end"] < frame["period_start"]).to_numpy()
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise BadValueError("period_end is before period_start", file=name,
                            row=_row(row_numbers, pos), column="period",
                            value=frame["period"].iloc[pos])
    # Unique key: combine the three columns' codes into one integer and look for repeats.
    key = np.zeros(len(frame), dtype=np.int64)
    for column in KEY:
        codes, uniques = pd.factorize(frame[column])
        key = key * (len(uniques) + 1) + codes
    dup = pd.Series(key).duplicated(keep=False).to_numpy()
    if dup.any():
        rows = np.flatnonzero(dup)
        first = frame.iloc[rows[0]]
        same = np.flatnonzero(key == key[rows[0]])
        numbers = [_row(row_numbers, int(p)) for p in same]
        raise DuplicateKeyError(
            f"two rows give {first['indicator']} for {first['area_code']} in {first['period']}"
            f" (rows {numbers[0]} and {numbers[1]})",
            file=name, row=int(numbers[1]), column="indicator, area_code, period",
            hint="Keep one row per indicator, area and period; delete or correct the other.",
        )


def validate_observations(frame: pd.DataFrame, *, file: str | Path = "(combined)",
                          row_numbers: pd.Series | None = None) -> pd.DataFrame:
    """Type, check and validate a frame with the observation columns (same contract as
    ``Observations.validate``: columns, order, dtypes, non-empty ids, vocabularies, unique
    key, period order)."""
    typed = _typed(frame)
    check_rules(typed, file=file, row_numbers=row_numbers)
    return _contract().validate(typed)


def finish(frame: pd.DataFrame, *, file: str | Path, row_numbers: pd.Series | None = None,
           validate: bool = True) -> pd.DataFrame:
    """Order the columns, let a period qualifier become the flag when no symbol was given,
    check the key is unique (naming both rows) and validate.

    ``row_numbers``: spreadsheet row of each frame row, for error messages.
    With ``validate=False`` the frame is typed and its rules checked, but pandera's
    contract check is left to the caller (``load_all`` runs it once on the combined frame).
    """
    frame = frame.copy()
    if "flag" not in frame.columns:
        frame["flag"] = np.nan
    if "qualifier" in frame.columns:
        frame["flag"] = frame["flag"].where(frame["flag"].notna(), frame["qualifier"])
    for column in ("numerator", "denominator", "value"):
        if column not in frame.columns:
            frame[column] = np.nan
    frame = frame[OBSERVATION_COLUMNS].reset_index(drop=True)
    if row_numbers is not None:
        row_numbers = pd.Series(row_numbers).reset_index(drop=True)
    typed = _typed(frame)
    check_rules(typed, file=file, row_numbers=row_numbers)
    return _contract().validate(typed) if validate else typed
