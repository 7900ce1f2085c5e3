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


def test_rule_two_of_three_as_the_tools_define_it():
    # 2 of 3 points close to a limit (beyond 2 sigma, 14.547 / 7.453, not beyond the limit)
    # with all three on the same side of the mean (11); the close points are flagged
    c = chart([15.0, 11.5, 15.0])
    assert fired(c, "rule_two_of_three") == [12, 14]
    assert fired(c, "rule_beyond_limits") == []
    # the middle point on the mean breaks the window (all three must be on one side)
    assert fired(chart([15.0, 11.0, 15.0]), "rule_two_of_three") == []
    assert fired(chart([15.0, 11.5, 11.5, 15.0]), "rule_two_of_three") == []
    assert fired(chart([15.0, 7.0, 11.0]), "rule_two_of_three") == []  # opposite sides
    assert fired(chart([7.0, 7.2, 10.0]), "rule_two_of_three") == [12, 13]
    # a point beyond the limit is not counted: rule 1 speaks for it
    assert fired(chart([17.0, 15.0, 12.0]), "rule_two_of_three") == []
    assert fired(chart([17.0, 15.0, 12.0]), "rule_beyond_limits") == [12]


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
        ("high", 5.0, "consistently pass"),  # lpl 5.68 above target
        ("high", 17.0, "consistently fail"),  # upl 16.32 below target
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
    values = pd.Series(BASE + [v + 10 for v in BASE], index=[f"m{i:02d}" for i in range(24)])
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
    frame = pd.DataFrame(
        {
            "indicator": "x",
            "area_code": "A",
            "period": ["2012-13 Q1", "2011-12 Q3", "2011-12 Q4"],
            "value": [3.0, 1.0, 2.0],
        }
    )
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
    c = xmr(s, polarity="low", screen_outliers=False)
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


# --- Making Data Count as its tools compute it ----------------------------------------


def test_rule_precedence_a_rising_trend_below_the_mean_is_an_improvement():
    """Regression (issue 13): seven rising points below the mean were all "concern" (the
    shift below won); the tools put the trend first."""
    c = xmr([10, 12] * 6 + [8.0, 8.3, 8.6, 8.9, 9.2, 9.5, 9.8], polarity="high", baseline=12)
    tail = c.iloc[12:]
    assert tail["rule_shift"].all() and tail["rule_trend"].all()
    assert tail["rule"].tolist() == ["trend"] * 7
    assert tail["direction"].tolist() == ["improvement"] * 7
    assert tail["point_type"].tolist() == ["special_cause_improvement"] * 7
    # beyond the limits outranks the trend; two of three outranks a shift
    c = chart([10.0, 10.3, 10.6, 10.9, 11.2, 11.5, 17.0], polarity="low")
    assert c["rule"].iloc[-1] == "beyond_limits" and c["rule"].iloc[-2] == "trend"
    c = chart([10.0] + [11.5] * 5 + [15.0, 15.0])
    assert c["rule"].iloc[-2:].tolist() == ["two_of_three"] * 2
    assert c["rule"].iloc[-3] == "shift"


def test_moving_range_screening_on_by_default():
    values = BASE + [40.0] + BASE  # one huge jump up and one back down
    screened, raw = xmr(values), xmr(values, screen_outliers=False)
    assert screened["mr_excluded"].sum() == 2 and not raw["mr_excluded"].any()
    # mR-bar from the 23 ordinary ranges of 2 once the two jumps (29, 28) are left out
    assert screened["mr_mean"].iloc[0] == pytest.approx(2.0)
    assert raw["mr_mean"].iloc[0] == pytest.approx((2 * 22 + 28 + 30) / 24)
    assert screened["upl"].iloc[0] < raw["upl"].iloc[0]
    # the screened ranges are only left out of the limits: the column still shows them
    assert screened["moving_range"].max() == raw["moving_range"].max()


# NHSRplotthedots's own unit tests (tests/testthat/test-ptd_calculate_point_type.R,
# test-ptd_spc_standard.R and the ptd_spc summary snapshots), restated for perf.spc.


def test_nhsrplotthedots_seven_points_one_side_of_the_mean():
    from perf.spc import _part_of_run, _shift_ends

    def ends(side):
        return _shift_ends(np.array(side, dtype=float)).astype(int).tolist()

    assert ends([]) == []
    assert ends([1] * 6) == [0] * 6
    assert ends([1] * 6 + [-1]) == [0] * 7
    assert ends([1] * 8 + [-1]) == [0] * 6 + [1, 1, 0]
    assert ends([-1] * 8 + [1]) == [0] * 6 + [1, 1, 0]
    assert ends([-1] + [1] * 8 + [-1]) == [0] * 7 + [1, 1, 0]
    part = _part_of_run(np.array(ends([-1] + [1] * 8 + [-1]), dtype=bool), 7)
    assert part.astype(int).tolist() == [0] + [1] * 8 + [0]


