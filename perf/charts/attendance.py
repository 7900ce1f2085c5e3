"""Absence (or attendance) over time, primary and secondary side by side: each panel the
council against England and its statistical neighbours' mean, on a shared percentage scale.

Examples:
    >>> obs = pd.DataFrame({"indicator": "PriTotAbs", "area_code": ["A", "A"],
    ...     "area_name": "Here", "period": ["2022/23", "2023/24"],
    ...     "period_end": pd.to_datetime(["2023-08-31", "2024-08-31"]), "value": [6.0, 5.5]})
    >>> attendance_chart(obs, "A", indicators={"Primary": "PriTotAbs"}).title
    'Overall absence in Here: primary 5.5%'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from perf.charts.data import area_name, neighbour_mean, series
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
from perf.charts.style import SERIES_STYLE, TYPE
from perf.charts.text import ChartText, fmt, rise_or_fall, source_text, when_text
from perf.config import ENGLAND
from perf.errors import NoDataToChart

__all__ = ["Panel", "attendance_chart", "attendance_words"]

#: One panel's figures: its title, indicator, the council's, England's and the neighbours'.
Panel = tuple[str, str, pd.DataFrame, pd.DataFrame, pd.DataFrame]


def attendance_chart(
    obs: pd.DataFrame,
    area_code: str,
    *,
    indicators: Mapping[str, str] | None = None,
    england_code: str = ENGLAND,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    measure: str = "Overall absence",
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Absence (or attendance) rates for primary and secondary side by side, each against
    England and the statistical-neighbour mean, on a shared percentage scale.

    Args:
        indicators: panel title -> indicator id; default primary and secondary overall
            absence from LAIT (``PriTotAbs``, ``SecTotAbs``).
        measure: what the indicators measure, for the title and alt text.
        neighbour_set: the neighbour set's name, said in the subtitle and alt text.

    Raises:
        NoDataToChart: the area has no figure for any of the indicators.
    """
    indicators = dict(indicators or {"Primary": "PriTotAbs", "Secondary": "SecTotAbs"})
    unit = "%"
    name = area_name(obs, area_code, area_code)
    panels: list[Panel] = []
    for panel, indicator in indicators.items():
        area = series(obs, indicator, area_code).dropna(subset=["value"])
        england = series(obs, indicator, england_code).dropna(subset=["value"])
        sn = neighbour_mean(obs, indicator, neighbours) if len(neighbours) else area.iloc[0:0]
        panels.append((panel, indicator, area, england, sn))
    if all(p[2].empty for p in panels):
        raise NoDataToChart(f"no {', '.join(indicators.values())} values for {area_code} to chart")
    used = obs[obs["indicator"].isin(list(indicators.values()))]
    words = attendance_words(
        panels,
        area_name=name,
        measure=measure,
        decimals=decimals,
        neighbour_set=neighbour_set,
        title=title,
        source=source_text(used, source),
    )
    named = (
        f"neighbours: {neighbour_set}" if neighbour_set and any(len(p[4]) for p in panels) else ""
    )

    with house_style():
        fig = new_figure(height=3.6)
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        all_values: list[float] = []
        placed_later = []  # each panel's labels and ticks, placed once the layout is fixed
        for ax, (panel, _, area, england, sn) in zip(axes, panels):
            labels: list[LineLabel] = []
            for role, frame, line_name in (
                ("england", england, "England"),
                ("neighbours", sn, "Neighbours"),
                ("area", area, name),
            ):
                if len(frame):
                    plot_series(ax, frame, role)
                    all_values.extend(frame["value"])
                    labels.append(
                        (
                            frame["period_end"].iloc[-1],
                            frame["value"].iloc[-1],
                            line_name,
                            SERIES_STYLE[role]["color"],
                        )
                    )
            ax.set_title(panel, loc="left", fontweight="bold")
            ticks = time_axis(ax, pd.concat([area, england, sn], ignore_index=True), unit)
            ax.tick_params(axis="x", labelsize=TYPE["tick"])
            placed_later.append((ax, ticks, labels))
        y_from_zero(axes[0], all_values)
        frame_figure(
            fig,
            words.title,
            "; ".join(t for t in ("Per cent of sessions", named) if t),
            right=1.0,
            wspace=0.6,
        )
        for ax, ticks, labels in placed_later:
            fit_time_ticks(ax, ticks)
            direct_labels(ax, labels, fontsize=TYPE["note"])
    return Chart(fig, words.alt, words.title, words.source)


def attendance_words(
    panels: Sequence[Panel],
    *,
    area_name: str,
    measure: str,
    decimals: int,
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """Each panel's latest figure against England's (title) and, in the alt text, England,
    the neighbours' mean and the change since the first figure.

    Examples:
        >>> area = pd.DataFrame({"period": ["2022/23", "2023/24"],
        ...     "period_end": pd.to_datetime(["2023-08-31", "2024-08-31"]), "value": [6.0, 5.5]})
        >>> england = area.assign(value=[6.5, 5.9])
        >>> words = attendance_words([("Primary", "PriTotAbs", area, england, area.iloc[0:0])],
        ...     area_name="Here", measure="Overall absence", decimals=1)
        >>> words.title
        "Overall absence in Here: primary 5.5% (lower than England's 5.9%)"
        >>> words.alt
        'Line charts. Primary overall absence in Here in 2023/24: 5.5%; England 5.9%; fell from 6.0% in 2022/23.'
    """
    unit = "%"
    parts, alt_parts = [], []
    for panel, _, area, england, sn in panels:
        if area.empty:
            continue
        last = area.iloc[-1]
        when = when_text(last["period"], last.get("period_kind"))
        eng = england[england["period_end"] == last["period_end"]]
        part = f"{panel.lower()} {fmt(last['value'], unit, decimals)}"
        alt_part = (
            f"{panel} {measure.lower()} in {area_name} {when}: {fmt(last['value'], unit, decimals)}"
        )
        if len(eng):
            e = eng["value"].iloc[0]
            rel = (
                "higher than"
                if round(last["value"], decimals) > round(e, decimals)
                else "lower than"
                if round(last["value"], decimals) < round(e, decimals)
                else "the same as"
            )
            part += f" ({rel} England's {fmt(e, unit, decimals)})"
            alt_part += f"; England {fmt(e, unit, decimals)}"
        s = sn[sn["period_end"] == last["period_end"]] if len(sn) else sn
        if len(s):
            alt_part += f"; statistical-neighbour mean {fmt(s['value'].iloc[0], unit, decimals)}"
        if len(area) > 1:
            alt_part += (
                f"; {rise_or_fall(area['value'].iloc[0], last['value'], unit, decimals)}"
                f" {fmt(area['value'].iloc[0], unit, decimals)} "
                f"{when_text(area['period'].iloc[0], area.iloc[0].get('period_kind'))}"
            )
        parts.append(part)
        alt_parts.append(alt_part)
    finding = f"{measure} in {area_name}: " + "; ".join(parts)
    alt = "Line charts. " + ". ".join(alt_parts) + "."
    if neighbour_set and any(len(p[4]) for p in panels):
        alt += f" Statistical neighbours: {neighbour_set}."
    return ChartText(title or finding, alt, source)
