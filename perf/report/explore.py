"""Views for the ``trends`` and ``quarter_comparison`` notebooks: any indicator over the
years, and two periods side by side for every indicator, as accessible HTML.

Every table shows the period actually used for each indicator
(:func:`perf.compare.match_period` picks, per indicator, the published period that best
fits the one asked for). Like the briefing's sections, each view method returns a
:class:`~perf.report.display.Section` carrying the sources it used; ``sources()`` lists
every other method's.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from perf._numbers import plural
from perf.alignment import refers_to
from perf.areas import find_area, neighbour_set_name
from perf.areas import neighbours as neighbours_of
from perf.catalogue import indicator_info
from perf.charts import figure_to_html, trend_chart
from perf.compare import direction_of, direction_words, match_period, one_per_measure
from perf.config import ENGLAND, get_logger
from perf.errors import ParameterError, UnknownAreaError
from perf.periods import parse_period, same_period_last_year
from perf.report.data import catalogue_frame, observations
from perf.report.display import Section, esc, source_list, sources_of
from perf.tables import format_value, html_table

__all__ = [
    "Comparison",
    "Trends",
    "change_text",
    "comparison_summary",
    "indicator_list",
    "period_comparison",
    "trend_table",
]

log = get_logger()


def change_text(diff: float, unit: str, decimals: int) -> str:
    """A signed change; percentages change by percentage points.

    >>> change_text(-6.391, "%", 1), change_text(20.0, "count", 0)
    ('-6.4 percentage points', '+20')
    """
    if np.isnan(diff):
        return ""
    sign = "+" if diff > 0 else ""
    if unit in ("%", "percentage points"):
        return f"{sign}{format_value(diff, 'number', decimals)} percentage points"
    return sign + format_value(diff, unit, decimals)


def indicator_list(obs: pd.DataFrame, catalogue: pd.DataFrame, area_code: str) -> str:
    """Every indicator with figures for the area: id, title, periods covered (for choosing
    the ``indicator`` parameter).

    The first and last periods are by date (``period_end``, then ``period_start``), whatever
    order the frame's rows are in.
    """
    here = obs[obs["area_code"] == area_code].sort_values(
        ["period_end", "period_start", "period"], kind="stable"
    )
    spans = (
        here.groupby("indicator")
        .agg(first=("period", "first"), last=("period", "last"), n=("period", "nunique"))
        .reset_index()
    )
    spans = spans.merge(catalogue[["indicator", "title"]], on="indicator", how="left")
    table = pd.DataFrame(
        {
            "Indicator id": spans["indicator"],
            "Title": spans["title"].fillna(""),
            "Periods": spans["n"].astype(str)
            + " ("
            + spans["first"]
            + " to "
            + spans["last"]
            + ")",
        }
    )
    return html_table(table, "Indicators with figures for this area", table_id="indicators")


def trend_table(
    obs: pd.DataFrame,
    catalogue: pd.DataFrame,
    indicator: str,
    area_code: str,
    comparators: Sequence[tuple[str, Sequence[str]]],
    years: int,
    up_to: str,
) -> tuple[str, pd.DataFrame]:
    """The figures behind a trend chart: one row per period (latest ``years`` up to
    ``up_to``), a column for the area and for each comparator (a list of codes is averaged).

    Returns the HTML table and the observations used.
    """
    end = pd.Timestamp(parse_period(up_to).end)
    rows = obs[(obs["indicator"] == indicator) & (obs["period_end"] <= end)]
    periods = (
        rows[rows["area_code"] == area_code]
        .drop_duplicates("period")
        .sort_values("period_end")
        .tail(years)
    )
    info = indicator_info(indicator, catalogue)
    out = pd.DataFrame({"Period": periods["period"].tolist()})
    used = [rows[(rows["area_code"] == area_code) & rows["period"].isin(out["Period"])]]
    names = [("area", [area_code])] + list(comparators)
    for label, codes in names:
        subset = rows[rows["area_code"].isin(codes) & rows["period"].isin(out["Period"])]
        used.append(subset)
        means = subset.groupby("period")["value"].mean()
        flags = subset.groupby("period")["flag"].first() if len(codes) == 1 else {}
        out[label] = [
            format_value(
                means.get(p, np.nan),
                info.unit,
                info.decimals,
                flags.get(p) if len(codes) == 1 else None,
            )
            for p in out["Period"]
        ]
    area_name = str(periods["area_name"].iloc[0]) if len(periods) else area_code
    out = out.rename(columns={"area": area_name})
    table = html_table(
        out,
        f"{info.title}: {area_name} and comparators, by period",
        numeric=[c for c in out.columns if c != "Period"],
        table_id="trend-figures",
    )
    return table, pd.concat(used)


def _refers_to(row: pd.Series) -> str:
    """The dates a figure refers to (:func:`perf.alignment.refers_to`)."""
    if "period_kind" not in row or pd.isna(row.get("period_start")):
        return str(row["period"])
    return refers_to(
        str(row["period_kind"]),
        str(row["period"]),
        pd.Timestamp(row["period_start"]).date(),
        pd.Timestamp(row["period_end"]).date(),
    )


def period_comparison(
    obs: pd.DataFrame, catalogue: pd.DataFrame, area_code: str, period: str, compare_period: str
) -> tuple[str, pd.DataFrame, dict]:
    """Every measure with a figure in both periods, side by side, with the change and its
    direction of travel in words (by the measure's polarity, within its tolerance).

    One answer per question: a measure published by two sources (LAIT's ``LAC`` and DfE's
    ``cla_rate``, LAIT's ``16-17 NEET`` and NCCIS's ``neet_16_17``: catalogue ``same_as``)
    is listed once, from its primary source when that has both figures
    (:func:`perf.compare.one_per_measure`), and judged by the primary's polarity.

    Returns the HTML table, the observations used and counts of each direction.
    """
    here = obs[obs["area_code"] == area_code]
    now = match_period(here, period).set_index("indicator")
    then = match_period(here, compare_period).set_index("indicator")
    both = now.index.intersection(then.index)
    both = [i for i in both if now.loc[i, "period"] != then.loc[i, "period"]]
    chosen = one_per_measure(sorted(both), catalogue)
    records: list[dict[str, object]] = []
    counts: dict[str, int] = {}
    for measure, ind in sorted(chosen.items(), key=lambda m: indicator_info(m[0], catalogue).title):
        info = indicator_info(
            measure if (catalogue["indicator"] == measure).any() else ind, catalogue
        )
        before, after = then.loc[ind], now.loc[ind]
        diff = float(after["value"]) - float(before["value"])
        movement, direction = direction_of(
            diff,
            info.polarity if info.polarity in ("high", "low") else "neither",
            decimals=info.decimals,
        )
        counts[direction] = counts.get(direction, 0) + 1
        records.append(
            {
                "Indicator": info.title,
                "Earlier": f"{format_value(before['value'], info.unit, info.decimals, before.get('flag'))} "
                f"({_refers_to(before)})",
                "Later": f"{format_value(after['value'], info.unit, info.decimals, after.get('flag'))} "
                f"({_refers_to(after)})",
                "Change": change_text(diff, info.unit, info.decimals),
                "Direction of travel": direction_words(direction, movement),
            }
        )
    used_ids = list(chosen.values())
    frame = pd.DataFrame.from_records(
        records, columns=["Indicator", "Earlier", "Later", "Change", "Direction of travel"]
    )
    frame = frame.rename(
        columns={"Earlier": f"Earlier ({compare_period})", "Later": f"Later ({period})"}
    )
    table = html_table(
        frame,
        f"Every indicator: {compare_period} and {period} side by side",
        numeric=[c for c in frame.columns if c.startswith(("Earlier", "Later", "Change"))],
        table_id="comparison",
    )
    used = pd.concat([now.loc[used_ids].reset_index(), then.loc[used_ids].reset_index()])
    return table, used, counts


# --- the notebooks' views -----------------------------------------------------------------


class _View:
    """Shared set-up: the area and the (cached) data; each method's section is built once."""

    #: the methods whose sources ``sources()`` lists
    PARTS: tuple[str, ...] = ()

    def __init__(self, area: str) -> None:
        row = find_area(area)
        self.area_code, self.area_name = str(row["area_code"]), str(row["area_name"])
        self.region_code = row.get("region_code") if pd.notna(row.get("region_code")) else None
        self.neighbour_codes = [c for c in str(row.get("neighbours") or "").split(";") if c]
        self.obs = observations()
        self.catalogue = catalogue_frame()
        self._built: dict[str, Section] = {}

    def _once(self, name: str, build) -> Section:
        if name not in self._built:
            self._built[name] = build()
        return self._built[name]

    def sources(self) -> Section:
        """The data files and releases behind what the other methods show (and the footer's
        record)."""
        used = frozenset().union(*(getattr(self, name)().sources for name in self.PARTS))
        return source_list(used, empty="No figures were shown.")


class Trends(_View):
    """One indicator over the years for an area, with England, region and neighbours."""

    PARTS = ("chart", "table")

    def __init__(
        self, area: str, period: str, indicator: str, *, years: int = 10, neighbours: str = "2025"
    ) -> None:
        """``neighbours`` is the statistical-neighbour model, as the briefing's: ``"2025"``
        (DfE's current one) or ``"2021"``; ``""`` draws no neighbours' line.

        Raises:
            ParameterError: an unknown indicator or model, or ``neighbours`` given as True
                or False (it was a switch once: the error says what to write instead).
        """
        if isinstance(neighbours, bool):
            raise ParameterError(
                "neighbours is no longer on or off: it names the statistical-neighbour model",
                value=neighbours,
                hint='Write neighbours="2025" (was True) or neighbours="" '
                '(was False), or "2021" for the model DfE replaced.',
            )
        super().__init__(area)
        self.period = parse_period(period).label
        known = set(self.obs["indicator"])
        if indicator not in known:
            close = difflib.get_close_matches(indicator, sorted(known), n=3)
            raise ParameterError(
                f"no figures for indicator {indicator!r}",
                hint=f"Did you mean: {', '.join(close)}?" if close else None,
            )
        self.indicator, self.years = indicator, years
        self.neighbour_model = str(neighbours).strip() or None
        self.neighbour_set = (
            neighbour_set_name(self.neighbour_model)  # refuses a bad model
            if self.neighbour_model
            else None
        )
        self.neighbour_codes = (
            self._neighbours(self.neighbour_model) if self.neighbour_model else []
        )
        self.title = indicator_info(indicator, self.catalogue).title

    def _neighbours(self, model: str) -> list[str]:
        """The area's neighbours in ``model`` (none when the model predates it)."""
        try:
            return list(neighbours_of(self.area_code, model))
        except UnknownAreaError as exc:
            log.warning("no statistical neighbours: %s", exc)
            return []

    def heading(self) -> Section:
        """What the view shows, as it is: "the latest 10 periods", or "all 5 published
        periods (10 asked for)" when fewer exist."""
        shown = self._window()
        n = int(shown.loc[shown["area_code"] == self.area_code, "period"].nunique())
        if n >= self.years:
            what = "the latest period" if self.years == 1 else f"the latest {self.years} periods"
        elif n:
            what = (
                "the only published period" if n == 1 else f"all {n} published periods"
            ) + f" ({self.years} asked for)"
        else:
            what = "no published periods"
        return Section(
            f'<p class="subtitle"><strong>{esc(self.title)}</strong>: '
            f"{esc(self.area_name)}, {what} up to {esc(self.period)}.</p>"
        )

    def _comparators(self) -> list[tuple[str, list[str]]]:
        comps = [("England", [ENGLAND])]
        if self.region_code:
            name = self.obs.loc[self.obs["area_code"] == self.region_code, "area_name"]
            comps.append((str(name.iloc[0]) if len(name) else "Region", [self.region_code]))
        if self.neighbour_codes:
            comps.append(
                (
                    f"Statistical neighbours' average ({self.neighbour_model} model)",
                    self.neighbour_codes,
                )
            )
        return comps

    def _window(self) -> pd.DataFrame:
        end = pd.Timestamp(parse_period(self.period).end)
        rows = self.obs[(self.obs["indicator"] == self.indicator) & (self.obs["period_end"] <= end)]
        keep = (
            rows[rows["area_code"] == self.area_code]
            .drop_duplicates("period")
            .sort_values("period_end")
            .tail(self.years)["period"]
        )
        return rows[rows["period"].isin(keep)]

    def chart(self) -> Section:
        return self._once("chart", self._chart)

    def _chart(self) -> Section:
        window = self._window()
        if window.empty:
            return Section(
                f"<p>No figures for {esc(self.title)} in {esc(self.area_name)} "
                f"up to {esc(self.period)}.</p>"
            )
        chart = trend_chart(
            window,
            self.indicator,
            self.area_code,
            region_code=self.region_code,
            neighbours=self.neighbour_codes,
            neighbour_set=self.neighbour_set,
            catalogue=self.catalogue,
        )
        return Section(
            figure_to_html(chart), sources_of(window[window["area_code"] == self.area_code])
        )

    def table(self) -> Section:
        return self._once("table", self._table)

    def _table(self) -> Section:
        table, used = trend_table(
            self.obs,
            self.catalogue,
            self.indicator,
            self.area_code,
            self._comparators(),
            self.years,
            self.period,
        )
        return Section(table, sources_of(used))

    def indicators(self) -> Section:
        return Section(indicator_list(self.obs, self.catalogue, self.area_code))


#: How :func:`comparison_summary` says each direction of travel: (for one, for several).
_DIRECTION_COUNT_WORDS = {
    "improving": ("improved", "improved"),
    "worsening": ("worsened", "worsened"),
    "no change": ("did not change beyond its tolerance", "did not change beyond their tolerance"),
    "no polarity": (
        "is a context indicator (neither direction is better)",
        "are context indicators (neither direction is better)",
    ),
    "not comparable": ("could not be compared", "could not be compared"),
}


def comparison_summary(counts: Mapping[str, int]) -> str:
    """One sentence counting the indicators by direction of travel (the ``counts`` of
    :func:`period_comparison`), in the singular where a count is 1.

    >>> comparison_summary({"improving": 3, "no polarity": 1})
    'Of 4 indicators with figures for both periods, 3 improved, 1 is a context indicator (neither direction is better).'
    >>> comparison_summary({"no change": 1})
    'Of 1 indicator with figures for both periods, 1 did not change beyond its tolerance.'
    >>> comparison_summary({})
    'No indicator has figures for both periods.'
    """
    total = sum(counts.values())
    if not total:
        return "No indicator has figures for both periods."
    parts = [
        f"{counts[k]} {words[counts[k] != 1]}"
        for k, words in _DIRECTION_COUNT_WORDS.items()
        if counts.get(k)
    ]
    return (
        f"Of {total} {plural('indicator', total)} with figures for both periods, "
        + ", ".join(parts)
        + "."
    )


class Comparison(_View):
    """Two periods side by side for every indicator, with direction of travel."""

    PARTS = ("table",)

    def __init__(self, area: str, period: str, compare_period: str = "") -> None:
        super().__init__(area)
        later = parse_period(period)
        self.period = later.label
        if compare_period.strip():
            self.compare_period = parse_period(compare_period).label
        else:
            self.compare_period = same_period_last_year(later).label
        self._table_html, self._used, self.counts = period_comparison(
            self.obs, self.catalogue, self.area_code, self.period, self.compare_period
        )

    def heading(self) -> Section:
        return Section(
            f'<p class="subtitle"><strong>{esc(self.area_name)}</strong>: '
            f"{esc(self.period)} compared with {esc(self.compare_period)}.</p>"
        )

    def summary(self) -> Section:
        return Section(f"<p>{comparison_summary(self.counts)}</p>")

    def table(self) -> Section:
        return Section(self._table_html, sources_of(self._used))
