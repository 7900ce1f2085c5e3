"""Change over time: against the previous quarter, the same period last year and the end of
the previous financial year, with direction of travel by polarity.

Definitions (``before`` is the comparison period's value, ``after`` the period's):

* ``change = after - before`` in the indicator's units;
* ``change_pct = change / abs(before) * 100`` (missing when ``before`` is 0);
* ``change_pp = change`` for percentage indicators (catalogue unit ``%``), missing otherwise:
  a move from 10% to 12% is 2 percentage points and a 20% relative rise;
* ``direction``: ``no change`` when ``abs(change) <= threshold`` (declared, in the
  indicator's units; default 0), else ``improving``/``worsening`` by polarity;
  ``not comparable`` when either value is missing or the comparison does not exist for the
  period's kind (an annual figure has no previous quarter); ``no polarity`` when the
  indicator has polarity ``neither`` (the move is in ``movement``: up/down/no change).

Each indicator is compared at its own published period: asked for ``2024-25``, a 31 March
stock is compared at ``31 March 2025``, absence at the academic year ``2024/25`` and NEET at
the calendar year ``2024`` (:func:`match_period` picks the period that best fits). An
indicator with no period overlapping the one asked for has no row; :func:`latest_up_to`
and :func:`previous_comparable` (behind ``perf.changes``) also give those their latest figure.

Which period is compared with which (from :mod:`perf.periods`):

* ``previous_quarter``: financial quarters only.
* ``same_period_last_year``: the same quarter, year or snapshot date a year earlier.
* ``previous_year_end``: the end of the previous financial year, looked up in order as the
  financial year itself (``2011-12``), its last quarter (``2011-12 Q4``) or the snapshot on
  its last day (``31 March 2012``): the first that has a row for the indicator and area.

Examples:
    >>> frame = pd.DataFrame({"indicator": "LACnum", "area_code": "E08000035",
    ...     "period": ["2011-12 Q2", "2011-12 Q4", "2012-13 Q1", "2012-13 Q2"],
    ...     "value": [1487.0, 1510.0, 1480.0, 1466.0]})
    >>> cat = pd.DataFrame({"indicator": ["LACnum"], "polarity": ["low"], "unit": ["count"]})
    >>> out = compare_periods(frame, "2012-13 Q2", cat)
    >>> out[["comparison", "comparison_period", "comparison_value", "change", "direction"]]
                  comparison comparison_period  comparison_value  change   direction
    0       previous_quarter        2012-13 Q1            1480.0   -14.0   improving
    1  same_period_last_year        2011-12 Q2            1487.0   -21.0   improving
    2      previous_year_end        2011-12 Q4            1510.0   -44.0   improving
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from perf._numbers import is_missing, round_half_up
from perf.alignment import in_reporting_period
from perf.catalogue import catalogue_cell, catalogue_position, indicator_info_at
from perf.errors import PerfError, PeriodError
from perf.periods import (
    financial_quarter,
    parse_period,
    period_columns,
    previous_quarter,
    previous_year_end,
    same_period_last_year,
    snapshot,
)

__all__ = [
    "COMPARISONS",
    "DIRECTION_WORDS",
    "Change",
    "CompareError",
    "change",
    "compare_figure",
    "compare_periods",
    "direction_of",
    "direction_words",
    "latest_up_to",
    "match_period",
    "measure_of",
    "one_per_measure",
    "previous_comparable",
    "with_period_dates",
]

COMPARISONS = ("previous_quarter", "same_period_last_year", "previous_year_end")

COMPARE_COLUMNS = [
    "indicator",
    "area_code",
    "period",
    "value",
    "comparison",
    "comparison_period",
    "comparison_value",
    "change",
    "change_pct",
    "change_pp",
    "movement",
    "direction",
]


class CompareError(PerfError):
    """A comparison cannot be made as asked."""


@dataclass(frozen=True)
class Change:
    """One change between two periods (see the module docstring for the definitions)."""

    indicator: str
    area_code: str
    from_period: str
    to_period: str
    from_value: float
    to_value: float
    change: float
    change_pct: float
    change_pp: float
    movement: str
    direction: str


#: Direction of travel in words, with the polarity already applied: never an arrow, which
#: would point up for a rate that fell and improved.
DIRECTION_WORDS: dict[str, str] = {
    "improving": "Improved",
    "worsening": "Worsened",
    "no change": "No change within tolerance",
    "not comparable": "Not comparable",
}


def direction_words(direction: str, movement: str | None = None) -> str:
    """The words a table shows for a direction of travel from :func:`direction_of`. An
    indicator with no polarity is context: its move is named, never judged.

    >>> direction_words("improving"), direction_words("no change")
    ('Improved', 'No change within tolerance')
    >>> direction_words("no polarity", "down")
    'Fell (context: neither direction is better)'
    """
    if direction == "no polarity":
        moved = {"up": "Rose", "down": "Fell"}.get(str(movement), "Changed")
        return f"{moved} (context: neither direction is better)"
    return DIRECTION_WORDS.get(direction, "Not comparable")


def direction_of(
    change_value: float, polarity: str, threshold: float = 0.0, decimals: int | None = None
) -> tuple[str, str]:
    """(movement, direction) for a change, by polarity and a no-change threshold; with
    ``decimals``, a change that rounds to zero at the shown decimals is no change too (a
    table never calls a figure that reads the same "improved").

    >>> direction_of(-44, "low")
    ('down', 'improving')
    >>> direction_of(0.04, "high", threshold=0.05)
    ('no change', 'no change')
    >>> direction_of(3, "neither")
    ('up', 'no polarity')
    >>> direction_of(float("nan"), "high")
    ('not comparable', 'not comparable')
    >>> direction_of(-0.04, "low", decimals=1)
    ('no change', 'no change')
    """
    if is_missing(change_value):
        return "not comparable", "not comparable"
    if abs(change_value) <= threshold + 1e-12 * max(1.0, abs(threshold)):
        return "no change", "no change"
    if decimals is not None and round_half_up(abs(float(change_value)), int(decimals)) == 0:
        return "no change", "no change"
    movement = "up" if change_value > 0 else "down"
    if polarity == "neither":
        return movement, "no polarity"
    if polarity not in ("high", "low"):
        raise CompareError(f"unknown polarity {polarity!r}", hint="Use high, low or neither.")
    good = (movement == "up") == (polarity == "high")
    return movement, "improving" if good else "worsening"


def _numbers(before: float, after: float, unit: str) -> tuple[float, float, float]:
    if is_missing(before) or is_missing(after):
        return np.nan, np.nan, np.nan
    diff = round(after - before, 10)  # published figures: strip binary noise (1.4 - 2.1)
    pct = round(diff / abs(before) * 100, 10) if before != 0 else np.nan
    pp = diff if unit == "%" else np.nan
    return diff, pct, pp


def _comparison_labels(label: str, comparison: str) -> list[str]:
    period = parse_period(label)
    if comparison == "previous_quarter":
        return [previous_quarter(period).label]
    if comparison == "same_period_last_year":
        return [same_period_last_year(period).label]
    if comparison == "previous_year_end":
        fy = previous_year_end(period)
        start_year = fy.start.year
        return [fy.label, financial_quarter(start_year, 4).label, snapshot(fy.end).label]
    raise CompareError(f"unknown comparison {comparison!r}", hint=f"Use one of {COMPARISONS}.")


#: Units whose figure for a longer period is a sum over more days (a count, or a count per
#: 10,000 children): a quarter's and a year's are not compared.
_SUMS = frozenset({"count", "rate per 10,000"})


def _is_quarter(label: str) -> bool:
    try:
        return parse_period(label).kind == "financial_quarter"
    except PeriodError:
        return False


def _is_year(label: str) -> bool:
    """A financial year's label (the year-long candidate of the previous year-end).

    >>> _is_year("2024-25"), _is_year("2024-25 Q4"), _is_year("31 March 2025")
    (True, False, False)
    """
    try:
        return parse_period(label).kind == "financial_year"
    except PeriodError:
        return False


def _catalogue_info(
    catalogue: pd.DataFrame | None, indicator: str, polarity: str | None, unit: str | None
) -> tuple[str, str]:
    if polarity is not None and unit is not None:
        return polarity, unit
    if catalogue is None:
        raise CompareError("need a catalogue or polarity= and unit=")
    position = catalogue_position(catalogue, indicator)
    if position is None:
        raise CompareError(f"indicator {indicator!r} is not in the catalogue")
    info = indicator_info_at(indicator, catalogue, position)
    return polarity or info.polarity, unit or info.unit


def compare_periods(
    frame: pd.DataFrame,
    period: str,
    catalogue: pd.DataFrame,
    threshold: float | Mapping[str, float] = 0.0,
) -> pd.DataFrame:
    """Long format: one row per indicator x area x comparison (three per indicator x area).

    Every indicator is compared at its own period that best fits ``period``
    (:func:`match_period`): a snapshot, academic or calendar year is aligned, never left
    out. Indicators with no period overlapping ``period`` have no rows (``perf.changes``
    gives their latest figure).

    Args:
        frame: tidy observations (needs indicator, area_code, period, value; the
            period_start and period_end columns are derived from the labels if absent).
        period: the reporting period (any label :func:`perf.periods.parse_period` reads).
        catalogue: polarity and unit per indicator.
        threshold: the no-change band, in indicator units; one number or ``{indicator: t}``
            (indicators not in the mapping get 0).

    Returns:
        Columns :data:`COMPARE_COLUMNS`; ``period`` is the indicator's own period,
        ``comparison`` one of :data:`COMPARISONS`, ``comparison_period`` the label compared
        with (missing when there is none).

    Examples:
        >>> mixed = pd.DataFrame({"indicator": ["stock", "stock", "absence", "absence"],
        ...     "area_code": "X", "value": [80.0, 85.0, 7.5, 7.0],
        ...     "period": ["31 March 2024", "31 March 2025", "2023/24", "2024/25"]})
        >>> cat = pd.DataFrame({"indicator": ["stock", "absence"], "polarity": "low",
        ...     "unit": ["rate per 10,000", "%"]})
        >>> out = compare_periods(mixed, "2024-25", cat)
        >>> out[out["comparison"] == "same_period_last_year"][
        ...     ["indicator", "period", "comparison_period", "change", "direction"]]
          indicator         period comparison_period  change   direction
        1   absence        2024/25           2023/24    -0.5   improving
        4     stock  31 March 2025     31 March 2024     5.0   worsening
    """
    label = parse_period(period).label
    now = match_period(with_period_dates(frame), label) if len(frame) else frame
    index: dict[tuple[str, str], dict[str, float]] = {}
    for i, a, p, v in zip(
        frame["indicator"], frame["area_code"], frame["period"], frame["value"].astype("float64")
    ):
        index.setdefault((i, a), {})[p] = v
    records = []
    for ind, area, own, value in zip(
        now["indicator"], now["area_code"], now["period"], now["value"].astype("float64")
    ):
        polarity, unit = _catalogue_info(catalogue, ind, None, None)
        t = float(threshold.get(ind, 0.0)) if isinstance(threshold, Mapping) else float(threshold)
        earlier = index.get((ind, area), {})
        for found in compare_figure(earlier, own, value, polarity=polarity, unit=unit, threshold=t):
            records.append(
                {"indicator": ind, "area_code": area, "period": own, "value": value} | found
            )
    out = pd.DataFrame.from_records(records, columns=COMPARE_COLUMNS)
    for col in ("value", "comparison_value", "change", "change_pct", "change_pp"):
        out[col] = out[col].astype("float64")
    out["comparison_period"] = out["comparison_period"].astype("string")
    return out


def compare_figure(
    values: Mapping[str, float],
    period: str,
    value: float,
    *,
    polarity: str,
    unit: str,
    threshold: float = 0.0,
    decimals: int | None = None,
) -> list[dict[str, Any]]:
    """One figure (``value`` for ``period``) against each of :data:`COMPARISONS`, looked up in
    ``values`` (period label -> value: the same indicator and area, the same kind of figure:
    compare like with like). One dict per comparison: ``comparison``,
    ``comparison_period`` (None where there is none), ``comparison_value``, ``change``,
    ``change_pct``, ``change_pp``, ``movement``, ``direction``. The one implementation behind
    :func:`compare_periods` and the briefing's verdicts.

    >>> out = compare_figure({"2012-13 Q1": 1480.0, "2011-12 Q4": 1510.0}, "2012-13 Q2", 1466.0,
    ...                      polarity="low", unit="count")
    >>> [(c["comparison"], c["comparison_period"], c["change"]) for c in out]
    [('previous_quarter', '2012-13 Q1', -14.0), ('same_period_last_year', '2011-12 Q2', nan), ('previous_year_end', '2011-12 Q4', -44.0)]
    """
    out = []
    for comparison in COMPARISONS:
        try:
            candidates = _comparison_labels(period, comparison)
        except PeriodError:
            candidates = []
        if unit in _SUMS and comparison == "previous_year_end" and _is_quarter(period):
            # a quarter's count (or count per 10,000) is never set against a whole year's:
            # 300 referrals in a quarter are not a 75% fall from 1,200 in a year
            candidates = [c for c in candidates if not _is_year(c)]
        found = next((c for c in candidates if c in values), None)
        before = values.get(found, np.nan) if found else np.nan
        if found is None and candidates:
            found = candidates[0] if comparison != "previous_year_end" else None
        diff, pct, pp = _numbers(float(before), float(value), unit)
        movement, direction = direction_of(diff, polarity, threshold, decimals)
        out.append(
            {
                "comparison": comparison,
                "comparison_period": found,
                "comparison_value": float(before),
                "change": diff,
                "change_pct": pct,
                "change_pp": pp,
                "movement": movement,
                "direction": direction,
            }
        )
    return out


def change(
    frame: pd.DataFrame,
    indicator: str,
    area: str,
    from_period: str,
    to_period: str,
    *,
    catalogue: pd.DataFrame | None = None,
    polarity: str | None = None,
    unit: str | None = None,
    threshold: float = 0.0,
) -> Change:
    """The change in one indicator for one area between any two periods.

    Missing rows or values give ``not comparable`` (never an error).

    Examples:
        >>> frame = pd.DataFrame({"indicator": "neet", "area_code": "E08000035",
        ...     "period": ["2011", "2012"], "value": [8.4, 7.2]})
        >>> c = change(frame, "neet", "E08000035", "2011", "2012", polarity="low", unit="%")
        >>> c.change, c.change_pp, round(c.change_pct, 1), c.direction
        (-1.2, -1.2, -14.3, 'improving')
    """
    polarity, unit = _catalogue_info(catalogue, indicator, polarity, unit)
    sub = frame[(frame["indicator"] == indicator) & (frame["area_code"] == area)]
    values = dict(zip(sub["period"], sub["value"].astype("float64")))
    before = values.get(from_period, np.nan)
    after = values.get(to_period, np.nan)
    diff, pct, pp = _numbers(before, after, unit)
    movement, direction = direction_of(diff, polarity, threshold)
    return Change(
        indicator,
        area,
        from_period,
        to_period,
        float(before),
        float(after),
        diff,
        pct,
        pp,
        movement,
        direction,
    )


def measure_of(indicator: str, catalogue: pd.DataFrame | None) -> str:
    """The measure an indicator publishes: its catalogue ``same_as`` (LAIT's ``LAC`` is DfE's
    ``cla_rate``), else itself.

    >>> cat = pd.DataFrame({"indicator": ["LAC", "cla_rate"], "same_as": ["cla_rate", None]})
    >>> measure_of("LAC", cat), measure_of("cla_rate", cat), measure_of("x", cat)
    ('cla_rate', 'cla_rate', 'x')
    """
    if catalogue is None or "same_as" not in catalogue:
        return str(indicator)
    alias = catalogue_cell(catalogue, indicator, "same_as")
    return str(alias) if isinstance(alias, str) and alias else str(indicator)


def one_per_measure(indicators: list[str], catalogue: pd.DataFrame | None) -> dict[str, str]:
    """measure -> the one indicator that answers for it among ``indicators``: the measure's
    own id when it is there (the primary source), else the first alias, in order given.

    >>> cat = pd.DataFrame({"indicator": ["16-17 NEET", "neet_16_17", "LAC"],
    ...                     "same_as": ["neet_16_17", None, "cla_rate"]})
    >>> one_per_measure(["16-17 NEET", "neet_16_17", "LAC"], cat)
    {'neet_16_17': 'neet_16_17', 'cla_rate': 'LAC'}
    """
    chosen: dict[str, str] = {}
    for ind in indicators:
        measure = measure_of(ind, catalogue)
        if measure not in chosen or ind == measure:
            chosen[measure] = ind
    return chosen


def match_period(obs: pd.DataFrame, period: str) -> pd.DataFrame:
    """For each indicator x area, the one observation whose period best fits ``period``.

    Indicators are published for different kinds of period (a financial year, the academic
    year, a 31 March snapshot, a December-February average): the best fit is the same label;
    else the published period overlapping ``period`` most (a snapshot inside it counting as
    a full overlap); the later on a tie. For a financial year only the figures that belong
    to it by :mod:`perf.alignment` are candidates (NCCIS's "2025" NEET figure, December 2024
    to February 2025, is 2024-25's; school year 2024/25 is 2024-25's, never 2025-26's).

    >>> obs = pd.DataFrame({"indicator": ["a", "a", "b"], "area_code": "X",
    ...     "period": ["2023/24", "2024/25", "31 March 2025"],
    ...     "period_kind": ["academic_year", "academic_year", "snapshot"],
    ...     "period_start": pd.to_datetime(["2023-09-01", "2024-09-01", "2025-03-31"]),
    ...     "period_end": pd.to_datetime(["2024-08-31", "2025-08-31", "2025-03-31"]),
    ...     "value": [1.0, 2.0, 3.0]})
    >>> match_period(obs, "2024-25")[["indicator", "period"]].values.tolist()
    [['a', '2024/25'], ['b', '31 March 2025']]
    >>> match_period(obs, "2025-26").empty  # 2024/25 overlaps 2025-26 but is 2024-25's
    True
    >>> quarters = pd.DataFrame({"indicator": "q", "area_code": "X",
    ...     "period": ["2024-25 Q3", "2024-25 Q4"],  # 92 and 90 days
    ...     "period_start": pd.to_datetime(["2024-10-01", "2025-01-01"]),
    ...     "period_end": pd.to_datetime(["2024-12-31", "2025-03-31"]), "value": [1.0, 2.0]})
    >>> match_period(quarters, "2024-25")["period"].tolist()
    ['2024-25 Q4']
    """
    target = parse_period(period)
    start, end = pd.Timestamp(target.start), pd.Timestamp(target.end)
    frame = obs.copy()
    if frame.empty:
        return frame
    o_start = frame["period_start"].where(frame["period_start"] > start, start)
    o_end = frame["period_end"].where(frame["period_end"] < end, end)
    overlap = (o_end - o_start).dt.days.astype("float64") + 1
    inside = (frame["period_start"] >= start) & (frame["period_end"] <= end)
    overlap = overlap.where(~inside, (end - start).days + 1)
    overlap = overlap.where(frame["period"] != target.label, np.inf)
    frame["_overlap"] = overlap
    frame = frame[frame["_overlap"] > 0]
    if target.kind == "financial_year" and len(frame) and "period_kind" in frame:
        spans = list(zip(frame["period_kind"], frame["period_start"], frame["period_end"]))
        belongs = {
            span: in_reporting_period(span[0], span[1].date(), span[2].date(), target)
            for span in set(spans)
        }
        frame = frame[[belongs[span] for span in spans]]
    frame = frame.sort_values(["indicator", "area_code", "_overlap", "period_end"])
    best = frame.groupby(["indicator", "area_code"], sort=True).tail(1)
    return (
        best.drop(columns="_overlap").sort_values(["indicator", "area_code"]).reset_index(drop=True)
    )


def with_period_dates(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with period_kind, period_start and period_end (parsed from the labels when a
    frame has only ``period``); the input is never modified.

    >>> with_period_dates(pd.DataFrame({"period": ["2024/25"]})).iloc[0].tolist()[1:]
    ['academic_year', Timestamp('2024-09-01 00:00:00'), Timestamp('2025-08-31 00:00:00')]
    """
    if {"period_kind", "period_start", "period_end"} <= set(obs.columns):
        return obs
    parsed = period_columns(obs["period"])
    return obs.assign(
        **{
            c: parsed[c]
            for c in ("period_kind", "period_start", "period_end")
            if c not in obs.columns
        }
    )


def latest_up_to(obs: pd.DataFrame, period: str) -> pd.DataFrame:
    """For each indicator x area, its figure for ``period``: the observation that best fits
    it (:func:`match_period`), or, where none overlaps it, the latest one before it.

    Every indicator with an observation starting on or before the end of ``period`` has
    exactly one row; later figures are left out.

    >>> obs = pd.DataFrame({"indicator": ["a", "a", "b", "c"], "area_code": "X",
    ...     "period": ["2023/24", "2024/25", "31 March 2025", "2019"],
    ...     "value": [1.0, 2.0, 3.0, 4.0]})
    >>> latest_up_to(obs, "2024-25")[["indicator", "period"]].values.tolist()
    [['a', '2024/25'], ['b', '31 March 2025'], ['c', '2019']]
    >>> latest_up_to(obs, "2023-24")[["indicator", "period"]].values.tolist()
    [['a', '2023/24'], ['c', '2019']]
    """
    keys = ["indicator", "area_code"]
    frame = with_period_dates(obs)
    target = parse_period(period)
    best = match_period(frame, target.label)
    before = frame[frame["period_end"] < pd.Timestamp(target.start)]
    before = (
        before.sort_values(keys + ["period_end", "period_start"]).groupby(keys, sort=False).tail(1)
    )
    have = (
        pd.MultiIndex.from_frame(best[keys])
        if len(best)
        else pd.MultiIndex.from_tuples([], names=keys)
    )
    rest = before[~pd.MultiIndex.from_frame(before[keys]).isin(have)] if len(before) else before
    out = pd.concat([best, rest]) if len(rest) else best
    return out.sort_values(keys).reset_index(drop=True)


def _day_of_year(days: pd.Series) -> pd.Series:
    """ "03-31"; the last day of a month as "02-end", so that 28 and 29 February match."""
    month_end = days.dt.is_month_end
    return days.dt.strftime("%m-%d").where(~month_end, days.dt.strftime("%m") + "-end")


def _season(kinds: pd.Series, starts: pd.Series, ends: pd.Series) -> pd.Series:
    """What makes two periods comparable: the same kind, the same start and end day of the
    year and the same length in years (the same quarter, snapshot date, month...). The last
    day of February is one day, leap year or not (NCCIS's December to February averages).

    >>> days = pd.to_datetime(pd.Series(["2023-12-01", "2024-12-01"]))
    >>> ends = pd.to_datetime(pd.Series(["2024-02-29", "2025-02-28"]))
    >>> _season(pd.Series(["dec_feb_average"] * 2), days, ends).nunique()
    1
    """
    return (
        kinds.astype(str)
        + "|"
        + _day_of_year(starts)
        + "|"
        + _day_of_year(ends)
        + "|"
        + (ends.dt.year - starts.dt.year).astype(str)
    )


def previous_comparable(obs: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """For each of ``rows`` (observations, e.g. from :func:`latest_up_to`), the latest earlier
    observation in ``obs`` of the same indicator and area for a comparable period: the
    same kind, season and length, so normally the same period a year earlier (the same
    quarter, the 31 March before, the academic year before) or, when that year is missing,
    the one before it.

    Returns:
        A frame on ``rows``' index: ``previous_period``, ``previous_value``,
        ``previous_flag`` (missing where there is no earlier comparable period).

    >>> obs = pd.DataFrame({"indicator": "q", "area_code": "X",
    ...     "period": ["2022-23 Q2", "2023-24 Q1", "2023-24 Q2", "2024-25 Q1"],
    ...     "value": [5.0, 6.0, 7.0, 8.0]})
    >>> previous_comparable(obs, latest_up_to(obs, "2024-25 Q1"))
      previous_period  previous_value previous_flag
    0      2023-24 Q1             6.0          <NA>
    """
    keys = ["indicator", "area_code"]
    frame, want = with_period_dates(obs), with_period_dates(rows)
    frame = frame.assign(
        _season=_season(frame["period_kind"], frame["period_start"], frame["period_end"])
    )
    want = want.assign(
        _season=_season(want["period_kind"], want["period_start"], want["period_end"]),
        _row=range(len(want)),
    )
    flag = frame["flag"] if "flag" in frame.columns else pd.Series(pd.NA, index=frame.index)
    earlier = frame.assign(_flag=flag)[keys + ["_season", "period", "period_end", "value", "_flag"]]
    pairs = want[keys + ["_season", "period_end", "_row"]].merge(
        earlier, on=keys + ["_season"], suffixes=("", "_before")
    )
    pairs = pairs[pairs["period_end_before"] < pairs["period_end"]]
    pairs = pairs.sort_values(["_row", "period_end_before"]).groupby("_row").tail(1)
    pairs = pairs.set_index("_row").reindex(range(len(want)))
    return pd.DataFrame(
        {
            "previous_period": pairs["period"].astype("string").to_numpy(),
            "previous_value": pairs["value"].astype("float64").to_numpy(),
            "previous_flag": pairs["_flag"].astype("string").to_numpy(),
        },
        index=rows.index,
    )
