"""A finished chart and its outputs: PNG bytes, the HTML ``<figure>``, a file.

A :class:`Chart` holds the figure, alt text written from the data, the title and the
source line. :func:`chart_png` draws it to byte-for-byte reproducible PNG bytes;
:func:`figure_to_html` embeds them in a ``<figure>`` whose caption holds the title and
source as real text.

Examples:
    >>> figure = Figure(figsize=(4, 2.5))
    >>> _ = figure.add_subplot().plot([1, 2, 3])
    >>> chart = Chart(figure, "Line chart. x rose.", "x rose", "Source: test")
    >>> html = figure_to_html(chart)
    >>> html.startswith('<figure class="perf-chart"') and 'alt="Line chart. x rose."' in html
    True
"""

from __future__ import annotations

import base64
import html as html_lib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import PIL.Image
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.ticker import FixedFormatter, FixedLocator, Formatter, Locator

from perf.charts.draw import house_style
from perf.charts.style import PNG_DPI
from perf.errors import PerfError
from perf.fileio import atomic_write

__all__ = ["FIGURE_STYLE", "Chart", "chart_png", "figure_to_html"]


@dataclass(frozen=True)
class Chart:
    """A finished chart: the figure, alt text from the data, its title and source line."""

    figure: Figure
    alt_text: str
    title: str
    source: str

    def _repr_html_(self) -> str:  # notebooks show the same <figure> the report embeds
        return figure_to_html(self)

    def save(self, path: str | Path) -> Path:
        """Write the chart to ``path``: ``.png`` the image (the bytes the report embeds),
        ``.html`` the ``<figure>`` with its alt text, title and source; written atomically.

        Raises:
            PerfError: any other suffix.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".png":
            atomic_write(path, chart_png(self))
        elif suffix in (".html", ".htm"):
            atomic_write(path, figure_to_html(self) + "\n")
        else:
            raise PerfError(
                f"cannot save a chart as {suffix or 'a file without a suffix'}",
                file=path,
                hint="Use a .png or .html file name.",
            )
        return path


def chart_png(chart: Chart, dpi: int = PNG_DPI) -> bytes:
    """The chart as PNG bytes; the same figure and dpi always give the same bytes
    (no software version or timestamp in the file).

    The figure is drawn on white, so every pixel is opaque: the PNG is RGB, without
    matplotlib's alpha channel, which is a quarter of the pixels to compress for nothing
    (about a third less encoding time, and a tenth smaller). A figure that is not opaque
    keeps its alpha.

    Examples:
        >>> figure = Figure(figsize=(4, 2.5))
        >>> _ = figure.add_subplot().plot([1, 2, 3])
        >>> image = PIL.Image.open(io.BytesIO(chart_png(Chart(figure, "alt", "title", "src"))))
        >>> image.mode, image.size, round(image.info["dpi"][0])
        ('RGB', (600, 375), 150)
    """
    raw = io.BytesIO()
    with house_style(), drawn_ticks_only(chart.figure):
        chart.figure.savefig(raw, format="rgba", dpi=dpi, facecolor="white")
    # matplotlib's Agg canvas is int(size in inches x dpi) pixels each way. Pillow unpacks
    # the RGBA bytes itself (a seventh of the time numpy's strided copy took)
    data = raw.getvalue()
    width = int(chart.figure.get_size_inches()[0] * dpi)
    size = (width, len(data) // (4 * width))
    image = PIL.Image.frombytes("RGBA", size, data)
    if image.getchannel("A").getextrema()[0] == 255:  # opaque: no alpha channel
        image = PIL.Image.frombytes("RGB", size, data, "raw", "RGBX")
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi))  # PIL writes no software or time
    return buffer.getvalue()


def _in_view(axis: Axis, locs: np.ndarray) -> np.ndarray:
    """Which of ``locs`` ``axis`` draws: matplotlib's own test (``Axis._update_ticks``), a
    location inside the view, in display units, with a relative tolerance of 1e-10."""
    transform = axis.get_transform()
    low, high = sorted(float(v) for v in transform.transform(sorted(axis.get_view_interval())))
    slack = (high - low) * 1e-10
    shown = np.asarray(transform.transform(locs), dtype=float)
    return (low - slack <= shown) & (shown <= high + slack)


@dataclass(frozen=True)
class _Ticking:
    """What draws an axis's ticks: its locators, formatters and whether each is the default."""

    major_locator: Locator
    major_formatter: Formatter
    minor_locator: Locator
    minor_formatter: Formatter
    defaults: tuple[bool, bool, bool, bool]

    @classmethod
    def of(cls, axis: Axis) -> _Ticking:
        return cls(
            axis.get_major_locator(),
            axis.get_major_formatter(),
            axis.get_minor_locator(),
            axis.get_minor_formatter(),
            (
                axis.isDefault_majloc,
                axis.isDefault_majfmt,
                axis.isDefault_minloc,
                axis.isDefault_minfmt,
            ),
        )

    def apply(self, axis: Axis) -> None:
        axis.set_major_locator(self.major_locator)
        axis.set_major_formatter(self.major_formatter)
        axis.set_minor_locator(self.minor_locator)
        axis.set_minor_formatter(self.minor_formatter)
        (
            axis.isDefault_majloc,
            axis.isDefault_majfmt,
            axis.isDefault_minloc,
            axis.isDefault_minfmt,
        ) = self.defaults


