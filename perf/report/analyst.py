"""What an analyst types after ``import perf``: every indicator's change for an area, a
trend or benchmark chart in one call, and the ids and names to use in them.

Each exported function looks the area up (a name, ONS code or DfE number), reads the
cached data (:mod:`perf.report.data`) and hands frames to a pure function that does the
work (:func:`changes_frame`, :func:`trend_window`), which the tests call on small frames.
Figures are the published view by default (disclosure control of the council's own
small counts, :func:`perf.disclosure.for_publication`); ``public=False`` gives the
unsuppressed internal view.

Every figure is taken at the indicator's own published period: asked for ``2024-25``, the
31 March stock is ``31 March 2025``, absence the academic year ``2024/25`` and NEET the
calendar year ``2024`` (:func:`perf.compare.latest_up_to`); the change is against the
same period a year earlier, or the latest earlier comparable one when that year is
missing (:func:`perf.compare.previous_comparable`).

Examples:
    >>> leeds = changes("Leeds", "2024-25").set_index("indicator")
    >>> leeds.loc["cla_rate", ["period", "previous_period", "change_text", "direction",
    ...                        "quartile"]].tolist()
    ['31 March 2025', '31 March 2024', '-4 (-4%)', 'improving', 'C']
    >>> chart = trend_chart("Leeds", "cla_rate", comparators=("England", "neighbours"),
    ...                     start="31 March 2021")
    >>> chart.title
    'Children looked after on 31 March per 10,000 children in Leeds rose from 75 at 31 March 2021 to 85 at 31 March 2025'
    >>> chart.save("leeds_lac.png")  # doctest: +SKIP
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from perf.areas import areas as area_lookup
from perf.areas import find_area
from perf.benchmarking import BenchmarkError, benchmark
from perf.catalogue import indicator_info
from perf.charts import Chart
from perf.charts import benchmark_chart as draw_benchmark_chart
from perf.charts import trend_chart as draw_trend_chart
from perf.compare import change, latest_up_to, previous_comparable, with_period_dates
from perf.config import ENGLAND
from perf.errors import ParameterError, PerfError
from perf.periods import parse_period
from perf.report.data import catalogue_frame, observations
from perf.report.explore import change_text, trend_table
from perf.summary import percent_size_text

__all__ = [
    "CHANGE_COLUMNS",
    "COMPARATORS",
    "TrendView",
    "benchmark_chart",
    "changes",
    "changes_frame",
    "indicators",
    "trend_chart",
    "trend_view",
    "trend_window",
]

#: What a trend can be drawn against (any of them, in any order).
COMPARATORS: tuple[str, ...] = ("England", "region", "neighbours")

#: :func:`changes`'s columns, one row per indicator.
CHANGE_COLUMNS = [
    "indicator",
    "title",
    "unit",
    "period",
    "value",
    "flag",
    "previous_period",
    "previous_value",
    "change",
    "change_unit",
    "change_pct",
    "change_text",
    "direction",
    "england",
    "region",
    "neighbours",
    "rank",
    "n_ranked",
    "quartile",
]


# --- areas and indicators -----------------------------------------------------------


def _neighbour_codes(row: pd.Series) -> list[str]:
    joined = row.get("neighbours")
    return [c for c in str(joined).split(";") if c] if isinstance(joined, str) else []


def _region_code(row: pd.Series) -> str | None:
    code = row.get("region_code")
    return str(code) if isinstance(code, str) and code else None


def _check_indicator(indicator: str, obs: pd.DataFrame) -> None:
    known = set(obs["indicator"])
    if indicator not in known:
        close = difflib.get_close_matches(indicator, sorted(known), n=3)
        raise ParameterError(
            f"no figures for indicator {indicator!r}",
            hint=(f"Did you mean: {', '.join(close)}? " if close else "")
            + "perf.indicators() lists every id.",
        )


def indicators(area: str | int | None = None, *, public: bool = True) -> pd.DataFrame:
    """Every indicator with figures (for one area, if given): id, title, unit, polarity,
    the kind of period it is published for, its first and last period and how many.

    Examples:
        >>> found = indicators("Dudley").set_index("indicator")
        >>> found.loc["cla_rate", ["unit", "period_kind", "last"]].tolist()
        ['rate per 10,000', 'snapshot', '30 September 2025']
    """
    obs = observations(public)
    if area is not None:
        obs = obs[obs["area_code"] == str(find_area(area)["area_code"])]
    spans = (
        obs.sort_values("period_end")
        .groupby("indicator", sort=False)
        .agg(
            period_kind=("period_kind", "first"),
            first=("period", "first"),
            last=("period", "last"),
            periods=("period", "nunique"),
        )
    )
    catalogue = catalogue_frame()
    info = {ind: indicator_info(ind, catalogue) for ind in spans.index}
    out = pd.DataFrame(
        {
            "indicator": spans.index,
            "title": [info[i].title for i in spans.index],
            "unit": [info[i].unit for i in spans.index],
            "polarity": [info[i].polarity for i in spans.index],
            "period_kind": spans["period_kind"].to_numpy(),
            "first": spans["first"].to_numpy(),
            "last": spans["last"].to_numpy(),
            "periods": spans["periods"].to_numpy(),
        }
    )
    return out.sort_values(["title", "indicator"], key=lambda s: s.str.lower()).reset_index(
        drop=True
    )


# --- changes ------------------------------------------------------------------------


def _polarity(value: str) -> str:
    return value if value in ("high", "low") else "neither"


def _change_words(diff: float, pct: float, unit: str, decimals: int) -> str:
    """``-6.4 percentage points`` for a percentage, ``+20 (+1.3%)`` for anything else.

    >>> _change_words(-6.39, float("nan"), "%", 1), _change_words(20, 1.33, "count", 0)
    ('-6.4 percentage points', '+20 (+1.3%)')
    """
    text = change_text(diff, unit, decimals)
    relative = percent_size_text(pct) if unit != "%" else None
    if text and relative:
        text += f" ({'+' if pct > 0 else '-'}{relative})"
    return text


def _benchmarks(
    obs: pd.DataFrame,
    latest: pd.DataFrame,
    catalogue: pd.DataFrame,
    areas: pd.DataFrame,
    area_code: str,
) -> dict[str, dict[str, object]]:
    """Rank, quartile and comparators for each indicator at its own latest period."""
    wanted = set(zip(latest["indicator"], latest["period"]))
    rows = obs[obs["indicator"].isin({i for i, _ in wanted})]
    groups = {
        key: frame
        for key, frame in rows.groupby(["indicator", "period"], sort=False)
        if key in wanted
    }
    out: dict[str, dict[str, object]] = {}
    for ind, period in zip(latest["indicator"], latest["period"]):
        here = groups[(ind, period)]
        england = here.loc[here["area_code"] == ENGLAND, "value"]
        found: dict[str, object] = {"england": float(england.iloc[0]) if len(england) else np.nan}
        try:
            bench = benchmark(
                here,
                ind,
                period,
                areas=areas,
                polarity=_polarity(indicator_info(ind, catalogue).polarity),
            )
        except BenchmarkError:
            bench = None
        me = bench[bench["area_code"] == area_code] if bench is not None else None
        if me is not None and len(me):
            row = me.iloc[0]
            ranked = pd.notna(row["rank"]) and int(row["n_ranked"]) > 1  # 1st of 1 is no rank
            found.update(
                region=row["region_value"],
                neighbours=row["sn_mean"],
                rank=row["rank"] if ranked else pd.NA,
                n_ranked=row["n_ranked"] if ranked else pd.NA,
                quartile=row["quartile"] if ranked else pd.NA,
            )
        out[ind] = found
    return out


def changes_frame(
    obs: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, area_code: str, period: str
) -> pd.DataFrame:
    """:func:`changes` on given frames (observations, catalogue and area lookup).

    Raises:
        ParameterError: the area has no figures up to ``period``.
    """
    here = obs[obs["area_code"] == area_code]
    latest = latest_up_to(here, period) if len(here) else here
    if latest.empty:
        raise ParameterError(
            f"no figures for area {area_code} up to {period}",
            hint="perf.indicators(area) lists what each area has.",
        )
    before = previous_comparable(here, latest)
    compared = _benchmarks(obs, latest, catalogue, areas, area_code)
    records = []
    for i, row in latest.iterrows():
        ind = str(row["indicator"])
        info = indicator_info(ind, catalogue)
        previous = before.loc[i, "previous_period"]
        moved = change(
            here,
            ind,
            area_code,
            "" if pd.isna(previous) else str(previous),
            str(row["period"]),
            polarity=_polarity(info.polarity),
            unit=info.unit,
        )
        flag = row.get("flag")
        records.append(
            {
                "indicator": ind,
                "title": info.title,
                "unit": info.unit,
                "period": row["period"],
                "value": row["value"],
                "flag": flag if isinstance(flag, str) else pd.NA,
                "previous_period": previous,
                "previous_value": before.loc[i, "previous_value"],
                "change": moved.change,
                "change_unit": "percentage points" if info.unit == "%" else info.unit,
                "change_pct": moved.change_pct,
                "change_text": _change_words(
                    moved.change, moved.change_pct, info.unit, info.decimals
                ),
                "direction": moved.direction,
                **{
                    "england": np.nan,
                    "region": np.nan,
                    "neighbours": np.nan,
                    "rank": pd.NA,
                    "n_ranked": pd.NA,
                    "quartile": pd.NA,
                    **compared.get(ind, {}),
                },
            }
        )
    out = pd.DataFrame.from_records(records, columns=CHANGE_COLUMNS)
    for col in (
        "value",
        "previous_value",
        "change",
        "change_pct",
        "england",
        "region",
        "neighbours",
    ):
        out[col] = out[col].astype("float64")
    for col in ("rank", "n_ranked"):
        out[col] = out[col].astype("Int64")
    for col in ("flag", "previous_period", "quartile"):
        out[col] = out[col].astype("string")
    out = out.sort_values(["title", "indicator"], key=lambda s: s.str.lower())
    return out.reset_index(drop=True)


def changes(area: str | int, period: str, *, public: bool = True) -> pd.DataFrame:
    """One row per indicator with figures for ``area`` up to ``period``: its latest value
    and period, the previous comparable value and period, the change and its direction,
    England's, the region's and the statistical neighbours' values, rank and quartile.

    Args:
        area: a name (``"Leeds"``), ONS code or DfE number.
        period: any period label (``"2024-25"``, ``"2024-25 Q2"``, ``"31 March 2025"``);
            each indicator is taken at its own period that best fits it, or its latest
            before it.
        public: the published figures (True) or the unsuppressed internal view (False).

    Returns:
        Columns :data:`CHANGE_COLUMNS`, ordered by title. ``change`` is in the indicator's
        units (``change_unit``: percentage points for a percentage), ``change_pct`` the
        relative change, ``direction`` improving, worsening, no change, no polarity or not
        comparable; ``neighbours`` is the statistical neighbours' mean; ``rank`` (1 =
        best; lowest first with no polarity) of ``n_ranked`` councils and ``quartile``
        (A best) by DfE's LAIT rules, missing where the council is not ranked among
        others. ``attrs`` holds the area and the period asked for.

    Examples:
        >>> leeds = changes("Leeds", "2024-25")
        >>> len(leeds) == leeds["indicator"].nunique(), leeds.attrs["area_name"]
        (True, 'Leeds')
        >>> leeds.set_index("indicator").loc[["neet_16_17", "PriTotAbs", "LACnum"],
        ...     ["period", "change_text", "direction", "rank"]]
                           period              change_text    direction  rank
        indicator
        neet_16_17           2025   +0.6 percentage points    worsening   124
        PriTotAbs         2024/25  -0.30 percentage points    improving    90
        LACnum      31 March 2025                -48 (-3%)  no polarity   147
    """
    row = find_area(area)
    out = _changes(str(row["area_code"]), parse_period(period).label, public).copy()
    out.attrs = {
        "area_code": str(row["area_code"]),
        "area_name": str(row["area_name"]),
        "period": parse_period(period).label,
        "public": public,
    }
    return out


@lru_cache(maxsize=16)
def _changes(code: str, label: str, public: bool) -> pd.DataFrame:
    # once per process: the data are cached for its life, and 45 benchmarks take seconds
    return changes_frame(observations(public), catalogue_frame(), area_lookup(), code, label)


# --- trends -------------------------------------------------------------------------


def _comparator_set(comparators: Sequence[str] | str) -> tuple[str, ...]:
    """The comparators asked for, spelled as :data:`COMPARATORS` (any case)."""
    if isinstance(comparators, str):
        comparators = (comparators,)
    names = {c.lower(): c for c in COMPARATORS}
    names["neighbors"] = "neighbours"
    out = []
    for given in comparators:
        name = names.get(str(given).strip().lower())
        if name is None:
            raise ParameterError(
                f"unknown comparator {given!r}", hint=f"Use any of {', '.join(COMPARATORS)}."
            )
        if name not in out:
            out.append(name)
    return tuple(out)


def trend_window(
    obs: pd.DataFrame,
    indicator: str,
    area_code: str,
    *,
    region_code: str | None = None,
    neighbours: Sequence[str] = (),
    comparators: Sequence[str] = COMPARATORS,
    start: str | None = None,
    end: str | None = None,
) -> pd.DataFrame:
    """The observations a trend shows: the area's periods from ``start`` to ``end`` (the
    indicator's own period that best fits ``end``), and the comparators' figures for them.

    >>> obs = pd.DataFrame({"indicator": "x", "value": [1.0, 2.0, 3.0, 5.0, 6.0],
    ...     "area_code": ["A", "A", "A", "E92000001", "R"],
    ...     "period": ["2022", "2023", "2024", "2023", "2023"]})
    >>> w = trend_window(obs, "x", "A", region_code="R", comparators=("England",),
    ...                  start="2023", end="2023-24")
    >>> w[["area_code", "period"]].values.tolist()
    [['A', '2023'], ['E92000001', '2023']]
    """
    rows = with_period_dates(obs[obs["indicator"] == indicator])
    mine = rows[rows["area_code"] == area_code]
    if end is not None and len(mine):
        last = latest_up_to(mine, end)
        cutoff = last["period_end"].max() if len(last) else pd.Timestamp.min
        mine = mine[mine["period_end"] <= cutoff]
    if start is not None:
        mine = mine[mine["period_start"] >= pd.Timestamp(parse_period(start).start)]
    wanted = set(_comparator_set(comparators))
    codes = [area_code]
    codes += [ENGLAND] if "England" in wanted else []
    codes += [region_code] if region_code and "region" in wanted else []
    codes += list(neighbours) if "neighbours" in wanted else []
    keep = rows["period"].isin(set(mine["period"])) & rows["area_code"].isin(codes)
    return rows[keep].sort_values(["period_end", "area_code"]).reset_index(drop=True)


def _quoted(text: str) -> str:
    """A string literal as people write it in a notebook: double quotes.

    >>> print(_quoted("Bristol, City of"), _quoted('say "hi"'))
    "Bristol, City of" 'say "hi"'
    """
    return f'"{text}"' if '"' not in text and "\\" not in text else repr(text)


@dataclass(frozen=True)
class TrendView:
    """One indicator over time for an area: the chart, the figures table beside it (HTML),
    the sentence that says what it shows, and the call that reproduces it."""

    area_code: str
    area_name: str
    indicator: str
    comparators: tuple[str, ...]
    start: str | None
    end: str | None
    public: bool
    window: pd.DataFrame
    chart: Chart
    table: str
    sentence: str

    def code(self) -> str:
        """The ``perf`` call that draws this chart."""
        try:
            area = (
                self.area_name
                if str(find_area(self.area_name)["area_code"]) == self.area_code
                else self.area_code
            )
        except PerfError:
            area = self.area_code
        args = [_quoted(area), _quoted(self.indicator)]
        if self.comparators != COMPARATORS:
            names = ", ".join(_quoted(c) for c in self.comparators)
            args.append(f"comparators=({names}{',' if len(self.comparators) == 1 else ''})")
        args += [f"{k}={_quoted(v)}" for k, v in (("start", self.start), ("end", self.end)) if v]
        if not self.public:
            args.append("public=False")
        return f"perf.trend_chart({', '.join(args)})"


def _table_comparators(
    obs: pd.DataFrame,
    comparators: tuple[str, ...],
    region_code: str | None,
    neighbours: Sequence[str],
) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    if "England" in comparators:
        out.append(("England", [ENGLAND]))
    if "region" in comparators and region_code:
        names = obs.loc[obs["area_code"] == region_code, "area_name"]
        out.append((str(names.iloc[0]) if len(names) else "Region", [region_code]))
    if "neighbours" in comparators and neighbours:
        out.append(("Statistical neighbours' average", list(neighbours)))
    return out


def _latest_change(
    obs: pd.DataFrame, window: pd.DataFrame, indicator: str, area_code: str, catalogue: pd.DataFrame
) -> str:
    """``Change since 31 March 2024: -4 (-4.5%), improving.`` for the window's last period."""
    here = obs[(obs["indicator"] == indicator) & (obs["area_code"] == area_code)]
    last = window[window["area_code"] == area_code].tail(1)
    before = previous_comparable(here, last)
    previous = before["previous_period"].iloc[0]
    if pd.isna(previous):
        return ""
    info = indicator_info(indicator, catalogue)
    moved = change(
        here,
        indicator,
        area_code,
        str(previous),
        str(last["period"].iloc[0]),
        polarity=_polarity(info.polarity),
        unit=info.unit,
    )
    words = _change_words(moved.change, moved.change_pct, info.unit, info.decimals)
    if not words:
        return f"No change can be given since {previous} (a figure is missing)."
    return f"Change since {previous}: {words}, {moved.direction}."


