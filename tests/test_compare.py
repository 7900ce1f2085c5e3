"""Tests for perf.compare: comparison periods, change arithmetic, direction by polarity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from perf.compare import (
    COMPARISONS,
    change,
    compare_periods,
    direction_of,
    latest_up_to,
    previous_comparable,
)

LEEDS = "E08000035"

# Illustrative counts (flag 'ex', not published data): chosen so that the Leeds Q2 2012-13
# report's "dropped by 44 (3%)" and "21 lower (1.4%)" come out of the arithmetic.
LEEDS_LAC = pd.DataFrame(
    {
        "indicator": "LACnum",
        "area_code": LEEDS,
        "period": ["2011-12 Q2", "2011-12 Q4", "2012-13 Q1", "2012-13 Q2"],
        "value": [1487.0, 1510.0, 1480.0, 1466.0],
        "flag": "ex",
    }
)
CAT = pd.DataFrame(
    {
        "indicator": ["LACnum", "neet", "attendance", "pop", "annual_pct"],
        "polarity": ["low", "low", "high", "neither", "high"],
        "unit": ["count", "%", "%", "count", "%"],
    }
)


def test_leeds_lac_changes():
    before = LEEDS_LAC.copy()
    out = compare_periods(LEEDS_LAC, "2012-13 Q2", CAT)
    assert_frame_equal(LEEDS_LAC, before)
    expected = pd.DataFrame(
        {
            "indicator": "LACnum",
            "area_code": LEEDS,
            "period": "2012-13 Q2",
            "value": 1466.0,
            "comparison": list(COMPARISONS),
            "comparison_period": pd.array(
                ["2012-13 Q1", "2011-12 Q2", "2011-12 Q4"], dtype="string"
            ),
            "comparison_value": [1480.0, 1487.0, 1510.0],
            "change": [-14.0, -21.0, -44.0],
            "change_pct": [-14 / 1480 * 100, -21 / 1487 * 100, -44 / 1510 * 100],
            "change_pp": [np.nan] * 3,
            "movement": ["down"] * 3,
            "direction": ["improving"] * 3,
        }
    )
    assert_frame_equal(out, expected, check_dtype=False)
    assert round(abs(out.loc[2, "change_pct"])) == 3  # "dropped by 44 (3%)"
    assert round(abs(out.loc[1, "change_pct"]), 1) == 1.4  # "21 lower (1.4%)"


def test_percentage_points_vs_percent_and_threshold():
    frame = pd.DataFrame(
        {
            "indicator": "neet",
            "area_code": LEEDS,
            "period": ["2011-12 Q2", "2012-13 Q1", "2012-13 Q2"],
            "value": [8.0, 7.0, 7.04],
        }
    )
    out = compare_periods(frame, "2012-13 Q2", CAT, threshold={"neet": 0.05}).set_index(
        "comparison"
    )
    # 8.0 -> 7.04: -0.96 percentage points, -12% relative
    assert out.loc["same_period_last_year", "change_pp"] == pytest.approx(-0.96)
    assert out.loc["same_period_last_year", "change_pct"] == pytest.approx(-12.0)
    assert out.loc["same_period_last_year", "direction"] == "improving"
    # 7.0 -> 7.04 within the declared 0.05 threshold
    assert out.loc["previous_quarter", "direction"] == "no change"
    # no 2011-12 year-end row at all
    prev_end = out.loc["previous_year_end"]
    assert pd.isna(prev_end["comparison_period"]) and prev_end["direction"] == "not comparable"


def test_annual_and_snapshot_periods():
    frame = pd.DataFrame(
        {
            "indicator": "annual_pct",
            "area_code": LEEDS,
            "period": ["31 March 2024", "31 March 2025"],
            "value": [60.0, 58.0],
        }
    )
    out = compare_periods(frame, "31 March 2025", CAT).set_index("comparison")
    assert out.loc["previous_quarter", "direction"] == "not comparable"
    assert pd.isna(out.loc["previous_quarter", "comparison_period"])
    assert out.loc["same_period_last_year", "comparison_period"] == "31 March 2024"
    assert out.loc["same_period_last_year", "direction"] == "worsening"
    assert out.loc["previous_year_end", "comparison_period"] == "31 March 2024"
    frame_fy = frame.assign(period=["2023-24", "2024-25"])
    out_fy = compare_periods(frame_fy, "2024-25", CAT).set_index("comparison")
    assert out_fy.loc["previous_quarter", "direction"] == "not comparable"
    assert out_fy.loc["previous_year_end", "comparison_period"] == "2023-24"
    assert out_fy.loc["previous_year_end", "change_pp"] == -2.0


def test_missing_values_are_not_comparable():
    frame = LEEDS_LAC.copy()
    frame.loc[2, "value"] = np.nan  # Q1 suppressed
    out = compare_periods(frame, "2012-13 Q2", CAT).set_index("comparison")
    pq = out.loc["previous_quarter"]
    assert pq["comparison_period"] == "2012-13 Q1"
    assert math.isnan(pq["change"]) and pq["direction"] == "not comparable"


@pytest.mark.parametrize(
    "delta, polarity, expected",
    [
        (1, "high", ("up", "improving")),
        (-1, "high", ("down", "worsening")),
        (1, "low", ("up", "worsening")),
        (-1, "low", ("down", "improving")),
        (0, "low", ("no change", "no change")),
        (2, "neither", ("up", "no polarity")),
        (0.1, "high", ("no change", "no change")),
    ],
)
def test_direction(delta, polarity, expected):
    assert direction_of(delta, polarity, threshold=0.1 if delta == 0.1 else 0.0) == expected


def test_generic_change():
    c = change(LEEDS_LAC, "LACnum", LEEDS, "2011-12 Q4", "2012-13 Q2", catalogue=CAT)
    assert (c.from_value, c.to_value, c.change, c.direction) == (1510.0, 1466.0, -44.0, "improving")
    assert math.isnan(c.change_pp)
    missing = change(LEEDS_LAC, "LACnum", LEEDS, "2009-10 Q4", "2012-13 Q2", catalogue=CAT)
    assert missing.direction == "not comparable" and math.isnan(missing.change)
    pop = change(
        LEEDS_LAC.assign(indicator="pop"), "pop", LEEDS, "2011-12 Q4", "2012-13 Q2", catalogue=CAT
    )
    assert pop.direction == "no polarity" and pop.movement == "down"


def test_real_snapshot_comparison_dudley():
    try:
        import perf
        from perf.catalogue import catalogue

        frame = perf.load_all()
    except ImportError as exc:
        pytest.skip(f"loaders not available: {exc}")
    dudley = frame[(frame["area_code"] == "E08000027") & (frame["indicator"] == "cla_rate")]
    out = compare_periods(dudley, "31 March 2025", catalogue()).set_index("comparison")
    values = dict(zip(dudley["period"], dudley["value"]))
    ly = out.loc["same_period_last_year"]
    assert ly["comparison_period"] == "31 March 2024"
    assert ly["change"] == pytest.approx(values["31 March 2025"] - values["31 March 2024"])
    assert out.loc["previous_quarter", "direction"] == "not comparable"
    expected = (
        "improving" if ly["change"] < 0 else "worsening" if ly["change"] > 0 else "no change"
    )  # cla_rate: lower is better
    assert ly["direction"] == expected


# --- every period kind aligned ------------------------------------------------------------

#: One indicator per period kind, two comparable periods each and one that must not be
#: taken as comparable (a different quarter, snapshot date, month or span).
KINDS = pd.DataFrame(
    [
        ("fy", "2023-24", 10.0),
        ("fy", "2024-25", 12.0),
        ("snap", "31 March 2024", 80.0),
        ("snap", "31 March 2025", 85.0),
        ("snap", "30 September 2024", 83.0),
        ("ay", "2023/24", 7.5),
        ("ay", "2024/25", 7.0),
        ("cy", "2023", 4.0),
        ("cy", "2024", 4.4),
        ("q", "2023-24 Q4", 50.0),
        ("q", "2024-25 Q3", 52.0),
        ("q", "2024-25 Q4", 55.0),
        ("month", "01/03/2024 to 31/03/2024", 3.0),
        ("month", "01/02/2025 to 28/02/2025", 2.0),
        ("month", "01/03/2025 to 31/03/2025", 4.0),
        ("old", "2018-19", 1.0),
        ("old", "2019-20", 2.0),
        ("later", "2025-26", 9.0),
    ],
    columns=["indicator", "period", "value"],
).assign(area_code=LEEDS)


def test_latest_up_to_takes_each_kinds_own_period_and_the_latest_before_it():
    latest = latest_up_to(KINDS, "2024-25").set_index("indicator")["period"].to_dict()
    assert latest == {
        "fy": "2024-25",
        "snap": "31 March 2025",
        "ay": "2024/25",
        "cy": "2024",
        "q": "2024-25 Q4",
        "month": "01/03/2025 to 31/03/2025",
        "old": "2019-20",
    }  # "later" (2025-26) is after the period: left out


def test_previous_comparable_is_the_same_season_a_year_earlier():
    latest = latest_up_to(KINDS, "2024-25")
    before = previous_comparable(KINDS, latest)
    got = dict(zip(latest["indicator"], zip(before["previous_period"], before["previous_value"])))
    assert got == {
        "fy": ("2023-24", 10.0),
        "snap": ("31 March 2024", 80.0),
        "ay": ("2023/24", 7.5),
        "cy": ("2023", 4.0),
        "q": ("2023-24 Q4", 50.0),
        "month": ("01/03/2024 to 31/03/2024", 3.0),
        "old": ("2018-19", 1.0),
    }
    assert before.index.equals(latest.index)


def test_previous_comparable_skips_a_missing_year_and_is_missing_without_one():
    frame = pd.DataFrame(
        {
            "indicator": "x",
            "area_code": LEEDS,
            "value": [1.0, 3.0],
            "period": ["31 March 2021", "31 March 2025"],
        }
    )
    before = previous_comparable(frame, latest_up_to(frame, "2024-25"))
    assert before["previous_period"].tolist() == ["31 March 2021"]
    alone = previous_comparable(frame.iloc[:1], frame.iloc[:1])
    assert alone["previous_period"].isna().all() and alone["previous_value"].isna().all()


def test_compare_periods_keeps_snapshot_academic_and_calendar_indicators():
    cat = pd.DataFrame(
        {
            "indicator": ["fy", "snap", "ay", "cy", "q", "month", "old", "later"],
            "polarity": "low",
            "unit": "%",
        }
    )
    out = compare_periods(KINDS, "2024-25", cat)
    assert set(out["indicator"]) == {"fy", "snap", "ay", "cy", "q", "month"}
    ly = out[out["comparison"] == "same_period_last_year"].set_index("indicator")
    assert ly.loc["snap", "period"] == "31 March 2025"
    assert ly.loc["snap", "comparison_period"] == "31 March 2024"
    assert ly.loc["ay", "change_pp"] == pytest.approx(-0.5)
    assert ly.loc["cy", "direction"] == "worsening"


def test_a_quarter_s_count_is_never_set_against_a_whole_year_s():
    # a council's quarter computed from its returns beside the published year, same id:
    # 300 referrals in 2025-26 Q2 are not a 75% fall from 1,200 in 2024-25, while a
    # percentage's year is its year-end (on main: "fell 900 (75%)" from 2024-25)
    frame = pd.DataFrame(
        {
            "indicator": ["n", "n", "n", "pct", "pct"],
            "area_code": "X",
            "period": ["2024-25", "2024-25 Q4", "2025-26 Q2", "2024-25", "2025-26 Q2"],
            "value": [1200.0, 280.0, 300.0, 20.0, 25.0],
        }
    )
    cat = pd.DataFrame({"indicator": ["n", "pct"], "polarity": "low", "unit": ["count", "%"]})
    out = compare_periods(frame, "2025-26 Q2", cat)
    year_end = out[out["comparison"] == "previous_year_end"].set_index("indicator")
    assert year_end.loc["n", "comparison_period"] == "2024-25 Q4"
    assert year_end.loc["n", "change"] == 20.0
    assert year_end.loc["pct", "comparison_period"] == "2024-25"
    assert year_end.loc["pct", "change"] == 5.0
    # with no quarter 4 to compare with, no comparison at all
    alone = compare_periods(frame[frame["period"] != "2024-25 Q4"], "2025-26 Q2", cat)
    n = alone[(alone["comparison"] == "previous_year_end") & (alone["indicator"] == "n")]
    assert n["comparison_period"].isna().all() and n["change"].isna().all()
