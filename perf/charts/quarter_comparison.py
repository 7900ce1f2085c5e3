"""The quarter comparison (dumbbell) chart: for each indicator, this quarter against last
quarter and the same quarter last year, styled and worded by direction of travel.

Examples:
    >>> changes = pd.DataFrame({"indicator": ["x"], "period": ["2024-25 Q2"], "value": [5.0],
    ...     "comparison": ["previous_quarter"], "comparison_period": ["2024-25 Q1"],
    ...     "comparison_value": [4.0], "direction": ["improving"]})
    >>> quarter_comparison_chart(changes, area_name="Here", labels={"x": "Visits"}).title
    'Here, 2024-25 Q2: against last quarter, 1 improved of 1 indicator'
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.text import Annotation

from perf.charts.data import catalogue_info, require
from perf.charts.draw import agg_renderer, frame_figure, house_style, new_figure
from perf.charts.output import Chart
from perf.charts.style import DIRECTION_STYLE, TEXT, TYPE, text_colour
from perf.charts.text import ChartText, fmt, source_text
from perf.compare import direction_words

__all__ = ["COMPARISONS", "quarter_comparison_chart", "quarter_comparison_words"]

#: The comparisons drawn, in order, and how the chart names them.
COMPARISONS = {
    "previous_quarter": "last quarter",
    "same_period_last_year": "same quarter last year",
}


def quarter_comparison_chart(
    changes: pd.DataFrame,
    *,
    area_name: str,
    catalogue: pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """For each indicator, this quarter against last quarter and the same quarter last year:
    an arrow from the earlier value to this quarter's, styled by direction of travel
    (polarity already applied by ``perf.compare``) with the direction written beside it.

    Args:
        changes: ``perf.compare.compare_periods`` output: ``indicator``, ``period``,
            ``value``, ``comparison`` (``previous_quarter``/``same_period_last_year``; other
            comparisons are ignored), ``comparison_period``, ``comparison_value``,
            ``direction``.
        catalogue: for indicator titles, units and decimals (or ``labels``).

    Raises:
        NoDataToChart: no previous-quarter or same-quarter-last-year comparison.
    """
    rows = require(
        changes[changes["comparison"].isin(list(COMPARISONS))],
        "no previous-quarter or same-period-last-year comparisons to chart",
    )
    indicators = list(pd.unique(rows["indicator"]))
    info = {i: catalogue_info(catalogue, i, (labels or {}).get(i), None, None) for i in indicators}
    words = quarter_comparison_words(
        rows, info, area_name=area_name, title=title, source=source_text(changes, source)
    )

    with house_style():
        height = 1.5 + 1.05 * len(indicators)
        fig = new_figure(height=height)
        axes = fig.subplots(len(indicators), 1, squeeze=False)[:, 0]
        value_labels: list[tuple[Annotation, Annotation]] = []  # (before, after) per row
        for ax, ind in zip(axes, indicators):
            lab, unit, dec = info[ind]
            sub = rows[rows["indicator"] == ind]
            ax.set_title(lab, loc="left", fontsize=TYPE["panel"], fontweight="bold", pad=2)
            ax.grid(False)
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="x", length=0, labelbottom=False)
            values: list[float] = []
            ticks, names = [], []
            for y, (comp, comp_words) in enumerate(COMPARISONS.items()):
                r = sub[sub["comparison"] == comp]
                ticks.append(y)
                if r.empty:
                    names.append(comp_words.capitalize())
                    continue
                r = r.iloc[0]
                names.append(f"{comp_words.capitalize()}\n({r['comparison_period']})")
                style = DIRECTION_STYLE.get(str(r["direction"]), DIRECTION_STYLE["not comparable"])
                before, after = r["comparison_value"], r["value"]
                if pd.notna(before) and pd.notna(after):
                    ax.plot(
                        [before, after],
                        [y, y],
                        color=style["color"],
                        linestyle=style["linestyle"],
                        linewidth=2,
                        gid=f"{ind}:{comp}",
                        zorder=2,
                    )
                    ax.plot(
                        [before],
                        [y],
                        marker="o",
                        markersize=6,
                        markerfacecolor="white",
                        markeredgecolor=style["color"],
                        linestyle="none",
                        zorder=3,
                    )
                    ax.plot(
                        [after],
                        [y],
                        marker="o",
                        markersize=7,
                        color=style["color"],
                        linestyle="none",
                        zorder=3,
                    )
                    before_text = ax.annotate(
                        fmt(before, unit, dec),
                        (before, y),
                        xytext=(0, 6),
                        textcoords="offset points",
                        ha="center",
                        va="bottom",
                        fontsize=TYPE["tick"],
                        color=TEXT,
                        gid=f"before:{ind}:{comp}",
                    )
                    if fmt(after, unit, dec) != fmt(before, unit, dec):
                        after_text = ax.annotate(
                            fmt(after, unit, dec),
                            (after, y),
                            xytext=(0, 6),
                            textcoords="offset points",
                            ha="center",
                            va="bottom",
                            fontsize=TYPE["tick"],
                            color=TEXT,
                            fontweight="bold",
                            gid=f"after:{ind}:{comp}",
                        )
                        value_labels.append((before_text, after_text))
                    values += [before, after]
                said = direction_words(str(r["direction"]), r.get("movement"))
                ax.text(
                    1.02,
                    y,
                    said.split(" (")[0],
                    transform=ax.get_yaxis_transform(),
                    ha="left",
                    va="center",
                    fontsize=TYPE["label"],
                    color=text_colour(style["color"]),
                    gid=f"direction:{ind}:{comp}",
                )
            ax.set_yticks(ticks)
            ax.set_yticklabels(names, fontsize=TYPE["tick"])
            ax.set_ylim(-1.0, 1.4)
            ax.invert_yaxis()
            if values:
                lo, hi = min(values), max(values)
                pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
                ax.set_xlim(lo - pad, hi + pad)
        frame_figure(
            fig,
            words.title,
            "This quarter (● filled) against earlier values (○ open)",
            left=1.45,
            right=1.3,
            bottom=0.2,
            hspace=0.9,
        )
        # values close together: the earlier value goes below its dot, so labels never meet
        renderer = agg_renderer(fig)
        for before_text, after_text in value_labels:
            if (
                before_text.get_window_extent(renderer)
                .padded(2)
                .overlaps(after_text.get_window_extent(renderer))
            ):
                before_text.set_position((0, -7))
                before_text.set_verticalalignment("top")
    return Chart(fig, words.alt, words.title, words.source)


def quarter_comparison_words(
    rows: pd.DataFrame,
    info: Mapping[str, tuple[str, str, int]],
    *,
    area_name: str,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """How many indicators improved, worsened or did not change against last quarter
    (title) and, in the alt text, each indicator's figures and directions.

    Args:
        rows: the previous-quarter and same-period-last-year rows of
            :func:`perf.compare.compare_periods`.
        info: indicator -> (title, unit, decimals).

    Examples:
        >>> rows = pd.DataFrame({"indicator": ["x"], "period": ["2024-25 Q2"], "value": [5.0],
        ...     "comparison": ["previous_quarter"], "comparison_period": ["2024-25 Q1"],
        ...     "comparison_value": [4.0], "direction": ["improving"]})
        >>> quarter_comparison_words(rows, {"x": ("Visits", "count", 0)}, area_name="Here").alt
        'Dumbbell chart. Visits: 5 in 2024-25 Q2, last quarter (2024-25 Q1) 4, improving.'
    """
    period = str(rows["period"].iloc[0])
    counts = rows[rows["comparison"] == "previous_quarter"]["direction"].value_counts()
    n_pq = int(counts.sum())
    bits = [
        f"{int(counts[d])} {w}"
        for d, w in (
            ("improving", "improved"),
            ("worsening", "worsened"),
            ("no change", "did not change"),
        )
        if d in counts
    ]
    finding = title or (
        f"{area_name}, {period}: against last quarter, "
        + (", ".join(bits) if bits else "no indicator could be compared")
        + f" of {n_pq} indicator{'s' if n_pq != 1 else ''}"
    )
    alt_parts = []
    for ind in pd.unique(rows["indicator"]):
        lab, unit, dec = info[ind]
        sub = rows[rows["indicator"] == ind]
        now = sub["value"].iloc[0]
        part = f"{lab}: {fmt(now, unit, dec)} in {period}"
        for comp, comp_words in COMPARISONS.items():
            r = sub[sub["comparison"] == comp]
            if len(r):
                part += (
                    f", {comp_words} ({r['comparison_period'].iloc[0]}) "
                    f"{fmt(r['comparison_value'].iloc[0], unit, dec)}, "
                    f"{r['direction'].iloc[0]}"
                )
        alt_parts.append(part)
    return ChartText(finding, "Dumbbell chart. " + "; ".join(alt_parts) + ".", source)
