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
  embedded and byte-for-byte reproducible.

Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot,
so nothing is left open in pyplot's global figure list and the caller's rcParams are
untouched (the style is applied in a context). Inputs are never modified.
"""

from __future__ import annotations

import base64
import contextlib
import html as html_lib
import io
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # charts are for files and HTML; never open a window

import matplotlib.dates as mdates
import matplotlib.style as mstyle
import numpy as np
import pandas as pd
import PIL.Image
from afcharts.af_colours import get_af_colours
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from perf._numbers import ordinal, plural
from perf.alignment import when
from perf.catalogue import indicator_info
from perf.compare import direction_words
from perf.config import ENGLAND
from perf.errors import PerfError
from perf.fileio import atomic_write
from perf.summary import gap_position, gap_sentence, source_publication
from perf.tables import format_value

__all__ = [
    "DIRECTION_STYLE",
    "PALETTE",
    "SERIES_STYLE",
    "Chart",
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
    "spc_chart",
    "trend_chart",
]

STYLE_DIR = Path(__file__).with_name("style")
PERF_STYLE = STYLE_DIR / "perf.mplstyle"
AF_STYLE = Path(str(resources.files("afcharts") / "afcharts.mplstyle"))

_AF = get_af_colours("categorical")  # dark blue, turquoise, dark pink, orange, dark grey, plum
_FOCUS_GREY = get_af_colours("focus")[1]  # the AF "focus" palette's context grey
TEXT = "#0b0c0c"
SECONDARY_TEXT = "#505a5f"

#: Colours by role, from the Analysis Function palettes.
PALETTE: dict[str, str] = {
    "area": _AF[0],  # dark blue: the reporting council, always the strongest
    "england": _AF[3],  # orange
    "region": _AF[2],  # dark pink
    "neighbours": _AF[1],  # turquoise
    "target": _AF[4],  # dark grey
    "context": _FOCUS_GREY,  # every other council
    "band": "#f3f2f1",
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
    "no change": {"color": "#707070", "linestyle": ":"},
    "no polarity": {"color": "#707070", "linestyle": "-."},
    "not comparable": {"color": "#707070", "linestyle": ":"},
}

#: Fixed rendering settings: same data, same bytes.
PNG_DPI = 150
#: A4 portrait with 2 cm margins leaves 17 x 25.7 cm; charts stay inside that.
MAX_WIDTH_IN = 6.3
MAX_HEIGHT_IN = 9.0


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


# --- style ----------------------------------------------------------------------------


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """The afcharts style with perf's print settings on top, for the ``with`` block only."""
    # the two style files are read and checked once per process, not on every chart
    with matplotlib.rc_context(_house_rc()):
        yield


_HOUSE_RC: dict[str, Any] | None = None


def _house_rc() -> dict[str, Any]:
    """The settings ``matplotlib.style.use([AF_STYLE, PERF_STYLE])`` applies (the later file
    wins; keys a style may not set are dropped, as ``style.use`` does), read once."""
    global _HOUSE_RC
    if _HOUSE_RC is None:
        # style.use's own list of keys a style may not set (private since 3.11)
        blacklist = getattr(mstyle, "_STYLE_BLACKLIST", None) or getattr(
            getattr(mstyle, "core", None), "STYLE_BLACKLIST", set()
        )
        merged: dict[str, Any] = {}
        for path in (AF_STYLE, PERF_STYLE):
            rc = matplotlib.rc_params_from_file(str(path), use_default_template=False)
            merged.update({k: v for k, v in rc.items() if k not in blacklist})
        _HOUSE_RC = merged
    return dict(_HOUSE_RC)


def _luminance(colour: str) -> float:
    rgb = matplotlib.colors.to_rgb(colour)
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(foreground: str, background: str = "white") -> float:
    """WCAG 2 contrast ratio between two colours.

    >>> round(contrast_ratio("#12436D"), 1)
    10.2
    >>> contrast_ratio("white", "white")
    1.0
    """
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _text_colour(colour: str) -> str:
    """The series colour for its label when it passes AA for text, else near-black."""
    return colour if contrast_ratio(colour) >= 4.5 else TEXT


# --- small helpers --------------------------------------------------------------------


def _fmt(value: float, unit: str, decimals: int) -> str:
    return format_value(value, unit, decimals)


def _when(period: str, kind: str | None, start: Any = None, end: Any = None) -> str:
    """ "at 31 March 2025", "in 2024-25", "in December 2024 to February 2025": the dates a
    figure refers to (:func:`perf.alignment.refers_to`) when its start and end are known."""
    if kind == "snapshot":
        return f"at {period}"
    if kind is not None and start is not None and end is not None and pd.notna(start):
        return when(str(kind), str(period), pd.Timestamp(start).date(), pd.Timestamp(end).date())
    return f"in {period}"


def _source_text(frame: pd.DataFrame, source: str | None) -> str:
    if source:
        return source if source.lower().startswith("source") else f"Source: {source}"
    if "source" in frame.columns:
        names = list(
            dict.fromkeys(
                source_publication(s) for s in pd.unique(frame["source"].dropna().astype(str)) if s
            )
        )
        if names:
            return "Source: " + "; ".join(names)
    return "Source: not stated"


def _new_figure(width: float = MAX_WIDTH_IN, height: float = 3.9) -> Figure:
    fig = Figure(figsize=(min(width, MAX_WIDTH_IN), min(height, MAX_HEIGHT_IN)))
    FigureCanvasAgg(fig)  # a renderer to measure text with while laying out
    return fig