def trend_view(
    area: str | int,
    indicator: str,
    comparators: Sequence[str] = COMPARATORS,
    *,
    start: str | None = None,
    end: str | None = None,
    public: bool = True,
) -> TrendView:
    """The chart, table and sentence for one indicator over time (see :func:`trend_chart`).

    Raises:
        ParameterError: an unknown indicator or comparator, or no figures for the area in
            the periods asked for.
    """
    row = find_area(area)
    code, name = str(row["area_code"]), str(row["area_name"])
    region, neighbours = _region_code(row), _neighbour_codes(row)
    wanted = _comparator_set(comparators)
    obs, catalogue = observations(public), catalogue_frame()
    _check_indicator(indicator, obs)
    window = trend_window(
        obs,
        indicator,
        code,
        region_code=region,
        neighbours=neighbours,
        comparators=wanted,
        start=start,
        end=end,
    )
    mine = window[(window["area_code"] == code) & window["value"].notna()]
    if mine.empty:
        span = " ".join(
            p for p in (f"from {start}" if start else "", f"up to {end}" if end else "") if p
        )
        raise ParameterError(
            f"no figures for {indicator} in {name}{' ' + span if span else ''}",
            hint="perf.indicators(area) lists each indicator's periods.",
        )
    chart = draw_trend_chart(
        window,
        indicator,
        code,
        region_code=region,
        neighbours=neighbours if "neighbours" in wanted else (),
        catalogue=catalogue,
    )
    table, _ = trend_table(
        window,
        catalogue,
        indicator,
        code,
        _table_comparators(obs, wanted, region, neighbours),
        years=window["period"].nunique(),
        up_to=str(mine["period"].iloc[-1]),
    )
    sentence = chart.alt_text.removeprefix("Line chart. ")
    latest = _latest_change(obs, window, indicator, code, catalogue)
    sentence = f"{sentence} {latest}" if latest else sentence
    return TrendView(
        code, name, indicator, wanted, start, end, public, window, chart, table, sentence
    )