def test_nhsrplotthedots_seven_point_trend():
    from perf.spc import _trend_ends

    def ends(values):
        return _trend_ends(np.array(values, dtype=float)).astype(int).tolist()

    assert ends([]) == []
    assert ends(list(range(1, 7))) == [0] * 6
    assert ends([1, 2, 3, 3, 4, 5, 6]) == [0] * 7
    assert ends(list(range(1, 8))) == [0] * 6 + [1]
    assert ends([2] + list(range(1, 8)) + [3]) == [0] * 7 + [1, 0]
    assert ends(list(range(7, 0, -1))) == [0] * 6 + [-1]
    assert ends([2] + list(range(7, 0, -1)) + [3]) == [0] * 7 + [-1, 0]


def test_nhsrplotthedots_two_in_three():
    from perf.spc import _two_of_three

    def flagged(close, side=None):
        close = np.array(close, dtype=float)
        side = np.ones(len(close)) if side is None else np.array(side, dtype=float)
        return _two_of_three(close, side).astype(int).tolist()

    assert flagged([]) == [] and flagged([0, 0, 0]) == [0, 0, 0]
    assert flagged([1, 0, 1]) == flagged([0, 1, 1]) == flagged([1, 1, 0]) == [1, 1, 1]
    assert flagged([0, 0, 1, 0, 1, 0, 0]) == [0, 0, 1, 1, 1, 0, 0]
    assert flagged([0, 0, 1, 1, 0, 0, 0]) == [0, 1, 1, 1, 1, 0, 0]
    # only the close points of a window are special cause (ptd_part_of_two_in_three)
    close = np.array([1, 0, 0, 1, 1], dtype=float)
    assert (_two_of_three(close, np.ones(5)) & (close == 1)).astype(int).tolist() == [0, 0, 0, 1, 1]
    # two close points on opposite sides of the mean are no signal (issue #143)
    assert flagged([1, 1, 0], side=[1, -1, 1]) == [0, 0, 0]


def test_nhsrplotthedots_opposite_sides_close_to_the_limits_are_common_cause():
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    assert xmr(data, polarity="high")["point_type"].iloc[-2:].tolist() == [
        "common_cause",
        "common_cause",
    ]


#: rnorm(20) with set.seed(123), the series of NHSRplotthedots's own snapshot tests.
RNORM_123 = [
    -0.56047565,
    -0.23017749,
    1.55870831,
    0.07050839,
    0.12928774,
    1.71506499,
    0.46091621,
    -1.26506123,
    -0.68685285,
    -0.44566197,
    1.22408180,
    0.35981383,
    0.40077145,
    0.11068272,
    -0.55584113,
    1.78691314,
    0.49785048,
    -1.96661716,
    0.70135590,
    -0.47279141,
]


@pytest.mark.parametrize(
    "values, mean, lpl, upl",
    [
        (RNORM_123, 0.142, -3.01, 3.29),  # summary(ptd_spc(d, "y", "x"))
        (RNORM_123[:10], 0.0746, -2.60, 2.75),  # facet 0
        (RNORM_123[10:], 0.209, -3.28, 3.70),  # facet 1
    ],
)
def test_nhsrplotthedots_snapshot_limits_and_point_types(values, mean, lpl, upl):
    c = xmr(values, polarity="high")
    assert c["mean"].iloc[0] == pytest.approx(mean, abs=5e-4)
    assert round(c["lpl"].iloc[0], 2) == lpl and round(c["upl"].iloc[0], 2) == upl
    assert c["point_type"].eq("common_cause").all()


def test_nhsrplotthedots_screening_changes_the_limits_as_its_test_expects():
    data = list(RNORM_123)
    data[14] = 10.0
    r1, r2, r3 = xmr(RNORM_123), xmr(data), xmr(data, screen_outliers=False)
    assert r1["lpl"].iloc[0] != r2["lpl"].iloc[0] != r3["lpl"].iloc[0] != r1["lpl"].iloc[0]
    assert r3["upl"].iloc[0] - r3["lpl"].iloc[0] > r2["upl"].iloc[0] - r2["lpl"].iloc[0]


