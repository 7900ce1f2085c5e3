"""perf.report.trends: the key trends' charts, rendered alone from the small context."""

from __future__ import annotations

import re

import pytest

from perf.config import ENGLAND
from perf.report.trends import MAX_TRENDS, key_trends, trends

#: Every small-world indicator is worse than England; secondary absence is also getting
#: worse, so it comes first.
HEADINGS = [
    "Secondary school overall absence",
    "Children looked after per 10,000 children",
    "16-17 year olds not in education, employment or training",
]


@pytest.fixture(scope="module")
def section(make_context):
    return trends(make_context())


def _alts(html: str) -> list[str]:
    return re.findall(r'alt="([^"]*)"', html)


def test_the_key_trends_are_charted_in_order(small_context, section):
    assert key_trends(small_context) == ["SecTotAbs", "cla_rate", "neet_16_17"]
    assert len(key_trends(small_context)) <= MAX_TRENDS
    assert re.findall(r"<h3>(.*?)</h3>", section.html) == HEADINGS
    assert section.html.count('<figure class="perf-chart"') == 3
    assert section.html.count('src="data:image/png;base64,') == 3


def test_the_trends_follow_the_verdicts(small_context):
    """Only an indicator the verdicts call worse than England is charted."""
    from dataclasses import replace

    verdicts = small_context.verdicts.assign(vs_england="better")
    verdicts.loc["cla_rate", "vs_england"] = "worse"
    ctx = replace(small_context, verdicts=verdicts)
    assert key_trends(ctx) == ["cla_rate"]
    assert (
        "No published indicator"
        in trends(replace(ctx, verdicts=verdicts.assign(vs_england="similar"))).html
    )


def test_charts_describe_the_figures_with_the_catalogues_decimals(section):
    secondary, cla, _ = _alts(section.html)
    # children looked after: 0 decimals, against England, the region and the neighbours
    assert cla.startswith(
        "Line chart. Children looked after per 10,000 children in Dudley "
        "fell from 99 in 2011-12 Q3 to 96 in 2012-13 Q4; England 61, "
        "West Midlands 72, statistical-neighbour mean 84."
    )
    assert "5.55% in 2012-13 Q4" in secondary


def test_sources_are_the_area_and_england_figures_charted(section):
    assert section.sources == {
        "cla_fixture.csv (fixture CLA release)",
        "neet_fixture.csv (fixture NCCIS release)",
        "absence_fixture.csv (fixture absence release)",
    }


def test_figures_after_the_period_are_not_charted(make_context):
    html = trends(make_context(period="2012-13 Q2")).html
    assert "fell from 99 in 2011-12 Q3 to 101 in 2012-13 Q2" not in html  # 99 -> 101 rose
    assert "rose from 99 in 2011-12 Q3 to 101 in 2012-13 Q2" in html
    assert "2012-13 Q4" not in html


def test_an_indicator_without_figures_is_not_charted(make_context, headline_small):
    obs = headline_small[headline_small["indicator"] != "neet_16_17"]
    section = trends(make_context(obs=obs, local=None))
    assert section.html.count("<figure") == 3  # primary absence takes NEET's place
    assert "neet_fixture.csv (fixture NCCIS release)" not in section.sources


def test_sources_leave_out_other_areas_figures(make_context, headline_small):
    obs = headline_small.assign(source=headline_small["source"].astype(str))  # not categorical
    other = obs["area_code"].isin(["E08000028", "E08000030", "E12000005"])
    obs.loc[other, "source"] = "neighbours.csv (not shown as a source)"
    obs.loc[obs["area_code"] == ENGLAND, "source"] = "england.csv (England)"
    sources = trends(make_context(obs=obs, local=None)).sources
    assert "neighbours.csv (not shown as a source)" not in sources
    assert "england.csv (England)" in sources
