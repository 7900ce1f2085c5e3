"""perf.report.benchmarking: rank, quartile and statistical neighbours for each headline
indicator, rendered alone from the small context."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from perf.report.benchmarking import benchmarking


@pytest.fixture(scope="module")
def section(make_context):
    return benchmarking(make_context())


def _summary_rows(html: str) -> dict[str, list[str]]:
    table = re.search(r'<table id="benchmark-summary">.*?</table>', html).group(0)
    rows = {}
    for head, cells in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', table):
        rows[head] = re.findall(r"<td[^>]*>(.*?)</td>", cells)
    return rows


def test_summary_table_has_a_row_per_headline_indicator_with_its_period(section):
    rows = _summary_rows(section.html)
    assert list(rows) == [
        "Children looked after per 10,000 children (January to March 2013)",
        "16-17 year olds not in education, employment or training (January to March 2013)",
        "Primary school overall absence (January to March 2013)",
        "Secondary school overall absence (January to March 2013)",
    ]
    # the neighbour set is named in every table that uses it (issue 16 item 3)
    assert (
        "<caption>Dudley against every local authority: published indicators. Statistical "
        "neighbours: DfE statistical neighbours, 2025 model</caption>"
    ) in section.html
    # the region column is headed with the region's name, not "Region" (issue 13 item 10)
    assert '<th scope="col" class="num">West Midlands</th>' in section.html
    assert ">Region</th>" not in section.html


def test_figures_use_the_catalogues_decimals_and_rank_and_quartile_follow_polarity(section):
    rows = _summary_rows(section.html)
    assert rows["Primary school overall absence (January to March 2013)"] == [
        "4.14%",
        "4.10%",
        "4.30%",
        "4.10%",
        "Ranked 2nd of 3 local authorities (1st = lowest value, best)",
        "Second quartile of 3 local authorities",
    ]
    cla = rows["Children looked after per 10,000 children (January to March 2013)"]
    # Dudley, England, West Midlands, neighbours' mean (93 and 75)
    assert cla[:4] == ["96", "61", "72", "84"]
    assert cla[4].startswith("Ranked 3rd of 3")
    # positions and significance sit in a table of their own (A4 at 12 pt holds each)
    table = re.search(r'<table id="benchmark-positions">.*?</table>', section.html).group(0)
    positions = dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td>', table))
    # among the context's neighbours (93 and 75), lower is better
    assert (
        positions["Children looked after per 10,000 children (January to March 2013)"] == "3rd of 3"
    )
    assert positions["Primary school overall absence (January to March 2013)"] == "2nd of 3"


def test_children_looked_after_gets_a_ranking_chart_and_neighbours_table(section):
    html = section.html
    assert (
        "<h3>Children looked after per 10,000 children: Dudley and its statistical "
        "neighbours (DfE statistical neighbours, 2025 model)</h3>"
    ) in html
    alt = re.search(r'alt="([^"]*)"', html).group(1)
    assert alt.startswith(
        "Ranked bar chart of Children looked after per 10,000 children at 2012-13 Q4 for 3 councils"
    )
    assert "Dudley 96, ranked 3rd of 3 (quartile D)" in alt
    assert (
        "<caption>Children looked after per 10,000 children, 2012-13 Q4: Dudley and its "
        "statistical neighbours (DfE statistical neighbours, 2025 model)</caption>"
    ) in html


def test_sources_are_the_figures_benchmarked(section):
    assert section.sources == {
        "cla_fixture.csv (fixture CLA release)",
        "neet_fixture.csv (fixture NCCIS release)",
        "absence_fixture.csv (fixture absence release)",
    }


def test_without_children_looked_after_no_ranking_chart(small_context):
    others = {k: v for k, v in small_context.benchmarks.items() if k != "cla_rate"}
    section = benchmarking(replace(small_context, benchmarks=others))
    assert "<figure" not in section.html and "benchmark-neighbours" not in section.html
    assert len(_summary_rows(section.html)) == 3
    assert "cla_fixture.csv (fixture CLA release)" not in section.sources


def test_a_suppressed_figure_is_not_ranked_and_shows_its_symbol(make_context, headline_small):
    obs = headline_small.copy()
    hidden = (
        (obs["indicator"] == "neet_16_17")
        & (obs["area_code"] == "E08000027")
        & (obs["period"] == "2012-13 Q4")
    )
    obs.loc[hidden, ["value", "flag"]] = [float("nan"), "c"]
    rows = _summary_rows(benchmarking(make_context(obs=obs)).html)
    neet = rows["16-17 year olds not in education, employment or training (January to March 2013)"]
    assert neet[0] == "[c]" and neet[4] == "Not ranked"
    assert neet[5].startswith("Not placed in a quartile (no value (flag c))")


def test_a_revised_figure_is_marked_r(small_context):
    key = ("PriTotAbs", "E08000027", "2012-13 Q4")
    row = small_context.latest.loc["PriTotAbs"].copy()
    row["flag"] = "r"
    rows = _summary_rows(benchmarking(replace(small_context, revised={key: row})).html)
    assert rows["Primary school overall absence (January to March 2013)"][0] == "4.14% [r]"


def test_nothing_to_benchmark(make_context):
    section = benchmarking(make_context(benchmarks={}))
    assert section.html == "<p>No published figures to benchmark Dudley on.</p>"
    assert section.sources == frozenset()


def test_positions_are_the_contexts(small_context, monkeypatch):
    import perf.matrix

    def no_recomputing(*args, **kwargs):
        raise AssertionError("the section computed a position the context holds")

    monkeypatch.setattr(perf.matrix, "neighbour_position", no_recomputing)
    key = ("cla_rate", "2012-13 Q4", "2025")
    assert key in small_context.neighbour_positions
    ctx = replace(
        small_context,
        neighbour_positions=small_context.neighbour_positions
        | {key: (7, 42), ("neet_16_17", "2012-13 Q4", "2025"): (None, 5)},
    )
    table = re.search(r'<table id="benchmark-positions">.*?</table>', benchmarking(ctx).html).group(
        0
    )
    positions = dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td>', table))
    assert (
        positions["Children looked after per 10,000 children (January to March 2013)"]
        == "7th of 42"
    )
    assert (
        positions[
            "16-17 year olds not in education, employment or training (January to March 2013)"
        ]
        == "Not placed: no figure"
    )


def test_a_council_without_a_set_in_the_briefings_model_is_said_to_have_none(
    make_neighbour_context,
):
    # With no set in its own model (Cumberland in the 2021 model) this table and the matrix
    # both say so (it used to say "1st of 1": the council ranked alone); another model's
    # missing set is said too.
    from perf.report.matrix import matrix_display

    ctx = make_neighbour_context("2021", neighbour_codes=())
    assert ctx.neighbour_positions[("cla_rate", "31 March 2025", "2021")] is None
    table = re.search(r'<table id="benchmark-positions">.*?</table>', benchmarking(ctx).html).group(
        0
    )
    cells = re.findall(
        r'<tr><th scope="row">Children looked after.*?</th><td>(.*?)</td>'
        r"<td>(.*?)</td>",
        table,
    )
    assert cells[0][0] == "No neighbours in the 2021 model" and cells[0][1].endswith(" of 10")
    shown = matrix_display(ctx).set_index("Indicator").loc["Children looked after per 10,000"]
    assert shown["Among statistical neighbours (2021 model)"] == "No neighbours in the 2021 model"
    other = replace(
        ctx,
        neighbour_positions=ctx.neighbour_positions | {("cla_rate", "31 March 2025", "2025"): None},
    )
    table = re.search(
        r'<table id="benchmark-positions">.*?</table>', benchmarking(other).html
    ).group(0)
    assert "<td>No neighbours in the 2025 model</td>" in table
