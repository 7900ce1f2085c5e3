"""No traceback reaches a user for a path that cannot be read or written (issue 14, item 6):
every case is a FileAccessError naming the path and what to do, and the CLI exits 2."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from perf import config, fileio
from perf.errors import FileAccessError


def perf(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "perf", *args],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_missing_folder_and_loop_are_told_apart(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    cases = {
        tmp_path / "nothing.csv": "no such file",
        tmp_path: "is a folder",
        tmp_path / "a": "points back to itself",
    }
    for path, words in cases.items():
        with pytest.raises(FileAccessError, match=words) as caught:
            fileio.input_file(path)
        assert caught.value.file == str(path)


def test_outputs_folder_that_is_a_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("x")
    with pytest.raises(FileAccessError, match="is a file, not a folder"):
        fileio.output_folder(target)


def test_read_only_outputs_folder(tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path))

    monkeypatch.setattr(fileio.tempfile, "mkstemp", read_only)
    with pytest.raises(FileAccessError, match="Read-only file system") as caught:
        fileio.output_folder(tmp_path)
    assert "--out" in caught.value.hint


def test_cli_says_what_is_wrong_without_a_traceback(tmp_path):
    target = tmp_path / "afile"
    target.write_text("x")
    for args, words in [
        (("render", "trends", "--out", str(target)), "is a file, not a folder"),
        (("batch", "schedules/latest.yaml", "--out", str(target)), "is a file, not a folder"),
        (("tidy", str(tmp_path)), "is a folder, not a file"),
        (("tidy", str(tmp_path / "missing.csv")), "no such file"),
    ]:
        done = perf(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert words in done.stderr and "Traceback" not in done.stderr, done.stderr
