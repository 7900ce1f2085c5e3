"""perf.render.runner: one warm kernel, run after run: isolation, failures, atomic writes,
reproducible executed notebooks. The kernel is the session's shared ``renderer``; the
failure, isolation and atomicity cases use the tiny fixture notebook (a fraction of a second
each)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import perf.fileio
import perf.report
from perf import config
from perf.render.registry import coerce_parameters
from perf.render.runner import RunResult, _describe, _publishable

from .conftest import TINY

# --- the rendered briefing ------------------------------------------------------------------


def test_outputs_land_in_period_area_with_executed_notebook_and_log(briefing_run):
    out, result = briefing_run
    folder = out / "2024-25" / "Dudley"
    assert Path(result.html) == folder / "briefing.html"
    executed = json.loads((folder / "briefing.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"]["area"] == "Dudley"
    first_line = (folder / "briefing.log").read_text().splitlines()[0]
    assert first_line.startswith("parameters: ") and '"area": "Dudley"' in first_line
    assert not list(folder.glob(".*.tmp")), "temporary files left behind"


def test_the_executed_notebook_carries_no_timings_and_counts_from_one(briefing_run):
    _, result = briefing_run
    nb = json.loads(Path(result.executed_notebook).read_text())
    meta = nb["metadata"]["papermill"]
    assert not {"start_time", "end_time", "duration"} & set(meta)
    assert meta["input_path"] == "notebooks/briefing.ipynb" and meta["output_path"] is None
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1))
    assert all("execution" not in c["metadata"] for c in nb["cells"])
    assert "injected-parameters" in [c["id"] for c in nb["cells"]]


def test_the_status_record_and_log_describe_the_run(briefing_run):
    _, result = briefing_run
    status = json.loads(Path(result.html).with_suffix(".run.json").read_text())
    assert status["status"] == "ok" and status["area"] == "Dudley"
    assert status["finished"] == "2025-06-15T15:06:40+00:00"
    assert set(status["timings"]) == {"execute_s", "export_s", "write_s"}
    log = Path(result.log).read_text().splitlines()
    assert log[-2:] == ["status: ok", f"duration: {result.duration_s} s"]
    assert "notebook: briefing (notebooks/briefing.ipynb)" in log


# --- warm kernel: isolation, failures, atomic writes ------------------------------------


def test_a_run_never_sees_the_previous_runs_variables(renderer, tmp_path):
    for area in ("Dudley", "Leeds"):
        result = renderer.run(TINY, coerce_parameters(TINY, {"area": area}), out=tmp_path)
        assert result.status == "ok", result.error  # the first cell asserts a clean namespace


def test_failed_run_keeps_marked_notebook_and_previous_html(renderer, tmp_path):
    good = renderer.run(TINY, coerce_parameters(TINY, {"repeats": 3}), out=tmp_path)
    assert good.status == "ok"
    before = Path(good.html).read_bytes()
    bad = renderer.run(TINY, coerce_parameters(TINY, {"fail_area": "Dudley"}), out=tmp_path)
    assert bad.status == "failed" and "deliberate failure for Dudley" in bad.error
    assert Path(good.html).read_bytes() == before
    failed = json.loads(Path(bad.executed_notebook).read_text())
    assert Path(bad.executed_notebook).name == "tiny.failed.ipynb"
    tags = [t for c in failed["cells"] for t in c["metadata"].get("tags", [])]
    assert "papermill-error-cell-tag" in tags  # papermill's banner pointing at the failing cell
    status = json.loads(Path(good.html).with_suffix(".run.json").read_text())
    assert status["status"] == "failed" and status["last_ok"]["status"] == "ok"
    # the next good run clears the failed notebook
    assert renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path).status == "ok"
    assert not Path(bad.executed_notebook).exists()


def test_a_failure_names_the_error_and_its_cell(renderer, tmp_path):
    bad = renderer.run(TINY, coerce_parameters(TINY, {"fail_area": "Dudley"}), out=tmp_path)
    assert bad.error.startswith("RuntimeError: deliberate failure for Dudley (in cell ")
    assert bad.html is None  # there was never a good page here
    log = Path(bad.log).read_text()
    assert "error: RuntimeError: deliberate failure for Dudley" in log
    assert log.rstrip().endswith("status: failed\nduration: " + str(bad.duration_s) + " s")


def test_exception_while_writing_leaves_previous_html_intact(renderer, tmp_path, monkeypatch):
    good = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path)
    before = Path(good.html).read_bytes()
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith(".html"):
            raise OSError("disk full (simulated)")
        return real_replace(src, dst)

    monkeypatch.setattr(perf.fileio.os, "replace", failing_replace)
    bad = renderer.run(TINY, coerce_parameters(TINY, {"repeats": 7}), out=tmp_path)
    monkeypatch.undo()
    assert bad.status == "failed" and "disk full" in bad.error
    assert Path(good.html).read_bytes() == before
    assert not list(Path(good.html).parent.glob(".*.tmp"))


def test_killed_render_leaves_previous_html_intact(renderer, tmp_path):
    good = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path)
    before = Path(good.html).read_bytes()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "perf",
            "render",
            str(TINY),
            "--out",
            str(tmp_path),
            "-p",
            "sleep=60",
            "-p",
            "repeats=9",
        ],
        cwd=config.PROJ_ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)  # well into the 60 s sleep in the middle of the notebook
        assert proc.poll() is None, "the render finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert Path(good.html).read_bytes() == before
    assert not list(Path(good.html).parent.glob(".*.tmp"))


# --- a failed public run keeps no small count beside it (issue 27 item 4) -----------------

#: The Dudley 2012-13 Q1 commentary that small_counts_in_text="stop" stops on (seed data).
SENTENCE = "3 out of the 6"


def _kept_beside(result) -> dict[str, str]:
    """What a failed run leaves in the public folder, which the index links: its log, its
    status record and its executed notebook with the failing cell marked."""
    return {
        "log": Path(result.log).read_text(encoding="utf-8"),
        "run.json": Path(result.log).with_suffix(".run.json").read_text(encoding="utf-8"),
        "failed notebook": Path(result.executed_notebook).read_text(encoding="utf-8"),
    }


def test_a_stopped_public_briefing_names_the_field_and_row_not_the_sentence(renderer, tmp_path):
    """main wrote the sentence it stopped on ("3 out of the 6 care leavers ...") into all
    three files."""
    from perf.render.index import write_index
    from perf.render.registry import validate_parameters

    params = {"area": "Dudley", "period": "2012-13 Q1", "small_counts_in_text": "stop"}
    result = renderer.run("briefing", validate_parameters("briefing", params), out=tmp_path)
    assert result.status == "failed" and "DisclosureError" in result.error
    kept = _kept_beside(result)
    for name, text in kept.items():
        assert SENTENCE not in text and "care leavers were" not in text, name
        assert (
            "commentary (indicator dudley_care_leavers_eet, area_code E08000027, period "
            "2012-13 Q1) names a count of 1 to 5 people"
        ) in text, name
        assert "column 'text'" in text, name
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert 'href="2012-13_Q1/Dudley/briefing.log">log</a>' in index


def test_any_small_count_in_a_failed_public_run_s_error_is_shown_as_c(renderer, tmp_path):
    """Whatever raised, with whatever words: the log, the record and the failed notebook of
    a public run show a count of 1 to 5 people as [c] (here a value an error quotes)."""
    import nbformat

    source = nbformat.read(TINY, as_version=4)
    source.cells.append(
        nbformat.v4.new_code_cell(
            "from perf.errors import BadValueError\n"
            "raise BadValueError('commentary is not plain text', file='return.xlsx', row=7, "
            "value='%s children and %d young people moved' % ('two', 4))"
        )
    )
    notebook = tmp_path / "raises.ipynb"
    nbformat.write(source, notebook)
    result = renderer.run(notebook, coerce_parameters(notebook, {}), out=tmp_path)
    assert result.status == "failed" and "BadValueError" in result.error
    for name, text in _kept_beside(result).items():
        assert "4 young people" not in text and "two children" not in text, name
        assert "[c] children and [c] young people moved" in text, name
        assert "return.xlsx, row 7" in text, name


def test_an_internal_run_s_error_is_kept_as_it_is():
    text = "commentary: 3 out of the 6 care leavers"
    assert _publishable(text, public=False) == text
    assert _publishable(text, public=True) == "commentary: [c] out of the [c] care leavers"


# --- pieces ---------------------------------------------------------------------------------


def test_run_result_names_its_area_and_period():
    result = RunResult(
        "tiny", {"area": "Leeds", "period": "2024-25"}, "ok", 1.5, "a.html", "a.ipynb", "a.log"
    )
    assert (result.area, result.period) == ("Leeds", "2024-25")
    record = result.to_dict()
    assert record["area"] == "Leeds" and record["status"] == "ok" and record["error"] is None
    assert json.loads(json.dumps(record)) == record


def test_describe_a_failure():
    class CellError(Exception):
        ename, evalue, exec_count = "KeyError", "'x'", 4

    assert _describe(CellError()) == "KeyError: 'x' (in cell 4)"
    assert _describe(OSError("disk full")) == "OSError: disk full"
