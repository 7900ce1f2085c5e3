"""README's "Each quarter" works as written: its five commands run on a copy of data/
(PERF_DATA_DIR), with the workbook filled in by program between the first two, and the
briefing they render shows the new quarter's figures, statuses and commentary."""

from __future__ import annotations

import html
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from perf import config

README = config.PROJ_ROOT / "README.md"


def readme_commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Each quarter", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_lists_five_commands():
    commands = readme_commands()
    assert len(commands) == 5
    assert [shlex.split(c)[1] for c in commands if c.startswith(".venv")] == [
        "template",
        "check",
        "check",
        "render",
    ]


#: The figures the service leads enter for 2025-26 Q3: Dudley has no plan of its own in
#: force (its 2012 plan ended in 2012-13), so the workbook collects the children's services
#: core set. Re-referrals get a target and the council's own ▲, and no commentary: off
#: target, unexplained.
FIGURES = {
    "ReReferral": (24.6, "▲", None, 20.0),
    "Continue_Assess_Comp": (81.5, None, "Assessments cleared the backlog in October.", None),
    "CP_conf_15days": (77.7, None, None, None),
}


def fill_in(path: Path) -> dict[str, int]:
    """What the service leads do in Excel; returns each filled indicator's row."""
    book = openpyxl.load_workbook(path)
    ws = book["Indicators"]
    col = {c.value: c.column for c in ws[1]}
    rows = {}
    for r in range(2, ws.max_row + 1):
        indicator = ws.cell(r, col["Indicator id"]).value
        if indicator not in FIGURES:
            continue
        value, status, comment, target = FIGURES[indicator]
        ws.cell(r, col["Value"]).value = value
        ws.cell(r, col["Council status"]).value = status
        ws.cell(r, col["Commentary"]).value = comment
        ws.cell(r, col["Target"]).value = target
        rows[indicator] = r
    book.save(path)
    return rows


def test_the_quarterly_cycle_runs_end_to_end(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    env = {
        **os.environ,
        "PERF_DATA_DIR": str(data),
        "PERF_OUTPUTS_DIR": str(tmp_path / "out"),
        "PERF_CACHE_DIR": str(tmp_path / "cache"),
    }
    done = []
    for line in readme_commands():
        argv = shlex.split(line.replace("data/local/", str(data / "local") + "/"))
        if argv[0] == ".venv/bin/perf":
            argv = [sys.executable, "-m", "perf", *argv[1:]]
        result = subprocess.run(
            argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        done.append(result)
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        if "template" in argv:
            rows = fill_in(tmp_path / "returns" / "dudley_2025-26_q3.xlsx")
    check = done[1].stdout
    assert set(rows) == set(FIGURES)  # the core set's indicators are in the workbook
    # re-referrals: off target, no comment
    assert "0 errors, 1 warning in 3 observations" in done[1].stderr
    assert (
        f"WARNING dudley_2025-26_q3.xlsx, sheet 'Indicators', row {rows['ReReferral']}, "
        "column 'Commentary': the indicator is off target" in check
    )
    assert "ready to copy into" in done[1].stderr
    assert " 0 errors," in done[3].stderr and "ERROR" not in done[3].stdout
    page = html.unescape(Path(done[4].stdout.split(" (")[0]).read_text(encoding="utf-8"))
    assert "2025-26 Q3" in page
    for shown in ("24.6%", "81.5%", "77.7%", "Assessments cleared the backlog in October."):
        assert shown in page, shown
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "▲ Below target tolerance (council)" in text  # the council's own ▲, as given
    assert (
        "Re-referrals to children's social care within 12 months of the previous referral (%) "
        "is below target tolerance but the council's return gives no commentary" in page
    )  # the data notes
