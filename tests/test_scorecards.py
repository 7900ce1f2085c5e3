"""A plan's scorecard in the council's own scheme (perf.scorecards)."""

from __future__ import annotations

import re

import pandas as pd

from perf.scorecards import ILLUSTRATIVE_NOTE, scorecard_html, status_html

ROWS = pd.DataFrame(
    {
        "indicator": ["a", "b"],
        "ref": ["PI 1", None],
        "title": ["Rate", "Share"],
        "unit": ["rate per 10,000", "%"],
        "decimals": [1, 1],
        "value": [81.0, float("nan")],
        "target": [80.0, 85.0],
        "flag": ["ex", "x"],
        "target_flag": ["ex", None],
        "scheme": ["tolerance"] * 2,
        "shown_status": ["on_target_upper", "on_target_upper"],
        "status_by": ["council", "perf"],
        "perf_status": ["on_target_lower", "on_target_upper"],
        "disagrees": [True, False],
        "cumulative": [False, True],
        "month_value": [None, 90.0],
        "month_label": [None, "March 2025"],
        "month_flag": [None, "ex"],
    }
)


def test_council_and_calculated_statuses_are_said_so():
    out = scorecard_html(ROWS, caption="Young people", internal=False)
    assert "On target (upper half of tolerance; council)</span>" in out
    assert "On target (upper half of tolerance; calculated)</span>" in out
    assert "This report never replaces it" in out and "perf" not in out.replace("perf-", "")


def test_the_internal_view_flags_a_disagreement():
    out = scorecard_html(ROWS, caption="Young people", internal=True)
    assert "⚠ differs: perf calculates" in out and "lower half of tolerance" in out


def test_year_to_date_with_the_latest_month_and_every_mark_explained():
    out = scorecard_html(ROWS, caption="Young people", internal=False)
    assert "[x] (year to date); March 2025: 90.0% [ex]" in out
    assert "81.0 [ex]" in out and "80.0 [ex]" in out and "PI 1" in out
    # every mark, [ex] as [x], is explained once, in the masthead's notice and the legend
    # (issue 25: the [ex] footnote was under all 11 tables), not under each table
    assert ILLUSTRATIVE_NOTE.replace("'", "&#x27;") not in out and "[x] = not available" not in out


def _read_aloud(html: str) -> str:
    """What a screen reader reads: the text without the symbols hidden from it."""
    html = re.sub(r'<span[^>]*aria-hidden="true"[^>]*>.*?</span>', "", html)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_who_set_a_status_reads_as_one_phrase_with_its_words():
    # "On target (upper half of tolerance) (council)" read as two bracketed phrases in a row
    for scheme, status, by, said in [
        ("tolerance", "on_target_upper", "council", "On target (upper half of tolerance; council)"),
        ("tolerance", "on_target_lower", "perf", "On target (lower half of tolerance; calculated)"),
        ("tolerance", "below", "council", "Below target tolerance (council)"),
        ("rag", "red", "perf", "Red (calculated)"),
        ("tolerance", "on_target_upper", None, "On target (upper half of tolerance)"),
    ]:
        html = status_html(status, scheme, by)
        assert _read_aloud(html) == said
        assert ") (" not in re.sub(r"<[^>]+>", "", html)
    out = scorecard_html(ROWS, caption="Young people", internal=True)
    assert ") (" not in re.sub(r"<[^>]+>", "", out)


def test_a_status_outside_the_scheme_is_none_given():
    assert status_html("purple", "rag") == "none given"


def test_the_briefing_flags_a_disagreement_in_the_internal_view_only(monkeypatch, tmp_path):
    # the illustrative Dudley 2024-25 year (tests/fixtures/example_2024-25): the council says
    # ● for its LAC rate (81.0 against 80.0, lower is better, tolerance 3); perf calculates ◐
    from report.conftest import example_context

    from perf.report.exceptions import exceptions
    from perf.report.priorities import priorities

    internal = example_context(monkeypatch, tmp_path / "internal", public=False)
    assert "⚠ differs: perf calculates" in priorities(internal).html
    said = exceptions(internal).html
    assert "Where perf&#x27;s calculation differs" in said or "Where perf's calculation" in said
    public = example_context(monkeypatch, tmp_path / "public", public=True)
    for section in (priorities(public).html, exceptions(public).html):
        assert "⚠ differs" not in section and "calculation differs from" not in section
    assert "On target (upper half of tolerance; council)</span>" in priorities(public).html
