"""DfE Explore Education Statistics (EES) CSVs: the children-looked-after file and the
ONS population file in data/raw/dfe, and any EES file of the same shape.

EES files are tidy already: identifier columns (``time_period``, ``time_identifier``,
``geographic_level``, country/region/LA codes), filter columns (text, e.g.
``population_type``) and measure columns (numbers or suppression symbols). Measure columns
are detected as the columns that are neither identifiers nor filters.

Known file types never drop or invent silently:

* the file type is recognised by its content, not by which measures happen to be there:
  a ``population_type`` column of children-looked-after populations makes a CLA file, an
  ``age_group`` column with ``population_estimate`` the ONS population file;
* column names drift between releases: each known column has a declared list of other
  names (:data:`ALIASES`: ``number`` -> ``children_count``, ``rate_per_10k`` ->
  ``rate_per_10000``, ``population_count`` -> ``population_type``, ...; case, spaces and
  hyphens ignored), and a required measure that is absent under every name is a
  :class:`MissingColumnError` naming the file and the column;
* a column the file type does not use is listed in one warning (nothing vanishes without
  a word); any other EES file keeps every column, as a filter or a measure.

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
from perf.errors import BadValueError, FileFormatError, MissingColumnError
from perf.loaders._frame import finish
from perf.loaders.common import (
    file_decimal,
    keyed_rows,
    parse_numbers,
    period_frame,
    read_csv_strings,
    require_columns,
)

log = get_logger()

IDENTIFIERS = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
]
REQUIRED = ["time_period", "time_identifier", "geographic_level", "country_code"]
#: Column name -> the other names it has had or may have (compared lower case, with spaces
#: and hyphens read as underscores). Older CLA releases said population_count and number.
ALIASES: dict[str, list[str]] = {
    "population_type": ["population_count", "cla_population_type", "population"],
    "children_count": [
        "number",
        "count",
        "children_number",
        "number_of_children",
        "cla_number",
        "cla_count",
    ],
    "rate_per_10000": [
        "rate_per_10k",
        "rate_per_10_000",
        "rate_per_10000_children",
        "rate_per_10k_children",
        "rate_10000",
        "rate_10k",
        "rate",
    ],
    "population_estimate": [
        "population_estimates",
        "pop_estimate",
        "population_0_17",
        "estimated_population",
    ],
}
#: Measures of a CLA file. children_count must be there (under some name). An older release
#: may publish no rate: without rate_per_10000 the file gives counts only, with a warning,
#: unless an unknown numeric column is there too (a renamed rate: an error naming both).
#: population_estimate (the rate's denominator) is optional.
CLA_MEASURES = ["children_count", "rate_per_10000"]

#: population_type filter value (lower case, start) -> (indicator stem, period kind).
CLA_POPULATIONS = {
    "children looked after on 31 march": ("cla", "snapshot"),
    "children looked after at 31 march": ("cla", "snapshot"),
    "children starting to be looked after": ("cla_start", "financial_year"),
    "children ceasing to be looked after": ("cla_cease", "financial_year"),
}
LEVELS = {"national": "england", "regional": "region", "local authority": "la"}
TIME_KINDS = {
    "reporting year": None,
    "calendar year": "calendar_year",
    "academic year": "academic_year",
    "financial year": "financial_year",
}


def _name_key(name: str) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").split())


def _rename_drift(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    """Rename a column found under one of its :data:`ALIASES` to its current name (never
    over a column that has the current name already)."""
    present = {_name_key(c): c for c in frame.columns}
    renames = {}
    for name, others in ALIASES.items():
        if name in frame.columns:
            continue
        for other in [name, *others]:
            column = present.get(_name_key(other))
            if column is not None and column not in renames:
                renames[column] = name
                break
    if renames:
        log.info(
            "%s: EES column names read by their declared aliases: %s",
            file,
            ", ".join(f"{old} -> {new}" for old, new in renames.items()),
        )
    return frame.rename(columns=renames)


def _require_measures(frame: pd.DataFrame, needed: list[str], file: str, kind: str) -> None:
    for name in needed:
        if name not in frame.columns:
            raise MissingColumnError(
                f"a {kind} file needs a {name} column",
                file=file,
                row=1,
                column=name,
                hint=f"Names read as {name}: {', '.join([name, *ALIASES.get(name, [])])}. "
                f"The file's columns are: {', '.join(map(str, frame.columns))}. Rename the "
                "column, or add its new name to perf.loaders.ees.ALIASES.",
            )


def _no_rate(raw: pd.DataFrame, file: str) -> None:
    """A CLA file without a rate column: a renamed one is an error, none at all a warning."""
    known = {*IDENTIFIERS, "population_type", *CLA_MEASURES, "population_estimate"}
    numeric = [c for c in raw.columns if c not in known and _is_measure(raw[c])]
    if numeric:
        _require_measures(raw, ["rate_per_10000"], file, "children-looked-after (CLA)")
    log.warning(
        "%s: no rate_per_10000 column (under any of its names %s): the file gives "
        "counts only, no cla_*_rate",
        file,
        ", ".join(ALIASES["rate_per_10000"]),
    )


def _warn_unused(frame: pd.DataFrame, used: set[str], file: str, kind: str) -> None:
    unused = [c for c in frame.columns if c not in used and c not in IDENTIFIERS]
    if unused:
        log.warning(
            "%s: %d column(s) a %s file does not use, not read: %s",
            file,
            len(unused),
            kind,
            ", ".join(map(str, unused)),
        )


def _areas(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    level = frame["geographic_level"].str.strip().str.lower().map(LEVELS)
    unknown = level.isna()
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise BadValueError(
            "geographic level not supported",
            file=file,
            row=pos + 2,
            column="geographic_level",
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
    return pd.DataFrame(
        {"area_code": code, "area_name": name, "area_level": level}, index=frame.index
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _column(raw: pd.DataFrame, name: str) -> str | None:
    """The file's column holding ``name``, under its own name or one of its aliases."""
    present = {_name_key(c): c for c in raw.columns}
    return next(
        (present[_name_key(n)] for n in [name, *ALIASES.get(name, [])] if _name_key(n) in present),
        None,
    )


