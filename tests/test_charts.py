"""perf.charts: series, labels, highlights and titles checked on the figure; renders
reproducible; alt text written from the data."""

from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest

from perf import charts
from perf.charts import Chart, chart_png, figure_to_html
from perf.errors import NoDataToChart

DUDLEY, ENGLAND, WM = "E08000027", "E92000001", "E12000005"
SN = ["E08000030", "E08000031"]


def _rows(indicator, series, periods, kind, ends, source="test.csv"):
    rows = []
    for code, (name, level, values) in series.items():
        for period, end, value in zip(periods, ends, values):
            rows.append(
                dict(
                    indicator=indicator,
                    area_code=code,
                    area_name=name,
                    area_level=level,
                    period=period,
                    period_kind=kind,
                    period_start=pd.Timestamp(end),
                    period_end=pd.Timestamp(end),
                    value=float(value),
                    source=source,
                )
            )
    return pd.DataFrame(rows)


@pytest.fixture
def lac() -> pd.DataFrame:
    years = [2022, 2023, 2024, 2025]
    return _rows(
        "cla_rate",
        {
            DUDLEY: ("Dudley", "la", [85, 84, 82, 81]),
            ENGLAND: ("England", "england", [70, 71, 70, 67]),
            WM: ("West Midlands", "region", [86, 87, 88, 88]),
            SN[0]: ("Walsall", "la", [90, 92, 95, 96]),
            SN[1]: ("Wolverhampton", "la", [100, 98, 96, 94]),
        },
        [f"31 March {y}" for y in years],
        "snapshot",
        [f"{y}-03-31" for y in years],
        source="cla_number_and_rate_per_10k_children.csv (DfE CLA 2025 release)",
    )


@pytest.fixture
def close_figures():
    made: list[Chart] = []
    yield made
    for chart in made:
        chart.figure.clear()


