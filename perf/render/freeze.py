"""Revisions across renders: find the last briefing's frozen record, freeze this one's.

Before a briefing runs, :func:`with_previous` points its ``previous`` parameter at the frozen
record of the last earlier briefing of the same area; after it succeeds, :func:`freeze_shown`
writes the figures it reported showing (:data:`perf.config.SHOWN_MIMETYPE`) beside its HTML,
and :func:`write_matrix` its performance matrix (:data:`perf.config.MATRIX_MIMETYPE`) as
``<notebook>.matrix.csv`` and ``<notebook>.matrix.xlsx``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from perf import config
from perf.config import MATRIX_MIMETYPE, SHOWN_MIMETYPE
from perf.errors import PerfError
from perf.fileio import atomic_write, csv_bytes, slug, write_cell
from perf.render.provenance import run_time
from perf.render.registry import INTERNAL_DIR, notebook_name

__all__ = [
    "freeze_after",
    "freeze_shown",
    "matrix_csv",
    "matrix_paths",
    "matrix_xlsx",
    "previous_record",
    "run_and_freeze",
    "warm_freeze",
    "with_previous",
    "write_matrix",
]


def _record_mode(path: Path) -> str | None:
    """The ``mode`` (public or internal) of a frozen record, read without pandas."""
    try:
        with path.open(encoding="utf-8", newline="") as stream:
            for row in csv.DictReader(stream):
                return row.get("mode")
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def previous_record(
    out: str | Path, notebook: str | Path, params: Mapping[str, Any]
) -> Path | None:
    """The frozen record of the latest briefing for the same area and the same cycle under
    the outputs root ``out`` whose period ended before this one's
    (``<out>/<period>/<area>/<notebook>.frozen.csv``, periods ordered by :mod:`perf.periods`);
    None if there is none.

    The same cycle: a quarter is compared with an earlier quarter, a year with an earlier
    year (a 2024-25 briefing never with 2012-13 Q1's). A public briefing only compares with
    a public record (an internal one was never published, and its old figures could
    disclose a small count).
    """
    # Lazy: perf.periods and perf.revisions need pandas; this runs before the kernel starts.
    from perf.periods import parse_period
    from perf.revisions import frozen_path

    area, period = params.get("area"), params.get("period")
    if not isinstance(area, str) or not area or not isinstance(period, str) or not period:
        return None
    current = parse_period(period)
    public = params.get("public", True) is not False
    name = frozen_path(f"{notebook_name(notebook)}.html").name
    best: tuple[tuple, Path] | None = None
    roots = [Path(out)] + ([] if public else [Path(out) / INTERNAL_DIR])
    for path in (p for root in roots for p in root.glob(f"*/{slug(area)}/{name}")):
        try:
            earlier = parse_period(path.parent.parent.name.replace("_", " "))
        except PerfError:
            continue
        if (
            earlier.kind != current.kind
            or earlier.end >= current.end
            or (public and _record_mode(path) != "public")
        ):
            continue
        key = (earlier.end, earlier.start, path.parent.parent.name)
        if best is None or key > best[0]:
            best = (key, path)
    return best[1] if best else None


def with_previous(
    notebook: str | Path, params: Mapping[str, Any], out: str | Path | None
) -> dict[str, Any]:
    """``params`` with ``previous`` set to the last briefing's frozen record, for a notebook
    that declares a ``previous`` parameter the caller left blank (validated ``params``)."""
    params = dict(params)
    if "previous" not in params or str(params.get("previous") or "").strip():
        return params
    found = previous_record(out or config.OUTPUTS_DIR, notebook, params)
    if found is not None:
        found = found.resolve()
        params["previous"] = (
            found.relative_to(config.PROJ_ROOT).as_posix()
            if found.is_relative_to(config.PROJ_ROOT)
            else str(found)
        )
    return params


def freeze_shown(result) -> Path | None:
    """After a successful run, freeze the figures the notebook reported showing
    (:data:`perf.config.SHOWN_MIMETYPE`) beside its HTML; returns the record's path.

    Nothing is written for a failed run, or a notebook that reported no figures.
    """
    shown = _reported(result, SHOWN_MIMETYPE)
    if shown is None:
        return None
    # Lazy: pandas only once there is something to freeze (the kernel has finished).
    import pandas as pd

    from perf.revisions import freeze, frozen_path

    frame = pd.DataFrame(shown["rows"], columns=shown["columns"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return freeze(
        frame,
        frozen_path(result.html),
        briefing=shown.get("briefing"),
        public=bool(shown.get("public", True)),
    )


def _reported(result, mimetype: str) -> Any:
    """The last record of ``mimetype`` a successful run's notebook displayed (None for a
    failed run or none displayed)."""
    if result.status != "ok" or not result.html or not result.executed_notebook:
        return None
    nb = json.loads(Path(result.executed_notebook).read_text(encoding="utf-8"))
    found = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(mimetype)
            if data is not None:
                found = json.loads(data) if isinstance(data, str) else data
    return found


def matrix_paths(html: str | Path) -> tuple[Path, Path]:
    """Where a page's matrix goes: ``briefing.html`` -> ``briefing.matrix.csv`` and
    ``briefing.matrix.xlsx`` (an edition with its own page name keeps its own files).

    >>> [p.name for p in matrix_paths("out/2024-25/Dudley/briefing.html")]
    ['briefing.matrix.csv', 'briefing.matrix.xlsx']
    """
    html = Path(html)
    return html.with_suffix(".matrix.csv"), html.with_suffix(".matrix.xlsx")


def matrix_csv(record: Mapping[str, Any]) -> bytes:
    """The matrix as CSV: a header row, then one row per indicator; UTF-8 with a byte-order
    mark, so that Excel shows the status symbols (★ ▲ ↑) as they are; text that a
    spreadsheet would run as a formula (a plan's priority "=...") is written as text
    (:func:`perf.fileio.csv_bytes`).

    >>> matrix_csv({"columns": ["Indicator", "Latest (number)"],
    ...             "rows": [["LAC rate", 81.0], ["NEET", None]]}).decode("utf-8-sig")
    'Indicator,Latest (number)\\r\\nLAC rate,81.0\\r\\nNEET,\\r\\n'
    """
    return csv_bytes([record["columns"], *record["rows"]], bom=True)


_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _reproducible(xlsx: bytes, when: datetime) -> bytes:
    """The workbook with every zip entry and the document's created/modified times set to
    ``when`` (openpyxl stamps the time of saving), so a render gives the same bytes."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source, out = zipfile.ZipFile(io.BytesIO(xlsx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(lambda m: m.group(1) + stamp + m.group(2), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, data)
    return out.getvalue()


def matrix_xlsx(record: Mapping[str, Any], when: datetime | None = None) -> bytes:
    """The matrix as an Excel workbook: the sheet "Performance matrix" with a bold header
    row, frozen with the indicator columns, columns sized to their text, the figures of
    ``number_columns`` as numbers; and a sheet "About" saying what it is."""
    # Lazy: openpyxl (~0.3 s) only once a successful briefing has a matrix to write.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    when = when or run_time()
    columns, numeric = list(record["columns"]), set(record.get("number_columns", ()))
    book = Workbook()
    sheet = book.active
    sheet.title = "Performance matrix"
    # every cell a value, never a formula (perf.fileio.write_cell)
    for c, name in enumerate(columns, start=1):
        write_cell(sheet.cell(1, c), name)
    for r, row in enumerate(record["rows"], start=2):
        for c, (name, cell) in enumerate(zip(columns, row), start=1):
            write_cell(sheet.cell(r, c), cell if (name in numeric or cell is None) else str(cell))
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")  # one of each
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = wrap
    for number, name in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        longest = max(
            [len(str(name)) // 2 + 1] + [len(str(row[number - 1] or "")) for row in record["rows"]]
        )
        sheet.column_dimensions[letter].width = max(10, min(longest + 2, 50))
        for cell in sheet[letter][1:]:
            cell.alignment = wrap
    sheet.freeze_panes = "D2" if "Indicator" in columns[:3] else "A2"
    about = book.create_sheet("About")
    for r, line in enumerate(
        (
            ("Performance matrix", record.get("caption", "")),
            ("Area", record.get("area", "")),
            ("Period", record.get("briefing", "")),
            ("Statistical neighbours", record.get("neighbour_set", "")),
            (
                "Edition",
                "public: counts of 1 to 5 children, and figures that would reveal "
                "them, are shown as [c]"
                if record.get("public", True)
                else "internal: not for publication",
            ),
            ("Made by", "perf, from the same figures as the briefing's HTML page"),
        ),
        start=1,
    ):
        for c, text in enumerate(line, start=1):
            write_cell(about.cell(r, c), text)
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 24, 100
    book.properties.creator = "perf"
    book.properties.title = str(record.get("caption", "Performance matrix"))
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), when)


