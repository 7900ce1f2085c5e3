"""perf.charts.sparkline: a tiny inline SVG, plain text, named in words, gaps kept."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from perf.charts.sparkline import HEIGHT, WIDTH, sparkline_name, sparkline_svg
from perf.charts.style import PALETTE
from perf.errors import NoDataToChart

SVG = "{http://www.w3.org/2000/svg}"
PERIODS = ["2021-22", "2022-23", "2023-24", "2024-25"]


def _svg(values, **kw):
    args = {"polarity": "high", "unit": "%", "decimals": 1, "title": ""} | kw
    return sparkline_svg(values, PERIODS[: len(values)], **args)


def test_name_says_first_last_and_direction():
    assert sparkline_name(
        [77.3, 79.0, 80.1, 82.0], PERIODS, polarity="neither", unit="%", decimals=1
    ) == ("Rose from 77.3% in 2021-22 to 82.0% in 2024-25")
    assert sparkline_name(
        [9.0, 8.0], PERIODS[:2], polarity="low", unit="count", decimals=0, title="Visits"
    ) == ("Visits: fell from 9 in 2021-22 to 8 in 2022-23 (lower is better)")


def test_svg_is_an_accessible_image_of_the_stated_size():
    root = ET.fromstring(_svg([77.3, 79.0, 80.1, 82.0]))
    assert root.get("role") == "img"
    name = "Rose from 77.3% in 2021-22 to 82.0% in 2024-25 (higher is better)"
    assert root.get("aria-label") == name and root.find(f"{SVG}title").text == name
    assert (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    assert root.get("viewBox") == f"0 0 {WIDTH} {HEIGHT}"


def test_the_last_point_is_marked_at_the_last_figure_and_the_line_spans_the_box():
    root = ET.fromstring(_svg([70.0, 90.0, 80.0]))
    path = root.find(f"{SVG}path").get("d")
    points = [tuple(map(float, p.split())) for p in re.findall(r"[ML]([\d. ]+)", path)]
    assert len(points) == 3
    assert points[0][0] < 5 and points[-1][0] > WIDTH - 5  # left edge to right edge
    assert min(y for _, y in points) == points[1][1]  # the highest figure is the top point
    dot = root.find(f"{SVG}circle")
    assert (float(dot.get("cx")), float(dot.get("cy"))) == points[-1]
    assert dot.get("fill") == PALETTE["area"]


def test_a_missing_figure_leaves_a_gap_and_is_named():
    svg = _svg([77.3, float("nan"), 80.1, 82.0])
    path = ET.fromstring(svg).find(f"{SVG}path").get("d")
    assert path.count("M") == 1 and path.count("L") == 1  # 80.1 -> 82.0 only; 77.3 alone
    assert len(ET.fromstring(svg).findall(f"{SVG}circle")) == 2  # lone point + last point
    assert "no figure for 2022-23" in svg


def test_only_missing_figures_is_no_data():
    with pytest.raises(NoDataToChart):
        _svg([None, math.nan])


def test_same_values_same_bytes_and_colour_carries_no_meaning():
    assert _svg([1.0, 2.0, 3.0]) == _svg([1.0, 2.0, 3.0])
    # better or worse is said in words; the drawing is the same whichever way is better
    strip = re.compile(r'aria-label="[^"]*"|<title>.*</title>')
    assert strip.sub("", _svg([1.0, 2.0], polarity="high")) == strip.sub(
        "", _svg([1.0, 2.0], polarity="low")
    )


def test_a_flat_series_sits_in_the_middle():
    root = ET.fromstring(_svg([5.0, 5.0]))
    assert float(root.find(f"{SVG}circle").get("cy")) == HEIGHT / 2
    assert "Was unchanged at 5.0% from 2021-22 to 2022-23" in root.get("aria-label")


def test_values_and_periods_must_match():
    with pytest.raises(ValueError, match="2 values but 1 periods"):
        sparkline_svg([1, 2], ["2024"], polarity="high", unit="%", decimals=1)
