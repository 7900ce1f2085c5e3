"""The spine chart for a one-page "At a glance" (as Fingertips draws them): one row per
indicator, the council's figure against the range of every English council, England's
figure on the centre line.

Each row's bar runs from the worst council (left) to the best (right); the darker box is
the middle half (25th to 75th percentile). Each half of the bar is scaled on its own, so
England sits on the centre line whatever its value (Fingertips' layout). An indicator with
no better or worse (polarity ``neither``) runs from the lowest to the highest. The council's
marker is shaped *and* coloured by its comparison with England, and the word is written
beside it, so nothing is said by colour alone: better (circle, dark blue), similar
(diamond, grey), worse (square, orange), not compared (open circle). Every colour is the
palette's, 3:1 or more against white for graphics and text in ink.

The layout is built once, as a list of shapes, and drawn twice: as inline SVG for the page
(crisp in print, a few kilobytes) and as a PNG for the Word file (:mod:`perf.render.docx`
puts ``<img>`` data URIs in Word as pictures; it cannot read inline SVG). Both are 16 cm
wide, an A4 page's text; 25 rows with one-line titles are about 15 cm tall.

The input is a tidy frame, one row per indicator, in the order shown:

============  =====================================================================
column        meaning
============  =====================================================================
indicator     the catalogue id
title         the indicator's name as the row shows it
value         the council's figure (NaN: none; the row says "No figure")
england       England's figure (the centre line); NaN: no centre line for the row
worst, best   the worst and best council's figure (for polarity ``neither``: the
              lowest and highest); oriented by the caller, so ``worst`` may be larger
q1, q3        the 25th and 75th percentiles of the councils' figures
polarity      ``high``, ``low`` or ``neither``
comparison    ``better``, ``similar``, ``worse`` or ``not compared`` (with England)
unit          optional: the unit for formatting (default ``number``)
decimals      optional: decimals shown (default 1)
============  =====================================================================

Examples:
    >>> frame = pd.DataFrame({"indicator": ["a"], "title": ["Timeliness"], "value": [82.0],
    ...     "england": [80.0], "worst": [60.0], "q1": [75.0], "q3": [85.0], "best": [95.0],
    ...     "polarity": ["high"], "comparison": ["better"], "unit": ["%"]})
    >>> chart = spine_chart(frame, area_name="Dudley", title="Dudley at a glance")
    >>> chart.alt
    'Spine chart of 1 indicator for Dudley against every English council: 1 better than England.'
    >>> html = chart.html()
    >>> "<svg" in html and '<table class="perf-spine-facts"' in html
    True
"""

from __future__ import annotations

import base64
import html as html_lib
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from perf._numbers import plural
from perf.charts.draw import house_style
from perf.charts.output import FIGURE_STYLE, Chart, chart_png
from perf.charts.shapes import Shape, draw_shape, svg_shape
from perf.charts.spine_layout import (
    COMPARISON_STYLE,
    HEAD,
    LEGEND,
    LINE,
    ROW,
    WIDTH,
    header,
    legend,
    row_shapes,
)
from perf.charts.style import PNG_DPI
from perf.charts.text import fmt
from perf.errors import MissingColumnError, NoDataToChart, PerfError

__all__ = ["COLUMNS", "SpineChart", "spine_chart"]

_WRAP = 34  # characters of a title per line at 11 px

#: The columns the input frame must have (``unit`` and ``decimals`` are optional).
COLUMNS = (
    "indicator",
    "title",
    "value",
    "england",
    "worst",
    "q1",
    "q3",
    "best",
    "polarity",
    "comparison",
)


