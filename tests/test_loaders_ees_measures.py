"""DfE's workforce, placement stability and care leavers files (perf.loaders.ees_measures):
spot checks against the real files, and each bad case on a small fixture."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from perf import config
from perf.errors import BadValueError, DuplicateKeyError, MissingColumnError
from perf.loaders import detect_format, load
from perf.loaders import ees_measures as em
from perf.loaders.registry import names

DFE = config.RAW_DIR / "dfe"
DUDLEY, ENGLAND = "E08000027", "E92000001"

CSWW_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,inpost_fte,inpost_headcount,starters_fte,"
    "starters_headcount,leavers_fte,leavers_headcount,turnover_rate_fte,"
    "turnover_rate_headcount,agency_fte,agency_headcount,agency_rate_fte,"
    "agency_rate_headcount,agency_cover_fte,agency_cover_rate_fte,vacancy_fte,"
    "vacancy_rate_fte,vacancy_agency_cover_rate_fte,case_holders_fte,cases,caseload_fte,"
    "working_days_lost_fte,absence_rate_fte"
)
# Dudley's and England's 2025 rows and Dudley's 2024 row as DfE publishes them, and a joint row
CSWW_ROWS = [
    "2025,Reporting year,National,E92000001,England,,,,,,36186.3,38292,5837.8,6043,4276.3,"
    "4611,11.8,12,5415.9,5566,13,12.7,4390.8,81.1,5965.4,14.2,73.6,21105.4,321661,15.2,"
    "322786.3,3.5",
    "2025,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,332,"
    "E08000027,Dudley,144.3,149,20,20,50.3,51,34.9,34.2,24.5,25,14.5,14.4,24,98,31,17.7,77.4,"
    "60.6,1181,19.5,1666.2,4.6",
    "2024,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,332,"
    "E08000027,Dudley,167.5,174,35.3,36,41.3,42,24.6,24.1,35,35,17.3,16.7,28,80,32,16,87.5,"
    "90.6,1594,17.6,1792,4.2",
    "2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,314 / 318,"
    "E09000021 / E09000027,Kingston upon Thames / Richmond upon Thames,137.4,140,27,27,38.5,"
    "40,28,28.6,24,24,14.9,14.6,20,83.3,25,15.4,80,80,1200,15,900,3",
]

PLACEMENT_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,la_name,new_la_code,cla_group,placement_stability,"
    "children_count,children_percent"
)
_DUDLEY_PLACE = "2025,Reporting year,Local authority,E92000001,England,E12000005,West Midlands,332,Dudley,E08000027"
_LONG = "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years"
PLACEMENT_ROWS = [
    f"{_DUDLEY_PLACE},CLA on 31 March,With 3 or more placements during the year,40,7",
    f"{_DUDLEY_PLACE},CLA on 31 March,Total children,575,100",
    f"{_DUDLEY_PLACE},{_LONG},Living with the same carer for at least 2 years,156,66",
    f"{_DUDLEY_PLACE},{_LONG},Total children,238,100",
    f"{_DUDLEY_PLACE},CLA 2 years on 31 March,With 3 or more placements during the previous "
    "2 years,c,c",
]

LEAVERS_HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,la_name,new_la_code,care_leaver_age,breakdown,"
    "care_leaver_count,care_leaver_percent"
)
_DUDLEY_LEAVE = _DUDLEY_PLACE


def _write(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# --- the real files ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workforce():
    return em.read(DFE / "csww_indicators_2017_to_2025.csv")


def _one(frame, indicator, area, period):
    rows = frame[
        (frame["indicator"] == indicator)
        & (frame["area_code"] == area)
        & (frame["period"] == period)
    ]
    assert len(rows) == 1, (indicator, area, period)
    return rows.iloc[0]


def test_dudley_2025_agency_rate_at_30_september(workforce):
    row = _one(workforce, "sw_agency_rate", DUDLEY, "30 September 2025")
    assert (row["value"], row["numerator"], row["denominator"]) == (14.5, 24.5, 168.8)
    assert row["period_kind"] == "snapshot"
    assert row["period_start"] == row["period_end"] == pd.Timestamp("2025-09-30")
    # DfE's rate is its numerator over its denominator
    assert round(row["numerator"] / row["denominator"] * 100, 1) == row["value"]


def test_every_workforce_measure_for_dudley_and_england_2025(workforce):
    got = {
        (i, a): float(_one(workforce, i, a, "30 September 2025")["value"])
        for i in (
            "sw_agency_rate",
            "sw_vacancy_rate",
            "sw_turnover_rate",
            "sw_caseload",
            "sw_absence_rate",
            "sw_agency_cover_rate",
            "sw_fte",
        )
        for a in (DUDLEY, ENGLAND)
    }
    assert got == {
        ("sw_agency_rate", DUDLEY): 14.5,
        ("sw_agency_rate", ENGLAND): 13.0,
        ("sw_vacancy_rate", DUDLEY): 17.7,
        ("sw_vacancy_rate", ENGLAND): 14.2,
        ("sw_turnover_rate", DUDLEY): 34.9,
        ("sw_turnover_rate", ENGLAND): 11.8,
        ("sw_caseload", DUDLEY): 19.5,
        ("sw_caseload", ENGLAND): 15.2,
        ("sw_absence_rate", DUDLEY): 4.6,
        ("sw_absence_rate", ENGLAND): 3.5,
        ("sw_agency_cover_rate", DUDLEY): 98.0,
        ("sw_agency_cover_rate", ENGLAND): 81.1,
        ("sw_fte", DUDLEY): 144.3,
        ("sw_fte", ENGLAND): 36186.3,
    }


def test_workforce_symbols_are_missing_values_with_their_flag_never_zero(workforce):
    sunderland = _one(workforce, "sw_agency_rate", "E08000024", "30 September 2025")
    assert np.isnan(sunderland["value"]) and sunderland["flag"] == "low"
    flags = workforce.loc[workforce["value"].isna(), "flag"]
    assert flags.notna().all() and set(flags) == {"c", "low", "u", "x", "z"}
    # every year's England row is there (nothing dropped)
    england = workforce[(workforce["area_code"] == ENGLAND) & (workforce["indicator"] == "sw_fte")]
    assert len(england) == 9


def test_a_joint_workforce_gives_both_councils_its_figure_and_says_so(workforce):
    for code in ("E09000021", "E09000027"):  # Kingston upon Thames, Richmond upon Thames
        row = _one(workforce, "sw_agency_rate", code, "30 September 2025")
        assert row["value"] == 14.9
        assert "Kingston upon Thames and Richmond upon Thames report together" in row["source"]
    dudley = _one(workforce, "sw_agency_rate", DUDLEY, "30 September 2025")
    assert "together" not in dudley["source"]


def test_barnsley_and_sheffield_new_codes_are_read_through_their_dfe_numbers(workforce):
    # DfE's 2025 rows use ONS's new codes E08000038/39; every other release the old ones
    assert not workforce["area_code"].isin(["E08000038", "E08000039"]).any()
    assert _one(workforce, "sw_fte", "E08000016", "30 September 2025")["area_name"] == "Barnsley"


def test_placement_stability_headline_cohorts():
    obs = em.read(DFE / "la_cla_placement_stability.csv")
    three = _one(obs, "cla_placements_3plus", DUDLEY, "2024-25")
    assert (three["value"], three["numerator"], three["denominator"]) == (7.0, 40.0, 575.0)
    assert three["period_kind"] == "financial_year"
    long = _one(obs, "cla_long_term_stability", ENGLAND, "2024-25")
    assert (long["value"], long["numerator"], long["denominator"]) == (69.0, 19680.0, 28710.0)
    assert _one(obs, "cla_long_term_stability", DUDLEY, "2024-25")["value"] == 66.0


def test_care_leavers_19_to_21_in_education_employment_or_training():
    obs = em.read(DFE / "la_care_leavers_activity.csv")
    england = _one(obs, "care_leavers_eet_19_21", ENGLAND, "2024-25")
    assert (england["value"], england["numerator"], england["denominator"]) == (
        54.0,
        20760.0,
        38440.0,
    )
    dudley = _one(obs, "care_leavers_eet_19_21", DUDLEY, "2024-25")
    assert (dudley["value"], dudley["numerator"], dudley["denominator"]) == (50.0, 105.0, 211.0)
    assert _one(obs, "care_leavers_eet_17_18", DUDLEY, "2024-25")["value"] == 63.0


def test_care_leavers_in_suitable_accommodation():
    obs = em.read(DFE / "la_care_leavers_accommodation_suitability.csv")
    dudley = _one(obs, "care_leavers_suitable_19_21", DUDLEY, "2024-25")
    assert (dudley["value"], dudley["numerator"], dudley["denominator"]) == (93.0, 196.0, 211.0)
    assert _one(obs, "care_leavers_suitable_17_18", ENGLAND, "2024-25")["value"] == 91.0
    assert set(obs["indicator"]) == {"care_leavers_suitable_17_18", "care_leavers_suitable_19_21"}


def test_the_dfe_files_agree_with_lait_where_it_publishes_them_again():
    """LAIT republishes these figures (same_as in the catalogue): every council's and
    year's figure in both agrees, under the same period label."""
    obs = load(config.RAW_DIR / "lait" / "bds_long_0.parquet")
    pairs = {
        "Work_Force_Agecy_Rate": ("csww_indicators_2017_to_2025.csv", "sw_agency_rate"),
        "Work_Force_AvgNumCase_SW": ("csww_indicators_2017_to_2025.csv", "sw_caseload"),
        "LACStable_2016on": ("la_cla_placement_stability.csv", "cla_placements_3plus"),
        "LAC_LongStable%": ("la_cla_placement_stability.csv", "cla_long_term_stability"),
        "CareLeaverEET": ("la_care_leavers_activity.csv", "care_leavers_eet_19_21"),
        "CareLeaverAcc": (
            "la_care_leavers_accommodation_suitability.csv",
            "care_leavers_suitable_19_21",
        ),
    }
    read = {}
    for lait_id, (file, ours) in pairs.items():
        mine = read.setdefault(file, em.read(DFE / file))
        both = obs[obs["indicator"] == lait_id].merge(
            mine[mine["indicator"] == ours], on=["area_code", "period"]
        )
        both = both.dropna(subset=["value_x", "value_y"])
        assert len(both) > 500, lait_id
        assert (both["value_x"] - both["value_y"]).abs().max() < 0.051, lait_id


