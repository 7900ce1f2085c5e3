"""perf.render.freeze: the performance matrix written beside the HTML as CSV and XLSX, the
same rows as the page's table; and a whole briefing rendered with the 2021 neighbour set."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from test_report_matrix import matrix_rows

from perf.config import MATRIX_MIMETYPE
from perf.render.freeze import (
    freeze_after,
    matrix_csv,
    matrix_paths,
    matrix_xlsx,
    run_and_freeze,
    write_matrix,
)
from perf.render.registry import validate_parameters
from perf.report.matrix import NUMBER_COLUMNS, matrix


def _run(tmp_path: Path, outputs: list[dict], status: str = "ok") -> SimpleNamespace:
    """A finished run whose executed notebook displayed ``outputs`` (mimebundles)."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [{"output_type": "display_data", "data": data} for data in outputs],
            }
        ]
    }
    executed = tmp_path / "briefing.ipynb"
    executed.write_text(json.dumps(nb), encoding="utf-8")
    html = tmp_path / "briefing.html"
    html.write_text("<html></html>", encoding="utf-8")
    return SimpleNamespace(status=status, html=str(html), executed_notebook=str(executed))


def _csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _xlsx_rows(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path)["Performance matrix"]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _as_page(table: list[list], header: list[str]) -> list[list]:
    """The file's rows with their cells in the page's column order."""
    where = [table[0].index(h) for h in header]
    return [[r[i] for i in where] for r in table[1:]]


@pytest.fixture
def section(make_neighbour_context):
    return matrix(make_neighbour_context())


def test_csv_and_xlsx_hold_the_tables_rows(tmp_path, section):
    record = section.extra[MATRIX_MIMETYPE]
    written = write_matrix(_run(tmp_path, [{"text/html": section.html, **section.extra}]))
    assert written == list(matrix_paths(tmp_path / "briefing.html"))
    header, rows = matrix_rows(section.html)
    width = 2 + len(header)
    table = _csv_rows(written[0])
    # every column the page shows, in the table's order (the page groups the changes last)
    assert table[0][:2] == ["Plan", "Priority"] and table[0][width:] == NUMBER_COLUMNS
    assert sorted(table[0][2:width]) == sorted(header)
    assert _as_page(table, header) == rows  # cell for cell, as the page shows them
    book = _xlsx_rows(written[1])
    assert book[0] == table[0]
    assert _as_page(book, header) == rows
    cla = next(r for r in book[1:] if r[width] == "cla_rate")
    assert cla[width + 1] == 81 and isinstance(cla[width + 1], (int, float))  # not text
    assert cla[width + 2] is None  # no target
    assert next(r for r in table[1:] if r[width] == "cla_rate")[width + 1] == "81.0"
    assert len(table) - 1 == len(record["rows"]) == 3


def test_xlsx_has_a_frozen_bold_header_and_sized_columns(tmp_path, section):
    written = write_matrix(_run(tmp_path, [section.extra]))
    book = openpyxl.load_workbook(written[1])
    sheet = book["Performance matrix"]
    assert sheet.freeze_panes == "D2"  # the header row and plan, priority, indicator
    assert all(cell.font.bold for cell in sheet[1])
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(10 <= w <= 50 for w in widths) and len(set(widths)) > 3
    about = {r[0].value: r[1].value for r in book["About"].iter_rows()}
    assert about["Statistical neighbours"] == "DfE statistical neighbours, 2025 model"
    assert about["Edition"].startswith("public")


def test_same_record_same_bytes(section):
    record = section.extra[MATRIX_MIMETYPE]
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"
    try:
        first = matrix_xlsx(record)
        assert matrix_xlsx(record) == first and matrix_csv(record) == matrix_csv(record)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    assert b"2026-01-01T00:00:00Z" in _core_xml(first)


def _core_xml(xlsx: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(xlsx)).read("docProps/core.xml")


def test_nothing_for_a_failed_run_or_a_notebook_without_a_matrix(tmp_path, section):
    assert write_matrix(_run(tmp_path, [section.extra], status="failed")) == []
    assert write_matrix(_run(tmp_path, [{"text/html": "<p>x</p>"}])) == []
    assert not matrix_paths(tmp_path / "briefing.html")[0].exists()


def test_a_broken_record_is_logged_not_raised(tmp_path, caplog):
    run = _run(tmp_path, [{MATRIX_MIMETYPE: {"rows": [[1]]}}])  # no columns
    freeze_after(run)
    assert "could not write the matrix" in caplog.text


# --- a whole briefing, with the 2021 neighbour set -----------------------------------------


@pytest.fixture(scope="module")
def rendered_2021(tmp_path_factory):
    from perf.render.runner import Renderer

    params = validate_parameters(
        "briefing", {"area": "Dudley", "period": "2024-25", "neighbours": "2021"}
    )
    with Renderer() as renderer:
        result = run_and_freeze(
            renderer, "briefing", params, out=tmp_path_factory.mktemp("outputs")
        )
    assert result.status == "ok", result.error
    return result


def test_neighbours_2021_renders_with_the_2021_set_named(rendered_2021):
    page = Path(rendered_2021.html).read_text(encoding="utf-8")
    assert "Statistical neighbours: DfE statistical neighbours, 2021 model" in page
    assert "statistical neighbours (DfE statistical neighbours, 2021 model)" in page
    assert "2025 model" in page  # the year the model changed: both sets' positions
    assert "Rotherham" in page  # Dudley's closest neighbour in 2021 (Wakefield in 2025)
    assert MATRIX_MIMETYPE not in page and "Indicator id" not in page


def test_the_rendered_matrix_files_match_the_page(rendered_2021):
    page = Path(rendered_2021.html).read_text(encoding="utf-8")
    header, rows = matrix_rows(page)
    csv_path, xlsx_path = matrix_paths(rendered_2021.html)
    table = _csv_rows(csv_path)
    width = 2 + len(header)
    assert sorted(table[0][2:width]) == sorted(header)
    assert _as_page(table, header) == rows
    assert _as_page([table[0], *_xlsx_rows(xlsx_path)[1:]], header) == rows
    assert "Among statistical neighbours (2021 model)" == header[9]
    # the children's services core set (issue 24), and no worked-example figure in a current
    # year's briefing (the 2012 plan's dudley_lac_rate was one)
    ids = {r[width] for r in table[1:]}
    assert {"cla_rate", "neet_16_17", "not_known_16_17", "SEN_EHC_Excpt_20wks", "TotAbs"} <= ids
    assert "dudley_lac_rate" not in ids


def test_a_priority_typed_as_a_formula_is_text_in_the_csv_and_the_workbook(section):
    # issue 27 item 6: a plans.csv priority starting "=" became a live formula in the matrix
    # workbook and a leading "=" in the CSV
    priority = '=HYPERLINK("http://evil.example/","Young people")'
    record = dict(section.extra[MATRIX_MIMETYPE])
    record["rows"] = [[row[0], priority, *row[2:]] for row in record["rows"]]
    table = list(csv.reader(io.StringIO(matrix_csv(record).decode("utf-8-sig"))))
    assert {row[1] for row in table[1:]} == {"'" + priority}
    sheet = openpyxl.load_workbook(io.BytesIO(matrix_xlsx(record)))["Performance matrix"]
    cells = [sheet.cell(r, 2) for r in range(2, sheet.max_row + 1)]
    assert {(c.value, c.data_type, c.quotePrefix) for c in cells} == {(priority, "s", True)}
    with zipfile.ZipFile(io.BytesIO(matrix_xlsx(record))) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