def trend_chart(
    area: str | int,
    indicator: str,
    comparators: Sequence[str] = COMPARATORS,
    *,
    start: str | None = None,
    end: str | None = None,
    public: bool = True,
) -> Chart:
    """One indicator over time for an area, against England, its region and its
    statistical neighbours' average (any of them): a chart that shows itself in JupyterLab
    (a PNG with alt text written from the data) and saves with ``.save("chart.png")``.

    Args:
        area: a name, ONS code or DfE number.
        indicator: an indicator id (:func:`indicators` lists them).
        comparators: any of ``"England"``, ``"region"``, ``"neighbours"``.
        start, end: the first and last period shown (any label: the indicator's own
            period that best fits ``end``); every period by default.
        public: the published figures (True) or the unsuppressed internal view (False).

    Examples:
        >>> chart = trend_chart("Dudley", "cla_rate", comparators=("England",),
        ...                     start="2021-22", end="2023-24")
        >>> chart.alt_text
        'Line chart. Children looked after on 31 March per 10,000 children in Dudley fell from 85 at 31 March 2022 to 82 at 31 March 2024; England 69.'
        >>> chart._repr_html_().startswith('<figure class="perf-chart"')
        True
    """
    return trend_view(area, indicator, comparators, start=start, end=end, public=public).chart


