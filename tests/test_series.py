"""Months of a council's own series (perf.series)."""

from __future__ import annotations

import math

import pandas as pd

from perf.series import is_month, latest_month, monthly_series, ytd_from_months


def _months(values, start="2012-04-01", **extra):
    starts = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame({"indicator": "x", "area_code": "A", "period_start": starts,
                         "period_end": starts + pd.offsets.MonthEnd(0), "value": values,
                         **extra})


def test_a_month_is_exactly_one_calendar_month():
    frame = _months([1.0, 2.0])
    quarter = pd.DataFrame({"period_start": pd.to_datetime(["2012-04-01"]),
                            "period_end": pd.to_datetime(["2012-06-30"])})
    assert is_month(frame).all() and not is_month(quarter).any()


def test_latest_month_inside_the_period_with_a_figure():
    frame = _months([1.0, 2.0, 3.0, 4.0, float("nan")])
    row = latest_month(frame, "x", "A", "2012-13 Q2")  # July (4.0); August has no figure
    assert float(row["value"]) == 4.0
    assert latest_month(frame, "x", "A", "2013-14 Q1") is None


def test_monthly_series_and_year_to_date():
    frame = _months([50.0, 100.0, 75.0], numerator=[1.0, 2.0, 3.0], denominator=[2.0, 2.0, 4.0])
    assert list(monthly_series(frame, "x", "A").index) == ["April 2012", "May 2012", "June 2012"]
    assert ytd_from_months(frame, "x", "A", "2012-13 Q1") == 75.0
    assert math.isnan(ytd_from_months(frame, "x", "A", "2012-13 Q2"))  # months missing
