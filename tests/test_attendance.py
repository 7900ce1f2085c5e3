"""perf.attendance: in-year attendance at a quarter's end from the real DfE releases, the
release each quarter reports, and every sentence combination (both polarities)."""

from __future__ import annotations

import math
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from perf import config
from perf.attendance import (
    ATTENDANCE_COLUMNS,
    gap_trend,
    in_year_attendance,
    paragraphs,
    quarter_points,
    release_for_quarter,
    releases,
    sentence,
    weekly_spc,
)
from perf.loaders import load_all
from perf.spc import xmr

LEEDS = "E08000035"


@pytest.fixture(scope="module")
def obs() -> pd.DataFrame:
    return load_all(config.DATA_DIR)


@pytest.fixture(scope="module")
def leeds_q3(obs) -> pd.DataFrame:
    return in_year_attendance(obs, "Leeds", "2024-25 Q3")


def pick(frame: pd.DataFrame, measure: str, phase: str) -> pd.Series:
    hit = frame[(frame["measure"] == measure) & (frame["phase"] == phase)]
    assert len(hit) == 1
    return hit.iloc[0]


# --- the real releases ---------------------------------------------------------------------


def test_leeds_primary_year_to_20_december_2024_against_england_and_its_rank(leeds_q3):
    row = pick(leeds_q3, "attendance", "primary")
    assert (round(row["value"], 1), round(row["england_value"], 1)) == (94.8, 94.8)
    assert row["gap_england_pp"] == 0.0  # "the same as England"
    # rank among LAs, higher is better, ties share the lowest rank: computed from the file
    raw = pd.read_csv(
        config.RAW_DIR / "attendance" / "EES_ytd_data_published_2025-01-09.csv", dtype=str
    )
    la = raw[(raw["geographic_level"] == "Local authority") & (raw["school_type"] == "Primary")]
    values = pd.to_numeric(la["attendance_perc"], errors="coerce")
    leeds = values[la["new_la_code"] == LEEDS].iloc[0]
    assert int(row["rank"]) == int((values > leeds).sum()) + 1 == 80
    assert int(row["n_ranked"]) == int(values.notna().sum()) == 151
    assert row["quartile"] == "C"
    assert int(row["sn_n"]) == 10 and row["region_name"] == "Yorkshire and The Humber"


def test_every_figure_says_its_release_and_cut_off(leeds_q3):
    assert list(leeds_q3.columns) == ATTENDANCE_COLUMNS
    row = pick(leeds_q3, "attendance", "secondary")
    assert (row["release"], row["published"], row["cutoff"], row["cutoff_basis"]) == (
        "EES_ytd_data_published_2025-01-09.csv",
        date(2025, 1, 9),
        date(2024, 12, 20),
        "estimated from the publication date",
    )
    assert (row["last_year_release"], row["last_year_cutoff"], row["last_year_quarter"]) == (
        "EES_ytd_data_published_2024-01-11.csv",
        date(2023, 12, 22),
        "2023-24 Q3",
    )
    assert "release of 9 January 2025, year to 20 December 2024" in row["source"]
    assert "release of 11 January 2024, year to 22 December 2023" in row["last_year_source"]


def test_secondary_improved_to_its_highest_and_the_gap_to_england_narrowed(leeds_q3):
    row = pick(leeds_q3, "attendance", "secondary")
    assert row["change_pp"] == 1.4 and row["direction"] == "improving"
    assert (row["record"], row["record_against"]) == ("best", "2022/23, 2023/24")
    assert (row["last_year_gap_england_pp"], row["gap_england_pp"]) == (-1.2, -0.2)
    assert row["gap_england_trend"] == "narrowed"
    text = sentence(row)
    assert "an improvement of 1.4 percentage points on the same point last year" in text
    assert "the highest at this point of the year since 2022/23" in text
    assert (
        "Whilst this remains lower than England, the gap has narrowed (from 1.2 to 0.2 "
        "percentage points)." in text
    )


