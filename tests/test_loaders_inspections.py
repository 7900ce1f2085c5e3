"""Ofsted's inspection outcomes (perf.loaders.inspections, load_inspections): the real file,
and small OpenDocument fixtures for each rule and bad case."""

from __future__ import annotations

import pandas as pd
import pytest

from perf import config
from perf.errors import BadValueError, DuplicateKeyError, MissingColumnError
from perf.loaders import detect_format, load_inspections
from perf.loaders import inspections as ins
from perf.schema import INSPECTION_COLUMNS, JUDGEMENT_NAMES

OFSTED = config.RAW_DIR / "dfe" / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"

LATEST_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]
RI = "Requires improvement to be good"
DUDLEY = [
    "link",
    "E08000027",
    "Dudley",
    "West Midlands",
    "31/10/2022",
    "13/01/2023",
    RI,
    RI,
    RI,
    RI,
    None,
]
RUTLAND = ["link", "E06000017", "Rutland", "East Midlands", "15/04/2024", "12/07/2024"] + [
    "Good"
] * 5


def _ods(tmp_path, rows, *, header=LATEST_HEADER, name="outcomes.ods", sheet="Latest"):
    """An Ofsted-like workbook: a title row and a note above the table, as Ofsted's."""
    width = len(header)
    table = [["Local authority inspection judgements"] + [None] * (width - 1)]
    table += [["This worksheet contains one table."] + [None] * (width - 1)]
    table += [header, *rows]
    path = tmp_path / name
    with pd.ExcelWriter(path, engine="odf") as writer:
        pd.DataFrame([["Cover"]]).to_excel(writer, sheet_name="Cover", header=False, index=False)
        pd.DataFrame(table).to_excel(writer, sheet_name=sheet, header=False, index=False)
    return path


# --- the real file -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def latest():
    return ins.read(OFSTED)


def test_the_latest_judgement_of_every_council(latest):
    assert len(latest) == 153 and list(latest.columns) == INSPECTION_COLUMNS
    dudley = latest.set_index("area_code").loc["E08000027"]
    assert dudley["area_name"] == "Dudley"
    assert dudley["overall_effectiveness"] == RI
    assert dudley["inspection_date"] == pd.Timestamp("2022-10-31")
    assert dudley["publication_date"] == pd.Timestamp("2023-01-13")
    assert dudley["inspection_type"] == "ILACS Standard Inspection"
    assert pd.isna(dudley["care_leavers"])  # judged apart only from 2023
    rutland = latest.set_index("area_code").loc["E06000017"]
    assert rutland["overall_effectiveness"] == "Good" and rutland["care_leavers"] == "Good"
    assert latest["inspection_type"].notna().all()
    assert "Ofsted" in latest["source"].iloc[0]


def test_the_history_of_every_inspection_since_2018():
    history = ins.read(OFSTED, history=True)
    assert len(history) == 271
    dudley = history[history["area_code"] == "E08000027"]
    assert dudley["inspection_date"].dt.year.tolist() == [2018, 2022]
    assert dudley["impact_of_leaders"].tolist() == ["Good", RI]


def test_load_inspections_finds_the_file_by_its_content(tmp_path):
    frame = load_inspections(config.DATA_DIR)
    assert len(frame) == 153
    assert load_inspections(tmp_path) is None  # no Ofsted file: absent, not an empty frame
    assert detect_format(OFSTED) == "inspections"
    renamed = _ods(tmp_path, [DUDLEY, RUTLAND], name="anything.ods")
    assert detect_format(renamed) == "inspections"
    assert load_inspections(tmp_path)["area_code"].tolist() == ["E08000027", "E06000017"]


def test_only_ofsteds_outcomes_are_read_of_the_opendocument_files(tmp_path):
    """Ofsted's file is inspections, though a workbook perf does not open is refused by its
    suffix (.ods): the merge of issue 27's refused formats read it as refused, and every
    briefing failed on loading the data folder."""
    assert detect_format(OFSTED) == "inspections"
    other = _ods(tmp_path, [["x", "y"]], header=["area", "figure"], name="other.ods")
    assert detect_format(other) == "refused"


