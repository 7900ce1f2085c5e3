"""perf.report.themes: the printed matrix, one table with a row group per theme, rendered
alone from the small context."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from perf.report.themes import (
    COLUMNS,
    MAX_COLUMNS,
    TREND_POINTS,
    theme_rows,
    theme_table,
    themes,
    trend,
)

from .conftest import EARLIER

HEADLINE_SOURCES = {
    "cla_fixture.csv (fixture CLA release)",
    "neet_fixture.csv (fixture NCCIS release)",
    "absence_fixture.csv (fixture absence release)",
}


def _rows(table: str) -> dict[str, list[str]]:
    """Row header -> cell texts (tags dropped, a <br> as a space, sparklines left out)."""
    out = {}
    table = re.sub(r"<svg\b.*?</svg>", "", table)
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table):
        head, *cells = re.split(r"</th>|</td>", row)
        out[head] = [
            " ".join(re.sub(r"<[^>]+>", " ", c.split(">", 1)[-1]).split()) for c in cells if c
        ]
    return out


def _table(ctx) -> str:
    return theme_table(ctx, theme_rows(ctx), "caption")


def test_each_row_is_one_indicator_with_its_figures_and_their_dates(small_context):
    rows = _rows(_table(small_context))
    assert rows["Children looked after per 10,000 children"] == [
        "96 January to March 2013",
        "No target",
        "Improved, from 98 (October to December 2012)",
        "61",
        "Worse",
        "3rd of 3, fourth quartile",
        "3rd of 3",
    ]
    assert rows["Primary school overall absence"][:3] == [
        "4.14% January to March 2013",
        "No target",
        "Improved, from 4.30% (October to December 2012)",
    ]
    assert rows["Secondary school overall absence"][2].startswith("Worsened, from")
    assert rows["Number of LAC per 10k of the child population"][1] == (
        "▲ Below target tolerance (calculated); target 98.8"
    )


def test_the_printed_matrix_has_at_most_eight_columns_in_the_pages_proportions(small_context):
    table = _table(small_context)
    head = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert len(head) <= MAX_COLUMNS == 8
    widths = [int(w) for w in re.findall(r'<col style="width:(\d+)%">', table)]
    assert len(widths) == len(head) and sum(widths) == 100
    # every row has as many cells as the head (a row group header spans them all)
    for row in re.findall(r"<tr>(.*?)</tr>", table):
        cells = re.findall(r"<t[hd]\b([^>]*)>", row)
        spans = sum(
            int(re.search(r'colspan="(\d+)"', c).group(1)) if "colspan" in c else 1 for c in cells
        )
        assert spans == len(head), row[:80]


def test_every_column_share_adds_up_to_the_page(small_context):
    assert sum(w for w, _ in COLUMNS.values()) == 100
    assert sum(w for _, w in COLUMNS.values()) == 100


def test_no_status_column_when_nobody_set_a_target(make_context, small_context):
    assert "Target and status" in _table(small_context)  # the council's scored figures
    bare = make_context(local=None)
    table = _table(bare)
    assert "Target and status" not in table
    html = themes(bare).html
    assert "The council set no targets for 2012-13 Q4, so no indicator has a status" in html


def test_a_theme_is_a_row_group_and_the_table_has_one_caption(small_context):
    table = _table(small_context)
    groups = re.findall(r'<th scope="rowgroup" colspan="\d+">(.*?)</th>', table)
    # two plans (the core set and the council's scorecard): each theme names its plan
    assert groups[0] == "Children in care (Children&#x27;s services core set)"
    assert "Young people (Other indicators)" in groups
    assert table.count("<caption>") == 1 and table.count("<tbody>") == len(groups)


def test_a_local_measures_national_cells_are_one(make_context, small_context):
    verdicts = small_context.verdicts.copy()
    verdicts.loc["cla_rate", ["measure", "england_value"]] = ["local", float("nan")]
    ctx = replace(small_context, verdicts=verdicts)
    row = _rows(_table(ctx))["Children looked after per 10,000 children"]
    assert row[-1] == "A local measure: no figures for England or other councils to compare"
    assert "Not applicable" not in _table(ctx)


def test_without_an_earlier_figure_or_a_benchmark(make_context):
    ctx = make_context(period="2012-13 Q1", benchmarks={}, local=None)
    row = _rows(_table(ctx))["Primary school overall absence"]
    assert row[:2] == ["4.50% April to June 2012", "No earlier figure to compare"]
    assert row[3] == "Worse" and row[4] == "Not ranked"


def test_a_revised_figure_is_marked_r(revised_context):
    row = _rows(_table(revised_context))["Children looked after per 10,000 children"]
    assert "from 98 [r] (October to December 2012)" in row[2]
    assert len(EARLIER) == 2


def test_the_section_has_its_heading_the_table_and_the_sources_it_quotes(small_context):
    section = themes(small_context)
    assert section.html.count('<h2 id="themes">Performance by theme</h2>') == 1
    assert section.html.count("<table") == 1
    assert HEADLINE_SOURCES <= section.sources


def test_no_figures_no_table(make_context, headline_small):
    ctx = make_context(obs=headline_small.iloc[0:0], local=None)
    html = themes(ctx).html
    assert "<table" not in html and "so there are none" in html


@pytest.mark.parametrize("column", list(COLUMNS))
def test_every_header_word_fits_its_column_at_12_point(column):
    """Arial at 12 pt is about 2.5 mm a bold character: a header word never breaks."""
    width_mm = 180 * min(w for w in COLUMNS[column] if w) / 100 - 2.2
    longest = max(len(word) for word in column.split())
    assert longest * 2.5 <= width_mm + 2.6, (column, width_mm)


def test_the_table_names_no_method_or_file(small_context):
    page = re.sub(r"<style.*?</style>", "", themes(small_context).html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"\.csv|Wilson|Byar|Spiegelhalter|\bperf\b", text)
    assert pd.notna(small_context.verdicts["england_value"]).any()


def test_a_sparkline_under_the_change_shows_the_last_five_figures_named_in_words(small_context):
    # issue 24 item 6: inline sparklines in the printed matrix, plain SVG without matplotlib
    table = _table(small_context)
    lac = re.search(
        r'<th scope="row">Children looked after per 10,000 children</th>.*?</tr>', table
    ).group(0)
    (svg,) = re.findall(r"<svg\b.*?</svg>", lac)
    assert 'role="img"' in svg and svg.count("<path") == 1 and svg.count("<circle") >= 1
    name = re.search(r'aria-label="([^"]+)"', svg).group(1)
    assert name == (
        "Children looked after per 10,000 children, last 5 figures: 98 (January to March 2012) "
        "to 96 (January to March 2013)"
    )
    assert f"<title>{name}</title>" in svg
    # the change's words come first, the picture under them, in the same cell
    assert "Improved, from 98 (October to December 2012)<br><svg" in lac
    assert TREND_POINTS == 5 and "matplotlib" not in svg


def test_no_sparkline_with_fewer_than_three_figures(small_context):
    v = small_context.verdicts.iloc[0].copy()
    v["series"] = tuple(v["series"])[-2:]
    assert trend(small_context, v) == ""
    v["series"] = ()
    assert trend(small_context, v) == ""
