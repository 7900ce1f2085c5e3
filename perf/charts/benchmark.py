"""The ranked bar chart: every local authority's figure, best first, with the council and its
statistical neighbours highlighted, quartile bands shaded and England marked.

Examples:
    >>> bench = pd.DataFrame({"area_code": ["A", "B", "C"], "area_name": ["Ay", "Bee", "Cee"],
    ...     "value": [1.0, 2.0, 3.0], "rank": [1, 2, 3], "quartile": ["A", "B", "C"],
    ...     "n_ranked": 3, "england_value": 2.0})
    >>> benchmark_chart(bench, area_code="B", label="x", unit="count", decimals=0).title
    'Bee ranked 2nd of 3 councils for x (quartile B)'
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perf._numbers import ordinal, plural
from perf.charts.data import require
from perf.charts.draw import frame_figure, house_style, new_figure, value_axis, y_from_zero
from perf.charts.output import Chart
from perf.charts.style import PALETTE, RULE, TEXT, TYPE
from perf.charts.text import ChartText, fmt, period_when, source_text, unit_subtitle

__all__ = ["benchmark_chart", "benchmark_words"]


def benchmark_chart(
    bench: pd.DataFrame,
    *,
    area_code: str,
    label: str,
    unit: str,
    decimals: int,
    period: str = "",
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Every local authority ranked (bars, best on the left), with the area and its
    statistical neighbours highlighted, quartile bands shaded and England marked
    (``neighbour_set``: the set's name, said in the subtitle and alt text).

    Args:
        bench: ``perf.benchmarking.benchmark`` rows: ``area_code``, ``area_name``, ``value``,
            ``rank`` (1 = best), ``quartile`` (A-D), ``n_ranked``, ``england_value``.

    Raises:
        NoDataToChart: no council has a ranked figure.
    """
    neighbours = list(neighbours)
    ranked = require(
        bench.dropna(subset=["value", "rank"])
        .sort_values(["rank", "area_name"], kind="stable")
        .reset_index(drop=True),
        "no ranked authorities to chart",
    )
    me = ranked[ranked["area_code"] == area_code]
    nb = ranked[ranked["area_code"].isin(neighbours)]
    area_name = (
        str(bench.loc[bench["area_code"] == area_code, "area_name"].iloc[0])
        if (bench["area_code"] == area_code).any()
        else area_code
    )
    england = (
        bench["england_value"].dropna().iloc[0]
        if "england_value" in bench.columns and bench["england_value"].notna().any()
        else None
    )
    words = benchmark_words(
        ranked,
        area_name=area_name,
        area_code=area_code,
        neighbours=neighbours,
        england=england,
        label=label,
        unit=unit,
        decimals=decimals,
        period=period,
        neighbour_set=neighbour_set,
        title=title,
        source=source_text(bench, source),
    )
    unranked = len(bench) - len(ranked)
    src = words.source
    if unranked:
        src += f". {unranked} council{'s' if unranked != 1 else ''} with no published figure not shown."

    with house_style():
        fig = new_figure(height=4.0)
        ax = fig.add_subplot()
        xs = np.arange(len(ranked))
        colours = [
            PALETTE["area"]
            if c == area_code
            else PALETTE["neighbours"]
            if c in neighbours
            else PALETTE["context"]
            for c in ranked["area_code"]
        ]
        ax.bar(xs, ranked["value"], width=0.85, color=colours, linewidth=0, gid="bars", zorder=2)
        if "quartile" in ranked.columns:
            for q, group in ranked.groupby("quartile", sort=True):
                idx = group.index
                start, stop = idx.min() - 0.5, idx.max() + 0.5
                shade = PALETTE["band"] if q in ("A", "C") else "white"
                ax.axvspan(start, stop, color=shade, zorder=0, gid=f"quartile-{q}")
                ax.text(
                    (start + stop) / 2,
                    1.01,
                    f"Quartile {q}" + (" (best)" if q == "A" else ""),
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                    fontsize=TYPE["note"],
                    color=TEXT,
                    gid=f"quartile-label-{q}",
                )
                ax.axvline(stop, color=RULE, linewidth=0.8, zorder=1)
        if len(nb):
            top = ranked["value"].max()
            ax.plot(
                nb.index,
                nb["value"] + top * 0.03,
                linestyle="none",
                marker="v",
                markersize=5,
                color=PALETTE["neighbours"],
                markeredgecolor=TEXT,
                markeredgewidth=0.5,
                gid="neighbour-markers",
                zorder=4,
            )
        if england is not None:
            ax.axhline(
                england,
                color=PALETTE["england"],
                linestyle="--",
                linewidth=1.4,
                gid="england",
                zorder=3,
            )
            ax.text(
                1.005,
                england,
                f"England {fmt(england, unit, decimals)}",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=TYPE["label"],
                color=TEXT,
            )
        if len(me):
            i = int(me.index[0])
            ax.annotate(
                f"{area_name} {fmt(me['value'].iloc[0], unit, decimals)}",
                xy=(i, me["value"].iloc[0]),
                xytext=(0, 28),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=TYPE["panel"],
                fontweight="bold",
                color=TEXT,
                arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 1},
                gid="area-label",
                zorder=6,
            )
        ax.set_xlim(-0.6, len(ranked) - 0.4)
        ax.set_xticks([0, len(ranked) - 1])
        ax.set_xticklabels(["1st (best)", ordinal(int(ranked["rank"].iloc[-1]))])
        ax.grid(axis="x", visible=False)
        value_axis(ax.yaxis, unit, integer=unit in ("count", "number"))
        y_from_zero(ax, list(ranked["value"]) + ([england] if england is not None else []))
        ymax = ax.get_ylim()[1]
        ax.set_ylim(0, ymax * 1.05)
        subtitle = f"{unit_subtitle(unit)}; councils ranked, best first"
        if len(nb):
            subtitle += f"; ▼ {neighbour_set or 'statistical neighbours'}"
        frame_figure(fig, words.title, subtitle, right=1.1, bottom=0.45)
    return Chart(fig, words.alt, words.title, src)


