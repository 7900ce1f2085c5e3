"""The ``perf render``, ``perf batch`` and ``perf params`` commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import perf as perf_module
from perf import config

TINY = Path(__file__).parent / "fixtures" / "notebooks" / "tiny.ipynb"


def perf(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "perf", *args], cwd=config.PROJ_ROOT,
                          capture_output=True, text=True, timeout=timeout, check=False)


def test_params_lists_names_types_defaults_and_help():
    done = perf("params", "briefing")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.split()[:2] == ["area", "str"] and "'Dudley'" in line for line in lines)
    assert any("local authority name" in line for line in lines)
    assert any(line.split()[:2] == ["public", "bool"] for line in lines)


def test_params_json_is_machine_readable():
    done = perf("params", str(TINY), "--json")
    specs = {p["name"]: p for p in json.loads(done.stdout)}
    assert specs["repeats"] == {"name": "repeats", "type": "int", "default": 2,
                                "help": "how many list items to show"}


def test_render_misspelt_parameter_exits_2_and_renders_nothing(tmp_path):
    done = perf("render", "briefing", "-p", "comittee=Cabinet", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "unknown parameter 'comittee'" in done.stderr and "committee" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_unknown_area_exits_2_with_suggestion(tmp_path):
    done = perf("render", "briefing", "--area", "Dudly", "--out", str(tmp_path))
    assert done.returncode == 2 and "Did you mean: Dudley" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_writes_html_and_index(tmp_path):
    done = perf("render", str(TINY), "--area", "E08000035", "--period", "2012/13 Q2",
                "-p", "repeats=4", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    html = tmp_path / "2012-13_Q2" / "Leeds" / "tiny.html"
    assert done.stdout.startswith(str(html))
    assert html.read_text().count("<li>item ") == 4
    assert "2012-13_Q2/Leeds/tiny.html" in (tmp_path / "index.html").read_text()


def test_render_failure_exits_non_zero_and_points_at_the_marked_notebook(tmp_path):
    done = perf("render", str(TINY), "-p", "fail_area=Dudley", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "deliberate failure for Dudley" in done.stderr and "tiny.failed.ipynb" in done.stderr


def test_batch_with_a_failing_area_exits_1_and_marks_it_in_the_manifest(tmp_path):
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text(
        f"notebooks: ['{TINY}']\nperiods: ['2024-25']\nareas: [Dudley, Leeds, Wigan]\n"
        "parameters: {fail_area: Wigan}\n")
    out = tmp_path / "out"
    done = perf("batch", str(schedule), "--workers", "2", "--out", str(out), "--no-progress")
    assert done.returncode == 1, done.stderr
    assert "3 runs: 2 ok, 1 failed" in done.stdout
    rows = json.loads((out / "manifest.json").read_text())
    assert {r["area"]: r["status"] for r in rows} == {"Dudley": "ok", "Leeds": "ok",
                                                       "Wigan": "failed"}
    assert "deliberate failure for Wigan" in next(r for r in rows if r["area"] == "Wigan")["error"]


def test_batch_rejects_a_bad_schedule_before_running(tmp_path):
    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("periods: ['2024-25']\nareas: [Dudley]\nparameters: {publc: false}\n")
    done = perf("batch", str(schedule), "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "unknown parameter 'publc'" in done.stderr
    assert not (tmp_path / "out").exists()


def test_runner_serves_renders_with_a_warm_kernel_and_stops(tmp_path):
    """`perf runner start`: later renders use its kernel, each in a clean namespace (the tiny
    notebook asserts it), parameters are still validated first, and `stop` ends it."""
    import os

    env = {**os.environ, "PERF_CACHE_DIR": str(tmp_path / "cache")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "perf", *args], cwd=config.PROJ_ROOT,
                              env=env, capture_output=True, text=True, timeout=300, check=False)

    out = tmp_path / "out"
    assert run("runner", "start").returncode == 0
    try:
        for area in ("Dudley", "Leeds"):
            done = run("render", str(TINY), "--area", area, "--out", str(out))
            assert done.returncode == 0, done.stderr
        assert "2 runs" in run("runner", "status").stdout  # both went through the runner
        bad = run("render", str(TINY), "--area", "Dudly", "--out", str(out))
        assert bad.returncode == 2 and "Did you mean: Dudley?" in bad.stderr
        assert "2 runs" in run("runner", "status").stdout  # nothing executed for it
        assert (out / "2024-25" / "Leeds" / "tiny.html").exists()
        assert "2024-25/Leeds/tiny.html" in (out / "index.html").read_text()
    finally:
        assert run("runner", "stop").stdout.strip() == "runner stopped"
    assert run("runner", "status").returncode == 1


def test_output_piped_into_a_reader_that_stops_early_is_not_an_error():
    # `perf params briefing | head -1` used to end in a BrokenPipeError traceback.
    import subprocess
    import sys

    from perf.config import PROJ_ROOT

    done = subprocess.run(
        f"'{sys.executable}' -m perf params briefing | head -c 1 >/dev/null",
        shell=True, cwd=PROJ_ROOT, capture_output=True, text=True, check=False,
        executable="/bin/bash",
    )
    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr, done.stderr


def test_version_names_the_package():
    done = perf("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"perf {perf_module.__version__}"
