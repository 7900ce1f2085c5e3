"""Drawing pieces every matplotlib chart shares: the house style as rcParams, a figure of
fixed margins with its title, value and time axes, direct labels at line ends.

Nothing is kept on matplotlib objects between calls: what a later step needs (the time
axis's tick labels, the labels to place once the layout is fixed) is returned and passed
on. Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot,
and the style is applied in a context, so the caller's rcParams are untouched.

Examples:
    >>> with house_style():
    ...     figure = new_figure()
    ...     frame_figure(figure, "A title", "Per cent")
    >>> [t.get_gid() for t in figure.texts]
    ['title', 'subtitle']
    >>> stack([10, 11, 30], [4, 4, 4], 1)
    [8.0, 13.0, 30.0]
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # charts are for files and HTML; never open a window

import matplotlib.dates as mdates
import matplotlib.style as mstyle
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure, SubFigure
from matplotlib.text import Annotation

from perf.charts.style import (
    MAX_HEIGHT_IN,
    MAX_WIDTH_IN,
    SECONDARY_TEXT,
    SERIES_STYLE,
    STYLE_DIR,
    TEXT,
    TYPE,
    text_colour,
)
from perf.charts.text import tick_label

__all__ = [
    "AF_STYLE",
    "PERF_STYLE",
    "LineLabel",
    "StepFormatter",
    "agg_renderer",
    "TimeTicks",
    "direct_labels",
    "fit_time_ticks",
    "frame_figure",
    "house_style",
    "new_figure",
    "plot_series",
    "restack",
    "stack",
    "time_axis",
    "value_axis",
    "y_from_zero",
]

PERF_STYLE = STYLE_DIR / "perf.mplstyle"
AF_STYLE = Path(str(resources.files("afcharts") / "afcharts.mplstyle"))

#: A direct label: the point it belongs to (x, y), its text and its series' colour.
LineLabel = tuple[Any, float, str, str]


@dataclass(frozen=True)
class TimeTicks:
    """The period labels of a time axis and where they sit, for :func:`fit_time_ticks`."""

    positions: list[Any]
    labels: list[str]


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """The afcharts style with perf's print settings on top, for the ``with`` block only."""
    with matplotlib.rc_context(_house_rc()):
        yield


def _house_rc() -> dict[str, Any]:
    """A copy of the settings ``matplotlib.style.use([AF_STYLE, PERF_STYLE])`` applies."""
    return dict(_read_house_rc())


@lru_cache(maxsize=1)
def _read_house_rc() -> dict[str, Any]:
    """The two style files merged (the later wins; keys a style may not set are dropped, as
    ``style.use`` does), read and checked once per process, not on every chart."""
    # style.use's own list of keys a style may not set (private since 3.11)
    blacklist: set[str] = set(
        getattr(mstyle, "_STYLE_BLACKLIST", None)
        or getattr(getattr(mstyle, "core", None), "STYLE_BLACKLIST", None)
        or ()
    )
    merged: dict[str, Any] = {}
    for path in (AF_STYLE, PERF_STYLE):
        rc = matplotlib.rc_params_from_file(str(path), use_default_template=False)
        merged.update({k: v for k, v in rc.items() if k not in blacklist})
    return merged


def new_figure(width: float = MAX_WIDTH_IN, height: float = 3.9) -> Figure:
    """A figure no larger than fits A4, with a renderer to measure text by."""
    fig = Figure(figsize=(min(width, MAX_WIDTH_IN), min(height, MAX_HEIGHT_IN)))
    FigureCanvasAgg(fig)  # a renderer to measure text with while laying out
    return fig


def frame_figure(
    fig: Figure,
    title: str,
    subtitle: str,
    *,
    right: float = 1.35,
    left: float = 0.65,
    bottom: float = 0.55,
    wspace: float | None = None,
    hspace: float | None = None,
) -> None:
    """Title and subtitle at the top left, fixed margins.

    The source line is not drawn in the image: it is written once, as real text, in the
    ``<figcaption>`` under the chart (:func:`perf.charts.output.figure_to_html`), where
    screen readers reach it, readers can copy it, and a long list of release files wraps
    with the page instead of running into the axis labels.

    Fixed margins (not constrained layout) keep the data-to-pixel transform stable, which
    the direct labels rely on, and keep renders identical.
    """
    width, height = fig.get_size_inches()
    wrapped = textwrap.fill(title, 64)
    lines = wrapped.count("\n") + 1
    fig.text(
        0.1 / width,
        1 - 0.12 / height,
        wrapped,
        ha="left",
        va="top",
        fontsize=TYPE["title"],
        fontweight="bold",
        color=TEXT,
        gid="title",
    )
    top_in = 0.12 + 0.2 * lines + 0.1
    if subtitle:
        fig.text(
            0.1 / width,
            1 - top_in / height,
            subtitle,
            ha="left",
            va="top",
            fontsize=TYPE["panel"],
            color=SECONDARY_TEXT,
            gid="subtitle",
        )
        top_in += 0.35
    else:
        top_in += 0.1
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top_in / height,
        bottom=bottom / height,
        wspace=wspace,
        hspace=hspace,
    )


