"""The council's own files in data/local: long indicator CSVs, the Dudley-style wide
scorecard, and the targets, key-activities and commentary tables.

Long CSV columns: ``indicator, area_code, period, value`` required; ``area_name,
numerator, denominator, flag, target, source`` optional; anything else is an error
(strict: nothing is silently ignored). Indicators must be in the catalogue.

Scorecard layout (as in the Dudley seed)::

    Area,Dudley
    Periods -->,01/04/2012 to 30/06/2012
    Source,<optional: where the figures come from>
    PI,Actual,Target,Score
    Number of LAC per 10k of the child population,104.9,98.8,

PIs are matched to the catalogue by title (case and spacing ignored).

Examples:
    >>> from perf import config
    >>> obs = read_scorecard(config.LOCAL_DIR / "dudley_scorecard_2012-13_q1.csv")
    >>> row = obs.set_index("indicator").loc["dudley_lac_rate"]
    >>> row["period"], float(row["value"])
    ('2012-13 Q1', 104.9)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from perf.errors import (
    BadValueError,
    DuplicateKeyError,
    EmptyFileError,
    FileFormatError,
    MissingColumnError,
    OrphanTargetError,
    UnexpectedColumnError,
    UnknownAreaError,
    UnknownIndicatorError,
)
from perf.loaders._frame import finish
from perf.loaders.common import (
    FLAG_VALUES,
    check_percent_scale,
    file_decimal,
    parse_numbers,
    percent_marked,
    period_frame,
    read_csv_strings,
    read_text,
    require_columns,
)
from perf.schema import KEY, Commentary, KeyActivities, Targets

LONG_REQUIRED = ["indicator", "area_code", "period", "value"]
LONG_OPTIONAL = ["area_name", "numerator", "denominator", "flag", "target", "source"]
ACTIVITY_COLUMNS = [
    "ref",
    "area_code",
    "period",
    "priority",
    "objective",
    "activity",
    "status",
    "progress",
    "lead_officer",
]
COMMENTARY_COLUMNS = ["indicator", "area_code", "period", "text"]
TARGET_COLUMNS = ["indicator", "area_code", "period", "target"]
STATUS = {
    "★": "excellent",
    "✓": "good",
    "▲": "fair",
    "excellent": "excellent",
    "good": "good",
    "fair": "fair",
}


def _strict_columns(
    frame: pd.DataFrame, required: list[str], optional: list[str], file: str
) -> None:
    require_columns(frame, required, file)
    for column in frame.columns:
        if column not in required and column not in optional:
            raise UnexpectedColumnError(
                "column is not part of this format",
                file=file,
                row=1,
                column=column,
                hint=f"Allowed columns: {', '.join(required + optional)}. Remove or rename it.",
            )


def _check_indicators(
    ids: pd.Series, file: str, rows: pd.Series, column: str = "indicator"
) -> None:
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.catalogue import catalogue

    known = set(catalogue()["indicator"])
    unknown = ~ids.isin(known)
    if unknown.any():
        pos = int(np.flatnonzero(unknown.to_numpy())[0])
        raise UnknownIndicatorError(
            "indicator is not in the catalogue",
            file=file,
            row=int(rows.iloc[pos]),
            column=column,
            value=ids.iloc[pos],
            hint="Use an id from perf.catalogue.catalogue(), or add the "
            "indicator to data/catalogue.csv first.",
        )


def _check_targetable(frame: pd.DataFrame, file: str, rows: pd.Series) -> None:
    """A target for a measure of demand or activity (polarity ``neither``: neither higher nor
    lower is better) is refused by its row: such a measure is shown with no RAG, and a target
    for it cannot be scored."""
    from perf.catalogue import catalogue  # lazy, as in _check_indicators

    polarity = catalogue().set_index("indicator")["polarity"]
    given = frame["target"].astype(str).str.strip().ne("") & frame["target"].notna()
    wrong = given & frame["indicator"].map(polarity).eq("neither")
    if wrong.any():
        pos = int(np.flatnonzero(wrong.to_numpy())[0])
        raise BadValueError(
            "a target for a measure of demand or activity, where neither higher nor lower is "
            "better: it is shown with no red, amber or green, so a target cannot be scored",
            file=file,
            row=int(rows.iloc[pos]),
            column="target",
            value=frame["indicator"].iloc[pos],
            hint="Remove the row, or choose a measure with a better direction.",
        )


def _periods(labels: pd.Series, file: str, rows: pd.Series, column: str = "period") -> pd.DataFrame:
    return period_frame(labels, None, file=file, column=column, rows=rows)


def _area_columns(
    codes: pd.Series, names: pd.Series | None, file: str, rows: pd.Series
) -> pd.DataFrame:
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.areas import resolve_area_codes

    codes = codes.str.strip()
    empty = codes == ""
    if empty.any():
        pos = int(np.flatnonzero(empty.to_numpy())[0])
        raise BadValueError(
            "area_code is blank",
            file=file,
            row=int(rows.iloc[pos]),
            column="area_code",
            hint="Give the ONS code, e.g. E08000027.",
        )
    # a name, a lower-case code or a DfE number becomes the area's ONS code; an unknown
    # area, a district or a former council by name is refused (never a new area)
    places = resolve_area_codes(codes, file=file, rows=rows, column="area_code")
    if names is not None:
        places["area_name"] = names.where(names.str.strip() != "", places["area_name"])
    return places


def read_long(
    path: str | Path, *, validate: bool = True, decimal: str | None = None
) -> pd.DataFrame:
    """A long local indicator CSV -> observations (targets are read by :func:`read_targets`).

    ``decimal``: the decimal mark, when not the one the file's separator implies (``,`` for
    a ``;``-separated file). A percentage indicator whose values mix fractions and
    percentages is refused (:func:`perf.loaders.common.check_percent_scale`).
    """
    path = Path(path)
    file = path.name
    raw = read_csv_strings(path)
    mark = file_decimal(raw, decimal)
    _strict_columns(raw, LONG_REQUIRED, LONG_OPTIONAL, file)
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    raw = raw.apply(lambda c: c.str.strip())
    for column in ("indicator", "period"):
        blank = raw[column] == ""
        if blank.any():
            pos = int(np.flatnonzero(blank.to_numpy())[0])
            raise BadValueError(
                f"{column} is blank",
                file=file,
                row=pos + 2,
                column=column,
                hint="Every row needs an indicator, area_code and period.",
            )
    _check_indicators(raw["indicator"], file, rows)
    periods = _periods(raw["period"], file, rows)
    places = _area_columns(raw["area_code"], raw.get("area_name"), file, rows)
    value, symbol = parse_numbers(raw["value"], file=file, column="value", rows=rows, decimal=mark)
    _check_percentages(raw["indicator"], value, percent_marked(raw["value"]), file, rows)
    frame = pd.DataFrame({"indicator": raw["indicator"], "value": value}).join(places).join(periods)
    for column in ("numerator", "denominator"):
        frame[column] = (
            parse_numbers(raw[column], file=file, column=column, rows=rows, decimal=mark)[0]
            if column in raw
            else np.nan
        )
    flag = raw["flag"].str.lower() if "flag" in raw else pd.Series("", index=raw.index)
    bad = (flag != "") & ~flag.isin(FLAG_VALUES)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise BadValueError(
            "unknown flag",
            file=file,
            row=pos + 2,
            column="flag",
            value=raw["flag"].iloc[pos],
            hint=f"Use one of: {', '.join(sorted(FLAG_VALUES))}, or leave blank.",
        )
    frame["flag"] = flag.where(flag != "", symbol)
    if "target" in raw:
        _check_targetable(raw, file, rows)
        target, _ = parse_numbers(
            raw["target"], file=file, column="target", rows=rows, decimal=mark
        )
        orphan = target.notna() & frame["value"].isna() & frame["flag"].isna()
        if orphan.any():
            pos = int(np.flatnonzero(orphan.to_numpy())[0])
            raise OrphanTargetError(
                "a target is given but there is no actual value",
                file=file,
                row=pos + 2,
                column="value",
                hint="Enter the actual figure, or a symbol (e.g. 'x' not yet "
                "available) in value or flag, or remove the target.",
            )
    src = raw["source"] if "source" in raw else pd.Series("", index=raw.index)
    frame["source"] = np.where(src != "", file + " (" + src + ")", file)
    return finish(frame, file=file, row_numbers=rows, validate=validate)


def _check_percentages(
    ids: pd.Series, values: pd.Series, marked: pd.Series, file: str, rows: pd.Series
) -> None:
    """A percentage indicator (catalogue unit '%') must not mix 0.55 with 56 or 56%."""
    # lazy: perf.catalogue imports perf.loaders.lait, whose package imports this module
    from perf.catalogue import catalogue

    units = catalogue().set_index("indicator")["unit"]
    percent = ids.map(units).eq("%").to_numpy()
    if percent.any():
        check_percent_scale(
            values[percent],
            marked[percent],
            ids[percent],
            file=file,
            column="value",
            rows=rows[percent],
        )


def _scorecard_rows(path: Path) -> tuple[dict[str, str], list[list[str]], int]:
    text = read_text(path)
    try:
        lines = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise BadValueError(
            f"the scorecard could not be read as CSV ({exc})",
            file=path.name,
            row=1,
            column="(all)",
            hint="Save the file again as a CSV.",
        ) from None
    meta: dict[str, str] = {}
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line]
        if not any(cells):
            continue
        first = cells[0].lower()
        if first == "pi":
            header = [c.lower() for c in cells if c]
            for need in ("actual", "target"):
                if need not in header:
                    raise MissingColumnError(
                        "scorecard header lacks a column",
                        file=path.name,
                        row=i + 1,
                        column=need.title(),
                        hint="The header row must be PI,Actual,Target,Score.",
                    )
            return meta, lines[i:], i + 1
        key = first.rstrip(":").replace("-->", "").strip()
        meta[key] = cells[1] if len(cells) > 1 else ""
        meta["_row_" + key] = str(i + 1)
    raise FileFormatError(
        "no 'PI,Actual,Target,Score' header row found",
        file=path.name,
        row=1,
        hint="A scorecard has Area and Periods --> rows, then the PI header.",
    )


def scorecard_area(path: str | Path) -> str:
    """The text of a scorecard's ``Area`` line (which council it is about), as written."""
    return _scorecard_rows(Path(path))[0].get("area", "")


