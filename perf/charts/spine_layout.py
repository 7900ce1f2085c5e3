"""The spine chart's geometry (:mod:`perf.charts.spine`): where each row's bar, box, England
line and marker go, the header and the key, as :class:`perf.charts.shapes.Shape` values in
CSS pixels of a 16 cm wide figure (96 px to the inch), y downwards.

Examples:
    >>> position(80, 60, 80, 95), position(60, 60, 80, 95), position(95, 60, 80, 95)
    (0.5, 0.0, 1.0)
    >>> [s.text for s in header("Dudley") if s.kind == "text"][:3]
    ['Indicator', 'Dudley', 'England']
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd

from perf.charts.shapes import FONT, Shape
from perf.charts.style import (
    AF_FOCUS_GREY,
    BACKGROUND,
    NEUTRAL,
    PALETTE,
    PANEL,
    SECONDARY_TEXT,
    TEXT,
    text_colour,
)

__all__ = [
    "COMPARISON_STYLE",
    "HEAD",
    "LEGEND",
    "LINE",
    "ROW",
    "WIDTH",
    "header",
    "legend",
    "position",
    "row_shapes",
]

#: Each comparison's marker (shape, fill) and word; the shape and the word carry the meaning.
COMPARISON_STYLE: dict[str, dict[str, str]] = {
    "better": {"shape": "circle", "fill": PALETTE["area"], "word": "Better"},
    "similar": {"shape": "diamond", "fill": NEUTRAL, "word": "Similar"},
    "worse": {"shape": "square", "fill": PALETTE["england"], "word": "Worse"},
    "not compared": {"shape": "circle", "fill": BACKGROUND, "word": "Not compared"},
}

# the layout, in CSS pixels of a 16 cm wide figure (96 px to the inch)
WIDTH = 605
_VALUE_RIGHT, _ENGLAND_RIGHT = 262, 322
_SPINE_LEFT, _SPINE_RIGHT = 334, 516
_WORD_LEFT = 524
HEAD, LINE, ROW, LEGEND = 36, 12, 22, 44


def position(v: float, worst: float, england: float, best: float) -> float | None:
    """Where ``v`` sits on a row's bar, 0 (worst) to 1 (best), England at 0.5: each half
    scaled on its own. Without England, worst to best in a straight line; None without a
    figure or a range.

    >>> position(80, 60, 80, 95), position(60, 60, 80, 95), position(95, 60, 80, 95)
    (0.5, 0.0, 1.0)
    >>> position(70, 90, 80, 40)  # lower is better: worst 90, best 40
    0.625
    """
    if any(pd.isna(x) for x in (v, worst, best)):
        return None
    if pd.isna(england):
        return float(np.clip((v - worst) / (best - worst), 0, 1)) if best != worst else 0.5
    worst_side = (v - england) * (worst - england) > 0
    span = (worst - england) if worst_side else (best - england)
    if span == 0:
        return 0.5
    offset = 0.5 * (v - england) / span
    return float(np.clip(0.5 - offset if worst_side else 0.5 + offset, 0, 1))


def _x(fraction: float) -> float:
    return _SPINE_LEFT + (_SPINE_RIGHT - _SPINE_LEFT) * fraction


def header(area_name: str) -> list[Shape]:
    small = FONT - 1
    top = HEAD - 22
    name = textwrap.wrap(area_name, 11)
    name = name if len(name) <= 2 else ["Council"]
    return [
        Shape("text", (0, HEAD - 8), fill=TEXT, text="Indicator", size=small, bold=True),
        *(
            Shape("text", (_VALUE_RIGHT, y), fill=TEXT, text=t, size=small, anchor="end", bold=True)
            for y, t in zip((HEAD - 8, top)[: len(name)], reversed(name))
        ),
        Shape(
            "text",
            (_ENGLAND_RIGHT, HEAD - 8),
            fill=TEXT,
            text="England",
            size=small,
            anchor="end",
            bold=True,
        ),
        Shape("text", (_SPINE_LEFT, top), fill=TEXT, text="Worst", size=small, bold=True),
        Shape("text", (_SPINE_LEFT, HEAD - 8), fill=SECONDARY_TEXT, text="(or lowest)", size=small),
        Shape(
            "text", (_SPINE_RIGHT, top), fill=TEXT, text="Best", size=small, anchor="end", bold=True
        ),
        Shape(
            "text",
            (_SPINE_RIGHT, HEAD - 8),
            fill=SECONDARY_TEXT,
            text="(or highest)",
            size=small,
            anchor="end",
        ),
        Shape("text", (_WORD_LEFT, HEAD - 8), fill=TEXT, text="England", size=small, bold=True),
        Shape("text", (_WORD_LEFT, top), fill=TEXT, text="Against", size=small, bold=True),
        Shape("line", (0, HEAD - 2, WIDTH, HEAD - 2), stroke=SECONDARY_TEXT, width=0.75),
    ]


def _marker(kind: str, cx: float, cy: float, fill: str) -> Shape:
    return Shape(kind, (cx, cy, 5.0), fill=fill, stroke=TEXT, width=1.0)


def row_shapes(
    row: pd.Series, comparison: str, lines: list[str], y: float, height: float, shown
) -> list[Shape]:
    style = COMPARISON_STYLE[comparison]
    mid = y + height / 2
    baseline = mid + 4  # 11 px text centred on the row
    first = baseline - LINE * (len(lines) - 1) / 2
    out = [
        Shape("text", (0, first + LINE * k), fill=TEXT, text=line) for k, line in enumerate(lines)
    ]
    out += [
        Shape(
            "text",
            (_VALUE_RIGHT, baseline),
            fill=TEXT,
            text=shown(row["value"]),
            anchor="end",
            bold=True,
        ),
        Shape(
            "text", (_ENGLAND_RIGHT, baseline), fill=TEXT, text=shown(row["england"]), anchor="end"
        ),
    ]
    ends = [
        position(row[c], row["worst"], row["england"], row["best"])
        for c in ("worst", "best", "q1", "q3")
    ]
    if ends[0] is not None and ends[1] is not None:
        out.append(
            Shape(
                "rect",
                (_x(ends[0]), mid - 5, _x(ends[1]) - _x(ends[0]), 10),
                fill=PANEL,
                stroke=SECONDARY_TEXT,
                width=0.75,
            )
        )
    if ends[2] is not None and ends[3] is not None:
        left, right = sorted((_x(ends[2]), _x(ends[3])))
        out.append(
            Shape(
                "rect",
                (left, mid - 5, right - left, 10),
                fill=AF_FOCUS_GREY,
                stroke=SECONDARY_TEXT,
                width=0.75,
            )
        )
    if pd.notna(row["england"]):
        out.append(Shape("line", (_x(0.5), y + 2, _x(0.5), y + height - 2), stroke=TEXT, width=1.5))
    at = position(row["value"], row["worst"], row["england"], row["best"])
    if at is not None:
        out.append(_marker(style["shape"], _x(at), mid, style["fill"]))
    out.append(
        Shape(
            "text",
            (_WORD_LEFT, baseline),
            fill=text_colour(style["fill"]) if comparison != "not compared" else TEXT,
            text=style["word"],
            size=FONT - 1,
        )
    )
    out.append(Shape("line", (0, y + height, WIDTH, y + height), stroke=PANEL, width=0.75))
    return out


def legend(top: float) -> list[Shape]:
    out = []
    x = 0.0
    for key in ("better", "similar", "worse", "not compared"):
        style = COMPARISON_STYLE[key]
        out.append(_marker(style["shape"], x + 6, top + 8, style["fill"]))
        word = f"{style['word']}{' than' if key in ('better', 'worse') else ' to' if key == 'similar' else ''} England".replace(
            "Not compared England", "Not compared"
        )
        out.append(Shape("text", (x + 16, top + 12), fill=TEXT, text=word, size=FONT - 1))
        x += 130
    out += [
        Shape("rect", (0, top + 24, 30, 10), fill=PANEL, stroke=SECONDARY_TEXT, width=0.75),
        Shape("text", (36, top + 33), fill=TEXT, text="Range of English councils", size=FONT - 1),
        Shape(
            "rect", (190, top + 24, 30, 10), fill=AF_FOCUS_GREY, stroke=SECONDARY_TEXT, width=0.75
        ),
        Shape(
            "text",
            (226, top + 33),
            fill=TEXT,
            text="Middle half (25th to 75th percentile)",
            size=FONT - 1,
        ),
        Shape("line", (440, top + 22, 440, top + 36), stroke=TEXT, width=1.5),
        Shape("text", (448, top + 33), fill=TEXT, text="England", size=FONT - 1),
    ]
    return out
