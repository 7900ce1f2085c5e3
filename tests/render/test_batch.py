"""perf.render.batch: a schedule of areas x periods x notebooks, validated before anything
runs, rendered by parallel warm-kernel workers, with a manifest and an index."""

from __future__ import annotations

import csv
import io
import json

import pytest

from perf import config
from perf.errors import ParameterError
from perf.render.batch import (
    Job,
    all_local_authorities,
    load_schedule,
    parse_schedule,
    progress_bar,
    run_batch,
    write_manifest,
)

from .conftest import TINY


def test_batch_completes_others_when_one_area_fails(tmp_path):
    jobs = parse_schedule(
        {
            "notebooks": [str(TINY)],
            "periods": ["2024-25"],
            "areas": ["Dudley", "Leeds", "Sandwell"],
            "parameters": {"fail_area": "Leeds"},
        }
    )
    results = run_batch(jobs, out=tmp_path, workers=2, progress=False)
    assert [r["status"] for r in results] == ["ok", "failed", "ok"]
    assert "deliberate failure for Leeds" in results[1]["error"]
    manifest = (tmp_path / "manifest.csv").read_text().splitlines()
    assert manifest[0].startswith("notebook,area,period,status,duration_s,html")
    assert any(line.startswith("tiny,Leeds,2024-25,failed,") for line in manifest)
    assert (tmp_path / "2024-25" / "Sandwell" / "tiny.html").exists()
    assert not (tmp_path / "2024-25" / "Leeds" / "tiny.html").exists()
    assert (tmp_path / "2024-25" / "Leeds" / "tiny.failed.ipynb").exists()
    index = (tmp_path / "index.html").read_text()
    assert "Failed" in index and 'href="2024-25/Sandwell/tiny.html"' in index


def test_schedule_is_validated_before_anything_runs():
    with pytest.raises(ParameterError, match="Dudly"):
        parse_schedule({"periods": ["2024-25"], "areas": ["Dudly"]})
    with pytest.raises(ParameterError, match="unknown schedule key"):
        parse_schedule({"periods": ["2024-25"], "areas": ["Dudley"], "area": "x"})


def test_latest_schedule_covers_every_current_local_authority():
    jobs = load_schedule(config.PROJ_ROOT / "schedules" / "latest.yaml", validate=False)
    names = {job.parameters["area"] for job in jobs}
    assert names == set(all_local_authorities()) and len(names) > 140
    assert {job.parameters["period"] for job in jobs} == {"2024-25"}


def test_a_schedule_is_every_notebook_by_period_by_area_with_canonical_parameters():
    jobs = parse_schedule(
        {
            "notebooks": ["briefing", "trends"],
            "periods": ["2024-25", "Q1 2012/13"],
            "areas": ["E08000027", 383],
            "description": "two of each",
        }
    )
    assert [(j.notebook, j.parameters["period"], j.parameters["area"]) for j in jobs] == [
        ("briefing", "2024-25", "Dudley"),
        ("briefing", "2024-25", "Leeds"),
        ("briefing", "2012-13 Q1", "Dudley"),
        ("briefing", "2012-13 Q1", "Leeds"),
        ("trends", "2024-25", "Dudley"),
        ("trends", "2024-25", "Leeds"),
        ("trends", "2012-13 Q1", "Dudley"),
        ("trends", "2012-13 Q1", "Leeds"),
    ]
    assert jobs[0].parameters["public"] is True  # each notebook's own defaults
    assert jobs[4].parameters["indicator"] == "cla_rate"


def test_schedule_parameters_go_to_every_run():
    jobs = parse_schedule(
        {
            "periods": ["2024-25"],
            "areas": ["Dudley", "Leeds"],
            "parameters": {"public": False, "committee": "Cabinet"},
        }
    )
    assert [(j.parameters["public"], j.parameters["committee"]) for j in jobs] == [
        (False, "Cabinet"),
        (False, "Cabinet"),
    ]


def test_a_parameter_no_notebook_declares_fails_the_schedule():
    with pytest.raises(ParameterError, match="unknown parameter 'publc'"):
        parse_schedule(
            {"periods": ["2024-25"], "areas": ["Dudley"], "parameters": {"publc": False}}
        )


def test_a_schedule_needs_periods_and_areas():
    with pytest.raises(ParameterError, match="the schedule has no 'periods'"):
        parse_schedule({"areas": ["Dudley"]})
    with pytest.raises(ParameterError, match="the schedule has no 'areas'"):
        parse_schedule({"periods": ["2024-25"]})


