"""The funnel plot: every council's figure against its denominator (log scale), the 95% and
99.8% control limits around England's value, the council and its statistical neighbours
highlighted by shape and colour.

The figures come from :func:`perf.significance.funnel`; the title says where the council
falls in the words of :data:`perf.significance.SIGNIFICANCE_WORDS`, the caption the method.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.ticker
import pandas as pd

from perf._numbers import plural
from perf.charts.data import catalogue_info, require
from perf.charts.draw import direct_labels, frame_figure, house_style, new_figure, value_axis
from perf.charts.output import Chart
from perf.charts.style import CONTEXT_EDGE, PALETTE, SECONDARY_TEXT, TEXT, TYPE
from perf.charts.text import (
    ChartText,
    count_words,
    fmt,
    period_when,
    source_text,
    unit_subtitle,
)
from perf.summary import source_publication

__all__ = ["funnel_chart", "funnel_words"]


def funnel_chart(
    funnel_frame: pd.DataFrame,
    *,
    area_code: str,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    catalogue: pd.DataFrame | None = None,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """A funnel plot: every council's figure against its denominator (log scale), the 95% and
    99.8% control limits around England's value, England's line, the council and its
    statistical neighbours highlighted. The title says where the council falls, in the
    words of :data:`perf.significance.SIGNIFICANCE_WORDS`; the caption states the method.

    Args:
        funnel_frame: :func:`perf.significance.funnel` output (its ``attrs`` carry the
            target, kind, method and sources).
        area_code: the reporting council.
        neighbours: ONS codes of its statistical neighbours.
        neighbour_set: the set's name, e.g. "DfE statistical neighbours, 2025 model"
            (:func:`perf.areas.neighbour_set_name`), shown in the subtitle and alt text.
        catalogue, label, unit, decimals: as :func:`perf.charts.trend.trend_chart`.

    Raises:
        NoDataToChart: no council has an assessed figure.
    """
    # lazy: perf.significance brings scipy.special (a fifth of a second to import), which
    # only the funnel plot needs among the charts
    from perf.significance import funnel_curve

    attrs = funnel_frame.attrs
    indicator = str(attrs.get("indicator", ""))
    label, unit, decimals = catalogue_info(catalogue, indicator, label, unit, decimals)
    neighbours = [str(c) for c in neighbours if str(c) != area_code]
    assessed = require(
        funnel_frame[funnel_frame["significance"] != "not_assessed"].reset_index(drop=True),
        f"no council has an assessed {indicator} figure to chart",
    )
    curve = funnel_curve(funnel_frame)
    target = float(attrs["target"])
    me_ok = assessed[assessed["area_code"] == area_code]
    nb = assessed[assessed["area_code"].isin(neighbours)]
    others = assessed[~assessed["area_code"].isin([area_code, *neighbours])]
    words = funnel_words(
        funnel_frame,
        assessed,
        area_code=area_code,
        neighbours=neighbours,
        neighbour_set=neighbour_set,
        label=label,
        unit=unit,
        decimals=decimals,
        title=title,
        source=source,
    )
    me = funnel_frame[funnel_frame["area_code"] == area_code]
    area_name = str(me["area_name"].iloc[0]) if len(me) else area_code
    comparator = str(attrs.get("comparator", "England"))
    set_words = neighbour_set or "statistical neighbours"
    den_label = attrs.get("denominator_label") or "the denominator"

    with house_style():
        fig = new_figure(height=4.3)
        ax = fig.add_subplot()
        x = curve["denominator"]
        for col, gid, style in (
            ("upper_998", "upper_998", "-"),
            ("lower_998", "lower_998", "-"),
            ("upper_95", "upper_95", (0, (5, 3))),
            ("lower_95", "lower_95", (0, (5, 3))),
        ):
            ax.plot(
                x,
                curve[col],
                color=TEXT if "998" in col else SECONDARY_TEXT,
                linestyle=style,
                linewidth=1.2 if "998" in col else 1.1,
                gid=gid,
                zorder=2,
            )
        ax.axhline(
            target, color=PALETTE["england"], linestyle="--", linewidth=1.6, gid="england", zorder=2
        )
        ax.scatter(
            others["denominator"],
            others["estimate"],
            s=16,
            color=PALETTE["context"],
            edgecolors=CONTEXT_EDGE,
            linewidths=0.4,
            gid="councils",
            zorder=3,
        )
        if len(nb):
            ax.scatter(
                nb["denominator"],
                nb["estimate"],
                s=30,
                marker="D",
                color=PALETTE["neighbours"],
                edgecolors=TEXT,
                linewidths=0.6,
                gid="neighbours",
                zorder=4,
            )
        if len(me_ok):
            row = me_ok.iloc[0]
            ax.scatter(
                [row["denominator"]],
                [row["estimate"]],
                s=70,
                marker="o",
                color=PALETTE["area"],
                edgecolors=TEXT,
                linewidths=0.9,
                gid="area",
                zorder=6,
            )
            ax.annotate(
                f"{area_name} {fmt(row['estimate'], unit, decimals)}",
                xy=(row["denominator"], row["estimate"]),
                xytext=(0, 14),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=TYPE["panel"],
                fontweight="bold",
                color=TEXT,
                gid="area-label",
                zorder=7,
                arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 0.8},
            )
        ax.set_xscale("log")
        ax.set_xlim(float(x.min()), float(x.max()))
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel(
            f"Number of {den_label} (log scale)", fontsize=TYPE["label"], color=SECONDARY_TEXT
        )
        ax.grid(axis="x", visible=False)
        value_axis(ax.yaxis, unit)
        values = list(assessed["estimate"]) + [target]
        top = max(values) * 1.15
        ax.set_ylim(0, top if unit != "%" else min(top, 100.0))
        end = float(x.max())
        frame_figure(
            fig,
            words.title,
            f"{unit_subtitle(unit)}; ◆ {set_words}" if len(nb) else unit_subtitle(unit),
            right=1.45,
            bottom=0.62,
        )
        within = [
            (end, float(curve[col].iloc[-1]), text, TEXT)
            for col, text in (
                ("upper_998", "99.8% limit"),
                ("upper_95", "95% limit"),
                ("lower_95", "95% limit"),
                ("lower_998", "99.8% limit"),
            )
            if curve[col].iloc[-1] <= ax.get_ylim()[1]
        ]
        direct_labels(
            ax,
            within
            + [
                (
                    end,
                    target,
                    f"{comparator} {_target_shown(target, decimals, unit)}",
                    PALETTE["england"],
                )
            ],
            fontsize=TYPE["note"],
        )
    return Chart(fig, words.alt, words.title, words.source)


def _target_shown(target: float, decimals: int, unit: str) -> str:
    """England's value with one decimal more than the indicator's when it needs it."""
    return fmt(target, unit, decimals if round(target, decimals) == target else decimals + 1)


def funnel_words(
    funnel_frame: pd.DataFrame,
    assessed: pd.DataFrame,
    *,
    area_code: str,
    neighbours: Sequence[str],
    label: str,
    unit: str,
    decimals: int,
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> ChartText:
    """Where the council falls (title); in the alt text its figure, interval and how many
    councils (and neighbours) fall where; the caption names the publications and method.

    Args:
        funnel_frame: :func:`perf.significance.funnel` output, with its ``attrs``.
        assessed: its rows with an assessed figure (at least one).
    """
    attrs = funnel_frame.attrs
    comparator = str(attrs.get("comparator", "England"))
    target = float(attrs["target"])
    when = period_when(str(attrs.get("period", "")))
    den_label = attrs.get("denominator_label") or "the denominator"
    me = funnel_frame[funnel_frame["area_code"] == area_code]
    area_name = str(me["area_name"].iloc[0]) if len(me) else area_code
    me_ok = assessed[assessed["area_code"] == area_code]
    nb = assessed[assessed["area_code"].isin(list(neighbours))]

    if len(me_ok):
        row = me_ok.iloc[0]
        shown = fmt(row["estimate"], unit, decimals)
        finding = f"{label}{when}: {area_name} ({shown}) was {row['significance_words']}"
        alt_me = (
            f"{area_name} {shown} with {row['denominator']:,.0f} {den_label}: "
            f"{row['significance_words']}"
        )
        if pd.notna(row["ci_lower"]) and pd.notna(row["ci_upper"]):
            alt_me += (
                f" (95% confidence interval {fmt(row['ci_lower'], unit, decimals)} to "
                f"{fmt(row['ci_upper'], unit, decimals)})"
            )
    else:
        why = str(me["note"].iloc[0]) if len(me) and pd.notna(me["note"].iloc[0]) else "no figure"
        finding = f"{area_name} was not assessed for {label}{when} ({why})"
        alt_me = f"{area_name} not shown ({why})"
    set_words = neighbour_set or "statistical neighbours"
    councils = plural("council", len(assessed))
    alt = (
        f"Funnel plot of {label}{when} for {len(assessed)} {councils} against the number of "
        f"{den_label} (log scale), with 95% and 99.8% control limits around {comparator}'s "
        f"value of {_target_shown(target, decimals, unit)}. {alt_me}. Of the {len(assessed)} "
        f"{councils}: {count_words(attrs.get('counts', {}), comparator)}."
    )
    if len(nb):
        nb_counts = nb["significance"].value_counts().to_dict()
        alt += (
            f" {set_words[:1].upper() + set_words[1:]} ({len(nb)}): "
            f"{count_words(nb_counts, comparator)}."
        )
    alt = alt.replace("..", ".")
    # the publications, not the data files' names (the appendix lists those)
    files = "; ".join(dict.fromkeys(source_publication(s) for s in attrs.get("sources", [])))
    src = source_text(pd.DataFrame(), source or files or None)
    src += f". {attrs.get('method_text', '')} {attrs.get('confidence_text', '')}.".replace(
        "..", "."
    )
    not_shown = int(attrs.get("n_not_assessed", len(funnel_frame) - len(assessed)))
    if not_shown:
        src += f" {not_shown} council{'s' if not_shown != 1 else ''} with no figure or denominator not shown."
    return ChartText(title or finding, alt, src)
