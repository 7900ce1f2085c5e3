"""perf.render.freeze: find the last briefing's frozen record before a run; freeze this one's
shown figures after it succeeds (never for a failed run)."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd

from perf import config
from perf.config import SHOWN_MIMETYPE
from perf.render.freeze import (
    freeze_after,
    freeze_shown,
    previous_record,
    run_and_freeze,
    with_previous,
)
from perf.render.runner import RunResult
from perf.revisions import freeze, load_frozen

from .conftest import TINY


def _record(out: Path, period: str, area: str = "Dudley", *, public: bool = True) -> Path:
    frame = pd.DataFrame(
        {"indicator": ["cla_rate"], "area_code": ["E08000027"], "period": [period], "value": [70.0]}
    )
    path = out / period.replace(" ", "_") / area / "briefing.frozen.csv"
    return freeze(frame, path, briefing=period, public=public)


def _result(tmp_path: Path, status: str = "ok", shown: dict | None = None) -> RunResult:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("b.appendix()")])
    if shown is not None:
        nb.cells[0].outputs = [
            nbformat.from_dict(
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/html": "<p>a</p>", SHOWN_MIMETYPE: shown},
                }
            )
        ]
    executed = tmp_path / "briefing.ipynb"
    executed.write_text(nbformat.writes(nb), encoding="utf-8")
    html = tmp_path / "briefing.html"
    html.write_text("<p>a</p>", encoding="utf-8")
    return RunResult("briefing", {}, status, 1.0, str(html), str(executed), "x.log")


SHOWN = {
    "briefing": "2024-25",
    "public": True,
    "columns": ["indicator", "area_code", "area_name", "period", "value", "flag", "status"],
    "rows": [
        ["cla_rate", "E08000027", "Dudley", "31 March 2025", 71.0, None, "improving"],
        ["cla_rate", "E92000001", "England", "31 March 2025", None, "x", None],
    ],
}


def test_the_previous_record_is_the_latest_earlier_period_of_the_same_area(tmp_path):
    _record(tmp_path, "2012-13 Q1")
    q2 = _record(tmp_path, "2012-13 Q2")
    _record(tmp_path, "2012-13 Q3")  # later: not a previous briefing
    _record(tmp_path, "2012-13 Q1", area="Leeds")
    (tmp_path / "drafts" / "Dudley").mkdir(parents=True)
    (tmp_path / "drafts" / "Dudley" / "briefing.frozen.csv").write_text("x")
    params = {"area": "Dudley", "period": "2012-13 Q3"}
    assert previous_record(tmp_path, "briefing", params) == q2
    assert previous_record(tmp_path, "briefing", {"area": "Dudley", "period": "2012-13 Q1"}) is None


def test_a_public_briefing_never_compares_with_an_internal_record(tmp_path):
    public = _record(tmp_path, "2012-13 Q1")
    internal = _record(tmp_path, "2012-13 Q2", public=False)
    params = {"area": "Dudley", "period": "2012-13 Q3"}
    assert previous_record(tmp_path, "briefing", params) == public
    assert previous_record(tmp_path, "briefing", params | {"public": False}) == internal


def test_no_area_or_period_no_previous_record(tmp_path):
    _record(tmp_path, "2012-13 Q1")
    assert previous_record(tmp_path, "briefing", {"area": "", "period": "2012-13 Q2"}) is None
    assert previous_record(tmp_path, "briefing", {"area": "Dudley"}) is None


def test_with_previous_fills_a_blank_previous_parameter_only(tmp_path):
    q1 = _record(tmp_path, "2012-13 Q1")
    params = {"area": "Dudley", "period": "2012-13 Q2", "previous": ""}
    assert with_previous("briefing", params, tmp_path)["previous"] == str(q1.resolve())
    assert params["previous"] == ""  # the caller's parameters are not changed
    given = params | {"previous": "mine.frozen.csv"}
    assert with_previous("briefing", given, tmp_path)["previous"] == "mine.frozen.csv"
    assert "previous" not in with_previous(
        TINY, {"area": "Dudley", "period": "2012-13 Q2"}, tmp_path
    )


def test_with_previous_inside_the_project_is_relative_to_it(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "PROJ_ROOT", tmp_path)
    _record(tmp_path / "outputs", "2012-13 Q1")
    found = with_previous(
        "briefing", {"area": "Dudley", "period": "2012-13 Q2", "previous": ""}, tmp_path / "outputs"
    )
    assert found["previous"] == "outputs/2012-13_Q1/Dudley/briefing.frozen.csv"


def test_freeze_shown_writes_the_figures_the_notebook_reported_beside_the_html(tmp_path):
    path = freeze_shown(_result(tmp_path, shown=SHOWN))
    assert path == tmp_path / "briefing.frozen.csv"
    record = load_frozen(path)
    assert record["value"].tolist()[0] == 71.0 and pd.isna(record["value"].tolist()[1])
    assert record["flag"].tolist()[1] == "x"
    assert set(record["briefing"]) == {"2024-25"} and set(record["mode"]) == {"public"}


def test_freeze_shown_reads_a_record_kept_as_json_text(tmp_path):
    path = freeze_shown(_result(tmp_path, shown=json.dumps(SHOWN | {"public": False})))
    assert set(load_frozen(path)["mode"]) == {"internal"}


def test_nothing_is_frozen_for_a_failed_run_or_a_notebook_that_reported_nothing(tmp_path):
    assert freeze_shown(_result(tmp_path, status="failed", shown=SHOWN)) is None
    assert freeze_shown(_result(tmp_path)) is None
    assert not (tmp_path / "briefing.frozen.csv").exists()


def test_freeze_after_logs_a_failure_instead_of_failing_the_render(tmp_path, caplog):
    bad = SHOWN | {"rows": [SHOWN["rows"][0], SHOWN["rows"][0]]}  # one figure twice
    with caplog.at_level(logging.WARNING, logger="perf"):
        freeze_after(_result(tmp_path, shown=bad))
    assert "could not freeze the figures of" in caplog.text
    assert not (tmp_path / "briefing.frozen.csv").exists()


def test_run_and_freeze_compares_with_the_previous_record_then_freezes(tmp_path):
    q1 = _record(tmp_path, "2012-13 Q1")
    run_dir = tmp_path / "2012-13_Q2" / "Dudley"
    run_dir.mkdir(parents=True)
    seen = {}

    class Renderer:
        def run(self, notebook, params, out=None, formats=("html",)):
            seen.update(params=params, out=out)
            return _result(run_dir, shown=SHOWN)

    result = run_and_freeze(
        Renderer(),
        "briefing",
        {"area": "Dudley", "period": "2012-13 Q2", "previous": ""},
        out=tmp_path,
    )
    assert seen["params"]["previous"] == str(q1.resolve()) and seen["out"] == tmp_path
    assert Path(result.html).parent == run_dir
    assert load_frozen(run_dir / "briefing.frozen.csv")["value"].iloc[0] == 71.0


def test_warm_freeze_loads_the_workbook_writer_ahead_of_the_run():
    code = (
        "import sys; from perf.render.freeze import warm_freeze; "
        "before = 'openpyxl' in sys.modules; warm_freeze(); "
        "print(before, 'openpyxl.styles' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
