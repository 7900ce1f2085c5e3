"""In-year attendance, year to date (DfE pupil attendance in schools): this academic year at
each quarter's end (top), and the latest point against the same point of every earlier year
(bottom), for the council, England and the statistical neighbours' mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from perf.charts.data import catalogue_info
from perf.charts.draw import (
    LineLabel,
    direct_labels,
    frame_figure,
    house_style,
    new_figure,
    value_axis,
)
from perf.charts.output import Chart
from perf.charts.style import SERIES_STYLE, TYPE
from perf.charts.text import (
    POINT_WORDS,
    ChartText,
    attendance_label,
    day_month,
    fmt,
    release_caption,
    unit_subtitle,
)
from perf.errors import NoDataToChart

__all__ = ["attendance_ytd_chart", "attendance_ytd_words"]


def attendance_ytd_chart(
    points: pd.DataFrame,
    *,
    catalogue: pd.DataFrame | None = None,
    label: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """In-year attendance year to date: this academic year at each quarter's end (top), and
    the latest point against the same point in every earlier year held (bottom), for the
    council, England and the statistical-neighbour mean.

    Args:
        points: :func:`perf.attendance.quarter_points` rows (``academic_year``, ``point``,
            ``cutoff``, ``release``, ``published``, ``cutoff_basis``, ``value``,
            ``england_value``, ``sn_mean``, ``current``, ``area_name``, ``indicator``).
        catalogue: for the unit's decimals (default 1); ``label`` names the measure.

    The caption names every release used and the date its figures run to.

    Raises:
        NoDataToChart: no point of the reporting year.
    """
    if points is None or points.empty or not points["current"].any():
        raise NoDataToChart("no year-to-date points for the reporting year to chart")
    indicator = str(points["indicator"].iloc[0])
    label = label or attendance_label(indicator)
    _, unit, decimals = catalogue_info(catalogue, indicator, label, "%", decimals)
    if catalogue is None or not (catalogue["indicator"] == indicator).any():
        decimals = 1 if decimals == 0 else decimals
    data = points.sort_values(["academic_year", "point"]).reset_index(drop=True)
    now_rows = data[data["current"]].reset_index(drop=True)
    latest = now_rows.iloc[-1]
    year = str(latest["academic_year"])
    same = data[data["point"] == latest["point"]].reset_index(drop=True)
    now_rows = now_rows.assign(_when=[day_month(c) for c in now_rows["cutoff"]])
    same = same.assign(_when=same["academic_year"])
    area_name = str(points["area_name"].iloc[0])
    words = attendance_ytd_words(
        now_rows,
        same,
        area_name=area_name,
        label=label,
        unit=unit,
        decimals=decimals,
        title=title,
        source=source,
    )

    with house_style():
        fig = new_figure(height=5.8)
        axes = fig.subplots(2, 1, sharey=True)
        values: list[float] = []
        panels = (
            (
                axes[0],
                now_rows,
                [f"to {day_month(c, year=False)}" for c in now_rows["cutoff"]],
                f"{year}, year to date at each quarter's end",
            ),
            (
                axes[1],
                same,
                [
                    f"{y}\nto {day_month(c, year=False)}"
                    for y, c in zip(same["academic_year"], same["cutoff"])
                ],
                f"At the same point of each year ({POINT_WORDS.get(int(latest['point']), '')})",
            ),
        )
        placed_later = []  # each panel's labels, placed once the layout is fixed
        for ax, rows, ticks, heading in panels:
            xs = np.arange(len(rows), dtype=float)
            labels: list[LineLabel] = []
            for role, column, name in (
                ("england", "england_value", "England"),
                ("neighbours", "sn_mean", "Neighbours' mean"),
                ("area", "value", area_name),
            ):
                ys = rows[column].astype("float64").to_numpy()
                if not np.isfinite(ys).any():
                    continue
                ax.plot(xs, ys, gid=f"{role}", label=role, **SERIES_STYLE[role])
                values.extend(ys[np.isfinite(ys)])
                last = int(np.flatnonzero(np.isfinite(ys))[-1])
                labels.append(
                    (
                        xs[last],
                        ys[last],
                        f"{name} {fmt(ys[last], unit, decimals)}",
                        SERIES_STYLE[role]["color"],
                    )
                )
            ax.set_xticks(xs)
            ax.set_xticklabels(ticks)
            ax.set_xlim(-0.35, max(len(rows) - 0.65, 0.35))
            ax.tick_params(axis="x", labelsize=TYPE["tick"])
            ax.grid(axis="x", visible=False)
            ax.set_title(heading, loc="left", fontsize=TYPE["panel"], fontweight="bold", pad=4)
            value_axis(ax.yaxis, unit)
            placed_later.append((ax, labels))
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.15, 0.2)
        axes[0].set_ylim(lo - pad, hi + pad)
        frame_figure(
            fig,
            words.title,
            "Per cent of possible sessions" if unit == "%" else unit_subtitle(unit),
            right=1.6,
            hspace=0.55,
            bottom=0.6,
        )
        for ax, labels in placed_later:
            direct_labels(ax, labels, fontsize=TYPE["note"])
    return Chart(fig, words.alt, words.title, words.source)


def attendance_ytd_words(
    now_rows: pd.DataFrame,
    same: pd.DataFrame,
    *,
    area_name: str,
    label: str,
    unit: str,
    decimals: int,
    title: str | None = None,
    source: str | None = None,
) -> ChartText:
    """The latest year-to-date figure against the same point last year and England's
    (title); in the alt text both panels' figures; the caption names every release.

    Args:
        now_rows: the reporting year's points, oldest first, with ``_when`` ("20 December
            2024") beside the :func:`perf.attendance.quarter_points` columns.
        same: the same point of every year held, oldest first, ``_when`` its academic year.
    """
    latest = now_rows.iloc[-1]
    year = str(latest["academic_year"])
    earlier = same[same["academic_year"] < year]
    lower_label = label[:1].lower() + label[1:]
    finding = (
        f"{label} in {area_name}, year to {day_month(latest['cutoff'])}: "
        f"{fmt(latest['value'], unit, decimals)}"
    )
    if len(earlier) and pd.notna(earlier["value"].iloc[-1]) and pd.notna(latest["value"]):
        before = earlier.iloc[-1]
        a = round(float(fmt(latest["value"], "number", decimals).replace(",", "")), decimals)
        b = round(float(fmt(before["value"], "number", decimals).replace(",", "")), decimals)
        diff = round(a - b, decimals)
        finding += (
            f", the same as at this point in {before['academic_year']}"
            if not diff
            else f", {abs(diff):.{decimals}f} percentage points "
            f"{'higher' if diff > 0 else 'lower'} than at this point in "
            f"{before['academic_year']}"
        )
    if pd.notna(latest["england_value"]):
        finding += f" (England {fmt(latest['england_value'], unit, decimals)})"

    def series_text(rows: pd.DataFrame, column: str, when: str) -> str:
        return ", ".join(
            f"{fmt(v, unit, decimals)} {when} {w}"
            for v, w in zip(rows[column], rows["_when"])
            if pd.notna(v)
        )

    alt = (
        f"Two line charts. {finding}. Top: {lower_label} in {area_name} in {year}, year to "
        f"date at each quarter's end: {series_text(now_rows, 'value', 'to')}; England "
        f"{series_text(now_rows, 'england_value', 'to')}; statistical-neighbour mean "
        f"{series_text(now_rows, 'sn_mean', 'to')}. Bottom: at the same point of each year "
        f"(year to {day_month(latest['cutoff'], year=False)} or the nearest release): "
        f"{area_name} {series_text(same, 'value', 'in')}; England "
        f"{series_text(same, 'england_value', 'in')}; statistical-neighbour mean "
        f"{series_text(same, 'sn_mean', 'in')}."
    )
    src = source if source else release_caption(pd.concat([now_rows, same]), "year-to-date figures")
    src = src if src.lower().startswith("source") else f"Source: {src}"
    return ChartText(title or finding, alt, src)
