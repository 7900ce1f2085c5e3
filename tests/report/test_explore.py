"""perf.report.explore: the trends and quarter-comparison notebooks' views, on the small
world (the views' area look-up and data replaced by it)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import perf.report.explore as explore
from perf.config import PROVENANCE_MIMETYPE
from perf.errors import ParameterError, UnknownAreaError
from perf.report.explore import (
    Comparison,
    Trends,
    change_text,
    comparison_summary,
    indicator_list,
    period_comparison,
    trend_table,
)

DUDLEY, ENGLAND, REGION = "E08000027", "E92000001", "E12000005"
CLA_SOURCE = "cla_fixture.csv (fixture CLA release)"


def _cells(table: str) -> list[list[str]]:
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1])
    ]


@pytest.fixture
def small_world(monkeypatch, areas_small, headline_small, local_small, catalogue_small):
    """The views read the small world: its areas, observations (with Dudley's own figures)
    and catalogue."""
    areas = areas_small

    def find_area(query):
        hit = areas[(areas["area_code"] == query) | (areas["area_name"] == query)]
        if hit.empty:
            raise UnknownAreaError(f"no area {query!r}")
        return hit.iloc[0]

    def neighbours_of(code, model="2025"):
        # the small world's own set stands in for the 2025 model; its "2021 model" is the
        # same set in reverse, so a test can tell which model a view used
        found = str(find_area(code)["neighbours"] or "").split(";")
        return found if model == "2025" else found[::-1][:1]

    obs = pd.concat([headline_small, local_small], ignore_index=True)
    monkeypatch.setattr(explore, "find_area", find_area)
    monkeypatch.setattr(explore, "neighbours_of", neighbours_of)
    monkeypatch.setattr(explore, "observations", lambda: obs)
    monkeypatch.setattr(explore, "catalogue_frame", lambda: catalogue_small)
    return obs


# --- the pure pieces ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("diff", "unit", "decimals", "expected"),
    [
        (-6.391, "%", 1, "-6.4 percentage points"),
        (0.35, "%", 2, "+0.35 percentage points"),
        (20.0, "count", 0, "+20"),
        (-3.6, "rate per 10,000", 0, "-4"),
        (1234.5, "count", 0, "+1,235"),
        (0.0, "%", 1, "0.0 percentage points"),
        (np.nan, "%", 1, ""),
    ],
)
def test_change_text(diff, unit, decimals, expected):
    assert change_text(diff, unit, decimals) == expected


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"improving": 1}, "Of 1 indicator with figures for both periods, 1 improved."),
        (
            {"no change": 1, "no polarity": 1, "not comparable": 1},
            "Of 3 indicators with figures for both periods, 1 did not change beyond its tolerance, "
            "1 is a context indicator (neither direction is better), 1 could not be compared.",
        ),
        (
            {"no change": 2, "no polarity": 2, "worsening": 1},
            "Of 5 indicators with figures for both periods, 1 worsened, 2 did not change beyond "
            "their tolerance, 2 are context indicators (neither direction is better).",
        ),
        ({}, "No indicator has figures for both periods."),
    ],
)
def test_comparison_summary_agrees_in_number(counts, expected):
    assert comparison_summary(counts) == expected


def test_indicator_list_gives_id_title_and_span_of_periods(headline_small, catalogue_small):
    rows = _cells(indicator_list(headline_small, catalogue_small, DUDLEY))
    assert rows == [
        ["PriTotAbs", "Primary school overall absence", "4 (2012-13 Q1 to 2012-13 Q4)"],
        ["SecTotAbs", "Secondary school overall absence", "4 (2012-13 Q1 to 2012-13 Q4)"],
        ["cla_rate", "Children looked after per 10,000 children", "6 (2011-12 Q3 to 2012-13 Q4)"],
        [
            "neet_16_17",
            "16-17 year olds not in education, employment or training",
            "4 (2012-13 Q1 to 2012-13 Q4)",
        ],
    ]


def test_indicator_list_of_an_indicator_missing_from_the_catalogue(headline_small, catalogue_small):
    rows = _cells(
        indicator_list(
            headline_small, catalogue_small[catalogue_small["indicator"] != "cla_rate"], DUDLEY
        )
    )
    assert rows[2][:2] == ["cla_rate", ""]


def test_indicator_list_does_not_depend_on_row_order(headline_small, catalogue_small):
    shuffled = headline_small.sample(frac=1, random_state=1)
    assert indicator_list(shuffled, catalogue_small, DUDLEY) == indicator_list(
        headline_small, catalogue_small, DUDLEY
    )


def test_trend_table_has_a_column_per_comparator_with_the_catalogues_decimals(
    headline_small, catalogue_small
):
    comparators = [("England", [ENGLAND]), ("Neighbours", ["E08000028", "E08000030"])]
    table, used = trend_table(
        headline_small,
        catalogue_small,
        "cla_rate",
        DUDLEY,
        comparators,
        years=3,
        up_to="2012-13 Q3",
    )
    assert (
        "<caption>Children looked after per 10,000 children: Dudley and comparators, by "
        "period</caption>" in table
    )
    assert _cells(table) == [
        ["2012-13 Q1", "100", "60", "81"],  # (90 + 71) / 2, half up
        ["2012-13 Q2", "101", "60", "82"],
        ["2012-13 Q3", "98", "60", "83"],
    ]
    assert set(used["period"]) == {"2012-13 Q1", "2012-13 Q2", "2012-13 Q3"}
    assert set(used["area_code"]) == {DUDLEY, ENGLAND, "E08000028", "E08000030"}


def test_trend_table_shows_a_single_areas_flag(headline_small, catalogue_small):
    obs = headline_small.copy()
    at = (
        (obs["indicator"] == "PriTotAbs")
        & (obs["area_code"] == ENGLAND)
        & (obs["period"] == "2012-13 Q4")
    )
    obs.loc[at, ["value", "flag"]] = [np.nan, "x"]
    table, _ = trend_table(
        obs,
        catalogue_small,
        "PriTotAbs",
        DUDLEY,
        [("England", [ENGLAND])],
        years=1,
        up_to="2012-13 Q4",
    )
    assert _cells(table) == [["2012-13 Q4", "4.14%", "[x]"]]


def test_period_comparison_with_change_and_direction_by_polarity(headline_small, catalogue_small):
    table, used, counts = period_comparison(
        headline_small, catalogue_small, DUDLEY, "2012-13 Q4", "2012-13 Q1"
    )
    rows = {r[0]: r[1:] for r in _cells(table)}
    assert rows["Primary school overall absence"] == [
        "4.50% (April to June 2012)",  # periods in words (issue 24)
        "4.14% (January to March 2013)",
        "-0.36 percentage points",
        "Improved",
    ]
    assert rows["Secondary school overall absence"][2:] == ["+0.35 percentage points", "Worsened"]
    assert rows["Children looked after per 10,000 children"][2] == "-4"
    assert counts == {"improving": 3, "worsening": 1}
    assert len(used) == 8 and set(used["area_code"]) == {DUDLEY}
    assert 'scope="col" class="num">Earlier (2012-13 Q1)</th>' in table


def test_period_comparison_leaves_out_indicators_without_a_different_earlier_period(
    headline_small, catalogue_small
):
    # only children looked after has a figure for 2011-12 Q4
    table, _, counts = period_comparison(
        headline_small, catalogue_small, DUDLEY, "2012-13 Q4", "2011-12 Q4"
    )
    assert [r[0] for r in _cells(table)] == ["Children looked after per 10,000 children"]
    assert counts == {"improving": 1}


# --- the views ----------------------------------------------------------------------------


def test_trends_view(small_world):
    view = Trends("Dudley", "Q4 2012/13", "cla_rate", years=4)
    assert view.heading().html == (
        '<p class="subtitle"><strong>Children looked after per 10,000 children</strong>: '
        "Dudley, the latest 4 periods up to 2012-13 Q4.</p>"
    )
    chart = view.chart()
    assert chart.html.startswith('<figure class="perf-chart"')
    assert "fell from 100 in 2012-13 Q1 to 96 in 2012-13 Q4" in chart.html
    assert chart.sources == {CLA_SOURCE}
    assert view.chart() is chart  # built once
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', view.table().html)
    assert header == [
        "Period",
        "Dudley",
        "England",
        "West Midlands",
        "Statistical neighbours&#x27; average (2025 model)",
    ]
    assert _cells(view.table().html)[-1] == ["2012-13 Q4", "96", "61", "72", "84"]
    assert "DfE statistical neighbours, 2025 model" in chart.html  # the chart names the set


def test_trends_view_heading_of_one_period_is_singular(small_world):
    view = Trends("Dudley", "2012-13 Q4", "cla_rate", years=1)
    assert view.heading().html.endswith("Dudley, the latest period up to 2012-13 Q4.</p>")
    view = Trends("Dudley", "2012-13 Q1", "PriTotAbs", years=3)
    assert view.heading().html.endswith(
        "Dudley, the only published period (3 asked for) up to 2012-13 Q1.</p>"
    )


def test_trends_view_without_neighbours(small_world):
    view = Trends("Dudley", "2012-13 Q4", "PriTotAbs", neighbours="")
    assert "neighbours" not in view.table().html
    assert "statistical-neighbour" not in view.chart().html


def test_trends_neighbours_is_the_briefings_model_not_a_switch(small_world):
    # the same name means the same in both notebooks: the statistical-neighbour model
    view = Trends("Dudley", "2012-13 Q4", "cla_rate", years=4, neighbours="2021")
    header = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', view.table().html)
    assert header[-1] == "Statistical neighbours&#x27; average (2021 model)"
    assert "DfE statistical neighbours, 2021 model" in view.chart().html
    with pytest.raises(ParameterError, match="unknown statistical-neighbour model"):
        Trends("Dudley", "2012-13 Q4", "cla_rate", neighbours="2019")
    with pytest.raises(ParameterError, match='neighbours="2025".*neighbours=""'):
        Trends("Dudley", "2012-13 Q4", "cla_rate", neighbours=True)


def test_trends_view_sources_list_what_the_chart_and_table_show(small_world):
    sources = Trends("Dudley", "2012-13 Q4", "cla_rate").sources()
    assert sources.sources == {CLA_SOURCE}
    assert sources.extra == {PROVENANCE_MIMETYPE: {"sources": [CLA_SOURCE]}}
    assert sources.html == f"<ul><li>{CLA_SOURCE}</li></ul>"


def test_trends_view_with_no_figures_up_to_the_period(small_world):
    view = Trends("Dudley", "2010-11", "PriTotAbs")
    assert view.chart().html == (
        "<p>No figures for Primary school overall absence in Dudley up to 2010-11.</p>"
    )
    assert view.chart().sources == frozenset()


def test_trends_view_unknown_indicator_suggests_close_ones(small_world):
    with pytest.raises(
        ParameterError,
        match=r"no figures for indicator 'cla_rat'.*Did you mean: "
        r"cla_rate",
    ):
        Trends("Dudley", "2012-13 Q4", "cla_rat")


def test_trends_view_indicator_list(small_world):
    html = Trends("Dudley", "2012-13 Q4", "cla_rate").indicators().html
    assert '<th scope="row">dudley_lac_rate</th>' in html  # the council's own figures too


def test_comparison_view_defaults_to_the_same_period_last_year(small_world):
    view = Comparison("Dudley", "2012-13 Q4")
    assert view.compare_period == "2011-12 Q4"
    assert view.heading().html == (
        '<p class="subtitle"><strong>Dudley</strong>: 2012-13 Q4 compared with 2011-12 Q4.</p>'
    )
    assert view.summary().html == (
        "<p>Of 1 indicator with figures for both periods, 1 improved.</p>"
    )
    assert view.table().sources == {CLA_SOURCE}


def test_comparison_view_summary_counts_each_direction(small_world):
    view = Comparison("E08000027", "2012-13 Q4", compare_period="2012-13 Q1")
    assert view.summary().html == (
        "<p>Of 4 indicators with figures for both periods, 3 improved, 1 worsened.</p>"
    )
    assert view.sources().sources == {
        CLA_SOURCE,
        "neet_fixture.csv (fixture NCCIS release)",
        "absence_fixture.csv (fixture absence release)",
    }


def test_comparison_view_with_nothing_to_compare(small_world):
    view = Comparison("Dudley", "2012-13 Q4", compare_period="2012-13 Q4")
    assert view.summary().html == "<p>No indicator has figures for both periods.</p>"
    assert view.sources().html == "<p>No figures were shown.</p>"


def test_comparison_view_summary_of_one_indicator_is_singular(small_world):
    assert (
        Comparison("Dudley", "2012-13 Q4")
        .summary()
        .html.startswith("<p>Of 1 indicator with figures for both periods")
    )