def _scorecard_table(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """(rows with indicator, actual text, target text, row number), area/period columns, source."""
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.catalogue import catalogue

    file = path.name
    meta, table, header_row = _scorecard_rows(path)
    for key, label in (("area", "Area"), ("periods", "Periods -->")):
        if not meta.get(key):
            raise MissingColumnError(
                f"the '{label}' row is missing or blank",
                file=file,
                row=1,
                column=label,
                hint=f"Start the file with '{label},<value>'.",
            )
    header = [c.strip().lower() for c in table[0]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in table[1:]]
    frame = pd.DataFrame(body, columns=header)
    frame["row"] = np.arange(len(frame)) + header_row + 1
    frame = frame[frame["pi"].str.strip() != ""]
    if frame.empty:
        raise EmptyFileError(
            "the scorecard has no PI rows",
            file=file,
            row=header_row + 1,
            hint="Add one row per PI under the header.",
        )
    cat = catalogue()
    norm = lambda s: " ".join(str(s).lower().split())  # noqa: E731
    by_title = dict(zip(cat["title"].map(norm), cat["indicator"]))
    ids = frame["pi"].map(lambda t: by_title.get(norm(t)))
    if ids.isna().any():
        pos = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise UnknownIndicatorError(
            "PI title matches no indicator in the catalogue",
            file=file,
            row=int(frame["row"].iloc[pos]),
            column="PI",
            value=frame["pi"].iloc[pos],
            hint="Use the title exactly as in data/catalogue.csv.",
        )
    frame["indicator"] = ids
    try:
        area = _find_area_code(meta["area"])
    except UnknownAreaError as exc:
        raise UnknownAreaError(
            exc.message, file=file, row=int(meta.get("_row_area", 1)), column="Area", hint=exc.hint
        ) from None
    labels = pd.Series(meta["periods"], index=frame.index)
    period_row = pd.Series(int(meta.get("_row_periods", 2)), index=frame.index)
    periods = _periods(labels, file, period_row, column="Periods -->")
    source = meta.get("source", "")
    return frame.join(periods), pd.DataFrame({"area_code": [area]}), source


def _find_area_code(name: str) -> str:
    # lazy: perf.areas/catalogue import perf.loaders.common, whose package imports this module
    from perf.areas import find_area

    return str(find_area(name)["area_code"])


def read_scorecard(
    path: str | Path, *, validate: bool = True, decimal: str | None = None
) -> pd.DataFrame:
    """The wide quarterly scorecard (Dudley layout) -> observations (Actual column);
    ``decimal``: its decimal mark, when not ``.``."""
    path = Path(path)
    file = path.name
    frame, area, source = _scorecard_table(path)
    value, flag = parse_numbers(
        frame["actual"], file=file, column="Actual", rows=frame["row"], decimal=decimal or "."
    )
    target, _ = parse_numbers(
        frame["target"], file=file, column="Target", rows=frame["row"], decimal=decimal or "."
    )
    orphan = target.notna() & value.isna() & flag.isna()
    if orphan.any():
        pos = int(np.flatnonzero(orphan.to_numpy())[0])
        raise OrphanTargetError(
            "a target is given but there is no actual value",
            file=file,
            row=int(frame["row"].iloc[pos]),
            column="Actual",
            hint="Enter the actual figure (or a symbol such as 'x'), or remove the target.",
        )
    places = _area_columns(
        pd.Series(area["area_code"].iloc[0], index=frame.index), None, file, frame["row"]
    )
    out = frame[
        ["indicator", "period", "period_kind", "period_start", "period_end", "qualifier"]
    ].join(places)
    out["value"] = value.to_numpy()
    out["flag"] = flag.to_numpy()
    out["source"] = f"{file} ({source})" if source else file
    return finish(out, file=file, row_numbers=frame["row"], validate=validate)


def scorecard_targets(path: str | Path) -> pd.DataFrame:
    """The Target column of a scorecard, as a :class:`perf.schema.Targets` frame."""
    path = Path(path)
    frame, area, _ = _scorecard_table(path)
    _check_targetable(frame, path.name, frame["row"])
    target, _ = parse_numbers(
        frame["target"], file=path.name, column="Target", row_offset=int(frame["row"].iloc[0])
    )
    out = pd.DataFrame(
        {
            "indicator": frame["indicator"],
            "area_code": area["area_code"].iloc[0],
            "period": frame["period"],
            "target": target.to_numpy(),
        }
    )
    return Targets.validate(out[out["target"].notna()].reset_index(drop=True))


def _table(
    path: str | Path, columns: list[str], required: list[str]
) -> tuple[pd.DataFrame, str, pd.Series]:
    path = Path(path)
    raw = read_csv_strings(path)
    _strict_columns(raw, required, [c for c in columns if c not in required], path.name)
    raw = raw.apply(lambda c: c.str.strip())
    for column in columns:
        if column not in raw:
            raw[column] = ""
    rows = pd.Series(np.arange(len(raw)) + 2, index=raw.index)
    return raw[columns], path.name, rows


def _canonical_periods(raw: pd.DataFrame, file: str, rows: pd.Series) -> pd.Series:
    return _periods(raw["period"], file, rows)["period"]


def _unique(frame: pd.DataFrame, key: list[str], file: str, rows: pd.Series) -> None:
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        positions = np.flatnonzero(dup.to_numpy())
        raise DuplicateKeyError(
            f"two rows share {', '.join(key)} (rows {rows.iloc[positions[0]]} and "
            f"{rows.iloc[positions[1]]})",
            file=file,
            row=int(rows.iloc[positions[1]]),
            column=", ".join(key),
            hint="Keep one row per key; delete or correct the other.",
        )


def read_targets(path: str | Path) -> pd.DataFrame:
    """``targets.csv`` (indicator, area_code, period, target[, flag, set_by, set_on]) ->
    :class:`Targets` (``flag`` ``ex`` marks an illustrative example target; ``set_by`` and
    ``set_on`` say who set the target and when, shown beside it)."""
    raw, file, rows = _table(path, TARGET_COLUMNS + ["flag", "set_by", "set_on"], TARGET_COLUMNS)
    raw["flag"] = raw["flag"].str.lower().replace("", None)
    for column in ("set_by", "set_on"):
        raw[column] = raw[column].str.strip().replace("", None)
    _check_indicators(raw["indicator"], file, rows)
    _check_targetable(raw, file, rows)
    raw["period"] = _canonical_periods(raw, file, rows)
    raw["target"], flags = parse_numbers(raw["target"], file=file, column="target")
    _unique(raw, KEY, file, rows)
    return Targets.validate(raw.reset_index(drop=True))


def read_key_activities(path: str | Path) -> pd.DataFrame:
    """``key_activities.csv`` -> :class:`KeyActivities` (status symbols ★ ✓ ▲ -> words).

    Progress text is kept verbatim, including any ``<p>`` tags from the source report;
    presentation code sanitises it.
    """
    raw, file, rows = _table(
        path, ACTIVITY_COLUMNS, ["ref", "area_code", "period", "priority", "activity", "status"]
    )
    status = raw["status"].map(
        lambda s: STATUS.get(s.strip().lower() if s.isascii() else s.strip())
    )
    if status.isna().any():
        pos = int(np.flatnonzero(status.isna().to_numpy())[0])
        raise BadValueError(
            "unknown status",
            file=file,
            row=int(rows.iloc[pos]),
            column="status",
            value=raw["status"].iloc[pos],
            hint="Use ★ (excellent), ✓ (good) or ▲ (fair), or the word.",
        )
    raw["status"] = status
    raw["period"] = _canonical_periods(raw, file, rows)
    _unique(raw, ["ref", "area_code", "period"], file, rows)
    for column in ("objective", "progress", "lead_officer"):
        raw[column] = raw[column].replace("", None)
    return KeyActivities.validate(raw.reset_index(drop=True))


def read_commentary(path: str | Path) -> pd.DataFrame:
    """``commentary.csv`` (indicator, area_code, period, text) -> :class:`Commentary`."""
    raw, file, rows = _table(path, COMMENTARY_COLUMNS, COMMENTARY_COLUMNS)
    _check_indicators(raw["indicator"], file, rows)
    raw["period"] = _canonical_periods(raw, file, rows)
    return Commentary.validate(raw.reset_index(drop=True))
