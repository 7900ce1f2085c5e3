"""DfE's children in need measures, from the CIN census records, for any period.

Each function takes the census frames (:class:`perf.childlevel.cin.CIN`'s) and a list of
periods, and returns one row per period (``numerator``, ``denominator``, ``value``, as in
:mod:`perf.childlevel.looked_after`). The definitions are DfE's, as its *Characteristics
of children in need* statistics and the Local Authority Interactive Tool (LAIT, whose ids
these figures carry) state them; working days are England's
(:mod:`perf.childlevel.workdays`).

A look back (a previous referral, an earlier plan) uses every record the file holds, so
an extract with the children's history gives exact figures from its first day; the
census alone holds only the episodes open during its year, and DfE's plan count
``NumberOfPreviousCPP`` says how many plans a child had before.

Examples:
    >>> from perf.periods import parse_period
    >>> ref = referrals_frame([(1, "2024-05-01", "2024-06-01", False),
    ...                        (1, "2025-02-01", None, False),   # 9 months later
    ...                        (2, "2025-03-01", "2025-03-01", True)])
    >>> year = [parse_period("2024-25")]
    >>> referral_count(ref, year)["value"].tolist(), re_referrals(ref, year)["value"].tolist()
    ([3.0], [33.33333333333333])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perf.childlevel.looked_after import _result, _share
from perf.childlevel.timeline import (
    count_in,
    count_open,
    ends,
    last_days,
    minus_years,
    union_intervals,
)
from perf.childlevel.workdays import working_days_after
from perf.periods import Period

__all__ = [
    "ASSESSMENT_DAYS",
    "CONFERENCE_DAYS",
    "assessments_45_days",
    "cin_count",
    "conferences_15_days",
    "cpp_count",
    "plans_2_years_ceased",
    "plans_2_years_open",
    "re_referrals",
    "referral_count",
    "referrals_frame",
    "s47_count",
    "second_plans",
]

#: "An assessment should be completed within 45 working days of a referral" (LAIT,
#: ``Continue_Assess_Comp``; Working Together to Safeguard Children).
ASSESSMENT_DAYS = 45
#: An initial child protection conference "should be convened within 15 working days"
#: (LAIT, ``Section_47``, ``CP_conf_15days``).
CONFERENCE_DAYS = 15


def referrals_frame(rows) -> pd.DataFrame:
    """A referrals frame from ``(child, referral, closure, nfa)`` tuples (ISO dates, None
    for an open episode): the tests' and examples' hand-written fixtures."""
    frame = pd.DataFrame(rows, columns=["child", "referral", "closure", "nfa"])
    frame["referral"] = pd.to_datetime(frame["referral"])
    frame["closure"] = pd.to_datetime(frame["closure"])
    return frame


def referral_count(referrals: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Referrals to children's social care in each period (LAIT ``CPP_Total_NumRef``,
    "Number of referrals to Children's Social Services"; with the population of children
    aged 0 to 17, ``CPP_Total_Rateper10,000``). Each referral opens an episode of need
    (``CINreferralDate``), those that led to no further action included: "If a child is
    referred more than once in the year then each referral is counted" (LAIT's data
    dictionary)."""
    return _result(count_in(referrals["referral"].to_numpy(), periods))


