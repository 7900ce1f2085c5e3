"""Tests for perf.spc: limits, each Making Data Count rule firing and staying silent, icons."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from perf.errors import PerfError
from perf.spc import SPCError, assurance_icon, series_for, variation_icon, xmr

# Baseline: 12 alternating points. mean 11, every moving range 2, so
# limits 11 ± 2.66*2 = [5.68, 16.32]; sigma = 5.32/3 = 1.7733; 2-sigma lines [7.453, 14.547].
BASE = [10.0, 12.0] * 6
RULES = ["rule_beyond_limits", "rule_shift", "rule_trend", "rule_two_of_three"]


def chart(tail, polarity="high", **kw):
    return xmr(BASE + list(tail), polarity=polarity, baseline=12, **kw)


def fired(c, rule):
    return list(np.flatnonzero(c[rule].to_numpy(dtype=bool)))


def test_limits_by_hand():
    c = xmr(BASE)
    row = c.iloc[0]
    assert row["mean"] == 11.0 and row["mr_mean"] == 2.0
    assert row["lpl"] == pytest.approx(11 - 5.32) and row["upl"] == pytest.approx(16.32)
    assert row["upper_1sigma"] == pytest.approx(11 + 5.32 / 3)
    assert row["lower_2sigma"] == pytest.approx(11 - 2 * 5.32 / 3)
    assert np.isnan(c["moving_range"].iloc[0]) and c["moving_range"].iloc[1] == 2.0
    assert not c["special_cause"].any()
    assert c.attrs["trial_limits"] is False and c.attrs["warnings"] == []


def test_stable_series_is_silent_on_every_rule():
    c = chart([10.0, 12.0] * 8)
    for rule in RULES:
        assert fired(c, rule) == [], rule
    assert variation_icon(c) == "common cause"


def test_rule_beyond_limits():
    assert fired(chart([16.5]), "rule_beyond_limits") == [12]
    assert fired(chart([5.5]), "rule_beyond_limits") == [12]
    assert fired(chart([16.3]), "rule_beyond_limits") == []  # inside 16.32


def test_rule_shift_seven_on_one_side():
    # BASE ends on 12 (above the mean), so start each tail below the mean with a 10
    c = chart([10.0] + [11.5] * 7)
    assert fired(c, "rule_shift") == list(range(13, 20))
    assert fired(chart([10.0] + [11.5] * 6), "rule_shift") == []
    # ... and without the 10, BASE's last point joins the run: 8 points flagged
    assert fired(chart([11.5] * 7), "rule_shift") == list(range(11, 19))
    # a point on the mean breaks the run
    assert fired(chart([11.5] * 3 + [11.0] + [11.5] * 3), "rule_shift") == []
    assert fired(chart([10.5] * 7), "rule_shift") == list(range(12, 19))


def test_rule_trend_seven_rising_or_falling():
    rising = [10.0, 10.3, 10.6, 10.9, 11.2, 11.5, 11.8]
    c = chart(rising)
    assert fired(c, "rule_trend") == list(range(12, 19))
    assert fired(c, "rule_shift") == []  # crosses the mean
    assert fired(chart(rising[:6]), "rule_trend") == []
    # reversed: BASE's final 12 > 11.8 is the first fall, so the run starts at point 11
    assert fired(chart(rising[::-1]), "rule_trend") == list(range(11, 19))
    falling = [12.0, 11.7, 11.4, 11.1, 10.8, 10.5, 10.2]
    # BASE ends on 12.0; 12.0 -> 12.0 is not a fall, so the run starts at point 12
    assert fired(chart(falling), "rule_trend") == list(range(12, 19))
    # an equal value breaks the run
    assert fired(chart([10.0, 10.3, 10.6, 10.6, 10.9, 11.2, 11.5]), "rule_trend") == []


def test_rule_two_of_three_beyond_two_sigma():
    c = chart([15.0, 11.0, 15.0])
    assert fired(c, "rule_two_of_three") == [12, 14]
    assert fired(c, "rule_beyond_limits") == []
    assert fired(chart([15.0, 11.0, 11.0, 15.0]), "rule_two_of_three") == []
    assert fired(chart([15.0, 7.0, 11.0]), "rule_two_of_three") == []  # opposite sides
    assert fired(chart([7.0, 7.2, 11.0]), "rule_two_of_three") == [12, 13]


@pytest.mark.parametrize(
    "tail, polarity, icon",
    [
        ([17.0], "high", "special cause improving"),
        ([17.0], "low", "special cause concerning"),
        ([5.0], "high", "special cause concerning"),
        ([5.0], "low", "special cause improving"),
        ([17.0], "neither", "special cause neither"),
        ([5.0], "neither", "special cause neither"),
        ([11.0], "high", "common cause"),
        ([11.0], "low", "common cause"),
    ],
)
def test_variation_icon_both_polarities(tail, polarity, icon):
    assert variation_icon(chart(tail, polarity)) == icon


def test_trend_direction_follows_the_trend():
    c = chart([10.0, 10.3, 10.6, 10.9, 11.2, 11.5, 11.8], polarity="low")
    assert c["direction"].iloc[12:].tolist() == ["concern"] * 7
    assert pd.isna(c["direction"].iloc[0])


@pytest.mark.parametrize(
    "polarity, target, icon",
    [
        ("high", 5.0, "consistently pass"),    # lpl 5.68 above target
        ("high", 17.0, "consistently fail"),   # upl 16.32 below target
        ("high", 11.0, "hit and miss"),
        ("high", 16.32, "hit and miss"),
        ("low", 17.0, "consistently pass"),
        ("low", 5.0, "consistently fail"),
        ("low", 11.0, "hit and miss"),
        ("neither", 11.0, None),
    ],
)
def test_assurance_icon(polarity, target, icon):
    c = xmr(BASE, polarity=polarity, target=target)
    assert assurance_icon(c) == icon
    assert assurance_icon(xmr(BASE, polarity=polarity)) is None  # no target


def test_trial_limits_below_twelve_points():
    c = xmr(BASE[:8], polarity="high")
    assert c["trial_limits"].all() and c.attrs["trial_limits"] is True
    assert "trial limits from 8 points" in c.attrs["warnings"][0]
    short_base = xmr(BASE, baseline=6)
    assert short_base.attrs["trial_limits"] is True


def test_rebasing_at_a_declared_break():
    values = pd.Series(BASE + [v + 10 for v in BASE],
                       index=[f"m{i:02d}" for i in range(24)])
    before = values.copy()
    without = xmr(values, polarity="high")
    assert without["special_cause"].any()
    rebased = xmr(values, polarity="high", rebase_at=["m12"])
    assert_series_equal(values, before)
    assert not rebased["special_cause"].any()
    assert rebased["mean"].iloc[0] == 11.0 and rebased["mean"].iloc[-1] == 21.0
    assert rebased["phase"].tolist() == [0] * 12 + [1] * 12
    assert np.isnan(rebased["moving_range"].iloc[12])  # no moving range across the break
    assert rebased.attrs["phases"] == ["m00", "m12"]
    with pytest.raises(SPCError):
        xmr(values, rebase_at=["nope"])


def test_missing_values_and_errors():
    values = pd.Series(BASE[:6] + [np.nan] + BASE[6:])
    c = xmr(values)
    assert len(c) == 13 and np.isnan(c["value"].iloc[6]) and pd.isna(c["special_cause"].iloc[6])
    assert c["mean"].iloc[0] == 11.0
    with pytest.raises(PerfError):
        xmr([1.0])
    with pytest.raises(PerfError):
        xmr(BASE, polarity="up")


def test_series_for_orders_periods():
    frame = pd.DataFrame({"indicator": "x", "area_code": "A",
                          "period": ["2012-13 Q1", "2011-12 Q3", "2011-12 Q4"],
                          "value": [3.0, 1.0, 2.0]})
    s = series_for(frame, "x", "A")
    assert s.index.tolist() == ["2011-12 Q3", "2011-12 Q4", "2012-13 Q1"]
    with pytest.raises(SPCError):
        series_for(frame, "y", "A")


def test_real_dudley_lait_lac_series():
    try:
        import perf

        frame = perf.load_all()
    except ImportError as exc:
        pytest.skip(f"loaders not available: {exc}")
    s = series_for(frame, "LAC", "E08000027")
    values = [v for v in s.tolist() if not np.isnan(v)]
    c = xmr(s, polarity="low")
    mean = sum(values) / len(values)
    mr_bar = sum(abs(b - a) for a, b in itertools.pairwise(values)) / (len(values) - 1)
    assert c["mean"].iloc[-1] == pytest.approx(mean)
    assert c["upl"].iloc[-1] == pytest.approx(mean + 2.66 * mr_bar)
    assert c.attrs["trial_limits"] is (len(values) < 12)
    # independent two-of-three check on the last three points (below the lower 2-sigma line)
    lower2 = mean - 2 * 2.66 / 3 * mr_bar
    last3 = values[-3:]
    if sum(v < lower2 for v in last3) >= 2:
        assert variation_icon(c) == "special cause improving"
