"""Reading the children in need census XML: what it holds, and every bad input with a
message naming file, line and element, never a child's identifier or date of birth."""

from __future__ import annotations

from pathlib import Path

import pytest
from childlevel_files import (  # tests/childlevel_files.py (pytest puts tests/ on the path)
    BIRTH_YEAR,
    SECRET,
    cin_child,
    cin_details,
    write_cin,
)

from perf import config
from perf.childlevel.cin import read_cin
from perf.childlevel.common import AnotherCouncilError
from perf.errors import BadValueError, FileFormatError, PerfError

SAMPLE = config.TESTS_DIR / "fixtures" / "returns" / "liia_cin" / "cin-2022.xml"


def _fails(path: Path, error: type[PerfError]) -> str:
    with pytest.raises(error) as caught:
        read_cin(path)
    message = str(caught.value)
    assert SECRET not in message and BIRTH_YEAR not in message
    return message


@pytest.fixture
def place(tmp_path: Path) -> Path:
    return tmp_path / "case" / "dudley" / "cin_census.xml"


def test_the_liia_sample_is_read():
    census = read_cin(SAMPLE)
    assert census.area_code == "E09000001"  # LEA 201, the City of London
    assert census.referrals["nfa"].tolist() == [False]
    assert census.plans["previous"].tolist() == [10]
    assert census.section47["icpc"].dt.strftime("%Y-%m-%d").tolist() == ["1970-06-17"]


def test_a_census_is_read_into_numbered_children(place):
    s47 = (
        "<Section47><S47ActualStartDate>2024-05-02</S47ActualStartDate>"
        "<DateOfInitialCPC>2024-05-20</DateOfInitialCPC>"
        "<ICPCnotRequired>false</ICPCnotRequired></Section47>"
    )
    write_cin(
        place,
        [
            cin_child(f"{SECRET}1", cin_details("2024-05-01", inner=s47)),
            cin_child(f"{SECRET}2", cin_details("2024-06-01", "2024-06-01", nfa="TRUE")),
        ],
    )
    census = read_cin(place)
    assert census.area_code == "E08000027"
    assert sorted(census.referrals["child"]) == [0, 1]
    assert census.referrals["nfa"].tolist() == [False, True]
    assert len(census.section47) == 1
    assert census.span.start.isoformat() == "2024-04-01"


def test_an_in_year_extract_runs_to_its_reference_date(place):
    write_cin(
        place,
        [cin_child(f"{SECRET}1", cin_details("2025-05-01"))],
        year=2026,
        reference="2025-09-30",
    )
    span = read_cin(place).span
    assert (span.start.isoformat(), span.end.isoformat()) == ("2025-04-01", "2025-09-30")


def test_an_xml_file_that_is_not_the_census(place):
    place.parent.mkdir(parents=True)
    place.write_text("<?xml version='1.0'?><Invoice><Total>3</Total></Invoice>")
    message = _fails(place, FileFormatError)
    assert "is not a children in need census: its root element is <Invoice>" in message


def test_a_message_that_is_not_the_census(place):
    place.parent.mkdir(parents=True)
    place.write_text("<?xml version='1.0'?><Message><Body/></Message>")
    message = _fails(place, FileFormatError)
    assert "its <Message> has no <Header> and <Children>" in message


def test_a_malformed_file(place):
    write_cin(place, [cin_child(f"{SECRET}1", cin_details("2024-05-01"))])
    text = place.read_text().replace("</CINreferralDate>", "", 1)
    place.write_text(text)
    message = _fails(place, FileFormatError)
    assert message.startswith("cin_census.xml: line ")
    assert "the file is not well-formed XML" in message


def test_entities_are_never_expanded(place):
    place.parent.mkdir(parents=True)
    secret = place.parent / "secret.txt"
    secret.write_text("a council's private file")
    place.write_text(
        f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<Message><Header/><Children>&x;</Children></Message>"
    )
    message = _fails(place, FileFormatError)
    assert "declares a document type (DTD)" in message
    assert "private" not in message


def test_a_census_for_another_council(place):
    # a Dudley folder holding Leeds's census (LEA 383)
    write_cin(place, [cin_child(f"{SECRET}1", cin_details("2024-05-01"))], lea="383")
    message = _fails(place, AnotherCouncilError)
    assert "element Header/Source/LEA" in message
    assert "this is Leeds's census (LEA 383), but the file or its folder is named for Dudley" in (
        message
    )


def test_an_episode_that_closes_before_its_referral(place):
    write_cin(place, [cin_child(f"{SECRET}1", cin_details("2024-05-01", "2024-04-01"))])
    message = _fails(place, BadValueError)
    assert "element Child/CINdetails/CINclosureDate: the episode closes before its referral" in (
        message
    )
    assert "line 26" in message  # the <CINdetails> element's line


def test_a_date_written_the_wrong_way_round(place):
    write_cin(place, [cin_child(f"{SECRET}1", cin_details("2024-31-05"))])
    message = _fails(place, BadValueError)
    assert "element Child/CINdetails/CINreferralDate: the date is written the wrong way round" in (
        message
    )


def test_a_yes_no_item_that_is_neither(place):
    write_cin(place, [cin_child(f"{SECRET}1", cin_details("2024-05-01", nfa="maybe"))])
    message = _fails(place, BadValueError)
    assert "element Child/CINdetails/ReferralNFA: not a yes/no value" in message


def test_a_reference_date_outside_its_year(place):
    write_cin(
        place,
        [cin_child(f"{SECRET}1", cin_details("2024-05-01"))],
        year=2025,
        reference="2025-06-30",
    )
    message = _fails(place, BadValueError)
    assert "the reference date is outside the collection year" in message
