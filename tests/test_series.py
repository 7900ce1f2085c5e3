"""Months of a council's own series (perf.series)."""

from __future__ import annotations

import math

import pandas as pd

from perf.series import is_month, latest_month, monthly_series, ytd_from_months


def _months(values, start="2012-04-01", **extra):
    starts = pd.date_range(start, periods=len(values), freq="MS")
    return pd.DataFrame(
        {
            "indicator": "x",
            "area_code": "A",
            "period_start": starts,
            "period_end": starts + pd.offsets.MonthEnd(0),
            "value": values,
            **extra,
        }
    )


def test_a_month_is_exactly_one_calendar_month():
    frame = _months([1.0, 2.0])
    quarter = pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2012-04-01"]),
            "period_end": pd.to_datetime(["2012-06-30"]),
        }
    )
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


def test_a_cumulative_indicator_given_by_month_is_scored_on_its_year_to_date(tmp_path):
    # months only (no quarter rows): the briefing's figure is the year to date from the
    # months' numerators and denominators, with the latest month beside it
    import shutil
    import subprocess
    import sys

    from perf import config

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    rows = ["indicator,area_code,period,value,numerator,denominator,flag"]
    for month, (n, d) in zip(["04", "05", "06"], [(8, 10), (9, 10), (3, 5)]):
        last = {"04": 30, "05": 31, "06": 30}[month]
        rows.append(
            f"dudley_initial_assessments_10d,E08000027,01/{month}/2024 to "
            f"{last}/{month}/2024,{n / d * 100},{n},{d},ex"
        )
    (data / "local" / "months.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    # a target, so that the figure is scored (no plan of Dudley's is in force in 2024-25)
    (data / "local" / "targets_2024.csv").write_text(
        "indicator,area_code,period,target,flag\n"
        "dudley_initial_assessments_10d,E08000027,2024-25 Q1,85,ex\n",
        encoding="utf-8",
    )
    code = (
        "from perf.report.context import prepare\n"
        "c = prepare('Dudley', '2024-25 Q1', public=False)\n"
        "r = c.scored.set_index('indicator').loc['dudley_initial_assessments_10d']\n"
        "print(round(r['value'], 2), r['period'], r['month_value'], r['month_label'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "PERF_DATA_DIR": str(data),
            "PERF_CACHE_DIR": str(tmp_path / "cache"),
        },
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["80.0", "2024-25", "Q1", "60.0", "June", "2024"]
