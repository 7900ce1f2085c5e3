"""perf.report.cover: committee, meeting, author, area and period, and the notices a reader
must see first."""

from __future__ import annotations

from dataclasses import replace

from perf.config import CONTENTS_MARK
from perf.disclosure import INTERNAL_BANNER
from perf.report.cover import cover, masthead


def test_cover_names_committee_meeting_author_area_and_period(make_context):
    section = cover(make_context(meeting_date="21 March 2013", author="P&I <Team>"))
    html = section.html
    assert html.startswith('<h2 id="about-this-report">About this report</h2>')
    assert "<caption>Report details</caption>" in html
    assert html.endswith(CONTENTS_MARK)  # the contents list follows the cover
    rows = {
        "Report to": "Children&#x27;s Services Scrutiny Committee",
        "Date of meeting": "21 March 2013",
        "Report author": "P&amp;I &lt;Team&gt;",
        "Area": "Dudley",
        "Reporting period": "2012-13 Q4 (1 January 2013 to 31 March 2013)",
    }
    for key, value in rows.items():
        assert f'<tr><th scope="row">{key}</th><td>{value}</td></tr>' in html
    assert section.sources == frozenset()  # the cover shows no figures


def test_a_blank_meeting_date_is_to_be_confirmed(make_context):
    assert "<td>to be confirmed</td>" in cover(make_context(meeting_date="  "))


def test_public_cover_promises_small_counts_are_suppressed_and_has_no_banner(small_context):
    html = cover(small_context).html
    assert "This report will be published" in html
    assert (
        "Counts of 1 to 5 children and young people, and figures that would reveal them, "
        "are shown as [c], in the tables and in the text; counts of homes, schools, "
        "complaints and staff are shown as they are."
    ) in html
    assert "Not for publication" not in html
    top = masthead(small_context).html
    assert INTERNAL_BANNER not in top and "notice warning" not in top


def test_the_masthead_opens_the_first_page_with_area_period_and_notices(make_context):
    # Issue 25 item 3: At a glance is the first page; the title's area and period and the
    # notices a reader must see before any figure come just before it
    html = masthead(make_context()).html
    assert html == '<p class="subtitle"><strong>Dudley, 2012-13 Q4</strong></p>'


def test_internal_cover_carries_the_banner_and_no_suppression_promise(make_context):
    html = cover(make_context(public=False)).html
    top = masthead(make_context(public=False)).html
    assert f'<p class="notice warning"><strong>{INTERNAL_BANNER}.</strong></p>' in top
    assert "shown as [c]" not in html
    # the internal edition never carries the publication sentence (issue 13 item 7)
    assert "This report will be published" not in html
    assert '<p class="notice">Not for publication. This internal edition' in html


def test_illustrative_figures_are_announced_on_the_cover(make_context, small_context):
    assert "Illustrative example data." in masthead(make_context(local_flag="ex")).html
    assert "Illustrative example data." not in masthead(small_context).html


def test_cover_does_not_depend_on_local_figures(make_context):
    assert cover(make_context(local=None)).html == cover(make_context()).html


def test_figures_from_a_synthetic_return_are_announced_as_synthetic(make_context):
    # the council's own figures computed from a synthetic worked example's returns
    ctx = make_context(local_flag="ex")
    synthetic = ctx.local_obs.assign(
        source="ssda903 (computed from the council's SSDA903 return; SYNTHETIC worked "
        "example: made-up children, not Dudley's data)"
    )
    html = masthead(replace(ctx, local_obs=synthetic)).html
    assert (
        "<strong>Synthetic worked example.</strong> The council's own figures in this "
        "briefing are computed from synthetic returns (an SSDA903 return and a children in "
        "need census of made-up children), marked [ex]. They are not Dudley's data"
    ) in html
    assert "Illustrative example data." not in html  # no figure was typed in
    assert "Synthetic worked example." not in masthead(ctx).html


def test_the_cover_gives_the_councils_last_ofsted_inspection():
    """Issue 24: the council's last inspection, what it judged and when, on the cover."""
    from perf.report.context import prepare

    html = cover(prepare("Dudley", "2024-25")).html
    assert "Last Ofsted inspection of children's services in Dudley" in html
    assert "<td>31 October 2022 (ILACS Standard Inspection)</td>" in html
    assert (
        '<th scope="row">Overall effectiveness</th><td>Requires improvement to be good</td>' in html
    )
    # inspected before care leavers were judged apart
    assert "Judged with children in care (separately only from January 2023)" in html
    # a 2012-13 briefing: no ILACS inspection was published by then
    assert "Ofsted" not in cover(prepare("Dudley", "2012-13 Q1")).html


def test_from_april_2026_the_cover_says_ofsted_gives_no_overall_judgement(small_context):
    from dataclasses import replace

    import pandas as pd

    later = {
        "inspection_date": pd.Timestamp("2026-05-11"),
        "publication_date": pd.Timestamp("2026-06-20"),
        "inspection_type": "ILACS Standard Inspection",
        "overall_effectiveness": None,
        "impact_of_leaders": "Good",
        "help_and_protection": "Good",
        "children_in_care": "Outstanding",
        "care_leavers": "Good",
        "source": "ofsted.ods (Ofsted)",
    }
    html = cover(replace(small_context, inspection=later)).html
    assert "Not given: Ofsted gives no overall judgement for inspections from April 2026" in html
    assert "<td>Outstanding</td>" in html
