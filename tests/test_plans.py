"""The plan, status and assessment files (perf.loaders.plans) and their cross-checks."""

from __future__ import annotations

import shutil

import pytest

from perf import config, loaders
from perf.errors import (
    BadValueError,
    DuplicateKeyError,
    UnknownAreaError,
    UnknownIndicatorError,
)
from perf.loaders.plans import read_assessments, read_plans, read_statuses

HEADER = "area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_plans_place_every_seed_indicator_in_order():
    plans = read_plans(config.LOCAL_DIR / "plans.csv")
    dudley = plans[(plans["area_code"] == "E08000027") & (plans["kind"] == "indicator")]
    assert dudley["item"].tolist()[:2] == ["dudley_lac_rate", "dudley_care_leavers_eet"]
    assert dudley["ref"].tolist()[0] == "PI 1178" and set(dudley["scheme"]) == {"tolerance"}
    leeds = plans[plans["area_code"] == "E08000035"]
    assert set(leeds["scheme"]) == {"rag"}


@pytest.mark.parametrize(
    "row, error, column",
    [
        ("E08000027,P,stars,Q,,indicator,dudley_lac_rate,,\n", BadValueError, "scheme"),
        (
            "E08000027,P,rag,Q,,indicator,dudley_lac_rate,,\nE08000027,P,tolerance,Q,,indicator,dudley_cp_plan_rate,,\n",
            BadValueError,
            "scheme",
        ),
        ("E08000027,P,rag,Q,,indicator,no_such_pi,,\n", UnknownIndicatorError, "item"),
        ("E08000027,P,rag,Q,,measure,x,,\n", BadValueError, "kind"),
        (
            "E08000027,P,rag,Q,,indicator,dudley_lac_rate,,\nE08000027,P,rag,R,,indicator,dudley_lac_rate,,\n",
            DuplicateKeyError,
            "item",
        ),
        ("E08000027,P,rag,,,indicator,dudley_lac_rate,,\n", BadValueError, "priority"),
    ],
)
def test_a_bad_plan_row_names_its_row_and_column(tmp_path, row, error, column):
    with pytest.raises(error) as caught:
        read_plans(_write(tmp_path, "plans.csv", HEADER + row))
    assert caught.value.column == column and caught.value.row >= 2


def test_a_status_in_no_scheme_is_an_error_naming_the_cell(tmp_path):
    path = _write(
        tmp_path,
        "statuses.csv",
        "indicator,area_code,period,status\n"
        "dudley_lac_rate,E08000027,2012-13 Q1,green\n"
        "dudley_lac_rate,E08000027,2012-13 Q2,star\n",
    )
    with pytest.raises(BadValueError) as caught:
        read_statuses(path)
    assert (caught.value.row, caught.value.column, caught.value.value) == (3, "status", "star")


def test_a_status_outside_its_plans_scheme_is_an_error(tmp_path):
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shutil.copy(config.LOCAL_DIR / "plans.csv", data / "local")
    _write(
        data / "local",
        "statuses.csv",
        "indicator,area_code,period,status\ndudley_lac_rate,E08000027,2012-13 Q1,Red\n",
    )
    with pytest.raises(BadValueError, match="uses tolerance") as caught:
        loaders.load_statuses(data)
    assert caught.value.row == 2 and caught.value.column == "status"


def test_assessments_read_with_their_scheme_and_flag(tmp_path):
    frame = read_assessments(config.LOCAL_DIR / "assessments.csv")
    cypp = frame[frame["level"] == "measure"]
    assert cypp["status"].value_counts().to_dict() == {"amber": 10, "green": 5, "red": 1}
    bad = _write(
        tmp_path,
        "a.csv",
        "area_code,period,plan,level,name,status\nE08000035,2012-13 Q2,P,measure,M,purple\n",
    )
    with pytest.raises(BadValueError) as caught:
        read_assessments(bad)
    assert caught.value.row == 2 and caught.value.column == "status"


# --- issue 27 item 9: nothing in a plan or status file silently vanishes --------------------


def test_a_plan_given_by_the_councils_name_is_the_councils_plan(tmp_path):
    # on main "Dudley" in area_code made the plan vanish: no briefing asked for "Dudley"
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shipped = (config.LOCAL_DIR / "plans.csv").read_text(encoding="utf-8")
    _write(data / "local", "plans.csv", shipped.replace("E08000027,", "Dudley,"))
    plans = loaders.load_plans(data)
    assert set(plans["area_code"]) == {"E08000027", "E08000035"}
    assert len(plans[plans["area_code"] == "E08000027"]) == 13