def test_persistent_absence_where_the_release_has_it(obs, leeds_q3):
    assert set(leeds_q3["measure"]) == {"attendance"}
    assert set(leeds_q3.attrs["not_in_release"]) == {
        "pa_ytd_primary",
        "pa_ytd_secondary",
        "pa_ytd_special",
    }
    assert (
        "Persistent absence is not published in the release of 9 January 2025"
        in paragraphs(leeds_q3)[-1]
    )
    q4 = in_year_attendance(obs, "Leeds", "2025-26 Q4")
    pa = pick(q4, "pa", "secondary")
    assert pa["polarity"] == "low" and pa["period"] == "2025/26 to 20 March 2026"
    assert pa["last_year_period"] == "2024/25 to 21 March 2025"
    assert round(pa["value"], 1) == 22.9 and pa["direction"] == "worsening"


@pytest.mark.parametrize(
    ("quarter", "release"),
    [
        ("2022-23 Q3", "EES_ytd_data_published_2023-01-12.csv"),
        ("2023-24 Q1", "EES_ytd_data_published_2023-07-13.csv"),
        ("2024-25 Q3", "EES_ytd_data_published_2025-01-09.csv"),
        ("2025-26 Q2", "EES_ytd_data_published_2025-10-09.csv"),
        ("2026-27 Q1", "EES_ytd_data_published_2026-07-23.csv"),
        ("2023-24 Q4", None),  # no April 2024 release held
        ("2025-26 Q1", None),  # no July 2025 release held
        ("2021-22 Q3", None),
    ],
)
def test_the_release_each_quarter_reports(obs, quarter, release):
    chosen = release_for_quarter(obs, quarter)
    assert (chosen["release"] if chosen is not None else None) == release


def test_of_two_releases_for_a_quarter_the_one_to_its_end_is_chosen():
    table = pd.DataFrame(
        {
            "period": [
                "2025/26 to 26 June 2026",
                "2025/26 to 10 July 2026",
                "2024/25 to 20 December 2024",
                "2024/25 to 10 January 2025",
            ],
            "cutoff": [date(2026, 6, 26), date(2026, 7, 10), date(2024, 12, 20), date(2025, 1, 10)],
            "quarter": ["2026-27 Q1", "2026-27 Q1", "2024-25 Q3", "2024-25 Q3"],
        }
    )
    assert release_for_quarter(table, "2026-27 Q1")["period"] == "2025/26 to 26 June 2026"
    assert release_for_quarter(table, "2024-25 Q3")["period"] == "2024/25 to 20 December 2024"
    later_only = table.iloc[[1]]
    assert release_for_quarter(later_only, "2026-27 Q1")["period"] == "2025/26 to 10 July 2026"


def test_releases_table(obs):
    table = releases(obs)
    assert len(table) == 13 and table["cutoff"].is_monotonic_increasing
    assert table["quarter"].is_unique


def test_every_quarter_held_for_leeds(obs):
    held = releases(obs)["quarter"]
    for quarter in held:
        out = in_year_attendance(obs, LEEDS, quarter)
        assert out is not None and {"primary", "secondary", "special"} <= set(out["phase"])
        assert out["value"].notna().all() and out["rank"].notna().all()
        assert all(isinstance(sentence(r), str) for _, r in out.iterrows())


@pytest.mark.parametrize("area", ["Isles of Scilly", "City of London", "Cumberland", "Dudley"])
def test_awkward_authorities(obs, area):
    out = in_year_attendance(obs, area, "2024-25 Q3")
    for _, row in out.iterrows():
        text = sentence(row)
        if np.isnan(row["value"]):
            assert (
                row["flag"] == "c"
                and text.startswith("No figure is published")
                and "(suppressed: c)" in text
            )
            assert pd.isna(row["rank"])


def test_none_for_a_quarter_no_release_carries(obs):
    assert in_year_attendance(obs, "Leeds", "2023-24 Q4") is None
    assert paragraphs(None) == []


