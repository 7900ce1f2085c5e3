"""Reproducibility: the same inputs, parameters and SOURCE_DATE_EPOCH give byte-identical HTML.

Each render is a fresh ``python -m perf render`` process (as ``make briefing`` runs it), so
nothing is shared between the two runs but the files on disk.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from perf import config

AREA, PERIOD = "Dudley", "2024-25"
EPOCH = 1700000000  # 14 November 2023, 22:13:20 UTC


def git_state() -> str:
    done = subprocess.run(
        ["git", "describe", "--tags", "--always", "--dirty"],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def render(out: Path, epoch: int = EPOCH, extra: tuple[str, ...] = ()) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "perf",
            "render",
            "briefing",
            "--area",
            AREA,
            "--period",
            PERIOD,
            "--out",
            str(out),
            *extra,
        ],
        cwd=config.PROJ_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    html = next(out.rglob("briefing.html"))
    return html.read_bytes()


def two_renders(tmp_path: Path, **kwargs) -> tuple[bytes, bytes]:
    # The HTML names the code version (git describe); if another commit lands between the two
    # renders the inputs differ, so render again rather than report a false difference.
    for attempt in range(3):
        before = git_state()
        first = render(tmp_path / f"a{attempt}", **kwargs)
        second = render(tmp_path / f"b{attempt}", **kwargs)
        if git_state() == before:
            return first, second
    pytest.fail("the code changed under every attempt; cannot compare renders")


def test_same_inputs_same_epoch_give_byte_identical_html(tmp_path):
    first, second = two_renders(tmp_path)
    assert len(first) > 1000
    assert first == second, "two renders of the same briefing differ"
    text = first.decode("utf-8")
    # The timestamp shown is SOURCE_DATE_EPOCH's, not the clock's.
    assert "14 November 2023" in text
    today = datetime.now(tz=timezone.utc)
    if today.date().isoformat() != "2023-11-14":
        assert f"{today.day} {today:%B} {today.year}" not in text
        assert today.date().isoformat() not in text
    # Nothing machine-specific leaks into the page: not the output folder, not the home folder.
    assert str(tmp_path) not in text
    assert str(Path.home()) + "/" not in text


def test_a_different_epoch_changes_the_html(tmp_path):
    # The check above can fail: the output does depend on SOURCE_DATE_EPOCH.
    for attempt in range(3):
        before = git_state()
        first = render(tmp_path / f"a{attempt}")
        later = render(tmp_path / f"b{attempt}", epoch=EPOCH + 86400)
        if git_state() == before:
            break
    else:
        pytest.fail("the code changed under every attempt; cannot compare renders")
    assert first != later
    assert "15 November 2023" in later.decode("utf-8")
