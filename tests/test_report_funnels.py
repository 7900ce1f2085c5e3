"""perf.report.funnels and the significance words in perf.report.benchmarking."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from test_report_matrix import parse_tables

from perf.periods import parse_period
from perf.report.benchmarking import benchmarking
from perf.report.funnels import _counts_sentence, funnels


def test_a_funnel_plot_per_headline_rate_and_percentage_with_the_method(make_neighbour_context):
    section = funnels(make_neighbour_context())
    page = html.unescape(section.html)
    assert page.count('<figure class="perf-chart"') == 2
    assert "<h3>Children looked after per 10,000</h3>" in page and "<h3>NEET 16-17 (%)</h3>" in page
    assert (
        page.count("Control limits: OHID's method (Fingertips technical guidance") == 4
    )  # caption, note
    assert "Wilson score" in page and "Byar" in page
    assert "Dudley (81) was statistically higher than England (above the 99.8% limit)" in page
    assert section.sources == {"small.csv (fixture)"}


def test_the_neighbours_table_names_the_set_with_intervals_and_words(make_neighbour_context):
    for model in ("2025", "2021"):
        tables = parse_tables(funnels(make_neighbour_context(model)).html)
        table = next(t for t in tables if t["id"] == "funnel-cla-rate")
        assert f"(DfE statistical neighbours, {model} model)" in table["caption"]
        dudley = next(r for r in table["rows"] if r[0] == "Dudley (this council)")
        assert dudley[1:] == [
            "81",
            "70,000",
            "74 to 88",
            "Statistically higher than England (above the 99.8% limit)",
        ]
    tables = parse_tables(funnels(make_neighbour_context()).html)
    stockton = next(
        r
        for r in next(t for t in tables if t["id"] == "funnel-cla-rate")["rows"]
        if r[0] == "Stockton-on-Tees"
    )
    assert stockton[1] == "[c]" and stockton[4].startswith("Not assessed (no published figure")


def test_no_denominator_no_funnel(make_neighbour_context):
    assert "no funnel plot" in funnels(make_neighbour_context(funnels={})).html


def test_benchmarking_table_has_the_words_the_interval_and_both_neighbour_sets(
    make_neighbour_context,
):
    section = benchmarking(make_neighbour_context())
    table = next(t for t in parse_tables(section.html) if t["id"] == "benchmark-summary")
    assert table["caption"].endswith(
        "Statistical neighbours: DfE statistical neighbours, 2025 model"
    )
    cla = dict(zip(table["rows"][0], table["rows"][1]))
    assert cla["Statistical neighbours' average (2025 model)"].endswith("(mean of 9 of 10)")
    # positions and significance: a table of their own beside the summary (A4 at 12 pt)
    placed = next(t for t in parse_tables(section.html) if t["id"] == "benchmark-positions")
    header = placed["rows"][0]
    cla = dict(zip(header, placed["rows"][1]))
    assert cla["Compared with England"] == (
        "Worse than England (statistically, at 95%): 14 per 10,000 higher (21%)"
    )
    assert cla["95% confidence interval"] == "74 to 88"
    assert {
        "Among statistical neighbours (2025 model)",
        "Among statistical neighbours (2021 model)",
    } <= set(header)
    later = benchmarking(
        make_neighbour_context("2021", period="2025-26", period_obj=parse_period("2025-26"))
    )
    header = next(t for t in parse_tables(later.html) if t["id"] == "benchmark-positions")["rows"][
        0
    ]
    assert "Among statistical neighbours (2021 model)" in header
    assert "Among statistical neighbours (2025 model)" not in header
    assert "(DfE statistical neighbours, 2021 model)" in html.unescape(later.html)


@pytest.mark.parametrize(
    ("n_assessed", "n_not", "expected"),
    [
        (
            1,
            1,
            "Of 1 council assessed, 1 was not statistically different from England. 1 had no "
            "published figure or denominator and was not assessed.",
        ),
        (
            3,
            2,
            "Of 3 councils assessed, 3 were not statistically different from England. 2 had no "
            "published figure or denominator and were not assessed.",
        ),
    ],
)
def test_the_counts_sentence_agrees_in_number(n_assessed, n_not, expected):
    frame = pd.DataFrame()
    frame.attrs = {
        "counts": {"not_different": n_assessed, "not_assessed": n_not},
        "n_assessed": n_assessed,
        "n_not_assessed": n_not,
        "comparator": "England",
    }
    assert _counts_sentence(frame) == expected
