"""Views for the ``trends`` and ``quarter_comparison`` notebooks: any indicator over the years,
and two periods side by side for every indicator, as accessible HTML.

Indicators are published for different kinds of period (a financial year, the academic year,
a 31 March snapshot, a calendar year). :func:`match_period` picks, for each indicator, the
published period that best fits the one asked for (the same label; else the one overlapping
it most, a snapshot inside it counting as a full overlap; the later on a tie) and every
table shows the period actually used.

Examples:
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"indicator": ["a", "a", "b"], "area_code": "X",
    ...     "period": ["2023/24", "2024/25", "31 March 2025"],
    ...     "period_start": pd.to_datetime(["2023-09-01", "2024-09-01", "2025-03-31"]),
    ...     "period_end": pd.to_datetime(["2024-08-31", "2025-08-31", "2025-03-31"]),
    ...     "value": [1.0, 2.0, 3.0]})
    >>> match_period(obs, "2024-25")[["indicator", "period"]].values.tolist()
    [['a', '2024/25'], ['b', '31 March 2025']]
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from perf.periods import parse_period

__all__ = ["html_table", "indicator_list", "match_period", "period_comparison", "trend_table"]

esc = html_lib.escape
ENGLAND = "E92000001"


def match_period(obs: pd.DataFrame, period: str) -> pd.DataFrame:
    """For each indicator x area, the one observation whose period best fits ``period``."""
    target = parse_period(period)
    start, end = pd.Timestamp(target.start), pd.Timestamp(target.end)
    frame = obs.copy()
    if frame.empty:
        return frame
    o_start = frame["period_start"].where(frame["period_start"] > start, start)
    o_end = frame["period_end"].where(frame["period_end"] < end, end)
    overlap = (o_end - o_start).dt.days.astype("float64") + 1
    inside = (frame["period_start"] == frame["period_end"]) & frame["period_end"].between(start, end)
    overlap = overlap.where(~inside, (end - start).days + 1)
    overlap = overlap.where(frame["period"] != target.label, np.inf)
    frame["_overlap"] = overlap
    frame = frame[frame["_overlap"] > 0]
    frame = frame.sort_values(["indicator", "area_code", "_overlap", "period_end"])
    best = frame.groupby(["indicator", "area_code"], sort=True).tail(1)
    return best.drop(columns="_overlap").sort_values(["indicator", "area_code"]).reset_index(
        drop=True)


def html_table(frame: pd.DataFrame, caption: str, *, row_header: str | None = None,
               numeric: Sequence[str] = (), table_id: str | None = None,
               html_columns: Sequence[str] = ()) -> str:
    """An accessible table: caption, column headers, the first (or ``row_header``) column as
    row headers, numbers right-aligned. Cell text is escaped, except in ``html_columns``
    (cells the caller built as HTML, e.g. status markers)."""
    cols = list(frame.columns)
    row_header = row_header or cols[0]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in numeric else ""}>{esc(str(c))}</th>'
                   for c in cols)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in cols:
            text = "" if pd.isna(row[c]) else (str(row[c]) if c in html_columns
                                                else esc(str(row[c])))
            if c == row_header:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td{num if c in numeric else ""}>{text}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{esc(table_id, quote=True)}"' if table_id else ""
    return (f"<table{ident}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def _fmt(value: float, unit: str, decimals: int, flag: object = None) -> str:
    from perf.tables import format_value

    return format_value(value, unit, int(decimals) if pd.notna(decimals) else 1, flag)


def _change_text(diff: float, unit: str, decimals: int) -> str:
    """A signed change; percentages change by percentage points.

    >>> _change_text(-6.391, "%", 1), _change_text(20.0, "count", 0)
    ('-6.4 percentage points', '+20')
    """
    if np.isnan(diff):
        return ""
    sign = "+" if diff > 0 else ""
    if unit == "%":
        return f"{sign}{_fmt(diff, 'number', decimals)} percentage points"
    return sign + _fmt(diff, unit, decimals)


def indicator_list(obs: pd.DataFrame, catalogue: pd.DataFrame, area_code: str) -> str:
    """Every indicator with figures for the area: id, title, periods covered (for choosing
    the ``indicator`` parameter)."""
    here = obs[obs["area_code"] == area_code]
    spans = here.groupby("indicator").agg(first=("period", "first"), last=("period", "last"),
                                          n=("period", "nunique")).reset_index()
    spans = spans.merge(catalogue[["indicator", "title"]], on="indicator", how="left")
    table = pd.DataFrame({
        "Indicator id": spans["indicator"], "Title": spans["title"].fillna(""),
        "Periods": spans["n"].astype(str) + " (" + spans["first"] + " to " + spans["last"] + ")",
    })
    return html_table(table, "Indicators with figures for this area", table_id="indicators")


def trend_table(obs: pd.DataFrame, catalogue: pd.DataFrame, indicator: str, area_code: str,
                comparators: Sequence[tuple[str, Sequence[str]]], years: int,
                up_to: str) -> tuple[str, pd.DataFrame]:
    """The figures behind a trend chart: one row per period (latest ``years`` up to
    ``up_to``), a column for the area and for each comparator (a list of codes is averaged).

    Returns the HTML table and the observations used.
    """
    end = pd.Timestamp(parse_period(up_to).end)
    rows = obs[(obs["indicator"] == indicator) & (obs["period_end"] <= end)]
    periods = (rows[rows["area_code"] == area_code].drop_duplicates("period")
               .sort_values("period_end").tail(years))
    info = catalogue.set_index("indicator").reindex([indicator]).iloc[0]
    unit = info["unit"] if isinstance(info["unit"], str) else "number"
    decimals = info["decimals"] if pd.notna(info["decimals"]) else 1
    out = pd.DataFrame({"Period": periods["period"].tolist()})
    used = [rows[(rows["area_code"] == area_code) & rows["period"].isin(out["Period"])]]
    names = [("area", [area_code])] + list(comparators)
    for label, codes in names:
        subset = rows[rows["area_code"].isin(codes) & rows["period"].isin(out["Period"])]
        used.append(subset)
        means = subset.groupby("period")["value"].mean()
        flags = subset.groupby("period")["flag"].first() if len(codes) == 1 else {}
        column = []
        for p in out["Period"]:
            value = means.get(p, np.nan)
            column.append(_fmt(value, unit, decimals, flags.get(p) if len(codes) == 1 else None))
        out[label] = column
    area_name = str(periods["area_name"].iloc[0]) if len(periods) else area_code
    out = out.rename(columns={"area": area_name})
    title = info["title"] if isinstance(info["title"], str) else indicator
    table = html_table(out, f"{title}: {area_name} and comparators, by period",
                       numeric=[c for c in out.columns if c != "Period"], table_id="trend-figures")
    return table, pd.concat(used)


def period_comparison(obs: pd.DataFrame, catalogue: pd.DataFrame, area_code: str,
                      period: str, compare_period: str) -> tuple[str, pd.DataFrame, dict]:
    """Every indicator with a figure in both periods, side by side, with the change and its
    direction of travel (by the indicator's polarity; symbol and word, never colour alone).

    Returns the HTML table, the observations used and counts of each direction.
    """
    from perf.compare import direction_of

    here = obs[obs["area_code"] == area_code]
    now = match_period(here, period).set_index("indicator")
    then = match_period(here, compare_period).set_index("indicator")
    both = now.index.intersection(then.index)
    both = [i for i in both if now.loc[i, "period"] != then.loc[i, "period"]]
    cat = catalogue.set_index("indicator")
    symbols = {"improving": "▲ Improving", "worsening": "▼ Worsening",
               "no change": "● No change", "no polarity": "◆ Changed (no better or worse)",
               "not comparable": "– Not comparable"}
    records, counts = [], {}
    for ind in sorted(both, key=lambda i: str(cat["title"].get(i, i)) if i in cat.index else i):
        unit = cat["unit"].get(ind, "number") if ind in cat.index else "number"
        decimals = cat["decimals"].get(ind, 1) if ind in cat.index else 1
        polarity = cat["polarity"].get(ind, "neither") if ind in cat.index else "neither"
        before, after = then.loc[ind], now.loc[ind]
        diff = float(after["value"]) - float(before["value"])
        _, direction = direction_of(diff, polarity if polarity in ("high", "low") else "neither")
        counts[direction] = counts.get(direction, 0) + 1
        records.append({
            "Indicator": (cat["title"].get(ind) if ind in cat.index else None) or ind,
            "Earlier": f"{_fmt(before['value'], unit, decimals, before.get('flag'))} "
                       f"({before['period']})",
            "Later": f"{_fmt(after['value'], unit, decimals, after.get('flag'))} "
                     f"({after['period']})",
            "Change": _change_text(diff, unit, decimals),
            "Direction of travel": symbols.get(direction, direction),
        })
    frame = pd.DataFrame.from_records(
        records, columns=["Indicator", "Earlier", "Later", "Change", "Direction of travel"])
    frame = frame.rename(columns={"Earlier": f"Earlier ({compare_period})",
                                  "Later": f"Later ({period})"})
    table = html_table(frame, f"Every indicator: {compare_period} and {period} side by side",
                       numeric=[c for c in frame.columns if c.startswith(("Earlier", "Later",
                                                                           "Change"))],
                       table_id="comparison")
    used = pd.concat([now.loc[both].reset_index(), then.loc[both].reset_index()])
    return table, used, counts


# --- the notebooks' views -----------------------------------------------------------------


class _View:
    """Shared set-up: the area, the data (cached per process) and the sources used."""

    def __init__(self, area: str) -> None:
        from perf.areas import find_area
        from perf.briefing import catalogue_frame, observations

        row = find_area(area)
        self.area_code, self.area_name = str(row["area_code"]), str(row["area_name"])
        self.region_code = row.get("region_code") if pd.notna(row.get("region_code")) else None
        self.neighbour_codes = [c for c in str(row.get("neighbours") or "").split(";") if c]
        self.obs = observations()
        self.catalogue = catalogue_frame()
        self._used: set[str] = set()

    def _use(self, frame: pd.DataFrame) -> None:
        if "source" in frame:
            self._used.update(frame["source"].dropna().astype(str))

    def sources(self):
        """The data files and releases behind what was shown (and the footer's record)."""
        from perf.briefing import HTMLSection, record_sources

        used = sorted(self._used)
        record_sources(used)
        items = "".join(f"<li>{esc(s)}</li>" for s in used)
        return HTMLSection(f"<ul>{items}</ul>" if items else "<p>No figures were shown.</p>")


class Trends(_View):
    """One indicator over the years for an area, with England, region and neighbours."""

    def __init__(self, area: str, period: str, indicator: str, *, years: int = 10,
                 neighbours: bool = True) -> None:
        super().__init__(area)
        self.period = parse_period(period).label
        known = set(self.obs["indicator"])
        if indicator not in known:
            import difflib

            from perf.errors import ParameterError

            close = difflib.get_close_matches(indicator, sorted(known), n=3)
            raise ParameterError(f"no figures for indicator {indicator!r}",
                                 hint=f"Did you mean: {', '.join(close)}?" if close else None)
        self.indicator, self.years, self.with_neighbours = indicator, years, neighbours
        info = self.catalogue.set_index("indicator").reindex([indicator]).iloc[0]
        self.title = info["title"] if isinstance(info["title"], str) else indicator

    def heading(self):
        from perf.briefing import HTMLSection

        return HTMLSection(f'<p class="subtitle"><strong>{esc(self.title)}</strong>: '
                           f"{esc(self.area_name)}, latest {self.years} periods up to "
                           f"{esc(self.period)}.</p>")

    def _comparators(self) -> list[tuple[str, list[str]]]:
        comps = [("England", [ENGLAND])]
        if self.region_code:
            name = self.obs.loc[self.obs["area_code"] == self.region_code, "area_name"]
            comps.append((str(name.iloc[0]) if len(name) else "Region", [self.region_code]))
        if self.with_neighbours and self.neighbour_codes:
            comps.append(("Statistical neighbours' average", self.neighbour_codes))
        return comps

    def _window(self) -> pd.DataFrame:
        end = pd.Timestamp(parse_period(self.period).end)
        rows = self.obs[(self.obs["indicator"] == self.indicator)
                        & (self.obs["period_end"] <= end)]
        keep = (rows[rows["area_code"] == self.area_code].drop_duplicates("period")
                .sort_values("period_end").tail(self.years)["period"])
        return rows[rows["period"].isin(keep)]

    def chart(self):
        from perf.briefing import HTMLSection
        from perf.charts import figure_to_html, trend_chart

        window = self._window()
        if window.empty:
            return HTMLSection(f"<p>No figures for {esc(self.title)} in {esc(self.area_name)} "
                               f"up to {esc(self.period)}.</p>")
        self._use(window[window["area_code"] == self.area_code])
        chart = trend_chart(window, self.indicator, self.area_code,
                            region_code=self.region_code,
                            neighbours=self.neighbour_codes if self.with_neighbours else (),
                            catalogue=self.catalogue)
        return HTMLSection(figure_to_html(chart))

    def table(self):
        from perf.briefing import HTMLSection

        table, used = trend_table(self.obs, self.catalogue, self.indicator, self.area_code,
                                  self._comparators(), self.years, self.period)
        self._use(used)
        return HTMLSection(table)

    def indicators(self):
        from perf.briefing import HTMLSection

        return HTMLSection(indicator_list(self.obs, self.catalogue, self.area_code))


class Comparison(_View):
    """Two periods side by side for every indicator, with direction of travel."""

    def __init__(self, area: str, period: str, compare_period: str = "") -> None:
        from perf.periods import same_period_last_year

        super().__init__(area)
        later = parse_period(period)
        self.period = later.label
        if compare_period.strip():
            self.compare_period = parse_period(compare_period).label
        else:
            self.compare_period = same_period_last_year(later).label
        self.table_html, used, self.counts = period_comparison(
            self.obs, self.catalogue, self.area_code, self.period, self.compare_period)
        self._use(used)

    def heading(self):
        from perf.briefing import HTMLSection

        return HTMLSection(f'<p class="subtitle"><strong>{esc(self.area_name)}</strong>: '
                           f"{esc(self.period)} compared with {esc(self.compare_period)}.</p>")

    def summary(self):
        from perf.briefing import HTMLSection

        total = sum(self.counts.values())
        if not total:
            return HTMLSection("<p>No indicator has figures for both periods.</p>")
        order = ["improving", "worsening", "no change", "no polarity", "not comparable"]
        words = {"improving": "improved", "worsening": "worsened", "no change": "did not change",
                 "no polarity": "changed where neither direction is better",
                 "not comparable": "could not be compared"}
        parts = [f"{self.counts[k]} {words[k]}" for k in order if self.counts.get(k)]
        return HTMLSection(f"<p>Of {total} indicators with figures for both periods, "
                           + ", ".join(parts) + ".</p>")

    def table(self):
        from perf.briefing import HTMLSection

        return HTMLSection(self.table_html)
