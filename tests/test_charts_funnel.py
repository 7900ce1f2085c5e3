"""perf.charts.funnel_chart: points, limits, England's line and highlights checked on the
figure; the finding in the title, the method in the caption, alt text from the data."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from perf import charts
from perf.charts import chart_png, figure_to_html
from perf.errors import NoDataToChart
from perf.significance import funnel, funnel_curve

ENGLAND = "E92000001"
HOME, NB1, NB2 = "L01", "L02", "L03"


@pytest.fixture
def rates() -> pd.DataFrame:
    """England at 60 per 10,000 and twelve councils of 2,000 to 200,000 children."""
    counts = {
        "L01": (900, 100_000),
        "L02": (130, 20_000),
        "L03": (33, 6_000),
        "L04": (1_200, 200_000),
        "L05": (10, 2_000),
        "L06": (700, 150_000),
        "L07": (240, 40_000),
        "L08": (520, 80_000),
        "L09": (90, 15_000),
        "L10": (300, 60_000),
        "L11": (25, 3_000),
        "L12": (np.nan, 9_000),
    }
    rows = [
        {
            "area_code": ENGLAND,
            "area_name": "England",
            "area_level": "england",
            "value": 60.0,
            "numerator": 60_000.0,
            "denominator": 10_000_000.0,
        }
    ]
    for code, (num, den) in counts.items():
        rows.append(
            {
                "area_code": code,
                "area_name": f"Council {code[1:]}",
                "area_level": "la",
                "value": num / den * 10_000,
                "numerator": num,
                "denominator": float(den),
            }
        )
    frame = pd.DataFrame(rows).assign(
        indicator="cla_rate",
        period="31 March 2025",
        period_kind="snapshot",
        period_start=pd.Timestamp("2025-03-31"),
        period_end=pd.Timestamp("2025-03-31"),
        flag=None,
        source="cla_test.csv (DfE CLA 2025 release)",
    )
    frame.loc[frame["area_code"] == "L12", "flag"] = "c"
    return frame


@pytest.fixture
def fun(rates) -> pd.DataFrame:
    return funnel(rates, "cla_rate", "31 March 2025", kind="rate")


@pytest.fixture
def close_figures():
    made: list = []
    yield made
    for chart in made:
        chart.figure.clear()


def _chart(fun, close_figures, **kwargs):
    chart = charts.funnel_chart(
        fun,
        area_code=HOME,
        neighbours=[NB1, NB2],
        neighbour_set="DfE statistical neighbours, 2025 model",
        label="Children looked after per 10,000",
        unit="rate per 10,000",
        decimals=0,
        **kwargs,
    )
    close_figures.append(chart)
    return chart


def _line(ax, gid):
    found = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    assert found, f"no line {gid!r}; have {[ln.get_gid() for ln in ax.get_lines()]}"
    return found[0]


def _points(ax, gid):
    found = [c for c in ax.collections if c.get_gid() == gid]
    assert len(found) == 1, gid
    return found[0].get_offsets()


def test_points_limits_and_england(fun, close_figures):
    chart = _chart(fun, close_figures)
    ax = chart.figure.axes[0]
    assert ax.get_xscale() == "log"
    home = _points(ax, "area")
    assert home.tolist() == [[100_000.0, 90.0]]
    assert sorted(_points(ax, "neighbours")[:, 0].tolist()) == [6_000.0, 20_000.0]
    others = _points(ax, "councils")
    assert len(others) == 8  # 11 assessed, less the council and its two neighbours
    assert 9_000.0 not in others[:, 0]  # the suppressed council is not drawn
    assert set(_line(ax, "england").get_ydata()) == {60.0}
    curve = funnel_curve(fun)
    for gid in ("upper_998", "upper_95", "lower_95", "lower_998"):
        line = _line(ax, gid)
        assert np.allclose(line.get_ydata(), curve[gid])
        assert np.allclose(line.get_xdata(), curve["denominator"])
    # the 99.8% limits are outside the 95% ones, and drawn differently (greyscale-safe)
    assert (_line(ax, "upper_998").get_ydata() >= _line(ax, "upper_95").get_ydata()).all()
    assert _line(ax, "upper_998").get_linestyle() != _line(ax, "upper_95").get_linestyle()
    labels = {t.get_text() for t in ax.texts}
    assert {"99.8% limit", "95% limit", "England 60", "Council 01 90"} <= labels
    assert ax.get_legend() is None


def test_title_alt_text_and_caption_state_the_finding_and_method(fun, close_figures):
    chart = _chart(fun, close_figures)
    assert chart.title == (
        "Children looked after per 10,000 at 31 March 2025: Council 01 (90) "
        "was statistically higher than England (above the 99.8% limit)"
    )
    assert chart.alt_text.startswith(
        "Funnel plot of Children looked after per 10,000 at 31 March 2025 for 11 councils "
        "against the number of children aged 0-17 (log scale), with 95% and 99.8% control "
        "limits around England's value of 60. Council 01 90 with 100,000 children aged 0-17: "
        "statistically higher than England (above the 99.8% limit) (95% confidence interval "
    )
    counts = fun.attrs["counts"]
    assert f"{counts['higher_998']} statistically higher than England" in chart.alt_text
    assert "DfE statistical neighbours, 2025 model (2): " in chart.alt_text
    # the publication, not the data file (committee text names no files: issue 13 item 10)
    assert chart.source.startswith(
        "Source: DfE CLA 2025 release. Control limits: OHID's method (Fingertips technical "
        "guidance, 'Funnel plots')"
    )
    assert "1 council with no figure or denominator not shown." in chart.source
    html = figure_to_html(chart)
    caption = re.search(r"<figcaption>(.*)</figcaption>", html).group(1)
    assert "exact Poisson" in caption and "Byar" in caption


def test_subtitle_names_the_neighbour_set(fun, close_figures):
    chart = _chart(fun, close_figures)
    subtitle = [t.get_text() for t in chart.figure.texts if t.get_gid() == "subtitle"]
    assert subtitle == ["Rate per 10,000 children; ◆ DfE statistical neighbours, 2025 model"]


def test_council_not_assessed_says_why(fun, close_figures):
    chart = charts.funnel_chart(
        fun, area_code="L12", label="LAC rate", unit="rate per 10,000", decimals=0
    )
    close_figures.append(chart)
    assert chart.title == (
        "Council 12 was not assessed for LAC rate at 31 March 2025 (no published figure (flag c))"
    )
    assert [c.get_gid() for c in chart.figure.axes[0].collections] == ["councils"]


def test_normal_method_is_named(rates, close_figures):
    fun = funnel(rates, "cla_rate", "31 March 2025", kind="rate", method="normal")
    chart = _chart(fun, close_figures)
    assert "Spiegelhalter's normal approximation to the Poisson" in chart.source


def test_does_not_modify_the_funnel_frame(fun, close_figures):
    before = fun.copy()
    _chart(fun, close_figures)
    pd.testing.assert_frame_equal(fun, before)
    assert fun.attrs == before.attrs


def test_nothing_assessed_raises(fun):
    with pytest.raises(NoDataToChart, match="no council has an assessed"):
        charts.funnel_chart(fun.assign(significance="not_assessed"), area_code=HOME)


def test_png_is_deterministic_and_fits_a4(fun, close_figures):
    a, b = _chart(fun, close_figures), _chart(fun, close_figures)
    assert chart_png(a) == chart_png(b)
    width, height = a.figure.get_size_inches()
    assert width <= charts.MAX_WIDTH_IN and height <= charts.MAX_HEIGHT_IN


def test_no_text_overlaps_and_nothing_is_clipped(fun, close_figures):
    chart = _chart(fun, close_figures)
    chart_png(chart)
    fig = chart.figure
    renderer = fig.canvas.get_renderer()
    texts = [t for t in [*fig.texts, *fig.axes[0].texts] if t.get_text().strip()]
    boxes = [t.get_window_extent(renderer) for t in texts]
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1 :], i + 1):
            assert not a.overlaps(b), (texts[i].get_text(), texts[j].get_text())
    page = fig.bbox
    for t, box in zip(texts, boxes):
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 1, t.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1 + 1, t.get_text()
    label = fig.axes[0].xaxis.label.get_window_extent(renderer)
    assert page.x0 <= label.x0 and label.x1 <= page.x1


def test_real_lac_funnel(close_figures):
    import perf
    from perf.areas import neighbours
    from perf.catalogue import catalogue

    obs = perf.load_all()
    fun = funnel(obs, "cla_rate", "31 March 2025")
    chart = charts.funnel_chart(
        fun, area_code="E08000027", neighbours=neighbours("E08000027"), catalogue=catalogue()
    )
    close_figures.append(chart)
    assert chart.title.endswith(
        "Dudley (81) was statistically higher than England (above the 99.8% limit)"
    )
    assert "England's value of 67.1" in chart.alt_text
    assert chart.source.startswith("Source: DfE CLA, Explore Education Statistics. ")
    assert ".csv" not in chart.source
    assert len(_points(chart.figure.axes[0], "neighbours")) == 10
