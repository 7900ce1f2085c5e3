"""perf.charts.spine (and spine_layout, shapes): the "at a glance" spine chart."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import PIL.Image
import pytest

from perf.charts.spine import COLUMNS, spine_chart
from perf.charts.spine_layout import COMPARISON_STYLE, WIDTH, position
from perf.charts.style import contrast_ratio
from perf.errors import MissingColumnError, NoDataToChart, PerfError

SVG = "{http://www.w3.org/2000/svg}"


def _frame(n: int = 3) -> pd.DataFrame:
    rows = [
        # title, value, england, worst, q1, q3, best, polarity, comparison
        ("Timeliness", 90.0, 80.0, 60.0, 75.0, 85.0, 95.0, "high", "better"),
        ("Re-referrals", 30.0, 20.0, 40.0, 25.0, 15.0, 5.0, "low", "worse"),
        ("Population", 50.0, 45.0, 10.0, 30.0, 60.0, 90.0, "neither", "not compared"),
        ("Visits", 70.0, 70.0, 50.0, 65.0, 75.0, 90.0, "high", "similar"),
    ]
    rows = [rows[i % 4] for i in range(n)]
    return pd.DataFrame(
        [
            dict(zip(("title", *COLUMNS[2:]), r), indicator=f"i{i}", unit="%")
            for i, r in enumerate(rows)
        ]
    )


def _markers(svg: str) -> list[ET.Element]:
    root = ET.fromstring(svg)
    return [e for e in root if e.get("stroke-width") == "1" and e.tag != f"{SVG}text"][:-4]


def test_better_is_always_to_the_right_and_england_in_the_middle():
    assert position(80, 60, 80, 95) == 0.5
    assert position(90, 60, 80, 95) > 0.5  # higher is better: above England, right
    assert position(30, 40, 20, 5) < 0.5  # lower is better: above England, left
    assert position(10, 40, 20, 5) > 0.5
    assert position(200, 60, 80, 95) == 1.0 and position(np.nan, 60, 80, 95) is None
    assert position(50, 10, np.nan, 90) == 0.5  # no England: worst to best in a line


def test_each_row_has_its_marker_shape_and_word():
    chart = spine_chart(_frame(4), area_name="Dudley")
    svg = chart.svg()
    shapes = [m.tag.removeprefix(SVG) for m in _markers(svg)]
    assert shapes == ["circle", "polygon", "circle", "polygon"]  # better, worse, n/c, similar
    polygons = [m for m in _markers(svg) if m.tag == f"{SVG}polygon"]
    assert len(polygons[0].get("points").split()) == 4  # a square and a diamond, told apart
    assert polygons[0].get("points") != polygons[1].get("points")
    words = re.findall(r">(Better|Similar|Worse|Not compared)<", svg)
    assert words[:4] == ["Better", "Worse", "Not compared", "Similar"]


def test_colours_meet_contrast_and_never_carry_meaning_alone():
    for entry in COMPARISON_STYLE.values():
        if entry["word"] != "Not compared":
            assert contrast_ratio(entry["fill"]) >= 3.0, entry  # graphics against white
    shapes = {(e["shape"], e["fill"]) for e in COMPARISON_STYLE.values()}
    assert len(shapes) == 4 and len({e["word"] for e in COMPARISON_STYLE.values()}) == 4
    svg = spine_chart(_frame(4), area_name="Dudley").svg()
    for fill in re.findall(r'<text[^>]* fill="(#[0-9a-fA-F]+)"', svg):
        assert contrast_ratio(fill) >= 4.5, fill


def test_text_alternative_is_a_caption_and_a_hidden_table_of_the_same_facts():
    chart = spine_chart(_frame(4), area_name="Dudley", title="Dudley at a glance")
    html = chart.html()
    assert "<figcaption>Dudley at a glance." in html
    table = re.search(r"<table.*?</table>", html).group(0)
    assert "clip-path:inset(50%)" in table
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table)
    assert cells[:8] == [
        "Indicator",
        "Dudley",
        "England",
        "Worst (or lowest)",
        "25th percentile",
        "75th percentile",
        "Best (or highest)",
        "Compared with England",
    ]
    assert cells[8:16] == [
        "Timeliness",
        "90.0%",
        "80.0%",
        "60.0%",
        "75.0%",
        "85.0%",
        "95.0%",
        "Better",
    ]
    assert chart.alt == (
        "Spine chart of 4 indicators for Dudley against every English council: 1 better than "
        "England, 1 similar to England, 1 worse than England, 1 not compared."
    )
    root = ET.fromstring(chart.svg())
    assert root.get("role") == "img" and root.get("aria-label") == chart.alt


def test_25_rows_fit_a_printed_a4_page():
    chart = spine_chart(_frame(25), area_name="Kingston upon Thames")
    assert WIDTH / 96 * 2.54 == pytest.approx(16.0, abs=0.05)  # 16 cm wide
    assert chart.height / 96 * 2.54 < 20  # A4's text is 25.7 cm tall, the caption below
    root = ET.fromstring(chart.svg())
    for e in root.iter():
        for attr in ("x", "x1", "x2", "cx"):
            if e.get(attr) is not None:
                assert 0 <= float(e.get(attr)) <= WIDTH, (e.tag, e.attrib)


def test_png_for_word_and_raster_figure():
    chart = spine_chart(_frame(3), area_name="Dudley")
    image = PIL.Image.open(io.BytesIO(chart.png()))
    assert image.size == (int(WIDTH / 96 * 150), int(chart.height / 96 * 150))  # Agg truncates
    assert chart.png() == chart.png()
    html = chart.html(raster=True)
    assert 'src="data:image/png;base64,' in html and "<svg" not in html


def test_word_holds_the_raster_figure_as_a_picture_with_its_alt_text():
    import docx

    from perf.render.docx import html_to_docx
    from perf.render.registry import DocumentInfo

    chart = spine_chart(_frame(3), area_name="Dudley")
    page = f"<main><h1>T</h1>{chart.html(raster=True)}</main>"
    info = DocumentInfo("T", "Team", "", "en-GB", pd.Timestamp("2025-06-15", tz="UTC"))
    document = docx.Document(io.BytesIO(html_to_docx(page, info)))
    pictures = document.inline_shapes
    assert len(pictures) == 1
    assert pictures[0]._inline.docPr.get("descr") == chart.alt
    assert round(pictures[0].width.cm, 1) == 16.0


def test_same_frame_same_bytes_and_input_untouched():
    frame = _frame(4)
    before = frame.copy()
    assert spine_chart(frame, area_name="D").svg() == spine_chart(frame, area_name="D").svg()
    pd.testing.assert_frame_equal(frame, before)


def test_missing_values_are_said_not_drawn():
    frame = _frame(2)
    frame.loc[0, "value"] = np.nan
    frame.loc[1, "england"] = np.nan
    chart = spine_chart(frame, area_name="Dudley")
    assert chart.facts.loc[0, "value"] == "No figure"
    assert chart.facts.loc[1, "england"] == "No figure"


def test_bad_input_is_named():
    with pytest.raises(MissingColumnError, match="lacks q1"):
        spine_chart(_frame(1).drop(columns="q1"), area_name="D")
    with pytest.raises(NoDataToChart):
        spine_chart(_frame(1).iloc[0:0], area_name="D")
    with pytest.raises(PerfError, match="row 1, column 'comparison'"):
        spine_chart(_frame(1).assign(comparison="great"), area_name="D")