def _previous_within_year(referrals: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(referral day, whether the same child had a referral in the 12 months before it)."""
    order = referrals.sort_values(["child", "referral"], kind="mergesort")
    child = order["child"].to_numpy()
    day = order["referral"].to_numpy(dtype="datetime64[ns]")
    same = np.r_[False, child[1:] == child[:-1]]
    previous = np.r_[np.datetime64("NaT", "ns"), day[:-1]]
    year_before = minus_years(day, 1)
    within = same & (previous >= year_before)
    return day, within


def re_referrals(referrals: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the referrals in each period, the percentage made within 12 months of the same
    child's previous referral (LAIT ``ReReferral``, "Percentage of referrals to children's
    social care within 12 months of a previous referral"). "Within 12 months": the previous
    referral is on or after the same day a year before."""
    day, within = _previous_within_year(referrals)
    return _share(count_in(day[within], periods), count_in(day, periods))


def assessments_45_days(assessments: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the assessments completed in each period (authorised, ``AssessmentAuthorisation
    Date``, in it), the percentage completed within 45 working days of their start (LAIT
    ``Continue_Assess_Comp``, "Continuous assessments completed within 45 working days
    (%)"). Working days after the start day up to and including the day it was authorised,
    weekends and England's bank holidays not counted."""
    done = assessments[assessments["authorised"].notna()]
    took = working_days_after(done["start"].to_numpy(), done["authorised"].to_numpy())
    day = done["authorised"].to_numpy(dtype="datetime64[ns]")
    return _share(count_in(day[took <= ASSESSMENT_DAYS], periods), count_in(day, periods))


def s47_count(section47: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Section 47 enquiries started in each period (``s47_count``; with the population of
    children aged 0 to 17, LAIT ``Section_47``: "Section 47 enquiries which started during
    the year - rate", per 10,000 children). Each enquiry is counted."""
    return _result(count_in(section47["start"].to_numpy(), periods))


def conferences_15_days(section47: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the initial child protection conferences held in each period that followed a
    section 47 enquiry, the percentage held within 15 working days of the start of the
    enquiry (LAIT ``CP_conf_15days``: "Initial child protection conferences held within 15
    days of the start of the section 47 enquiries which led to a conference (%)")."""
    held = section47[section47["icpc"].notna()]
    took = working_days_after(held["start"].to_numpy(), held["icpc"].to_numpy())
    day = held["icpc"].to_numpy(dtype="datetime64[ns]")
    return _share(count_in(day[took <= CONFERENCE_DAYS], periods), count_in(day, periods))


def cin_count(referrals: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children in need at the end of each period (``cin_count``; with the population of
    children aged 0 to 17, LAIT ``CIN``, "Children in Need (rate)"): children with an
    episode of need open that day (referred on or before it, not yet closed), each child
    once. An episode whose referral led to no further action is not a child in need."""
    kept = referrals[~referrals["nfa"].astype(bool)]
    _, start, end = union_intervals(
        kept["child"].to_numpy(), kept["referral"].to_numpy(), kept["closure"].to_numpy()
    )
    return _result(count_open(start, end, last_days(periods)))


def cpp_count(plans: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Children on a child protection plan at the end of each period (LAIT ``CPP_Num``;
    with the population of children aged 0 to 17, ``CPP_rate``: "Rate of children who
    were the subject of a child protection plan at 31 March per 10,000 children")."""
    _, start, end = union_intervals(
        plans["child"].to_numpy(), plans["start"].to_numpy(), plans["end"].to_numpy()
    )
    return _result(count_open(start, end, last_days(periods)))


def second_plans(plans: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the child protection plans started in each period, the percentage that were a
    child's second or subsequent plan (LAIT ``PrevRegCPR``, "Children who became the
    subject of a plan for a second or subsequent time (%)"): the child had an earlier plan
    in the records, or the census's ``NumberOfPreviousCPP`` is 1 or more."""
    order = plans.sort_values(["child", "start"], kind="mergesort")
    child = order["child"].to_numpy()
    earlier = np.r_[False, child[1:] == child[:-1]]
    again = earlier | (order["previous"].to_numpy() > 0)
    day = order["start"].to_numpy(dtype="datetime64[ns]")
    return _share(count_in(day[again], periods), count_in(day, periods))


def plans_2_years_ceased(plans: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the child protection plans that ended in each period, the percentage that had
    lasted two years or more (LAIT ``CPPlans2yrs``, "Child Protection Plans lasting 2 years
    or more which cease during the year (%)")."""
    ended = plans[plans["end"].notna()]
    end = ended["end"].to_numpy(dtype="datetime64[ns]")
    long = ended["start"].to_numpy(dtype="datetime64[ns]") <= minus_years(end, 2)
    return _share(count_in(end[long], periods), count_in(end, periods))


def plans_2_years_open(plans: pd.DataFrame, periods: Sequence[Period]) -> pd.DataFrame:
    """Of the children on a child protection plan at the end of each period, the
    percentage whose plan had then lasted two years or more (LAIT ``CPPlans2yrsActive``,
    "Children subject to Child Protection Plans lasting 2 years or more (%)", at 31 March).
    """
    child = plans["child"].to_numpy()
    start = plans["start"].to_numpy(dtype="datetime64[ns]")
    end = ends(plans["end"].to_numpy())
    numerator, denominator = [], []
    for day in last_days(periods):
        open_now = (start <= day) & (end > day)
        # each child once, by the plan it is on (the latest begun, if two overlap)
        latest = pd.Series(start[open_now]).groupby(child[open_now]).max().to_numpy()
        numerator.append(int((latest <= minus_years(np.array([day]), 2)[0]).sum()))
        denominator.append(len(latest))
    return _share(numerator, denominator)
