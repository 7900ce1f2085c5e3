"""The house style in one place: every colour perf uses, the chart type scale and sizes.

Charts (:mod:`perf.charts`), the HTML page (``perf/style/report.css`` and
:mod:`perf.render.html`), the Word file (:mod:`perf.render.docx`), tables
(:mod:`perf.tables`), the performance matrix (:mod:`perf.report.matrix`) and the collection
workbook (:mod:`perf.collection`) take their colours from here; ``tests/test_charts_style.py``
checks that the stylesheets use no colour this module does not name.

The chart colours are the UK Government Analysis Function's (``afcharts``) categorical and
focus palettes, written out so that reading the palette needs neither afcharts nor
matplotlib (the HTML export imports this module in the parent process of a batch); a test
checks they equal afcharts' own. Page colours follow the GOV.UK Design System's.

Pure Python, no matplotlib: the drawing settings (``house_style``) are in
:mod:`perf.charts.draw`.

Examples:
    >>> PALETTE["area"], round(contrast_ratio(PALETTE["area"]), 1)
    ('#12436D', 10.2)
    >>> rgb("#12436d"), bare_hex(ACCENT)
    ((18, 67, 109), '12436D')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = [
    "ACCENT",
    "AF_CATEGORICAL",
    "AF_FOCUS_GREY",
    "BACKGROUND",
    "CONTEXT_EDGE",
    "DIRECTION_STYLE",
    "FOCUS",
    "GRID",
    "LINK",
    "MAX_HEIGHT_IN",
    "MAX_WIDTH_IN",
    "MUTED",
    "NEUTRAL",
    "PALETTE",
    "PANEL",
    "PNG_DPI",
    "PREFILLED",
    "RULE",
    "SECONDARY_TEXT",
    "SERIES_STYLE",
    "STYLE_DIR",
    "TEXT",
    "TYPE",
    "WARNING",
    "bare_hex",
    "contrast_ratio",
    "rgb",
    "text_colour",
]

#: perf's style files: ``perf.mplstyle`` (charts, on top of afcharts') and ``report.css``
#: (the page's one stylesheet, read by :mod:`perf.render.html`).
STYLE_DIR = Path(__file__).parent.parent / "style"

#: afcharts' categorical palette, in its order: dark blue, turquoise, dark pink, orange,
#: dark grey, plum (``get_af_colours("categorical")``).
AF_CATEGORICAL: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: afcharts' "focus" palette's context grey (``get_af_colours("focus")[1]``).
AF_FOCUS_GREY = "#BFBFBF"

# --- text and page colours (GOV.UK) ---------------------------------------------------------
#: Body text, chart text and table text: 19.0:1 on white.
TEXT = "#0b0c0c"
#: Chart subtitles, axes and tick marks: 7.0:1 on white.
SECONDARY_TEXT = "#505a5f"
#: The page's quieter text: captions, the provenance footer, running header and footer.
MUTED = "#484949"
#: Table rules, the page's dividers and the ranked chart's quartile dividers.
RULE = "#b1b4b6"
#: Light panels: table headers, notices, the contents box, shaded quartile bands.
PANEL = "#f3f2f1"
#: Gridlines and the collection workbook's header row.
GRID = "#d9d9d9"
#: The collection workbook's prefilled (not for entry) cells.
PREFILLED = "#f2f2f2"
#: Links.
LINK = "#1d70b8"
#: Headings and rules: the AF dark blue.
ACCENT = "#12436d"
#: Keyboard focus and the skip link (GOV.UK yellow; the stylesheet writes it ``#fd0``).
FOCUS = "#ffdd00"
#: A warning notice's rule.
WARNING = "#d4351c"
#: The page and a chart's background.
BACKGROUND = "#ffffff"
#: A direction of travel that is neither better nor worse: 5.0:1 on white.
NEUTRAL = "#707070"
#: The outline of every other council's dot on a funnel plot.
CONTEXT_EDGE = "#6f777b"

#: Colours by role in a chart, from the Analysis Function palettes.
PALETTE: dict[str, str] = {
    "area": AF_CATEGORICAL[0],  # dark blue: the reporting council, always the strongest
    "england": AF_CATEGORICAL[3],  # orange
    "region": AF_CATEGORICAL[2],  # dark pink
    "neighbours": AF_CATEGORICAL[1],  # turquoise
    "target": AF_CATEGORICAL[4],  # dark grey
    "context": AF_FOCUS_GREY,  # every other council
    "band": PANEL,
}

#: Line style and marker for each role: distinguishable with the colour removed.
SERIES_STYLE: dict[str, dict[str, Any]] = {
    "area": {
        "color": PALETTE["area"],
        "linestyle": "-",
        "marker": "o",
        "linewidth": 2.6,
        "zorder": 5,
    },
    "england": {
        "color": PALETTE["england"],
        "linestyle": "--",
        "marker": "s",
        "linewidth": 1.8,
        "zorder": 4,
    },
    "region": {
        "color": PALETTE["region"],
        "linestyle": "-.",
        "marker": "^",
        "linewidth": 1.8,
        "zorder": 3,
    },
    "neighbours": {
        "color": PALETTE["neighbours"],
        "linestyle": ":",
        "marker": "D",
        "linewidth": 2.0,
        "markersize": 4.5,
        "zorder": 3,
    },
    "target": {
        "color": PALETTE["target"],
        "linestyle": (0, (6, 3)),
        "marker": None,
        "linewidth": 1.2,
        "zorder": 2,
    },
}

#: Direction of travel: colour and line style; the words are :data:`perf.compare.DIRECTION_WORDS`
#: (no arrows: an upward arrow beside a falling rate that improved contradicts the figure).
DIRECTION_STYLE: dict[str, dict[str, Any]] = {
    "improving": {"color": PALETTE["area"], "linestyle": "-"},
    "worsening": {"color": PALETTE["region"], "linestyle": "--"},
    "no change": {"color": NEUTRAL, "linestyle": ":"},
    "no polarity": {"color": NEUTRAL, "linestyle": "-."},
    "not comparable": {"color": NEUTRAL, "linestyle": ":"},
}

#: The chart type scale, in points, for a figure printed 16 cm wide (``perf.mplstyle`` sets
#: the body, 9.5, and ticks, 8.5).
TYPE: dict[str, float] = {
    "title": 11,  # the finding, bold
    "panel": 9,  # a panel's heading, a highlighted council's label, the subtitle
    "label": 8.5,  # direct labels at line ends
    "note": 8,  # smaller labels: limits, quartiles, the SPC key
    "tick": 7.5,  # crowded axes: several panels, dumbbell values
}

#: Fixed rendering settings: same data, same bytes.
PNG_DPI = 150
#: A4 portrait with 2 cm margins leaves 17 x 25.7 cm; charts stay inside that.
MAX_WIDTH_IN = 6.3
MAX_HEIGHT_IN = 9.0

_NAMED = {"white": BACKGROUND, "black": "#000000"}


def rgb(colour: str) -> tuple[int, int, int]:
    """A ``#rgb`` or ``#rrggbb`` colour (or ``white``, ``black``) as 0-255 channels.

    >>> rgb("#fd0"), rgb("white")
    ((255, 221, 0), (255, 255, 255))
    >>> rgb("blue")
    Traceback (most recent call last):
    ValueError: not a hex colour: 'blue'
    """
    text = _NAMED.get(colour.lower(), colour).lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    try:
        if len(text) != 6:
            raise ValueError
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        raise ValueError(f"not a hex colour: {colour!r}") from None


def bare_hex(colour: str) -> str:
    """``#12436d`` -> ``12436D``: the form Word's XML and Excel's fills take.

    >>> bare_hex("#fd0")
    'FFDD00'
    """
    return "".join(f"{c:02X}" for c in rgb(colour))


def _luminance(colour: str) -> float:
    lin = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in rgb(colour))
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(foreground: str, background: str = "white") -> float:
    """WCAG 2 contrast ratio between two colours (hex, ``white`` or ``black``).

    >>> round(contrast_ratio("#12436D"), 1)
    10.2
    >>> contrast_ratio("white", "white")
    1.0
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour(colour: str) -> str:
    """The series colour for its label when it passes AA for text (4.5:1), else near-black.

    >>> text_colour(PALETTE["area"]), text_colour(PALETTE["england"])
    ('#12436D', '#0b0c0c')
    """
    return colour if contrast_ratio(colour) >= 4.5 else TEXT
