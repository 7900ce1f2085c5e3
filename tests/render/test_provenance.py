"""perf.render.provenance: the time of the run (SOURCE_DATE_EPOCH for reproducible pages)
and the code version."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone

import pytest

import perf.render.provenance as provenance
from perf import __version__
from perf.errors import RenderError
from perf.render.provenance import code_version, run_time


def test_source_date_epoch_fixes_the_time_of_run(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    assert run_time() == datetime(2025, 6, 15, 15, 6, 40, tzinfo=timezone.utc)


@pytest.mark.parametrize("blank", [None, "", "  "])
def test_without_an_epoch_the_time_is_now_in_utc_to_the_second(monkeypatch, blank):
    if blank is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", blank)
    before = datetime.now(tz=timezone.utc).replace(microsecond=0)
    when = run_time()
    assert when.tzinfo == timezone.utc and when.microsecond == 0
    assert before <= when <= before + timedelta(seconds=5)


def test_an_epoch_that_is_not_whole_seconds_is_a_render_error(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(RenderError, match="SOURCE_DATE_EPOCH must be whole seconds since 1970"):
        run_time()


def test_code_version_is_the_package_version_and_git_description(monkeypatch):
    monkeypatch.setattr(provenance, "_CODE_VERSION", None)
    described = subprocess.run(
        ["git", "describe", "--tags", "--always", "--dirty"],
        cwd=provenance.config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    expected = f"perf {__version__}" + (f" (git {described})" if described else "")
    assert code_version() == expected


def test_code_version_without_git_is_the_package_version(monkeypatch):
    monkeypatch.setattr(provenance, "_CODE_VERSION", None)

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(provenance.subprocess, "run", no_git)
    assert code_version() == f"perf {__version__}"
    monkeypatch.setattr(provenance.subprocess, "run", lambda *a, **k: pytest.fail("asked twice"))
    assert code_version() == f"perf {__version__}"  # asked once per process