def test_not_a_local_authority_or_not_a_quarter(obs):
    from perf.attendance import AttendanceError

    with pytest.raises(AttendanceError, match="not a local authority"):
        in_year_attendance(obs, "England", "2024-25 Q3")
    with pytest.raises(AttendanceError, match="not a financial quarter"):
        in_year_attendance(obs, "Leeds", "2024-25")


def test_does_not_mutate_its_input(obs):
    before = obs.copy()
    in_year_attendance(obs, "Leeds", "2024-25 Q3")
    pd.testing.assert_frame_equal(obs, before)


def test_a_councils_figures_do_not_depend_on_the_councils_asked_before(obs):
    # every council's table of a measure is built once and shared; a changed figure (a
    # revised release) or another area lookup builds it again
    from perf import attendance

    attendance._BENCHMARKS.clear()
    leeds_first = in_year_attendance(obs, "Leeds", "2024-25 Q3")
    in_year_attendance(obs, "Bradford", "2024-25 Q3")
    pd.testing.assert_frame_equal(in_year_attendance(obs, "Leeds", "2024-25 Q3"), leeds_first)

    ytd = obs[obs["period_kind"] == "academic_year_to_date"]
    period = leeds_first["period"].iloc[0]
    data = ytd[(ytd["indicator"] == "attendance_ytd_primary") & (ytd["period"] == period)]
    shared = attendance._benchmark(data, "attendance_ytd_primary", period, None, "high")
    assert attendance._benchmark(data.copy(), "attendance_ytd_primary", period, None, "high") is (
        shared
    )
    leeds = data["area_name"].astype(str) == "Leeds"
    revised = data.assign(value=np.where(leeds, data["value"] + 1.0, data["value"]))
    again = attendance._benchmark(revised, "attendance_ytd_primary", period, None, "high")
    assert again is not shared
    assert again.loc[again["area_name"] == "Leeds", "value"].iloc[0] == pytest.approx(
        shared.loc[shared["area_name"] == "Leeds", "value"].iloc[0] + 1.0
    )
    from perf.areas import areas

    other = attendance._benchmark(data, "attendance_ytd_primary", period, areas().copy(), "high")
    assert other is not shared
    pd.testing.assert_frame_equal(other, shared)


# --- chart series ----------------------------------------------------------------------------


def test_quarter_points_this_year_against_earlier_years(obs, leeds_q3):
    points = quarter_points(obs, "Leeds", "attendance_ytd_secondary", "2024-25 Q3")
    by_year = points.groupby("academic_year")["point_label"].apply(list).to_dict()
    assert by_year == {
        "2022/23": ["Dec", "Mar", "Jun"],
        "2023/24": ["Sep", "Dec", "Jun"],
        "2024/25": ["Sep", "Dec"],
    }
    now = points[points["current"]].iloc[-1]
    row = pick(leeds_q3, "attendance", "secondary")
    assert now["value"] == row["value"] and now["sn_mean"] == row["sn_mean"]
    assert now["england_value"] == row["england_value"] and now["release"] == row["release"]
    assert points["cutoff"].max() == date(2024, 12, 20)


def test_weekly_spc_is_perf_spc_on_the_weekly_figures(obs):
    chart = weekly_spc(obs, "Leeds", "attendance_week_secondary")
    weekly = obs[(obs["indicator"] == "attendance_week_secondary") & (obs["area_code"] == LEEDS)]
    weekly = weekly.sort_values("period_start")
    assert chart["period"].tolist() == weekly["period"].tolist()
    assert chart["period"].iloc[0] == "Week 37 2022" and len(chart) == 13
    expected = xmr(weekly["value"].to_numpy(), polarity="high")
    assert chart["upl"].iloc[0] == pytest.approx(expected["upl"].iloc[0])
    assert chart.attrs["releases"] == ["EES_weekly_data_published_2023-01-12.csv"]
    assert chart.attrs["polarity"] == "high"
    assert weekly_spc(obs, "Leeds", "attendance_week_nonsense") is None
    # a briefing's quarter: the weeks of its academic year up to the quarter's end
    q2 = weekly_spc(obs, "Leeds", "attendance_week_secondary", quarter="2022-23 Q2")
    assert q2["period"].tolist() == ["Week 37 2022", "Week 38 2022", "Week 39 2022"]
    assert len(weekly_spc(obs, LEEDS, "attendance_week_secondary", quarter="2022-23 Q3")) == 13
    assert weekly_spc(obs, LEEDS, "attendance_week_secondary", quarter="2024-25 Q3") is None


