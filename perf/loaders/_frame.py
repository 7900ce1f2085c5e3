"""Finishing a loader's long frame into the validated observations model.

Validation is split for speed without weakening it: the element-wise rules of
:class:`perf.schema.Observations` (non-empty ids, level and kind vocabularies, the unique
key, period order) are checked here, vectorised and once, with errors that name the file
and row; pandera then checks the contract itself (columns, order, dtypes, nullability)
without coercing or re-running those rules. :func:`validate_observations` is the same
check for a frame built elsewhere (``load_all`` runs it once on the combined frame). The
LAIT reader, which builds each column in its final dtype, skips pandera's check: its tests
check the contract with pandera.

The identifying text columns are categoricals of ``str`` with sorted categories, period and
flag are ``str`` (see :class:`perf.schema.Observations`); :func:`categorical` builds a
categorical from codes and labels, so a loader that works on each distinct cell once never
materialises 640,000 strings (a loader may hand period and flag over as categoricals too:
:func:`check_rules` is fastest on codes, and :func:`as_schema_dtypes` converts them).

Source rows: the schema has no row column, so a frame read with ``validate=False`` (what
``load_all`` does) carries one more column, :data:`SOURCE_ROW`, the row of the file each
observation came from; ``load_all(..., source_rows=True)`` keeps it for ``perf check``.

Examples:
    >>> c = categorical(np.array([1, 0, 1, -1]), ["b", "a"])
    >>> list(c.categories), c.tolist()
    (['a', 'b'], ['a', 'b', 'a', nan])
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from perf import schema as models
from perf.errors import BadValueError, DuplicateKeyError
from perf.fileio import source_file
from perf.schema import (
    AREA_LEVELS,
    CATEGORY_COLUMNS,
    KEY,
    OBSERVATION_COLUMNS,
    PERIOD_KINDS,
    STR_COLUMNS,
)

__all__ = [
    "SOURCE_ROW",
    "as_schema_dtypes",
    "categorical",
    "check_rules",
    "concat_observations",
    "finish",
    "text_from_codes",
    "validate_observations",
]

_FLOAT_COLUMNS = ["value", "numerator", "denominator"]
_DATE_COLUMNS = ["period_start", "period_end"]
#: The extra column a frame read with ``validate=False`` carries: the file row of each
#: observation (the header is row 1 in a CSV; the first record is row 1 in a parquet file).
SOURCE_ROW = "source_row"
_STR = pd.StringDtype(na_value=np.nan)


@lru_cache(maxsize=1)
def _contract():
    """Observations with the element-wise rules taken out (they are checked vectorised in
    :func:`check_rules`) and no coercion (:func:`_typed` builds the dtypes)."""
    schema = copy.deepcopy(models.Observations.to_schema())  # (pandera loads here)
    schema.coerce = False
    schema.unique = None
    schema.checks = []
    for column in schema.columns.values():
        column.coerce = False
        column.checks = []
    return schema


def categorical(codes: np.ndarray, labels, present: np.ndarray | None = None) -> pd.Categorical:
    """A canonical text categorical (str categories, sorted, no duplicates, only those in
    use) from ``codes`` (-1 for missing) into ``labels`` (any values; each becomes
    ``str(label)``). ``present``: which labels the codes use, when the caller knows (it
    saves counting 640,000 codes)."""
    codes = np.asarray(codes)
    text = np.array([str(label) for label in labels], dtype=object)
    if present is None:
        present = (
            np.bincount(codes + 1, minlength=len(text) + 1)[1:] > 0
            if len(codes)
            else np.zeros(len(text), dtype=bool)
        )
    present = np.asarray(present, dtype=bool)
    categories, inverse = np.unique(text[present], return_inverse=True)
    dtype = np.int8 if len(categories) < 127 else np.int16 if len(categories) < 32767 else np.int32
    # One gather into the final dtype; code -1 (missing) indexes the last entry, -1.
    lookup = np.full(len(text) + 1, -1, dtype=dtype)
    lookup[np.flatnonzero(present)] = inverse
    return pd.Categorical.from_codes(
        lookup[codes], validate=False, dtype=pd.CategoricalDtype(pd.Index(categories, dtype=_STR))
    )


def text_from_codes(codes: np.ndarray, labels) -> pd.api.extensions.ExtensionArray:
    """A ``str`` column from ``codes`` (-1 for missing) into ``labels``, built by one
    pyarrow take (no Python string per row).

    >>> text_from_codes(np.array([1, -1, 0]), ["x", "y"]).tolist()
    ['y', nan, 'x']
    """
    dictionary = pa.array([str(label) for label in labels], type=pa.large_string())
    codes = np.asarray(codes)
    if codes.dtype.kind != "i":
        codes = codes.astype(np.int32)
    # Any integer codes serve (no row-sized copy); a mask only when a code is missing.
    missing = codes < 0 if len(codes) and codes.min() < 0 else None
    values = dictionary.take(pa.array(codes, mask=missing))
    if _STR.storage == "pyarrow":
        return pd.arrays.ArrowStringArray(values, dtype=_STR)
    return pd.array(values.to_numpy(zero_copy_only=False), dtype=_STR)


def _is_canonical(dtype) -> bool:
    return (
        isinstance(dtype, pd.CategoricalDtype)
        and not dtype.ordered
        and dtype.categories.dtype == _STR
        and dtype.categories.is_monotonic_increasing
    )


def _as_category(column: pd.Series) -> pd.Categorical:
    """A column as a canonical text categorical, converting each distinct value once."""
    if _is_canonical(column.dtype):
        return column.array
    if isinstance(column.dtype, pd.CategoricalDtype):
        return categorical(column.cat.codes.to_numpy(), column.cat.categories)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    return categorical(codes, uniques)


def _as_str(column: pd.Series):
    """A column as the ``str`` dtype, converting each distinct value once."""
    if column.dtype == _STR and column.dtype.storage == _STR.storage:
        return column.array
    if isinstance(column.dtype, pd.CategoricalDtype):
        labels = pd.array(list(column.cat.categories.astype(str)) + [None], dtype=_STR)
        codes = column.cat.codes.to_numpy()
        return labels.take(np.where(codes < 0, len(labels) - 1, codes))
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = pd.array([str(u) for u in uniques] + [None], dtype=_STR)
    return values.take(np.where(codes < 0, len(uniques), codes))


def as_schema_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (observation columns in order, text as categoricals or str) with the
    schema's dtypes: categoricals where it has them, ``str`` for period and flag."""
    out = {}
    for column in frame.columns:
        series = frame[column]
        if column in CATEGORY_COLUMNS:
            out[column] = _as_category(series)
        elif column in STR_COLUMNS:
            out[column] = _as_str(series)
        else:
            out[column] = (
                series.to_numpy()
                if not isinstance(series.dtype, pd.api.extensions.ExtensionDtype)
                else series.array
            )
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in OBSERVATION_COLUMNS:
        series = frame[column]
        if column in CATEGORY_COLUMNS:
            out[column] = _as_category(series)
            continue
        if column in STR_COLUMNS:
            out[column] = _as_str(series)
            continue
        if column in _FLOAT_COLUMNS:
            series = (
                pd.to_numeric(series, errors="raise").astype("float64")
                if series.dtype != "float64"
                else series
            )
        elif series.dtype != "datetime64[ns]":
            series = pd.to_datetime(series).astype("datetime64[ns]")
        out[column] = series.to_numpy()
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)), copy=False)


