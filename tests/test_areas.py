"""perf.areas: lookup, names as people write them, districts and former councils,
current authorities, versioned neighbour sets and the neighbour mean, and the local loader's
area column."""

import numpy as np
import pandas as pd
import pytest

from perf import config
from perf.areas import (
    abolition_note,
    areas,
    current_local_authorities,
    find_area,
    la_number_to_code,
    neighbour_mean,
    neighbour_set_name,
    neighbours,
    read_sn_xlsx,
    resolve_area_codes,
)
from perf.errors import DuplicateKeyError, ParameterError, UnknownAreaError
from perf.loaders import load
from perf.schema import Areas


def test_areas_validates_and_has_england_regions_las():
    a = Areas.validate(areas())
    assert set(a["area_level"]) == {"england", "region", "la"}
    assert (a["area_level"] == "la").sum() >= 153


@pytest.mark.parametrize("query", ["Dudley", "DUDLEY", "E08000027", 332, "332"])
def test_find_area_by_name_code_number(query):
    assert find_area(query)["area_code"] == "E08000027"


def test_find_area_leeds_and_district_refused():
    assert find_area("leeds")["area_code"] == "E08000035"
    with pytest.raises(UnknownAreaError, match="'Bolsover' is a district council.*Derbyshire"):
        find_area("Bolsover")


def test_unknown_area_suggests():
    with pytest.raises(UnknownAreaError, match="Did you mean: Leeds"):
        find_area("Leeds City")


def test_trafford_neighbours_published_order():
    # Trafford's ten statistical neighbours (2025 model) as DfE numbers -> names.
    names = [find_area(c)["area_name"] for c in neighbours(find_area("Trafford")["area_code"])]
    assert names == [
        "Hertfordshire",
        "Stockport",
        "Buckinghamshire",
        "Oxfordshire",
        "Surrey",
        "Bromley",
        "Cheshire East",
        "Cambridgeshire",
        "Gloucestershire",
        "Solihull",
    ]


def test_lait_numbers_map_including_former_authorities():
    got = la_number_to_code(__import__("pandas").Series([970, 987, 928, 837, 332]))
    assert got["area_code"].tolist() == [
        "E92000001",
        "E13000001",
        "E10000021",
        "E06000028",
        "E08000027",
    ]


# --- names as people write them (issue 14, deliverable 5) -----------------------------------


