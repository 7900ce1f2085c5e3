"""perf.loaders.workbook: a workbook opened safely (issue 27 items 7 and 9). Seen on main:

* a return whose XML has a namespace prefix nobody declared gave an lxml traceback from
  `perf check`, and from every briefing: one council's file stopped everyone's;
* a 420 KB return holding 400 MB of ``workbook.xml`` (a zip bomb) was parsed, then gave a
  traceback;
* ``.xlsm`` and ``.xls`` files in data/local were silently ignored.

Each is now a finding naming the file (and the part and sheet at fault), and only the
council the workbook is about stops. The broken workbooks are built here, from perf's own
template.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import openpyxl
import pytest
from workbooks import fill_book, save, undeclared_prefix, zip_bomb

from perf import config, loaders
from perf.cli import main
from perf.collection import build_template, check_paths
from perf.errors import FileFormatError
from perf.loaders.returns import read_return

DUDLEY = "E08000027"


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    return save(
        fill_book(build_template("Dudley", "2025-26 Q1")),
        tmp_path_factory.mktemp("filled") / "dudley_2025-26_q1.xlsx",
    )


@pytest.fixture
def data(tmp_path) -> Path:
    """A data folder holding the project's local files (every council's), and no release."""
    shutil.copytree(config.LOCAL_DIR, tmp_path / "data" / "local")
    return tmp_path / "data"


def test_a_part_that_is_not_well_formed_xml_is_named_with_its_sheet(filled, tmp_path):
    broken = undeclared_prefix(shutil.copy(filled, tmp_path / "broken.xlsx"))
    with pytest.raises(FileFormatError) as caught:
        read_return(broken)
    assert caught.value.file == "broken.xlsx"
    assert caught.value.message.startswith(
        "the workbook could not be opened: its part xl/worksheets/sheet1.xml (the sheet "
        "'Indicators') is not well-formed XML (unbound prefix: line 1, column"
    )
    findings, lines = check_paths([broken])
    assert findings["severity"].tolist() == ["error"] and findings["file"].tolist() == [
        "broken.xlsx"
    ]
    assert lines[0].startswith("1 error")


def test_a_broken_return_stops_its_own_council_and_the_rest_is_read_and_checked(
    filled, data, capsys
):
    undeclared_prefix(shutil.copy(filled, data / "local" / "dudley_q1.xlsx"))
    loaded = loaders.load_all_isolated(data)
    assert [(f.file, sorted(f.areas)) for f in loaded.failures] == [("dudley_q1.xlsx", [DUDLEY])]
    assert (loaded.frame["area_code"] == "E08000035").any()  # Leeds's figures are all there
    assert main(["check", str(data)]) == 1  # a finding, not a traceback
    out = capsys.readouterr()
    assert "ERROR   dudley_q1.xlsx: the workbook could not be opened: its part" in out.out
    checked = int(out.err.split(" in ")[1].split(" observation")[0].replace(",", ""))
    assert checked == len(loaded.frame) > 0  # every other file still checked


def test_a_zip_bomb_is_refused_before_anything_is_parsed(filled, data):
    bomb = zip_bomb(shutil.copy(filled, data / "local" / "dudley_q1.xlsx"), megabytes=400)
    assert bomb.stat().st_size < 1_000_000  # 400 MB of workbook.xml in under a megabyte
    started = time.perf_counter()
    assert loaders.detect_format(bomb) == "refused"
    findings, _ = check_paths([bomb])
    assert (
        findings["message"]
        .tolist()[0]
        .startswith("the workbook's part xl/workbook.xml would take 400 MB to read from")
    )
    loaded = loaders.load_all_isolated(data)
    # its council is told from its Notes sheet, read alone: only Dudley's briefings stop
    assert [(f.file, sorted(f.areas)) for f in loaded.failures] == [("dudley_q1.xlsx", [DUDLEY])]
    assert time.perf_counter() - started < 60  # never decompressed: seconds, not minutes


@pytest.mark.parametrize(
    "name, message",
    [
        ("dudley_q1.xlsm", "a macro-enabled workbook (.xlsm): perf does not open workbooks with"),
        ("dudley_q1.xls", "an Excel 97-2003 workbook (.xls): perf reads the .xlsx format only"),
        ("dudley_q1.ods", "an OpenDocument spreadsheet (.ods): perf reads the .xlsx format only"),
    ],
)
def test_workbooks_perf_does_not_open_are_findings_never_skipped(filled, data, name, message):
    path = data / "local" / name
    if name.endswith(".xlsm"):
        shutil.copy(filled, path)  # the same zip: its council can be told
    else:
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # an OLE file
    findings, _ = check_paths([data])
    mine = findings[findings["file"] == name]
    assert mine["severity"].tolist() == ["error"]
    assert mine["message"].iloc[0].startswith(message)
    assert "save it as an Excel Workbook (.xlsx)" in mine["message"].iloc[0]
    if name.endswith(".xlsm"):
        loaded = loaders.load_all_isolated(data)
        assert [(f.file, sorted(f.areas)) for f in loaded.failures] == [(name, [DUDLEY])]
    else:  # whose it is cannot be told: every briefing stops, saying why
        with pytest.raises(FileFormatError, match=message[:30].replace("(", r"\(")):
            loaders.load_all(data)


def test_a_workbook_that_is_neither_a_return_nor_a_lookup_is_named(data):
    book = openpyxl.Workbook()
    book.active["A1"] = "Notes from the March meeting"
    book.save(data / "local" / "meeting notes.xlsx")
    findings, _ = check_paths([data])
    assert findings[findings["file"] == "meeting notes.xlsx"]["message"].tolist() == [
        "the workbook is neither a collection return (with Indicators and Notes sheets) nor "
        "one of LAIT's look-ups (la_code_list.xlsx, sn_*.xlsx). Move it out of data/; a return "
        "is the workbook `perf template` wrote, filled in."
    ]
