"""DfE Explore Education Statistics (EES) CSVs: the children-looked-after file and the
ONS population file in data/raw/dfe, and any EES file of the same shape.

EES files are tidy already: identifier columns (``time_period``, ``time_identifier``,
``geographic_level``, country/region/LA codes), filter columns (text, e.g.
``population_type``) and measure columns (numbers or suppression symbols). Measure columns
are detected as the columns that are neither identifiers nor filters. Column names drift
between releases: ``population_count``/``number`` (older CLA releases) are read as
``population_type``/``children_count``.

Examples:
    >>> from perf import config
    >>> obs = read(config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv")
    >>> row = obs.query("indicator == 'cla_count' and area_code == 'E92000001' "
    ...                 "and period == '31 March 2023'")
    >>> float(row["value"].item())
    83750.0
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from perf.config import get_logger
from perf.errors import BadValueError, FileFormatError
from perf.loaders._frame import finish
from perf.loaders.common import (
    keyed_rows,
    parse_numbers,
    period_frame,
    read_csv_strings,
    require_columns,
)

log = get_logger()

IDENTIFIERS = ["time_period", "time_identifier", "geographic_level", "country_code",
               "country_name", "region_code", "region_name", "old_la_code", "new_la_code",
               "la_name"]
REQUIRED = ["time_period", "time_identifier", "geographic_level", "country_code"]
#: Older release name -> current name.
DRIFT = {"population_count": "population_type", "number": "children_count"}

#: population_type filter value (lower case, start) -> (indicator stem, period kind).
CLA_POPULATIONS = {
    "children looked after on 31 march": ("cla", "snapshot"),
    "children looked after at 31 march": ("cla", "snapshot"),
    "children starting to be looked after": ("cla_start", "financial_year"),
    "children ceasing to be looked after": ("cla_cease", "financial_year"),
}
LEVELS = {"national": "england", "regional": "region", "local authority": "la"}
TIME_KINDS = {"reporting year": None, "calendar year": "calendar_year",
              "academic year": "academic_year", "financial year": "financial_year"}


def _rename_drift(frame: pd.DataFrame) -> pd.DataFrame:
    renames = {old: new for old, new in DRIFT.items()
               if old in frame.columns and new not in frame.columns}
    if renames:
        log.info("EES column drift: reading %s", renames)
    return frame.rename(columns=renames)


def _areas(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    level = frame["geographic_level"].str.strip().str.lower().map(LEVELS)
    unknown = level.isna()
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise BadValueError(
            "geographic level not supported", file=file, row=pos + 2, column="geographic_level",
            value=frame["geographic_level"].iloc[pos],
            hint="perf reads National, Regional and Local authority rows; filter the file first.",
        )
    code = np.select(
        [level == "england", level == "region"],
        [frame["country_code"], frame.get("region_code", pd.Series("", index=frame.index))],
        default=frame.get("new_la_code", pd.Series("", index=frame.index)),
    )
    name = np.select(
        [level == "england", level == "region"],
        [frame.get("country_name", "England"), frame.get("region_name", "")],
        default=frame.get("la_name", ""),
    )
    return pd.DataFrame({"area_code": code, "area_name": name, "area_level": level},
                        index=frame.index)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read(path: str | Path, *, validate: bool = True) -> pd.DataFrame:
    """Read an EES CSV into the observations model.

    The CLA file gives ``cla_rate``/``cla_count`` (31 March snapshot) and
    ``cla_start_*``/``cla_cease_*`` (financial year); the population file gives
    ``population_0_17`` (calendar year). Any other EES file gives one indicator per
    measure column (and filter value), named from them.
    """
    path = Path(path)
    file = path.name
    raw = _rename_drift(read_csv_strings(path))
    require_columns(raw, REQUIRED, file)
    places = _areas(raw, file)
    keyed = keyed_rows(places, file)
    rownum = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    raw, places, rownum = raw[keyed], places[keyed], rownum[keyed]

    filters = [c for c in raw.columns if c not in IDENTIFIERS and not _is_measure(raw[c])]
    measures = [c for c in raw.columns if c not in IDENTIFIERS and c not in filters]
    if not measures:
        raise FileFormatError("no measure (number) columns found", file=file, row=1,
                              column="(measures)",
                              hint="An EES file needs at least one numeric column.")
    numbers = {}
    flags = {}
    for column in measures:
        numbers[column], flags[column] = parse_numbers(raw[column], file=file, column=column)
        numbers[column].index = raw.index
        flags[column].index = raw.index

    source = f"{file} (DfE Explore Education Statistics)"
    pieces: list[pd.DataFrame] = []
    if "population_type" in raw.columns and "children_count" in measures:
        source = f"{file} (DfE CLA, Explore Education Statistics)"
        stem_kind = raw["population_type"].str.strip().str.lower().map(
            lambda t: next((v for k, v in CLA_POPULATIONS.items() if t.startswith(k)), None))
        if stem_kind.isna().any():
            pos = int(np.flatnonzero(stem_kind.isna().to_numpy())[0])
            raise BadValueError("unknown population_type", file=file, row=int(rownum.iloc[pos]),
                                column="population_type", value=raw["population_type"].iloc[pos],
                                hint="Expected children looked after on 31 March / starting / ceasing.")
        stem = stem_kind.str[0]
        kind = stem_kind.str[1]
        denominator = numbers.get("population_estimate", pd.Series(np.nan, index=raw.index))
        for measure, suffix, num in (("children_count", "count", None),
                                     ("rate_per_10000", "rate", "children_count")):
            if measure not in numbers:
                continue
            pieces.append(pd.DataFrame({
                "indicator": stem + "_" + suffix, "kind": kind,
                "value": numbers[measure], "flag": flags[measure],
                "numerator": numbers[num] if num else np.nan,
                "denominator": denominator if num else np.nan, "row": rownum,
            }))
    elif "age_group" in raw.columns and "population_estimate" in measures:
        source = f"{file} (ONS mid-year population estimates, via DfE)"
        kind = pd.Series("calendar_year", index=raw.index)
        indicator = np.where(raw["age_group"].str.lower().str.contains("0 to 17"),
                             "population_0_17", "population_" + raw["age_group"].map(_slug))
        pieces.append(pd.DataFrame({"indicator": indicator, "kind": kind,
                                    "value": numbers["population_estimate"],
                                    "flag": flags["population_estimate"], "row": rownum}))
    else:
        tkind = raw["time_identifier"].str.strip().str.lower().map(TIME_KINDS)
        prefix = raw[filters].apply(lambda r: "_".join(_slug(v) for v in r), axis=1) \
            if filters else pd.Series("", index=raw.index)
        for measure in measures:
            ind = (prefix + "_" + measure).str.strip("_") if filters else measure
            pieces.append(pd.DataFrame({"indicator": ind, "kind": tkind,
                                        "value": numbers[measure], "flag": flags[measure],
                                        "row": rownum}))
    long = pd.concat([piece.join(places).join(raw[["time_period"]]) for piece in pieces],
                     ignore_index=True)
    parts = []
    for kind, group in long.groupby(long["kind"].fillna("none"), sort=False):
        periods = period_frame(group["time_period"], None if kind == "none" else kind,
                               file=file, column="time_period", rows=group["row"])
        parts.append(group.join(periods))
    long = pd.concat(parts)
    long["source"] = source
    long = long.sort_values("row", kind="stable")
    return finish(long, file=file, row_numbers=long["row"], validate=validate)


KNOWN_MEASURES = {"children_count", "rate_per_10000", "population_estimate", "number"}


def _is_measure(column: pd.Series) -> bool:
    if column.name in KNOWN_MEASURES:
        return True
    text = column.astype(str).str.strip()
    text = text[(text != "") & ~text.str.lower().isin(["c", "x", "z", "k", "u", "low", ":"])]
    if text.empty:
        return True
    return bool(pd.to_numeric(text.str.replace(",", ""), errors="coerce").notna().mean() >= 0.5)
