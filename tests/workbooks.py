"""Collection workbooks for tests: a return filled in as a service lead would, and the broken
ones a hostile run sent (a namespace prefix nobody declared, a zip bomb), built in the test.

Every figure here is made up.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import openpyxl

from perf import config
from perf.collection import build_template

#: Dudley's figures for 2025-26, five of the children's services core set it collects then
#: (no plan of its own is in force: its 2013 plan ended in 2012-13; perf.loaders.plans.plans_for):
#: (value, numerator, denominator).
DUDLEY_FIGURES: dict[str, tuple[float | None, float | None, float | None]] = {
    "cla_rate": (83.4, None, None),
    "care_leavers_eet_19_21": (60.0, 3.0, 5.0),  # 3 of 5 care leavers: disclosive
    "ReReferral": (38.2, None, None),
    "sw_caseload": (17.0, 34.0, 2.0),  # an average over 2 social workers: disclosive
    "Continue_Assess_Comp": (77.7, None, None),
}

#: Made-up earlier quarters for Dudley (2024-25, as a 2025-26 Q1 workbook shows them), flagged
#: [ex]: care leavers in education, employment or training 50 to 58%.
DUDLEY_EARLIER = """indicator,area_code,period,value,numerator,denominator,flag,target,source
care_leavers_eet_19_21,E08000027,2024-25 Q1,55.0,11,20,ex,,made up for a test
care_leavers_eet_19_21,E08000027,2024-25 Q2,57.9,11,19,ex,,made up for a test
care_leavers_eet_19_21,E08000027,2024-25 Q3,50.0,9,18,ex,,made up for a test
care_leavers_eet_19_21,E08000027,2024-25 Q4,53.8,7,13,ex,,made up for a test
"""
#: A plan of Dudley's in force from 2024-25 with key activities and no indicator: its
#: workbooks collect the core set's indicators beside these activities (plans_for).
DUDLEY_ACTIVITIES = (
    "E08000027,Council Plan 2024,tolerance,Young people,Objective 1 Improve outcomes for all "
    "children and young people,activity,{ref},{ref},Dave Perrett DCS,,2024-25,\n"
)


def dudley_2025_data(data: Path) -> Path:
    """A data folder at ``data`` for Dudley's 2025-26 returns: the project's data/local and
    core set, with :data:`DUDLEY_EARLIER` and a plan of key activities YP1a and YP1b in force
    from 2024-25."""
    shutil.copytree(config.LOCAL_DIR, data / "local")
    shutil.copy(config.CORE_SET_FILE, data / config.CORE_SET_FILE.name)
    (data / "local" / "dudley_earlier_2024-25.csv").write_text(DUDLEY_EARLIER)
    with (data / "local" / "plans.csv").open("a") as plans:
        plans.write("".join(DUDLEY_ACTIVITIES.format(ref=ref) for ref in ("YP1a", "YP1b")))
    return data


def columns(ws) -> dict[str, int]:
    """Header name -> column number of a sheet."""
    return {c.value: c.column for c in ws[1]}


def row_of(ws, indicator: str) -> int:
    """The Indicators row of ``indicator``."""
    col = columns(ws)["Indicator id"]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == indicator)


def fill_book(
    book: openpyxl.Workbook,
    figures: Mapping[str, tuple[float | None, float | None, float | None]] = DUDLEY_FIGURES,
) -> openpyxl.Workbook:
    """Fill a template in place: each indicator's value, numerator and denominator, a
    target and a commentary; each key activity's status and progress."""
    ws = book["Indicators"]
    col = columns(ws)
    for indicator, (value, numerator, denominator) in figures.items():
        r = row_of(ws, indicator)
        ws.cell(r, col["Value"], value)
        ws.cell(r, col["Numerator"], numerator)
        ws.cell(r, col["Denominator"], denominator)
        ws.cell(r, col["Target"], ws.cell(r, col["Target"]).value or 70)
        ws.cell(r, col["Commentary"], "On track.")
    wa = book["Key activities"]
    for r in range(2, wa.max_row + 1):
        wa.cell(r, 7, "✓")
        wa.cell(r, 8, "On schedule.")
    return book


def save(book: openpyxl.Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def filled_return(
    area: str,
    period: str,
    path: Path,
    *,
    data_dir: Path | None = None,
    figures: Mapping[str, tuple[float | None, float | None, float | None]] = DUDLEY_FIGURES,
    edit: Callable[[openpyxl.Workbook], None] | None = None,
) -> Path:
    """``perf template``'s workbook for ``area`` and ``period``, filled in (then ``edit``
    applied), saved at ``path``."""
    book = fill_book(build_template(area, period, data_dir=data_dir), figures)
    if edit is not None:
        edit(book)
    return save(book, path)


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """The workbook at ``path`` with one zip member rewritten by ``change`` (in place)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, change(data) if info.filename == member else data)
    path.write_bytes(out.getvalue())
    return path


def undeclared_prefix(path: Path, member: str = "xl/worksheets/sheet1.xml") -> Path:
    """Break one sheet's XML as the hostile run did: an element whose namespace prefix is
    declared nowhere (lxml refuses the whole part)."""
    return rewrite_member(
        path, member, lambda xml: re.sub(rb"<sheetData>", b"<sheetData><bad:row/>", xml, count=1)
    )


def zip_bomb(path: Path, megabytes: int = 400) -> Path:
    """A return whose ``xl/workbook.xml`` holds ``megabytes`` MB of padding inside a valid
    workbook element (a few hundred KB on disk): the rest of the workbook is as written."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/workbook.xml":
                target.writestr(info, data)
                continue
            head, tail = data.split(b"<sheets>", 1)
            member = zipfile.ZipInfo("xl/workbook.xml", date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            with target.open(member, "w", force_zip64=True) as out_member:
                out_member.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    out_member.write(chunk)
                out_member.write(b"<sheets>" + tail)
    path.write_bytes(out.getvalue())
    return path
