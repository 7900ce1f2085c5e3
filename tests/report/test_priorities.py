"""perf.report.priorities: one part per priority (scorecard, comments, key activities) and
the council's figures without targets, rendered alone from the small context."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from perf.report.priorities import priorities, untargeted_table

LOCAL_SOURCE = "dudley_fixture_scorecard.csv (Dudley fixture scorecard, 2012-13 Q4)"


@pytest.fixture(scope="module")
def section(make_context):
    return priorities(make_context())


def _cell(html: str, table_id: str, column: str, row: int = 1) -> str:
    found = re.search(
        rf'headers="{table_id}-stub-{row} {table_id}-{column}"[^>]*>(.*?)</td>', html, re.DOTALL
    )
    assert found, (table_id, column, row)
    return found.group(1)


def test_one_numbered_part_per_priority_scorecards_first_then_activities(section):
    headings = re.findall(r'<h3 id="(priority-\d)">(.*?)</h3>', section.html)
    assert headings == [("priority-1", "Young people"), ("priority-2", "Safeguarding")]
    assert "<caption>Young people: indicators, 2012-13 Q4</caption>" in section.html
    assert "<caption>Safeguarding: indicators, 2012-13 Q4</caption>" in section.html


def test_scorecards_show_actuals_and_targets_with_the_catalogues_decimals(section):
    html = section.html
    assert _cell(html, "scorecard-1", "Actual") == "104.9"  # decimals 1
    assert _cell(html, "scorecard-1", "Actual", 2) == "72%"  # 71.5 at 0 decimals, half up
    assert _cell(html, "scorecard-2", "Actual") == "35.6"  # 35.55 at 1 decimal, half up
    assert _cell(html, "scorecard-2", "Target") == "36.0"
    assert "Below target" in _cell(html, "scorecard-1", "Status")


def test_a_comment_on_an_indicator_below_target_is_left_to_exceptions(section):
    # each comment is printed once (issue 13 item 10): the only comment is on an indicator
    # below target, so it appears under Exceptions and the priority points there
    html = section.html
    assert "<h4>Comments</h4>" not in html
    assert "Admissions rose in the quarter." not in html
    pointer = html.index(
        "<p>The comments on the indicators below target tolerance are under Exceptions.</p>"
    )
    assert html.index('id="scorecard-1"') < pointer < html.index('id="priority-2"')


def test_the_pointer_to_exceptions_says_off_target_in_the_indicators_scheme(small_context):
    scored = small_context.scored.copy()
    lac = scored["indicator"] == "dudley_lac_rate"
    scored.loc[lac, "scheme"], scored.loc[lac, "shown_status"] = "rag", "red"
    html = priorities(replace(small_context, scored=scored)).html
    assert "<p>The comments on the indicators rated red are under Exceptions.</p>" in html
    assert "off target" not in html


def test_comments_follow_their_priority_s_scorecard(small_context):
    scored = small_context.scored.assign(status="exceeds", shown_status="exceeds")
    html = priorities(replace(small_context, scored=scored)).html
    comments = html.index("<h4>Comments</h4>")
    assert html.index('id="scorecard-1"') < comments < html.index('id="priority-2"')
    assert (
        "<p><strong>Number of LAC per 10k of the child population</strong></p>"
        "<p>Admissions rose in the quarter.</p><p>Fewer children left care.</p>"
    ) in html
    assert html.count("<h4>Comments</h4>") == 1  # Safeguarding has none
    assert "are under Exceptions" not in html


def test_key_activities_grouped_by_objective_under_their_priority(section):
    html = section.html
    assert "<caption>Objective 1 Improve outcomes: key activities</caption>" in html
    assert html.index('id="activities-1-1"') < html.index('id="priority-2"')
    assert "Excellent progress" in _cell(html, "activities-1-1", "Status", 2)


def test_sources_are_the_councils_own_files(section):
    assert section.sources == {LOCAL_SOURCE}


def test_a_priority_with_activities_only_still_gets_its_part(small_context):
    acts = small_context.activities.assign(priority="Early help")
    html = priorities(replace(small_context, activities=acts)).html
    assert re.findall(r'<h3 id="priority-\d">(.*?)</h3>', html) == [
        "Young people",
        "Safeguarding",
        "Early help",
    ]
    assert html.index('id="priority-3"') < html.index('id="activities-3-1"')


def test_a_revised_local_figure_is_marked_r(revised_context):
    assert _cell(priorities(revised_context).html, "scorecard-1", "Actual") == "104.9 [r]"


def test_untargeted_figures_get_their_own_table(make_context):
    ctx = make_context(local="untargeted")
    html = priorities(ctx).html
    assert html.startswith(
        '<h2 id="priorities">Priorities: scorecards, comments and key activities</h2>\n'
        '<h3>Local figures</h3>\n<table id="local-untargeted">'
    )
    assert "scorecard-" not in html
    assert untargeted_table(ctx) in html
    assert (
        '<tr><th scope="row">Care leavers in employment, education or training</th>'
        '<td class="num">72%</td><td>none supplied</td></tr>'
    ) in html


def test_without_local_figures_nothing_the_summary_says_it_once(make_context):
    section = priorities(make_context(local=None))
    assert section.html == "" and section.sources == frozenset()
