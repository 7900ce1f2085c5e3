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

from perf._numbers import is_missing
from perf.areas import NEIGHBOUR_MODELS, neighbour_mean, neighbour_set_name, neighbours
from perf.benchmarking import lait_rank
from perf.catalogue import indicator_info
from perf.compare import COMPARISONS, compare_periods
from perf.config import ENGLAND
from perf.disclosure import withhold
from perf.errors import PerfError, UnknownAreaError
from perf.periods import parse_period
from perf.schema import rows_of
from perf.significance import confidence_interval
from perf.spc import assurance_icon, series_for, variation_icon, xmr

__all__ = [
    "MATRIX_COLUMNS",
    "NEIGHBOUR_MODEL_CHANGE_YEAR",
    "SPC_MIN_POINTS",
    "NeighbourPositions",
    "neighbour_position",
    "neighbour_positions",
    "own_interval",
    "performance_matrix",
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
    values = pd.Series(
        [value_of.get(c, np.nan) for c in codes], index=list(codes), dtype="float64"
    ).dropna()
    if codes[0] not in values.index:
        return None, len(values)
    ranks = lait_rank(values, polarity if polarity in ("high", "low") else "neither")
    return int(ranks[codes[0]]), len(values)


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
    for indicator, period in periods.items():
        polarity = indicator_info(indicator, catalogue).polarity
        same = rows_of(obs, indicator, period)
        value_of = dict(zip(same["area_code"], same["value"].astype("float64")))
        for m, codes in sets.items():
            found[(indicator, period, m)] = (
                None if codes is None else _rank_among(value_of, [area_code, *codes], polarity)
            )
    return found


def _first(frame: pd.DataFrame | None, indicator: str) -> pd.Series | None:
    if frame is None or not len(frame):
        return None
    rows = frame[frame["indicator"] == indicator]
    return rows.iloc[0] if len(rows) else None


def _get(row: pd.Series | None, column: str) -> Any:
    if row is None or column not in row.index:
        return None
    value = row[column]
    return None if is_missing(value) else value


def _spc(series: pd.Series, polarity: str, target: float | None) -> tuple[str | None, str | None]:
    if len(series) < SPC_MIN_POINTS:
        return None, None
    try:
        chart = xmr(
            series,
            polarity=polarity,
            target=None if target is None or is_missing(target) else float(target),
        )
        return variation_icon(chart), assurance_icon(chart)
    except PerfError:
        return None, None


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
) -> pd.DataFrame:
    """One row per indicator of ``items`` (in its order): the columns of
    :data:`MATRIX_COLUMNS`. Does not modify its inputs.

    Args:
        obs: every observation (all areas and periods: England's and the neighbours' rows
            give the gaps and positions).
        area_code: the council.
        period: the briefing's period label (for ``attrs["year_of_change"]``).
        items: ``indicator``, ``plan``, ``priority``: what the matrix covers and how it is
            grouped.
        catalogue: title, unit, decimals, polarity and ``measure`` of each indicator.
        latest: the council's observation of each indicator that best fits the period
            (indexed by indicator, as :func:`perf.compare.match_period` gives it).
        scored: local figures scored against their targets (``value``, ``target``,
            ``status``): the value scored is the one shown.
        benchmarks: indicator -> :func:`perf.benchmarking.benchmark` frame.
        funnels: indicator -> :func:`perf.significance.funnel` frame.
        model: the neighbour model of the neighbours' mean and gap.
        positions: the neighbour positions already known (:func:`neighbour_positions`,
            as a briefing's context holds them); any other is computed here.

    Returns:
        The matrix; ``attrs``: area_code, period, model, neighbour_set, year_of_change,
        models (model -> set name). ``recent`` holds tuples of (period, value, flag).

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
    """
    benchmarks = benchmarks or {}
    funnels = funnels or {}
    positions = positions or {}
    set_name = neighbour_set_name(model)
    of_area = obs[obs["area_code"] == area_code]
    records = []
    for item in items.itertuples(index=False):
        indicator = str(item.indicator)
        info = indicator_info(indicator, catalogue)
        cat_row = _first(catalogue, indicator)
        now = latest.loc[indicator] if indicator in latest.index else None
        if isinstance(now, pd.DataFrame):
            now = now.iloc[-1]
        score = _first(scored, indicator)
        source = score if score is not None else now
        value = _get(source, "value")
        flag = _get(source, "flag")
        if now is None and score is None:
            continue
        target = _get(score, "target")
        row: dict[str, Any] = {
            "plan": item.plan,
            "priority": item.priority,
            "indicator": indicator,
            "title": info.title,
            "unit": info.unit,
            "decimals": info.decimals,
            "polarity": info.polarity,
            "measure": _get(cat_row, "measure"),
            "period": _get(now, "period") or _get(score, "period"),
            "period_kind": _get(now, "period_kind"),
            "period_start": _get(now, "period_start"),
            "period_end": _get(now, "period_end"),
            "value": np.nan if value is None else float(value),
            "flag": flag,
            "target": np.nan if target is None else float(target),
            "target_flag": _get(score, "target_flag"),
            "status": _get(score, "status"),
        }
        shown_period = str(row["period"])
        mine = of_area[of_area["indicator"] == indicator]
        if row["period_end"] is not None:
            mine = mine[mine["period_end"] <= row["period_end"]]
        mine = mine.sort_values("period_end", kind="stable")

        # statistical process control
        series = (
            series_for(mine, indicator, area_code).dropna()
            if len(mine)
            else pd.Series(dtype="float64")
        )
        row["spc_points"] = len(series)
        row["variation"], row["assurance"] = _spc(series, info.polarity, target)

        # national rank and quartile
        bench = benchmarks.get(indicator)
        here = bench[bench["area_code"] == area_code] if bench is not None else None
        row["benchmarked"] = here is not None and len(here) > 0
        if here is not None and len(here):
            b = here.iloc[0]
            row.update(
                rank=_get(b, "rank"),
                n_ranked=_get(b, "n_ranked"),
                quartile=_get(b, "quartile"),
                not_ranked_reason=_get(b, "excluded_reason"),
            )

        # England, neighbours
        same = rows_of(obs, indicator, shown_period)
        england = same.loc[same["area_code"] == ENGLAND, "value"].dropna()
        row["england_value"] = float(england.iloc[0]) if len(england) else np.nan
        row["gap_england"] = row["value"] - row["england_value"]
        row["neighbour_model"], row["neighbour_set"] = str(model), set_name
        peers = same[(same["area_level"] == "la") & (same["area_code"] != area_code)]
        if len(peers):
            for m in NEIGHBOUR_MODELS:
                key = (indicator, shown_period, m)
                placed = (
                    positions[key]
                    if key in positions
                    else _placed(same, area_code, indicator, shown_period, info.polarity, m)
                )
                row[f"sn_position_{m}"], row[f"sn_ranked_{m}"] = placed or (None, 0)
            try:
                nm = neighbour_mean(same, area_code, indicator, shown_period, model=model)
            except UnknownAreaError as exc:
                row["sn_note"] = exc.message
            else:
                row.update(
                    sn_mean=np.nan if nm.mean is None else nm.mean,
                    sn_n=nm.n,
                    sn_of=len(nm.neighbours),
                    sn_note=nm.note,
                    sn_lacking=nm.lacking_names,
                )
        row["gap_sn"] = row["value"] - float(row.get("sn_mean", np.nan))

        # change over time
        try:
            changes = compare_periods(mine, shown_period, catalogue)
        except PerfError:
            changes = pd.DataFrame(columns=["comparison"])
        flags = dict(zip(mine["period"], mine["flag"])) if "flag" in mine else {}
        for c in COMPARISONS:
            hit = changes[changes["comparison"] == c]
            if not len(hit):
                continue
            h = hit.iloc[0]
            before = _get(h, "comparison_period")
            row.update(
                {
                    f"{c}_period": before,
                    f"{c}_value": h["comparison_value"],
                    f"{c}_flag": None
                    if before is None or is_missing(flags.get(before))
                    else flags.get(before),
                    f"{c}_change": h["change"],
                    f"{c}_movement": h["movement"],
                    f"{c}_direction": h["direction"],
                }
            )

        # significance against England, the council's own interval
        fun = funnels.get(indicator)
        mark = (
            fun[fun["area_code"] == area_code]
            if fun is not None and str(fun.attrs.get("period")) == shown_period
            else None
        )
        if fun is not None and mark is not None and len(mark):
            f = mark.iloc[0]
            row.update(
                significance=f["significance"],
                significance_words=f["significance_words"],
                significance_note=_get(f, "note"),
                ci_lower=f["ci_lower"],
                ci_upper=f["ci_upper"],
                ci_method=fun.attrs.get("confidence_text"),
            )
        else:
            interval = (
                own_interval(
                    row["value"], _get(now, "numerator"), _get(now, "denominator"), info.unit
                )
                if now is not None and _get(score, "value") in (None, _get(now, "value"))
                else None
            )
            if interval is not None:
                row["ci_lower"], row["ci_upper"] = interval
                row["ci_method"] = (
                    "95% confidence interval: Wilson score"
                    if info.unit == "%"
                    else "95% confidence interval: exact Poisson below 10 "
                    "events, Byar's method from 10"
                )

        row["recent"] = tuple(
            (str(p), None if is_missing(v) else float(v), None if is_missing(f) else str(f))
            for p, v, f in zip(
                mine["period"].tail(3),
                mine["value"].tail(3),
                (mine["flag"] if "flag" in mine else pd.Series([None] * len(mine))).tail(3),
            )
        )
        records.append(row)
    # disclosure control: a suppressed figure's status, SPC verdict, interval, significance,
    # rank and gaps are not given (its SPC icons would judge the figures before it)
    out = withhold(pd.DataFrame.from_records(records, columns=MATRIX_COLUMNS))
    for column in (
        "value",
        "target",
        "england_value",
        "gap_england",
        "sn_mean",
        "gap_sn",
        "ci_lower",
        "ci_upper",
        *[f"{c}_{w}" for c in COMPARISONS for w in ("value", "change")],
    ):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in (
        "rank",
        "n_ranked",
        "sn_n",
        "sn_of",
        "spc_points",
        *[f"sn_{w}_{m}" for m in NEIGHBOUR_MODELS for w in ("position", "ranked")],
    ):
        out[column] = pd.array(
            [None if is_missing(v) else int(v) for v in out[column]], dtype="Int64"
        )
    out["benchmarked"] = out["benchmarked"].fillna(False).astype(bool)
    for column in out.columns:  # text and tuples: absent is None, never NaN
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
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
        "year_of_change": year_of_change(pd.Timestamp(parse_period(period).end)),
    }
    return out