@pytest.mark.parametrize(
    "query, name",
    [
        ("Dudley MBC", "Dudley"),
        ("Dudley Metropolitan Borough Council", "Dudley"),
        ("dudley metropolitan borough", "Dudley"),
        ("Leeds City Council", "Leeds"),
        ("LEEDS", "Leeds"),
        ("Kent County Council", "Kent"),
        ("St Helens", "St. Helens"),
        ("St. Helens", "St. Helens"),
        ("Saint Helens Council", "St. Helens"),
        ("Hull", "Kingston upon Hull, City of"),
        ("Hull City Council", "Kingston upon Hull, City of"),
        ("Kingston upon Hull", "Kingston upon Hull, City of"),
        ("bristol", "Bristol, City of"),
        ("City of Bristol", "Bristol, City of"),
        ("Herefordshire", "Herefordshire, County of"),
        ("County of Herefordshire", "Herefordshire, County of"),
        ("Herefordshire Council", "Herefordshire, County of"),
        ("Durham", "County Durham"),
        ("London Borough of Camden", "Camden"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("Windsor & Maidenhead", "Windsor and Maidenhead"),
        ("stoke on trent", "Stoke-on-Trent"),
        ("Southend", "Southend-on-Sea"),
        ("City of London", "City of London"),
        ("London", "London"),
        ("North Yorkshire", "North Yorkshire"),
        ("e08000035", "Leeds"),
        (" E08000027 ", "Dudley"),
    ],
)
def test_names_match_as_people_write_them(query, name):
    assert find_area(query)["area_name"] == name


def test_herefordshire_is_not_hertfordshire():
    assert find_area("Herefordshire")["area_code"] == "E06000019"
    assert find_area("Hertfordshire")["area_code"] == "E10000015"
    with pytest.raises(UnknownAreaError, match=r"Did you mean: Herefordshire, County of;"):
        find_area("Herefordshre")


def test_suggestions_include_names_the_query_begins():
    with pytest.raises(UnknownAreaError, match="Kingston upon Hull, City of; Kingston upon Thames"):
        find_area("Kingston")


def test_a_district_is_refused_with_its_county_never_becomes_it():
    with pytest.raises(UnknownAreaError) as caught:
        find_area("Cheltenham")
    assert caught.value.message == (
        "'Cheltenham' is a district council, not a children's "
        "services authority: its upper-tier council is "
        "Gloucestershire (E10000013)"
    )
    assert caught.value.hint == "Use 'Gloucestershire'."
    with pytest.raises(UnknownAreaError, match="Gloucestershire"):
        find_area("E07000078")  # Cheltenham's code
    with pytest.raises(UnknownAreaError, match="not an English council"):
        find_area("Cardiff")


def test_abolished_councils_are_not_current():
    current = current_local_authorities()
    names = set(current["area_name"])
    assert len(current) == 153 and current["area_code"].is_unique
    assert {"Cumbria", "Northamptonshire", "Bournemouth", "Poole"}.isdisjoint(names)
    assert not any(n.endswith("(former)") for n in names)
    assert {
        "Cumberland",
        "Westmorland and Furness",
        "North Northamptonshire",
        "Isles of Scilly",
        "City of London",
    } <= names
    # every code with no figure in the latest period is left out, whatever file lists it
    la = areas()[areas()["area_level"] == "la"]
    left_out = set(la["area_code"]) - set(current["area_code"])
    assert left_out == {
        "E10000006",
        "E10000021",
        "E10000023",
        "E10000027",
        "E10000002",
        "E06000028",
        "E06000029",
        "E10000009",
    }
    assert all(abolition_note(code) for code in left_out)


def test_abolished_councils_asked_for_by_name_are_explained():
    with pytest.raises(UnknownAreaError) as caught:
        find_area("Cumbria")
    assert "Cumbria was replaced by Cumberland and Westmorland and Furness on 1 April 2023" in str(
        caught.value
    )
    with pytest.raises(
        UnknownAreaError,
        match="Northamptonshire was replaced by North "
        "Northamptonshire and West Northamptonshire on 1 April 2021",
    ):
        find_area("northamptonshire county council")
    with pytest.raises(UnknownAreaError, match="Bournemouth, Christchurch and Poole on 1 April"):
        find_area("Poole")
    # by code (older figures are keyed by it) the former council is still found
    assert find_area("E10000006")["area_name"] == "Cumbria"
    assert abolition_note("E10000023") == (
        "North Yorkshire (E10000023) became a unitary "
        "council with a new code, E06000065, on 1 April 2023"
    )
    assert abolition_note(config.ENGLAND) is None and abolition_note("E08000027") is None


# --- versioned statistical-neighbour sets (issue 16, section 3) ------------------------------


def test_neighbour_sets_are_named():
    assert neighbour_set_name() == "DfE statistical neighbours, 2025 model"
    assert neighbour_set_name("2021") == "DfE statistical neighbours, 2021 model"
    with pytest.raises(ParameterError, match="unknown statistical-neighbour model '2019'"):
        neighbour_set_name("2019")
    with pytest.raises(ParameterError):
        neighbours("E08000027", model="2019")


def test_dudley_2021_neighbours_as_in_lait_file():
    # sn_april_2021.xlsx, Dudley (332): 372 894 887 359 371 888 813 830 357 891
    names = [find_area(c)["area_name"] for c in neighbours("E08000027", model="2021")]
    assert names == [
        "Rotherham",
        "Telford and Wrekin",
        "Medway",
        "Wigan",
        "Doncaster",
        "Lancashire",
        "North Lincolnshire",
        "Derbyshire",
        "Tameside",
        "Nottinghamshire",
    ]
    assert neighbours("E08000027", model="2021") != neighbours("E08000027", model="2025")


def test_2021_model_file_is_the_shared_one_and_attributed():
    ours = config.RAW_DIR / "lait" / "sn_april_2021.xlsx"
    shared = config.PROJ_ROOT.parents[1] / "shared" / "data" / "lait" / "sn_april_2021.xlsx"
    if shared.exists():  # unedited, as published
        assert ours.read_bytes() == shared.read_bytes()
    assert "lait/sn_april_2021.xlsx" in (config.RAW_DIR / "SOURCE.md").read_text()
    assert len(read_sn_xlsx(ours)) == 158


def test_councils_without_a_set_say_so():
    with pytest.raises(
        UnknownAreaError, match="Cumberland has no statistical neighbours in the 2021 model"
    ):
        neighbours("Cumberland", model="2021")
    with pytest.raises(
        UnknownAreaError, match="Cumbria has no statistical neighbours in the 2025 model"
    ):
        neighbours("E10000006")
    assert len(neighbours("E10000006", model="2021")) == 10  # Cumbria existed in 2021
    # a number maps to the authority holding it now: North Yorkshire (815) is E06000065 in
    # East Riding's 2021 set, and has its own 2021 set under the new code
    assert "E06000065" in neighbours("East Riding of Yorkshire", model="2021")
    assert len(neighbours("E06000065", model="2021")) == 10


def _frame(values: dict[str, float], flags: dict[str, str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": "cla_rate",
            "period": "31 March 2025",
            "area_code": list(values),
            "value": list(values.values()),
            "flag": [(flags or {}).get(c) for c in values],
        }
    )


def test_neighbour_mean_from_those_with_data_says_which_lacked_it():
    codes = neighbours("E08000027")
    values = {c: float(10 * i) for i, c in enumerate(codes[:8], 1)}
    values[codes[8]] = np.nan
    frame = _frame(values, {codes[8]: "c"})  # codes[9] has no row at all
    before = frame.copy()
    result = neighbour_mean(frame, "E08000027", "cla_rate", "31 March 2025")
    pd.testing.assert_frame_equal(frame, before)
    assert result.mean == pytest.approx(45.0) and result.n == 8
    assert result.lacking == (codes[8], codes[9])
    name8, name9 = (find_area(c)["area_name"] for c in codes[8:])
    assert result.lacking_names == (f"{name8} (c)", name9)
    assert result.note == (
        f"Mean of 8 of 10 statistical neighbours (DfE statistical "
        f"neighbours, 2025 model); no figure for {name8} (c) and {name9}."
    )
    none = neighbour_mean(_frame({}), "E08000027", "cla_rate", "31 March 2025", model="2021")
    assert none.mean is None and none.n == 0
    assert none.note.startswith(
        "No statistical-neighbour mean: none of the 10 neighbours "
        "(DfE statistical neighbours, 2021 model)"
    )


def test_neighbour_mean_real_data_both_models():
    import perf

    obs = perf.load_all()
    new = neighbour_mean(obs, "Dudley", "cla_rate", "31 March 2025")
    old = neighbour_mean(obs, "Dudley", "cla_rate", "31 March 2025", model="2021")
    assert new.n == 10 and old.n == 10
    rows = obs[(obs["indicator"] == "cla_rate") & (obs["period"] == "31 March 2025")]
    expected = rows[rows["area_code"].isin(neighbours("E08000027"))]["value"].mean()
    assert new.mean == pytest.approx(expected)
    assert new.mean != old.mean and old.set_name.endswith("2021 model")


# --- local files: resolved to the ONS code or refused, never a new area ---------------------


def _local(tmp_path, *rows: str, name: str = "obs.csv"):
    path = tmp_path / name
    path.write_text(
        "indicator,area_code,period,value\n" + "".join(r + "\n" for r in rows), encoding="utf-8"
    )
    return path


def test_local_names_and_lower_case_codes_resolve(tmp_path):
    obs = load(
        _local(
            tmp_path,
            "leeds_complaints_20d,Leeds,2012-13 Q1,55",
            "leeds_complaints_20d,e08000035,2012-13 Q2,56",
            "leeds_homes_good,Leeds City Council,2012-13 Q1,80",
            "dudley_lac_rate,Dudley MBC,2012-13 Q1,104.9",
            "dudley_cp_plan_rate,332,2012-13 Q1,40",
        )
    )
    assert obs["area_code"].tolist() == ["E08000035"] * 3 + ["E08000027"] * 2
    assert set(obs["area_name"]) == {"Leeds", "Dudley"}
    assert set(obs["area_level"]) == {"la"}


def test_local_lower_case_duplicate_is_a_duplicate(tmp_path):
    with pytest.raises(DuplicateKeyError):
        load(
            _local(
                tmp_path,
                "leeds_complaints_20d,E08000035,2012-13 Q1,55",
                "leeds_complaints_20d,e08000035,2012-13 Q1,56",
            )
        )


@pytest.mark.parametrize(
    "cell, message",
    [
        ("Leeds Town", "no area called 'Leeds Town'. Did you mean: Leeds?"),
        ("E99999999", "no area called 'E99999999'"),
        ("Cheltenham", "its upper-tier council is Gloucestershire (E10000013)"),
        ("Cumbria", "Cumbria was replaced by Cumberland and Westmorland and Furness"),
    ],
)
def test_local_unknown_district_or_former_name_is_refused_with_row(tmp_path, cell, message):
    path = _local(
        tmp_path,
        "leeds_complaints_20d,E08000035,2012-13 Q1,55",
        f"leeds_complaints_20d,{cell},2012-13 Q2,56",
    )
    with pytest.raises(UnknownAreaError) as caught:
        load(path)
    err = caught.value
    assert (err.file, err.row, err.column) == ("obs.csv", 3, "area_code")
    assert message in str(err)


def test_local_former_council_by_code_is_kept_for_older_figures(tmp_path):
    obs = load(_local(tmp_path, "leeds_complaints_20d,E10000006,2012-13 Q1,55"))
    assert obs["area_name"].tolist() == ["Cumbria"]


def test_resolve_area_codes_directly():
    out = resolve_area_codes(
        pd.Series(["Hull", "bristol", "st helens"], index=[5, 6, 7]), file="x.csv"
    )
    assert out.index.tolist() == [5, 6, 7]
    assert out["area_code"].tolist() == ["E06000010", "E06000023", "E08000013"]


def test_scorecard_district_is_refused(tmp_path):
    path = tmp_path / "scorecard.csv"
    path.write_text(
        "Area,Cheltenham\nPeriods -->,01/04/2012 to 30/06/2012\n"
        "PI,Actual,Target,Score\n"
        "Number of LAC per 10k of the child population,104.9,98.8,\n",
        encoding="utf-8",
    )
    with pytest.raises(UnknownAreaError, match="Gloucestershire") as caught:
        load(path)
    assert caught.value.column == "Area" and caught.value.row == 1
