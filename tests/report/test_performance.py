"""perf.report.performance: status counts and key-activity counts, under the section's own
heading, rendered alone from the small context (the published indicators are the themes':
tests/report/test_themes.py)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from perf.report.performance import performance_summary

from .conftest import EARLIER

LOCAL_SOURCE = "dudley_fixture_scorecard.csv (Dudley fixture scorecard, 2012-13 Q4)"


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


def test_summary_counts_statuses_by_priority_and_activities(section):
    html = section.html
    assert "<caption>Indicators by status against target, 2012-13 Q4</caption>" in html
    assert "<caption>Key activities by progress, 2012-13 Q4</caption>" in html
    assert (
        "<p>3 indicators were scored against their targets; 1 is below target tolerance "
        "and explained under Exceptions.</p>"
    ) in html
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


def test_summary_sources_are_the_local_figures(section):
    assert section.sources == {LOCAL_SOURCE}


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


def test_without_local_figures_the_notice_under_the_heading(make_context):
    section = performance_summary(make_context(local=None))
    assert section.html.startswith(
        '<h2 id="performance-summary">Performance summary</h2>\n'
        '<p class="notice">No local figures were supplied for Dudley '
        "for 2012-13 Q4, so this briefing has no scorecard or status "
        "counts."
    )
    assert "<table" not in section.html  # the published indicators are the themes'
    assert section.sources == frozenset()


def test_revisions_note_leads_the_summary(revised_context):
    html = performance_summary(revised_context).html
    assert html.split("\n", 1)[1].startswith('<div class="notice revisions">')
    assert f"{len(EARLIER)} figures were published differently" in html


def test_revisions_note_alone_still_gets_the_no_local_notice(revised_context):
    ctx = replace(revised_context, scored=None, activities=None, commentary=None)
    html = performance_summary(ctx).html
    assert html.split("\n", 1)[1].startswith('<div class="notice revisions">')
    assert "so this briefing has no scorecard or status counts" in html
