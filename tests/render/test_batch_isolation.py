"""A council's bad local data fails that council's briefing only (issue 14 item 8): the whole
path, ``perf batch`` in a fresh process on a copy of the project's data with one bad row in
a Dudley file."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

from perf import config


def test_a_bad_row_in_dudleys_file_fails_dudley_only(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    (data / "local" / "dudley_late_return.csv").write_text(
        "indicator,area_code,period,value\n"
        "dudley_lac_rate,E08000027,2012-13 Q2,96.4\n"
        "dudley_lac_rate,Dudley,2012-13 Q3,ninety\n",
        encoding="utf-8",
    )
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(
        'notebooks: [briefing]\nperiods: ["2024-25"]\nareas: [Dudley, Leeds]\n', encoding="utf-8"
    )
    env = dict(
        os.environ,
        PERF_DATA_DIR=str(data),
        PERF_OUTPUTS_DIR=str(tmp_path / "out"),
        PERF_CACHE_DIR=str(tmp_path / "cache"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "perf", "batch", str(schedule), "--workers", "2", "--no-progress"],
        cwd=config.PROJ_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr[-3000:]  # a failed render fails the batch
    with open(tmp_path / "out" / "manifest.csv", newline="", encoding="utf-8") as handle:
        rows = {row["area"]: row for row in csv.DictReader(handle)}
    assert rows["Leeds"]["status"] == "ok", rows["Leeds"]["error"]
    assert (tmp_path / "out" / rows["Leeds"]["html"]).is_file()
    dudley = rows["Dudley"]
    assert dudley["status"] == "failed"
    assert (
        "dudley_late_return.csv, row 3, column 'value': Dudley's own figures could not be read"
    ) in dudley["error"]
    assert "Other councils' briefings are not affected" in dudley["error"]
