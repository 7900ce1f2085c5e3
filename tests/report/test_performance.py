"""perf.report.performance: status counts, key-activity counts and the headline indicators
(table and sentences), rendered alone from the small context."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from perf.report.performance import headline_sentence, headline_table, performance_summary

from .conftest import EARLIER

LOCAL_SOURCE = "dudley_fixture_scorecard.csv (Dudley fixture scorecard, 2012-13 Q4)"
HEADLINE_SOURCES = {
    "cla_fixture.csv (fixture CLA release)",
    "neet_fixture.csv (fixture NCCIS release)",
    "absence_fixture.csv (fixture absence release)",
}


@pytest.fixture(scope="module")
def section(make_context):
    return performance_summary(make_context())


def _rows(table: str) -> dict[str, list[str]]:
    """Row header -> cell texts of an html_table."""
    out = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table):
        head, *cells = re.split(r"</th>|</td>", row)
        out[head] = [re.sub(r"<[^>]+>", "", c.split(">", 1)[-1]) for c in cells if c]
    return out


def test_headline_table_shows_latest_and_previous_with_the_catalogues_decimals(small_context):
    rows = _rows(headline_table(small_context))
    # each figure with its period in words; the one it is compared with like for like
    assert rows["Children looked after per 10,000 children"] == [
        "96 (January to March 2013)",
        "98 (October to December 2012)",
        "Improved",
        "Worse",
        "Fourth quartile of 3 local authorities",
    ]
    assert rows["Primary school overall absence"][:3] == [
        "4.14% (January to March 2013)",
        "4.30% (October to December 2012)",
        "Improved",
    ]
    assert rows["Secondary school overall absence"][2] == "Worsened"
    assert (
        rows["16-17 year olds not in education, employment or training"][0]
        == "6.7% (January to March 2013)"
    )


def test_headline_table_direction_is_symbol_word_and_data_attribute(small_context):
    table = headline_table(small_context)
    assert table.startswith(
        '<table id="headlines"><caption>Published indicators for Dudley, '
        "latest figures up to 2012-13 Q4</caption>"
    )
    assert table.count('data-status="improving"') == 3
    assert '<span class="status" data-status="worsening">Worsened</span>' in table
    # direction of travel is words only: no arrows or status symbols (issue 13 item 4)
    assert not any(arrow in table for arrow in "↑↓▲▼◆–")


def test_headline_table_without_an_earlier_figure_or_a_benchmark(make_context):
    ctx = make_context(period="2012-13 Q1", benchmarks={})
    rows = _rows(headline_table(ctx))
    assert rows["Primary school overall absence"] == [
        "4.50% (April to June 2012)",
        "none published",
        "Not comparable",
        "Worse",
        "not benchmarked",
    ]


def test_headline_table_marks_a_revised_figure_r(revised_context):
    rows = _rows(headline_table(revised_context))
    assert rows["Children looked after per 10,000 children"][1] == (
        "98 [r] (October to December 2012)"
    )


def test_headline_table_is_empty_without_headline_indicators(make_context, headline_small):
    ctx = make_context(obs=headline_small.iloc[0:0], local=None)
    assert headline_table(ctx) == ""


def test_headline_sentence_quotes_change_figure_and_quartile_with_its_sources(small_context):
    text, sources = headline_sentence(small_context, "PriTotAbs")
    assert text == (
        "Primary school overall absence has dropped by 0.16 percentage points since "
        "October to December 2012 (4.30%), an improvement, to 4.14% in January to March "
        "2013; Dudley was 0.04 percentage points above England (4.10%), worse than England "
        "and in the second quartile of 3 local authorities."
    )
    assert sources == {"absence_fixture.csv (fixture absence release)"}


def test_headline_sentence_without_an_earlier_figure(make_context):
    text, _ = headline_sentence(make_context(period="2012-13 Q1", benchmarks={}), "neet_16_17")
    assert text == (
        "16-17 year olds not in education, employment or training was 7.2% in April to June "
        "2012; Dudley was 1.2 percentage points above England (6.0%), worse than England."
    )


def test_headline_sentence_is_none_for_an_indicator_without_figures(make_context, headline_small):
    ctx = make_context(obs=headline_small[headline_small["indicator"] != "neet_16_17"])
    assert headline_sentence(ctx, "neet_16_17") == (None, frozenset())


def test_headline_sentence_and_table_show_the_same_figure(make_context, headline_small):
    obs = headline_small.copy()
    latest = (
        (obs["indicator"] == "PriTotAbs")
        & (obs["area_code"] == "E08000027")
        & (obs["period"] == "2012-13 Q4")
    )
    obs.loc[latest, "value"] = 4.125
    ctx = make_context(obs=obs)
    assert "4.13% (January to March 2013)" in headline_table(ctx)
    assert "to 4.13% in January to March 2013" in headline_sentence(ctx, "PriTotAbs")[0]


def test_summary_counts_statuses_by_priority_and_activities(section):
    html = section.html
    assert "<caption>Indicators by status against target, 2012-13 Q4</caption>" in html
    assert "<caption>Key activities by progress, 2012-13 Q4</caption>" in html
    assert (
        "<p>3 indicators were scored against their targets; 1 is below target tolerance "
        "and explained under Exceptions.</p>"
    ) in html
    assert html.index("summary-status") < html.index("<h3>Published figures</h3>")
    assert "No local figures" not in html


def test_summary_sentence_agrees_in_number(make_context, small_context):
    scored = small_context.scored.assign(status="below", shown_status="below")
    html = performance_summary(replace(small_context, scored=scored)).html
    assert "3 are below target tolerance" in html


def test_summary_sentence_says_off_target_in_the_councils_schemes(small_context):
    rag = small_context.scored.assign(scheme="rag", shown_status=["red", "green", "red"])
    html = performance_summary(replace(small_context, scored=rag)).html
    assert (
        "<p>3 indicators were scored against their targets; 2 are rated red and explained "
        "under Exceptions.</p>"
    ) in html
    both = rag.assign(scheme=["rag", "tolerance", "rag"])
    html = performance_summary(replace(small_context, scored=both)).html
    assert "2 are below target tolerance or rated red and explained under Exceptions." in html


def test_summary_of_one_scored_indicator_is_singular(small_context):
    scored = small_context.scored.head(1).assign(status="below", shown_status="below")
    html = performance_summary(replace(small_context, scored=scored)).html
    assert "<p>1 indicator was scored against its target; 1 is below target tolerance" in html


def test_summary_lists_one_sentence_per_headline_indicator(section):
    items = re.findall(r"<li>(.*?)</li>", section.html.rsplit("<ul>", 1)[1])
    assert len(items) == 4
    assert items[0].startswith(
        "Children looked after per 10,000 children has dropped by 2 per 10,000 (1.6%)"
    )


def test_summary_sources_are_the_local_figures_and_the_headline_figures_quoted(section):
    assert section.sources == {LOCAL_SOURCE} | HEADLINE_SOURCES


def test_untargeted_local_figures_are_counted_without_a_status(make_context):
    section = performance_summary(make_context(local="untargeted"))
    assert (
        "<p>The council supplied 3 local figures for 2012-13 Q4 but no targets, so none has "
        "a status.</p>"
    ) in section.html
    assert "summary-status" not in section.html and "No local figures" not in section.html
    assert LOCAL_SOURCE in section.sources


def test_one_untargeted_local_figure_is_singular(make_context):
    ctx = make_context(local="untargeted")
    html = performance_summary(replace(ctx, untargeted=ctx.untargeted.head(1))).html
    assert (
        "<p>The council supplied 1 local figure for 2012-13 Q4 but no target, so it has no "
        "status.</p>"
    ) in html


def test_without_local_figures_the_notice_then_the_published_headlines(make_context):
    section = performance_summary(make_context(local=None))
    assert section.html.startswith(
        '<p class="notice">No local figures were supplied for Dudley '
        "for 2012-13 Q4, so this briefing has no scorecard or status "
        "counts."
    )
    assert '<table id="headlines">' in section.html
    assert section.sources == HEADLINE_SOURCES


def test_revisions_note_leads_the_summary(revised_context):
    html = performance_summary(revised_context).html
    assert html.startswith('<div class="notice revisions">')
    assert f"{len(EARLIER)} figures were published differently" in html


def test_revisions_note_alone_still_gets_the_no_local_notice(revised_context):
    ctx = replace(revised_context, scored=None, activities=None, commentary=None)
    html = performance_summary(ctx).html
    assert html.startswith('<div class="notice revisions">')
    assert "so this briefing has no scorecard or status counts" in html
