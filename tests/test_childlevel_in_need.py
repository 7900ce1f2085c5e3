"""DfE's children in need measures on a small census written by hand: every figure below
is counted by hand in the comment beside it (2024-25 is 1 April 2024 to 31 March 2025).
Working days leave out weekends and England's bank holidays: Good Friday 29 March and
Easter Monday 1 April 2024, 6 May 2024, Christmas, Boxing Day and New Year's Day."""

from __future__ import annotations

import pandas as pd

from perf.childlevel import in_need as cin
from perf.periods import parse_period

YEAR, NEXT = parse_period("2024-25"), parse_period("2025-26")
Q1, Q2, Q3, Q4 = (parse_period(f"2024-25 Q{q}") for q in range(1, 5))

REFERRALS = cin.referrals_frame(
    [
        # child, referral, closure, no further action
        (1, "2023-09-01", "2023-10-01", False),
        (1, "2024-06-15", "2024-08-01", False),  # 9 months after 1 September 2023
        (1, "2025-08-01", None, False),  # 13 months after 15 June 2024
        (2, "2024-04-10", "2024-04-10", True),  # no further action
        (2, "2025-04-10", None, False),  # exactly 12 months after: within 12 months
        (3, "2024-02-01", None, False),
        (3, "2025-03-01", None, False),  # 13 months after 1 February 2024
        (4, "2024-12-01", "2025-01-10", False),
    ]
)


def _values(result: pd.DataFrame, column: str = "value") -> list[float]:
    return [round(v, 2) for v in result[column].tolist()]


def test_referrals_each_counted():
    # 2024-25: 1 (15 Jun), 2 (10 Apr, no further action: still a referral), 3 (1 Mar),
    # 4 (1 Dec) = 4; 2025-26: 1 (1 Aug), 2 (10 Apr) = 2; Q1: 1 and 2 = 2
    assert _values(cin.referral_count(REFERRALS, [YEAR, NEXT, Q1])) == [4.0, 2.0, 2.0]


def test_re_referrals_within_12_months():
    # 2024-25: 1's referral of 15 June 2024 follows 1 September 2023 = 1 of 4 = 25%
    # 2025-26: 2's referral of 10 April 2025 follows 10 April 2024 (12 months to the day:
    # within); 1's of 1 August 2025 is 13 months after its last = 1 of 2 = 50%
    result = cin.re_referrals(REFERRALS, [YEAR, NEXT])
    assert _values(result) == [25.0, 50.0]
    assert _values(result, "numerator") == [1.0, 1.0]
    assert _values(result, "denominator") == [4.0, 2.0]


def test_children_in_need_at_a_day():
    # open on the day, not an episode that led to no further action, each child once:
    # 31 March 2025: 3 (two open episodes: once) = 1; 31 December 2024: 3 and 4 = 2;
    # 30 September 2024: 3 (1 closed on 1 August) = 1
    assert _values(cin.cin_count(REFERRALS, [YEAR, Q3, Q2])) == [1.0, 2.0, 1.0]


ASSESSMENTS = pd.DataFrame(
    {
        "child": [1, 2, 3, 4, 5],
        "start": pd.to_datetime(
            ["2025-01-06", "2025-01-06", "2024-12-20", "2025-02-03", "2024-03-01"]
        ),
        "authorised": pd.to_datetime(
            ["2025-03-10", "2025-03-11", "2025-01-02", None, "2024-06-03"]
        ),
    }
)