def _line(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert found, f"no line {gid!r}; have {[ln.get_gid() for ln in ax.get_lines()]}"
    return found[0]


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        out += [ax.get_title(loc="left")]
    return out


def _dates(line):
    return [
        mdates.num2date(x).date().isoformat()
        if isinstance(x, (float, np.floating))
        else pd.Timestamp(x).date().isoformat()
        for x in line.get_xdata()
    ]


# --- trend --------------------------------------------------------------------------


def test_trend_series_values_and_labels(lac, close_figures) -> None:
    chart = charts.trend_chart(
        lac,
        "cla_rate",
        DUDLEY,
        neighbours=SN,
        target=80,
        label="Looked-after children per 10,000",
        unit="rate per 10,000",
        decimals=0,
    )
    close_figures.append(chart)
    ax = chart.figure.axes[0]
    area = _line(ax, "area")
    assert list(area.get_ydata()) == [85, 84, 82, 81]
    assert _dates(area) == ["2022-03-31", "2023-03-31", "2024-03-31", "2025-03-31"]
    assert list(_line(ax, "england").get_ydata()) == [70, 71, 70, 67]
    assert list(_line(ax, "region").get_ydata()) == [86, 87, 88, 88]
    assert list(_line(ax, "neighbours").get_ydata()) == [95, 95, 95.5, 95]
    assert list(_line(ax, "target").get_ydata()) == [80, 80]
    # line styles differ, so the chart reads in greyscale
    styles = {
        g: (_line(ax, g).get_linestyle(), _line(ax, g).get_marker())
        for g in ("area", "england", "region", "neighbours")
    }
    assert len(set(styles.values())) == 4
    labels = [t.get_text() for t in ax.texts]
    assert sorted(labels) == sorted(
        ["England 67", "West Midlands 88", "Neighbours' mean 95", "Dudley 81", "Target 80"]
    )
    assert ax.get_legend() is None  # direct labels, no legend
    assert chart.title == (
        "Looked-after children per 10,000 in Dudley fell from 85 at "
        "31 March 2022 to 81 at 31 March 2025"
    )
    assert any(t.replace("\n", " ") == chart.title for t in _texts(chart.figure))
    # the publication, not the data file's name (the appendix lists the files)
    assert chart.source == "Source: DfE CLA 2025 release"
    # the source is written once, in the HTML figcaption, not in the image as well
    assert not any("Source" in t for t in _texts(chart.figure))


def test_trend_alt_text(lac, close_figures) -> None:
    chart = charts.trend_chart(
        lac,
        "cla_rate",
        DUDLEY,
        neighbours=SN,
        target=80,
        label="Looked-after children per 10,000",
        unit="rate per 10,000",
        decimals=0,
    )
    close_figures.append(chart)
    assert chart.alt_text == (
        "Line chart. Looked-after children per 10,000 in Dudley fell from 85 at 31 March 2022 "
        "to 81 at 31 March 2025; England 67, West Midlands 88, statistical-neighbour mean 95, "
        "target 80."
    )


def test_trend_direct_labels_do_not_overlap(lac, close_figures) -> None:
    close = lac.copy()
    close.loc[close["area_code"] == ENGLAND, "value"] = [84, 83, 82, 80.5]
    chart = charts.trend_chart(close, "cla_rate", DUDLEY, unit="rate per 10,000")
    close_figures.append(chart)
    fig = chart.figure
    fig.canvas.draw()
    boxes = [t.get_window_extent() for t in fig.axes[0].texts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_trend_catalogue_and_rise(lac, close_figures) -> None:
    cat = pd.DataFrame(
        {
            "indicator": ["cla_rate"],
            "title": ["LAC rate"],
            "unit": ["rate per 10,000"],
            "decimals": [1],
        }
    )
    rising = lac.copy()
    rising.loc[rising["area_code"] == DUDLEY, "value"] = [80, 81, 82, 83.25]
    chart = charts.trend_chart(rising, "cla_rate", DUDLEY, catalogue=cat)
    close_figures.append(chart)
    assert chart.title.startswith("LAC rate in Dudley rose from 80.0 at 31 March 2022 to 83.3")


def test_trend_does_not_mutate(lac, close_figures) -> None:
    before = lac.copy()
    close_figures.append(charts.trend_chart(lac, "cla_rate", DUDLEY, neighbours=SN))
    pd.testing.assert_frame_equal(lac, before)


def test_trend_missing_area_raises(lac) -> None:
    with pytest.raises(NoDataToChart, match="no cla_rate values"):
        charts.trend_chart(lac, "cla_rate", "E99999999")


# --- NEET gap -----------------------------------------------------------------------


@pytest.fixture
def neet() -> pd.DataFrame:
    return _rows(
        "neet_16_17",
        {
            "E08000035": ("Leeds", "la", [8.0, 8.3, 6.9]),
            ENGLAND: ("England", "england", [5.9, 6.2, 5.9]),
        },
        ["2010", "2011", "2012"],
        "calendar_year",
        ["2010-12-31", "2011-12-31", "2012-12-31"],
        source="NCCIS",
    )


def test_neet_gap_shaded_and_labelled(neet, close_figures) -> None:
    chart = charts.neet_gap_chart(neet, "E08000035")
    close_figures.append(chart)
    ax = chart.figure.axes[0]
    assert list(_line(ax, "area").get_ydata()) == [8.0, 8.3, 6.9]
    assert list(_line(ax, "england").get_ydata()) == [5.9, 6.2, 5.9]
    gap = [c for c in ax.collections if c.get_gid() == "gap"]
    assert len(gap) == 1
    vertices = gap[0].get_paths()[0].vertices
    assert set(np.round(vertices[:, 1], 6)) >= {8.0, 8.3, 6.9, 5.9, 6.2}
    gap_label = [t for t in ax.texts if t.get_gid() == "gap-label"]
    assert [t.get_text().replace("\n", " ") for t in gap_label] == [
        "Gap: 1.0 percentage points above England"
    ]
    assert chart.title == (
        "NEET in Leeds was 1.0 percentage points above England in the calendar year 2012; "
        "the gap has narrowed from 2.1 percentage points above in the calendar year 2010, "
        "an improvement relative to England"
    )
    assert (
        "Leeds 6.9% and England 5.9% in the calendar year 2012, 1.0 percentage points above "
        "England" in chart.alt_text
    )
    assert {"Leeds 6.9%", "England 5.9%"} <= {t.get_text() for t in ax.texts}


def test_neet_gap_below_england(neet, close_figures) -> None:
    below = neet.copy()
    below.loc[below["area_code"] == "E08000035", "value"] = [5.0, 5.0, 4.4]
    chart = charts.neet_gap_chart(below, "E08000035")
    close_figures.append(chart)
    assert "1.5 percentage points below England in the calendar year 2012" in chart.title
    label = [t.get_text() for t in chart.figure.axes[0].texts if t.get_gid() == "gap-label"]
    assert [t.replace("\n", " ") for t in label] == ["Gap: 1.5 percentage points below England"]


@pytest.mark.parametrize(
    "area, first, last, expected",
    [
        # Dudley: 0.3 above England at the start, below at the end: the sign must not be lost
        (
            "E08000027",
            3.1,
            2.4,
            "NEET in Dudley was 1.0 percentage points below England on average from "
            "December 2024 to February 2025; the gap has reversed from 0.3 percentage points above "
            "on average from December 2020 to February 2021, an improvement relative to England",
        ),
        # Leeds: 0.5 below England at the start, above at the end
        (
            "E08000035",
            2.3,
            4.9,
            "NEET in Leeds was 1.5 percentage points above England on average from "
            "December 2024 to February 2025; the gap has reversed from 0.5 percentage points below "
            "on average from December 2020 to February 2021, a deterioration relative to England",
        ),
    ],
)
def test_neet_gap_title_states_the_side_both_times(area, first, last, expected, close_figures):
    name = {"E08000027": "Dudley", "E08000035": "Leeds"}[area]
    obs = _rows(
        "neet_16_17",
        {area: (name, "la", [first, last]), ENGLAND: ("England", "england", [2.8, 3.4])},
        ["2021", "2025"],
        "dec_feb_average",
        ["2021-02-28", "2025-02-28"],
        source="NCCIS",
    )
    obs["period_start"] = pd.to_datetime(obs["period"].astype(int).sub(1).astype(str) + "-12-01")
    chart = charts.neet_gap_chart(obs, area)
    close_figures.append(chart)
    assert chart.title == expected
    assert "up from" not in chart.title and "down from" not in chart.title


# --- attendance ---------------------------------------------------------------------


def test_attendance_panels(close_figures) -> None:
    frames = []
    for ind, values, eng in (
        ("PriTotAbs", [4.6, 4.4, 4.0], [4.5, 4.2, 4.1]),
        ("SecTotAbs", [6.9, 6.2, 5.6], [6.0, 5.5, 5.2]),
    ):
        frames.append(
            _rows(
                ind,
                {
                    "E08000035": ("Leeds", "la", values),
                    ENGLAND: ("England", "england", eng),
                    "N1": ("N1", "la", [5, 5, 5]),
                    "N2": ("N2", "la", [4, 4, 4]),
                },
                ["2014/15", "2015/16", "2016/17"],
                "academic_year",
                ["2015-08-31", "2016-08-31", "2017-08-31"],
                source="LAIT",
            )
        )
    obs = pd.concat(frames, ignore_index=True)
    chart = charts.attendance_chart(obs, "E08000035", neighbours=["N1", "N2"])
    close_figures.append(chart)
    primary, secondary = chart.figure.axes
    assert primary.get_title(loc="left") == "Primary"
    assert secondary.get_title(loc="left") == "Secondary"
    assert list(_line(primary, "area").get_ydata()) == [4.6, 4.4, 4.0]
    assert list(_line(secondary, "england").get_ydata()) == [6.0, 5.5, 5.2]
    assert list(_line(secondary, "neighbours").get_ydata()) == [4.5, 4.5, 4.5]
    assert primary.get_ylim() == secondary.get_ylim()  # shared scale
    assert chart.title == (
        "Overall absence in Leeds: primary 4.0% (lower than England's 4.1%); "
        "secondary 5.6% (higher than England's 5.2%)"
    )
    assert "Secondary overall absence in Leeds in 2016/17: 5.6%; England 5.2%" in chart.alt_text


# --- SPC ----------------------------------------------------------------------------


@pytest.fixture
def spc_frame() -> pd.DataFrame:
    ends = pd.date_range("2019-06-30", periods=12, freq="QE")
    return pd.DataFrame(
        {
            "period": [f"P{i}" for i in range(12)],
            "period_end": ends,
            "value": [10, 11, 9, 10, 12, 10, 15, 9, 10, 6, 10, 11.0],
            "mean": 10.2,
            "upper": 13.5,
            "lower": 6.9,
            "special_cause_improvement": [False] * 9 + [True, False, False],
            "special_cause_concern": [False] * 6 + [True] + [False] * 5,
        }
    )


def test_spc_structure(spc_frame, close_figures) -> None:
    chart = charts.spc_chart(
        spc_frame,
        label="CP plans per 10,000",
        area_name="Dudley",
        unit="rate per 10,000",
        decimals=1,
        variation="special cause improvement (low)",
        assurance="hit and miss target",
    )
    close_figures.append(chart)
    ax = chart.figure.axes[0]
    assert list(_line(ax, "values").get_ydata()) == list(spc_frame["value"])
    assert set(_line(ax, "mean").get_ydata()) == {10.2}
    assert set(_line(ax, "upper").get_ydata()) == {13.5}
    assert set(_line(ax, "lower").get_ydata()) == {6.9}
    assert list(_line(ax, "special-improvement").get_ydata()) == [6.0]
    assert list(_line(ax, "special-concern").get_ydata()) == [15.0]
    icons = [t.get_text() for t in ax.texts if t.get_gid() == "icons"][0]
    assert "▼ Variation: special cause improvement (low)" in icons
    assert "? Assurance: hit and miss target" in icons
    assert {"Mean 10.2", "Upper limit 13.5", "Lower limit 6.9"} <= {t.get_text() for t in ax.texts}
    assert chart.alt_text.startswith(
        "SPC chart of CP plans per 10,000 in Dudley, P0 to P11: mean 10.2, process limits "
        "6.9 to 13.5; latest 11.0. 2 special-cause points (1 improvement, 1 concern)."
    )


def test_spc_common_cause_only(spc_frame, close_figures) -> None:
    calm = (
        spc_frame.drop(columns=["special_cause_improvement", "special_cause_concern"])
        .assign(special_cause=False)
        .rename(columns={"upper": "ucl", "lower": "lcl"})
    )
    chart = charts.spc_chart(calm, label="X", area_name="Dudley", variation="common cause")
    close_figures.append(chart)
    assert chart.title == "X in Dudley: only common-cause variation"
    assert not [
        ln for ln in chart.figure.axes[0].get_lines() if str(ln.get_gid()).startswith("special")
    ]


# --- benchmark ----------------------------------------------------------------------


@pytest.fixture
def bench() -> pd.DataFrame:
    n = 12
    codes = [f"L{i:02d}" for i in range(n)]
    codes[9] = DUDLEY
    frame = pd.DataFrame(
        {
            "area_code": codes,
            "area_name": [f"LA {i}" for i in range(n)],
            "value": np.arange(10.0, 10.0 + 5 * n, 5),
            "flag": None,
            "rank": np.arange(1, n + 1, dtype=float),
            "n_ranked": n,
            "quartile": list("AAABBBCCCDDD"),
            "england_value": 40.0,
        }
    )
    frame.loc[9, "area_name"] = "Dudley"
    extra = pd.DataFrame(
        {
            "area_code": ["LX"],
            "area_name": ["Suppressed"],
            "value": [np.nan],
            "flag": ["c"],
            "rank": [np.nan],
            "n_ranked": [n],
            "quartile": [None],
            "england_value": [40.0],
        }
    )
    return pd.concat([frame.iloc[::-1], extra], ignore_index=True)  # unsorted on purpose


def test_benchmark_bars_highlight_and_bands(bench, close_figures) -> None:
    chart = charts.benchmark_chart(
        bench,
        area_code=DUDLEY,
        label="LAC per 10,000",
        unit="rate per 10,000",
        decimals=0,
        period="31 March 2025",
        neighbours=["L02", "L05"],
        source="DfE",
    )
    close_figures.append(chart)
    ax = chart.figure.axes[0]
    bar_patches = [b for b in ax.patches if not str(b.get_gid()).startswith("quartile")]
    assert [b.get_height() for b in bar_patches] == list(np.arange(10.0, 70.0, 5))
    colours = [matplotlib.colors.to_hex(b.get_facecolor()) for b in bar_patches]
    assert colours[9] == charts.PALETTE["area"].lower()
    assert colours[2] == colours[5] == charts.PALETTE["neighbours"].lower()
    assert colours.count(charts.PALETTE["context"].lower()) == 9
    band_labels = sorted(t.get_text() for t in ax.texts if str(t.get_gid()).startswith("quartile"))
    assert band_labels == ["Quartile A (best)", "Quartile B", "Quartile C", "Quartile D"]
    spans = [p for p in ax.patches if str(p.get_gid()).startswith("quartile-")]
    assert len(spans) == 4
    label = [t for t in ax.texts if t.get_gid() == "area-label"]
    assert [t.get_text() for t in label] == ["Dudley 55"]
    assert list(_line(ax, "neighbour-markers").get_xdata()) == [2, 5]
    assert chart.title == (
        "Dudley ranked 10th of 12 councils for LAC per 10,000 at 31 March 2025 (quartile D)"
    )
    assert "Dudley 55, ranked 10th of 12 (quartile D)" in chart.alt_text
    assert "1 council with no published figure not shown" in chart.source


# --- quarter comparison -------------------------------------------------------------


def test_quarter_comparison(close_figures) -> None:
    changes = pd.DataFrame(
        {
            "indicator": ["LAC"] * 3 + ["CPP"] * 3,
            "area_code": DUDLEY,
            "period": "2012-13 Q2",
            "value": [109.4] * 3 + [29.6] * 3,
            "comparison": ["previous_quarter", "same_period_last_year", "previous_year_end"] * 2,
            "comparison_period": ["2012-13 Q1", "2011-12 Q2", "2011-12"] * 2,
            "comparison_value": [104.9, 100.0, 101.0, 36.0, 29.6, 30.0],
            "direction": [
                "worsening",
                "worsening",
                "worsening",
                "improving",
                "no change",
                "improving",
            ],
            "source": "local",
        }
    )
    cat = pd.DataFrame(
        {
            "indicator": ["LAC", "CPP"],
            "title": ["LAC per 10,000", "CP plans"],
            "unit": ["rate per 10,000", "rate per 10,000"],
            "decimals": [1, 1],
        }
    )
    chart = charts.quarter_comparison_chart(changes, area_name="Dudley", catalogue=cat)
    close_figures.append(chart)
    lac_ax, cpp_ax = chart.figure.axes
    assert lac_ax.get_title(loc="left") == "LAC per 10,000"
    seg = _line(lac_ax, "LAC:previous_quarter")
    assert list(seg.get_xdata()) == [104.9, 109.4]
    assert (
        matplotlib.colors.to_hex(seg.get_color())
        == charts.DIRECTION_STYLE["worsening"]["color"].lower()
    )
    improving = _line(cpp_ax, "CPP:previous_quarter")
    assert improving.get_linestyle() != seg.get_linestyle()  # not colour alone
    words = {
        t.get_gid(): t.get_text()
        for ax in (lac_ax, cpp_ax)
        for t in ax.texts
        if str(t.get_gid()).startswith("direction:")
    }
    # words, never an arrow (an up arrow for a rate that fell and improved contradicts it)
    assert words == {
        "direction:LAC:previous_quarter": "Worsened",
        "direction:LAC:same_period_last_year": "Worsened",
        "direction:CPP:previous_quarter": "Improved",
        "direction:CPP:same_period_last_year": "No change within tolerance",
    }
    assert (
        chart.title
        == "Dudley, 2012-13 Q2: against last quarter, 1 improved, 1 worsened of 2 indicators"
    )
    assert (
        "LAC per 10,000: 109.4 in 2012-13 Q2, last quarter (2012-13 Q1) 104.9, worsening"
        in chart.alt_text
    )


# --- output -------------------------------------------------------------------------


def test_png_is_deterministic(lac, close_figures) -> None:
    a = charts.trend_chart(lac, "cla_rate", DUDLEY, neighbours=SN, target=80)
    b = charts.trend_chart(lac, "cla_rate", DUDLEY, neighbours=SN, target=80)
    close_figures.extend([a, b])
    png_a = chart_png(a)
    assert png_a[:8] == b"\x89PNG\r\n\x1a\n"
    assert png_a == chart_png(a) == chart_png(b)
    assert b"Software" not in png_a and b"matplotlib" not in png_a


@pytest.mark.parametrize("dpi", [150, 97])
def test_png_has_the_pixels_matplotlib_draws_without_its_alpha(lac, close_figures, dpi) -> None:
    import io

    import PIL.Image

    chart = charts.trend_chart(lac, "cla_rate", DUDLEY, neighbours=SN, target=80)
    close_figures.append(chart)
    ours = PIL.Image.open(io.BytesIO(chart_png(chart, dpi)))
    theirs = io.BytesIO()
    with charts.house_style():
        chart.figure.savefig(theirs, format="png", dpi=dpi, facecolor="white")
    theirs = PIL.Image.open(theirs)
    assert ours.mode == "RGB" and theirs.mode == "RGBA" and ours.size == theirs.size
    assert (np.asarray(theirs)[..., 3] == 255).all()
    assert np.array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])
    assert round(ours.info["dpi"][0]) == dpi


