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


def fill_in(path: Path) -> None:
    """What the service leads do in Excel."""
    book = openpyxl.load_workbook(path)
    ws = book["Indicators"]
    col = {c.value: c.column for c in ws[1]}
    figures = {
        "dudley_lac_rate": (83.4, None, "Admissions rose in October."),
        "dudley_care_leavers_eet": (41.0, "▲", None),
        "dudley_cp_plan_rate": (38.2, None, None),
        "dudley_adoption_match_days": (201.0, "●", None),
        "dudley_initial_assessments_10d": (77.7, "◐", None),
    }
    for r in range(2, ws.max_row + 1):
        value, status, comment = figures[ws.cell(r, col["Indicator id"]).value]
        ws.cell(r, col["Value"]).value = value
        ws.cell(r, col["Council status"]).value = status
        ws.cell(r, col["Commentary"]).value = comment
    ws.cell(2, col["Target"]).value = 80
    wa = book["Key activities"]
    for r in range(2, wa.max_row + 1):
        wa.cell(r, 7).value = "✓"
        wa.cell(r, 8).value = f"Progress note for {wa.cell(r, 1).value} in 2025-26 Q3."
    book.save(path)


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
            fill_in(tmp_path / "returns" / "dudley_2025-26_q3.xlsx")
    check = done[1].stdout
    # care leavers: off target, no comment
    assert "0 errors, 1 warning in 5 observations" in done[1].stderr
    assert (
        "WARNING dudley_2025-26_q3.xlsx, sheet 'Indicators', row 3, column 'Commentary': "
        "the indicator is off target" in check
    )
    assert "ready to copy into" in done[1].stderr
    assert " 0 errors," in done[3].stderr and "ERROR" not in done[3].stdout
    page = html.unescape(Path(done[4].stdout.split(" (")[0]).read_text(encoding="utf-8"))
    assert "2025-26 Q3" in page
    for shown in ("83.4", "41%", "201", "77.7%", "Admissions rose in October."):
        assert shown in page, shown
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "▲ Below target tolerance (council)" in text  # the council's own ▲, as given
    assert "Progress note for YP1a in 2025-26 Q3." in page
    assert (
        "Care leavers in employment, education and training is below target tolerance but the "
        "council's return gives no commentary" in page
    )  # the data notes
