"""The trend chart: an indicator over time for the council against England, its region, its
statistical neighbours' mean and a target, each line labelled at its end.

Examples:
    >>> obs = pd.DataFrame({"indicator": "x", "area_code": ["A", "A"], "area_name": "Here",
    ...     "period": ["2023", "2024"], "period_kind": "calendar_year",
    ...     "period_end": pd.to_datetime(["2023-12-31", "2024-12-31"]),
    ...     "value": [3.0, 4.0], "source": "test.csv"})
    >>> trend_chart(obs, "x", "A", unit="count", decimals=0).alt_text
    'Line chart. x in Here rose from 3 in 2023 to 4 in 2024.'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from perf.charts.data import (
    area_name,
    catalogue_info,
    neighbour_mean,
    only_region,
    require,
    series,
    target_frame,
)
from perf.charts.draw import (
    LineLabel,
    direct_labels,
    fit_time_ticks,
    frame_figure,
    house_style,
    new_figure,
    plot_series,
    time_axis,
    y_from_zero,
)
from perf.charts.output import Chart
from perf.charts.style import PALETTE, SERIES_STYLE
from perf.charts.text import ChartText, fmt, rise_or_fall, source_text, unit_subtitle, when_text
from perf.config import ENGLAND

__all__ = ["trend_chart", "trend_words"]


def trend_chart(
    obs: pd.DataFrame,
    indicator: str,
    area_code: str,
    *,
    england_code: str = ENGLAND,
    region_code: str | None = None,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    target: float | pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """An indicator over time for the area against England, region, neighbours and target.

    Args:
        obs: tidy observations (``perf.schema.Observations`` columns).
        indicator: the indicator id, e.g. ``"cla_rate"``.
        area_code: the reporting council.
        england_code: England's code (a line only if present in ``obs``).
        region_code: the region's code; by default the one region in ``obs`` if only one.
        neighbours: ONS codes of the statistical neighbours; their mean per period is drawn.
        neighbour_set: the set's name (:func:`perf.areas.neighbour_set_name`), said in the
            subtitle and alt text when the neighbours' mean is drawn.
        target: a single target, or a frame with ``period_end`` (or ``period``) and
            ``target`` columns for targets that change.
        catalogue: indicator catalogue for ``title``/``unit``/``decimals``; or give
            ``label``/``unit``/``decimals`` directly.
        title: overrides the generated finding.
        source: overrides the source line built from ``obs["source"]``.

    Raises:
        NoDataToChart: the area has no figure for the indicator.
    """
    label, unit, decimals = catalogue_info(catalogue, indicator, label, unit, decimals)
    area = require(
        series(obs, indicator, area_code).dropna(subset=["value"]),
        f"no {indicator} values for {area_code} to chart",
    )
    name = area_name(obs, area_code, area_code)
    england = series(obs, indicator, england_code).dropna(subset=["value"])
    if region_code is None:
        region_code = only_region(obs, indicator)
    region = (
        series(obs, indicator, region_code).dropna(subset=["value"])
        if region_code
        else area.iloc[0:0]
    )
    region_name = area_name(obs, region_code or "", "Region")
    sn = neighbour_mean(obs, indicator, neighbours) if len(neighbours) else area.iloc[0:0]
    targets = target_frame(target, area)
    words = trend_words(
        area,
        [("England", england), (region_name, region), ("statistical-neighbour mean", sn)],
        targets,
        area_name=name,
        label=label,
        unit=unit,
        decimals=decimals,
        neighbour_set=neighbour_set,
        title=title,
        source=source_text(obs[obs["indicator"] == indicator], source),
    )
    named = f"neighbours: {neighbour_set}" if neighbour_set and len(sn) else ""

    with house_style():
        fig = new_figure()
        ax = fig.add_subplot()
        labels: list[LineLabel] = []
        for role, frame, line_name in (
            ("england", england, "England"),
            ("region", region, region_name),
            ("neighbours", sn, "Neighbours' mean"),
            ("area", area, name),
        ):
            if len(frame):
                plot_series(ax, frame, role)
                end = frame.iloc[-1]
                labels.append(
                    (
                        end["period_end"],
                        end["value"],
                        f"{line_name} {fmt(end['value'], unit, decimals)}",
                        SERIES_STYLE[role]["color"],
                    )
                )
        if len(targets):
            labels.append(_draw_targets(ax, targets, [area, england, region, sn], unit, decimals))
        ticks = time_axis(ax, pd.concat([area, england, region, sn], ignore_index=True), unit)
        y_from_zero(
            ax,
            list(area["value"])
            + list(england["value"])
            + list(region["value"])
            + list(sn["value"])
            + list(targets["target"]),
        )
        frame_figure(
            fig, words.title, "; ".join(t for t in (unit_subtitle(unit), named) if t), right=1.55
        )
        fit_time_ticks(ax, ticks)
        direct_labels(ax, labels)
    return Chart(fig, words.alt, words.title, words.source)


def _draw_targets(
    ax: Any, targets: pd.DataFrame, lines: list[pd.DataFrame], unit: str, decimals: int
) -> LineLabel:
    """The target line (one figure across the plotted periods; targets that change as
    steps) and its label."""
    style = dict(SERIES_STYLE["target"])
    if len(targets) == 1:
        # across the plotted periods only: a full-width line would run under the
        # direct labels at the right
        span = pd.concat(lines)["period_end"]
        ax.plot(
            [span.min(), span.max()],
            [targets["target"].iloc[0]] * 2,
            gid="target",
            label="target",
            **{k: v for k, v in style.items() if k != "marker"},
        )
        end_x = span.max()
    else:
        ax.plot(
            targets["period_end"],
            targets["target"],
            gid="target",
            label="target",
            drawstyle="steps-mid",
            **style,
        )
        end_x = targets["period_end"].iloc[-1]
    last = targets["target"].iloc[-1]
    return (end_x, last, f"Target {fmt(last, unit, decimals)}", PALETTE["target"])


def trend_words(
    area: pd.DataFrame,
    comparators: Sequence[tuple[str, pd.DataFrame]],
    targets: pd.DataFrame,
    *,
    area_name: str,
    label: str,
    unit: str,
    decimals: int,
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """The trend chart's finding and alt text: first and last figure, then each comparator
    (and the target) at the last period.

    Args:
        area: the council's figures, oldest first (``period``, ``period_kind``,
            ``period_end``, ``value``), at least one.
        comparators: (name, figures) for England, the region and the neighbours' mean (the
            last is named ``statistical-neighbour mean``); empty frames are left out.
        targets: ``period_end``, ``target`` rows (:func:`perf.charts.data.target_frame`).

    Examples:
        >>> area = pd.DataFrame({"period": ["2021-22", "2024-25"], "period_kind": "financial_year",
        ...     "period_end": pd.to_datetime(["2022-03-31", "2025-03-31"]), "value": [77.3, 82.0]})
        >>> england = area.assign(value=[80.0, 80.5])
        >>> words = trend_words(area, [("England", england)], pd.DataFrame(columns=["period_end",
        ...     "target"]), area_name="Dudley", label="Timeliness", unit="%", decimals=1)
        >>> words.title
        'Timeliness in Dudley rose from 77.3% in 2021-22 to 82.0% in 2024-25'
        >>> words.alt
        'Line chart. Timeliness in Dudley rose from 77.3% in 2021-22 to 82.0% in 2024-25; England 80.5%.'
    """
    first, last = area.iloc[0], area.iloc[-1]
    kind = last.get("period_kind")
    finding = (
        f"{label} in {area_name} {rise_or_fall(first['value'], last['value'], unit, decimals)}"
        f" {fmt(first['value'], unit, decimals)} {when_text(first['period'], kind)} to "
        f"{fmt(last['value'], unit, decimals)} {when_text(last['period'], kind)}"
    )
    if len(area) == 1:
        finding = (
            f"{label} in {area_name} was {fmt(last['value'], unit, decimals)} "
            f"{when_text(last['period'], kind)}"
        )
    said = []
    for name, frame in comparators:
        match = frame[frame["period_end"] == last["period_end"]] if len(frame) else frame
        if len(match):
            said.append(f"{name} {fmt(match['value'].iloc[0], unit, decimals)}")
    if len(targets):
        match = targets[targets["period_end"] == last["period_end"]]
        value = match["target"].iloc[0] if len(match) else targets["target"].iloc[-1]
        said.append(f"target {fmt(value, unit, decimals)}")
    chart_title = title or finding
    alt = f"Line chart. {finding}" + (f"; {', '.join(said)}." if said else ".")
    neighbours_drawn = any(len(f) for n, f in comparators if n == "statistical-neighbour mean")
    if neighbour_set and neighbours_drawn:
        alt += f" Statistical neighbours: {neighbour_set}."
    return ChartText(chart_title, alt, source)