def _log_axis_chart() -> Chart:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 3.5))
    ax = figure.add_subplot()
    ax.scatter([40, 300, 2_000, 15_000], [3.0, 2.5, 4.1, 3.3])
    ax.set_xscale("log")
    ax.set_xlim(35, 20_000)
    return Chart(figure, "alt", "title", "Source: test")


def test_png_makes_only_the_ticks_it_draws_and_draws_the_same_pixels() -> None:
    import io

    import PIL.Image

    ours, theirs = _log_axis_chart(), _log_axis_chart()
    png = PIL.Image.open(io.BytesIO(chart_png(ours)))
    raw = io.BytesIO()
    with charts.house_style():  # matplotlib left to make every tick its locators give
        theirs.figure.savefig(raw, format="png", dpi=150, facecolor="white")
    assert np.array_equal(np.asarray(png), np.asarray(PIL.Image.open(raw))[..., :3])

    def made(chart: Chart) -> int:
        axis = chart.figure.axes[0].xaxis
        return len(axis.majorTicks) + len(axis.minorTicks)

    assert made(ours) < made(theirs) / 2  # decades either side of the view are not made
    axis = ours.figure.axes[0].xaxis  # and the axis is the caller's again
    assert type(axis.get_major_locator()).__name__ == "LogLocator"
    assert type(axis.get_minor_formatter()).__name__ == "LogFormatterSciNotation"