# --- sentences: every combination ------------------------------------------------------------


def make_row(
    *,
    polarity="high",
    value=94.8,
    last=94.5,
    england=94.8,
    region=94.6,
    sn=94.7,
    england_before=None,
    sn_before=None,
    region_before=None,
    measure=None,
    rank=12,
    quartile="A",
    record=None,
    against="2022/23, 2023/24",
    academic_year="2024/25",
    flag=None,
) -> dict:
    """A row of in_year_attendance, with gaps and trends computed as the module does."""
    d = 1
    r = {
        "area_name": "Leeds",
        "area_code": LEEDS,
        "measure": measure or ("attendance" if polarity == "high" else "pa"),
        "phase": "secondary",
        "polarity": polarity,
        "decimals": d,
        "cutoff": date(2024, 12, 20),
        "last_year_cutoff": date(2023, 12, 22),
        "value": value,
        "last_year_value": last,
        "england_value": england,
        "region_value": region,
        "sn_mean": sn,
        "region_name": "Yorkshire and The Humber",
        "rank": rank,
        "n_ranked": 151,
        "quartile": quartile,
        "record": record,
        "record_against": against,
        "academic_year": academic_year,
        "flag": flag,
    }
    r["change_pp"] = np.nan if last is None or np.isnan(value) else round(value - last, d)
    if last is None:
        r["last_year_value"] = np.nan
    for key, comp, before in (
        ("england", england, england_before),
        ("region", region, region_before),
        ("sn", sn, sn_before),
    ):
        gap = round(value - comp, d)
        r[f"gap_{key}_pp"] = gap
        r[f"last_year_gap_{key}_pp"] = np.nan if before is None else before
        r[f"gap_{key}_trend"] = gap_trend(r[f"last_year_gap_{key}_pp"], gap)
    return r


def levels(row: dict) -> set[str]:
    return {
        f"{row[c]:.1f}%"
        for c in ("value", "last_year_value", "england_value", "region_value", "sn_mean")
        if not math.isnan(row[c])
    }


def check_units(row: dict, text: str) -> None:
    """Every % is a level; every change and gap is in percentage points, never %."""
    for match in re.finditer(r"(\d+\.\d)%", text):
        assert f"{match.group(1)}%" in levels(row), (match.group(0), text)
    assert "pp" not in text.split() and "% points" not in text
    assert not re.search(r"\d%\s+(?:percentage|points|higher|lower|above|below)", text)


# (gap last year, gap now, area's side now) -> the words for every polarity
GAP_CASES = {
    "narrowed from below": (-1.2, -0.8),
    "widened from below": (-0.8, -1.2),
    "narrowed from above": (1.2, 0.8),
    "widened from above": (0.8, 1.2),
    "closed from below": (-0.3, 0.0),
    "closed from above": (0.3, 0.0),
    "opened below": (0.0, -0.4),
    "opened above": (0.0, 0.4),
    "reversed to above": (-0.3, 0.2),
    "reversed to below": (0.3, -0.2),
    "unchanged above": (0.5, 0.5),
    "unchanged below": (-0.5, -0.5),
    "no gap either year": (0.0, 0.0),
}