def _file_type(raw: pd.DataFrame) -> str:
    """``CLA``, ``population`` or ``generic``, from the file's content (not from which
    measures happen to be present, so a CLA file without children_count is still one)."""
    population_type = _column(raw, "population_type")
    if population_type is not None:
        kinds = raw[population_type].str.strip().str.lower()
        if kinds.map(lambda t: any(t.startswith(k) for k in CLA_POPULATIONS)).any():
            return "CLA"
    if "age_group" in raw.columns and _column(raw, "population_estimate") is not None:
        return "population"
    return "generic"


def read(path: str | Path, *, validate: bool = True, decimal: str | None = None) -> pd.DataFrame:
    """Read an EES CSV into the observations model.

    The CLA file gives ``cla_rate``/``cla_count`` (31 March snapshot) and
    ``cla_start_*``/``cla_cease_*`` (financial year); the population file gives
    ``population_0_17`` (calendar year). Any other EES file gives one indicator per
    measure column (and filter value), named from them.
    """
    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    mark = file_decimal(raw, decimal)
    require_columns(raw, REQUIRED, file)
    kind_of_file = _file_type(raw)
    if kind_of_file != "generic":  # a generic file's columns are its indicators' names
        raw = _rename_drift(raw, file)
    if kind_of_file == "CLA":
        _require_measures(raw, ["children_count"], file, "children-looked-after (CLA)")
        if "rate_per_10000" not in raw.columns:
            _no_rate(raw, file)
    elif kind_of_file == "population":
        _require_measures(raw, ["population_estimate"], file, "population")
    places = _areas(raw, file)
    keyed = keyed_rows(places, file)
    rownum = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    raw, places, rownum = raw[keyed], places[keyed], rownum[keyed]

    if kind_of_file == "CLA":
        filters = ["population_type"]
        measures = [c for c in [*CLA_MEASURES, "population_estimate"] if c in raw.columns]
        _warn_unused(raw, {*filters, *measures}, file, "children-looked-after (CLA)")
    elif kind_of_file == "population":
        filters, measures = ["age_group"], ["population_estimate"]
        _warn_unused(raw, {*filters, *measures}, file, "population")
    else:
        filters = [c for c in raw.columns if c not in IDENTIFIERS and not _is_measure(raw[c])]
        measures = [c for c in raw.columns if c not in IDENTIFIERS and c not in filters]
    if not measures:
        raise FileFormatError(
            "no measure (number) columns found",
            file=file,
            row=1,
            column="(measures)",
            hint="An EES file needs at least one numeric column.",
        )
    numbers = {}
    flags = {}
    for column in measures:
        numbers[column], flags[column] = parse_numbers(
            raw[column], file=file, column=column, rows=rownum, decimal=mark
        )
        numbers[column].index = raw.index
        flags[column].index = raw.index

    source = f"{file} (DfE Explore Education Statistics)"
    pieces: list[pd.DataFrame] = []
    if kind_of_file == "CLA":
        source = f"{file} (DfE CLA, Explore Education Statistics)"
        stem_kind = (
            raw["population_type"]
            .str.strip()
            .str.lower()
            .map(lambda t: next((v for k, v in CLA_POPULATIONS.items() if t.startswith(k)), None))
        )
        if stem_kind.isna().any():
            pos = int(np.flatnonzero(stem_kind.isna().to_numpy())[0])
            raise BadValueError(
                "unknown population_type",
                file=file,
                row=int(rownum.iloc[pos]),
                column="population_type",
                value=raw["population_type"].iloc[pos],
                hint="Expected children looked after on 31 March / starting / ceasing.",
            )
        stem = stem_kind.str[0]
        kind = stem_kind.str[1]
        denominator = numbers.get("population_estimate", pd.Series(np.nan, index=raw.index))
        for measure, suffix, num in (
            ("children_count", "count", None),
            ("rate_per_10000", "rate", "children_count"),
        ):
            if measure not in numbers:
                continue
            pieces.append(
                pd.DataFrame(
                    {
                        "indicator": stem + "_" + suffix,
                        "kind": kind,
                        "value": numbers[measure],
                        "flag": flags[measure],
                        "numerator": numbers[num] if num else np.nan,
                        "denominator": denominator if num else np.nan,
                        "row": rownum,
                    }
                )
            )
    elif kind_of_file == "population":
        source = f"{file} (ONS mid-year population estimates, via DfE)"
        kind = pd.Series("calendar_year", index=raw.index)
        indicator = np.where(
            raw["age_group"].str.lower().str.contains("0 to 17"),
            "population_0_17",
            "population_" + raw["age_group"].map(_slug),
        )
        pieces.append(
            pd.DataFrame(
                {
                    "indicator": indicator,
                    "kind": kind,
                    "value": numbers["population_estimate"],
                    "flag": flags["population_estimate"],
                    "row": rownum,
                }
            )
        )
    else:
        tkind = raw["time_identifier"].str.strip().str.lower().map(TIME_KINDS)
        prefix = (
            raw[filters].apply(lambda r: "_".join(_slug(v) for v in r), axis=1)
            if filters
            else pd.Series("", index=raw.index)
        )
        for measure in measures:
            ind = (prefix + "_" + measure).str.strip("_") if filters else measure
            pieces.append(
                pd.DataFrame(
                    {
                        "indicator": ind,
                        "kind": tkind,
                        "value": numbers[measure],
                        "flag": flags[measure],
                        "row": rownum,
                    }
                )
            )
    long = pd.concat(
        [piece.join(places).join(raw[["time_period"]]) for piece in pieces], ignore_index=True
    )
    parts = []
    for kind, group in long.groupby(long["kind"].fillna("none"), sort=False):
        periods = period_frame(
            group["time_period"],
            None if kind == "none" else kind,
            file=file,
            column="time_period",
            rows=group["row"],
        )
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