def test_png_keeps_the_alpha_of_a_figure_that_has_some() -> None:
    import io

    import PIL.Image
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1))
    figure.patch.set_alpha(0.0)  # a see-through background survives the white face
    figure.add_subplot().plot([1, 2], [2, 1])
    ours = PIL.Image.open(io.BytesIO(chart_png(Chart(figure, "alt", "title", "Source: x"))))
    raw = io.BytesIO()
    with charts.house_style():
        figure.savefig(raw, format="png", dpi=150, facecolor="white")
    theirs = PIL.Image.open(raw)
    assert ours.mode == theirs.mode == "RGBA" and ours.size == (300, 150)
    assert np.array_equal(np.asarray(ours), np.asarray(theirs))


def test_figure_to_html(lac, close_figures) -> None:
    chart = charts.trend_chart(lac, "cla_rate", DUDLEY, label='LAC "rate" <per 10k>', unit="count")
    close_figures.append(chart)
    html = figure_to_html(chart)
    assert html == figure_to_html(chart)
    assert html.startswith('<figure class="perf-chart" style="') and html.endswith("</figure>")
    assert "break-inside:avoid" in html
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert alt == chart.alt_text.replace("&", "&amp;").replace('"', "&quot;").replace(
        "<", "&lt;"
    ).replace(">", "&gt;")
    payload = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(payload) == chart_png(chart)
    assert "<figcaption>" in html and "Source: DfE CLA 2025 release" in html
    assert html.count("Source: DfE CLA") == 1  # once, as text, not in the PNG too
    width = re.search(r"max-width:([0-9.]+)cm", html.split("<img", 1)[1]).group(1)
    assert float(width) <= 17.0  # fits an A4 page's text width