def expected_gap_words(case: str, polarity: str) -> str:
    before, now = GAP_CASES[case]
    side = "above" if now > 0 else "below"
    then_side = "above" if before > 0 else "below"
    worse = (side == "below") == (polarity == "high")
    lower = "lower" if side == "below" else "higher"
    span = f"from {abs(before):.1f} to {abs(now):.1f} percentage points"
    if case.startswith("narrowed"):
        return (
            f"Whilst this remains {lower} than England, the gap has narrowed ({span})."
            if worse
            else f"The gap {side} England has narrowed ({span})."
        )
    if case.startswith("widened"):
        return (
            f"This remains {lower} than England and the gap has widened ({span})."
            if worse
            else f"The gap {side} England has widened ({span})."
        )
    if case.startswith("closed"):
        return (
            f"The gap to England has closed (it was {abs(before):.1f} percentage points "
            f"{then_side} at the same point last year)."
        )
    if case.startswith("opened"):
        return (
            f"A gap of {abs(now):.1f} percentage points {side} England has opened (there "
            "was none at the same point last year)."
        )
    if case.startswith("reversed"):
        return (
            f"This has moved from {abs(before):.1f} percentage points {then_side} to "
            f"{abs(now):.1f} percentage points {side} England since the same point last "
            "year."
        )
    if case == "no gap either year":
        return "This is the same as England, as it was at the same point last year."
    return f"The gap {side} England is unchanged at {abs(now):.1f} percentage points."


@pytest.mark.parametrize("polarity", ["high", "low"])
@pytest.mark.parametrize("case", list(GAP_CASES))
def test_gap_to_england_every_combination(polarity, case):
    before, now = GAP_CASES[case]
    value = 20.0 if polarity == "low" else 92.0
    row = make_row(
        polarity=polarity,
        value=value,
        last=value,
        england=round(value - now, 1),
        england_before=before,
        sn=value + 5,
        sn_before=None,
    )
    text = sentence(row)
    assert expected_gap_words(case, polarity) in text, text
    relation = {"above": "above England", "below": "below England"}.get(
        "above" if now > 0 else "below" if now < 0 else "", "the same as England"
    )
    assert f"This is {relation}" in text
    assert "statistical neighbours (" in text and "gap to statistical" not in text
    check_units(row, text)


@pytest.mark.parametrize("polarity", ["high", "low"])
@pytest.mark.parametrize(
    "case", ["narrowed from below", "widened from above", "reversed to above", "closed from below"]
)
def test_england_and_neighbours_moving_alike_are_said_together(polarity, case):
    before, now = GAP_CASES[case]
    value = 92.0
    row = make_row(
        polarity=polarity,
        value=value,
        england=round(value - now, 1),
        england_before=before,
        sn=round(value - now, 1),
        sn_before=before,
    )
    text = sentence(row)
    assert "England and statistical neighbours" in text
    if case in ("narrowed from below", "widened from above"):
        assert (
            f"against England from {abs(before):.1f} to {abs(now):.1f} percentage points; "
            f"against statistical neighbours from {abs(before):.1f} to {abs(now):.1f} "
            "percentage points"
        ) in text
        assert "gaps" in text
    check_units(row, text)


@pytest.mark.parametrize(
    ("polarity", "value", "last", "words", "judged"),
    [
        (
            "high",
            91.8,
            90.4,
            "an improvement of 1.4 percentage points on the same point last year",
            True,
        ),
        ("high", 94.2, 94.8, "a fall of 0.6 percentage points on the same point last year", False),
        (
            "low",
            22.1,
            23.3,
            "a fall of 1.2 percentage points on the same point last year "
            "(23.3%, year to 22 December 2023), an improvement",
            True,
        ),
        ("low", 23.9, 23.3, "a rise of 0.6 percentage points on the same point last year", False),
        ("high", 94.8, 94.8, "the same as at the same point last year (94.8%", False),
        ("low", 22.0, 21.0, "a rise of 1.0 percentage point on", False),
    ],
)
def test_change_on_the_same_point_last_year_both_polarities(polarity, value, last, words, judged):
    row = make_row(polarity=polarity, value=value, last=last)
    text = sentence(row)
    assert words in text, text
    assert ("improvement" in text) == judged
    check_units(row, text)