def test_assessments_within_45_working_days():
    # 1: after Monday 6 January 2025: January 19 working days, February 20 (39), 3-7 March
    #    (44), Monday 10 March the 45th: within. 2: authorised on the 46th (11 March): not.
    # 3: after Friday 20 December 2024: 23, 24, 27, 30, 31 December and 2 January (25, 26
    #    December and 1 January are bank holidays) = 6: within.
    # 4: not yet authorised: not counted. 5: started 1 March 2024, authorised 3 June 2024:
    #    19 working days in March (Good Friday out), 21 in April (Easter Monday out) = 40,
    #    45 by 8 May (6 May out), far over by 3 June: not within.
    # 2024-25 (authorised in it): 1, 2, 3, 5 -> within: 1, 3 = 2 of 4 = 50%.
    # Q4 (January-March 2025): 1, 2, 3 -> 2 of 3 = 66.67%; Q1: 5 -> 0 of 1 = 0%
    result = cin.assessments_45_days(ASSESSMENTS, [YEAR, Q4, Q1])
    assert _values(result) == [50.0, 66.67, 0.0]
    assert _values(result, "denominator") == [4.0, 3.0, 1.0]


SECTION47 = pd.DataFrame(
    {
        "child": [1, 2, 3, 4, 5],
        "start": pd.to_datetime(
            ["2024-05-01", "2024-05-01", "2024-05-01", "2024-08-01", "2024-03-20"]
        ),
        "icpc": pd.to_datetime(["2024-05-22", "2024-05-23", "2024-05-24", None, "2024-04-05"]),
    }
)


def test_section_47_enquiries_started():
    # started in 2024-25: 1, 2, 3, 4 (5 started on 20 March 2024) = 4
    assert _values(cin.s47_count(SECTION47, [YEAR, Q2])) == [4.0, 1.0]  # Q2: 4 (1 August)


def test_initial_conferences_within_15_working_days():
    # after Wednesday 1 May 2024: 2, 3 May (2), 6 May bank holiday, 7-10 May (6), 13-17 (11),
    # 20, 21, 22 May: 22nd is the 14th working day, 23rd the 15th (within), 24th the 16th.
    # 5: after Wednesday 20 March 2024: 21, 22, 25-28 March (6), Good Friday and Easter
    # Monday out, 2-5 April: 5 April is the 10th: within.
    # Conferences held in 2024-25: 1, 2, 3, 5 (4 had none) -> within: 1, 2, 5 = 3 of 4 = 75%
    result = cin.conferences_15_days(SECTION47, [YEAR])
    assert _values(result) == [75.0]
    assert _values(result, "denominator") == [4.0]


PLANS = pd.DataFrame(
    {
        "child": [1, 1, 2, 3, 4, 5],
        "start": pd.to_datetime(
            ["2022-01-01", "2024-09-01", "2024-05-01", "2024-07-01", "2023-03-31", "2023-04-01"]
        ),
        "end": pd.to_datetime(["2024-06-01", None, "2025-01-01", None, None, None]),
        # the census's NumberOfPreviousCPP
        "previous": [0, 0, 1, 0, 0, 0],
    }
)


def test_children_on_a_plan_at_a_day():
    # 31 March 2025: 1 (second plan), 3, 4, 5 = 4 (2's plan ended 1 January)
    assert _values(cin.cpp_count(PLANS, [YEAR])) == [4.0]


def test_second_or_subsequent_plans():
    # plans begun in 2024-25: 1's of 1 September (an earlier plan in the records: second),
    # 2's (NumberOfPreviousCPP 1: second), 3's (first) -> 2 of 3 = 66.67%
    result = cin.second_plans(PLANS, [YEAR])
    assert _values(result) == [66.67]
    assert _values(result, "denominator") == [3.0]


def test_plans_lasting_two_years_or_more():
    # ended in 2024-25: 1's first plan (1 January 2022 to 1 June 2024: 2 years 5 months)
    # and 2's (8 months) -> 1 of 2 = 50%
    assert _values(cin.plans_2_years_ceased(PLANS, [YEAR])) == [50.0]
    # open on 31 March 2025: 1 (since September 2024), 3 (July 2024), 4 (31 March 2023:
    # exactly two years), 5 (1 April 2023: a day short) -> 1 of 4 = 25%
    result = cin.plans_2_years_open(PLANS, [YEAR])
    assert _values(result) == [25.0]
    assert _values(result, "denominator") == [4.0]