def test_a_later_release_supersedes_a_council_s_earlier_inspection(tmp_path):
    _ods(tmp_path, [DUDLEY, RUTLAND], name="outcomes_2025.ods")
    later = ["link", "E08000027", "Dudley", "West Midlands", "02/06/2025", "20/07/2025"]
    _ods(tmp_path, [later + ["Good"] * 5], name="outcomes_2026.ods")
    frame = load_inspections(tmp_path).set_index("area_code")
    assert frame.loc["E08000027", "overall_effectiveness"] == "Good"
    assert frame.loc["E06000017", "overall_effectiveness"] == "Good"
    with pytest.raises(MissingColumnError, match="no sheet with Ofsted's table of every"):
        load_inspections(tmp_path, history=True)  # the fixtures have no history sheet


# --- Ofsted's rules ------------------------------------------------------------------------


def test_from_april_2026_an_inspection_may_have_sub_judgements_only(tmp_path):
    row = ["link", "E08000027", "Dudley", "West Midlands", "04/05/2026", "19/06/2026"]
    row += [None, "Good", RI, "Good", "Outstanding"]
    frame = ins.read(_ods(tmp_path, [row, RUTLAND]))
    dudley = frame.set_index("area_code").loc["E08000027"]
    assert pd.isna(dudley["overall_effectiveness"])
    assert dudley[["impact_of_leaders", "help_and_protection", "children_in_care"]].tolist() == [
        "Good",
        RI,
        "Good",
    ]
    assert dudley["inspection_date"] == pd.Timestamp("2026-05-04")  # dd/mm/yyyy: day first


def test_before_april_2026_the_overall_judgement_is_required(tmp_path):
    row = DUDLEY[:6] + [None] + DUDLEY[7:]
    with pytest.raises(BadValueError) as err:
        ins.read(_ods(tmp_path, [RUTLAND, row]))
    assert err.value.file == "outcomes.ods, sheet 'Latest'"
    assert (err.value.row, err.value.column) == (5, "Overall effectiveness")


def test_a_date_not_written_day_first_is_an_error(tmp_path):
    row = DUDLEY[:4] + ["2022-10-31 or so"] + DUDLEY[5:]
    with pytest.raises(BadValueError) as err:
        ins.read(_ods(tmp_path, [row]))
    assert (err.value.row, err.value.column) == (4, "Inspection date")
    row = DUDLEY[:5] + ["31/02/2023"] + DUDLEY[6:]
    with pytest.raises(BadValueError, match="dd/mm/yyyy"):
        ins.read(_ods(tmp_path, [row]))


def test_a_judgement_not_in_ofsteds_words_is_an_error(tmp_path):
    row = DUDLEY[:7] + ["Requires improvement"] + DUDLEY[8:]
    with pytest.raises(BadValueError) as err:
        ins.read(_ods(tmp_path, [row]))
    assert err.value.column == JUDGEMENT_NAMES["impact_of_leaders"]
    assert err.value.value == "Requires improvement"


def test_a_care_leavers_judgement_before_2023_is_an_error(tmp_path):
    row = DUDLEY[:10] + ["Good"]
    with pytest.raises(BadValueError, match="before 1 January 2023"):
        ins.read(_ods(tmp_path, [row]))


def test_a_council_inspected_twice_on_one_day_is_a_duplicate(tmp_path):
    with pytest.raises(DuplicateKeyError, match=r"rows 4 and 6") as err:
        ins.read(_ods(tmp_path, [DUDLEY, RUTLAND, DUDLEY]))
    assert err.value.row == 6


def test_a_renamed_heading_is_an_error_naming_it(tmp_path):
    header = [h if h != "Overall effectiveness" else "Overall judgement" for h in LATEST_HEADER]
    with pytest.raises(MissingColumnError) as err:
        ins.read(_ods(tmp_path, [DUDLEY], header=header))
    assert err.value.column == "Overall effectiveness" and err.value.row == 3


def test_the_pre_2023_heading_for_children_in_care_is_read(tmp_path):
    header = LATEST_HEADER[:9] + [
        "The experiences and progress of children in care and care leavers",
        LATEST_HEADER[10],
    ]
    frame = ins.read(_ods(tmp_path, [DUDLEY], header=header))
    assert frame["children_in_care"].tolist() == [RI]


def test_a_file_without_the_judgements_table_is_refused(tmp_path):
    header = [h for h in LATEST_HEADER if h != "Local authority area code"]
    with pytest.raises(MissingColumnError, match="no sheet"):
        ins.read(_ods(tmp_path, [DUDLEY[:1] + DUDLEY[2:]], header=header))