def test_every_chart_fits_a4(lac, neet, bench, spc_frame, close_figures) -> None:
    made = [
        charts.trend_chart(lac, "cla_rate", DUDLEY),
        charts.neet_gap_chart(neet, "E08000035"),
        charts.benchmark_chart(bench, area_code=DUDLEY, label="x", unit="%", decimals=0),
        charts.spc_chart(spc_frame, label="x", area_name="Dudley"),
    ]
    close_figures.extend(made)
    for chart in made:
        width, height = chart.figure.get_size_inches()
        assert width <= charts.MAX_WIDTH_IN and height <= charts.MAX_HEIGHT_IN
        assert chart.source.startswith("Source:")


# --- layout: no repeated tick labels, no text on text or on lines, nothing clipped ------


def _neet_real_like():
    """The Dudley 2024 shape the reviewer saw: values 2-3.4%, 0.5 steps, gap on the England
    line's side."""
    return _rows(
        "neet_16_17",
        {
            DUDLEY: ("Dudley", "la", [3.1, 2.0, 2.8, 2.5]),
            ENGLAND: ("England", "england", [2.8, 2.6, 2.8, 3.2]),
        },
        ["2021", "2022", "2023", "2024"],
        "calendar_year",
        ["2021-12-31", "2022-12-31", "2023-12-31", "2024-12-31"],
        source="UD_NEETNK_LA_dashboard_2021.csv (DfE NCCIS); " * 4,
    )


