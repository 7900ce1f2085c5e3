"""Concurrency: two renders of the same area and period at once do not corrupt each other.

Two ``python -m perf render`` processes write the same output folder at the same time;
both must succeed and leave a complete HTML page byte-identical to a render done alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from perf import config

AREA, PERIOD, EPOCH = "Dudley", "2024-25", "1700000000"


def git_state() -> str:
    done = subprocess.run(
        ["git", "describe", "--tags", "--always", "--dirty"],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def start(out: Path) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "MPLBACKEND": "Agg"}
    return subprocess.Popen(
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
        ],
        cwd=config.PROJ_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> None:
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err[-3000:]


def check_complete(folder: Path) -> bytes:
    html = folder / PERIOD / AREA / "briefing.html"
    data = html.read_bytes()
    text = data.decode("utf-8")
    assert text.lstrip().lower().startswith("<!doctype html>")
    assert text.rstrip().endswith("</html>")
    assert text.count("<html") == 1 and text.count("</html>") == 1
    assert text.count("<body") == 1 and text.count("</body>") == 1
    status = json.loads((html.parent / "briefing.run.json").read_text())
    assert status["status"] == "ok"
    nbformat.validate(nbformat.read(html.parent / "briefing.ipynb", as_version=4))
    index = (folder / "index.html").read_text()
    assert index.rstrip().endswith("</html>") and index.count("</html>") == 1
    leftovers = [p.name for p in folder.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == [], f"temporary files left behind: {leftovers}"
    return data


def test_two_renders_at_once_do_not_corrupt_each_other(tmp_path):
    for _ in range(3):
        before = git_state()
        alone = tmp_path / "alone"
        finish(start(alone))
        single = check_complete(alone)

        shared = tmp_path / "shared"
        first, second = start(shared), start(shared)  # the same area, period and folder
        finish(first)
        finish(second)
        together = check_complete(shared)
        if git_state() == before:
            break
    else:
        pytest.fail("the code changed under every attempt; cannot compare renders")
    assert together == single


def test_the_completeness_check_catches_a_half_written_page(tmp_path):
    # What a corrupted output looks like: the check above must refuse it.
    finish(start(tmp_path))
    html = tmp_path / PERIOD / AREA / "briefing.html"
    data = html.read_bytes()
    html.write_bytes(data[: len(data) // 2])
    with pytest.raises(AssertionError):
        check_complete(tmp_path)
    html.write_bytes(data + data)  # two writers appending
    with pytest.raises(AssertionError):
        check_complete(tmp_path)