def _reference_point_types(values, polarity, screen, baseline=None):
    """A literal, point-by-point reading of the Making Data Count rules as NHSRplotthedots
    documents them (independent of perf.spc's vectorised code)."""
    n = len(values)
    nb = n if baseline is None else baseline
    base = values[:nb]
    # numpy's mean, as perf.spc's: a value "on the mean" must be the same float in both
    mean = float(np.mean(base))
    ranges = [abs(base[k] - base[k - 1]) for k in range(1, nb)]
    mr_bar = float(np.mean(ranges))
    if screen:
        mr_bar = float(np.mean([r for r in ranges if r < 3.267 * mr_bar]))
    upl, lpl = mean + 2.66 * mr_bar, mean - 2.66 * mr_bar
    up2, lo2 = mean + 2 * 2.66 / 3 * mr_bar, mean - 2 * 2.66 / 3 * mr_bar
    side = [(v > mean) - (v < mean) for v in values]
    outside = [v > upl or v < lpl for v in values]
    close = [not outside[k] and (values[k] > up2 or values[k] < lo2) for k in range(n)]

    def runs_through(k, ok):
        """Is point k in 7 consecutive points i..i+6 for which ok(i) holds?"""
        return any(ok(i) for i in range(max(0, k - 6), min(k, n - 7) + 1))

    def shift_ok(i):
        return side[i] != 0 and all(side[j] == side[i] for j in range(i, i + 7))

    def rising(i):
        return all(values[j + 1] > values[j] for j in range(i, i + 6))

    def falling(i):
        return all(values[j + 1] < values[j] for j in range(i, i + 6))

    types = []
    for k in range(n):
        in_trend = runs_through(k, lambda i: rising(i) or falling(i))
        in_two = close[k] and any(
            sum(close[j] for j in range(i, i + 3)) >= 2 and abs(sum(side[i : i + 3])) == 3
            for i in range(max(0, k - 2), min(k, n - 3) + 1)
        )
        if outside[k]:
            way = side[k]
        elif in_trend:
            nxt = k + 1 < n and runs_through(k + 1, lambda i: rising(i) or falling(i))
            step = (values[k + 1] - values[k]) if nxt else (values[k] - values[k - 1])
            way = 1 if step > 0 else -1
        elif in_two or runs_through(k, shift_ok):
            way = side[k]
        else:
            types.append("common_cause")
            continue
        if polarity == "neither":
            types.append("special_cause_neutral_" + ("high" if way > 0 else "low"))
        else:
            good = (way > 0) == (polarity == "high")
            types.append("special_cause_" + ("improvement" if good else "concern"))
    return types


@pytest.mark.parametrize("screen", [True, False])
@pytest.mark.parametrize("polarity", ["high", "low", "neither"])
def test_point_types_match_the_rules_on_random_series(screen, polarity):
    rng = np.random.default_rng(13)
    for case in range(80):
        n = int(rng.integers(8, 40))
        kind = case % 3
        if kind == 0:
            values = rng.normal(0, 1, n)
        elif kind == 1:  # drifts and steps give trends, shifts and points beyond the limits
            values = np.cumsum(rng.normal(0.3, 1, n)) + rng.choice([0, 6], n, p=[0.9, 0.1])
        else:  # few distinct values: ties and points on the mean
            values = rng.integers(0, 4, n).astype(float)
        values = [float(v) for v in np.round(values, 1)]
        if len(set(values)) < 2:
            continue
        baseline = None if case % 4 else min(n, 12)
        got = xmr(values, polarity=polarity, screen_outliers=screen, baseline=baseline)[
            "point_type"
        ].tolist()
        assert got == _reference_point_types(values, polarity, screen, baseline), (case, values)


def test_declared_break_rebases_absence_from_2020_21():
    from perf.catalogue import catalogue
    from perf.spc import declared_rebase

    cat = catalogue().set_index("indicator")
    assert (
        cat.loc["SecTotAbs", "break_at"] == "2020/21"
        and "COVID-19" in cat.loc["SecTotAbs", "break_note"]
    )
    index = [
        "2015/16",
        "2016/17",
        "2017/18",
        "2018/19",
        "2020/21",
        "2021/22",
        "2022/23",
        "2023/24",
        "2024/25",
    ]
    assert declared_rebase(index, cat.loc["SecTotAbs", "break_at"]) == ["2020/21"]
    values = pd.Series([5.51, 5.5, 5.65, 5.79, 5.76, 9.49, 9.35, 9.54, 8.71], index=index)
    unbroken = xmr(values, polarity="low")
    assert unbroken["special_cause"].sum() == 9  # "9 of 9 special cause" across the break
    rebased = xmr(values, polarity="low", rebase_at=declared_rebase(index, "2020/21"))
    assert rebased["phase"].tolist() == [0] * 4 + [1] * 5
    assert rebased["special_cause"].sum() < 9