def _pinned(locs: np.ndarray, formatter: Formatter, axis: Axis) -> tuple[Locator, Formatter]:
    """The locations of ``locs`` in view and their labels, formatted as matplotlib does: from
    every location (a formatter may look at them all), offset included."""
    labels = formatter.format_ticks(list(locs))
    shown = _in_view(axis, locs)
    fixed = FixedFormatter([label for label, keep in zip(labels, shown) if keep])
    fixed.set_offset_string(formatter.get_offset())
    return FixedLocator(locs[shown]), fixed


@contextmanager
def drawn_ticks_only(figure: Figure) -> Iterator[None]:
    """While ``figure`` is drawn, each axis makes only the ticks it draws; afterwards its
    locators and formatters are its own again.

    matplotlib makes a tick (two marks, a grid line, two labels: about a millisecond) for
    every location a locator returns, then draws those in view. A log axis's locators give
    whole decades either side of the view, so a funnel plot made 61 ticks to draw 24. Here
    each axis's locations and labels are worked out as matplotlib does, and those in view
    are pinned for the draw: the same pixels, from fewer objects (and the locators and
    formatters, called again for every measurement of the axis during a draw, are cheap).

    >>> figure = Figure()
    >>> ax = figure.add_subplot()
    >>> _ = ax.plot([1, 5000], [1, 2]); ax.set_xscale("log"); _ = ax.set_xlim(10, 1000)
    >>> with drawn_ticks_only(figure):
    ...     [round(x) for x in ax.xaxis.get_majorticklocs()]
    [10, 100, 1000]
    >>> type(ax.xaxis.get_major_locator()).__name__
    'LogLocator'
    """
    kept: list[tuple[Axis, _Ticking]] = []
    for ax in figure.axes:
        if ax.name != "rectilinear":
            continue
        for axis in (ax.xaxis, ax.yaxis):
            if any(axis.major is other.major for other, _ in kept):  # shared: pinned once
                continue
            own = _Ticking.of(axis)
            major = _pinned(np.asarray(axis.get_majorticklocs()), own.major_formatter, axis)
            minor = _pinned(np.asarray(axis.get_minorticklocs()), own.minor_formatter, axis)
            kept.append((axis, own))
            _Ticking(*major, *minor, own.defaults).apply(axis)
    try:
        yield
    finally:
        for pinned_axis, own in kept:
            own.apply(pinned_axis)


#: The ``<figure>``'s own style: at most 16 cm wide (an A4 page's text), kept on one page.
FIGURE_STYLE = "margin:0 0 1.5em 0;max-width:16cm;break-inside:avoid;page-break-inside:avoid;"


def figure_to_html(chart: Chart, dpi: int = PNG_DPI) -> str:
    """A ``<figure>`` with the PNG embedded as a data URI, ``alt`` from the data and a
    ``<figcaption>`` with the title and source. At most 16 cm wide so it fits an A4 page;
    ``break-inside: avoid`` keeps it on one page when printed.

    Examples:
        >>> figure = Figure(figsize=(4, 2.5))
        >>> html = figure_to_html(Chart(figure, 'Says "so"', "A title.", "Source: x"))
        >>> 'src="data:image/png;base64,' in html, 'alt="Says &quot;so&quot;"' in html
        (True, True)
        >>> html[html.index("<figcaption>"):]
        '<figcaption>A title. <small>Source: x</small></figcaption></figure>'
    """
    png = chart_png(chart, dpi)
    width_in, height_in = chart.figure.get_size_inches()
    encoded = base64.b64encode(png).decode("ascii")
    esc = html_lib.escape
    return (
        f'<figure class="perf-chart" style="{FIGURE_STYLE}">'
        f'<img src="data:image/png;base64,{encoded}" alt="{esc(chart.alt_text, quote=True)}" '
        f'width="{round(width_in * dpi)}" height="{round(height_in * dpi)}" '
        f'style="display:block;width:100%;max-width:{width_in * 2.54:.1f}cm;height:auto;">'
        f"<figcaption>{esc(chart.title.rstrip('.'))}. <small>{esc(chart.source)}</small></figcaption>"
        f"</figure>"
    )
