"""The statistical process control (XmR) chart: values, mean, process limits, special-cause
points marked by shape and colour, and the Making Data Count verdicts as symbol and words.

Examples:
    >>> from perf.spc import xmr
    >>> years = [str(y) for y in range(2019, 2025)]
    >>> frame = xmr([5.0, 6, 5, 7, 6, 5]).assign(period=years,
    ...     period_end=pd.to_datetime([f"{y}-12-31" for y in years]))
    >>> spc_chart(frame, label="Visits", area_name="Here").title
    'Visits in Here: only common-cause variation'
"""

from __future__ import annotations

import pandas as pd

from perf.charts.data import limit_column, special_causes
from perf.charts.draw import (
    direct_labels,
    fit_time_ticks,
    frame_figure,
    house_style,
    new_figure,
    time_axis,
    value_axis,
)
from perf.charts.output import Chart
from perf.charts.style import PALETTE, SECONDARY_TEXT, TEXT, TYPE
from perf.charts.text import ChartText, fmt, icon, source_text, unit_subtitle

__all__ = ["spc_chart", "spc_words"]


def spc_chart(
    spc: pd.DataFrame,
    *,
    label: str,
    area_name: str,
    unit: str = "number",
    decimals: int = 0,
    variation: str | None = None,
    assurance: str | None = None,
    target: float | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """A statistical process control (XmR) chart: values, mean, process limits, special-cause
    points marked, and the variation and assurance verdicts as symbol plus words.

    Args:
        spc: one row per period (``perf.spc.xmr`` output): ``period_end`` (or ``period``),
            ``value``, the mean (``mean``/``centre``), limits (``upper``/``ucl``/``unpl``,
            ``lower``/``lcl``/``lnpl``) and special-cause flags: ``special_cause_improvement``
            and ``special_cause_concern`` (bools), or one ``special_cause`` bool.
        variation: e.g. "special cause improvement (low)", "common cause".
        assurance: e.g. "hit and miss target", "consistently passing target".
    """
    data = spc.copy()
    x_col = "period_end" if "period_end" in data.columns else "period"
    data = data.sort_values(x_col).reset_index(drop=True)
    mean_c, up_c, lo_c = (limit_column(data, r) for r in ("mean", "upper", "lower"))
    improve, concern, neutral = special_causes(data)
    words = spc_words(
        data,
        improve,
        concern,
        neutral,
        label=label,
        area_name=area_name,
        unit=unit,
        decimals=decimals,
        variation=variation,
        assurance=assurance,
        title=title,
        source=source_text(data, source),
    )
    mean = data[mean_c].iloc[-1]
    lower, upper = data[lo_c].iloc[-1], data[up_c].iloc[-1]

    with house_style():
        fig = new_figure()
        ax = fig.add_subplot()
        x = data[x_col]
        ax.plot(
            x,
            data["value"],
            color=SECONDARY_TEXT,
            linestyle="-",
            marker="o",
            markersize=4,
            linewidth=1.4,
            gid="values",
            zorder=4,
        )
        ax.plot(x, data[mean_c], color=TEXT, linestyle="-", linewidth=1.2, gid="mean", zorder=3)
        for col, gid in ((up_c, "upper"), (lo_c, "lower")):
            ax.plot(
                x, data[col], color=TEXT, linestyle=(0, (5, 3)), linewidth=1.1, gid=gid, zorder=3
            )
        if target is not None:
            ax.axhline(
                target, gid="target", color=PALETTE["england"], linestyle=(0, (1, 2)), linewidth=1.6
            )
        marks = (
            ("improvement", improve, PALETTE["area"], "o", 8),
            ("concern", concern, PALETTE["england"], "D", 7.5),
            ("special", neutral, PALETTE["region"], "s", 7.5),
        )
        for gid, mask, colour, marker, size in marks:
            if mask.any():
                ax.plot(
                    x[mask],
                    data.loc[mask, "value"],
                    linestyle="none",
                    marker=marker,
                    markersize=size,
                    color=colour,
                    markeredgecolor=TEXT,
                    markeredgewidth=0.8,
                    gid=f"special-{gid}",
                    zorder=6,
                )
        lines = [
            f"{icon(variation, 'variation')} Variation: {variation}" if variation else "",
            f"{icon(assurance, 'assurance')} Assurance: {assurance}" if assurance else "",
        ]
        key = [
            s
            for s in (
                "● special cause: improvement" if improve.any() else "",
                "◆ special cause: concern" if concern.any() else "",
                "■ special cause" if neutral.any() else "",
            )
            if s
        ]
        box = "\n".join([ln for ln in lines if ln] + key)
        if box:
            ax.text(
                0.995,
                1.02,
                box,
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=TYPE["note"],
                color=TEXT,
                gid="icons",
                linespacing=1.4,
            )
        ticks = None
        if x_col == "period_end":
            ticks = time_axis(ax, data.assign(period_end=data["period_end"]), unit)
        else:
            ax.tick_params(axis="x", rotation=45)
            value_axis(ax.yaxis, unit, integer=unit in ("count", "number") and decimals == 0)
        top_extra = 0.25 * box.count("\n") if box else 0
        frame_figure(fig, words.title, unit_subtitle(unit), right=1.35)
        fit_time_ticks(ax, ticks)
        if top_extra:
            pos = ax.get_position()
            ax.set_position(
                (pos.x0, pos.y0, pos.width, pos.height - top_extra / fig.get_size_inches()[1])
            )
        end = x.iloc[-1]
        direct_labels(
            ax,
            [
                (end, mean, f"Mean {fmt(mean, unit, decimals)}", TEXT),
                (end, upper, f"Upper limit {fmt(upper, unit, decimals)}", TEXT),
                (end, lower, f"Lower limit {fmt(lower, unit, decimals)}", TEXT),
            ],
            fontsize=TYPE["note"],
        )
    return Chart(fig, words.alt, words.title, words.source)


def spc_words(
    data: pd.DataFrame,
    improve: pd.Series,
    concern: pd.Series,
    neutral: pd.Series,
    *,
    label: str,
    area_name: str,
    unit: str,
    decimals: int,
    variation: str | None = None,
    assurance: str | None = None,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """How many points show special-cause variation (title) and, in the alt text, the mean,
    limits, latest figure and the verdicts.

    Args:
        data: the SPC frame, oldest first (``period``, ``value``, mean and limit columns).
        improve, concern, neutral: which points are special causes of each kind
            (:func:`perf.charts.data.special_causes`).

    Examples:
        >>> data = pd.DataFrame({"period": ["2023", "2024"], "value": [5.0, 9.0],
        ...     "mean": 6.0, "upper": 8.0, "lower": 4.0})
        >>> flags = pd.Series([False, True]), pd.Series([False, False]), pd.Series([False, False])
        >>> words = spc_words(data, *flags, label="Visits", area_name="Here", unit="count",
        ...     decimals=0)
        >>> words.title
        'Visits in Here: 1 of 2 points show special-cause variation'
        >>> words.alt
        'SPC chart of Visits in Here, 2023 to 2024: mean 6, process limits 4 to 8; latest 9. 1 special-cause point (1 improvement, 0 concern).'
    """
    mean_c, up_c, lo_c = (limit_column(data, r) for r in ("mean", "upper", "lower"))
    mean = data[mean_c].iloc[-1]
    lower, upper = data[lo_c].iloc[-1], data[up_c].iloc[-1]
    n_special = int((improve | concern | neutral).sum())
    first_p, last_p = data["period"].iloc[0], data["period"].iloc[-1]
    finding = title or (
        f"{label} in {area_name}: "
        + (
            f"{n_special} of {len(data)} points show special-cause variation"
            if n_special
            else "only common-cause variation"
        )
        + (f"; {variation}" if variation and n_special else "")
    )
    alt = (
        f"SPC chart of {label} in {area_name}, {first_p} to {last_p}: mean "
        f"{fmt(mean, unit, decimals)}, process limits {fmt(lower, unit, decimals)} to "
        f"{fmt(upper, unit, decimals)}; latest {fmt(data['value'].iloc[-1], unit, decimals)}."
        f" {n_special} special-cause point{'s' if n_special != 1 else ''}"
        f" ({int(improve.sum())} improvement, {int(concern.sum())} concern"
        + (f", {int(neutral.sum())} unclassified" if neutral.any() else "")
        + ")."
    )
    if variation:
        alt += f" Variation: {variation}."
    if assurance:
        alt += f" Assurance: {assurance}."
    return ChartText(finding, alt, source)