def benchmark_chart(
    area: str | int, indicator: str, period: str | None = None, *, public: bool = True
) -> Chart:
    """Every council ranked on one indicator (best on the left), the area and its
    statistical neighbours highlighted, quartiles shaded and England marked.

    Args:
        area: a name, ONS code or DfE number.
        indicator: an indicator id (:func:`indicators` lists them).
        period: any label: the indicator's own period that best fits it, or its latest
            before it; the area's latest figure by default.
        public: the published figures (True) or the unsuppressed internal view (False).

    Examples:
        >>> chart = benchmark_chart("Leeds", "cla_rate", "2024-25")
        >>> chart.title
        'Leeds ranked 107th of 151 councils for Children looked after on 31 March per 10,000 children at 31 March 2025 (quartile C)'
    """
    row = find_area(area)
    code, name = str(row["area_code"]), str(row["area_name"])
    obs, catalogue = observations(public), catalogue_frame()
    _check_indicator(indicator, obs)
    mine = obs[(obs["indicator"] == indicator) & (obs["area_code"] == code)]
    latest = (
        latest_up_to(mine, period)
        if period is not None and len(mine)
        else mine.sort_values("period_end").tail(1)
    )
    if latest.empty:
        raise ParameterError(
            f"no figures for {indicator} in {name}" + (f" up to {period}" if period else ""),
            hint="perf.indicators(area) lists each indicator's periods.",
        )
    own = str(latest["period"].iloc[0])
    info = indicator_info(indicator, catalogue)
    bench = benchmark(obs, indicator, own, areas=area_lookup(), polarity=_polarity(info.polarity))
    try:
        return draw_benchmark_chart(
            bench,
            area_code=code,
            label=info.title,
            unit=info.unit,
            decimals=info.decimals,
            period=own,
            neighbours=_neighbour_codes(row),
        )
    except ValueError as exc:
        raise ParameterError(
            f"no council has a figure for {indicator} in {own}",
            hint="Choose another period or indicator.",
        ) from exc
