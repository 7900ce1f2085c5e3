"""Monthly and quarterly series of a council's own figures: which rows are months, the
latest month inside a period, a monthly series for SPC, and the year to date from months.

A *month* is a row whose period runs from the first to the last day of one calendar month
(the loaders label it ``01/08/2012 to 31/08/2012``; :func:`month_name` says "August 2012").
For a cumulative indicator a quarter's or year's row is the year-to-date figure and a
month's row is the month alone.

Examples:
    >>> obs = pd.DataFrame({"indicator": "ia", "area_code": "L",
    ...     "period": ["01/07/2012 to 31/07/2012", "01/08/2012 to 31/08/2012", "2012-13 Q2"],
    ...     "period_start": pd.to_datetime(["2012-07-01", "2012-08-01", "2012-07-01"]),
    ...     "period_end": pd.to_datetime(["2012-07-31", "2012-08-31", "2012-09-30"]),
    ...     "value": [70.0, 79.9, float("nan")], "flag": [None, None, "x"]})
    >>> is_month(obs).tolist()
    [True, True, False]
    >>> row = latest_month(obs, "ia", "L", "2012-13 Q2")
    >>> month_name(row["period_end"]), float(row["value"])
    ('August 2012', 79.9)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from perf.periods import parse_period

__all__ = ["is_month", "latest_month", "month_name", "monthly_series", "ytd_from_months"]


def is_month(frame: pd.DataFrame) -> pd.Series:
    """True for rows whose period is exactly one calendar month."""
    start, end = frame["period_start"], frame["period_end"]
    return (
        (start.dt.day == 1)
        & (end == start + pd.offsets.MonthEnd(0))
        & (start.dt.month == end.dt.month)
    )


def month_name(day: pd.Timestamp) -> str:
    """``August 2012`` for any day in August 2012."""
    return f"{pd.Timestamp(day):%B %Y}"


def _months(frame: pd.DataFrame, indicator: str, area_code: str) -> pd.DataFrame:
    rows = frame[(frame["indicator"] == indicator) & (frame["area_code"] == area_code)]
    return rows[is_month(rows)].sort_values("period_end")


def latest_month(
    frame: pd.DataFrame, indicator: str, area_code: str, period: str
) -> pd.Series | None:
    """The last month of ``indicator`` for ``area_code`` that has a figure and lies inside
    ``period``; None when there is none."""
    p = parse_period(period)
    months = _months(frame, indicator, area_code).dropna(subset=["value"])
    inside = months[
        (months["period_start"] >= pd.Timestamp(p.start))
        & (months["period_end"] <= pd.Timestamp(p.end))
    ]
    return inside.iloc[-1] if len(inside) else None


def monthly_series(
    frame: pd.DataFrame, indicator: str, area_code: str, up_to: pd.Timestamp | None = None
) -> pd.Series:
    """The months of one indicator and area as a series indexed by month name, oldest
    first (missing values kept as NaN), up to ``up_to`` when given.

    >>> obs = pd.DataFrame({"indicator": "x", "area_code": "A",
    ...     "period_start": pd.to_datetime(["2024-05-01", "2024-04-01"]),
    ...     "period_end": pd.to_datetime(["2024-05-31", "2024-04-30"]), "value": [2.0, 1.0]})
    >>> monthly_series(obs, "x", "A").to_dict()
    {'April 2024': 1.0, 'May 2024': 2.0}
    """
    months = _months(frame, indicator, area_code)
    if up_to is not None:
        months = months[months["period_end"] <= pd.Timestamp(up_to)]
    return pd.Series(
        months["value"].astype("float64").to_numpy(),
        index=[month_name(d) for d in months["period_end"]],
        name=indicator,
    )


def ytd_from_months(
    frame: pd.DataFrame, indicator: str, area_code: str, period: str, scale: float = 100.0
) -> float:
    """The year-to-date rate from the months' numerators and denominators, from April to
    the end of ``period``; NaN unless every month so far has both.

    >>> obs = pd.DataFrame({"indicator": "x", "area_code": "A",
    ...     "period_start": pd.to_datetime(["2012-04-01", "2012-05-01", "2012-06-01"]),
    ...     "period_end": pd.to_datetime(["2012-04-30", "2012-05-31", "2012-06-30"]),
    ...     "value": [50.0, 75.0, 100.0], "numerator": [1.0, 3.0, 4.0],
    ...     "denominator": [2.0, 4.0, 4.0]})
    >>> ytd_from_months(obs, "x", "A", "2012-13 Q1")
    80.0
    """
    p = parse_period(period)
    end = pd.Timestamp(p.end)
    fy_start = pd.Timestamp(year=end.year if end.month >= 4 else end.year - 1, month=4, day=1)
    months = _months(frame, indicator, area_code)
    months = months[(months["period_start"] >= fy_start) & (months["period_end"] <= end)]
    wanted = len(pd.period_range(fy_start, end, freq="M"))
    if len(months) != wanted or not {"numerator", "denominator"} <= set(months.columns):
        return np.nan
    if months[["numerator", "denominator"]].isna().to_numpy().any():
        return np.nan
    den = float(months["denominator"].sum())
    return float(months["numerator"].sum()) / den * scale if den else np.nan
