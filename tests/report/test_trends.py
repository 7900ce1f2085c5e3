"""perf.report.trends: the three trend charts, rendered alone from the small context."""

from __future__ import annotations

import re

import pytest

from perf.config import ENGLAND
from perf.report.trends import trends

HEADINGS = [
    "Children looked after per 10,000 children",
    "Young people not in education, employment or training (NEET)",
    "Absence from primary and secondary schools",
]


@pytest.fixture(scope="module")
def section(make_context):
    return trends(make_context())


def _alts(html: str) -> list[str]:
    return re.findall(r'alt="([^"]*)"', html)


def test_three_headed_charts_in_order(section):
    assert re.findall(r"<h3>(.*?)</h3>", section.html) == HEADINGS
    assert section.html.count('<figure class="perf-chart"') == 3
    assert section.html.count('src="data:image/png;base64,') == 3


def test_charts_describe_the_figures_with_the_catalogues_decimals(section):
    cla, neet, absence = _alts(section.html)
    # children looked after: 0 decimals, against England, the region and the neighbours
    assert cla.startswith(
        "Line chart. Children looked after per 10,000 children in Dudley "
        "fell from 99 in 2011-12 Q3 to 96 in 2012-13 Q4; England 61, "
        "West Midlands 72, statistical-neighbour mean 84."
    )
    assert "Dudley 6.7% and England 5.7% in 2012-13 Q4" in neet
    assert "Primary overall absence in Dudley in 2012-13 Q4: 4.1%" in absence


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


def test_an_indicator_without_figures_is_a_sentence_not_a_gap(make_context, headline_small):
    obs = headline_small[headline_small["indicator"] != "neet_16_17"]
    section = trends(make_context(obs=obs, local=None))
    assert "<p>There are not enough published figures to chart NEET for Dudley.</p>" in section.html
    assert section.html.count("<figure") == 2
    assert "neet_fixture.csv (fixture NCCIS release)" not in section.sources


def test_sources_leave_out_other_areas_figures(make_context, headline_small):
    obs = headline_small.assign(source=headline_small["source"].astype(str))  # not categorical
    other = obs["area_code"].isin(["E08000028", "E08000030", "E12000005"])
    obs.loc[other, "source"] = "neighbours.csv (not shown as a source)"
    obs.loc[obs["area_code"] == ENGLAND, "source"] = "england.csv (England)"
    sources = trends(make_context(obs=obs, local=None)).sources
    assert "neighbours.csv (not shown as a source)" not in sources
    assert "england.csv (England)" in sources
