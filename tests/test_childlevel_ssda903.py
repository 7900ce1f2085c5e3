"""Reading the SSDA903 return: the tables, the years, the council, and every bad input
with a message naming file, row and column, never a child's identifier or date of birth."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest
from childlevel_files import (  # tests/childlevel_files.py (pytest puts tests/ on the path)
    BIRTH_YEAR,
    SECRET,
    episode,
    header,
    minimal_return,
    write_table,
)

from perf import config
from perf.childlevel.common import AnotherCouncilError, DisagreeingReturnsError
from perf.childlevel.ssda903 import read_ssda903, table_of
from perf.errors import BadValueError, FileFormatError, PerfError

SAMPLE = config.TESTS_DIR / "fixtures" / "returns" / "ssda903_sample"


def _private(message: str) -> None:
    """No child identifier and no date of birth (all are in BIRTH_YEAR) in a message."""
    assert SECRET not in message
    assert BIRTH_YEAR not in message


def _fails(folder: Path, error: type[PerfError]) -> str:
    with pytest.raises(error) as caught:
        read_ssda903(folder)
    _private(str(caught.value))
    return str(caught.value)


@pytest.fixture
def case(tmp_path: Path) -> Path:
    """A folder for one return, named for Dudley, inside a folder naming no council."""
    return tmp_path / "case" / "dudley_ssda903"


def test_a_table_is_known_by_its_exact_columns_in_any_order_and_case():
    episodes = [
        "URN",
        "PL_POST",
        "home_post",
        "REASON_PLACE_CHANGE",
        "REC",
        "DEC",
        "PLACE_PROVIDER",
        "PLACE",
        "CIN",
        "LS",
        "RNE",
        "DECOM",
        "CHILD",
    ]
    assert table_of(episodes) == "Episodes"
    assert table_of(episodes + ["LA", "YEAR"]) == "Episodes"
    assert table_of(episodes + ["EXTRA"]) is None
    assert table_of(["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "UASC"]) == (
        "Header"
    )


def test_the_sample_is_read_for_its_three_boroughs_and_five_years():
    r = read_ssda903(SAMPLE)
    assert sorted(r.spans) == ["E09000006", "E09000017", "E09000028"]  # Bromley, Hillingdon,
    for spans in r.spans.values():  # Southwark; YEAR 2017-2021 are the years from 1 April YEAR
        assert [(s.start.isoformat(), s.end.isoformat()) for s in spans] == [
            ("2017-04-01", "2022-03-31")
        ]
    # 3,737 rows, of which 910 repeat an episode of an earlier year: each counts once
    assert len(r.episodes) == 3737 - 910
    assert not r.episodes.duplicated(["area_code", "child", "decom"]).any()
    assert r.header["sex"].isin(["M", "F"]).all()  # 1/2 read as M/F


def test_dates_are_day_first_and_both_sex_codings_are_read(case):
    minimal_return(
        case,
        [episode(f"{SECRET}1", "05/04/2024"), episode(f"{SECRET}2", "06/04/2024")],
        [header(f"{SECRET}1", sex="2"), header(f"{SECRET}2", sex="M")],
    )
    r = read_ssda903(case)
    assert sorted(r.episodes["decom"].dt.strftime("%Y-%m-%d")) == ["2024-04-05", "2024-04-06"]
    assert sorted(r.header["sex"]) == ["F", "M"]
    assert r.spans == {"E08000027": r.spans["E08000027"]}  # the folder names Dudley
    assert r.spans["E08000027"][0].start.isoformat() == "2024-04-01"  # episodes_2025.csv


def test_an_episode_in_two_years_returns_counts_once_as_the_later_records_it(case):
    child = f"{SECRET}1"
    write_table(case, "episodes_2024.csv", "Episodes", [episode(child, "01/02/2024")])
    write_table(
        case,
        "episodes_2025.csv",
        "Episodes",
        [episode(child, "01/02/2024", dec="01/06/2024", rec="E13")],
    )
    write_table(case, "header_2025.csv", "Header", [header(child)])
    r = read_ssda903(case)
    assert len(r.episodes) == 1
    assert r.episodes["dec"].dt.strftime("%Y-%m-%d").tolist() == ["2024-06-01"]
    assert [(s.start.isoformat(), s.end.isoformat()) for s in r.spans["E08000027"]] == [
        ("2023-04-01", "2025-03-31")
    ]


def test_an_episode_that_ends_before_it_starts(case):
    minimal_return(case, [episode(f"{SECRET}1", "10/05/2024", dec="01/05/2024")])
    message = _fails(case, BadValueError)
    assert "episodes_2025.csv, row 2, column 'DEC'" in message
    assert "ends before it starts" in message


def test_overlapping_episodes_are_a_warning_naming_the_row(case, caplog):
    # the MIT sample itself has 40 such episodes: counting children once a day still gives
    # one answer, so the return is read, with a warning naming file and row
    child = f"{SECRET}1"
    minimal_return(
        case,
        [
            episode(child, "01/05/2024", dec="01/07/2024", rec="X1"),
            episode(child, "01/06/2024", rne="P"),
        ],
    )
    with caplog.at_level(logging.WARNING, logger="perf"):
        r = read_ssda903(case)
    assert len(r.warnings) == 1
    assert r.warnings[0].startswith("episodes_2025.csv, row 3: 1 episode(s) start before")
    _private(r.warnings[0])
    assert r.warnings[0] in caplog.text
    _private(caplog.text)


@pytest.mark.parametrize(
    "column, value, what",
    [("LS", "X9", "legal status"), ("PLACE", "Q7", "placement type"), ("RNE", "Z", "reason")],
)
def test_an_unknown_code(case, column, value, what):
    bad = episode(f"{SECRET}1", "01/05/2024") | {column: value}
    minimal_return(case, [episode(f"{SECRET}2", "01/05/2024"), bad])
    message = _fails(case, BadValueError)
    assert f"episodes_2025.csv, row 3, column '{column}': not a known {what}" in message
    assert f"(found '{value}')" in message


def test_a_code_column_holding_an_identifier_does_not_repeat_it(case):
    minimal_return(case, [episode(f"{SECRET}1", "01/05/2024") | {"LS": f"{SECRET}1"}])
    message = _fails(case, BadValueError)
    assert "column 'LS': not a known legal status code" in message
    assert "found" not in message


def test_a_missing_table(case):
    write_table(case, "episodes_2025.csv", "Episodes", [episode(f"{SECRET}1", "01/05/2024")])
    message = _fails(case, FileFormatError)
    assert "has no Header table" in message
    assert "CHILD, SEX, DOB" in message  # the hint names its columns


@pytest.mark.parametrize("written", ["12/31/2024", "2024-31-12"])
def test_a_date_written_the_wrong_way_round(case, written):
    minimal_return(case, [episode(f"{SECRET}1", "01/05/2024"), episode(f"{SECRET}2", written)])
    message = _fails(case, BadValueError)
    assert "episodes_2025.csv, row 3, column 'DECOM'" in message
    assert "written the wrong way round (month before day)" in message
    assert written not in message


def test_a_date_of_birth_that_is_not_a_date_is_not_quoted(case):
    minimal_return(
        case,
        [episode(f"{SECRET}1", "01/05/2024")],
        [header(f"{SECRET}1", dob=f"31/13/{BIRTH_YEAR}x")],
    )
    message = _fails(case, BadValueError)
    assert "header_2025.csv, row 2, column 'DOB': this is not a date" in message


def test_a_return_for_another_council(tmp_path):
    # a Dudley folder holding a Leeds return (the stacked layout's LA column says whose)
    folder = tmp_path / "case" / "dudley"
    write_table(folder, "episodes.csv", "Episodes", [episode(f"{SECRET}1", "01/05/2024")])
    text = (folder / "episodes.csv").read_text().splitlines()
    (folder / "episodes.csv").write_text(f"{text[0]},LA,YEAR\n{text[1]},Leeds,2025\n")
    write_table(folder, "header_2025.csv", "Header", [header(f"{SECRET}1")])
    message = _fails(folder, AnotherCouncilError)
    assert "episodes.csv, row 2, column 'LA'" in message
    assert "this is Leeds's return, but the file or its folder is named for Dudley" in message


def test_a_file_named_for_one_council_in_a_folder_named_for_another(tmp_path):
    folder = tmp_path / "case" / "dudley"
    minimal_return(folder, [episode(f"{SECRET}1", "01/05/2024")])
    (folder / "episodes_2025.csv").rename(folder / "leeds_episodes_2025.csv")
    message = _fails(folder, AnotherCouncilError)
    assert "named for Leeds but sits in a folder named for Dudley" in message


def test_a_return_whose_council_cannot_be_told(tmp_path):
    folder = tmp_path / "case" / "returns"
    minimal_return(folder, [episode(f"{SECRET}1", "01/05/2024")])
    message = _fails(folder, FileFormatError)
    assert "which council this return is for cannot be told" in message


def test_two_returns_for_one_year_that_disagree(case):
    minimal_return(case, [episode(f"{SECRET}1", "01/05/2024")])
    write_table(
        case,
        "episodes_2025_resubmitted.csv",
        "Episodes",
        [episode(f"{SECRET}1", "01/05/2024", ls="V2")],
    )
    message = _fails(case, DisagreeingReturnsError)
    assert "episodes_2025_resubmitted.csv, row 2" in message
    assert "two Episodes tables for the 2024-25 return disagree" in message
    assert "not in episodes_2025.csv" in message


def test_the_same_return_twice_is_read_once(case):
    minimal_return(case, [episode(f"{SECRET}1", "01/05/2024")])
    (case / "episodes_2025_copy.csv").write_text((case / "episodes_2025.csv").read_text())
    assert len(read_ssda903(case).episodes) == 1


def test_a_table_with_no_rows_is_an_empty_table(case):
    minimal_return(case, [episode(f"{SECRET}1", "01/05/2024")])
    write_table(case, "missing_2025.csv", "Missing", [])
    r = read_ssda903(case)
    assert r.missing is not None and r.missing.empty


def test_the_xml_form_is_read_like_the_tables(tmp_path):
    path = tmp_path / "case" / "dudley" / "ssda903_2025.xml"
    path.parent.mkdir(parents=True)
    path.write_text(
        f"""<?xml version="1.0"?>