def _frame(
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
    ``<figcaption>`` under the chart (:func:`figure_to_html`), where screen readers reach it,
    readers can copy it, and a long list of release files wraps with the page instead of
    running into the axis labels. Printing it in the image as well showed it twice.

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
        fontsize=11,
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
            fontsize=9,
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


class _StepFormatter(matplotlib.ticker.Formatter):
    """Value-axis labels with as many decimals as the tick step needs (0.5 steps get one
    decimal), so two ticks never share a label; thousands separated; optional suffix."""

    def __init__(self, suffix: str = "") -> None:
        self.suffix = suffix
        self.decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
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


def _value_axis(axis: Any, unit: str, *, integer: bool = False) -> None:
    """A "nice" locator (steps of 1, 2, 2.5 or 5 times a power of ten; whole numbers only
    for counts) and labels with just enough decimals, so no two tick labels repeat."""
    axis.set_major_locator(
        matplotlib.ticker.MaxNLocator(
            nbins=6, steps=[1, 2, 2.5, 5, 10], integer=integer, min_n_ticks=3
        )
    )
    axis.set_major_formatter(_StepFormatter("%" if unit == "%" else ""))


def _x_number(x: Any) -> float:
    return float(x) if isinstance(x, (int, float, np.number)) else float(mdates.date2num(x))


def _stack(wanted: Sequence[float], heights: Sequence[float], gap: float) -> list[float]:
    """Centres as close as possible to ``wanted`` (any order) for boxes of ``heights``
    that stay at least ``gap`` apart: labels that would touch are merged into a block
    centred on their points (so a crowd does not drift), blocks merging until none touch.

    >>> _stack([10, 11, 30], [4, 4, 4], 1)
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


def _direct_labels(
    ax: Axes,
    items: list[tuple[Any, float, str, str]],
    fontsize: float = 8.5,
    gid: str = "direct-label",
) -> None:
    """Label line ends (x, y, text, colour) just right of the point, stacked so no two
    label boxes overlap (multi-line labels take their full height). Every chart's direct
    labels go through here."""
    items = [i for i in items if np.isfinite(i[1])]
    if not items:
        return
    fig = ax.figure
    to_pt = 72 / fig.dpi
    wanted = [float(ax.transData.transform((_x_number(x), y))[1]) * to_pt for x, y, _, _ in items]
    heights = [(text.count("\n") + 1) * fontsize * 1.2 for _, _, text, _ in items]
    placed = _stack(wanted, heights, gap=fontsize * 0.25)
    for (x, y, text, colour), y_want, y_new in zip(items, wanted, placed):
        ax.annotate(
            text,
            xy=(x, y),
            xytext=(7, y_new - y_want),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=fontsize,
            color=_text_colour(colour),
            annotation_clip=False,
            gid=gid,
            linespacing=1.2,
        )


def _fit_time_ticks(ax: Axes, min_gap_pt: float = 5.0) -> None:
    """After the layout is fixed: if the period labels on the time axis would touch, keep
    every 2nd (3rd, ...) one counting back from the latest period, the others becoming
    unlabelled minor ticks. Labels are measured with the renderer, so nothing overlaps."""
    spec = getattr(ax, "_perf_time_ticks", None)
    if not spec:
        return
    positions, labels = spec
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
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


def _series(obs: pd.DataFrame, indicator: str, code: str) -> pd.DataFrame:
    rows = obs[(obs["indicator"] == indicator) & (obs["area_code"] == code)]
    return rows.sort_values("period_end")[
        [
            c
            for c in (
                "period",
                "period_kind",
                "period_start",
                "period_end",
                "value",
                "area_name",
                "flag",
            )
            if c in rows.columns
        ]
    ].reset_index(drop=True)


def _neighbour_mean(obs: pd.DataFrame, indicator: str, codes: Sequence[str]) -> pd.DataFrame:
    rows = obs[(obs["indicator"] == indicator) & (obs["area_code"].isin(list(codes)))]
    if rows.empty:
        return pd.DataFrame(columns=["period", "period_end", "value"])
    grouped = rows.groupby(["period_end", "period"], as_index=False)["value"].mean()
    return grouped.sort_values("period_end").dropna(subset=["value"]).reset_index(drop=True)


def _name(obs: pd.DataFrame, code: str, default: str) -> str:
    names = obs.loc[obs["area_code"] == code, "area_name"].dropna() if "area_name" in obs else []
    return str(names.iloc[0]) if len(names) else default


def _catalogue_info(
    catalogue: pd.DataFrame | None,
    indicator: str,
    label: str | None,
    unit: str | None,
    decimals: int | None,
) -> tuple[str, str, int]:
    """Title, unit and decimals: those given, else the catalogue's (one default)."""
    info = indicator_info(indicator, catalogue)
    return (
        label or info.title,
        unit or info.unit,
        int(info.decimals if decimals is None else decimals),
    )


def _unit_subtitle(unit: str) -> str:
    return {
        "%": "Per cent",
        "rate per 10,000": "Rate per 10,000 children",
        "days": "Days",
        "count": "Number",
        "number": "Number",
        "score": "Score",
    }.get(unit, unit)


def _time_axis(ax: Axes, periods: pd.DataFrame, unit: str = "number") -> None:
    """A true time axis (positions are period end dates) labelled with period labels;
    :func:`_fit_time_ticks` thins the labels once the layout is fixed."""
    periods = periods.drop_duplicates("period_end").sort_values("period_end")
    if 0 < len(periods) <= 12:
        positions = list(periods["period_end"])
        labels = [
            _tick_label(p, k)
            for p, k in zip(
                periods["period"], periods.get("period_kind", pd.Series([None] * len(periods)))
            )
        ]
        ax.set_xticks(positions)
        ax.set_xticklabels(labels)
        ax._perf_time_ticks = (positions, labels)
    elif len(periods):
        span_years = (periods["period_end"].max() - periods["period_end"].min()).days / 365.25
        if span_years >= 3:
            ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, int(span_years // 7) + 1)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        else:
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(3, 6, 9, 12)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    _value_axis(ax.yaxis, unit, integer=unit in ("count", "number"))


def _tick_label(period: str, kind: Any) -> str:
    if kind == "dec_feb_average" and period.isdigit():  # "2025": December 2024 to February 2025
        return f"Dec {int(period) - 1}-\nFeb {period}"
    if kind == "snapshot":
        return pd.Timestamp(period).strftime("%b\n%Y") if _parses(period) else period
    if kind == "financial_quarter" and " Q" in period:
        return period.replace(" Q", "\nQ")
    return period


def _parses(text: str) -> bool:
    try:
        pd.Timestamp(text)
    except (ValueError, TypeError):
        return False
    return True


def _plot_series(ax: Axes, data: pd.DataFrame, role: str) -> None:
    style = dict(SERIES_STYLE[role])
    ax.plot(data["period_end"], data["value"], label=role, gid=role, **style)


def _y_from_zero(ax: Axes, values: Sequence[float]) -> None:
    finite = [v for v in values if np.isfinite(v)]
    if finite and min(finite) >= 0:
        ax.set_ylim(0, max(finite) * 1.12 if max(finite) > 0 else 1)


def _rise_or_fall(first: float, last: float, unit: str, decimals: int) -> str:
    a, b = _fmt(first, unit, decimals), _fmt(last, unit, decimals)
    if a == b:
        return "was unchanged at"
    return "rose from" if last > first else "fell from"


# --- charts ---------------------------------------------------------------------------


def trend_chart(
    obs: pd.DataFrame,
    indicator: str,
    area_code: str,
    *,
    england_code: str = ENGLAND,
    region_code: str | None = None,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    target: float | pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """An indicator over time for the area against England, region, neighbours and target.

    Args:
        obs: tidy observations (``perf.schema.Observations`` columns).
        indicator: the indicator id, e.g. ``"cla_rate"``.
        area_code: the reporting council.
        england_code: England's code (a line only if present in ``obs``).
        region_code: the region's code; by default the one region in ``obs`` if only one.
        neighbours: ONS codes of the statistical neighbours; their mean per period is drawn.
        neighbour_set: the set's name (:func:`perf.areas.neighbour_set_name`), said in the
            subtitle and alt text when the neighbours' mean is drawn.
        target: a single target, or a frame with ``period_end`` (or ``period``) and
            ``target`` columns for targets that change.
        catalogue: indicator catalogue for ``title``/``unit``/``decimals``; or give
            ``label``/``unit``/``decimals`` directly.
        title: overrides the generated finding.
        source: overrides the source line built from ``obs["source"]``.
    """
    label, unit, decimals = _catalogue_info(catalogue, indicator, label, unit, decimals)
    area = _series(obs, indicator, area_code).dropna(subset=["value"])
    if area.empty:
        raise ValueError(f"no {indicator} values for {area_code} to chart")
    area_name = _name(obs, area_code, area_code)
    england = _series(obs, indicator, england_code).dropna(subset=["value"])
    if region_code is None and "area_level" in obs.columns:
        regions = obs.loc[
            (obs["indicator"] == indicator) & (obs["area_level"] == "region"), "area_code"
        ].unique()
        region_code = regions[0] if len(regions) == 1 else None
    region = (
        _series(obs, indicator, region_code).dropna(subset=["value"])
        if region_code
        else area.iloc[0:0]
    )
    sn = _neighbour_mean(obs, indicator, neighbours) if len(neighbours) else area.iloc[0:0]
    targets = _target_frame(target, area)

    first, last = area.iloc[0], area.iloc[-1]
    kind = last.get("period_kind")
    finding = (
        f"{label} in {area_name} {_rise_or_fall(first['value'], last['value'], unit, decimals)}"
        f" {_fmt(first['value'], unit, decimals)} {_when(first['period'], kind)} to "
        f"{_fmt(last['value'], unit, decimals)} {_when(last['period'], kind)}"
    )
    if len(area) == 1:
        finding = (
            f"{label} in {area_name} was {_fmt(last['value'], unit, decimals)} "
            f"{_when(last['period'], kind)}"
        )
    comparators = []
    for name, frame in (
        ("England", england),
        (_name(obs, region_code or "", "Region"), region),
        ("statistical-neighbour mean", sn),
    ):
        match = frame[frame["period_end"] == last["period_end"]] if len(frame) else frame
        if len(match):
            comparators.append(f"{name} {_fmt(match['value'].iloc[0], unit, decimals)}")
    if len(targets):
        match = targets[targets["period_end"] == last["period_end"]]
        value = match["target"].iloc[0] if len(match) else targets["target"].iloc[-1]
        comparators.append(f"target {_fmt(value, unit, decimals)}")
    chart_title = title or finding
    alt = f"Line chart. {finding}" + (f"; {', '.join(comparators)}." if comparators else ".")
    named = f"neighbours: {neighbour_set}" if neighbour_set and len(sn) else ""
    if named:
        alt += f" Statistical {named}."
    src = _source_text(obs[obs["indicator"] == indicator], source)

    with house_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        labels: list[tuple[Any, float, str, str]] = []
        for role, frame, name in (
            ("england", england, "England"),
            ("region", region, _name(obs, region_code or "", "Region")),
            ("neighbours", sn, "Neighbours' mean"),
            ("area", area, area_name),
        ):
            if len(frame):
                _plot_series(ax, frame, role)
                end = frame.iloc[-1]
                labels.append(
                    (
                        end["period_end"],
                        end["value"],
                        f"{name} {_fmt(end['value'], unit, decimals)}",
                        SERIES_STYLE[role]["color"],
                    )
                )
        if len(targets):
            style = dict(SERIES_STYLE["target"])
            if len(targets) == 1:
                # across the plotted periods only: a full-width line would run under the
                # direct labels at the right
                span = pd.concat([area, england, region, sn])["period_end"]
                ax.plot(
                    [span.min(), span.max()],
                    [targets["target"].iloc[0]] * 2,
                    gid="target",
                    label="target",
                    **{k: v for k, v in style.items() if k != "marker"},
                )
                end_x = span.max()
            else:
                ax.plot(
                    targets["period_end"],
                    targets["target"],
                    gid="target",
                    label="target",
                    drawstyle="steps-mid",
                    **style,
                )
                end_x = targets["period_end"].iloc[-1]
            labels.append(
                (
                    end_x,
                    targets["target"].iloc[-1],
                    f"Target {_fmt(targets['target'].iloc[-1], unit, decimals)}",
                    PALETTE["target"],
                )
            )
        _time_axis(ax, pd.concat([area, england, region, sn], ignore_index=True), unit)
        _y_from_zero(
            ax,
            list(area["value"])
            + list(england["value"])
            + list(region["value"])
            + list(sn["value"])
            + list(targets["target"]),
        )
        _frame(
            fig, chart_title, "; ".join(t for t in (_unit_subtitle(unit), named) if t), right=1.55
        )
        _fit_time_ticks(ax)
        _direct_labels(ax, labels)
    return Chart(fig, alt, chart_title, src)


def _target_frame(target: float | pd.DataFrame | None, area: pd.DataFrame) -> pd.DataFrame:
    if target is None:
        return pd.DataFrame(columns=["period_end", "target"])
    if isinstance(target, pd.DataFrame):
        frame = target.copy()
        if "period_end" not in frame.columns:
            frame = frame.merge(area[["period", "period_end"]], on="period", how="inner")
        return (
            frame[["period_end", "target"]]
            .dropna()
            .sort_values("period_end")
            .reset_index(drop=True)
        )
    return pd.DataFrame({"period_end": [area["period_end"].iloc[-1]], "target": [float(target)]})


def neet_gap_chart(
    obs: pd.DataFrame,
    area_code: str,
    *,
    indicator: str = "neet_16_17",
    england_code: str = ENGLAND,
    label: str | None = "16-17 year olds not in education, employment or training (NEET)",
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """The area's NEET percentage against England with the gap shaded and labelled in
    percentage points (pp)."""
    unit = "%"
    area = _series(obs, indicator, area_code).dropna(subset=["value"])
    england = _series(obs, indicator, england_code).dropna(subset=["value"])
    both = area.merge(england[["period_end", "value"]], on="period_end", suffixes=("", "_england"))
    if both.empty:
        raise ValueError(f"no periods with both {area_code} and England values for {indicator}")
    area_name = _name(obs, area_code, area_code)
    both["gap"] = both["value"] - both["value_england"]
    first, last = both.iloc[0], both.iloc[-1]

    def when(row: pd.Series) -> str:
        return _when(
            row["period"], row.get("period_kind"), row.get("period_start"), row.get("period_end")
        )

    if len(both) > 1:
        finding = gap_sentence(
            last["value"],
            last["value_england"],
            first["value"],
            first["value_england"],
            subject=f"NEET in {area_name}",
            unit=unit,
            decimals=decimals,
            when=when(last),
            before=when(first),
            polarity="low",
        )
    else:
        finding = (
            f"NEET in {area_name} was "
            f"{gap_position(last['gap'], unit=unit, decimals=decimals)} {when(last)}"
        )
    chart_title = title or finding
    alt = (
        f"Line chart. {label}: {area_name} {_fmt(last['value'], unit, decimals)} and England "
        f"{_fmt(last['value_england'], unit, decimals)} {when(last)}, "
        f"{gap_position(last['gap'], unit=unit, decimals=decimals)}"
    )
    if len(both) > 1:
        alt += (
            f"; {when(first)} {area_name} "
            f"{_fmt(first['value'], unit, decimals)}, England "
            f"{_fmt(first['value_england'], unit, decimals)}, "
            f"{gap_position(first['gap'], unit=unit, decimals=decimals)}"
        )
    alt += ". The gap is shaded."
    src = _source_text(obs[obs["indicator"] == indicator], source)

    with house_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        ax.fill_between(
            both["period_end"],
            both["value"],
            both["value_england"],
            color=PALETTE["area"],
            alpha=0.14,
            linewidth=0,
            hatch="///",
            edgecolor=(*matplotlib.colors.to_rgb(PALETTE["area"]), 0.35),
            gid="gap",
            zorder=1,
        )
        _plot_series(ax, england, "england")
        _plot_series(ax, area, "area")
        _time_axis(ax, pd.concat([area, england], ignore_index=True), unit)
        _y_from_zero(ax, list(area["value"]) + list(england["value"]))
        _frame(fig, chart_title, "Per cent of 16-17 year olds", right=1.75)
        _fit_time_ticks(ax)
        # the gap is written in the right margin, stacked between the two line-end labels
        # (the lines end before the margin, so it can never sit on a line)
        mid = (last["value"] + last["value_england"]) / 2
        _direct_labels(
            ax,
            [
                (
                    area["period_end"].iloc[-1],
                    area["value"].iloc[-1],
                    f"{area_name} {_fmt(area['value'].iloc[-1], unit, decimals)}",
                    PALETTE["area"],
                ),
                (
                    england["period_end"].iloc[-1],
                    england["value"].iloc[-1],
                    f"England {_fmt(england['value'].iloc[-1], unit, decimals)}",
                    PALETTE["england"],
                ),
            ],
        )
        _direct_labels(
            ax,
            [(last["period_end"], mid, _gap_label(last["gap"], decimals), SECONDARY_TEXT)],
            fontsize=8,
            gid="gap-label",
        )
        _separate_labels(ax, "gap-label")
    return Chart(fig, alt, chart_title, src)


def _gap_label(gap: float, decimals: int) -> str:
    """The shaded gap in words (:func:`perf.summary.gap_position`), two lines for the margin.

    >>> _gap_label(-0.71, 1)
    'Gap: 0.7 percentage\\npoints below England'
    >>> _gap_label(0.01, 1)
    'No gap: level\\nwith England'
    """
    words = gap_position(gap, unit="%", decimals=decimals)
    if words.startswith("level"):
        return "No gap: level\nwith England"
    return "Gap: " + words.replace(" percentage points ", " percentage\npoints ", 1).replace(
        " percentage point ", " percentage\npoint ", 1
    )


def _separate_labels(ax: Axes, gid: str) -> None:
    """Put the single label ``gid`` in the stack of the other direct labels: the whole
    set is re-stacked so no box overlaps (one mechanism for every label at a line end)."""
    texts = [t for t in ax.texts if t.get_gid() in ("direct-label", gid)]
    fig = ax.figure
    to_pt = 72 / fig.dpi
    wanted = [
        float(ax.transData.transform((_x_number(t.xy[0]), t.xy[1]))[1]) * to_pt for t in texts
    ]
    heights = [(t.get_text().count("\n") + 1) * t.get_fontsize() * 1.2 for t in texts]
    placed = _stack(wanted, heights, gap=max(t.get_fontsize() for t in texts) * 0.25)
    for t, y_want, y_new in zip(texts, wanted, placed):
        t.set_position((7, y_new - y_want))


def attendance_chart(
    obs: pd.DataFrame,
    area_code: str,
    *,
    indicators: Mapping[str, str] | None = None,
    england_code: str = ENGLAND,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    measure: str = "Overall absence",
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Absence (or attendance) rates for primary and secondary side by side, each against
    England and the statistical-neighbour mean, on a shared percentage scale.

    Args:
        indicators: panel title -> indicator id; default primary and secondary overall
            absence from LAIT (``PriTotAbs``, ``SecTotAbs``).
        measure: what the indicators measure, for the title and alt text.
        neighbour_set: the neighbour set's name, said in the subtitle and alt text.
    """
    indicators = dict(indicators or {"Primary": "PriTotAbs", "Secondary": "SecTotAbs"})
    unit = "%"
    area_name = _name(obs, area_code, area_code)
    panels = []
    for panel, indicator in indicators.items():
        area = _series(obs, indicator, area_code).dropna(subset=["value"])
        england = _series(obs, indicator, england_code).dropna(subset=["value"])
        sn = _neighbour_mean(obs, indicator, neighbours) if len(neighbours) else area.iloc[0:0]
        panels.append((panel, indicator, area, england, sn))
    if all(p[2].empty for p in panels):
        raise ValueError(f"no {', '.join(indicators.values())} values for {area_code} to chart")

    parts, alt_parts = [], []
    for panel, _, area, england, sn in panels:
        if area.empty:
            continue
        last = area.iloc[-1]
        when = _when(last["period"], last.get("period_kind"))
        eng = england[england["period_end"] == last["period_end"]]
        part = f"{panel.lower()} {_fmt(last['value'], unit, decimals)}"
        alt_part = f"{panel} {measure.lower()} in {area_name} {when}: {_fmt(last['value'], unit, decimals)}"
        if len(eng):
            e = eng["value"].iloc[0]
            rel = (
                "higher than"
                if round(last["value"], decimals) > round(e, decimals)
                else "lower than"
                if round(last["value"], decimals) < round(e, decimals)
                else "the same as"
            )
            part += f" ({rel} England's {_fmt(e, unit, decimals)})"
            alt_part += f"; England {_fmt(e, unit, decimals)}"
        s = sn[sn["period_end"] == last["period_end"]] if len(sn) else sn
        if len(s):
            alt_part += f"; statistical-neighbour mean {_fmt(s['value'].iloc[0], unit, decimals)}"
        if len(area) > 1:
            alt_part += (
                f"; {_rise_or_fall(area['value'].iloc[0], last['value'], unit, decimals)}"
                f" {_fmt(area['value'].iloc[0], unit, decimals)} "
                f"{_when(area['period'].iloc[0], area.iloc[0].get('period_kind'))}"
            )
        parts.append(part)
        alt_parts.append(alt_part)
    finding = f"{measure} in {area_name}: " + "; ".join(parts)
    chart_title = title or finding
    alt = "Line charts. " + ". ".join(alt_parts) + "."
    named = (
        f"neighbours: {neighbour_set}" if neighbour_set and any(len(p[4]) for p in panels) else ""
    )
    if named:
        alt += f" Statistical {named}."
    used = obs[obs["indicator"].isin(list(indicators.values()))]
    src = _source_text(used, source)

    with house_style():
        fig = _new_figure(height=3.6)
        axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
        all_values: list[float] = []
        for ax, (panel, _, area, england, sn) in zip(axes, panels):
            labels = []
            for role, frame, name in (
                ("england", england, "England"),
                ("neighbours", sn, "Neighbours"),
                ("area", area, area_name),
            ):
                if len(frame):
                    _plot_series(ax, frame, role)
                    all_values.extend(frame["value"])
                    labels.append(
                        (
                            frame["period_end"].iloc[-1],
                            frame["value"].iloc[-1],
                            name,
                            SERIES_STYLE[role]["color"],
                        )
                    )
            ax.set_title(panel, loc="left", fontweight="bold")
            _time_axis(ax, pd.concat([area, england, sn], ignore_index=True), unit)
            ax.tick_params(axis="x", labelsize=7.5)
            ax._perf_labels = labels  # placed after the layout is fixed
        _y_from_zero(axes[0], all_values)
        _frame(
            fig,
            chart_title,
            "; ".join(t for t in ("Per cent of sessions", named) if t),
            right=1.0,
            wspace=0.6,
        )
        for ax in axes:
            _fit_time_ticks(ax)
            _direct_labels(ax, ax._perf_labels, fontsize=8)
    return Chart(fig, alt, chart_title, src)


_LIMIT_ALIASES = {
    "mean": ("mean", "centre", "center", "centre_line", "cl"),
    "upper": ("upper", "ucl", "upl", "upper_limit", "unpl", "upper_process_limit"),
    "lower": ("lower", "lcl", "lpl", "lower_limit", "lnpl", "lower_process_limit"),
}


def _column(frame: pd.DataFrame, role: str) -> str:
    for name in _LIMIT_ALIASES[role]:
        if name in frame.columns:
            return name
    raise KeyError(f"SPC frame has no {role} column (looked for {', '.join(_LIMIT_ALIASES[role])})")


def _icon(text: str | None, kind: str) -> str:
    """A text symbol for a Making Data Count variation or assurance icon."""
    if not text:
        return ""
    t = text.lower()
    if kind == "variation":
        if "improv" in t:
            return (
                "▲"
                if ("high" in t or "up" in t or "increas" in t)
                else "▼"
                if ("low" in t or "down" in t or "decreas" in t)
                else "◆"
            )
        if "concern" in t or "worse" in t or "deterior" in t:
            return "!"
        return "~"
    if "pass" in t or "consistently meet" in t or "will meet" in t:
        return "P"
    if "fail" in t or "not meet" in t or "consistently miss" in t:
        return "F"
    return "?"


def spc_chart(
    spc: pd.DataFrame,
    *,
    label: str,
    area_name: str,
    unit: str = "number",
    decimals: int = 0,
    variation: str | None = None,
    assurance: str | None = None,
    target: float | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """A statistical process control (XmR) chart: values, mean, process limits, special-cause
    points marked, and the variation and assurance verdicts as symbol plus words.

    Args:
        spc: one row per period (``perf.spc.xmr`` output): ``period_end`` (or ``period``),
            ``value``, the mean (``mean``/``centre``), limits (``upper``/``ucl``/``unpl``,
            ``lower``/``lcl``/``lnpl``) and special-cause flags: ``special_cause_improvement``
            and ``special_cause_concern`` (bools), or one ``special_cause`` bool.
        variation: e.g. "special cause improvement (low)", "common cause".
        assurance: e.g. "hit and miss target", "consistently passing target".
    """
    data = spc.copy()
    x_col = "period_end" if "period_end" in data.columns else "period"
    data = data.sort_values(x_col).reset_index(drop=True)
    mean_c, up_c, lo_c = _column(data, "mean"), _column(data, "upper"), _column(data, "lower")
    if "special_cause_improvement" in data.columns or "special_cause_concern" in data.columns:
        improve = data.get("special_cause_improvement", pd.Series(False, index=data.index))
        concern = data.get("special_cause_concern", pd.Series(False, index=data.index))
        neutral = pd.Series(False, index=data.index)
    else:
        improve = concern = pd.Series(False, index=data.index)
        neutral = data.get("special_cause", pd.Series(False, index=data.index))
        if "direction" in data.columns:  # perf.spc.xmr: special_cause + direction
            flagged = neutral.fillna(False).astype(bool)
            direction = data["direction"].astype("string")
            improve = flagged & direction.eq("improvement").fillna(False).astype(bool)
            concern = flagged & direction.eq("concern").fillna(False).astype(bool)
            neutral = flagged & ~improve & ~concern
    improve, concern, neutral = (s.fillna(False).astype(bool) for s in (improve, concern, neutral))

    mean = data[mean_c].iloc[-1]
    lower, upper = data[lo_c].iloc[-1], data[up_c].iloc[-1]
    n_special = int((improve | concern | neutral).sum())
    first_p, last_p = data["period"].iloc[0], data["period"].iloc[-1]
    finding = title or (
        f"{label} in {area_name}: "
        + (
            f"{n_special} of {len(data)} points show special-cause variation"
            if n_special
            else "only common-cause variation"
        )
        + (f"; {variation}" if variation and n_special else "")
    )
    alt = (
        f"SPC chart of {label} in {area_name}, {first_p} to {last_p}: mean "
        f"{_fmt(mean, unit, decimals)}, process limits {_fmt(lower, unit, decimals)} to "
        f"{_fmt(upper, unit, decimals)}; latest {_fmt(data['value'].iloc[-1], unit, decimals)}."
        f" {n_special} special-cause point{'s' if n_special != 1 else ''}"
        f" ({int(improve.sum())} improvement, {int(concern.sum())} concern"
        + (f", {int(neutral.sum())} unclassified" if neutral.any() else "")
        + ")."
    )
    if variation:
        alt += f" Variation: {variation}."
    if assurance:
        alt += f" Assurance: {assurance}."
    src = _source_text(data, source)

    with house_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        x = data[x_col]
        ax.plot(
            x,
            data["value"],
            color=SECONDARY_TEXT,
            linestyle="-",
            marker="o",
            markersize=4,
            linewidth=1.4,
            gid="values",
            zorder=4,
        )
        ax.plot(x, data[mean_c], color=TEXT, linestyle="-", linewidth=1.2, gid="mean", zorder=3)
        for col, gid in ((up_c, "upper"), (lo_c, "lower")):
            ax.plot(
                x, data[col], color=TEXT, linestyle=(0, (5, 3)), linewidth=1.1, gid=gid, zorder=3
            )
        if target is not None:
            ax.axhline(
                target, gid="target", color=PALETTE["england"], linestyle=(0, (1, 2)), linewidth=1.6
            )
        marks = (
            ("improvement", improve, PALETTE["area"], "o", 8),
            ("concern", concern, PALETTE["england"], "D", 7.5),
            ("special", neutral, PALETTE["region"], "s", 7.5),
        )
        for gid, mask, colour, marker, size in marks:
            if mask.any():
                ax.plot(
                    x[mask],
                    data.loc[mask, "value"],
                    linestyle="none",
                    marker=marker,
                    markersize=size,
                    color=colour,
                    markeredgecolor=TEXT,
                    markeredgewidth=0.8,
                    gid=f"special-{gid}",
                    zorder=6,
                )
        lines = [
            f"{_icon(variation, 'variation')} Variation: {variation}" if variation else "",
            f"{_icon(assurance, 'assurance')} Assurance: {assurance}" if assurance else "",
        ]
        key = [
            s
            for s in (
                "● special cause: improvement" if improve.any() else "",
                "◆ special cause: concern" if concern.any() else "",
                "■ special cause" if neutral.any() else "",
            )
            if s
        ]
        box = "\n".join([ln for ln in lines if ln] + key)
        if box:
            ax.text(
                0.995,
                1.02,
                box,
                transform=ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=8,
                color=TEXT,
                gid="icons",
                linespacing=1.4,
            )
        if x_col == "period_end":
            _time_axis(ax, data.assign(period_end=data["period_end"]), unit)
        else:
            ax.tick_params(axis="x", rotation=45)
            _value_axis(ax.yaxis, unit, integer=unit in ("count", "number") and decimals == 0)
        top_extra = 0.25 * box.count("\n") if box else 0
        _frame(fig, finding, _unit_subtitle(unit), right=1.35)
        _fit_time_ticks(ax)
        if top_extra:
            pos = ax.get_position()
            ax.set_position(
                [pos.x0, pos.y0, pos.width, pos.height - top_extra / fig.get_size_inches()[1]]
            )
        end = x.iloc[-1]
        _direct_labels(
            ax,
            [
                (end, mean, f"Mean {_fmt(mean, unit, decimals)}", TEXT),
                (end, upper, f"Upper limit {_fmt(upper, unit, decimals)}", TEXT),
                (end, lower, f"Lower limit {_fmt(lower, unit, decimals)}", TEXT),
            ],
            fontsize=8,
        )
    return Chart(fig, alt, finding, src)


def benchmark_chart(
    bench: pd.DataFrame,
    *,
    area_code: str,
    label: str,
    unit: str,
    decimals: int,
    period: str = "",
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Every local authority ranked (bars, best on the left), with the area and its
    statistical neighbours highlighted, quartile bands shaded and England marked
    (``neighbour_set``: the set's name, said in the subtitle and alt text).

    Args:
        bench: ``perf.benchmarking.benchmark`` rows: ``area_code``, ``area_name``, ``value``,
            ``rank`` (1 = best), ``quartile`` (A-D), ``n_ranked``, ``england_value``.
    """
    neighbours = list(neighbours)
    ranked = (
        bench.dropna(subset=["value", "rank"])
        .sort_values(["rank", "area_name"], kind="stable")
        .reset_index(drop=True)
    )
    if ranked.empty:
        raise ValueError("no ranked authorities to chart")
    unranked = len(bench) - len(ranked)
    me = ranked[ranked["area_code"] == area_code]
    area_name = (
        str(bench.loc[bench["area_code"] == area_code, "area_name"].iloc[0])
        if (bench["area_code"] == area_code).any()
        else area_code
    )
    n = (
        int(ranked["n_ranked"].iloc[0])
        if "n_ranked" in ranked.columns and pd.notna(ranked["n_ranked"].iloc[0])
        else len(ranked)
    )
    when = (
        f" {_when(period, 'snapshot' if period[:1].isdigit() and ' ' in period else None)}"
        if period
        else ""
    )
    england = (
        bench["england_value"].dropna().iloc[0]
        if "england_value" in bench.columns and bench["england_value"].notna().any()
        else None
    )
    if len(me):
        row = me.iloc[0]
        quart = f" (quartile {row['quartile']})" if pd.notna(row.get("quartile")) else ""
        finding = (
            f"{area_name} ranked {ordinal(int(row['rank']))} of {n} "
            f"{plural('council', n)} for "
            f"{label}{when}{quart}"
        )
        alt_me = (
            f"{area_name} {_fmt(row['value'], unit, decimals)}, ranked "
            f"{ordinal(int(row['rank']))} of {n}{quart}"
        )
    else:
        finding = f"{area_name} had no ranked figure for {label}{when}"
        alt_me = f"{area_name} not ranked"
    chart_title = title or finding
    alt = (
        f"Ranked bar chart of {label}{when} for {len(ranked)} "
        f"{plural('council', len(ranked))}, best on the left, "
        f"from {_fmt(ranked['value'].iloc[0], unit, decimals)} to "
        f"{_fmt(ranked['value'].iloc[-1], unit, decimals)}. {alt_me}"
    )
    nb = ranked[ranked["area_code"].isin(neighbours)]
    if len(nb):
        alt += (
            f". Statistical neighbours{f' ({neighbour_set})' if neighbour_set else ''} "
            f"rank from {ordinal(int(nb['rank'].min()))} to "
            f"{ordinal(int(nb['rank'].max()))}"
        )
    if england is not None:
        alt += f". England {_fmt(england, unit, decimals)}"
    alt += "."
    src = _source_text(bench, source)
    if unranked:
        src += f". {unranked} council{'s' if unranked != 1 else ''} with no published figure not shown."

    with house_style():
        fig = _new_figure(height=4.0)
        ax = fig.add_subplot()
        xs = np.arange(len(ranked))
        colours = [
            PALETTE["area"]
            if c == area_code
            else PALETTE["neighbours"]
            if c in neighbours
            else PALETTE["context"]
            for c in ranked["area_code"]
        ]
        ax.bar(xs, ranked["value"], width=0.85, color=colours, linewidth=0, gid="bars", zorder=2)
        if "quartile" in ranked.columns:
            for q, group in ranked.groupby("quartile", sort=True):
                idx = group.index
                start, stop = idx.min() - 0.5, idx.max() + 0.5
                shade = PALETTE["band"] if q in ("A", "C") else "white"
                ax.axvspan(start, stop, color=shade, zorder=0, gid=f"quartile-{q}")
                ax.text(
                    (start + stop) / 2,
                    1.01,
                    f"Quartile {q}" + (" (best)" if q == "A" else ""),
                    transform=ax.get_xaxis_transform(),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    color=TEXT,
                    gid=f"quartile-label-{q}",
                )
                ax.axvline(stop, color="#b1b4b6", linewidth=0.8, zorder=1)
        if len(nb):
            top = ranked["value"].max()
            ax.plot(
                nb.index,
                nb["value"] + top * 0.03,
                linestyle="none",
                marker="v",
                markersize=5,
                color=PALETTE["neighbours"],
                markeredgecolor=TEXT,
                markeredgewidth=0.5,
                gid="neighbour-markers",
                zorder=4,
            )
        if england is not None:
            ax.axhline(
                england,
                color=PALETTE["england"],
                linestyle="--",
                linewidth=1.4,
                gid="england",
                zorder=3,
            )
            ax.text(
                1.005,
                england,
                f"England {_fmt(england, unit, decimals)}",
                transform=ax.get_yaxis_transform(),
                ha="left",
                va="center",
                fontsize=8.5,
                color=TEXT,
            )
        if len(me):
            i = int(me.index[0])
            ax.annotate(
                f"{area_name} {_fmt(me['value'].iloc[0], unit, decimals)}",
                xy=(i, me["value"].iloc[0]),
                xytext=(0, 28),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                fontweight="bold",
                color=TEXT,
                arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 1},
                gid="area-label",
                zorder=6,
            )
        ax.set_xlim(-0.6, len(ranked) - 0.4)
        ax.set_xticks([0, len(ranked) - 1])
        ax.set_xticklabels(["1st (best)", ordinal(int(ranked["rank"].iloc[-1]))])
        ax.grid(axis="x", visible=False)
        _value_axis(ax.yaxis, unit, integer=unit in ("count", "number"))
        _y_from_zero(ax, list(ranked["value"]) + ([england] if england is not None else []))
        ymax = ax.get_ylim()[1]
        ax.set_ylim(0, ymax * 1.05)
        subtitle = f"{_unit_subtitle(unit)}; councils ranked, best first"
        if len(nb):
            subtitle += f"; ▼ {neighbour_set or 'statistical neighbours'}"
        _frame(fig, chart_title, subtitle, right=1.1, bottom=0.45)
    return Chart(fig, alt, chart_title, src)


def quarter_comparison_chart(
    changes: pd.DataFrame,
    *,
    area_name: str,
    catalogue: pd.DataFrame | None = None,
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """For each indicator, this quarter against last quarter and the same quarter last year:
    an arrow from the earlier value to this quarter's, styled by direction of travel
    (polarity already applied by ``perf.compare``) with the direction written beside it.

    Args:
        changes: ``perf.compare.compare_periods`` output: ``indicator``, ``period``,
            ``value``, ``comparison`` (``previous_quarter``/``same_period_last_year``; other
            comparisons are ignored), ``comparison_period``, ``comparison_value``,
            ``direction``.
        catalogue: for indicator titles, units and decimals (or ``labels``).
    """
    wanted = {"previous_quarter": "last quarter", "same_period_last_year": "same quarter last year"}
    rows = changes[changes["comparison"].isin(list(wanted))]
    if rows.empty:
        raise ValueError("no previous-quarter or same-period-last-year comparisons to chart")
    indicators = list(pd.unique(rows["indicator"]))
    info = {i: _catalogue_info(catalogue, i, (labels or {}).get(i), None, None) for i in indicators}
    period = str(rows["period"].iloc[0])
    counts = rows[rows["comparison"] == "previous_quarter"]["direction"].value_counts()
    n_pq = int(counts.sum())
    bits = [
        f"{int(counts[d])} {w}"
        for d, w in (
            ("improving", "improved"),
            ("worsening", "worsened"),
            ("no change", "did not change"),
        )
        if d in counts
    ]
    finding = title or (
        f"{area_name}, {period}: against last quarter, "
        + (", ".join(bits) if bits else "no indicator could be compared")
        + f" of {n_pq} indicator{'s' if n_pq != 1 else ''}"
    )
    alt_parts = []
    for ind in indicators:
        lab, unit, dec = info[ind]
        sub = rows[rows["indicator"] == ind]
        now = sub["value"].iloc[0]
        part = f"{lab}: {_fmt(now, unit, dec)} in {period}"
        for comp, words in wanted.items():
            r = sub[sub["comparison"] == comp]
            if len(r):
                part += (
                    f", {words} ({r['comparison_period'].iloc[0]}) "
                    f"{_fmt(r['comparison_value'].iloc[0], unit, dec)}, "
                    f"{r['direction'].iloc[0]}"
                )
        alt_parts.append(part)
    alt = "Dumbbell chart. " + "; ".join(alt_parts) + "."
    src = _source_text(changes, source)

    with house_style():
        height = 1.5 + 1.05 * len(indicators)
        fig = _new_figure(height=height)
        axes = fig.subplots(len(indicators), 1, squeeze=False)[:, 0]
        for ax, ind in zip(axes, indicators):
            lab, unit, dec = info[ind]
            sub = rows[rows["indicator"] == ind]
            ax.set_title(lab, loc="left", fontsize=9, fontweight="bold", pad=2)
            ax.grid(False)
            ax.spines["bottom"].set_visible(False)
            ax.tick_params(axis="x", length=0, labelbottom=False)
            values: list[float] = []
            ticks, names = [], []
            for y, (comp, words) in enumerate(wanted.items()):
                r = sub[sub["comparison"] == comp]
                ticks.append(y)
                if r.empty:
                    names.append(words.capitalize())
                    continue
                r = r.iloc[0]
                names.append(f"{words.capitalize()}\n({r['comparison_period']})")
                style = DIRECTION_STYLE.get(str(r["direction"]), DIRECTION_STYLE["not comparable"])
                before, after = r["comparison_value"], r["value"]
                if pd.notna(before) and pd.notna(after):
                    ax.plot(
                        [before, after],
                        [y, y],
                        color=style["color"],
                        linestyle=style["linestyle"],
                        linewidth=2,
                        gid=f"{ind}:{comp}",
                        zorder=2,
                    )
                    ax.plot(
                        [before],
                        [y],
                        marker="o",
                        markersize=6,
                        markerfacecolor="white",
                        markeredgecolor=style["color"],
                        linestyle="none",
                        zorder=3,
                    )
                    ax.plot(
                        [after],
                        [y],
                        marker="o",
                        markersize=7,
                        color=style["color"],
                        linestyle="none",
                        zorder=3,
                    )
                    ax.annotate(
                        _fmt(before, unit, dec),
                        (before, y),
                        xytext=(0, 6),
                        textcoords="offset points",
                        ha="center",
                        va="bottom",
                        fontsize=7.5,
                        color=TEXT,
                        gid=f"before:{ind}:{comp}",
                    )
                    if _fmt(after, unit, dec) != _fmt(before, unit, dec):
                        ax.annotate(
                            _fmt(after, unit, dec),
                            (after, y),
                            xytext=(0, 6),
                            textcoords="offset points",
                            ha="center",
                            va="bottom",
                            fontsize=7.5,
                            color=TEXT,
                            fontweight="bold",
                            gid=f"after:{ind}:{comp}",
                        )
                    values += [before, after]
                words = direction_words(str(r["direction"]), r.get("movement"))
                ax.text(
                    1.02,
                    y,
                    words.split(" (")[0],
                    transform=ax.get_yaxis_transform(),
                    ha="left",
                    va="center",
                    fontsize=8.5,
                    color=_text_colour(style["color"]),
                    gid=f"direction:{ind}:{comp}",
                )
            ax.set_yticks(ticks)
            ax.set_yticklabels(names, fontsize=7.5)
            ax.set_ylim(-1.0, 1.4)
            ax.invert_yaxis()
            if values:
                lo, hi = min(values), max(values)
                pad = (hi - lo) * 0.15 or abs(hi) * 0.05 or 1
                ax.set_xlim(lo - pad, hi + pad)
        _frame(
            fig,
            finding,
            "This quarter (● filled) against earlier values (○ open)",
            left=1.45,
            right=1.3,
            bottom=0.2,
            hspace=0.9,
        )
        # values close together: the earlier value goes below its dot, so labels never meet
        renderer = fig.canvas.get_renderer()
        for ax in axes:
            texts = {str(t.get_gid()): t for t in ax.texts}
            for gid, before_text in texts.items():
                after_text = texts.get(gid.replace("before:", "after:", 1))
                if (
                    gid.startswith("before:")
                    and after_text is not None
                    and before_text.get_window_extent(renderer)
                    .padded(2)
                    .overlaps(after_text.get_window_extent(renderer))
                ):
                    before_text.set_position((0, -7))
                    before_text.set_verticalalignment("top")
    return Chart(fig, alt, finding, src)


# --- output ---------------------------------------------------------------------------


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


_FIGURE_STYLE = "margin:0 0 1.5em 0;max-width:16cm;break-inside:avoid;page-break-inside:avoid;"


def figure_to_html(chart: Chart, dpi: int = PNG_DPI) -> str:
    """A ``<figure>`` with the PNG embedded as a data URI, ``alt`` from the data and a
    ``<figcaption>`` with the title and source. At most 16 cm wide so it fits an A4 page;
    ``break-inside: avoid`` keeps it on one page when printed.

    Examples:
        >>> import pandas as pd
        >>> obs = pd.DataFrame({"indicator": "x", "area_code": ["A", "A"], "area_name": "Here",
        ...     "period": ["2023", "2024"], "period_kind": "calendar_year",
        ...     "period_end": pd.to_datetime(["2023-12-31", "2024-12-31"]),
        ...     "value": [3.0, 4.0], "source": "test.csv"})
        >>> html = figure_to_html(trend_chart(obs, "x", "A", unit="count", decimals=0))
        >>> html.startswith('<figure class="perf-chart"') and 'src="data:image/png;base64,' in html
        True
        >>> 'alt="Line chart. x in Here rose from 3 in 2023 to 4 in 2024."' in html
        True
    """
    png = chart_png(chart, dpi)
    width_in, height_in = chart.figure.get_size_inches()
    encoded = base64.b64encode(png).decode("ascii")
    esc = html_lib.escape
    return (
        f'<figure class="perf-chart" style="{_FIGURE_STYLE}">'
        f'<img src="data:image/png;base64,{encoded}" alt="{esc(chart.alt_text, quote=True)}" '
        f'width="{round(width_in * dpi)}" height="{round(height_in * dpi)}" '
        f'style="display:block;width:100%;max-width:{width_in * 2.54:.1f}cm;height:auto;">'
        f"<figcaption>{esc(chart.title.rstrip('.'))}. <small>{esc(chart.source)}</small></figcaption>"
        f"</figure>"
    )


# --- funnel plot ----------------------------------------------------------------------


def _count_words(counts: Mapping[str, int], comparator: str) -> str:
    """'55 statistically higher than England, 7 higher at 95% only, ...' for the alt text."""
    short = {
        "higher_998": f"statistically higher than {comparator} (above the 99.8% limit)",
        "higher_95": "higher at 95% but not 99.8%",
        "not_different": "not statistically different",
        "lower_95": "lower at 95% but not 99.8%",
        "lower_998": f"statistically lower than {comparator} (below the 99.8% limit)",
    }
    return ", ".join(
        f"{int(counts.get(code, 0))} {words}"
        for code, words in short.items()
        if counts.get(code, 0)
    )


def funnel_chart(
    funnel_frame: pd.DataFrame,
    *,
    area_code: str,
    neighbours: Sequence[str] = (),
    neighbour_set: str | None = None,
    catalogue: pd.DataFrame | None = None,
    label: str | None = None,
    unit: str | None = None,
    decimals: int | None = None,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """A funnel plot: every council's figure against its denominator (log scale), the 95% and
    99.8% control limits around England's value, England's line, the council and its
    statistical neighbours highlighted. The title says where the council falls, in the
    words of :data:`perf.significance.SIGNIFICANCE_WORDS`; the caption states the method.

    Args:
        funnel_frame: :func:`perf.significance.funnel` output (its ``attrs`` carry the
            target, kind, method and sources).
        area_code: the reporting council.
        neighbours: ONS codes of its statistical neighbours.
        neighbour_set: the set's name, e.g. "DfE statistical neighbours, 2025 model"
            (:func:`perf.areas.neighbour_set_name`), shown in the subtitle and alt text.
        catalogue, label, unit, decimals: as :func:`trend_chart`.
    """
    # lazy: perf.significance brings scipy.special (a fifth of a second to import), which
    # only the funnel plot needs among the charts
    from perf.significance import funnel_curve

    attrs = funnel_frame.attrs
    indicator = str(attrs.get("indicator", ""))
    label, unit, decimals = _catalogue_info(catalogue, indicator, label, unit, decimals)
    comparator = str(attrs.get("comparator", "England"))
    neighbours = [str(c) for c in neighbours if str(c) != area_code]
    assessed = funnel_frame[funnel_frame["significance"] != "not_assessed"].reset_index(drop=True)
    if assessed.empty:
        raise ValueError(f"no council has an assessed {indicator} figure to chart")
    curve = funnel_curve(funnel_frame)
    target = float(attrs["target"])
    period = str(attrs.get("period", ""))
    when = (
        f" {_when(period, 'snapshot' if period[:1].isdigit() and ' ' in period else None)}"
        if period
        else ""
    )
    den_label = attrs.get("denominator_label") or "the denominator"
    me = funnel_frame[funnel_frame["area_code"] == area_code]
    area_name = str(me["area_name"].iloc[0]) if len(me) else area_code
    me_ok = assessed[assessed["area_code"] == area_code]
    nb = assessed[assessed["area_code"].isin(neighbours)]
    others = assessed[~assessed["area_code"].isin([area_code, *neighbours])]

    if len(me_ok):
        row = me_ok.iloc[0]
        shown = _fmt(row["estimate"], unit, decimals)
        finding = f"{label}{when}: {area_name} ({shown}) was {row['significance_words']}"
        alt_me = (
            f"{area_name} {shown} with {row['denominator']:,.0f} {den_label}: "
            f"{row['significance_words']}"
        )
        if pd.notna(row["ci_lower"]) and pd.notna(row["ci_upper"]):
            alt_me += (
                f" (95% confidence interval {_fmt(row['ci_lower'], unit, decimals)} to "
                f"{_fmt(row['ci_upper'], unit, decimals)})"
            )
    else:
        why = str(me["note"].iloc[0]) if len(me) and pd.notna(me["note"].iloc[0]) else "no figure"
        finding = f"{area_name} was not assessed for {label}{when} ({why})"
        alt_me = f"{area_name} not shown ({why})"
    chart_title = title or finding
    target_shown = _fmt(
        target, unit, decimals if round(target, decimals) == target else decimals + 1
    )
    set_words = neighbour_set or "statistical neighbours"
    councils = plural("council", len(assessed))
    alt = (
        f"Funnel plot of {label}{when} for {len(assessed)} {councils} against the number of "
        f"{den_label} (log scale), with 95% and 99.8% control limits around {comparator}'s "
        f"value of {target_shown}. {alt_me}. Of the {len(assessed)} {councils}: "
        f"{_count_words(attrs.get('counts', {}), comparator)}."
    )
    if len(nb):
        nb_counts = nb["significance"].value_counts().to_dict()
        alt += (
            f" {set_words[:1].upper() + set_words[1:]} ({len(nb)}): "
            f"{_count_words(nb_counts, comparator)}."
        )
    alt = alt.replace("..", ".")
    # the publications, not the data files' names (the appendix lists those)
    files = "; ".join(dict.fromkeys(source_publication(s) for s in attrs.get("sources", [])))
    src = _source_text(pd.DataFrame(), source or files or None)
    src += f". {attrs.get('method_text', '')} {attrs.get('confidence_text', '')}.".replace(
        "..", "."
    )
    not_shown = int(attrs.get("n_not_assessed", len(funnel_frame) - len(assessed)))
    if not_shown:
        src += f" {not_shown} council{'s' if not_shown != 1 else ''} with no figure or denominator not shown."

    with house_style():
        fig = _new_figure(height=4.3)
        ax = fig.add_subplot()
        x = curve["denominator"]
        for col, gid, style in (
            ("upper_998", "upper_998", "-"),
            ("lower_998", "lower_998", "-"),
            ("upper_95", "upper_95", (0, (5, 3))),
            ("lower_95", "lower_95", (0, (5, 3))),
        ):
            ax.plot(
                x,
                curve[col],
                color=TEXT if "998" in col else SECONDARY_TEXT,
                linestyle=style,
                linewidth=1.2 if "998" in col else 1.1,
                gid=gid,
                zorder=2,
            )
        ax.axhline(
            target, color=PALETTE["england"], linestyle="--", linewidth=1.6, gid="england", zorder=2
        )
        ax.scatter(
            others["denominator"],
            others["estimate"],
            s=16,
            color=PALETTE["context"],
            edgecolors="#6f777b",
            linewidths=0.4,
            gid="councils",
            zorder=3,
        )
        if len(nb):
            ax.scatter(
                nb["denominator"],
                nb["estimate"],
                s=30,
                marker="D",
                color=PALETTE["neighbours"],
                edgecolors=TEXT,
                linewidths=0.6,
                gid="neighbours",
                zorder=4,
            )
        if len(me_ok):
            row = me_ok.iloc[0]
            ax.scatter(
                [row["denominator"]],
                [row["estimate"]],
                s=70,
                marker="o",
                color=PALETTE["area"],
                edgecolors=TEXT,
                linewidths=0.9,
                gid="area",
                zorder=6,
            )
            ax.annotate(
                f"{area_name} {_fmt(row['estimate'], unit, decimals)}",
                xy=(row["denominator"], row["estimate"]),
                xytext=(0, 14),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=9,
                fontweight="bold",
                color=TEXT,
                gid="area-label",
                zorder=7,
                arrowprops={"arrowstyle": "-", "color": TEXT, "linewidth": 0.8},
            )
        ax.set_xscale("log")
        ax.set_xlim(float(x.min()), float(x.max()))
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        ax.set_xlabel(f"Number of {den_label} (log scale)", fontsize=8.5, color=SECONDARY_TEXT)
        ax.grid(axis="x", visible=False)
        _value_axis(ax.yaxis, unit)
        values = list(assessed["estimate"]) + [target]
        top = max(values) * 1.15
        ax.set_ylim(0, top if unit != "%" else min(top, 100.0))
        end = float(x.max())
        _frame(
            fig,
            chart_title,
            f"{_unit_subtitle(unit)}; ◆ {set_words}" if len(nb) else _unit_subtitle(unit),
            right=1.45,
            bottom=0.62,
        )
        within = [
            (end, float(curve[col].iloc[-1]), text, TEXT)
            for col, text in (
                ("upper_998", "99.8% limit"),
                ("upper_95", "95% limit"),
                ("lower_95", "95% limit"),
                ("lower_998", "99.8% limit"),
            )
            if curve[col].iloc[-1] <= ax.get_ylim()[1]
        ]
        _direct_labels(
            ax,
            within + [(end, target, f"{comparator} {target_shown}", PALETTE["england"])],
            fontsize=8,
        )
    return Chart(fig, alt, chart_title, src)


# --- in-year attendance (DfE pupil attendance in schools) ------------------------------------

_ATTENDANCE_MEASURES = {
    "attendance": "attendance",
    "absence": "overall absence",
    "auth_absence": "authorised absence",
    "unauth_absence": "unauthorised absence",
    "pa": "persistent absence",
}


def _attendance_label(indicator: str) -> str:
    """``attendance_ytd_secondary`` -> "Attendance in secondary schools".

    >>> _attendance_label("pa_ytd_total"), _attendance_label("attendance_week_primary")
    ('Persistent absence in state-funded schools', 'Attendance in primary schools')
    """
    stem, _, phase = indicator.replace("_week_", "_ytd_").partition("_ytd_")
    words = _ATTENDANCE_MEASURES.get(stem, stem.replace("_", " "))
    where = "state-funded schools" if phase == "total" else f"{phase} schools"
    return f"{words[:1].upper()}{words[1:]} in {where}"


def _day_month(day: Any, year: bool = True) -> str:
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp:%B}" + (f" {stamp.year}" if year else "")


def _release_caption(rows: pd.DataFrame, what: str) -> str:
    """ "Source: DfE Pupil attendance in schools, <what> from the releases of 9 January 2025
    (to 20 December 2024), ...", saying how the cut-offs were known."""
    seen = rows.drop_duplicates("release").sort_values("cutoff")
    bits = [
        (f"{_day_month(p)} (to {_day_month(c)})" if pd.notna(p) else f"{r} (to {_day_month(c)})")
        for p, c, r in zip(seen["published"], seen["cutoff"], seen["release"])
    ]
    plural = "s" if len(bits) > 1 else ""
    text = (
        f"Source: DfE Pupil attendance in schools, {what} from the release{plural} of "
        + "; ".join(bits)
    )
    bases = set(seen["cutoff_basis"].dropna())
    if bases == {"estimated from the publication date"}:
        text += (
            f". Cut-off{plural} estimated from the publication date{plural} (the Friday "
            "two weeks before)"
        )
    elif "estimated from the publication date" in bases:
        text += ". Some cut-offs estimated from the publication dates"
    return text


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
    """
    if points is None or points.empty or not points["current"].any():
        raise ValueError("no year-to-date points for the reporting year to chart")
    indicator = str(points["indicator"].iloc[0])
    area_name = str(points["area_name"].iloc[0])
    label = label or _attendance_label(indicator)
    _, unit, decimals = _catalogue_info(catalogue, indicator, label, "%", decimals)
    if catalogue is None or not (catalogue["indicator"] == indicator).any():
        decimals = 1 if decimals == 0 else decimals
    data = points.sort_values(["academic_year", "point"]).reset_index(drop=True)
    now_rows = data[data["current"]].reset_index(drop=True)
    latest = now_rows.iloc[-1]
    year = str(latest["academic_year"])
    same = data[data["point"] == latest["point"]].reset_index(drop=True)
    earlier = same[same["academic_year"] < year]

    lower_label = label[:1].lower() + label[1:]
    finding = (
        f"{label} in {area_name}, year to {_day_month(latest['cutoff'])}: "
        f"{_fmt(latest['value'], unit, decimals)}"
    )
    if len(earlier) and pd.notna(earlier["value"].iloc[-1]) and pd.notna(latest["value"]):
        before = earlier.iloc[-1]
        a = round(float(_fmt(latest["value"], "number", decimals).replace(",", "")), decimals)
        b = round(float(_fmt(before["value"], "number", decimals).replace(",", "")), decimals)
        diff = round(a - b, decimals)
        finding += (
            f", the same as at this point in {before['academic_year']}"
            if not diff
            else f", {abs(diff):.{decimals}f} percentage points "
            f"{'higher' if diff > 0 else 'lower'} than at this point in "
            f"{before['academic_year']}"
        )
    if pd.notna(latest["england_value"]):
        finding += f" (England {_fmt(latest['england_value'], unit, decimals)})"
    chart_title = title or finding

    def series_text(rows: pd.DataFrame, column: str, when: str) -> str:
        return ", ".join(
            f"{_fmt(v, unit, decimals)} {when} {w}"
            for v, w in zip(rows[column], rows["_when"])
            if pd.notna(v)
        )

    now_rows = now_rows.assign(_when=[_day_month(c) for c in now_rows["cutoff"]])
    same = same.assign(_when=same["academic_year"])
    alt = (
        f"Two line charts. {finding}. Top: {lower_label} in {area_name} in {year}, year to "
        f"date at each quarter's end: {series_text(now_rows, 'value', 'to')}; England "
        f"{series_text(now_rows, 'england_value', 'to')}; statistical-neighbour mean "
        f"{series_text(now_rows, 'sn_mean', 'to')}. Bottom: at the same point of each year "
        f"(year to {_day_month(latest['cutoff'], year=False)} or the nearest release): "
        f"{area_name} {series_text(same, 'value', 'in')}; England "
        f"{series_text(same, 'england_value', 'in')}; statistical-neighbour mean "
        f"{series_text(same, 'sn_mean', 'in')}."
    )
    src = (
        source if source else _release_caption(pd.concat([now_rows, same]), "year-to-date figures")
    )
    src = src if src.lower().startswith("source") else f"Source: {src}"

    with house_style():
        fig = _new_figure(height=5.8)
        axes = fig.subplots(2, 1, sharey=True)
        values: list[float] = []
        panels = (
            (
                axes[0],
                now_rows,
                [f"to {_day_month(c, year=False)}" for c in now_rows["cutoff"]],
                f"{year}, year to date at each quarter's end",
            ),
            (
                axes[1],
                same,
                [
                    f"{y}\nto {_day_month(c, year=False)}"
                    for y, c in zip(same["academic_year"], same["cutoff"])
                ],
                f"At the same point of each year ({_POINT_WORDS.get(int(latest['point']), '')})",
            ),
        )
        for ax, rows, ticks, heading in panels:
            xs = np.arange(len(rows), dtype=float)
            labels = []
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
                        f"{name} {_fmt(ys[last], unit, decimals)}",
                        SERIES_STYLE[role]["color"],
                    )
                )
            ax.set_xticks(xs)
            ax.set_xticklabels(ticks)
            ax.set_xlim(-0.35, max(len(rows) - 0.65, 0.35))
            ax.tick_params(axis="x", labelsize=7.5)
            ax.grid(axis="x", visible=False)
            ax.set_title(heading, loc="left", fontsize=9, fontweight="bold", pad=4)
            _value_axis(ax.yaxis, unit)
            ax._perf_labels = labels  # placed after the layout is fixed
        lo, hi = min(values), max(values)
        pad = max((hi - lo) * 0.15, 0.2)
        axes[0].set_ylim(lo - pad, hi + pad)
        _frame(
            fig,
            chart_title,
            "Per cent of possible sessions" if unit == "%" else _unit_subtitle(unit),
            right=1.6,
            hspace=0.55,
            bottom=0.6,
        )
        for ax in axes:
            _direct_labels(ax, ax._perf_labels, fontsize=8)
    return Chart(fig, alt, chart_title, src)


_POINT_WORDS = {1: "end of September", 2: "end of December", 3: "end of March", 4: "end of June"}


def attendance_weekly_chart(
    spc: pd.DataFrame,
    *,
    label: str | None = None,
    area_name: str | None = None,
    decimals: int = 1,
    title: str | None = None,
    source: str | None = None,
) -> Chart:
    """Weekly attendance as a statistical process control (XmR) chart: :func:`spc_chart` on
    :func:`perf.attendance.weekly_spc` output, with the weeks named on the time axis, a title
    that states the finding and the release in the caption.

    Args:
        spc: ``perf.attendance.weekly_spc`` rows (``period``, ``period_start``,
            ``period_end``, ``value``, the XmR columns, ``source``); its ``attrs`` name the
            indicator and area.
    """
    data = spc.dropna(subset=["value"]).reset_index(drop=True)
    if len(data) < 2:
        raise ValueError("an XmR chart needs at least 2 weeks with a figure")
    indicator = str(spc.attrs.get("indicator", ""))
    area_name = area_name or str(spc.attrs.get("area_name", ""))
    label = label or (
        f"Weekly {_attendance_label(indicator).lower()}" if indicator else "Weekly attendance"
    )
    unit = "%"
    last = data.iloc[-1]
    special = data["special_cause"].fillna(False).astype(bool)
    n_special = int(special.sum())
    span = f"{data['period'].iloc[0]} to {last['period']}"
    if bool(special.iloc[-1]):
        kind = {"improvement": "improvement", "concern": "concern"}.get(
            str(last["direction"]), "special cause"
        )
        finding = (
            f"{label} in {area_name}: the latest week ({last['period']}, "
            f"{_fmt(last['value'], unit, decimals)}) shows special-cause variation "
            f"({kind})"
        )
        variation = (
            f"special cause {'improving' if kind == 'improvement' else 'concerning'}"
            if kind in ("improvement", "concern")
            else "special cause"
        )
    elif n_special:
        finding = (
            f"{label} in {area_name}, {span}: {n_special} of {len(data)} weeks show "
            f"special-cause variation; the latest ({_fmt(last['value'], unit, decimals)})"
            " is common-cause"
        )
        variation = "common cause"
    else:
        finding = (
            f"{label} in {area_name}, {span}: only common-cause variation (mean "
            f"{_fmt(last['mean'], unit, decimals)})"
        )
        variation = "common cause"
    releases = sorted(
        {
            s.split(", weekly)")[0].split(", ")[-1]
            for s in data["source"].dropna()
            if ", release of " in s
        }
    )
    files = sorted({s.split(" (", 1)[0] for s in data["source"].dropna()})
    src = source or (
        "Source: DfE Pupil attendance in schools, weekly figures, "
        + "; ".join(releases or ["release not stated"])
        + f" ({', '.join(files)}). Weeks without a figure (a half term) are left out"
    )
    chart = spc_chart(
        data,
        label=label[:1].lower() + label[1:],
        area_name=area_name,
        unit=unit,
        decimals=decimals,
        variation=variation,
        title=title or finding,
        source=src,
    )
    with house_style():
        ax = chart.figure.axes[0]
        positions = list(data["period_end"])
        ticks = [
            p.replace(" ", "\n", 1) if p.startswith("Week ") else p
            for p in (str(p).rsplit(" ", 1)[0] for p in data["period"])
        ]
        ax.set_xticks(positions)
        ax.set_xticklabels(ticks)
        ax.set_xticks([], minor=True)
        ax._perf_time_ticks = (positions, ticks)
        _fit_time_ticks(ax)
    alt = chart.alt_text.replace("SPC chart of", "Statistical process control (XmR) chart of", 1)
    alt += f" {src.removeprefix('Source: ')}."
    return Chart(chart.figure, alt, chart.title, src)
