"""perf.periods, in-year attendance kinds: academic year to a cut-off date, school weeks,
and the financial quarter a briefing reports each in.

(A module of its own so it merges cleanly beside tests/test_periods.py.)
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perf.errors import PeriodError
from perf.periods import (
    KINDS,
    REPORTING_GRACE_DAYS,
    academic_year_to_date,
    financial_quarter,
    parse_period,
    reporting_quarter,
    same_period_last_year,
    school_week,
)
from perf.schema import PERIOD_KINDS


def test_new_kinds_are_registered_for_the_schema():
    assert "academic_year_to_date" in KINDS and "week" in KINDS
    assert "academic_year_to_date" in PERIOD_KINDS and "week" in PERIOD_KINDS


def test_year_to_date_label_dates_and_round_trip():
    p = academic_year_to_date(2024, date(2024, 12, 20))
    assert (p.label, p.kind, p.start, p.end) == (
        "2024/25 to 20 December 2024",
        "academic_year_to_date",
        date(2024, 9, 1),
        date(2024, 12, 20),
    )
    for text in (
        "2024/25 to 20 December 2024",
        "academic year 2024/25 to 20/12/2024",
        "2024/2025 to 20 December 2024",
        "2024/25 year to date to 20 December 2024",
    ):
        assert parse_period(text) == p


@pytest.mark.parametrize(
    "label",
    [
        "2024/25 to 31 August 2024",  # before the year starts
        "2024/25 to 1 September 2025",  # after it ends
        "2024/26 to 20 December 2024",  # not consecutive years
    ],
)
def test_impossible_year_to_date_is_a_period_error_quoting_the_label(label):
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    assert repr(label) in str(info.value)


def test_hyphenated_year_to_date_is_not_guessed_as_academic():
    with pytest.raises(PeriodError):
        parse_period("2024-25 to 20 December 2024")


def test_week_label_is_the_iso_week_monday_to_friday():
    # DfE's "Week 37" of 2022 is the week commencing Monday 12 September 2022.
    p = school_week(2022, 37)
    assert (p.label, p.start, p.end) == ("Week 37 2022", date(2022, 9, 12), date(2022, 9, 16))
    for text in ("Week 37 2022", "week 37 of 2022", "2022-W37", "2022 Week 37", "Week 37, 2022"):
        assert parse_period(text) == p


@pytest.mark.parametrize("label", ["Week 0 2022", "Week 53 2022", "Week 54 2020"])
def test_weeks_that_do_not_exist_are_period_errors(label):
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    assert repr(label) in str(info.value)


def test_week_53_exists_in_a_long_iso_year():
    assert parse_period("Week 53 2020").start == date(2020, 12, 28)


@settings(max_examples=150, deadline=None)
@given(st.integers(2000, 2040), st.integers(1, 52))
def test_any_week_round_trips_and_has_five_school_days(year, week):
    p = school_week(year, week)
    assert parse_period(p.label) == p
    assert p.start.weekday() == 0 and p.end - p.start == timedelta(days=4)


@settings(max_examples=150, deadline=None)
@given(st.integers(2000, 2040), st.integers(0, 364))
def test_any_year_to_date_round_trips(year, offset):
    cutoff = date(year, 9, 1) + timedelta(days=offset)
    p = academic_year_to_date(year, cutoff)
    assert parse_period(p.label) == p and p.end == cutoff


def test_same_point_last_year():
    assert same_period_last_year(parse_period("Week 37 2022")).label == "Week 37 2021"
    assert same_period_last_year(parse_period("Week 53 2020")).label == "Week 52 2019"
    assert (
        same_period_last_year(parse_period("2024/25 to 20 December 2024")).label
        == "2023/24 to 20 December 2023"
    )


@pytest.mark.parametrize(
    ("label", "quarter"),
    [
        # the release after each quarter's end, with the cut-off it runs to
        ("2022/23 to 23 December 2022", "2022-23 Q3"),
        ("2022/23 to 24 March 2023", "2022-23 Q4"),
        ("2022/23 to 30 June 2023", "2023-24 Q1"),
        ("2023/24 to 29 September 2023", "2023-24 Q2"),
        ("2024/25 to 20 December 2024", "2024-25 Q3"),
        ("2025/26 to 10 July 2026", "2026-27 Q1"),  # just after the quarter's end
        ("2025/26 to 21 July 2026", "2026-27 Q1"),  # 21 days after: still that quarter
        ("2025/26 to 22 July 2026", "2026-27 Q2"),  # 22 days after: the next one
        ("Week 37 2022", "2022-23 Q2"),
        ("Week 14 2023", "2023-24 Q1"),  # Mon 3 April 2023
        ("Week 13 2021", "2020-21 Q4"),  # Mon 29 March to Fri 2 April 2021: Wednesday in March
        ("2024-25 Q3", "2024-25 Q3"),
    ],
)
def test_reporting_quarter(label, quarter):
    assert reporting_quarter(parse_period(label)).label == quarter


def test_reporting_quarter_grace_is_three_weeks():
    assert REPORTING_GRACE_DAYS == 21
    end = financial_quarter(2024, 1).end
    assert (
        reporting_quarter(academic_year_to_date(2023, end + timedelta(days=21))).label
        == "2024-25 Q1"
    )


def test_reporting_quarter_refuses_other_kinds():
    with pytest.raises(PeriodError):
        reporting_quarter(parse_period("2024/25"))
