"""The performance matrix: one row per indicator with everything a committee asks of it.

For each indicator a briefing covers, from the observations alone (no plotting, no files):

* the latest figure and the period it refers to; the target and the status against it
  (from :func:`perf.scoring.score_against_target`, passed in as ``scored``);
* statistical process control: the variation and assurance icons of
  :func:`perf.spc.variation_icon` and :func:`perf.spc.assurance_icon`, where the series has
  at least :data:`SPC_MIN_POINTS` figures;
* the national rank and quartile (LAIT's rules, :func:`perf.benchmarking.benchmark`, passed
  in as ``benchmarks``), and the position among the council and its statistical
  neighbours under each model in :data:`perf.areas.NEIGHBOUR_MODELS` ("3rd of 11": ranked
  by polarity, 1st best; lowest first for an indicator with no better direction);
* the gap to England and to the neighbours' mean (:func:`perf.areas.neighbour_mean`: the
  mean of the neighbours with a figure, saying which had none);
* the change since the previous quarter, the previous year-end and the same period last
  year, with direction by polarity (:func:`perf.compare.compare_periods`);
* where the council stands against England's funnel limits and its own 95% confidence
  interval (:func:`perf.significance.funnel`, passed in as ``funnels``; otherwise the
  interval from the figure's own numerator and denominator);
* the last three figures, oldest first.

Codes, not words: statuses, directions and icons are the analysis modules' own values, so
the words a briefing prints for them stay in one place (``perf.tables``).

Examples:
    >>> year_of_change(pd.Timestamp("2025-03-31")), year_of_change(pd.Timestamp("2024-03-31"))
    (True, False)
    >>> [round(x, 1) for x in own_interval(81.0, 575.0, 71124.0, "rate per 10,000")]
    [74.4, 87.7]
    >>> own_interval(2.5, float("nan"), 7658.0, "%") is not None
    True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from perf._numbers import is_missing, round_half_up
from perf.alignment import latest_annual_words, period_words
from perf.areas import (
    NEIGHBOUR_MODELS,
    neighbour_mean_of,
    neighbour_set_name,
    neighbours,
)
from perf.catalogue import IndicatorInfo, indicator_info
from perf.compare import COMPARISONS, compare_figure, direction_of
from perf.config import ENGLAND
from perf.disclosure import JUDGEMENT_COLUMNS, withhold
from perf.errors import PerfError, UnknownAreaError
from perf.periods import parse_period
from perf.schema import rows_of
from perf.significance import confidence_interval
from perf.spc import declared_rebase, latest_signal

__all__ = [
    "COMPANIONS",
    "MATRIX_COLUMNS",
    "NEIGHBOUR_MODEL_CHANGE_YEAR",
    "SPC_MIN_POINTS",
    "NeighbourPositions",
    "neighbour_position",
    "neighbour_positions",
    "own_interval",
    "performance_matrix",
    "VERDICT_COLUMNS",
    "verdicts",
    "year_of_change",
]

#: An SPC chart's icons are given only for a series with at least this many figures.
SPC_MIN_POINTS = 5

#: DfE published the 2025 neighbour model in 2025: a briefing whose period ends that year
#: shows the council's position under both models.
NEIGHBOUR_MODEL_CHANGE_YEAR = 2025

#: (indicator, period, model) -> the council's (position, how many ranked) among itself and
#: its statistical neighbours in that model (:func:`neighbour_position`), None when the model
#: has no set for it.
NeighbourPositions = Mapping[tuple[str, str, str], tuple[int | None, int] | None]

_KINDS = {"%": ("proportion", 100.0), "rate per 10,000": ("rate", 10_000.0)}

MATRIX_COLUMNS: list[str] = [
    "plan",
    "priority",
    "indicator",
    "title",
    "unit",
    "decimals",
    "polarity",
    "measure",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "flag",
    "target",
    "target_flag",
    "status",
    "spc_points",
    "variation",
    "assurance",
    "rank",
    "n_ranked",
    "quartile",
    "benchmarked",
    "not_ranked_reason",
    "england_value",
    "gap_england",
    "neighbour_model",
    "neighbour_set",
    "sn_mean",
    "sn_n",
    "sn_of",
    "sn_note",
    "sn_lacking",
    "gap_sn",
    *[f"sn_{what}_{model}" for model in NEIGHBOUR_MODELS for what in ("position", "ranked")],
    *[
        f"{c}_{what}"
        for c in COMPARISONS
        for what in ("period", "value", "flag", "change", "movement", "direction")
    ],
    "significance",
    "significance_words",
    "significance_note",
    "ci_lower",
    "ci_upper",
    "ci_method",
    "recent",
]


def year_of_change(period_end: pd.Timestamp) -> bool:
    """Whether a period ending on ``period_end`` falls in the year the neighbour model
    changed (both sets' positions are then shown)."""
    return pd.Timestamp(period_end).year == NEIGHBOUR_MODEL_CHANGE_YEAR


def own_interval(
    value: float, numerator: float, denominator: float, unit: str
) -> tuple[float, float] | None:
    """The 95% confidence interval of one figure from its numerator and denominator
    (the numerator derived from the value where only the denominator was published), for a
    percentage (Wilson) or a rate per 10,000 (exact Poisson / Byar); None when it has
    neither a denominator nor one of those units, or the figures contradict each other."""
    if unit not in _KINDS or is_missing(denominator) or float(denominator) <= 0:
        return None
    kind, per = _KINDS[unit]
    if is_missing(numerator):
        if is_missing(value):
            return None
        numerator = float(value) * float(denominator) / per
    try:
        low, high = confidence_interval(float(numerator), float(denominator), kind=kind, per=per)
    except PerfError:
        return None
    return float(low), float(high)


def neighbour_position(
    frame: pd.DataFrame,
    area_code: str,
    indicator: str,
    period: str,
    *,
    polarity: str,
    model: str,
    neighbour_codes: Sequence[str] | None = None,
) -> tuple[int | None, int]:
    """The council's position among itself and its statistical neighbours (``model``, or
    the codes given as ``neighbour_codes``) with a figure for ``indicator`` in ``period``:
    (position, how many ranked), 1st best by polarity, lowest first for polarity
    ``neither``; (None, n) when the council has no figure. Raises
    :class:`~perf.errors.UnknownAreaError` when the model has no set for it.

    >>> from perf.areas import neighbours
    >>> codes = ["E08000027", *neighbours("E08000027")[:3]]
    >>> frame = pd.DataFrame({"indicator": "x", "period": "2025", "area_code": codes,
    ...                       "value": [20.0, 10.0, 30.0, float("nan")]})
    >>> neighbour_position(frame, "E08000027", "x", "2025", polarity="low", model="2025")
    (2, 3)
    >>> neighbour_position(frame, "E08000027", "x", "2025", polarity="low", model="2025",
    ...                    neighbour_codes=codes[2:3])
    (1, 2)
    """
    codes = [
        area_code,
        *(neighbours(area_code, model) if neighbour_codes is None else neighbour_codes),
    ]
    rows = rows_of(frame, indicator, period)
    rows = rows[rows["area_code"].isin(codes)]
    return _rank_among(
        dict(zip(rows["area_code"], rows["value"].astype("float64"))), codes, polarity
    )


def _rank_among(
    value_of: Mapping[str, float], codes: Sequence[str], polarity: str
) -> tuple[int | None, int]:
    """:func:`neighbour_position` of ``codes[0]`` among ``codes``, from area -> value."""
    values = np.array([value_of.get(c, np.nan) for c in codes], dtype="float64")
    present = values[~np.isnan(values)]
    if np.isnan(values[0]):
        return None, len(present)
    # LAIT's rank (perf.benchmarking.lait_rank): 1 the best, ties share the smallest rank,
    # lowest first for an indicator with no better direction; counted, for eleven values
    mine = values[0]
    better = present > mine if polarity == "high" else present < mine
    return int(better.sum()) + 1, len(present)


def _placed(
    frame: pd.DataFrame, area_code: str, indicator: str, period: str, polarity: str, model: str
) -> tuple[int | None, int] | None:
    """:func:`neighbour_position` in the lookup's set, None when the model has none for it."""
    try:
        return neighbour_position(
            frame, area_code, indicator, period, polarity=polarity, model=model
        )
    except UnknownAreaError:
        return None


def neighbour_positions(
    obs: pd.DataFrame,
    area_code: str,
    periods: Mapping[str, str],
    *,
    catalogue: pd.DataFrame,
    model: str = "2025",
    neighbour_codes: Sequence[str] | None = None,
) -> dict[tuple[str, str, str], tuple[int | None, int] | None]:
    """The council's position among itself and its statistical neighbours for each
    indicator of ``periods`` (indicator -> period), under every model in
    :data:`perf.areas.NEIGHBOUR_MODELS`: :data:`NeighbourPositions`, ranked by the
    catalogue's polarity. ``neighbour_codes`` is the council's set in ``model`` (a
    briefing's own; empty: it has none there); the other models' sets, and ``model``'s
    when none is given, come from the area lookup. Does not modify its inputs.

    >>> from perf.areas import neighbours
    >>> codes = ["E08000027", *neighbours("E08000027")[:3]]
    >>> frame = pd.DataFrame({"indicator": "x", "period": "2025", "area_code": codes,
    ...                       "value": [20.0, 10.0, 30.0, float("nan")]})
    >>> cat = pd.DataFrame({"indicator": ["x"], "polarity": ["low"]})
    >>> neighbour_positions(frame, "E08000027", {"x": "2025"}, catalogue=cat,
    ...                     neighbour_codes=codes[2:3])
    {('x', '2025', '2025'): (1, 2), ('x', '2025', '2021'): (1, 2)}
    >>> neighbour_positions(frame, "E08000027", {"x": "2025"}, catalogue=cat, model="2021",
    ...                     neighbour_codes=())[("x", "2025", "2021")] is None
    True
    """
    sets: dict[str, list[str] | None] = {}
    for m in NEIGHBOUR_MODELS:
        if m == str(model) and neighbour_codes is not None:
            sets[m] = list(neighbour_codes) or None
            continue
        try:
            sets[m] = neighbours(area_code, m)
        except UnknownAreaError:
            sets[m] = None
    found: dict[tuple[str, str, str], tuple[int | None, int] | None] = {}
    # only the council's and its neighbours' rows are ranked: one mask over every row, not
    # one per indicator
    codes_used = {area_code} | {c for codes in sets.values() if codes for c in codes}
    obs = obs[obs["area_code"].isin(codes_used) & obs["indicator"].isin(list(periods))]
    for indicator, period in periods.items():
        polarity = indicator_info(indicator, catalogue).polarity
        same = rows_of(obs, indicator, period)
        value_of = dict(zip(same["area_code"], same["value"].astype("float64")))
        for m, codes in sets.items():
            found[(indicator, period, m)] = (
                None if codes is None else _rank_among(value_of, [area_code, *codes], polarity)
            )
    return found


# --- the verdict of each indicator -----------------------------------------------------

#: The columns :func:`verdicts` adds to :data:`MATRIX_COLUMNS`: what the one answer per
#: indicator says beyond the matrix's cells.
VERDICT_COLUMNS: list[str] = [
    "role",
    "scheme",
    "ref",
    "cumulative",
    "period_type",
    "period_words",
    "target_set_by",
    "target_set_on",
    "status_by",
    "perf_status",
    "disagrees",
    "tolerance",
    "tolerance_type",
    "tolerance_by",
    "direction",
    "direction_movement",
    "direction_comparison",
    "direction_period",
    "direction_period_words",
    "direction_value",
    "direction_flag",
    "direction_change",
    "direction_change_pct",
    "spc_basis",
    "spc_series",
    "spc_breaks",
    "spc_trial",
    "series",
    "region_value",
    "range_low",
    "range_high",
    "range_position",
    "vs_england",
    "vs_england_method",
    "companion",
    "example",
]

#: The verdict's columns that judge or give back the figure (blanked where it is suppressed).
_VERDICT_JUDGEMENTS = (
    "direction_movement",
    "direction_change",
    "direction_change_pct",
    "range_position",
    "vs_england",
    "vs_england_method",
)

#: The verdict's numbers (floats, whole numbers as Int64) and true/false columns: every
#: other column is text or tuples, absent as None.
_FLOAT_COLUMNS = (
    "value",
    "target",
    "england_value",
    "gap_england",
    "sn_mean",
    "gap_sn",
    "ci_lower",
    "ci_upper",
    "tolerance",
    "region_value",
    "range_low",
    "range_high",
    "direction_value",
    "direction_change",
    "direction_change_pct",
    *[f"{c}_{w}" for c in COMPARISONS for w in ("value", "change")],
)
_INT_COLUMNS = (
    "rank",
    "n_ranked",
    "sn_n",
    "sn_of",
    "spc_points",
    *[f"sn_{w}_{m}" for m in NEIGHBOUR_MODELS for w in ("position", "ranked")],
)
_BOOL_COLUMNS = ("benchmarked", "cumulative", "disagrees", "example", "spc_trial")

#: Measures never shown without another beside them: NEET with the young people whose
#: activity is not known (a council that loses track of its young people looks better on
#: NEET alone).
COMPANIONS: dict[str, str] = {
    "neet_16_17": "not_known_16_17",
    "16-17 NEET": "16-17_not known",
}

#: Period kinds a quarterly briefing shows as they are (a quarter, a month, a day in it,
#: the year to a date); any other is an annual figure, "the latest annual figure".
_IN_YEAR_KINDS = ("financial_quarter", "date_range", "snapshot", "academic_year_to_date", "week")

#: The fewest council's own monthly figures whose series the SPC verdict reads (the SPC
#: section draws the same chart).
SPC_MIN_MONTHS = 12


def _present(value: Any) -> Any:
    return None if is_missing(value) else value


def _float(value: Any) -> float:
    return np.nan if is_missing(value) else float(value)


def _is_month(start: Any, end: Any) -> bool:
    if is_missing(start) or is_missing(end):
        return False
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return (
        start.day == 1 and (start.year, start.month) == (end.year, end.month) and end.is_month_end
    )


#: One of the council's figures, as the verdict reads it (a small record per figure: the
#: verdicts of every indicator read a few hundred, and pandas costs a millisecond a step).
Figure = dict[str, Any]


def _figures(frame: pd.DataFrame) -> dict[str, list[Figure]]:
    """The council's rows (``frame``) as records per indicator, in time order."""
    if frame.empty:
        return {}
    start, end = frame["period_start"], frame["period_end"]
    month = (
        frame["period_kind"].astype(str).eq("date_range")
        & start.dt.day.eq(1)
        & start.dt.to_period("M").eq(end.dt.to_period("M"))
        & end.dt.is_month_end
    )
    records = pd.DataFrame(
        {
            "indicator": frame["indicator"].astype(str).to_numpy(),
            "period": frame["period"].astype(str).to_numpy(),
            "period_kind": frame["period_kind"].astype(str).to_numpy(),
            "period_start": start.to_numpy(),
            "period_end": end.to_numpy(),
            "value": frame["value"].astype("float64").to_numpy(),
            "flag": frame["flag"].astype(object).where(frame["flag"].notna(), None).to_numpy()
            if "flag" in frame
            else None,
            "month": month.to_numpy(),
        }
    ).to_dict("records")
    found: dict[str, list[Figure]] = {}
    for r in records:
        r["period_start"], r["period_end"] = (
            pd.Timestamp(r["period_start"]),
            pd.Timestamp(r["period_end"]),
        )
        found.setdefault(r.pop("indicator"), []).append(r)
    for rows in found.values():
        rows.sort(key=lambda r: r["period_end"])
    return found


def _like_for_like(history: list[Figure], kind: Any, month: bool) -> list[Figure]:
    """The council's figures of the same kind as the one shown (a quarter's with quarters, a
    snapshot's with snapshots, never a month's with a year's to date)."""
    if is_missing(kind):
        return history
    same = [r for r in history if r["period_kind"] == str(kind)]
    if str(kind) == "date_range":
        same = [r for r in same if r["month"] == month]
    return same


def _headline(kind: str, cumulative: bool) -> str:
    """Which comparison gives a figure's direction of travel, like for like: a quarter
    against the quarter before; the year to date against the year to date a year before;
    anything else against the previous comparable figure (a year earlier)."""
    if kind == "financial_quarter" and not cumulative:
        return "previous_quarter"
    if kind == "financial_quarter":
        return "same_period_last_year"
    return "previous_comparable"


def _season(r: Figure) -> tuple:
    def day(d: pd.Timestamp) -> tuple:
        return (d.month, "end") if d.is_month_end else (d.month, d.day)

    a, b = pd.Timestamp(r["period_start"]), pd.Timestamp(r["period_end"])
    return day(a), day(b), b.year - a.year


def _previous_comparable(series: list[Figure], period: str) -> Figure | None:
    """The latest earlier figure of the same season (same start and end day of the year,
    same length): normally a year earlier."""
    now = next((r for r in reversed(series) if r["period"] == period), None)
    if now is None or is_missing(now.get("period_start")):
        return None
    want = _season(now)
    for r in reversed(series):
        if r["period_end"] < now["period_end"] and _season(r) == want:
            return r
    return None


def _words(
    row_kind: Any,
    label: str,
    start: Any,
    end: Any,
    cumulative: bool,
    period_type: Any = None,
) -> str:
    if is_missing(row_kind) or is_missing(start) or is_missing(end):
        try:
            parsed = parse_period(label)
        except PerfError:
            return label
        row_kind, start, end = parsed.kind, parsed.start, parsed.end
    return period_words(
        str(row_kind),
        label,
        pd.Timestamp(start).date(),
        pd.Timestamp(end).date(),
        cumulative=cumulative,
        period_type=None if is_missing(period_type) else str(period_type),
    )


def _vs_england(
    value: Any,
    england: Any,
    polarity: str,
    significance: Any,
    band: float,
    decimals: int,
) -> tuple[str, str | None]:
    """(better | similar | worse | not compared, method): statistically (95% limits)
    where a funnel assessed the figure, else by the tolerance band around England's value
    (at least the shown decimals); ``not compared`` without a better direction or a
    figure."""
    if polarity not in ("high", "low") or is_missing(value) or is_missing(england):
        return "not compared", None
    code = str(significance) if not is_missing(significance) else "not_assessed"
    if code != "not_assessed":
        side = (
            "higher" if code.startswith("higher") else "lower" if code.startswith("lower") else ""
        )
        method = "statistical"
    else:
        diff = float(value) - float(england)
        same = abs(diff) <= band + 1e-12 or round_half_up(abs(diff), decimals) == 0
        side = "" if same else ("higher" if diff > 0 else "lower")
        method = "tolerance" if band > 0 else "difference"
    if not side:
        return "similar", method
    return ("better" if (side == "higher") == (polarity == "high") else "worse"), method


def _band(tolerance: Any, tolerance_type: Any, england: Any) -> float:
    if is_missing(tolerance):
        return 0.0
    if str(tolerance_type) == "relative":
        return 0.0 if is_missing(england) else abs(float(tolerance) * float(england))
    return float(tolerance)


def performance_matrix(
    obs: pd.DataFrame,
    area_code: str,
    period: str,
    items: pd.DataFrame,
    *,
    catalogue: pd.DataFrame,
    latest: pd.DataFrame,
    scored: pd.DataFrame | None = None,
    benchmarks: Mapping[str, pd.DataFrame] | None = None,
    funnels: Mapping[str, pd.DataFrame] | None = None,
    model: str = "2025",
    positions: NeighbourPositions | None = None,
    next_release: Mapping[str, str] | None = None,
    neighbour_codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per indicator of ``items`` (in its order) with a figure: the columns of
    :data:`MATRIX_COLUMNS` then :data:`VERDICT_COLUMNS`, each indicator's one answer
    (:func:`verdicts`). Does not modify its inputs.

    Everything is like for like: the figure shown is the council's own scored figure where
    it has one (the year to date of a cumulative indicator, never its latest month), else
    the published one; its changes, recent figures and control chart read figures of the
    same kind only (a quarter's with quarters, a snapshot's with snapshots); the control
    chart is the council's own month by month where it has :data:`SPC_MIN_MONTHS` months,
    and honours the catalogue's declared breaks (``break_at``).

    Args:
        obs: every observation (all areas and periods: England's and the neighbours' rows
            give the gaps and positions).
        area_code: the council.
        period: the briefing's period label.
        items: ``indicator``, ``plan``, ``priority`` (and optionally ``role``, ``scheme``,
            ``ref``, ``tolerance``, ``tolerance_type``): what is covered and how grouped.
        catalogue: title, unit, decimals, polarity, ``measure``, ``counts``, ``cumulative``,
            ``tolerance``, ``break_at`` of each indicator.
        latest: the council's observation of each indicator for the period (indexed by
            indicator: :func:`perf.compare.match_period`, or the latest before it).
        scored: local figures scored against their targets, placed in their plans
            (:func:`perf.assessment.place_and_compare`): the value scored is the one shown,
            with the status the council's scheme shows (``shown_status``).
        benchmarks: indicator -> :func:`perf.benchmarking.benchmark` frame.
        funnels: indicator -> :func:`perf.significance.funnel` frame.
        model: the neighbour model of the neighbours' mean and gap.
        positions: the neighbour positions already known (:func:`neighbour_positions`);
            any other is computed here.
        next_release: indicator -> the month its next release is due (a quarterly
            briefing's annual figures say it).
        neighbour_codes: the council's neighbours in ``model`` (a briefing's own set; empty:
            it has none there); the lookup's when not given, and for the other models.

    Returns:
        The matrix; ``attrs``: area_code, period, model, neighbour_set, year_of_change,
        models (model -> set name). ``recent`` and ``series`` hold tuples of (period,
        value, flag).

    Examples:
        >>> obs = pd.DataFrame({"indicator": "x", "area_code": "E08000027",
        ...     "area_name": "Dudley", "area_level": "la",
        ...     "period": ["2012-13 Q1", "2012-13 Q2"], "period_kind": "financial_quarter",
        ...     "period_start": pd.to_datetime(["2012-04-01", "2012-07-01"]),
        ...     "period_end": pd.to_datetime(["2012-06-30", "2012-09-30"]),
        ...     "value": [10.0, 12.0], "numerator": np.nan, "denominator": np.nan,
        ...     "flag": None, "source": "f.csv"})
        >>> cat = pd.DataFrame({"indicator": ["x"], "title": ["X"], "unit": ["%"],
        ...                     "decimals": [0], "polarity": ["high"], "measure": ["local"]})
        >>> items = pd.DataFrame({"indicator": ["x"], "plan": ["Plan"], "priority": ["P"]})
        >>> m = performance_matrix(obs, "E08000027", "2012-13 Q2", items, catalogue=cat,
        ...                        latest=obs.iloc[[1]].set_index("indicator"))
        >>> m[["value", "previous_quarter_change", "previous_quarter_direction"]].to_dict("records")
        [{'value': 12.0, 'previous_quarter_change': 2.0, 'previous_quarter_direction': 'improving'}]
        >>> m["recent"].iloc[0]
        (('2012-13 Q1', 10.0, None), ('2012-13 Q2', 12.0, None))
        >>> m[["period_words", "direction", "direction_comparison"]].iloc[0].tolist()
        ['July to September 2012', 'improving', 'previous_quarter']
    """
    benchmarks = benchmarks or {}
    funnels = funnels or {}
    positions = positions or {}
    next_release = next_release or {}
    set_name = neighbour_set_name(model)
    briefing = parse_period(period)
    wanted = [str(i) for i in items["indicator"]]
    # the rows any verdict reads, once: the council's, England's and its neighbours' (every
    # model's) for the indicators covered (a mask over every observation costs ~10 ms)
    sets = _neighbour_sets(area_code)
    if neighbour_codes is not None:
        sets[str(model)] = list(neighbour_codes) or None
    near = _near(obs, area_code, wanted, sets)
    histories = _figures(near[near["area_code"] == area_code])
    figures_of = _by_period(near)
    cat_rows = (
        catalogue[catalogue["indicator"].isin(wanted)]
        .drop_duplicates("indicator")
        .set_index("indicator")
        .to_dict("index")
    )
    scored_rows = (
        scored.drop_duplicates("indicator").set_index("indicator").to_dict("index")
        if scored is not None and len(scored)
        else {}
    )
    mine = latest[latest.index.isin(wanted)]
    mine = mine[~mine.index.duplicated(keep="last")]
    latest_rows = {str(i): row for i, row in zip(mine.index, mine.to_dict("records"))}
    records = []
    for item in items.to_dict("records"):
        indicator = str(item["indicator"])
        info = indicator_info(indicator, catalogue)
        cat = cat_rows.get(indicator, {})
        now = latest_rows.get(indicator)
        score = scored_rows.get(indicator)
        if now is None and score is None:
            continue
        cumulative = bool(cat.get("cumulative")) if not is_missing(cat.get("cumulative")) else False
        # the figure shown: the council's scored one, else the published one
        source: dict[str, Any] = score if score is not None else (now or {})
        shown_period = str(source.get("period"))
        if now is not None and str(now["period"]) == shown_period:
            kind, start, end = now["period_kind"], now["period_start"], now["period_end"]
        else:
            try:
                parsed = parse_period(shown_period)
                kind, start, end = parsed.kind, pd.Timestamp(parsed.start), pd.Timestamp(parsed.end)
            except PerfError:
                kind = start = end = None
        value = _float(source.get("value"))
        flag = _present(source.get("flag"))
        target = _float((score or {}).get("target"))
        role = str(item.get("role") or "kpi") if not is_missing(item.get("role")) else "kpi"
        # the council's own tolerance where its plan gives one, else the catalogue's
        own_tolerance = not is_missing(item.get("tolerance"))
        tolerance = item.get("tolerance") if own_tolerance else cat.get("tolerance")
        tolerance_type = (
            item.get("tolerance_type") if own_tolerance else cat.get("tolerance_type")
        ) or "absolute"
        # the status the council's scheme shows (perf.assessment.place_and_compare); a
        # scored figure placed in no scheme shows perf's own
        shown = "shown_status" if "shown_status" in (score or {}) else "status"
        status = _present((score or {}).get(shown))
        if status == "no_data" or role == "context":
            status = None
        history = histories.get(indicator, [])
        if end is not None:
            history = [r for r in history if r["period_end"] <= end]
        same_kind = _like_for_like(history, kind, month=_is_month(start, end))
        # the catalogue's period type names a fixed day (LAIT's workforce: at 30 September);
        # a council's own figure is its own period's
        words = _words(
            kind,
            shown_period,
            start,
            end,
            cumulative and kind == "financial_quarter",
            None if score is not None else cat.get("period_type"),
        )
        annual = briefing.kind == "financial_quarter" and (
            str(kind) not in _IN_YEAR_KINDS
            or (end is not None and not pd.Timestamp(briefing.start) <= end)
        )
        if annual:
            words = latest_annual_words(words, next_release.get(indicator))
        row: dict[str, object] = {
            "plan": item.get("plan"),
            "priority": item.get("priority"),
            "indicator": indicator,
            "title": info.title,
            "unit": info.unit,
            "decimals": info.decimals,
            "polarity": info.polarity,
            "measure": _present(cat.get("measure")),
            "period": shown_period,
            "period_kind": kind,
            "period_start": start,
            "period_end": end,
            "value": value,
            "flag": flag,
            "target": target,
            "target_flag": _present((score or {}).get("target_flag")),
            "status": status,
            "role": role,
            "scheme": _present((score or {}).get("scheme")) or _present(item.get("scheme")),
            "ref": _present(item.get("ref")) or _present((score or {}).get("ref")),
            "cumulative": cumulative,
            "period_type": None if score is not None else _present(cat.get("period_type")),
            "period_words": words,
            "target_set_by": _present((score or {}).get("set_by")),
            "target_set_on": _present((score or {}).get("set_on")),
            "status_by": (
                _present((score or {}).get("status_by", "perf")) if status is not None else None
            ),
            "perf_status": _present((score or {}).get("perf_status")),
            "disagrees": bool((score or {}).get("disagrees") or False),
            "tolerance": _float(tolerance),
            "tolerance_type": tolerance_type,
            "tolerance_by": "council" if own_tolerance else "catalogue",
            "companion": COMPANIONS.get(indicator),
        }
        _spc_verdict(row, history, same_kind, info.polarity, target, cat.get("break_at"))
        _national(row, benchmarks.get(indicator), area_code)
        _comparators(
            row,
            figures_of.get((indicator, shown_period), {}),
            area_code,
            indicator,
            shown_period,
            info.polarity,
            model,
            positions,
            sets,
        )
        _changes(row, same_kind, shown_period, value, info, tolerance, tolerance_type, cumulative)
        _significance_verdict(
            row, funnels.get(indicator), now, score, info.unit, area_code, cat.get("counts")
        )
        row["vs_england"], row["vs_england_method"] = _vs_england(
            value,
            row["england_value"],
            info.polarity,
            row.get("significance"),
            _band(tolerance, tolerance_type, row["england_value"]),
            info.decimals,
        )
        series = tuple(
            (r["period"], None if is_missing(r["value"]) else r["value"], r["flag"])
            for r in same_kind
        )
        if not any(p == shown_period for p, _, _ in series):  # a figure made from months
            series += ((shown_period, None if is_missing(value) else value, flag),)
        row["series"] = series
        row["recent"] = series[-3:]
        row["example"] = (
            flag == "ex" or row["target_flag"] == "ex" or any(f == "ex" for _, _, f in series)
        )
        records.append(row)
    # disclosure control: a suppressed figure's status, SPC verdict, interval, significance,
    # rank, gaps and its verdict's judgements are not given (its SPC icons would judge the
    # figures before it; its change and range position would give it back)
    out = withhold(
        pd.DataFrame.from_records(records, columns=MATRIX_COLUMNS + VERDICT_COLUMNS),
        judgement_columns=(*JUDGEMENT_COLUMNS, *_VERDICT_JUDGEMENTS),
    )
    for column in _FLOAT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in _INT_COLUMNS:
        out[column] = pd.array(
            [None if is_missing(v) else int(v) for v in out[column]], dtype="Int64"
        )
    for column in _BOOL_COLUMNS:
        out[column] = out[column].fillna(False).astype(bool)
    numbers = {*_FLOAT_COLUMNS, *_INT_COLUMNS, *_BOOL_COLUMNS, "decimals"}
    for column in out.columns:  # text and tuples: absent is None, never NaN (a text column
        # no row gave, or one withheld in every row, is all NaN)
        kind = out[column].dtype
        if column in numbers or not (
            pd.api.types.is_object_dtype(kind)
            or pd.api.types.is_string_dtype(kind)
            or (kind == "float64" and len(out) and out[column].isna().all())
        ):
            continue
        out[column] = pd.Series(
            [None if not isinstance(v, tuple) and is_missing(v) else v for v in out[column]],
            index=out.index,
            dtype=object,
        )
    out.attrs = {
        "area_code": area_code,
        "period": period,
        "model": str(model),
        "neighbour_set": set_name,
        "models": dict(NEIGHBOUR_MODELS),
        "year_of_change": year_of_change(pd.Timestamp(briefing.end)),
    }
    return out


def verdicts(*args, **kwargs) -> pd.DataFrame:
    """:func:`performance_matrix` indexed by indicator: the briefing's one answer per
    indicator, computed once (``Context.verdicts``) and read by every section, the matrix's
    CSV and XLSX, the frozen record and ``perf.changes``."""
    frame = performance_matrix(*args, **kwargs)
    frame.index = pd.Index(frame["indicator"].to_numpy(), name=None)
    return frame


def _spc_verdict(
    row: dict[str, Any],
    history: list[Figure],
    same_kind: list[Figure],
    polarity: str,
    target: float,
    break_at: object,
) -> None:
    """The control chart's verdict: the council's own months where it has enough, else
    the figures like the one shown; the declared breaks honoured."""
    months = [r for r in history if r["month"] and not is_missing(r["value"])]
    monthly = len(months) >= SPC_MIN_MONTHS
    series = months if monthly else [r for r in same_kind if not is_missing(r["value"])]
    labels = [r["period"] for r in series]
    row["spc_points"] = len(series)
    row["spc_basis"] = "months" if monthly else "figures"
    row["spc_series"] = tuple((r["period"], r["value"], r["period_end"]) for r in series)
    row["spc_breaks"] = ()
    row["variation"] = row["assurance"] = None
    row["spc_trial"] = False
    if len(series) < SPC_MIN_POINTS:
        return
    breaks = declared_rebase(labels, None if is_missing(break_at) else str(break_at))
    try:
        variation, assurance, trial = latest_signal(
            [r["value"] for r in series],
            labels,
            polarity=polarity if polarity in ("high", "low") else "neither",
            target=None if is_missing(target) else float(target),
            rebase_at=breaks,
        )
    except PerfError:
        return
    row.update(variation=variation, assurance=assurance, spc_trial=trial, spc_breaks=tuple(breaks))


def _neighbour_sets(area_code: str) -> dict[str, list[str] | None]:
    """The council's statistical neighbours under each model (None where it has none)."""
    sets: dict[str, list[str] | None] = {}
    for m in NEIGHBOUR_MODELS:
        try:
            sets[m] = neighbours(area_code, m)
        except UnknownAreaError:
            sets[m] = None
    return sets


def _near(
    obs: pd.DataFrame, area_code: str, indicators: list[str], sets: Mapping[str, list[str] | None]
) -> pd.DataFrame:
    """The rows of ``indicators`` for the council, England and the council's statistical
    neighbours under every model."""
    codes = {area_code, ENGLAND} | {c for found in sets.values() if found for c in found}
    return obs[obs["area_code"].isin(codes) & obs["indicator"].isin(indicators)]


def _by_period(near: pd.DataFrame) -> dict[tuple[str, str], dict[str, tuple[float, object]]]:
    """(indicator, period) -> area code -> (value, flag), in one pass."""
    found: dict[tuple[str, str], dict[str, tuple[float, object]]] = {}
    flags = near["flag"] if "flag" in near else pd.Series(None, index=near.index)
    for i, p, a, v, f in zip(
        near["indicator"].astype(str),
        near["period"].astype(str),
        near["area_code"].astype(str),
        near["value"].astype("float64"),
        flags,
    ):
        found.setdefault((i, p), {})[a] = (v, f)
    return found


def _national(row: dict[str, Any], bench: pd.DataFrame | None, area_code: str) -> None:
    """Rank, quartile, the region's figure and the middle half of councils (the expected
    range of a context measure) from the national table of the figure's own period."""
    if bench is None or str(bench.attrs.get("period")) != row["period"]:
        row["benchmarked"] = False
        return
    at = np.flatnonzero(bench["area_code"].to_numpy() == area_code)
    row["benchmarked"] = len(at) > 0
    if not row["benchmarked"]:
        return
    b = bench.iloc[int(at[0])]
    row.update(
        rank=_present(b["rank"]),
        n_ranked=_present(b["n_ranked"]),
        quartile=_present(b["quartile"]),
        not_ranked_reason=_present(b["excluded_reason"]),
        region_value=_float(b["region_value"]),
    )
    thresholds = bench.attrs.get("thresholds") or {}
    low, high = thresholds.get("q1"), thresholds.get("q3")
    row["range_low"], row["range_high"] = _float(low), _float(high)
    value, low, high = row["value"], _float(low), _float(high)
    if not is_missing(value) and not is_missing(low) and not is_missing(high):
        row["range_position"] = "below" if value < low else "above" if value > high else "within"


def _comparators(
    row: dict[str, Any],
    figures: Mapping[str, tuple[float, object]],
    area_code: str,
    indicator: str,
    period: str,
    polarity: str,
    model: str,
    positions: NeighbourPositions,
    sets: Mapping[str, list[str] | None],
) -> None:
    """England's figure and the gap to it; the council's place among its neighbours under
    each model and their mean (the chosen model's), from ``figures`` (area code -> value and
    flag of the council, England and its neighbours for the indicator and period)."""
    value_of = {a: v for a, (v, _) in figures.items()}
    flag_of = {a: f for a, (_, f) in figures.items()}
    row["england_value"] = _float(value_of.get(ENGLAND))
    row["gap_england"] = row["value"] - row["england_value"]
    row["neighbour_model"], row["neighbour_set"] = str(model), neighbour_set_name(model)
    if any(c not in (area_code, ENGLAND) for c in value_of):
        for m in NEIGHBOUR_MODELS:
            key = (indicator, period, m)
            codes = sets.get(m)
            if key in positions:
                placed = positions[key]
            else:
                placed = (
                    None if codes is None else _rank_among(value_of, [area_code, *codes], polarity)
                )
            row[f"sn_position_{m}"], row[f"sn_ranked_{m}"] = placed or (None, 0)
        codes = sets.get(str(model))
        if codes is None:
            try:
                neighbours(area_code, model)  # raises, saying why there is no set
            except UnknownAreaError as exc:
                row["sn_note"] = exc.message
        else:
            nm = neighbour_mean_of(
                value_of, flag_of, area_code, indicator, period, model=model, codes=codes
            )
            row.update(
                sn_mean=np.nan if nm.mean is None else nm.mean,
                sn_n=nm.n,
                sn_of=len(nm.neighbours),
                sn_note=nm.note,
                sn_lacking=nm.lacking_names,
            )
    row["gap_sn"] = row["value"] - float(row.get("sn_mean", np.nan))


def _changes(
    row: dict[str, Any],
    same_kind: list[Figure],
    period: str,
    value: float,
    info: IndicatorInfo,
    tolerance: Any,
    tolerance_type: Any,
    cumulative: bool,
) -> None:
    """The three comparisons and the direction of travel, like for like, with both periods
    named; the no-change band is the tolerance (absolute) or the shown decimals."""
    polarity = info.polarity if info.polarity in ("high", "low") else "neither"
    threshold = (
        float(tolerance) if not is_missing(tolerance) and str(tolerance_type) == "absolute" else 0.0
    )
    values = {r["period"]: r["value"] for r in same_kind}
    flags = {r["period"]: r["flag"] for r in same_kind}
    for c in compare_figure(
        values,
        period,
        value,
        polarity=polarity,
        unit=info.unit,
        threshold=threshold,
        decimals=info.decimals,
    ):
        name, before = c["comparison"], c["comparison_period"]
        row.update(
            {
                f"{name}_period": before,
                f"{name}_value": c["comparison_value"],
                f"{name}_flag": _present(flags.get(before)) if before else None,
                f"{name}_change": c["change"],
                f"{name}_movement": c["movement"],
                f"{name}_direction": c["direction"],
            }
        )
    headline = _headline(str(row["period_kind"]), cumulative)
    if headline == "previous_comparable":
        before = _previous_comparable(same_kind, period)
        label = None if before is None else before["period"]
    else:
        label = row.get(f"{headline}_period")
        before = next((r for r in same_kind if r["period"] == label), None) if label else None
    row["direction_comparison"] = headline
    if before is None or is_missing(before["value"]) or is_missing(value):
        row["direction"], row["direction_movement"] = "not comparable", "not comparable"
        row["direction_period"] = label
        return
    was = float(before["value"])
    diff = round(value - was, 10)
    movement, direction = direction_of(diff, polarity, threshold, info.decimals)
    row.update(
        direction=direction,
        direction_movement=movement,
        direction_period=before["period"],
        direction_period_words=_words(
            before["period_kind"],
            before["period"],
            before.get("period_start"),
            before.get("period_end"),
            cumulative and before["period_kind"] == "financial_quarter",
            row.get("period_type"),
        ),
        direction_value=was,
        direction_flag=before["flag"],
        direction_change=diff,
        direction_change_pct=diff / abs(was) * 100 if was != 0 else np.nan,
    )


def _significance_verdict(
    row: dict[str, Any],
    fun: pd.DataFrame | None,
    now: dict[str, Any] | None,
    score: dict[str, Any] | None,
    unit: str,
    area_code: str,
    counts: object,
) -> None:
    """Where the figure stands against England's funnel limits, and its own 95% confidence
    interval; none for a census of settings (every children's home counted: no sampling
    variation to express)."""
    if str(counts) == "settings":
        return
    mark = (
        fun[fun["area_code"] == area_code]
        if fun is not None and str(fun.attrs.get("period")) == row["period"]
        else None
    )
    if fun is not None and mark is not None and len(mark):
        f = mark.iloc[0]
        row.update(
            significance=f["significance"],
            significance_words=f["significance_words"],
            significance_note=_present(f.get("note")),
            ci_lower=f["ci_lower"],
            ci_upper=f["ci_upper"],
            ci_method=fun.attrs.get("confidence_text"),
        )
        return
    source: dict[str, Any] = score if score is not None else (now if now is not None else {})
    interval = own_interval(
        row["value"], _float(source.get("numerator")), _float(source.get("denominator")), unit
    )
    if interval is not None:
        row["ci_lower"], row["ci_upper"] = interval
        row["ci_method"] = (
            "95% confidence interval: Wilson score"
            if unit == "%"
            else "95% confidence interval: exact Poisson below 10 events, Byar's method from 10"
        )