def _absence_ten_years():
    years = [2015, 2016, 2017, 2018, 2020, 2021, 2022, 2023, 2024]
    frames = []
    for ind, base in (("PriTotAbs", 4.0), ("SecTotAbs", 5.5)):
        jump = [0, 0, 0, 0, 0, 3, 3, 3, 3]
        frames.append(
            _rows(
                ind,
                {
                    DUDLEY: ("Dudley", "la", [base + j + 0.2 for j in jump]),
                    ENGLAND: ("England", "england", [base + j - 0.1 for j in jump]),
                    SN[0]: ("N1", "la", [base + j + 0.1 for j in jump]),
                    SN[1]: ("N2", "la", [base + j + 0.2 for j in jump]),
                },
                [f"{y}/{str(y + 1)[2:]}" for y in years],
                "academic_year",
                [f"{y + 1}-08-31" for y in years],
                source="LAIT",
            )
        )
    return pd.concat(frames, ignore_index=True)


def _all_charts(lac, neet, bench, spc_frame):
    from perf.spc import xmr

    series = pd.Series(
        [4.1, 4.3, 4.4, 4.3, 4.1, 6.9, 6.4, 6.0, 5.7, 5.5, 5.4, 5.3],
        index=[f"P{i}" for i in range(12)],
    )
    real_spc = xmr(series, polarity="low").assign(
        period=series.index, period_end=pd.date_range("2014-08-31", periods=12, freq="12ME")
    )
    changes = pd.DataFrame(
        {
            "indicator": ["LAC"] * 2,
            "area_code": DUDLEY,
            "period": "2012-13 Q2",
            "value": [109.4, 109.4],
            "comparison": ["previous_quarter", "same_period_last_year"],
            "comparison_period": ["2012-13 Q1", "2011-12 Q2"],
            "comparison_value": [108.9, 100.0],
            "direction": ["worsening", "worsening"],
            "source": "local",
        }
    )
    return {
        "trend": charts.trend_chart(
            lac, "cla_rate", DUDLEY, neighbours=SN, target=80, unit="rate per 10,000"
        ),
        "neet": charts.neet_gap_chart(_neet_real_like(), DUDLEY),
        "neet-fixture": charts.neet_gap_chart(neet, "E08000035"),
        "attendance": charts.attendance_chart(_absence_ten_years(), DUDLEY, neighbours=SN),
        "spc": charts.spc_chart(
            spc_frame,
            label="x",
            area_name="Dudley",
            unit="%",
            decimals=1,
            variation="special cause improvement (low)",
            assurance="hit and miss target",
        ),
        "spc-xmr": charts.spc_chart(
            real_spc,
            label="Absence",
            area_name="Dudley",
            unit="%",
            decimals=2,
            variation="special cause concerning",
        ),
        "benchmark": charts.benchmark_chart(
            bench,
            area_code=DUDLEY,
            label="x",
            unit="rate per 10,000",
            decimals=0,
            neighbours=["L02", "L05"],
        ),
        "quarter": charts.quarter_comparison_chart(
            changes,
            area_name="Dudley",
            catalogue=pd.DataFrame(
                {
                    "indicator": ["LAC"],
                    "title": ["LAC per 10,000"],
                    "unit": ["rate per 10,000"],
                    "decimals": [1],
                }
            ),
        ),
    }


