"""Shapes drawn twice: as SVG text and on matplotlib axes, from one list.

A chart whose layout is simple geometry (the spine chart) builds it once as :class:`Shape`
values, in CSS pixels with y downwards, and gets both an inline SVG for the page and a PNG
for Word from it, the two drawing the same thing.

Examples:
    >>> svg_shape(Shape("circle", (10, 5, 4), fill="#12436D", stroke="#0b0c0c", width=1))
    '<circle cx="10.00" cy="5.00" r="4" fill="#12436D" stroke="#0b0c0c" stroke-width="1"/>'
    >>> svg_shape(Shape("text", (0, 11), fill="#0b0c0c", text="A & B", bold=True))
    '<text x="0.00" y="11.00" font-size="11" text-anchor="start" fill="#0b0c0c" font-weight="bold">A &amp; B</text>'
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass
from typing import Any

from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Polygon, Rectangle

__all__ = ["Shape", "draw_shape", "svg_shape"]

#: Body text size, px.
FONT = 11


@dataclass(frozen=True)
class Shape:
    """One thing drawn: ``kind`` rect, line, circle, diamond, square or text; ``at`` its
    numbers (x, y, width, height / x1, y1, x2, y2 / cx, cy, r); text, size, anchor, bold."""

    kind: str
    at: tuple[float, ...]
    fill: str = "none"
    stroke: str = "none"
    width: float = 0.0
    text: str = ""
    size: float = FONT
    anchor: str = "start"
    bold: bool = False


def _points(shape: Shape) -> list[tuple[float, float]]:
    cx, cy, r = shape.at
    if shape.kind == "diamond":
        r *= 1.25
        return [(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)]
    r *= 0.9
    return [(cx - r, cy - r), (cx + r, cy - r), (cx + r, cy + r), (cx - r, cy + r)]


def svg_shape(s: Shape) -> str:
    """The shape as an SVG element."""
    paint = f'fill="{s.fill}" stroke="{s.stroke}"' + (
        f' stroke-width="{s.width:g}"' if s.width else ""
    )
    if s.kind == "rect":
        x, y, w, h = s.at
        return f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" {paint}/>'
    if s.kind == "line":
        x1, y1, x2, y2 = s.at
        return f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" {paint}/>'
    if s.kind == "circle":
        cx, cy, r = s.at
        return f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:g}" {paint}/>'
    if s.kind in ("diamond", "square"):
        points = " ".join(f"{px:.2f},{py:.2f}" for px, py in _points(s))
        return f'<polygon points="{points}" {paint}/>'
    x, y = s.at
    weight = ' font-weight="bold"' if s.bold else ""
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-size="{s.size:g}" text-anchor="{s.anchor}" '
        f'fill="{s.fill}"{weight}>{html_lib.escape(s.text)}</text>'
    )


def draw_shape(ax: Any, s: Shape) -> None:
    """One shape on matplotlib axes whose data units are the SVG's pixels (y downwards).

    The axes' limits must be set first: a patch is added as an artist (``add_artist``), which
    leaves the data limits alone, where ``add_patch`` measures every path to widen them (a
    third of the spine chart's drawing, for limits that are already fixed)."""
    line = s.width * 0.75  # px to points
    edge = s.stroke if s.stroke != "none" else "none"
    face = s.fill if s.fill != "none" else "none"
    if s.kind == "rect":
        x, y, w, h = s.at
        ax.add_artist(Rectangle((x, y), w, h, facecolor=face, edgecolor=edge, linewidth=line))
    elif s.kind == "line":
        x1, y1, x2, y2 = s.at
        # the Line2D ax.plot would make (no colour cycle is taken: the colour is given),
        # without plot's argument parsing and data-limit updates (the limits are fixed)
        ax.add_artist(
            Line2D([x1, x2], [y1, y2], color=s.stroke, linewidth=line, solid_capstyle="butt")
        )
    elif s.kind == "circle":
        cx, cy, r = s.at
        ax.add_artist(Circle((cx, cy), r, facecolor=face, edgecolor=edge, linewidth=line, zorder=3))
    elif s.kind in ("diamond", "square"):
        ax.add_artist(Polygon(_points(s), facecolor=face, edgecolor=edge, linewidth=line, zorder=3))
    else:
        x, y = s.at
        ax.text(
            x,
            y,
            s.text,
            fontsize=s.size * 0.75,
            ha={"start": "left", "end": "right", "middle": "center"}[s.anchor],
            va="baseline",
            color=s.fill,
            fontweight="bold" if s.bold else "normal",
        )