def benchmark_words(
    ranked: pd.DataFrame,
    *,
    area_name: str,
    area_code: str,
    neighbours: Sequence[str],
    england: float | None,
    label: str,
    unit: str,
    decimals: int,
    period: str = "",
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str = "Source: not stated",
) -> ChartText:
    """The council's rank and quartile (title) and, in the alt text, the range, the
    neighbours' ranks and England's figure.

    Args:
        ranked: the ranked councils, best first (``area_code``, ``value``, ``rank``,
            ``quartile``, ``n_ranked``); at least one.

    Examples:
        >>> ranked = pd.DataFrame({"area_code": ["A", "B"], "value": [1.0, 2.0],
        ...     "rank": [1, 2], "quartile": ["A", "D"], "n_ranked": 2})
        >>> words = benchmark_words(ranked, area_name="Bee", area_code="B", neighbours=["A"],
        ...     england=1.5, label="x", unit="count", decimals=0, period="2024-25")
        >>> words.title
        'Bee ranked 2nd of 2 councils for x in 2024-25 (quartile D)'
        >>> words.alt
        'Ranked bar chart of x in 2024-25 for 2 councils, best on the left, from 1 to 2. Bee 2, ranked 2nd of 2 (quartile D). Statistical neighbours rank from 1st to 1st. England 2.'
    """
    me = ranked[ranked["area_code"] == area_code]
    n = (
        int(ranked["n_ranked"].iloc[0])
        if "n_ranked" in ranked.columns and pd.notna(ranked["n_ranked"].iloc[0])
        else len(ranked)
    )
    when = period_when(period)
    if len(me):
        row = me.iloc[0]
        quart = f" (quartile {row['quartile']})" if pd.notna(row.get("quartile")) else ""
        finding = (
            f"{area_name} ranked {ordinal(int(row['rank']))} of {n} "
            f"{plural('council', n)} for "
            f"{label}{when}{quart}"
        )
        alt_me = (
            f"{area_name} {fmt(row['value'], unit, decimals)}, ranked "
            f"{ordinal(int(row['rank']))} of {n}{quart}"
        )
    else:
        finding = f"{area_name} had no ranked figure for {label}{when}"
        alt_me = f"{area_name} not ranked"
    alt = (
        f"Ranked bar chart of {label}{when} for {len(ranked)} "
        f"{plural('council', len(ranked))}, best on the left, "
        f"from {fmt(ranked['value'].iloc[0], unit, decimals)} to "
        f"{fmt(ranked['value'].iloc[-1], unit, decimals)}. {alt_me}"
    )
    nb = ranked[ranked["area_code"].isin(list(neighbours))]
    if len(nb):
        alt += (
            f". Statistical neighbours{f' ({neighbour_set})' if neighbour_set else ''} "
            f"rank from {ordinal(int(nb['rank'].min()))} to "
            f"{ordinal(int(nb['rank'].max()))}"
        )
    if england is not None:
        alt += f". England {fmt(england, unit, decimals)}"
    alt += "."
    return ChartText(title or finding, alt, source)
