"""perf.loaders.attendance: DfE "Pupil attendance in schools", every real release, its drift,
its cut-offs, and releases the loader has not seen (read right, or a clear error)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from perf import config, errors
from perf.loaders import OBSERVATION_FORMATS, detect_format, load, load_all
from perf.loaders import attendance as att

ATT = config.RAW_DIR / "attendance"
YTD = sorted(ATT.glob("EES_ytd_data_published_*.csv"))
WEEKLY = ATT / "EES_weekly_data_published_2023-01-12.csv"
JAN_2025 = ATT / "EES_ytd_data_published_2025-01-09.csv"
LEEDS, ENGLAND = "E08000035", "E92000001"


def one(obs: pd.DataFrame, indicator: str, area: str) -> pd.Series:
    hit = obs[(obs["indicator"] == indicator) & (obs["area_code"] == area)]
    assert len(hit) == 1, (indicator, area, len(hit))
    return hit.iloc[0]


def raw_strings(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def jan_2025() -> pd.DataFrame:
    return load(JAN_2025)


@pytest.fixture
def small_release(tmp_path) -> tuple[pd.DataFrame, Path]:
    """Part of the real January 2025 release (England, Yorkshire, Leeds, Bradford, and the
    Isles of Scilly with its suppressed secondary figures), to alter and write back."""
    raw = raw_strings(JAN_2025)
    keep = (
        (raw["geographic_level"] == "National")
        | (raw["region_code"] == "E12000003") & raw["geographic_level"].eq("Regional")
        | raw["la_name"].isin(["Leeds", "Bradford", "Isles of Scilly"])
    )
    return raw[keep].reset_index(drop=True), tmp_path


def write(
    frame: pd.DataFrame, folder: Path, name: str = "EES_ytd_data_published_2025-01-09.csv"
) -> Path:
    path = folder / name
    frame.to_csv(path, index=False)
    return path


# --- the real releases -------------------------------------------------------------------


def test_leeds_primary_in_the_january_2025_release(jan_2025):
    leeds = one(jan_2025, "attendance_ytd_primary", LEEDS)
    england = one(jan_2025, "attendance_ytd_primary", ENGLAND)
    assert (round(leeds["value"], 1), round(england["value"], 1)) == (94.8, 94.8)
    assert leeds["value"] == pytest.approx(94.822405, abs=1e-6)
    assert (leeds["period"], leeds["period_kind"]) == (
        "2024/25 to 20 December 2024",
        "academic_year_to_date",
    )
    assert (leeds["period_start"], leeds["period_end"]) == (
        pd.Timestamp("2024-09-01"),
        pd.Timestamp("2024-12-20"),
    )
    assert leeds["source"] == (
        "EES_ytd_data_published_2025-01-09.csv (DfE Pupil attendance in schools, release of "
        "9 January 2025, year to 20 December 2024, cut-off estimated from the publication date)"
    )
    # numerator and denominator are the session counts behind the rate
    assert 100 * leeds["numerator"] / leeds["denominator"] == pytest.approx(leeds["value"])


@pytest.mark.parametrize("path", YTD + [WEEKLY], ids=lambda p: p.name)
def test_every_release_reads_with_nothing_dropped_and_suppression_kept(path):
    raw = raw_strings(path)
    obs = load(path)
    assert detect_format(path) == (
        "attendance_weekly" if "weekly" in path.name else "attendance_ytd"
    )
    measures = [
        m
        for m in att.MEASURES
        if m in raw.columns and not ("weekly" in path.name and m in att.WEEKLY_SKIPPED)
    ]
    assert len(obs) == len(raw) * len(measures)
    for column in measures:
        stem = att.MEASURES[column][0]
        rows = obs[obs["indicator"].str.startswith(f"{stem}_")]
        for symbol in ("c", "z"):
            expected = int((raw[column].str.strip() == symbol).sum())
            flagged = rows[rows["flag"] == symbol]
            assert len(flagged) == expected, (column, symbol)
            assert flagged["value"].isna().all()  # never zero
    assert obs["value"].dropna().between(0, 100).all()


def test_drift_between_releases_is_read_to_the_same_ids():
    old = load(ATT / "EES_ytd_data_published_2025-04-03.csv")  # school_type, pa_perc
    new = load(ATT / "EES_ytd_data_published_2026-04-02.csv")  # education_phase, pa_perc
    no_pa = load(ATT / "EES_ytd_data_published_2025-10-09.csv")  # education_phase, no pa_perc
    unquoted = load(ATT / "EES_ytd_data_published_2024-07-16.csv")  # no quoting at all
    for obs in (old, new, unquoted):
        assert {"attendance_ytd_secondary", "pa_ytd_secondary"} <= set(obs["indicator"])
    assert not no_pa["indicator"].str.startswith("pa_").any()
    assert set(old["indicator"].str.rsplit("_", n=1).str[1]) == {
        "primary",
        "secondary",
        "special",
        "total",
    }
    assert one(new, "attendance_ytd_secondary", ENGLAND)["period"] == "2025/26 to 20 March 2026"


def test_suppressed_single_school_authority_is_nan_with_flag_c(jan_2025):
    scilly = one(jan_2025, "attendance_ytd_secondary", "E06000053")
    assert np.isnan(scilly["value"]) and scilly["flag"] == "c"


def test_weekly_file_weeks_and_half_term_z():
    obs = load(WEEKLY)
    week = one(obs[obs["period"] == "Week 37 2022"], "attendance_week_primary", ENGLAND)
    assert (week["period_kind"], week["period_start"], week["period_end"]) == (
        "week",
        pd.Timestamp("2022-09-12"),
        pd.Timestamp("2022-09-16"),
    )
    assert week["source"] == (
        "EES_weekly_data_published_2023-01-12.csv (DfE Pupil attendance "
        "in schools, release of 12 January 2023, weekly)"
    )
    leeds = obs[(obs["indicator"] == "attendance_week_secondary") & (obs["area_code"] == LEEDS)]
    assert len(leeds) == 13 and "Week 43 2022" not in set(leeds["period"])  # half term
    rutland = one(obs[obs["period"] == "Week 42 2022"], "attendance_week_primary", "E06000017")
    assert np.isnan(rutland["value"]) and rutland["flag"] == "z"


def test_every_releases_cut_off_and_no_period_repeats():
    cutoffs = {p.name[-14:-4]: load(p).attrs["cutoffs"] for p in YTD}
    assert cutoffs["2023-01-12"] == [date(2022, 12, 23)]  # the commit says 28 Nov - 23 Dec
    assert cutoffs["2023-07-13"] == [date(2023, 6, 30)]  # 19 - 30 Jun
    assert cutoffs["2023-10-12"] == [date(2023, 9, 29)]  # 18 - 29 Sep 2023
    assert cutoffs["2026-01-09"] == [date(2025, 12, 19)]  # week 51 2025
    assert cutoffs["2026-04-02"] == [date(2026, 3, 20)]  # week 12 2026
    assert len({c[0] for c in cutoffs.values()}) == len(YTD)


# --- the cut-off: the file's own date, the user's, or the publication date's ------------


def test_stated_cut_off_overrides_the_estimate():
    obs = load(JAN_2025, cutoff="2024-12-13")
    row = one(obs, "attendance_ytd_primary", LEEDS)
    assert row["period"] == "2024/25 to 13 December 2024"
    assert row["source"].endswith("year to 13 December 2024, cut-off as stated)")


def test_a_date_column_in_the_file_gives_the_cut_off(small_release):
    raw, folder = small_release
    path = write(raw.assign(attendance_date="2024-12-19"), folder)
    obs = load(path)
    row = one(obs, "attendance_ytd_primary", LEEDS)
    assert row["period"] == "2024/25 to 19 December 2024"
    assert row["source"].endswith("year to 19 December 2024)")
    with pytest.raises(errors.BadValueError, match="differs from the stated cut-off"):
        load(path, cutoff="2024-12-20")


def test_no_cut_off_to_be_had_is_a_clear_error(small_release):
    raw, folder = small_release
    path = write(raw, folder, "attendance_copy.csv")
    with pytest.raises(errors.FileFormatError) as info:
        load(path)
    assert "attendance_copy.csv" in str(info.value) and "cutoff=" in str(info.value)
    assert load(path, cutoff="20 December 2024")["period"].iloc[0] == "2024/25 to 20 December 2024"


def test_cut_off_outside_the_academic_year_names_file_and_row(small_release):
    raw, folder = small_release
    path = write(raw, folder, "EES_ytd_data_published_2025-10-09.csv")  # a stale 2024/25 file
    with pytest.raises(errors.PeriodError) as info:
        load(path)
    text = str(info.value)
    assert "EES_ytd_data_published_2025-10-09.csv, row 2, column 'time_period'" in text
    assert "outside the academic year 2024/25" in text and "estimated" in text


def test_cutoff_only_for_attendance_year_to_date_files():
    with pytest.raises(errors.FileFormatError, match="cutoff="):
        load(config.LOCAL_DIR / "observations.csv", cutoff="2024-12-20")
    with pytest.raises(errors.FileFormatError, match="weekly"):
        att.read(WEEKLY, cutoff="2022-12-16")


# --- releases perf has not seen ---------------------------------------------------------


def test_a_new_reason_column_is_read_right(small_release):
    raw, folder = small_release
    plain = load(write(raw, folder))
    added = raw.assign(reason_q_authorised_new_code="0", auth_new_code_perc="0")
    pd.testing.assert_frame_equal(load(write(added, folder)), plain)


def test_an_unseen_column_fails_naming_file_and_column(small_release):
    raw, folder = small_release
    path = write(raw.assign(attendance_type="All"), folder)
    with pytest.raises(errors.UnexpectedColumnError) as info:
        load(path)
    assert str(info.value).startswith(
        "EES_ytd_data_published_2025-01-09.csv, row 1, column 'attendance_type': a column perf "
        "has not seen"
    )


def test_a_renamed_measure_fails_naming_the_missing_column(small_release):
    raw, folder = small_release
    path = write(raw.rename(columns={"attendance_perc": "attendance_rate"}), folder)
    with pytest.raises(errors.MissingColumnError) as info:
        load(path)
    assert "column 'attendance_perc'" in str(info.value)
    assert "attendance_rate" in str(info.value)


def test_a_renamed_phase_column_fails(small_release):
    raw, folder = small_release
    path = write(raw.rename(columns={"school_type": "phase"}), folder)
    with pytest.raises(errors.MissingColumnError, match="education_phase"):
        load(path)
    both = write(raw.assign(education_phase=raw["school_type"]), folder)
    with pytest.raises(errors.UnexpectedColumnError, match="both"):
        load(both)


def test_a_rescaled_figure_is_never_misread(small_release):
    raw, folder = small_release
    scaled = raw.copy()
    numbers = pd.to_numeric(scaled["attendance_perc"], errors="coerce")
    scaled["attendance_perc"] = (
        (numbers / 100).astype(str).where(numbers.notna(), scaled["attendance_perc"])
    )
    with pytest.raises(errors.BadValueError, match="disagrees with 100 x overall_attendance"):
        load(write(scaled, folder))
    swapped = raw.assign(attendance_perc=raw["overall_absence_perc"])
    with pytest.raises(errors.BadValueError, match="column 'attendance_perc'"):
        load(write(swapped, folder))


def test_a_new_breakdown_repeating_areas_fails(small_release):
    raw, folder = small_release
    doubled = pd.concat([raw, raw], ignore_index=True)
    with pytest.raises(errors.DuplicateKeyError, match="two rows for"):
        load(write(doubled, folder))


def test_an_unknown_phase_fails(small_release):
    raw, folder = small_release
    odd = raw.copy()
    odd.loc[3, "school_type"] = "Alternative provision"
    with pytest.raises(errors.BadValueError) as info:
        load(write(odd, folder))
    assert "row 5, column 'school_type'" in str(info.value)


def test_a_weekly_row_in_a_year_to_date_file_fails(small_release):
    raw, folder = small_release
    odd = raw.copy()
    odd.loc[2, "time_identifier"] = "Week 50"
    with pytest.raises(errors.BadValueError, match="row 4, column 'time_identifier'"):
        load(write(odd, folder))


def test_weekly_date_column_must_match_the_week_number(tmp_path):
    raw = raw_strings(WEEKLY)
    raw = raw[raw["geographic_level"] == "National"].copy()
    starts = (
        raw["time_identifier"]
        .str[5:]
        .astype(int)
        .map(lambda w: date.fromisocalendar(2022, w, 1).isoformat())
    )
    good = write(
        raw.assign(week_commencing=starts), tmp_path, "EES_weekly_data_published_2023-01-12.csv"
    )
    assert len(load(good)) == 4 * len(raw)
    bad = write(
        raw.assign(week_commencing="2022-09-13"),
        tmp_path,
        "EES_weekly_data_published_2023-01-12.csv",
    )
    with pytest.raises(errors.BadValueError, match="not the Monday of Week"):
        load(bad)


# --- load_all --------------------------------------------------------------------------


def test_a_release_dropped_in_is_picked_up_with_no_code_change(tmp_path):
    folder = tmp_path / "raw" / "attendance"
    folder.mkdir(parents=True)
    shutil.copy(JAN_2025, folder)
    shutil.copy(JAN_2025, folder / "EES_ytd_data_published_2025-01-23.csv")  # a later release
    obs = load_all(tmp_path)
    periods = set(obs.loc[obs["indicator"] == "attendance_ytd_primary", "period"])
    assert periods == {"2024/25 to 20 December 2024", "2024/25 to 10 January 2025"}


def test_weekly_releases_overlapping_keep_the_latest(tmp_path):
    raw = raw_strings(WEEKLY)
    raw = raw[raw["geographic_level"] == "National"]
    write(raw, tmp_path, "EES_weekly_data_published_2022-11-17.csv")
    later = raw.copy()
    later["attendance_perc"] = later["attendance_perc"].where(
        later["time_identifier"] != "Week 37", "95.1"
    )
    later["overall_attendance"] = later["overall_attendance"].where(
        later["time_identifier"] != "Week 37",
        (pd.to_numeric(later["possible_sessions"]) * 0.951).round().astype(int).astype(str),
    )
    write(later, tmp_path, "EES_weekly_data_published_2023-01-12.csv")
    obs = load_all(tmp_path)
    row = one(obs[obs["period"] == "Week 37 2022"], "attendance_week_primary", ENGLAND)
    assert row["value"] == 95.1 and "12 January 2023" in row["source"]
    assert len(obs) == 4 * len(raw)


def test_load_all_keeps_the_key_unique_with_every_release():
    obs = load_all(config.DATA_DIR)
    assert not obs.duplicated(["indicator", "area_code", "period"]).any()
    ytd = obs[obs["period_kind"] == "academic_year_to_date"]
    assert ytd["period"].nunique() == len(YTD)
    files = {s.split(" (")[0] for s in obs["source"]}
    assert {p.name for p in YTD} | {WEEKLY.name} <= files
    assert {"attendance_ytd", "attendance_weekly"} <= set(OBSERVATION_FORMATS)