def _row(numbers: pd.Series | None, pos: int) -> int:
    return int(numbers.iloc[pos]) if numbers is not None else pos + 2


def _codes(column: pd.Series) -> tuple[np.ndarray, int]:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.array.codes, len(column.dtype.categories)
    codes, uniques = pd.factorize(column)
    return codes.astype(np.int64), len(uniques)


def _first_failing(column: pd.Series, test) -> int | None:
    """Position of the first row failing ``test`` (Series -> boolean Series), or None; for
    a categorical the test runs once per category, and rows are looked at only on failure."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        per_category = test(pd.Series(column.cat.categories)).to_numpy(dtype=bool)
        codes = column.array.codes
        has_missing = bool(len(codes)) and codes.min() < 0
        missing = has_missing and bool(test(pd.Series([np.nan], dtype=object)).iloc[0])
        if not per_category.any() and not missing:
            return None
        failing = np.append(per_category, missing)[codes]
    else:
        failing = test(column).to_numpy(dtype=bool)
    return int(np.argmax(failing)) if failing.any() else None


def check_rules(
    frame: pd.DataFrame, *, file: str | Path, row_numbers: pd.Series | None = None
) -> None:
    """The element-wise rules of the observations model, vectorised, with located errors."""
    name = Path(file).name
    for column in ("indicator", "area_code", "period"):
        pos = _first_failing(frame[column], lambda values: values.isna() | (values == ""))
        if pos is not None:
            raise BadValueError(
                f"{column} is blank",
                file=name,
                row=_row(row_numbers, pos),
                column=column,
                hint="Every row needs an indicator, area and period.",
            )
    for column, allowed in (("area_level", AREA_LEVELS), ("period_kind", PERIOD_KINDS)):
        pos = _first_failing(frame[column], lambda values: ~values.isin(allowed))
        if pos is not None:
            raise BadValueError(
                f"{column} must be one of {', '.join(allowed)}",
                file=name,
                row=_row(row_numbers, pos),
                column=column,
                value=frame[column].iloc[pos],
            )
    backwards = frame["period_end"].to_numpy() < frame["period_start"].to_numpy()
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise BadValueError(
            "period_end is before period_start",
            file=name,
            row=_row(row_numbers, pos),
            column="period",
            value=frame["period"].iloc[pos],
        )
    # Unique key: combine the three columns' codes into one integer and look for repeats
    # (a sort is several times faster than hashing 640,000 keys; positions only on failure).
    parts = [_codes(frame[column]) for column in KEY]
    space = np.prod([float(size + 1) for _, size in parts])
    # int32 where the key fits: faster to sort
    key: np.ndarray = np.zeros(len(frame), dtype=np.int32 if space < 2**31 else np.int64)
    for codes, size in parts:  # in place: no row-sized temporaries
        key *= size + 1
        key += codes
        key += 1
    ordered = np.sort(key)
    if len(key) > 1 and (ordered[1:] == ordered[:-1]).any():
        dup = pd.Series(key).duplicated(keep=False).to_numpy()
        rows = np.flatnonzero(dup)
        first = frame.iloc[rows[0]]
        same = np.flatnonzero(key == key[rows[0]])
        numbers = [_row(row_numbers, int(p)) for p in same]
        files = [source_file(frame["source"].iloc[int(p)]) for p in same[:2]]
        if files[0] != files[1]:  # two files of one data directory give the same figure
            raise DuplicateKeyError(
                f"{files[0]} (row {numbers[0]}) and {files[1]} (row {numbers[1]}) both give "
                f"{first['indicator']} for {first['area_code']} in {first['period']}",
                file=files[1],
                row=int(numbers[1]),
                column="indicator, area_code, period",
                hint="Keep each figure in one file: remove the file that repeats the other "
                "(an extract of a data set that is already there?), or the repeated rows.",
            )
        raise DuplicateKeyError(
            f"two rows give {first['indicator']} for {first['area_code']} in {first['period']}"
            f" (rows {numbers[0]} and {numbers[1]})",
            file=name,
            row=int(numbers[1]),
            column="indicator, area_code, period",
            hint="Keep one row per indicator, area and period; delete or correct the other.",
        )


def validate_observations(
    frame: pd.DataFrame, *, file: str | Path = "(combined)", row_numbers: pd.Series | None = None
) -> pd.DataFrame:
    """Type, check and validate a frame with the observation columns (same contract as
    ``Observations.validate``: columns, order, dtypes, non-empty ids, vocabularies, unique
    key, period order)."""
    typed = _typed(frame)
    check_rules(typed, file=file, row_numbers=row_numbers)
    return _contract().validate(typed, inplace=True)  # typed is a new frame


def concat_observations(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack frames with the observation columns, keeping categorical columns categorical
    (the categories are united once per column instead of 700,000 strings being re-coded).
    Other columns (e.g. :data:`SOURCE_ROW`) are stacked as they are."""
    if not frames:
        raise ValueError("no frames to stack")
    columns = list(frames[0].columns)
    out = {}
    for column in columns:
        parts = [f[column] for f in frames]
        if column in STR_COLUMNS:
            out[column] = pd.array(
                np.concatenate([p.to_numpy(dtype=object) for p in parts]), dtype=_STR
            )
            continue
        if column not in CATEGORY_COLUMNS:
            out[column] = np.concatenate([p.to_numpy() for p in parts])
            continue
        cats = [_as_category(p) for p in parts]
        labels = pd.Index(
            np.unique(
                np.concatenate(
                    [c.categories.to_numpy(dtype=object) for c in cats]
                    + [np.array([], dtype=object)]
                )
            ),
            dtype=_STR,
        )
        codes = []
        for c in cats:
            mapping = np.append(labels.get_indexer(c.categories), -1)  # code -1 stays -1
            codes.append(mapping[c.codes.astype(np.int64)])
        out[column] = categorical(np.concatenate(codes), labels)
    return pd.DataFrame(out, index=pd.RangeIndex(sum(len(f) for f in frames)), copy=False)