def _drawn_ticklabels(axis):
    """Tick labels matplotlib draws: those inside the view interval."""
    lo, hi = sorted(axis.get_view_interval())
    span = (hi - lo) * 1e-9
    return [
        t
        for t, loc in zip(axis.get_majorticklabels(), axis.get_majorticklocs())
        if lo - span <= loc <= hi + span
    ]


def _visible_texts(fig, renderer):
    out = []
    for t in fig.texts:
        out.append(t)
    for ax in fig.axes:
        out += [t for t in ax.texts]
        out += [ax.title, ax._left_title, ax._right_title]
        for axis in (ax.xaxis, ax.yaxis):
            out += _drawn_ticklabels(axis)
    return [
        t
        for t in out
        if t.get_visible() and t.get_text().strip() and t.get_window_extent(renderer).width > 0
    ]


@pytest.fixture
def every_chart(lac, neet, bench, spc_frame, close_figures):
    made = _all_charts(lac, neet, bench, spc_frame)
    close_figures.extend(made.values())
    for chart in made.values():
        chart_png(chart)  # lays everything out at the saved dpi
    return made


def test_value_axis_labels_never_repeat(every_chart) -> None:
    for name, chart in every_chart.items():
        chart.figure.canvas.draw()
        for ax in chart.figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                labels = [
                    t.get_text()
                    for t in _drawn_ticklabels(axis)
                    if t.get_visible() and t.get_text()
                ]
                assert len(labels) == len(set(labels)), (name, labels)
    neet_axis = every_chart["neet"].figure.axes[0].yaxis
    assert [t.get_text() for t in neet_axis.get_majorticklabels()][:2] != ["0%", "0%"]