def write_matrix(result) -> list[Path]:
    """After a successful run, write the performance matrix the notebook reported
    (:data:`perf.config.MATRIX_MIMETYPE`) beside its HTML as CSV and XLSX (atomically);
    returns the paths written (none for a failed run or a notebook without a matrix)."""
    record = _reported(result, MATRIX_MIMETYPE)
    if record is None:
        return []
    csv_path, xlsx_path = matrix_paths(result.html)
    atomic_write(csv_path, matrix_csv(record))
    atomic_write(xlsx_path, matrix_xlsx(record))
    return [csv_path, xlsx_path]


def warm_freeze() -> None:
    """Load what freezing a briefing needs (openpyxl for its matrix workbook), so a cold
    ``perf render`` pays for it while the kernel boots, not after the notebook has run."""
    # Lazy, as in matrix_xlsx: only a render that will write a matrix loads openpyxl.
    import openpyxl.styles  # noqa: F401


def run_and_freeze(
    renderer,
    notebook: str | Path,
    params: Mapping[str, Any],
    out: str | Path | None = None,
    formats=("html",),
):
    """:meth:`perf.render.runner.Renderer.run` for validated ``params`` (and the output
    ``formats``), comparing with the last briefing's frozen record (:func:`with_previous`)
    and freezing this one's figures after success (:func:`freeze_shown`)."""
    result = renderer.run(notebook, with_previous(notebook, params, out), out=out, formats=formats)
    freeze_after(result)
    return result


def freeze_after(result) -> None:
    """After a run: freeze its shown figures and write its matrix (each failing alone)."""
    try:
        freeze_shown(result)
    except (PerfError, OSError, ValueError, KeyError) as exc:
        # The HTML is out; without its record the next briefing cannot mark revisions.
        config.get_logger().warning("could not freeze the figures of %s: %s", result.html, exc)
    try:
        write_matrix(result)
    except (PerfError, OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        # The HTML (which holds the same table) is out; the CSV and XLSX copies are not.
        config.get_logger().warning("could not write the matrix of %s: %s", result.html, exc)
