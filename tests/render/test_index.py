"""perf.render.index: outputs/index.html, every run by period and area with its status,
built from the run records beside each output."""

from __future__ import annotations

import json
import re
from pathlib import Path

from perf.render.index import write_index


def _run(
    root: Path,
    period: str,
    area: str,
    notebook: str = "briefing",
    *,
    status: str = "ok",
    html: bool = True,
    log: bool = True,
    finished: str = "2025-06-15T15:06:40+00:00",
) -> None:
    folder = root / period / area
    folder.mkdir(parents=True, exist_ok=True)
    record = {
        "notebook": notebook,
        "area": area.replace("_", " "),
        "period": period.replace("_", " "),
        "status": status,
        "finished": finished,
    }
    (folder / f"{notebook}.run.json").write_text(json.dumps(record), encoding="utf-8")
    if html:
        (folder / f"{notebook}.html").write_text("<p>x</p>", encoding="utf-8")
    if log:
        (folder / f"{notebook}.log").write_text("status: ok\n", encoding="utf-8")


def test_index_lists_the_briefing_with_its_status(briefing_run):
    out, _ = briefing_run
    index = (out / "index.html").read_text()
    assert '<html lang="en-GB">' in index and "2024-25" in index
    assert 'href="2024-25/Dudley/briefing.html"' in index and "Up to date" in index


def test_periods_newest_first_areas_alphabetical(tmp_path):
    _run(tmp_path, "2012-13_Q1", "Leeds")
    _run(tmp_path, "2024-25", "Sandwell")
    _run(tmp_path, "2024-25", "Dudley")
    _run(tmp_path, "2012-13_Q2", "Dudley", "trends")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="period-\d">(.*?)</h2>', page) == [
        "2024-25",
        "2012-13 Q2",
        "2012-13 Q1",
    ]
    latest = page.split('<h2 id="period-1">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<th scope="row">(.*?)</th>', latest) == ["Dudley", "Sandwell"]
    assert "<p>4 reports in 3 periods.</p>" in page
    assert '<a href="2012-13_Q2/Dudley/trends.html">trends</a>' in page


def test_a_failed_run_says_whether_the_last_good_version_is_still_there(tmp_path):
    _run(tmp_path, "2024-25", "Dudley", status="failed")
    _run(tmp_path, "2024-25", "Leeds", status="failed", html=False, log=False)
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "<p>2 reports in 1 period; 2 failed at the last attempt.</p>" in page
    dudley, leeds = page.split('<th scope="row">')[1:3]
    assert "✗ Failed</span> (the last good version is still shown)" in dudley
    assert '<a href="2024-25/Dudley/briefing.log">log</a>' in dudley
    assert "✗ Failed</span></td>" in leeds and "<td>briefing</td>" in leeds  # no link, no log


def test_a_folder_that_is_not_a_period_sorts_last_and_bad_records_are_skipped(tmp_path):
    _run(tmp_path, "drafts", "Dudley")
    _run(tmp_path, "2024-25", "Dudley")
    (tmp_path / "2024-25" / "Leeds").mkdir()
    (tmp_path / "2024-25" / "Leeds" / "briefing.run.json").write_text("{half", encoding="utf-8")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="period-\d">(.*?)</h2>', page) == ["2024-25", "drafts"]
    assert "Leeds" not in page


def test_an_empty_outputs_folder(tmp_path):
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "<p>No reports have been rendered yet.</p>" in page
    assert "<p>0 reports in 0 periods.</p>" in page


def test_the_run_time_shown_is_the_records_to_the_minute(tmp_path):
    _run(tmp_path, "2024-25", "Dudley", finished="2025-06-15T15:06:40+00:00")
    assert "<td>2025-06-15 15:06</td>" in write_index(tmp_path).read_text(encoding="utf-8")


def test_names_are_escaped(tmp_path):
    _run(tmp_path, "2024-25", "Bath_&_<NE>_Somerset")
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "Bath &amp; &lt;NE&gt; Somerset" in page and "<NE>" not in page