# --- recognised by header, registered before the general EES reader ----------------------


def test_recognised_by_header_not_name(tmp_path):
    path = _write(tmp_path, "workforce_extract.csv", CSWW_HEADER, CSWW_ROWS)
    assert detect_format(path) == "csww"
    leavers = _write(
        tmp_path,
        "la_care_leavers_activity.csv",  # named as the activity file, holding accommodation
        LEAVERS_HEADER,
        [
            f"{_DUDLEY_LEAVE},19 to 21 years,Accommodation considered suitable,196,93",
            f"{_DUDLEY_LEAVE},19 to 21 years,Suitability total,211,100",
        ],
    )
    assert detect_format(leavers) == "care_leavers"
    assert set(em.read(leavers)["indicator"]) == {"care_leavers_suitable_19_21"}
    for name in ("csww", "placements", "care_leavers"):
        assert names().index(name) < names().index("ees")
    assert detect_format(DFE / "cla_number_and_rate_per_10k_children.csv") == "ees"


def test_a_declared_alias_is_read_under_the_current_name(tmp_path, caplog):
    header = CSWW_HEADER.replace("agency_rate_fte,", "Agency Rate,")
    path = _write(tmp_path, "w.csv", header, CSWW_ROWS)
    with caplog.at_level(logging.INFO, logger="perf"):
        obs = em.read(path)
    assert _one(obs, "sw_agency_rate", DUDLEY, "30 September 2025")["value"] == 14.5
    assert "Agency Rate -> agency_rate_fte" in caplog.text


