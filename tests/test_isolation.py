"""perf.loaders.isolation: one council's bad local file stops that council's briefings only
(issue 14 item 8)."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pytest

from perf import config, errors, loaders
from perf.loaders.isolation import FileFailure, areas_of

CLA = config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv"
HEADER = "indicator,area_code,period,value\n"


def _data(tmp_path: Path, **local: str) -> Path:
    """A data folder: DfE's published CLA release and the given data/local files."""
    folder = tmp_path / "data"
    (folder / "local").mkdir(parents=True)
    shutil.copy(CLA, folder / CLA.name)
    for name, text in local.items():
        (folder / "local" / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


DUDLEY_BAD = HEADER + (
    "dudley_lac_rate,E08000027,2012-13 Q1,96.5\ndudley_lac_rate,E08000027,2012-13 Q2,lots\n"
)
LEEDS_GOOD = HEADER + "leeds_complaints_20d,E08000035,2012-13 Q2,56\n"


def test_a_councils_bad_file_is_set_aside_and_the_rest_loads(tmp_path):
    folder = _data(tmp_path, dudley=DUDLEY_BAD, leeds=LEEDS_GOOD)
    loaded = loaders.load_all_isolated(folder)
    assert loaded.frame["indicator"].astype(str).eq("leeds_complaints_20d").sum() == 1
    assert not loaded.frame["indicator"].astype(str).eq("dudley_lac_rate").any()
    assert len(loaded.frame[loaded.frame["area_code"] == "E08000027"]) > 0  # published CLA
    (failure,) = loaded.failures
    assert (failure.file, failure.areas) == ("dudley.csv", frozenset({"E08000027"}))
    assert (failure.error.file, failure.error.row, failure.error.column) == (
        "dudley.csv",
        3,
        "value",
    )


def test_load_all_still_stops_on_the_bad_file(tmp_path):
    folder = _data(tmp_path, dudley=DUDLEY_BAD, leeds=LEEDS_GOOD)
    with pytest.raises(errors.BadValueError) as info:
        loaders.load_all(folder)
    assert (info.value.file, info.value.row, info.value.column) == ("dudley.csv", 3, "value")


def test_a_file_whose_council_cannot_be_told_stops_everything(tmp_path):
    folder = _data(
        tmp_path, mystery=HEADER + "dudley_lac_rate,Atlantis,2012-13 Q1,96\n", leeds=LEEDS_GOOD
    )
    with pytest.raises(errors.UnknownAreaError, match="Atlantis"):
        loaders.load_all_isolated(folder)


def test_a_bad_published_release_stops_everything(tmp_path):
    folder = _data(tmp_path, leeds=LEEDS_GOOD)
    cla = folder / CLA.name
    frame = pd.read_csv(cla, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.loc[0, "rate_per_10000"] = "lots"
    frame.to_csv(cla, index=False)
    with pytest.raises(errors.BadValueError) as info:
        loaders.load_all_isolated(folder)
    assert (info.value.file, info.value.row, info.value.column) == (CLA.name, 2, "rate_per_10000")


def test_a_key_given_twice_by_a_councils_file_sets_that_file_aside(tmp_path):
    twice = HEADER + "leeds_complaints_20d,E08000035,2012-13 Q2,57\n"
    folder = _data(tmp_path, leeds=LEEDS_GOOD, leeds_again=twice)
    loaded = loaders.load_all_isolated(folder)
    (failure,) = loaded.failures
    assert failure.areas == frozenset({"E08000035"})
    assert isinstance(failure.error, errors.DuplicateKeyError)
    kept = loaded.frame[loaded.frame["indicator"].astype(str) == "leeds_complaints_20d"]
    assert len(kept) == 1  # the other file's figure stands; nothing else is lost


def test_areas_of_reads_names_codes_and_scorecards(tmp_path):
    f = tmp_path / "mixed.csv"
    f.write_text(HEADER + "x,leeds,2012-13 Q1,1\nx,e08000027,2012-13 Q1,oops\nx,,2012,1\n")
    assert areas_of(f, "local") == frozenset({"E08000035", "E08000027"})
    card = tmp_path / "card.csv"
    card.write_text("Area,Dudley\nPeriods -->,2012-13 Q1\nPI,Actual,Target,Score\n")
    assert areas_of(card, "scorecard") == frozenset({"E08000027"})
    assert areas_of(tmp_path / "missing.csv", "local") == frozenset()


def test_a_councils_bad_commentary_is_set_aside_too(tmp_path):
    folder = _data(
        tmp_path,
        commentary="indicator,area_code,period,text\n"
        "dudley_lac_rate,E08000027,2012-13 Q1,Fine\n"
        "dudley_lac_rate,E08000027,,No period\n",
    )
    loaded = loaders.load_local_isolated("load_commentary", folder)
    assert len(loaded.frame) == 0 and list(loaded.frame.columns) == [
        "indicator",
        "area_code",
        "period",
        "text",
    ]
    (failure,) = loaded.failures
    assert failure.areas == frozenset({"E08000027"}) and failure.error.row == 3
    with pytest.raises(errors.PerfError):
        loaders.load_commentary(folder)


def test_no_key_activities_or_commentary_is_an_empty_table(tmp_path):
    folder = _data(tmp_path)
    assert len(loaders.load_key_activities(folder)) == 0
    assert len(loaders.load_commentary(folder)) == 0
    with pytest.raises(ValueError, match="no local table"):
        loaders.load_local_isolated("load_everything", folder)


def test_a_perf_error_pickles_with_its_location():
    error = errors.BadValueError(
        "must be a number", file="q1.csv", row=4, column="value", value="12,3x", hint="Remove it."
    )
    back = pickle.loads(pickle.dumps(FileFailure("q1.csv", frozenset({"E1"}), error)))
    assert type(back.error) is errors.BadValueError and str(back) == str(error)
    assert (back.error.file, back.error.row, back.error.column, back.error.hint) == (
        "q1.csv",
        4,
        "value",
        "Remove it.",
    )


PLANS = "area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer\n"
LEEDS_PLAN = PLANS + "E08000035,Best Council Plan,rag,Children,,indicator,leeds_homes_good,,\n"
DUDLEY_PLAN = PLANS + (
    "E08000027,Council Plan 2013,tolerance,Young people,,indicator,dudley_lac_rate,PI 1178,\n"
)


def test_a_councils_bad_plan_file_is_set_aside_and_the_others_plans_load(tmp_path):
    bad = DUDLEY_PLAN.replace(",tolerance,", ",traffic lights,")
    folder = _data(tmp_path, plans_leeds=LEEDS_PLAN, plans_dudley=bad)
    loaded = loaders.load_local_isolated("load_plans", folder)
    assert loaded.frame["area_code"].tolist() == ["E08000035"]
    assert loaded.frame["order"].tolist() == [0]
    (failure,) = loaded.failures
    assert (failure.file, failure.areas) == ("plans_dudley.csv", frozenset({"E08000027"}))
    assert (failure.error.row, failure.error.column) == (2, "scheme")
    with pytest.raises(errors.PerfError):
        loaders.load_plans(folder)


def test_the_statuses_are_checked_against_the_plans_given_and_list_only_their_own_files(tmp_path):
    statuses = "indicator,area_code,period,status\n"
    bad = DUDLEY_PLAN.replace(",tolerance,", ",traffic lights,")
    folder = _data(
        tmp_path,
        plans_leeds=LEEDS_PLAN,
        plans_dudley=bad,
        statuses_leeds=statuses + "leeds_homes_good,E08000035,2012-13 Q2,red\n",
    )
    placed = loaders.load_local_isolated("load_plans", folder)
    assert [f.file for f in placed.failures] == ["plans_dudley.csv"]
    for given in (placed.frame, None):  # None: the plans are read again, their failure kept
        loaded = loaders.load_local_isolated("load_statuses", folder, plans=given)
        assert loaded.failures == () and loaded.frame["status"].tolist() == ["red"]
    # the plans given are the ones used: a Leeds plan in the tolerance scheme refuses "red"
    tolerance = placed.frame.assign(scheme="tolerance")
    (failure,) = loaders.load_local_isolated("load_statuses", folder, plans=tolerance).failures
    assert (failure.file, failure.error.column) == ("statuses_leeds.csv", "status")
    with pytest.raises(errors.BadValueError, match="tolerance"):
        loaders.load_statuses(folder, plans=tolerance)
    with pytest.raises(ValueError, match="plans= is for load_statuses"):
        loaders.load_local_isolated("load_targets", folder, plans=tolerance)


def test_a_status_in_another_scheme_sets_its_file_aside_not_every_councils(tmp_path):
    statuses = "indicator,area_code,period,status\n"
    folder = _data(
        tmp_path,
        plans=LEEDS_PLAN + DUDLEY_PLAN.removeprefix(PLANS),
        statuses_leeds=statuses + "leeds_homes_good,E08000035,2012-13 Q2,red\n",
        statuses_dudley=statuses + "dudley_lac_rate,E08000027,2012-13 Q1,green\n",
    )
    loaded = loaders.load_local_isolated("load_statuses", folder)
    assert loaded.frame[["indicator", "status"]].values.tolist() == [["leeds_homes_good", "red"]]
    (failure,) = loaded.failures
    assert failure.areas == frozenset({"E08000027"})
    assert (failure.error.file, failure.error.row, failure.error.column) == (
        "statuses_dudley.csv",
        2,
        "status",
    )
    with pytest.raises(errors.BadValueError, match="tolerance"):
        loaders.load_statuses(folder)


def _bad_return(path: Path) -> Path:
    """Dudley's 2024-25 template (the children's services core set) with one error: the
    looked-after rate typed with a decimal comma."""
    import openpyxl
    from workbooks import columns, row_of, save

    from perf.collection import write_template

    write_template("Dudley", "2024-25", path)
    book = openpyxl.load_workbook(path)
    ws = book["Indicators"]
    ws.cell(row_of(ws, "cla_rate"), columns(ws)["Value"]).value = "80,5"
    return save(book, path)


def test_a_councils_return_with_errors_is_set_aside_for_every_table(tmp_path):

    folder = _data(
        tmp_path,
        targets="indicator,area_code,period,target\nleeds_complaints_20d,E08000035,2012-13 Q2,70\n",
    )
    _bad_return(folder / "local" / "dudley_return.xlsx")
    assert areas_of(folder / "local" / "dudley_return.xlsx", "return") == frozenset({"E08000027"})
    for name in ("load_targets", "load_key_activities", "load_commentary", "load_statuses"):
        loaded = loaders.load_local_isolated(name, folder)
        (failure,) = loaded.failures
        assert (failure.file, failure.areas) == ("dudley_return.xlsx", frozenset({"E08000027"}))
        assert "decimal comma" in str(failure.error)
    targets = loaders.load_local_isolated("load_targets", folder).frame
    assert targets["area_code"].tolist() == ["E08000035"]
    everything = loaders.load_all_isolated(folder)
    assert [f.file for f in everything.failures] == ["dudley_return.xlsx"]
    with pytest.raises(errors.PerfError, match="problems? in the return"):
        loaders.load_targets(folder)


def test_a_return_is_read_once_for_every_table(tmp_path, monkeypatch):
    from perf.loaders import returns

    folder = _data(tmp_path)
    _bad_return(folder / "local" / "dudley_return.xlsx")
    reads = []
    real = returns.read_return
    monkeypatch.setattr(returns, "read_return", lambda path: reads.append(path) or real(path))
    returns._read_return_at.cache_clear()
    for name in ("load_targets", "load_key_activities", "load_commentary", "load_statuses"):
        assert [f.file for f in loaders.load_local_isolated(name, folder).failures] == [
            "dudley_return.xlsx"
        ]
    assert len(reads) == 1
    os.utime(folder / "local" / "dudley_return.xlsx", ns=(1, 1))  # changed: read again
    loaders.load_local_isolated("load_targets", folder)
    assert len(reads) == 2