def finish(
    frame: pd.DataFrame,
    *,
    file: str | Path,
    row_numbers: pd.Series | None = None,
    validate: bool = True,
) -> pd.DataFrame:
    """Order the columns, let a period qualifier become the flag when no symbol was given,
    check the key is unique (naming both rows) and validate.

    ``row_numbers``: file row of each frame row, for error messages.
    With ``validate=False`` the frame is typed and its rules checked, but pandera's
    contract check is left to the caller (``load_all`` runs it once on the combined frame),
    and the frame keeps the file row of each observation as a last column,
    :data:`SOURCE_ROW`.
    """
    columns = {}
    for column in OBSERVATION_COLUMNS:
        if column in frame.columns:
            columns[column] = frame[column]
        elif column in ("numerator", "denominator", "value", "flag"):
            columns[column] = pd.Series(np.nan, index=frame.index)
        else:
            columns[column] = frame[column]  # a KeyError here is a loader bug
    if "qualifier" in frame.columns:
        flag = columns["flag"]
        columns["flag"] = flag.astype(object).where(flag.notna(), frame["qualifier"])
    frame = pd.DataFrame(columns).reset_index(drop=True)
    if row_numbers is not None:
        row_numbers = pd.Series(row_numbers).reset_index(drop=True)
    typed = _typed(frame)
    check_rules(typed, file=file, row_numbers=row_numbers)
    if validate:
        return _contract().validate(typed, inplace=True)  # typed is a new frame
    rows = row_numbers.to_numpy() if row_numbers is not None else np.arange(len(typed)) + 2
    typed[SOURCE_ROW] = rows.astype(np.int32)
    return typed