# --- the bad cases ---------------------------------------------------------------------


def test_a_renamed_column_is_an_error_naming_it(tmp_path):
    header = CSWW_HEADER.replace("agency_rate_fte,", "agency_worker_share,")
    path = _write(tmp_path, "w.csv", header, CSWW_ROWS)
    with pytest.raises(MissingColumnError) as err:
        em.read(path)
    assert (err.value.file, err.value.row, err.value.column) == ("w.csv", 1, "agency_rate_fte")
    assert "agency_worker_share" in err.value.hint


def test_text_in_a_number_names_file_row_and_column(tmp_path):
    rows = [CSWW_ROWS[0], CSWW_ROWS[1].replace(",14.5,14.4,", ",about 14,14.4,"), *CSWW_ROWS[2:]]
    path = _write(tmp_path, "w.csv", CSWW_HEADER, rows)
    with pytest.raises(BadValueError) as err:
        em.read(path)
    assert (err.value.file, err.value.row, err.value.column) == ("w.csv", 3, "agency_rate_fte")
    assert err.value.value == "about 14"


def test_gss_symbols_become_flags_in_a_fixture(tmp_path):
    rows = [CSWW_ROWS[0], CSWW_ROWS[1].replace(",14.5,14.4,", ",low,14.4,").replace(",4.6", ",c")]
    obs = em.read(_write(tmp_path, "w.csv", CSWW_HEADER, rows))
    agency = _one(obs, "sw_agency_rate", DUDLEY, "30 September 2025")
    assert np.isnan(agency["value"]) and agency["flag"] == "low"
    absence = _one(obs, "sw_absence_rate", DUDLEY, "30 September 2025")
    assert np.isnan(absence["value"]) and absence["flag"] == "c"
    # the other measures of the row are kept
    assert _one(obs, "sw_fte", DUDLEY, "30 September 2025")["value"] == 144.3


