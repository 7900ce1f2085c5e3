"""A sparkline: an indicator's recent figures as a tiny inline SVG (80 x 18 px on screen,
vector in print), written as plain SVG text without matplotlib, so a table of fifty
indicators costs milliseconds.

It reads without colour or sight: one line in the council's colour, the last figure marked
by a dot, a gap where a figure is missing, and an accessible name (``role="img"`` with
``aria-label`` and a ``<title>``) saying in words what it shows: the first and last figure,
the direction, which way is better, the periods without a figure. The same values give the
same bytes.

Examples:
    >>> svg = sparkline_svg([77.3, 79.0, None, 82.0], ["2021-22", "2022-23", "2023-24",
    ...     "2024-25"], polarity="high", unit="%", decimals=1, title="Timeliness")
    >>> svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    True
    >>> sparkline_name([77.3, 79.0, None, 82.0], ["2021-22", "2022-23", "2023-24", "2024-25"],
    ...     polarity="high", unit="%", decimals=1, title="")
    'Rose from 77.3% in 2021-22 to 82.0% in 2024-25 (higher is better; no figure for 2023-24)'
"""

from __future__ import annotations

import html as html_lib
import math
from collections.abc import Sequence

from perf.charts.style import PALETTE
from perf.charts.text import fmt, rise_or_fall
from perf.errors import NoDataToChart

__all__ = ["HEIGHT", "WIDTH", "sparkline_name", "sparkline_svg"]

#: The sparkline's size in CSS pixels (it scales with its box, e.g. in print).
WIDTH, HEIGHT = 80, 18
_PAD = 2.5  # room for the end dot and the stroke


def _number(value: float | None) -> float | None:
    """A finite float, or None for a missing figure (None, NaN, pandas' NA)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def sparkline_name(
    values: Sequence[float | None],
    periods: Sequence[str],
    *,
    polarity: str,
    unit: str,
    decimals: int,
    title: str = "",
) -> str:
    """What the sparkline shows, in words: its accessible name.

    Examples:
        >>> sparkline_name([5.0, 4.0], ["2023", "2024"], polarity="low", unit="count",
        ...     decimals=0, title="Complaints")
        'Complaints: fell from 5 in 2023 to 4 in 2024 (lower is better)'
        >>> sparkline_name([None, 3.0], ["2023", "2024"], polarity="neither", unit="%",
        ...     decimals=1)
        'Was 3.0% in 2024 (no figure for 2023)'
        >>> sparkline_name([3.04, 2.96], ["2023", "2024"], polarity="high", unit="%", decimals=1)
        'Was unchanged at 3.0% from 2023 to 2024 (higher is better)'

    Raises:
        NoDataToChart: no figure at all.
    """
    numbers = [_number(v) for v in values]
    shown = [(v, str(p)) for v, p in zip(numbers, periods) if v is not None]
    if not shown:
        raise NoDataToChart(f"no figures for a sparkline of {title or 'an indicator'}")
    (first, p1), (last, p2) = shown[0], shown[-1]
    if len(shown) == 1:
        words = f"was {fmt(last, unit, decimals)} in {p2}"
    else:
        move = rise_or_fall(first, last, unit, decimals)
        if move == "was unchanged at":
            words = f"was unchanged at {fmt(last, unit, decimals)} from {p1} to {p2}"
        else:
            words = f"{move} {fmt(first, unit, decimals)} in {p1} to {fmt(last, unit, decimals)} in {p2}"
    notes = {"high": ["higher is better"], "low": ["lower is better"]}.get(polarity, [])
    missing = [str(p) for v, p in zip(numbers, periods) if v is None]
    if missing:
        notes.append("no figure for " + ", ".join(missing))
    text = f"{title}: {words}" if title else words[:1].upper() + words[1:]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def sparkline_svg(
    values: Sequence[float | None],
    periods: Sequence[str],
    *,
    polarity: str,
    unit: str,
    decimals: int,
    title: str = "",
    name: str | None = None,
) -> str:
    """The sparkline as an ``<svg>`` element to put inline in HTML.

    Args:
        values: the figures, oldest first; None or NaN where there is none (a gap).
        periods: their labels, as many as ``values``.
        polarity: ``high``, ``low`` or ``neither`` (said in the name, never by colour).
        unit, decimals: how figures are written (:func:`perf.tables.format_value`).
        title: the indicator's name, put before the words.
        name: its accessible name when the caller words it (a table that names each period
            in its own words); by default :func:`sparkline_name`.

    Examples:
        >>> svg = sparkline_svg([1, 2], ["2023", "2024"], polarity="high", unit="count",
        ...     decimals=0)
        >>> 'aria-label="Rose from 1 in 2023 to 2 in 2024 (higher is better)"' in svg
        True
        >>> svg.count("<circle"), svg.count("<path")
        (1, 1)

    Raises:
        NoDataToChart: no figure at all.
        ValueError: ``values`` and ``periods`` differ in length (a caller's bug).
    """
    if len(values) != len(periods):
        raise ValueError(f"{len(values)} values but {len(periods)} periods")
    words = sparkline_name(
        values, periods, polarity=polarity, unit=unit, decimals=decimals, title=title
    )
    name = html_lib.escape(words if name is None else name, quote=True)
    numbers = [_number(v) for v in values]
    finite = [v for v in numbers if v is not None]
    low, high = min(finite), max(finite)
    n = len(numbers)

    def x(i: int) -> float:
        return _PAD + (WIDTH - 2 * _PAD) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        if high == low:
            return HEIGHT / 2
        return _PAD + (HEIGHT - 2 * _PAD) * (high - v) / (high - low)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(numbers):
        if v is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x(i), y(v)))
    colour = PALETTE["area"]
    parts = []
    path = " ".join(
        "M" + " L".join(f"{px:.2f} {py:.2f}" for px, py in run) for run in runs if len(run) > 1
    )
    if path:
        parts.append(
            f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.5" '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    last_i = max(i for i, v in enumerate(numbers) if v is not None)
    for run in runs:  # a figure between two gaps is a small dot, so it is not lost
        if len(run) == 1 and run[0] != (x(last_i), y(numbers[last_i])):  # type: ignore[arg-type]
            parts.append(
                f'<circle cx="{run[0][0]:.2f}" cy="{run[0][1]:.2f}" r="1" fill="{colour}"/>'
            )
    parts.append(
        f'<circle cx="{x(last_i):.2f}" cy="{y(numbers[last_i]):.2f}" r="2.25" '  # type: ignore[arg-type]
        f'fill="{colour}"/>'
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{name}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'class="perf-sparkline" style="vertical-align:middle">'
        f"<title>{name}</title>{''.join(parts)}</svg>"
    )