<EXPSSDA903>
  <CHILD>
    <HEADER>
      <CHILDID>{SECRET}1</CHILDID><SEX>F</SEX><DOB>01/06/{BIRTH_YEAR}</DOB>
      <ETHNIC>WBRI</ETHNIC><UPN>A123456789012</UPN>
      <AMISSING><MISSING>M</MISSING><MIS_START>02/05/2024</MIS_START>
        <MIS_END>03/05/2024</MIS_END></AMISSING>
    </HEADER>
    <EPISODE><DECOM>01/05/2024</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL>
      <PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC></DEC><REC></REC></EPISODE>
  </CHILD>
</EXPSSDA903>
"""
    )
    r = read_ssda903(path)
    assert r.episodes["place"].tolist() == ["U4"]
    assert r.header["sex"].tolist() == ["F"]
    assert r.missing["missing"].tolist() == ["M"]
    assert list(r.spans) == ["E08000027"]
    broken = path.with_name("ssda903_bad.xml")
    broken.write_text(path.read_text().replace("<LS>C2</LS>", "<LS>X9</LS>"))
    with pytest.raises(BadValueError) as caught:
        read_ssda903(broken)
    assert "ssda903_bad.xml: line 10, element LS: not a known legal status code" in str(
        caught.value
    )
    _private(str(caught.value))


def test_episodes_open_in_one_year_and_gone_from_the_next_end_with_their_year(case):
    gone, stays = f"{SECRET}1", f"{SECRET}2"
    write_table(
        case,
        "episodes_2024.csv",
        "Episodes",
        [episode(gone, "01/02/2024", rec="E13"), episode(stays, "01/02/2024")],
    )
    write_table(case, "episodes_2025.csv", "Episodes", [episode(stays, "01/02/2024")])
    write_table(case, "header_2025.csv", "Header", [header(gone), header(stays)])
    r = read_ssda903(case)
    ends = r.episodes.sort_values("child")["dec"].dt.strftime("%Y-%m-%d").fillna("open")
    assert ends.tolist() == ["2024-04-01", "open"]
    assert r.episodes["rec"].tolist() == ["", ""]  # not counted as leaving care
    assert "1 episode(s) open at the end of one year's return" in r.warnings[0]


def test_the_sample_rows_are_read_as_given():
    raw = pd.read_csv(SAMPLE / "episodes.csv", dtype=str)
    r = read_ssda903(SAMPLE)
    # every LS code of the sample is kept, short breaks included (the definitions drop them)
    assert set(r.episodes["ls"]) == set(raw["LS"])
