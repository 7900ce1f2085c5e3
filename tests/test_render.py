"""perf.render, perf.runner, perf.render_html, perf.render_batch: parameters, warm-kernel runs,
self-contained HTML, atomic writes, failures, batch manifest and the outputs index.

One warm :class:`Renderer` serves the whole module and the real briefing is rendered once
(``briefing_run``); the failure, isolation and atomicity cases use the tiny fixture notebook
in tests/fixtures/notebooks so they cost a fraction of a second each.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from perf import config
from perf.errors import ParameterError, RenderError
from perf.render.api import render
from perf.render.registry import (
    coerce_parameters,
    notebook_parameters,
    run_paths,
    validate_parameters,
)

TINY = Path(__file__).parent / "fixtures" / "notebooks" / "tiny.ipynb"
EPOCH = "1750000000"  # 15 June 2025 15:06:40 UTC
DUDLEY = {"area": "Dudley", "period": "2024-25"}


@pytest.fixture(scope="module")
def renderer():
    from perf.render.runner import Renderer

    with Renderer() as r:
        yield r


@pytest.fixture(scope="module")
def epoch():
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    yield EPOCH
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="module")
def briefing_run(renderer, epoch, tmp_path_factory):
    """The real default briefing, rendered once for every HTML test."""
    out = tmp_path_factory.mktemp("outputs")
    result = renderer.run("briefing", validate_parameters("briefing", DUDLEY), out=out)
    assert result.status == "ok", result.error
    from perf.render.index import write_index

    write_index(out)
    return out, result


# --- parameters -------------------------------------------------------------------------


def test_parameters_are_read_with_types_defaults_and_help():
    specs = {p.name: p for p in notebook_parameters("briefing")}
    assert (specs["area"].type_name, specs["area"].default) == ("str", "Dudley")
    assert specs["period"].default == "2024-25"
    assert specs["public"].type_name == "bool" and specs["public"].default is True
    assert "local authority" in specs["area"].help


def test_misspelt_parameter_is_an_error_with_a_suggestion():
    with pytest.raises(ParameterError, match=r"unknown parameter 'peroid'.*Did you mean: period"):
        coerce_parameters("briefing", {"peroid": "2024-25"})


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("repeats", "5", 5), ("sleep", "0.5", 0.5), ("sleep", 2, 2.0), ("area", "1", "1"),
])
def test_command_line_strings_take_the_declared_type(name, value, expected):
    params = coerce_parameters(TINY, {name: value})
    assert params[name] == expected and type(params[name]) is type(expected)


@pytest.mark.parametrize(("name", "value"), [
    ("repeats", "many"), ("repeats", "2.5"), ("repeats", True), ("area", 3), ("sleep", "[1]"),
])
def test_wrong_type_is_an_error(name, value):
    with pytest.raises(ParameterError, match=f"parameter '{name}'.*must be"):
        coerce_parameters(TINY, {name: value})


def test_area_by_code_or_number_becomes_its_name_and_period_its_canonical_label():
    params = validate_parameters("briefing", {"area": "E08000027", "period": "Q1 2012/13"})
    assert (params["area"], params["period"]) == ("Dudley", "2012-13 Q1")
    assert validate_parameters("briefing", {"area": "332"})["area"] == "Dudley"


def test_unknown_area_and_unreadable_period_are_parameter_errors():
    with pytest.raises(ParameterError, match="Dudly.*Did you mean: Dudley"):
        validate_parameters("briefing", {"area": "Dudly"})
    with pytest.raises(ParameterError, match="cannot read period 'next year'"):
        validate_parameters("briefing", {"period": "next year"})


def test_unknown_notebook_is_a_parameter_error():
    with pytest.raises(ParameterError, match="no notebook 'breifing'"):
        notebook_parameters("breifing")


def test_misspelt_parameter_fails_before_any_kernel_starts(tmp_path, monkeypatch):
    import perf.render.runner

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for invalid parameters")

    monkeypatch.setattr(perf.render.runner.Renderer, "__init__", no_kernel)
    with pytest.raises(ParameterError, match="unknown parameter 'aera'"):
        render("briefing", parameters={"aera": "Leeds"}, out=tmp_path)
    with pytest.raises(ParameterError, match="Dudly"):
        render("briefing", area="Dudly", out=tmp_path)
    with pytest.raises(ParameterError, match="cannot read period"):
        render("briefing", period="2024-25 Q7", out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_run_paths_follow_period_area_notebook():
    paths = run_paths("/o", "briefing", {"area": "Bristol, City of", "period": "2012-13 Q1"})
    assert paths.html == Path("/o/2012-13_Q1/Bristol_City_of/briefing.html")
    assert paths.notebook.name == "briefing.ipynb" and paths.log.name == "briefing.log"


# --- the rendered briefing --------------------------------------------------------------


def _html(briefing_run) -> str:
    _, result = briefing_run
    return Path(result.html).read_text(encoding="utf-8")


def test_outputs_land_in_period_area_with_executed_notebook_and_log(briefing_run):
    out, result = briefing_run
    folder = out / "2024-25" / "Dudley"
    assert Path(result.html) == folder / "briefing.html"
    executed = json.loads((folder / "briefing.ipynb").read_text())
    assert executed["metadata"]["papermill"]["parameters"]["area"] == "Dudley"
    first_line = (folder / "briefing.log").read_text().splitlines()[0]
    assert first_line.startswith("parameters: ") and '"area": "Dudley"' in first_line
    assert not list(folder.glob(".*.tmp")), "temporary files left behind"


def test_html_has_no_external_resource_reference(briefing_run):
    html = _html(briefing_run)
    refs = re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
                      html, re.IGNORECASE)
    assert refs == []
    assert "mathjax" not in html.lower() and "require.js" not in html.lower()
    images = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)
    assert all(src.startswith("data:image/") for src in images)


def test_html_language_title_print_stylesheet_and_no_code(briefing_run):
    html = _html(briefing_run)
    assert '<html lang="en-GB">' in html
    assert "<title>Children&#x27;s services performance briefing: Dudley, 2024-25</title>" in html
    print_css = html[html.index("@media print"):]
    assert re.search(r"figure[^{]*\{[^}]*break-inside:\s*avoid", print_css)
    assert "from perf import briefing" not in html and "In&nbsp;[" not in html
    assert "injected-parameters" not in html or "celltag_injected-parameters" in html


def test_table_of_contents_links_every_section_heading(briefing_run):
    html = _html(briefing_run)
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= 1
    for target in targets:
        assert f'id="{target}"' in html
    section_ids = re.findall(r'<h2 id="([^"]+)"', html.split("</nav>", 1)[1].split("<footer")[0])
    assert section_ids == targets


def test_provenance_footer_names_parameters_data_code_and_time(briefing_run):
    footer = _html(briefing_run).split('<footer class="provenance"', 1)[1]
    assert "&quot;Dudley&quot;" in footer and "2024-25" in footer
    assert "cla_number_and_rate_per_10k_children.csv" in footer and "sha256" in footer
    assert "perf 0.1.0" in footer
    assert '<time datetime="2025-06-15T15:06:40+00:00">15 June 2025, 15:06 UTC</time>' in footer


def test_same_inputs_give_byte_identical_html(briefing_run, renderer, tmp_path):
    _, first = briefing_run
    again = renderer.run("briefing", validate_parameters("briefing", DUDLEY), out=tmp_path)
    assert again.status == "ok"
    assert Path(again.html).read_bytes() == Path(first.html).read_bytes()
    assert (Path(again.html).with_suffix(".ipynb").read_bytes()
            == Path(first.html).with_suffix(".ipynb").read_bytes())


def test_index_lists_the_briefing_with_its_status(briefing_run):
    out, _ = briefing_run
    index = (out / "index.html").read_text()
    assert '<html lang="en-GB">' in index and "2024-25" in index
    assert 'href="2024-25/Dudley/briefing.html"' in index and "Up to date" in index


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


def test_exception_while_writing_leaves_previous_html_intact(renderer, tmp_path, monkeypatch):
    import perf.fileio

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
        [sys.executable, "-m", "perf", "render", str(TINY), "--out", str(tmp_path),
         "-p", "sleep=60", "-p", "repeats=9"],
        cwd=config.PROJ_ROOT, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(6)  # well into the 60 s sleep in the middle of the notebook
        assert proc.poll() is None, "the render finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert Path(good.html).read_bytes() == before
    assert not list(Path(good.html).parent.glob(".*.tmp"))


def test_export_refuses_external_resources():
    from perf.render.html import wrap_page

    with pytest.raises(RenderError, match="another server"):
        wrap_page("t", '<img alt="x" src="https://example.org/a.png">', footer="")
    page = wrap_page("t", '<p><a href="https://example.org">the source</a></p>', footer="")
    assert '<a href="https://example.org">the source</a>' in page  # a link loads nothing


# --- batch ------------------------------------------------------------------------------


def test_batch_completes_others_when_one_area_fails(tmp_path):
    from perf.render.batch import parse_schedule, run_batch

    jobs = parse_schedule({"notebooks": [str(TINY)], "periods": ["2024-25"],
                           "areas": ["Dudley", "Leeds", "Sandwell"],
                           "parameters": {"fail_area": "Leeds"}})
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
    from perf.render.batch import parse_schedule

    with pytest.raises(ParameterError, match="Dudly"):
        parse_schedule({"periods": ["2024-25"], "areas": ["Dudly"]})
    with pytest.raises(ParameterError, match="unknown schedule key"):
        parse_schedule({"periods": ["2024-25"], "areas": ["Dudley"], "area": "x"})


def test_latest_schedule_covers_every_current_local_authority():
    from perf.render.batch import all_local_authorities, load_schedule

    jobs = load_schedule(config.PROJ_ROOT / "schedules" / "latest.yaml", validate=False)
    names = {job.parameters["area"] for job in jobs}
    assert names == set(all_local_authorities()) and len(names) > 140
    assert {job.parameters["period"] for job in jobs} == {"2024-25"}


def test_neighbours_parameter_is_2025_or_2021():
    assert validate_parameters("briefing", {})["neighbours"] == "2025"
    assert validate_parameters("briefing", {"neighbours": " 2021 "})["neighbours"] == "2021"
    for bad in ("2019", "", "latest"):
        with pytest.raises(ParameterError, match="unknown statistical-neighbour set"):
            validate_parameters("briefing", {"neighbours": bad})


def test_registry_knows_the_neighbour_models_perf_areas_has():
    from perf.areas import NEIGHBOUR_MODELS as in_areas
    from perf.render.registry import NEIGHBOUR_MODELS

    assert NEIGHBOUR_MODELS == tuple(in_areas)


def test_the_trends_notebooks_neighbours_switch_is_not_a_set():
    assert validate_parameters("trends", {"neighbours": False})["neighbours"] is False
