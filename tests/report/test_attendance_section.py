"""The briefing's in-year attendance section (issue 12), from the real DfE releases."""

from __future__ import annotations

import pytest

from perf.report.attendance import attendance, reporting_quarter_of
from perf.report.context import prepare


@pytest.fixture(scope="module")
def leeds_q3():
    return prepare("Leeds", "2024-25 Q3")


def test_quarterly_briefing_states_attendance_against_england_with_rank(leeds_q3):
    section = attendance(leeds_q3)
    html = section.html
    assert "year to 20 December 2024" in html
    assert "Attendance in Leeds primary schools was 94.8% in the year to 20 December 2024" in html
    assert "ranked 80th of 151 local authorities" in html and "<td" in html
    assert "80 of 151" in html  # the table's rank column
    assert any("EES_ytd_data_published_2025-01-09.csv" in s for s in section.sources)
    assert any("EES_ytd_data_published_2024-01-11.csv" in s for s in section.sources)
    assert "different measure" in html  # never mixed with LAIT's full-year absence unsaid
    assert html.count("<figure") == 1


def test_a_year_briefing_shows_the_year_end_quarter():
    ctx = prepare("Dudley", "2024-25")
    assert reporting_quarter_of(ctx) == "2024-25 Q4"
    assert "year to 21 March 2025" in attendance(ctx).html


def test_a_quarter_no_release_carries_says_so():
    section = attendance(prepare("Dudley", "2012-13 Q1"))
    assert "No DfE in-year attendance release held carries figures for 2012-13 Q1" in section.html
    assert not section.sources