def test_an_unknown_filter_value_is_an_error(tmp_path):
    rows = [*PLACEMENT_ROWS, f"{_DUDLEY_PLACE},CLA on 31 March,With 4 or more placements,20,3"]
    path = _write(tmp_path, "p.csv", PLACEMENT_HEADER, rows)
    with pytest.raises(BadValueError) as err:
        em.read(path)
    assert (err.value.row, err.value.column) == (7, "placement_stability")
    assert err.value.value == "With 4 or more placements"


def test_a_known_spelling_of_a_filter_value_is_read(tmp_path):
    rows = [
        r.replace("CLA on 31 March", "Children looked after on 31 March") for r in PLACEMENT_ROWS
    ]
    obs = em.read(_write(tmp_path, "p.csv", PLACEMENT_HEADER, rows))
    assert _one(obs, "cla_placements_3plus", DUDLEY, "2024-25")["denominator"] == 575.0


def test_a_duplicated_key_is_an_error_naming_both_rows(tmp_path):
    rows = [*PLACEMENT_ROWS, PLACEMENT_ROWS[4].replace(",c,c", ",10,4")]
    path = _write(tmp_path, "p.csv", PLACEMENT_HEADER, rows)
    with pytest.raises(DuplicateKeyError, match=r"rows 6 and 7") as err:
        em.read(path)
    assert err.value.row == 7


def test_a_duplicated_workforce_row_is_an_error(tmp_path):
    path = _write(tmp_path, "w.csv", CSWW_HEADER, [*CSWW_ROWS, CSWW_ROWS[1]])
    with pytest.raises(DuplicateKeyError, match=r"rows 3 and 6"):
        em.read(path)


def test_another_time_identifier_is_refused(tmp_path):
    rows = [CSWW_ROWS[0].replace("Reporting year", "Financial year")]
    with pytest.raises(BadValueError) as err:
        em.read(_write(tmp_path, "w.csv", CSWW_HEADER, rows))
    assert (err.value.row, err.value.column) == (2, "time_identifier")


def test_a_missing_total_row_leaves_the_denominator_missing_not_invented(tmp_path):
    rows = [r for r in PLACEMENT_ROWS if "3 or more placements during the year" in r or _LONG in r]
    obs = em.read(_write(tmp_path, "p.csv", PLACEMENT_HEADER, rows))
    three = _one(obs, "cla_placements_3plus", DUDLEY, "2024-25")
    assert three["value"] == 7.0  # the published figure stands; no counts half given
    assert np.isnan(three["numerator"]) and np.isnan(three["denominator"])


def test_counts_that_do_not_reproduce_dfes_figure_are_left_out(workforce):
    # DfE's North East turnover for 2024 is 14.0, its own counts give 271.5 / 2,158.1 = 12.6%
    north_east = _one(workforce, "sw_turnover_rate", "E12000001", "30 September 2024")
    assert north_east["value"] == 14.0
    assert np.isnan(north_east["numerator"]) and np.isnan(north_east["denominator"])
    # an unreliable figure (u) keeps no counts: Birmingham's 2023 agency cover, 105.3 of 103.4
    birmingham = _one(workforce, "sw_agency_cover_rate", "E08000025", "30 September 2023")
    assert birmingham["flag"] == "u" and np.isnan(birmingham["numerator"])
    # everywhere else the counts give the figure back
    both = workforce.dropna(subset=["value", "numerator", "denominator"])
    caseload = both["indicator"] == "sw_caseload"
    computed = both["numerator"] / both["denominator"] * np.where(caseload, 1, 100)
    assert ((both["value"] - computed).abs() <= 0.5 + 0.01 * computed.abs()).all()
    assert (both.loc[~caseload, "numerator"] <= both.loc[~caseload, "denominator"]).all()


def test_the_real_files_pass_perfs_plausibility_checks():
    from perf.catalogue import catalogue
    from perf.check import plausibility
    from perf.loaders import load

    for name in (
        "csww_indicators_2017_to_2025.csv",
        "la_cla_placement_stability.csv",
        "la_care_leavers_activity.csv",
        "la_care_leavers_accommodation_suitability.csv",
    ):
        found = plausibility(load(DFE / name, source_rows=True), catalogue())
        assert (found["severity"] == "error").sum() == 0, name