def test_a_single_value_is_a_list_of_one():
    jobs = parse_schedule({"notebooks": "briefing", "periods": "2024-25", "areas": "Dudley"})
    assert [(j.notebook, j.parameters["area"]) for j in jobs] == [("briefing", "Dudley")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("periods: [2024-25\n", "not valid YAML"),
        ("- Dudley\n", "must be a mapping of keys"),
        ("periods: ['2024-25']\nareas: [Dudly]\n", "Dudly"),
    ],
)
def test_a_bad_schedule_file_names_itself(tmp_path, text, message):
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=message) as raised:
        load_schedule(path)
    assert raised.value.file == str(path)


def test_a_missing_schedule_file(tmp_path):
    with pytest.raises(ParameterError, match="cannot read the schedule"):
        load_schedule(tmp_path / "none.yaml")


def test_all_local_authorities_are_the_current_ones_by_name():
    names = all_local_authorities()
    assert names == sorted(names) and "Dudley" in names
    assert "England" not in names and "West Midlands" not in names


def test_manifest_rows_name_outputs_relative_to_the_outputs_root(tmp_path):
    results = [
        {
            "notebook": "tiny",
            "area": "Leeds",
            "period": "2024-25",
            "status": "failed",
            "duration_s": 1.25,
            "html": None,
            "log": str(tmp_path / "2024-25/Leeds/tiny.log"),
            "executed_notebook": str(tmp_path / "2024-25/Leeds/tiny.failed.ipynb"),
            "error": "RuntimeError: x",
            "parameters": {"area": "Leeds", "period": "2024-25"},
        },
        {
            "notebook": "tiny",
            "area": "Dudley",
            "period": "2024-25",
            "status": "ok",
            "duration_s": 0.5,
            "html": "/elsewhere/tiny.html",
            "executed_notebook": None,
            "log": None,
            "error": None,
            "parameters": {},
        },
    ]
    path = write_manifest(results, tmp_path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert rows[0]["log"] == "2024-25/Leeds/tiny.log"
    assert rows[0]["executed_notebook"] == "2024-25/Leeds/tiny.failed.ipynb"
    assert rows[0]["parameters"] == '{"area": "Leeds", "period": "2024-25"}'
    assert rows[1]["html"] == "/elsewhere/tiny.html"  # outside the root: kept as it is
    assert json.loads((tmp_path / "manifest.json").read_text())[0]["status"] == "failed"


def test_an_internal_edition_s_runs_are_listed_in_internal_manifest_only(tmp_path):
    """The shareable folder's manifest names no internal edition (issue 27 item 4)."""

    def row(area: str, public: bool) -> dict:
        folder = tmp_path / ("" if public else "internal") / "2024-25" / area
        return {
            "notebook": "briefing",
            "area": area,
            "period": "2024-25",
            "status": "ok",
            "html": str(folder / "briefing.html"),
            "pdf": str(folder / "x.pdf"),
            "parameters": {"area": area, "public": public},
        }

    path = write_manifest([row("Dudley", True), row("Leeds", False)], tmp_path)
    assert path == tmp_path / "manifest.csv"
    published = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [(r["area"], r["html"], r["pdf"]) for r in published] == [
        ("Dudley", "2024-25/Dudley/briefing.html", "2024-25/Dudley/x.pdf")
    ]
    assert "Leeds" not in path.read_text() + (tmp_path / "manifest.json").read_text()
    internal = list(csv.DictReader((tmp_path / "internal" / "manifest.csv").open()))
    assert [(r["area"], r["html"]) for r in internal] == [("Leeds", "2024-25/Leeds/briefing.html")]
    only_internal = tmp_path / "only"
    assert write_manifest([row("Leeds", False)], only_internal) == (
        only_internal / "internal" / "manifest.csv"
    )
    assert not (only_internal / "manifest.csv").exists()


def test_a_job_is_a_notebook_and_its_parameters():
    job = Job("briefing", {"area": "Dudley"})
    assert job == Job("briefing", {"area": "Dudley"})
    with pytest.raises(AttributeError):
        job.notebook = "trends"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_stays_out_of_a_log_and_is_drawn_on_a_terminal():
    # README's cron line appends the batch's stderr to outputs/cron.log: not a terminal
    log = io.StringIO()
    bar = progress_bar(3, "rendering", file=log)
    bar.update(3)
    bar.close()
    assert log.getvalue() == ""
    terminal = _Terminal()
    bar = progress_bar(3, "rendering", file=terminal)
    bar.update(3)
    bar.close()
    assert "rendering" in terminal.getvalue() and "3/3" in terminal.getvalue()
    quiet = _Terminal()
    bar = progress_bar(3, "rendering", show=False, file=quiet)
    bar.update(3)
    bar.close()
    assert quiet.getvalue() == ""
