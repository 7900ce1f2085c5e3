"""perf.charts, in-year attendance: the year-to-date chart (this year at each quarter's end,
and the same point in earlier years) and the weekly XmR chart: series drawn, alt text that
states the finding, releases and cut-offs in the caption, house layout rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from perf import charts
from perf.charts import attendance_weekly_chart, attendance_ytd_chart, chart_png, figure_to_html
from perf.errors import NoDataToChart
from perf.spc import xmr


def points_frame() -> pd.DataFrame:
    """quarter_points-shaped rows: Leeds secondary, 2022/23 to 2024/25 (Q3 2024-25)."""
    rows = [  # academic year, point, cutoff, published, value, england, sn
        ("2022/23", 2, date(2022, 12, 23), date(2023, 1, 12), 90.1, 90.7, 90.3),
        ("2022/23", 3, date(2023, 3, 24), date(2023, 4, 6), 89.0, 90.1, 89.5),
        ("2023/24", 1, date(2023, 9, 29), date(2023, 10, 12), 92.6, 93.5, 93.0),
        ("2023/24", 2, date(2023, 12, 22), date(2024, 1, 11), 90.4, 91.6, 91.2),
        ("2024/25", 1, date(2024, 9, 27), date(2024, 10, 10), 93.1, 93.2, 92.9),
        ("2024/25", 2, date(2024, 12, 20), date(2025, 1, 9), 91.8, 92.0, 91.6),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "academic_year",
            "point",
            "cutoff",
            "published",
            "value",
            "england_value",
            "sn_mean",
        ],
    )
    return frame.assign(
        area_code="E08000035",
        area_name="Leeds",
        indicator="attendance_ytd_secondary",
        point_label=frame["point"].map({1: "Sep", 2: "Dec", 3: "Mar", 4: "Jun"}),
        release=[f"EES_ytd_data_published_{p}.csv" for p in frame["published"]],
        cutoff_basis="estimated from the publication date",
        region_value=np.nan,
        current=frame["academic_year"] == "2024/25",
    )


def weekly_frame() -> pd.DataFrame:
    """weekly_spc-shaped rows: 13 weeks, falling at the end of term."""
    weeks = [37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48, 49, 50]
    values = [93.0, 91.7, 91.4, 91.8, 91.6, 90.5, 91.4, 91.3, 90.3, 88.7, 88.1, 86.8, 84.7]
    chart = xmr(values, polarity="high").reset_index(drop=True)
    starts = [pd.Timestamp(date.fromisocalendar(2022, w, 1)) for w in weeks]
    chart.insert(0, "period", [f"Week {w} 2022" for w in weeks])
    chart["period_start"] = starts
    chart["period_end"] = [s + pd.Timedelta(days=4) for s in starts]
    chart["source"] = (
        "EES_weekly_data_published_2023-01-12.csv (DfE Pupil attendance in "
        "schools, release of 12 January 2023, weekly)"
    )
    chart.attrs = {
        "indicator": "attendance_week_secondary",
        "area_name": "Leeds",
        "polarity": "high",
    }
    return chart


@pytest.fixture
def made():
    out = []
    yield out
    for chart in out:
        chart.figure.clear()


def texts_do_not_overlap_or_clip(chart) -> None:
    fig = chart.figure
    chart_png(chart)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = list(fig.texts)
    for ax in fig.axes:
        texts += list(ax.texts) + [ax._left_title]
        texts += [t for t in ax.xaxis.get_majorticklabels() + ax.yaxis.get_majorticklabels()]
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in texts
        if t.get_visible() and t.get_text().strip()
    ]
    boxes = [(t, b) for t, b in boxes if b.width > 0]
    for text, box in boxes:
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 + 0.5, text
        assert fig.bbox.y0 <= box.y0 and box.y1 <= fig.bbox.y1 + 0.5, text
    for i, (ta, a) in enumerate(boxes):
        for tb, b in boxes[i + 1 :]:
            assert not a.overlaps(b), (ta, tb)


def test_ytd_chart_states_the_finding_and_names_the_releases(made):
    points = points_frame()
    before = points.copy()
    chart = attendance_ytd_chart(points)
    made.append(chart)
    assert chart.title == (
        "Attendance in secondary schools in Leeds, year to 20 December 2024: "
        "91.8%, 1.4 percentage points higher than at this point in 2023/24 "
        "(England 92.0%)"
    )
    assert chart.alt_text.startswith("Two line charts. " + chart.title)
    assert "Leeds 90.1% in 2022/23, 90.4% in 2023/24, 91.8% in 2024/25" in chart.alt_text
    assert (
        "statistical-neighbour mean 92.9% to 27 September 2024, 91.6% to 20 December 2024"
        in chart.alt_text
    )
    # every release drawn is in the caption with the date its figures run to
    for published, cutoff in (
        ("12 January 2023", "23 December 2022"),
        ("11 January 2024", "22 December 2023"),
        ("10 October 2024", "27 September 2024"),
        ("9 January 2025", "20 December 2024"),
    ):
        assert f"{published} (to {cutoff})" in chart.source
    assert "6 April 2023" not in chart.source  # a March point is not drawn for December
    assert "estimated from the publication dates" in chart.source
    pd.testing.assert_frame_equal(points, before)


def test_ytd_chart_draws_this_year_and_the_same_point_each_year(made):
    chart = attendance_ytd_chart(points_frame())
    made.append(chart)
    top, bottom = chart.figure.axes
    lines = {ax: {ln.get_gid(): ln for ln in ax.get_lines()} for ax in (top, bottom)}
    assert list(lines[top]["area"].get_ydata()) == [93.1, 91.8]
    assert list(lines[top]["england"].get_ydata()) == [93.2, 92.0]
    assert list(lines[bottom]["area"].get_ydata()) == [90.1, 90.4, 91.8]
    assert list(lines[bottom]["neighbours"].get_ydata()) == [90.3, 91.2, 91.6]
    assert [t.get_text() for t in bottom.get_xticklabels()] == [
        "2022/23\nto 23 December",
        "2023/24\nto 22 December",
        "2024/25\nto 20 December",
    ]
    labels = sorted(t.get_text() for t in bottom.texts)
    assert labels == ["England 92.0%", "Leeds 91.8%", "Neighbours' mean 91.6%"]
    texts_do_not_overlap_or_clip(chart)
    width, height = chart.figure.get_size_inches()
    assert width <= charts.MAX_WIDTH_IN and height <= charts.MAX_HEIGHT_IN


def test_ytd_chart_lower_and_unchanged_findings(made):
    lower = points_frame()
    lower.loc[lower.index[-1], "value"] = 90.0
    chart = attendance_ytd_chart(lower)
    made.append(chart)
    assert "0.4 percentage points lower than at this point in 2023/24" in chart.title
    same = points_frame()
    same.loc[same.index[-1], "value"] = 90.4
    chart = attendance_ytd_chart(same)
    made.append(chart)
    assert "the same as at this point in 2023/24" in chart.title
    assert "%" not in chart.title.split("(England")[0].split(": ", 1)[1].replace("90.4%", "")


def test_ytd_chart_needs_this_years_points():
    with pytest.raises(NoDataToChart, match="no year-to-date points"):
        attendance_ytd_chart(points_frame().assign(current=False))


def test_weekly_chart_is_an_spc_chart_with_weeks_named(made):
    spc = weekly_frame()
    chart = attendance_weekly_chart(spc)
    made.append(chart)
    assert chart.title == (
        "Weekly attendance in secondary schools in Leeds: the latest week "
        "(Week 50 2022, 84.7%) shows special-cause variation (concern)"
    )
    assert chart.alt_text.startswith(
        "Statistical process control (XmR) chart of weekly "
        "attendance in secondary schools in Leeds, Week 37 2022 "
        "to Week 50 2022"
    )
    assert (
        "release of 12 January 2023 (EES_weekly_data_published_2023-01-12.csv)" in chart.source
        and "release of 12 January 2023" in chart.alt_text
    )
    ax = chart.figure.axes[0]
    gids = {ln.get_gid() for ln in ax.get_lines()}
    assert {"values", "mean", "upper", "lower", "special-concern"} <= gids
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert shown[-1] == "Week\n50" and all(s.startswith("Week\n") for s in shown)
    texts_do_not_overlap_or_clip(chart)


def test_weekly_chart_common_cause_finding(made):
    flat = xmr([92.0, 92.4, 91.8, 92.2, 92.1, 91.9, 92.3, 92.0], polarity="high")
    weeks = list(range(37, 45))
    flat = flat.reset_index(drop=True).assign(
        period=[f"Week {w} 2022" for w in weeks],
        period_end=[pd.Timestamp(date.fromisocalendar(2022, w, 5)) for w in weeks],
        source="EES_weekly_data_published_2023-01-12.csv (DfE Pupil attendance in schools, "
        "release of 12 January 2023, weekly)",
    )
    flat.attrs = {"indicator": "attendance_week_primary", "area_name": "Dudley"}
    chart = attendance_weekly_chart(flat)
    made.append(chart)
    assert chart.title.startswith(
        "Weekly attendance in primary schools in Dudley, Week 37 2022 "
        "to Week 44 2022: only common-cause variation (mean 92.1%)"
    )


def test_attendance_charts_render_deterministically_to_html(made):
    a, b = attendance_ytd_chart(points_frame()), attendance_ytd_chart(points_frame())
    w = attendance_weekly_chart(weekly_frame())
    made.extend([a, b, w])
    assert chart_png(a) == chart_png(b)
    html = figure_to_html(w)
    assert "release of 12 January 2023" in html and 'alt="Statistical process control' in html