class StepFormatter(matplotlib.ticker.Formatter):
    """Value-axis labels with as many decimals as the tick step needs (0.5 steps get one
    decimal), so two ticks never share a label; thousands separated; optional suffix."""

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(list(locs))
        steps = np.diff(np.sort(np.asarray(locs, dtype=float)))
        steps = steps[steps > 0]
        self.decimals = 0
        if len(steps):
            step = float(steps.min())
            while self.decimals < 6 and abs(round(step, self.decimals) - step) > step * 1e-6:
                self.decimals += 1

    def __call__(self, x: float, pos: int | None = None) -> str:
        text = f"{x:,.{self.decimals}f}"
        if text.lstrip("-").strip("0.,") == "":
            text = text.lstrip("-")  # no "-0"
        return text + self.suffix


def value_axis(axis: Any, unit: str, *, integer: bool = False) -> None:
    """A "nice" locator (steps of 1, 2, 2.5 or 5 times a power of ten; whole numbers only
    for counts) and labels with just enough decimals, so no two tick labels repeat."""
    axis.set_major_locator(
        matplotlib.ticker.MaxNLocator(
            nbins=6, steps=[1, 2, 2.5, 5, 10], integer=integer, min_n_ticks=3
        )
    )
    axis.set_major_formatter(StepFormatter("%" if unit == "%" else ""))


def _x_number(x: Any) -> float:
    return float(x) if isinstance(x, (int, float, np.number)) else float(mdates.date2num(x))


def stack(wanted: Sequence[float], heights: Sequence[float], gap: float) -> list[float]:
    """Centres as close as possible to ``wanted`` (any order) for boxes of ``heights``
    that stay at least ``gap`` apart: labels that would touch are merged into a block
    centred on their points (so a crowd does not drift), blocks merging until none touch.

    >>> stack([10, 11, 30], [4, 4, 4], 1)
    [8.0, 13.0, 30.0]
    """
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))

    def offsets(members: list[int]) -> list[float]:
        out, y = [], 0.0
        for k, m in enumerate(members):
            y += (heights[members[k - 1]] / 2 + gap + heights[m] / 2) if k else heights[m] / 2
            out.append(y)
        return out

    blocks: list[tuple[list[int], float]] = []  # (members bottom-up, bottom edge)
    for i in order:
        blocks.append(([i], wanted[i] - heights[i] / 2))
        while len(blocks) > 1:
            (m1, b1), (m2, b2) = blocks[-2], blocks[-1]
            top1 = b1 + offsets(m1)[-1] + heights[m1[-1]] / 2
            if top1 + gap <= b2:
                break
            members = m1 + m2
            bottom = float(np.mean([wanted[m] for m in members]) - np.mean(offsets(members)))
            blocks[-2:] = [(members, bottom)]
    placed = [0.0] * len(wanted)
    for members, bottom in blocks:
        for m, off in zip(members, offsets(members)):
            placed[m] = round(bottom + off, 3)
    return placed


def direct_labels(
    ax: Axes,
    items: Sequence[LineLabel],
    fontsize: float = TYPE["label"],
    gid: str = "direct-label",
) -> list[Annotation]:
    """Label line ends (x, y, text, colour) just right of the point, stacked so no two
    label boxes overlap (multi-line labels take their full height); returns the labels.
    Every chart's direct labels go through here."""
    items = [i for i in items if np.isfinite(i[1])]
    if not items:
        return []
    fig = ax.figure
    to_pt = 72 / fig.dpi
    wanted = [float(ax.transData.transform((_x_number(x), y))[1]) * to_pt for x, y, _, _ in items]
    heights = [(text.count("\n") + 1) * fontsize * 1.2 for _, _, text, _ in items]
    placed = stack(wanted, heights, gap=fontsize * 0.25)
    return [
        ax.annotate(
            text,
            xy=(x, y),
            xytext=(7, y_new - y_want),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=fontsize,
            color=text_colour(colour),
            annotation_clip=False,
            gid=gid,
            linespacing=1.2,
        )
        for (x, y, text, colour), y_want, y_new in zip(items, wanted, placed)
    ]


