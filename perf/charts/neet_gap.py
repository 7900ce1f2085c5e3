"""The NEET gap chart: the council's NEET percentage against England's, the gap between them
shaded and said in percentage points.

Examples:
    >>> obs = pd.DataFrame({"indicator": "neet_16_17", "area_code": ["A", "E92000001"],
    ...     "area_name": ["Here", "England"], "period": "2024",
    ...     "period_end": pd.to_datetime(["2024-02-29"] * 2), "value": [5.0, 5.5]})
    >>> neet_gap_chart(obs, "A").title
    'NEET in Here was 0.5 percentage points below England in 2024'
"""

from __future__ import annotations

import matplotlib.colors
import pandas as pd

from perf.charts.data import area_name, require, series
from perf.charts.draw import (
    direct_labels,
    fit_time_ticks,
    frame_figure,
    house_style,
    new_figure,
    plot_series,
    restack,
    time_axis,
    y_from_zero,
)
from perf.charts.output import Chart
from perf.charts.style import PALETTE, SECONDARY_TEXT, TYPE
from perf.charts.text import ChartText, fmt, gap_label, source_text, when_text
from perf.config import ENGLAND
from perf.summary import gap_position, gap_sentence

__all__ = ["neet_gap_chart", "neet_gap_words"]


def neet_gap_chart(
    obs: pd.DataFrame,
    area_code: str,
    *,
    indicator: str = "neet_16_17",
    england_code: str = ENGLAND,
    label: str | None = "16-17 year olds not in education, employment or training (NEET)",
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """The area's NEET percentage against England with the gap shaded and labelled in
    percentage points (pp).

    Raises:
        NoDataToChart: no period has both the area's and England's figure.
    """
    unit = "%"
    area = series(obs, indicator, area_code).dropna(subset=["value"])
    england = series(obs, indicator, england_code).dropna(subset=["value"])
    both = require(
        area.merge(england[["period_end", "value"]], on="period_end", suffixes=("", "_england")),
        f"no periods with both {area_code} and England values for {indicator}",
    )
    name = area_name(obs, area_code, area_code)
    both["gap"] = both["value"] - both["value_england"]
    last = both.iloc[-1]
    words = neet_gap_words(
        both,
        area_name=name,
        label=label,
        decimals=decimals,
        title=title,
        source=source_text(obs[obs["indicator"] == indicator], source),
    )

    with house_style():
        fig = new_figure()
        ax = fig.add_subplot()
        ax.fill_between(
            both["period_end"],
            both["value"],
            both["value_england"],
            color=PALETTE["area"],
            alpha=0.14,
            linewidth=0,
            hatch="///",
            edgecolor=(*matplotlib.colors.to_rgb(PALETTE["area"]), 0.35),
            gid="gap",
            zorder=1,
        )
        plot_series(ax, england, "england")
        plot_series(ax, area, "area")
        ticks = time_axis(ax, pd.concat([area, england], ignore_index=True), unit)
        y_from_zero(ax, list(area["value"]) + list(england["value"]))
        frame_figure(fig, words.title, "Per cent of 16-17 year olds", right=1.75)
        fit_time_ticks(ax, ticks)
        # the gap is written in the right margin, stacked between the two line-end labels
        # (the lines end before the margin, so it can never sit on a line)
        mid = (last["value"] + last["value_england"]) / 2
        ends = direct_labels(
            ax,
            [
                (
                    area["period_end"].iloc[-1],
                    area["value"].iloc[-1],
                    f"{name} {fmt(area['value'].iloc[-1], unit, decimals)}",
                    PALETTE["area"],
                ),
                (
                    england["period_end"].iloc[-1],
                    england["value"].iloc[-1],
                    f"England {fmt(england['value'].iloc[-1], unit, decimals)}",
                    PALETTE["england"],
                ),
            ],
        )
        gap = direct_labels(
            ax,
            [(last["period_end"], mid, gap_label(last["gap"], decimals), SECONDARY_TEXT)],
            fontsize=TYPE["note"],
            gid="gap-label",
        )
        restack(ax, ends + gap)
    return Chart(fig, words.alt, words.title, words.source)


def neet_gap_words(
    both: pd.DataFrame,
    *,
    area_name: str,
    label: str | None,
    decimals: int,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """The NEET chart's finding (which side of England the council is, first and last) and
    alt text, from the periods both have a figure for.

    Args:
        both: ``period``, ``period_end``, ``value`` (the council), ``value_england`` and
            ``gap`` (council minus England), oldest first; at least one row.

    Examples:
        >>> both = pd.DataFrame({"period": ["2024"], "period_end": pd.to_datetime(["2024-02-29"]),
        ...     "value": [5.0], "value_england": [5.5], "gap": [-0.5]})
        >>> neet_gap_words(both, area_name="Here", label="NEET", decimals=1).alt
        'Line chart. NEET: Here 5.0% and England 5.5% in 2024, 0.5 percentage points below England. The gap is shaded.'
    """
    unit = "%"
    first, last = both.iloc[0], both.iloc[-1]

    def when(row: pd.Series) -> str:
        return when_text(
            row["period"], row.get("period_kind"), row.get("period_start"), row.get("period_end")
        )

    if len(both) > 1:
        finding = gap_sentence(
            last["value"],
            last["value_england"],
            first["value"],
            first["value_england"],
            subject=f"NEET in {area_name}",
            unit=unit,
            decimals=decimals,
            when=when(last),
            before=when(first),
            polarity="low",
        )
    else:
        finding = (
            f"NEET in {area_name} was "
            f"{gap_position(last['gap'], unit=unit, decimals=decimals)} {when(last)}"
        )
    alt = (
        f"Line chart. {label}: {area_name} {fmt(last['value'], unit, decimals)} and England "
        f"{fmt(last['value_england'], unit, decimals)} {when(last)}, "
        f"{gap_position(last['gap'], unit=unit, decimals=decimals)}"
    )
    if len(both) > 1:
        alt += (
            f"; {when(first)} {area_name} "
            f"{fmt(first['value'], unit, decimals)}, England "
            f"{fmt(first['value_england'], unit, decimals)}, "
            f"{gap_position(first['gap'], unit=unit, decimals=decimals)}"
        )
    alt += ". The gap is shaded."
    return ChartText(title or finding, alt, source)
