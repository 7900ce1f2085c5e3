"""Charts for the committee report, in one house style.

The style follows the UK Government Analysis Function guidance on data visualisation
through the ``afcharts`` package (its matplotlib style sheet and colour palettes), with
``perf/style/perf.mplstyle`` on top for printed A4 papers. Every chart:

* has a title that states the finding ("... fell from 85 at 31 March 2022 to 81 ..."),
  generated from the data unless the caller gives one;
* names its source under the chart;
* labels lines directly at their ends instead of using a legend;
* tells series apart by line style and marker as well as colour, so it reads in
  greyscale; lines have at least 3:1 contrast against white and coloured text 4.5:1;
* comes back as a :class:`Chart` holding the figure, alt text written from the data, the
  title and the source. :func:`figure_to_html` turns it into a ``<figure>`` whose PNG is
  embedded and byte-for-byte reproducible;
* raises :class:`perf.errors.NoDataToChart` when it has too little to draw, and nothing
  else on purpose: the report turns that one error into a sentence.

The package, bottom up (imports go one way; ``make lint`` checks it):

=====================  ==================================================================
``style``              every colour perf uses (charts, page, Word, tables, matrix), the
                       type scale, sizes and contrast; no matplotlib
``text``               the words charts share: figures, dates, source lines, tick labels
``data``               what charts select from frames: series, comparators, targets
``draw``               shared matplotlib pieces: house style, margins, axes, direct labels
``output``             :class:`Chart`, PNG bytes, the HTML ``<figure>``, saving
one module per kind    ``trend``, ``neet_gap``, ``attendance``, ``spc``, ``benchmark``,
                       ``quarter_comparison``, ``funnel``, ``attendance_ytd``; each holds
                       its chart function and a pure ``<kind>_words`` (title, alt text,
                       source) tested without drawing
``attendance_weekly``  the SPC chart for weekly attendance (built on ``spc``)
``sparkline``          a tiny inline SVG of an indicator's recent figures (no matplotlib)
``spine``              the "at a glance" spine chart, inline SVG (and PNG for Word)
=====================  ==================================================================

A new chart kind is a new module beside the others, listed in pyproject's contract for
``perf.charts`` and exported below.

Each name loads on first use: the palette (``perf.charts.style``) is imported by the HTML
export in a batch's parent process, and by :mod:`perf.tables`, which the chart kinds import
(:func:`perf.tables.format_value`); loading every kind (and matplotlib) with it would cost
the parent its start-up and tie the two modules in a loop. Figures are built with
:class:`matplotlib.figure.Figure` directly, never through pyplot; inputs are never modified.

Examples:
    >>> import perf.charts
    >>> perf.charts.trend_chart is perf.charts.trend.trend_chart
    True
    >>> perf.charts.PALETTE["area"]
    '#12436D'
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING

_EXPORTS = {
    "DIRECTION_STYLE": "perf.charts.style",
    "MAX_HEIGHT_IN": "perf.charts.style",
    "MAX_WIDTH_IN": "perf.charts.style",
    "PALETTE": "perf.charts.style",
    "PNG_DPI": "perf.charts.style",
    "SECONDARY_TEXT": "perf.charts.style",
    "SERIES_STYLE": "perf.charts.style",
    "TEXT": "perf.charts.style",
    "contrast_ratio": "perf.charts.style",
    "AF_STYLE": "perf.charts.draw",
    "PERF_STYLE": "perf.charts.draw",
    "house_style": "perf.charts.draw",
    "Chart": "perf.charts.output",
    "chart_png": "perf.charts.output",
    "figure_to_html": "perf.charts.output",
    "NoDataToChart": "perf.errors",
    "trend_chart": "perf.charts.trend",
    "neet_gap_chart": "perf.charts.neet_gap",
    "attendance_chart": "perf.charts.attendance",
    "spc_chart": "perf.charts.spc",
    "benchmark_chart": "perf.charts.benchmark",
    "quarter_comparison_chart": "perf.charts.quarter_comparison",
    "funnel_chart": "perf.charts.funnel",
    "attendance_ytd_chart": "perf.charts.attendance_ytd",
    "attendance_weekly_chart": "perf.charts.attendance_weekly",
    "sparkline_svg": "perf.charts.sparkline",
    "spine_chart": "perf.charts.spine",
    "SpineChart": "perf.charts.spine",
}

__all__ = [
    "AF_STYLE",
    "Chart",
    "DIRECTION_STYLE",
    "MAX_HEIGHT_IN",
    "MAX_WIDTH_IN",
    "NoDataToChart",
    "PALETTE",
    "PERF_STYLE",
    "PNG_DPI",
    "SECONDARY_TEXT",
    "SERIES_STYLE",
    "SpineChart",
    "TEXT",
    "attendance_chart",
    "attendance_weekly_chart",
    "attendance_ytd_chart",
    "benchmark_chart",
    "chart_png",
    "contrast_ratio",
    "figure_to_html",
    "funnel_chart",
    "house_style",
    "neet_gap_chart",
    "quarter_comparison_chart",
    "sparkline_svg",
    "spc_chart",
    "spine_chart",
    "trend_chart",
]  # = sorted(_EXPORTS), written out for linters

if TYPE_CHECKING:  # what a type checker and an IDE see; at run time __getattr__ loads them
    from perf.charts.attendance import attendance_chart
    from perf.charts.attendance_weekly import attendance_weekly_chart
    from perf.charts.attendance_ytd import attendance_ytd_chart
    from perf.charts.benchmark import benchmark_chart
    from perf.charts.draw import AF_STYLE, PERF_STYLE, house_style
    from perf.charts.funnel import funnel_chart
    from perf.charts.neet_gap import neet_gap_chart
    from perf.charts.output import Chart, chart_png, figure_to_html
    from perf.charts.quarter_comparison import quarter_comparison_chart
    from perf.charts.sparkline import sparkline_svg
    from perf.charts.spc import spc_chart
    from perf.charts.spine import SpineChart, spine_chart
    from perf.charts.style import (
        DIRECTION_STYLE,
        MAX_HEIGHT_IN,
        MAX_WIDTH_IN,
        PALETTE,
        PNG_DPI,
        SECONDARY_TEXT,
        SERIES_STYLE,
        TEXT,
        contrast_ratio,
    )
    from perf.charts.trend import trend_chart
    from perf.errors import NoDataToChart


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perf.charts' has no attribute {name!r}")
    # lazy: see the module's docstring (the palette alone must not load every chart kind)
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(__all__) | {k for k in globals() if not k.startswith("_")})
