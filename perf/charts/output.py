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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import PIL.Image
from matplotlib.figure import Figure

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
    with house_style():
        chart.figure.savefig(raw, format="rgba", dpi=dpi, facecolor="white")
    # matplotlib's Agg canvas is int(size in inches x dpi) pixels each way
    width = int(chart.figure.get_size_inches()[0] * dpi)
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8).reshape(-1, width, 4)
    opaque = bool((pixels[..., 3] == 255).all())
    image = PIL.Image.fromarray(
        np.ascontiguousarray(pixels[..., :3]) if opaque else pixels, "RGB" if opaque else "RGBA"
    )
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi))  # PIL writes no software or time
    return buffer.getvalue()


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
