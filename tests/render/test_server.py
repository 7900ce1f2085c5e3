"""perf.render.server: the long-lived runner's protocol, served from a thread of this process
with a stand-in kernel (tests/test_cli.py starts the real one with `perf runner start`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

import perf.render.server as server
from perf.errors import ParameterError, RenderError
from perf.render.runner import RunResult

from .conftest import TINY


class FakeRenderer:
    """A kernel that is always warm: records each run (and the time of run it saw)."""

    def __init__(self):
        self.runs = 0
        self.seen: list[tuple[str, dict, str | None]] = []
        self.fail = False

    def prepare(self, formats=("html",)):
        pass

    def _ensure_client(self):
        pass

    def shutdown(self):
        pass

    def run(self, notebook, params, out=None, formats=("html",)):
        if self.fail:
            raise OSError("disk full")
        self.runs += 1
        self.seen.append((notebook, params, os.environ.get("SOURCE_DATE_EPOCH")))
        return RunResult("tiny", dict(params), "ok", 0.1, f"{out}/tiny.html", None, "tiny.log")


@pytest.fixture
def cache(monkeypatch):
    """The runner's socket in a folder of this test's own, with a short path (a Unix socket
    path has at most 107 characters). The cache itself stays where it is: a fresh one would
    rebuild the area index for every test."""
    folder = Path(tempfile.mkdtemp(prefix="perf-", dir="/tmp"))
    real = server.socket_path()
    monkeypatch.setattr(server, "socket_path", lambda: folder / real.name)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def runner(cache, monkeypatch):
    """A runner serving from a thread, with a stand-in kernel; stopped at the end."""
    fake = FakeRenderer()
    monkeypatch.setattr(server, "Renderer", lambda: fake)
    thread = threading.Thread(target=server.serve, kwargs={"idle": 60}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while server.status() is None:
        assert time.monotonic() < deadline, "the runner did not start listening"
        time.sleep(0.05)
    yield fake, thread
    server.stop()
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_no_runner(cache):
    assert server.status() is None
    assert server.stop() is False
    assert server.render_via_runner(TINY, {}, None) is None


def test_the_socket_is_in_the_cache_folder_and_names_this_checkout(tmp_path, monkeypatch):
    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path))
    path = server.socket_path()
    assert path.parent == tmp_path and re.fullmatch(r"runner-[0-9a-f]{10}\.sock", path.name)
    assert path == server.socket_path()


def test_a_runner_answers_ping_renders_validated_jobs_and_stops(
    runner, cache, tmp_path, monkeypatch
):
    fake, thread = runner
    assert server.status()["runs"] == 0 and server.status()["pid"] == os.getpid()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    got = server.render_via_runner(TINY, {"area": "E08000035"}, tmp_path)
    assert got["status"] == "ok" and got["area"] == "Leeds"  # validated by the runner
    notebook, params, epoch = fake.seen[0]
    assert notebook == str(TINY) and params["area"] == "Leeds" and epoch == "1750000000"
    assert os.environ["SOURCE_DATE_EPOCH"] == "1750000000"
    assert (tmp_path / "index.html").exists()  # refreshed by the runner
    assert server.status()["runs"] == 1
    assert server.stop() is True
    thread.join(timeout=30)
    assert not thread.is_alive() and not server.socket_path().exists()


def test_the_runners_parameter_error_is_raised_word_for_word(runner, tmp_path):
    fake, _ = runner
    with pytest.raises(ParameterError) as raised:
        server.render_via_runner(TINY, {"area": "Dudly"}, tmp_path)
    assert "Did you mean: Dudley?" in str(raised.value)
    assert fake.seen == []  # nothing ran


def test_the_time_of_run_is_the_clients_not_the_runners(runner, tmp_path, monkeypatch):
    fake, _ = runner
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    server.render_via_runner(TINY, {}, tmp_path)
    assert fake.seen[0][2] is None


def test_a_job_that_breaks_the_renderer_is_an_error_and_the_runner_lives_on(runner, tmp_path):
    fake, _ = runner
    fake.fail = True
    with pytest.raises(RenderError, match="the runner could not render: OSError: disk full"):
        server.render_via_runner(TINY, {}, tmp_path)
    fake.fail = False
    assert server.render_via_runner(TINY, {}, tmp_path)["status"] == "ok"


def test_an_unknown_request_is_answered_not_fatal(runner):
    assert server._request({"op": "dance"}) == {
        "status": "error",
        "error": "unknown request 'dance'",
    }
    assert server.status() is not None


def test_a_runner_out_of_date_with_the_code_stops_and_the_client_renders_itself(
    runner, tmp_path, monkeypatch
):
    fake, thread = runner
    monkeypatch.setattr(server, "_code_key", lambda: "edited since the runner started")
    assert server.render_via_runner(TINY, {}, tmp_path) is None
    thread.join(timeout=30)
    assert not thread.is_alive() and fake.seen == []


def test_a_second_runner_refuses_to_start(runner):
    with pytest.raises(RenderError, match="a runner is already running"):
        server.serve(idle=1)


def test_a_stale_socket_file_is_replaced(cache, monkeypatch):
    path = server.socket_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({}))  # left by a runner that was killed
    assert server.status() is None
    monkeypatch.setattr(server, "Renderer", FakeRenderer)
    thread = threading.Thread(target=server.serve, kwargs={"idle": 60}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while server.status() is None:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert server.stop() is True
    thread.join(timeout=30)