def agg_renderer(fig: Figure | SubFigure) -> RendererAgg:
    """The Agg renderer of a figure :func:`new_figure` made (its canvas is Agg's), to
    measure text with while laying out."""
    canvas = fig.canvas
    if not isinstance(canvas, FigureCanvasAgg):
        raise TypeError("the figure was not made by new_figure: it has no Agg canvas")
    return canvas.get_renderer()


def restack(ax: Axes, texts: Sequence[Annotation]) -> None:
    """Stack labels placed by separate :func:`direct_labels` calls as one set, so no two
    boxes overlap (one mechanism for every label at a line end)."""
    to_pt = 72 / ax.figure.dpi
    wanted = [
        float(ax.transData.transform((_x_number(t.xy[0]), t.xy[1]))[1]) * to_pt for t in texts
    ]
    heights = [(t.get_text().count("\n") + 1) * float(t.get_fontsize()) * 1.2 for t in texts]
    placed = stack(wanted, heights, gap=max(float(t.get_fontsize()) for t in texts) * 0.25)
    for t, y_want, y_new in zip(texts, wanted, placed):
        t.set_position((7, y_new - y_want))


def fit_time_ticks(ax: Axes, ticks: TimeTicks | None, min_gap_pt: float = 5.0) -> None:
    """After the layout is fixed: if the period labels on the time axis would touch, keep
    every 2nd (3rd, ...) one counting back from the latest period, the others becoming
    unlabelled minor ticks. Labels are measured with the renderer, so nothing overlaps.
    ``ticks`` is what :func:`time_axis` returned (None: dates, nothing to thin)."""
    if not ticks:
        return
    positions, labels = ticks.positions, ticks.labels
    fig = ax.figure
    renderer = agg_renderer(fig)
    size = (
        ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
        if ax.xaxis.get_major_ticks()
        else matplotlib.rcParams["xtick.labelsize"]
    )
    prop = matplotlib.font_manager.FontProperties(size=size)
    scale = 72 / fig.dpi
    widths = [
        max(
            renderer.get_text_width_height_descent(line, prop, ismath=False)[0]
            for line in text.split("\n")
        )
        * scale
        for text in labels
    ]
    xs = [float(ax.transData.transform((_x_number(p), 0))[0]) * scale for p in positions]
    n = len(positions)
    for step in range(1, n + 1):
        keep = [i for i in range(n) if (n - 1 - i) % step == 0]
        if all(
            xs[b] - xs[a] >= (widths[a] + widths[b]) / 2 + min_gap_pt
            for a, b in zip(keep, keep[1:])
        ):
            break
    ax.set_xticks([positions[i] for i in keep])
    ax.set_xticklabels([labels[i] for i in keep])
    ax.set_xticks([positions[i] for i in range(n) if i not in keep], minor=True)
    ax.tick_params(axis="x", which="minor", length=2.5, labelbottom=False)


def time_axis(ax: Axes, periods: pd.DataFrame, unit: str = "number") -> TimeTicks | None:
    """A true time axis (positions are period end dates) labelled with period labels; the
    labels to thin with :func:`fit_time_ticks` once the layout is fixed (None when the axis
    shows dates instead: more than 12 periods)."""
    periods = periods.drop_duplicates("period_end").sort_values("period_end")
    ticks = None
    if 0 < len(periods) <= 12:
        positions = list(periods["period_end"])
        labels = [
            tick_label(p, k)
            for p, k in zip(
                periods["period"], periods.get("period_kind", pd.Series([None] * len(periods)))
            )
        ]
        ax.set_xticks(positions)
        ax.set_xticklabels(labels)
        ticks = TimeTicks(positions, labels)
    elif len(periods):
        span_years = (periods["period_end"].max() - periods["period_end"].min()).days / 365.25
        if span_years >= 3:
            ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, int(span_years // 7) + 1)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(3, 6, 9, 12)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    value_axis(ax.yaxis, unit, integer=unit in ("count", "number"))
    return ticks


def plot_series(ax: Axes, data: pd.DataFrame, role: str) -> None:
    """One role's line (:data:`perf.charts.style.SERIES_STYLE`) over its periods' ends."""
    style = dict(SERIES_STYLE[role])
    ax.plot(data["period_end"], data["value"], label=role, gid=role, **style)


def y_from_zero(ax: Axes, values: Sequence[float]) -> None:
    """Start the value axis at zero when no value is negative, with room above the top."""
    finite = [v for v in values if np.isfinite(v)]
    if finite and min(finite) >= 0:
        ax.set_ylim(0, max(finite) * 1.12 if max(finite) > 0 else 1)
