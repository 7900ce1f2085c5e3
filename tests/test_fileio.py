"""perf.fileio: the one atomic writer (all or nothing, fsync'd, mode from the umask, no
temporary file left on failure) and the one slug."""

from __future__ import annotations

import os
import stat

import pytest

import perf.fileio as fileio
from perf.errors import FileAccessError
from perf.fileio import atomic_write, data_folder, slug


@pytest.fixture
def umask():
    """Set the process umask for one test; the old one comes back after."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_text_is_written_as_utf8_and_bytes_as_they_are(tmp_path):
    atomic_write(tmp_path / "a.txt", "Café £5\n")
    atomic_write(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a.txt").read_bytes() == "Café £5\n".encode()
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"


def test_parent_folders_are_made_and_nothing_else_is_left(tmp_path):
    target = tmp_path / "2024-25" / "Dudley" / "briefing.html"
    atomic_write(str(target), "<p>x</p>")
    assert target.read_text() == "<p>x</p>"
    assert [p.name for p in target.parent.iterdir()] == ["briefing.html"]


@pytest.mark.parametrize(
    ("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664), (0o077, 0o600)]
)
def test_the_mode_follows_the_umask(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write(tmp_path / "a.csv", "x")
    assert _mode(tmp_path / "a.csv") == expected


def test_replacing_a_file_gives_the_umask_mode_not_the_old_files(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "record.frozen.csv"
    target.write_text("old")
    os.chmod(target, 0o600)
    atomic_write(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o644


def test_the_data_is_fsynced_before_it_replaces_the_old_file(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.fstat(fd).st_size))
        real_fsync(fd)

    def replace(src, dst):
        events.append(("replace", os.path.basename(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    monkeypatch.setattr(fileio.os, "replace", replace)
    atomic_write(tmp_path / "a.html", "12345")
    assert events == [("fsync", 5), ("replace", "a.html")]


@pytest.mark.parametrize("failing", ["fsync", "replace", "chmod"])
def test_a_failure_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch, failing):
    target = tmp_path / "briefing.html"
    target.write_text("the last good page")

    def fail(*args, **kwargs):
        raise OSError(f"{failing} failed (simulated)")

    monkeypatch.setattr(fileio.os, failing, fail)
    with pytest.raises(OSError, match="simulated"):
        atomic_write(target, "half a new page")
    assert target.read_text() == "the last good page"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.html"]


def test_an_interrupt_also_cleans_up(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(tmp_path / "a.txt", "x")
    assert list(tmp_path.iterdir()) == []


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    atomic_write(tmp_path / "a.html", "x")
    assert seen[0].startswith(".a.html.") and seen[0].endswith(".tmp")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bristol, City of", "Bristol_City_of"),
        ("2012-13 Q1", "2012-13_Q1"),
        ("Kingston upon Hull, City of", "Kingston_upon_Hull_City_of"),
        ("a/b\\c", "a_b_c"),
        ("31 March 2025", "31_March_2025"),
        ("2024/25", "2024_25"),
        ("", "_"),
        ("///", "_"),
        ("Brighton & Hove", "Brighton_Hove"),
        ("v1.2", "v1.2"),
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_no_data_folder_is_an_error_naming_perf_data_dir(tmp_path):
    assert data_folder(tmp_path) == tmp_path
    with pytest.raises(FileAccessError, match="PERF_DATA_DIR") as caught:
        data_folder(tmp_path / "missing")
    assert caught.value.file == str(tmp_path / "missing")


# --- cells: text perf writes is never a formula (issue 27 item 6, OWASP CSV injection) --------

FORMULAS = [
    '=HYPERLINK("http://evil.example/","Read the plan")',
    "+SUM(1,1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\t=1+2",
    "\r=1+2",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_quoted_in_a_csv_and_read_back_as_it_was(text):
    assert fileio.is_formula_like(text)
    assert fileio.csv_cell(text) == "'" + text
    assert fileio.uncsv_cell(fileio.csv_cell(text)) == text
    written = fileio.csv_bytes([["priority"], [text]]).decode("utf-8")
    assert not written.splitlines()[1].lstrip('"').startswith(fileio.FORMULA_START)


@pytest.mark.parametrize("value", [-3.5, "-3.5", "+2", "1e-3", "Reduce re-referrals", "", None])
def test_numbers_and_plain_text_are_written_as_they_are(value):
    assert fileio.csv_cell(value) == value and not fileio.is_formula_like(value)


@pytest.mark.parametrize("text", FORMULAS)
def test_a_workbook_cell_holds_formula_like_text_as_text(tmp_path, text):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    fileio.write_cell(book.active["A1"], text)
    fileio.write_cell(book.active["A2"], 4.5)
    book.save(tmp_path / "b.xlsx")
    back = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert (back["A1"].value, back["A1"].data_type, back["A1"].quotePrefix) == (text, "s", True)
    assert back["A2"].value == 4.5 and not back["A2"].quotePrefix
