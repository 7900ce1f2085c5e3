"""perf.report.exceptions: the indicators below target tolerance with the council's
explanation, rendered alone from the small context."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from perf.report.exceptions import exceptions, exceptions_heading
from perf.report.priorities import priorities

#: The section's own heading for a council whose plans use Dudley's tolerance scheme.
HEADING = '<h2 id="Exceptions">Exceptions: indicators below target tolerance</h2>\n'
BELOW = (
    '<p><span class="status" data-status="below"><span class="perf-symbol" '
    'aria-hidden="true">▲</span> Below target tolerance</span>: '
)


def test_each_exception_has_its_title_figures_and_explanation(small_context):
    section = exceptions(small_context)
    assert section.html == (
        f"{HEADING}<h3>Number of LAC per 10k of the child population</h3>\n"
        f"{BELOW}104.9 against a target of 98.8.</p>\n"
        "<p>Admissions rose in the quarter.</p><p>Fewer children left care.</p>"
    )


def test_an_exception_without_a_comment_says_so(small_context):
    html = exceptions(replace(small_context, commentary=None)).html
    assert "<p>No explanation was supplied for this exception.</p>" in html
    assert html.count("<h3>") == 1


def test_figures_use_the_catalogues_decimals(small_context):
    scored = small_context.scored.copy()
    scored["status"] = scored["shown_status"] = "below"
    html = exceptions(replace(small_context, scored=scored, commentary=None)).html
    # care leavers: 0 decimals; child protection plans: 1 decimal
    assert f"{BELOW}72% against a target of 65%.</p>" in html
    assert f"{BELOW}104.9 against a target of 98.8.</p>" in html
    assert f"{BELOW}35.6 against a target of 36.0.</p>" in html
    assert html.count("<h3>") == 3


def test_a_missing_figure_or_target_is_named(small_context):
    scored = small_context.scored.copy()
    below = scored["status"] == "below"
    scored.loc[below, ["value", "target"]] = [float("nan"), float("nan")]
    html = exceptions(replace(small_context, scored=scored)).html
    # a missing figure shows [x] (not available), a missing target [z] (not applicable),
    # both explained in the one legend
    assert f"{BELOW}[x] against a target of [z].</p>" in html


def test_no_exception_this_period(small_context):
    scored = small_context.scored.assign(status="exceeds", shown_status="exceeds")
    assert exceptions(replace(small_context, scored=scored)).html == (
        f"{HEADING}<p>No indicator is below target tolerance this period.</p>"
    )


def test_no_exception_this_period_in_the_councils_schemes(small_context):
    # Leeds's plans use red/amber/green: there nothing is "off target", it is "rated red"
    rag = small_context.scored.assign(scheme="rag", status="green", shown_status="green")
    html = exceptions(replace(small_context, scored=rag)).html
    assert html.endswith("<p>No indicator is rated red this period.</p>")
    both = rag.assign(
        scheme=["rag", "tolerance", "rag"], shown_status=["green", "exceeds", "amber"]
    )
    html = exceptions(replace(small_context, scored=both)).html
    assert html.endswith("<p>No indicator is below target tolerance or rated red this period.</p>")


def test_figures_without_targets_cannot_be_below_target(make_context):
    assert exceptions(make_context(local="untargeted")).html == (
        f"{HEADING}<p>The council supplied no targets for 2012-13 Q4, so no indicator can be below "
        "target tolerance.</p>"
    )
    plans = pd.DataFrame({"kind": ["indicator"], "scheme": ["rag"]})
    html = exceptions(replace(make_context(local="untargeted"), plans=plans)).html
    assert html.endswith(
        "<p>The council supplied no targets for 2012-13 Q4, so no indicator can be rated red.</p>"
    )


def test_without_local_figures_one_sentence_the_notice_is_the_summarys(make_context):
    html = exceptions(make_context(local=None)).html
    assert html == HEADING + (
        "<p>The council supplied no targets for 2012-13 Q4, so no indicator can be below "
        "target tolerance.</p>"
    )
    assert "No local figures were supplied" not in html


def test_an_exception_shows_the_figure_its_scorecard_shows(small_context):
    scored = small_context.scored.copy()
    scored.loc[scored["indicator"] == "dudley_cp_plan_rate", ["status", "shown_status"]] = "below"
    ctx = replace(small_context, scored=scored)
    assert ">35.6</td>" in priorities(ctx).html
    assert f"{BELOW}35.6 against a target of 36.0.</p>" in exceptions(ctx).html


def test_the_heading_says_what_the_section_lists_in_the_councils_schemes(small_context):
    # Leeds's plans use red/amber/green: there an exception is a red indicator, not one
    # "below target"; a council with plans in both schemes lists both
    assert exceptions_heading({"tolerance"}) == "Exceptions: indicators below target tolerance"
    assert exceptions_heading({"rag"}) == "Exceptions: indicators rated red"
    assert exceptions_heading({"rag", "tolerance"}) == (
        "Exceptions: indicators below target tolerance or rated red"
    )
    rag = small_context.scored.assign(scheme="rag", shown_status="red")
    html = exceptions(replace(small_context, scored=rag)).html
    assert html.startswith('<h2 id="Exceptions">Exceptions: indicators rated red</h2>\n')
    assert html.count("<h2") == 1


def test_the_briefing_notebook_leaves_the_heading_to_the_section():
    from perf import config

    source = (config.NOTEBOOKS_DIR / "briefing.py").read_text(encoding="utf-8")
    assert "## Exceptions" not in source and "b.exceptions()" in source
