"""Returns as councils really send them, through the whole path (`perf batch` in a fresh
process on a copy of the project's data; issue 27 items 1 and 7):

* a return saved by a browser as ``dudley_2025-26_q1 (1).xlsx``, and another placed in
  ``data/local/returns/``, are the council's own figures like any other: the public HTML
  and the matrix CSV show its small counts as [c] (on main both printed care leavers "60%"
  with "23% to 88%", 3 of 5 young people, and the council's own figures as [x]);
* a return whose XML declares no namespace for a prefix (Leeds's) stops Leeds's briefing
  with an error naming the file and the part, while Sandwell renders and the manifest is
  written (on main: an lxml traceback from the batch, and no manifest).
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from workbooks import DUDLEY_FIGURES, fill_book, save, undeclared_prefix  # tests/workbooks.py

from perf import config
from perf.collection import build_template

Q2_FIGURES = {
    **DUDLEY_FIGURES,
    "cla_rate": (84.0, None, None),
    "care_leavers_eet_19_21": (50.0, 2.0, 4.0),  # 2 of 4
    "sw_caseload": (19.0, 38.0, 2.0),
}


def _text(page: str) -> str:
    page = re.sub(r"<style.*?</style>|data:image/png;base64,[A-Za-z0-9+/=]+", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _matrix(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return {row["Indicator id"]: row for row in csv.DictReader(handle)}


def _batch(tmp_path: Path, data: Path, schedule: str) -> dict[tuple[str, str], dict[str, str]]:
    """``perf batch`` of ``schedule`` on ``data`` in a fresh process: the manifest's runs."""
    path = tmp_path / "schedule.yaml"
    path.write_text(schedule, encoding="utf-8")
    env = dict(
        os.environ,
        PERF_DATA_DIR=str(data),
        PERF_OUTPUTS_DIR=str(tmp_path / "out"),
        PERF_CACHE_DIR=str(tmp_path / "cache"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "perf", "batch", str(path), "--workers", "1", "--no-progress"],
        cwd=config.PROJ_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    manifest = tmp_path / "out" / "manifest.csv"
    assert manifest.is_file(), done.stderr[-3000:]
    with open(manifest, newline="", encoding="utf-8") as handle:
        return {(r["area"], r["period"]): r for r in csv.DictReader(handle)}


def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    return data


def test_returns_named_and_filed_anyhow_are_the_councils_own_and_protected(tmp_path):
    data = _data(tmp_path)
    local = data / "local"
    # both workbooks are made before either is filed (a filing would make the next
    # template read the whole data directory again)
    q1 = fill_book(build_template("Dudley", "2025-26 Q1", data_dir=data))
    q2 = fill_book(build_template("Dudley", "2025-26 Q2", data_dir=data), Q2_FIGURES)
    save(q1, local / "dudley_2025-26_q1 (1).xlsx")  # as a browser saves a second download
    save(q2, local / "returns" / "dudley_2025-26_q2.xlsx")  # in a folder of its own
    runs = _batch(
        tmp_path,
        data,
        'notebooks: [briefing]\nperiods: ["2025-26 Q1", "2025-26 Q2"]\nareas: [Dudley]\n',
    )
    out = tmp_path / "out"
    for period, shown, hidden in (
        # cla_rate (83.4 and 84.0 returned) is shown to the catalogue's whole number
        ("2025-26 Q1", "83", ("23% to 88%", "2025-26 Q1: 60%")),
        ("2025-26 Q2", "84", ("15% to 85%", "2025-26 Q2: 50%", "2025-26 Q1: 60%")),
    ):
        assert runs["Dudley", period]["status"] == "ok", runs["Dudley", period]["error"]
        html_path = out / runs["Dudley", period]["html"]
        page = _text(html_path.read_text(encoding="utf-8"))
        csv_text = html_path.with_suffix(".matrix.csv").read_text(encoding="utf-8")
        matrix = _matrix(html_path.with_suffix(".matrix.csv"))
        # the council's own figures are recognised as its own (not [x]) ...
        assert matrix["cla_rate"]["Latest"] == shown
        assert shown in page
        # ... and its small counts are withheld, in the page and in the matrix file
        for text in hidden:
            assert text not in page, (period, text)
            assert text not in csv_text, (period, text)
        for indicator in ("care_leavers_eet_19_21", "sw_caseload"):
            row = matrix[indicator]
            assert row["Latest"] == "[c]", (period, indicator, row["Latest"])
            assert row["Latest (number)"] == "", (period, indicator)
            assert row["Confidence interval, lower (number)"] == "", (period, indicator)


def test_a_return_whose_xml_is_broken_stops_its_own_council_only(tmp_path):
    data = _data(tmp_path)
    leeds = save(
        fill_book(build_template("Leeds", "2024-25", data_dir=data), {}),
        data / "local" / "returns" / "leeds_2024-25.xlsx",
    )
    undeclared_prefix(leeds)
    runs = _batch(
        tmp_path,
        data,
        'notebooks: [briefing]\nperiods: ["2024-25"]\nareas: [Sandwell, Leeds]\n',
    )
    assert runs["Sandwell", "2024-25"]["status"] == "ok", runs["Sandwell", "2024-25"]["error"]
    assert (tmp_path / "out" / runs["Sandwell", "2024-25"]["html"]).is_file()
    failed = runs["Leeds", "2024-25"]
    assert failed["status"] == "failed"
    assert (
        "leeds_2024-25.xlsx: Leeds's own figures could not be read (the workbook could not be "
        "opened: its part xl/worksheets/sheet1.xml (the sheet 'Indicators') is not "
        "well-formed XML (unbound prefix: line 1, column"
    ) in failed["error"]
    assert "Other councils' briefings are not affected" in failed["error"]