@dataclass(frozen=True)
class SpineChart:
    """A finished spine chart: its shapes, the facts behind them and its words."""

    shapes: tuple[Shape, ...]
    height: float
    facts: pd.DataFrame
    title: str
    alt: str
    source: str
    area_name: str

    def svg(self) -> str:
        """The chart as an inline ``<svg>`` (``role="img"``, named by :attr:`alt`)."""
        body = "".join(svg_shape(s) for s in self.shapes)
        alt = html_lib.escape(self.alt, quote=True)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{alt}" '
            f'viewBox="0 0 {WIDTH} {self.height:g}" width="{WIDTH}" height="{self.height:g}" '
            'style="display:block;width:100%;max-width:16cm;height:auto;" '
            f'font-family="Arial, Helvetica, sans-serif"><title>{alt}</title>{body}</svg>'
        )

    def png(self, dpi: int = PNG_DPI) -> bytes:
        """The same chart as PNG bytes (for Word), drawn with matplotlib from the same shapes."""
        with house_style():
            figure = Figure(figsize=(WIDTH / 96, self.height / 96))
            ax = figure.add_axes((0, 0, 1, 1))
            ax.set_xlim(0, WIDTH)
            ax.set_ylim(self.height, 0)
            ax.axis("off")
            for shape in self.shapes:
                draw_shape(ax, shape)
        return chart_png(Chart(figure, self.alt, self.title, self.source), dpi)

    def table_html(self) -> str:
        """The facts as a table that screen readers reach and the eye does not."""
        head = (
            "Indicator",
            self.area_name,
            "England",
            "Worst (or lowest)",
            "25th percentile",
            "75th percentile",
            "Best (or highest)",
            "Compared with England",
        )
        esc = html_lib.escape
        rows = "".join(
            "<tr>"
            + f'<th scope="row">{esc(str(r["title"]))}</th>'
            + "".join(f"<td>{esc(r[c])}</td>" for c in list(self.facts.columns)[1:])
            + "</tr>"
            for r in self.facts.to_dict("records")
        )
        return (
            '<table class="perf-spine-facts" style="position:absolute;width:1px;height:1px;'
            'overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;">'
            f"<caption>{esc(self.title)}</caption><thead><tr>"
            + "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
            + f"</tr></thead><tbody>{rows}</tbody></table>"
        )

    def html(self, *, raster: bool = False) -> str:
        """A ``<figure>``: the inline SVG (or, ``raster=True``, the PNG as an ``<img>``, which
        the Word file can hold), the facts as a visually hidden table, and a caption."""
        esc = html_lib.escape
        if raster:
            encoded = base64.b64encode(self.png()).decode("ascii")
            picture = (
                f'<img src="data:image/png;base64,{encoded}" alt="{esc(self.alt, quote=True)}" '
                f'width="{WIDTH}" height="{round(self.height)}" '
                'style="display:block;width:100%;max-width:16cm;height:auto;">'
            )
        else:
            picture = self.svg()
        return (
            f'<figure class="perf-chart perf-spine" style="{FIGURE_STYLE}position:relative;">'
            f"{picture}{self.table_html()}"
            f"<figcaption>{esc(self.title.rstrip('.'))}. {esc(_HOW_TO_READ)} "
            f"<small>{esc(self.source)}</small></figcaption></figure>"
        )

    def _repr_html_(self) -> str:
        return self.html()


_HOW_TO_READ = (
    "Each bar runs from the worst council (left) to the best (right), or from the lowest to "
    "the highest where neither is better; the darker box is the middle half of councils; the "
    "vertical line is England. The marker's shape and the word beside it say how the council "
    "compares with England."
)


def spine_chart(
    frame: pd.DataFrame,
    *,
    area_name: str,
    title: str | None = None,
    source: str = "Source: not stated",
) -> SpineChart:
    """The spine chart of ``frame`` (one row per indicator; columns in the module's table).

    Raises:
        MissingColumnError: a required column is absent.
        PerfError: a comparison that is not better, similar, worse or not compared.
        NoDataToChart: no rows.
    """
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise MissingColumnError(
            f"a spine chart's frame lacks {', '.join(missing)}",
            hint="See perf.charts.spine for the columns.",
        )
    if frame.empty:
        raise NoDataToChart(f"no indicators for {area_name}'s spine chart")
    rows = frame.reset_index(drop=True)
    comparisons = [_comparison(c, i) for i, c in enumerate(rows["comparison"])]
    shapes: list[Shape] = list(header(area_name))
    facts = []
    y = float(HEAD)
    for i, row in rows.iterrows():
        unit = str(row["unit"]) if "unit" in rows and pd.notna(row["unit"]) else "number"
        decimals = int(row["decimals"]) if "decimals" in rows and pd.notna(row["decimals"]) else 1

        def shown(v: Any, unit: str = unit, decimals: int = decimals) -> str:
            return fmt(v, unit, decimals) if pd.notna(v) else "No figure"

        lines = textwrap.wrap(str(row["title"]), _WRAP) or [""]
        height = ROW + LINE * (len(lines) - 1)
        shapes += row_shapes(row, comparisons[i], lines, y, height, shown)
        facts.append(
            {
                "title": str(row["title"]),
                "value": shown(row["value"]),
                "england": shown(row["england"]),
                "worst": shown(row["worst"]),
                "q1": shown(row["q1"]),
                "q3": shown(row["q3"]),
                "best": shown(row["best"]),
                "comparison": COMPARISON_STYLE[comparisons[i]]["word"],
            }
        )
        y += height
    shapes += legend(y + 8)
    counts = pd.Series(comparisons).value_counts()
    said = [
        f"{counts[c]} {w}"
        for c, w in (
            ("better", "better than England"),
            ("similar", "similar to England"),
            ("worse", "worse than England"),
            ("not compared", "not compared"),
        )
        if c in counts
    ]
    alt = (
        f"Spine chart of {len(rows)} {plural('indicator', len(rows))} for {area_name} against "
        f"every English council: {', '.join(said)}."
    )
    return SpineChart(
        tuple(shapes),
        y + 8 + LEGEND,
        pd.DataFrame(facts),
        title or f"{area_name} at a glance: {', '.join(said)}",
        alt,
        source if source.lower().startswith("source") else f"Source: {source}",
        area_name,
    )


def _comparison(value: Any, row: int) -> str:
    word = (
        "not compared"
        if value is None or (isinstance(value, float) and np.isnan(value))
        else str(value).strip().lower()
    )
    if word not in COMPARISON_STYLE:
        raise PerfError(
            "a spine chart's comparison must be better, similar, worse or not compared",
            row=row + 1,
            column="comparison",
            value=value,
        )
    return word