def test_no_figure_last_year():
    row = make_row(last=None)
    text = sentence(row)
    assert "(no figure is held for the same point last year)" in text
    assert "improvement" not in text and "fall" not in text


@pytest.mark.parametrize(
    ("polarity", "record", "words"),
    [
        ("high", "best", "the highest at this point of the year since 2022/23"),
        ("high", "worst", "the lowest at this point of the year since 2022/23"),
        ("low", "best", "the lowest at this point of the year since 2022/23"),
        ("low", "worst", "the highest at this point of the year since 2022/23"),
    ],
)
def test_records_both_polarities(polarity, record, words):
    assert words in sentence(make_row(polarity=polarity, record=record))


def test_a_record_with_a_year_missing_names_the_years_compared():
    text = sentence(make_row(record="best", against="2022/23, 2024/25", academic_year="2025/26"))
    assert (
        "the highest at this point of the year of the years held (2022/23, 2024/25 and "
        "2025/26)" in text
    )


@pytest.mark.parametrize(
    ("polarity", "quartile", "words"),
    [
        (
            "high",
            "A",
            "Leeds is ranked 12th of 151 local authorities (1st = highest attendance), "
            "in the top quartile",
        ),
        ("high", "D", "in the bottom quartile"),
        ("low", "B", "(1st = lowest persistent absence), in the second quartile"),
        ("low", "C", "in the third quartile"),
    ],
)
def test_rank_and_quartile(polarity, quartile, words):
    assert words in sentence(make_row(polarity=polarity, quartile=quartile))


def test_comparators_on_both_sides_are_contrasted():
    text = sentence(make_row(value=91.8, england=92.0, region=91.5, sn=91.6))
    assert (
        "This is below England (92.0%) but above the regional average (Yorkshire and The "
        "Humber, 91.5%) and statistical neighbours (91.6%)"
    ) in text


def test_the_leeds_register():
    """The Leeds report's paragraph, generated: secondary attendance up 1.4 points to its
    highest, still below England and neighbours, the gaps narrowed."""
    row = make_row(
        value=91.8,
        last=90.4,
        england=92.6,
        region=92.0,
        sn=92.3,
        england_before=-2.0,
        sn_before=-1.9,
        record="best",
        quartile="C",
        rank=98,
    )
    text = sentence(row)
    assert text == (
        "Attendance in Leeds secondary schools was 91.8% in the year to 20 December 2024, an "
        "improvement of 1.4 percentage points on the same point last year (90.4%, year to 22 "
        "December 2023), and the highest at this point of the year since 2022/23. This is below "
        "England (92.6%), the regional average (Yorkshire and The Humber, 92.0%) and statistical "
        "neighbours (92.3%); Leeds is ranked 98th of 151 local authorities (1st = highest "
        "attendance), in the third quartile. Whilst this remains lower than England and "
        "statistical neighbours, the gaps have narrowed (against England from 2.0 to 0.8 "
        "percentage points; against statistical neighbours from 1.9 to 0.5 percentage points)."
    )


def test_suppressed_figure():
    text = sentence(make_row(value=float("nan"), flag="c", rank=None))
    assert text == (
        "No figure is published for attendance in Leeds secondary schools for the "
        "year to 20 December 2024 (suppressed: c)."
    )


@pytest.mark.parametrize(
    ("before", "now", "trend"),
    [
        (-1.2, -0.8, "narrowed"),
        (1.2, 0.8, "narrowed"),
        (-0.8, -1.2, "widened"),
        (0.8, 1.2, "widened"),
        (0.3, 0.0, "closed"),
        (0.0, 0.3, "opened"),
        (0.3, -0.1, "reversed"),
        (-0.1, 0.3, "reversed"),
        (0.2, 0.2, "unchanged"),
        (0.0, 0.0, "unchanged"),
        (np.nan, 0.2, None),
        (0.2, np.nan, None),
    ],
)
def test_gap_trend(before, now, trend):
    assert gap_trend(before, now) == trend