def test_the_core_sets_any_area_is_kept_beside_councils_given_by_name(tmp_path):
    # merging issue 27's area check refused data/core_set.csv's '*' (every council), and
    # every briefing without a plan of its own failed
    core = read_plans(config.DATA_DIR / "core_set.csv")
    assert set(core["area_code"]) == {"*"} and "cla_rate" in set(core["item"])
    path = _write(
        tmp_path,
        "plans.csv",
        HEADER
        + "*,Core,tolerance,Q,,indicator,cla_rate,,\n"
        + "Dudley,P,tolerance,Q,,indicator,cla_rate,,\n"
        + "Dudleigh,P,tolerance,Q,,indicator,cla_rate,,\n",
    )
    with pytest.raises(UnknownAreaError) as caught:
        read_plans(path)
    assert (caught.value.row, caught.value.column) == (4, "area_code")
    _write(tmp_path, "plans.csv", "\n".join(path.read_text().splitlines()[:3]) + "\n")
    assert read_plans(path)["area_code"].tolist() == ["*", "E08000027"]


@pytest.mark.parametrize(
    "row, error, column",
    [
        ("dudley_lac_rate,Dudleigh,2012-13 Q1,★", UnknownAreaError, "area_code"),
        ("dudley_lac_rte,E08000027,2012-13 Q1,★", UnknownIndicatorError, "indicator"),
    ],
)
def test_a_status_for_an_unknown_area_or_indicator_is_an_error(tmp_path, row, error, column):
    path = _write(tmp_path, "statuses.csv", "indicator,area_code,period,status\n" + row + "\n")
    with pytest.raises(error) as caught:
        read_statuses(path)
    assert (caught.value.file, caught.value.row, caught.value.column) == (
        "statuses.csv",
        2,
        column,
    )


def test_a_status_for_an_indicator_the_councils_plan_does_not_place_is_an_error(tmp_path):
    # on main it was read and shown nowhere
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shutil.copy(config.LOCAL_DIR / "plans.csv", data / "local")
    _write(
        data / "local",
        "statuses.csv",
        "indicator,area_code,period,status\n"
        "dudley_lac_rate,E08000027,2012-13 Q1,★\n"
        "leeds_homes_good,E08000027,2012-13 Q1,★\n",
    )
    with pytest.raises(
        BadValueError, match="a status for leeds_homes_good, which E08000027 does not collect"
    ) as caught:
        loaders.load_statuses(data)
    assert (caught.value.row, caught.value.column) == (3, "indicator")
    found = loaders.load_local_isolated("load_statuses", data)
    assert [(f.file, sorted(f.areas)) for f in found.failures] == [("statuses.csv", ["E08000027"])]


def test_a_status_is_checked_against_what_the_council_collects_in_its_period(tmp_path):
    # Dudley's 2013 plan ended in 2012-13: in 2025-26 it collects the core set (plans_for,
    # as its workbook), so a status for ReReferral is read (on main: "which no plan of
    # E08000027 places"); one for an indicator neither its plans nor the core set have is
    # not (a status for its 2013 plan's indicator keeps that plan's scheme: a worked
    # example's year uses it)
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shutil.copy(config.LOCAL_DIR / "plans.csv", data / "local")
    shutil.copy(config.CORE_SET_FILE, data)
    _write(
        data / "local",
        "statuses.csv",
        "indicator,area_code,period,status\n"
        "dudley_lac_rate,E08000027,2012-13 Q1,★\n"
        "ReReferral,E08000027,2025-26 Q3,★\n",
    )
    found = loaders.load_statuses(data)
    assert found[["indicator", "period", "scheme"]].values.tolist() == [
        ["dudley_lac_rate", "2012-13 Q1", "tolerance"],
        ["ReReferral", "2025-26 Q3", "tolerance"],
    ]
    _write(
        data / "local",
        "statuses.csv",
        "indicator,area_code,period,status\nleeds_complaints_20d,E08000027,2025-26 Q3,★\n",
    )
    with pytest.raises(
        BadValueError,
        match="a status for leeds_complaints_20d, which E08000027 does not collect in ",
    ) as caught:
        loaders.load_statuses(data)
    assert (caught.value.row, caught.value.column) == (2, "indicator")
