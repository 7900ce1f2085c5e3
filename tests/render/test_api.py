"""perf.render.api.render: validated before anything runs, handed to a running runner when
there is one, else run in this process's own warm kernel; a failed run is a RenderError.
The runner and the kernel are replaced by stand-ins here (tests/render/test_runner.py and
tests/test_cli.py run the real ones)."""

from __future__ import annotations

import pytest

import perf.render.api as api
import perf.render.runner
from perf.errors import ParameterError, RenderError
from perf.render.api import render
from perf.render.runner import RunResult

from .conftest import TINY


def _result(status: str = "ok", **fields) -> RunResult:
    return RunResult(
        **{
            "notebook": "tiny",
            "parameters": {"area": "Leeds", "period": "2024-25"},
            "status": status,
            "duration_s": 0.1,
            "html": "/o/tiny.html",
            "executed_notebook": "/o/tiny.ipynb",
            "log": "/o/tiny.log",
            "error": None,
        }
        | fields
    )


class FakeRenderer:
    """Records what a Renderer would have run."""

    runs: list = []

    def __init__(self):
        self.prepared = False

    def prepare(self, formats=("html",)):
        self.prepared = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        FakeRenderer.runs.append("shut down")


@pytest.fixture
def in_process(monkeypatch):
    """No runner is running; the kernel is a stand-in; run_and_freeze records its call."""
    FakeRenderer.runs = []
    calls: list = []
    status = ["ok"]  # what the run ends in (a test may change it)

    def run_and_freeze(renderer, notebook, params, out=None, formats=("html",)):
        calls.append((renderer.prepared, notebook, params, out))
        return _result(status=status[0])

    monkeypatch.setattr(api, "render_via_runner", lambda *a, **k: None)
    monkeypatch.setattr(api, "Renderer", FakeRenderer)
    monkeypatch.setattr(api, "run_and_freeze", run_and_freeze)
    return calls, status


def test_misspelt_parameter_fails_before_any_kernel_starts(tmp_path, monkeypatch):
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


def test_in_process_render_validates_runs_freezes_and_indexes(in_process, tmp_path):
    calls, _ = in_process
    result = render(
        TINY, area="E08000035", period="2012/13 Q2", parameters={"repeats": "4"}, out=tmp_path
    )
    assert result.status == "ok"
    prepared, notebook, params, out = calls[0]
    assert prepared and notebook == TINY and out == tmp_path
    assert (params["area"], params["period"], params["repeats"]) == ("Leeds", "2012-13 Q2", 4)
    assert FakeRenderer.runs == ["shut down"]  # the kernel does not outlive the render
    assert (tmp_path / "index.html").exists()


def test_without_update_index_no_index_is_written(in_process, tmp_path):
    render(TINY, out=tmp_path, update_index=False)
    assert not (tmp_path / "index.html").exists()


def test_a_failed_run_is_a_render_error_pointing_at_the_marked_notebook(in_process, tmp_path):
    _, status = in_process
    status[0] = "failed"
    with pytest.raises(RenderError, match=r"tiny failed for Leeds, 2024-25") as raised:
        render(TINY, out=tmp_path)
    assert "/o/tiny.ipynb" in raised.value.hint and "/o/tiny.log" in raised.value.hint
    assert FakeRenderer.runs == ["shut down"]


def test_a_running_runner_renders_and_this_process_freezes(monkeypatch, tmp_path):
    handed, frozen = [], []

    def render_via_runner(notebook, overrides, out, formats=("html",)):
        handed.append((notebook, overrides, out))
        return _result().to_dict() | {"area": "Leeds", "unknown_field": 1}

    monkeypatch.setattr(api, "render_via_runner", render_via_runner)
    monkeypatch.setattr(api, "freeze_after", frozen.append)
    monkeypatch.setattr(api, "Renderer", lambda: pytest.fail("started a kernel"))
    result = render(TINY, area="Leeds", out=tmp_path)
    assert isinstance(result, RunResult) and result.html == "/o/tiny.html"
    assert handed == [(TINY, {"area": "Leeds"}, tmp_path)]  # the runner validates them
    assert frozen == [result]


def test_a_briefing_handed_to_the_runner_is_compared_with_the_last_one(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(
        api, "with_previous", lambda nb, params, out: params | {"previous": "last.frozen.csv"}
    )
    monkeypatch.setattr(
        api,
        "render_via_runner",
        lambda nb, overrides, out, formats=("html",): seen.append(overrides) or _result().to_dict(),
    )
    monkeypatch.setattr(api, "freeze_after", lambda result: None)
    monkeypatch.setattr(api, "socket_path", lambda: tmp_path)  # a runner is listening
    render("briefing", area="332", period="2012-13 Q1", out=tmp_path)  # Dudley's own quarter
    assert seen[0]["previous"] == "last.frozen.csv" and seen[0]["area"] == "Dudley"


def test_without_a_runner_the_previous_record_is_found_after_the_kernel_starts(
    monkeypatch, tmp_path
):
    order = []
    monkeypatch.setattr(api, "socket_path", lambda: tmp_path / "no-runner.sock")
    monkeypatch.setattr(api, "with_previous", lambda *a: pytest.fail("looked before the kernel"))

    class Started:
        def __init__(self):
            order.append("kernel")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def prepare(self, formats):
            pass

    monkeypatch.setattr(api, "Renderer", Started)
    monkeypatch.setattr(api, "run_and_freeze", lambda *a, **k: order.append("run") or _result())
    render("briefing", area="Dudley", period="2024-25", out=tmp_path, update_index=False)
    assert order == ["kernel", "run"]


def test_a_failure_in_the_runner_is_a_render_error_too(monkeypatch, tmp_path):
    monkeypatch.setattr(
        api, "render_via_runner", lambda *a: _result("failed", error="RuntimeError: x").to_dict()
    )
    monkeypatch.setattr(api, "freeze_after", lambda result: None)
    with pytest.raises(RenderError, match="RuntimeError: x"):
        render(TINY, out=tmp_path)


def test_use_runner_false_never_asks_one(in_process, monkeypatch, tmp_path):
    monkeypatch.setattr(api, "render_via_runner", lambda *a: pytest.fail("asked the runner"))
    assert render(TINY, out=tmp_path, use_runner=False).status == "ok"