def test_no_text_overlaps_text_and_nothing_is_clipped(every_chart) -> None:
    for name, chart in every_chart.items():
        fig = chart.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        texts = _visible_texts(fig, renderer)
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
        page = fig.bbox
        for text, box in boxes:
            assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5, (name, text, "clipped")
            assert page.y0 <= box.y0 and box.y1 <= page.y1 + 0.5, (name, text, "clipped")
        for i, (ta, a) in enumerate(boxes):
            for tb, b in boxes[i + 1 :]:
                assert not a.overlaps(b), (name, ta, tb)


def test_labels_do_not_sit_on_lines(every_chart) -> None:
    for name, chart in every_chart.items():
        fig = chart.figure
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            labels = [t for t in ax.texts if t.get_gid() in ("direct-label", "gap-label")]
            lines = [
                ln
                for ln in ax.get_lines()
                if ln.get_linestyle() not in ("None", "none") and len(ln.get_xdata()) > 1
            ]
            for t in labels:
                box = t.get_window_extent(renderer).padded(-1)
                for ln in lines:
                    path = ln.get_transform().transform_path(ln.get_path())
                    assert not path.intersects_bbox(box, filled=False), (
                        name,
                        t.get_text(),
                        ln.get_gid(),
                    )


def test_gap_label_sits_between_the_line_ends(every_chart) -> None:
    fig = every_chart["neet"].figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    by_text = {t.get_text().split(" ")[0]: t.get_window_extent(renderer) for t in ax.texts}
    gap, dudley, england = by_text["Gap:"], by_text["Dudley"], by_text["England"]
    assert dudley.y1 <= gap.y0 and gap.y1 <= england.y0  # Dudley below England in 2024


def test_time_axis_is_thinned_until_labels_fit(every_chart) -> None:
    for ax in every_chart["attendance"].figure.axes:
        labels = [t.get_text() for t in ax.xaxis.get_majorticklabels() if t.get_text()]
        assert labels[-1] == "2024/25" and 2 <= len(labels) < 9
        assert len(ax.xaxis.get_minorticklocs()) == 9 - len(labels)  # the rest still marked


def test_every_chart_renders_deterministically(lac, neet, bench, spc_frame, close_figures) -> None:
    a = _all_charts(lac, neet, bench, spc_frame)
    b = _all_charts(lac, neet, bench, spc_frame)
    close_figures.extend([*a.values(), *b.values()])
    for name in a:
        assert chart_png(a[name]) == chart_png(b[name]), name


# --- saving -------------------------------------------------------------------------


def test_save_writes_the_png_the_report_embeds_and_the_html_figure(lac, tmp_path, close_figures):
    chart = charts.trend_chart(lac, "cla_rate", DUDLEY, unit="rate per 10,000", decimals=0)
    close_figures.append(chart)
    png = chart.save(tmp_path / "out" / "lac.png")
    assert png.read_bytes() == chart_png(chart) and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = chart.save(tmp_path / "lac.html").read_text(encoding="utf-8")
    assert page.strip() == figure_to_html(chart) == chart._repr_html_()
    assert f'alt="{chart.alt_text}"' in page


def test_save_refuses_a_format_it_cannot_write(lac, tmp_path, close_figures):
    from perf.errors import PerfError

    chart = charts.trend_chart(lac, "cla_rate", DUDLEY, unit="rate per 10,000", decimals=0)
    close_figures.append(chart)
    with pytest.raises(PerfError, match=r"cannot save a chart as \.pdf") as caught:
        chart.save(tmp_path / "lac.pdf")
    assert caught.value.hint == "Use a .png or .html file name."
    assert not (tmp_path / "lac.pdf").exists()
