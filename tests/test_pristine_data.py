"""The tests read a copy of the committed data/, never the user's own files there (issue 27
item 12): tests/conftest.py imports tests/pristine_data.py, which points PERF_DATA_DIR at
it, before anything imports perf.

On main the tests read data/ itself, so a return copied into data/local/ as README's "Each
quarter" says was read by every test (and made `make test` fail)."""

from __future__ import annotations

import os
import subprocess
import sys

import pristine_data

from perf import cache, config
from perf.loaders import load_all

REAL = config.PROJ_ROOT / "data"


def _tracked() -> set[str]:
    listed = subprocess.run(
        ["git", "-C", str(config.PROJ_ROOT), "ls-tree", "-r", "--name-only", "HEAD", "data"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {name.removeprefix("data/") for name in listed}


def test_the_tests_read_a_copy_of_the_committed_data():
    assert config.DATA_DIR != REAL and os.environ["PERF_DATA_DIR"] == str(config.DATA_DIR)
    assert config.LOCAL_DIR == config.DATA_DIR / "local"
    copied = {p.relative_to(config.DATA_DIR).as_posix() for p in config.DATA_DIR.rglob("*")}
    assert {p for p in copied if (config.DATA_DIR / p).is_file()} == _tracked()
    catalogue = "catalogue.csv"
    assert (config.DATA_DIR / catalogue).read_bytes() == subprocess.run(
        ["git", "-C", str(config.PROJ_ROOT), "show", f"HEAD:data/{catalogue}"],
        capture_output=True,
        check=True,
    ).stdout


def test_a_return_dropped_into_the_real_data_local_is_not_read(tmp_path):
    extra = REAL / "local" / "zz_test_dropped_return.csv"
    assert not extra.exists()
    before = sorted(p.name for p in config.LOCAL_DIR.iterdir())
    # a figure for Dudley that, read, would appear in every test's observations
    extra.write_text(
        "indicator,area_code,period,value\ndudley_lac_rate,E08000027,2030-31 Q1,999.0\n",
        encoding="utf-8",
    )
    try:
        again = pristine_data.committed_data()  # what a session starting now would use
        assert again == config.DATA_DIR
        assert sorted(p.name for p in config.LOCAL_DIR.iterdir()) == before
        obs = load_all(config.DATA_DIR)
        assert not (obs["period"] == "2030-31 Q1").any()
        # a kernel, worker or command a test starts inherits the copy, not data/
        seen = subprocess.run(
            [sys.executable, "-c", "from perf import config; print(config.LOCAL_DIR)"],
            cwd=config.PROJ_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert seen == str(config.LOCAL_DIR) and extra.name not in os.listdir(seen)
    finally:
        extra.unlink()


def test_a_copy_a_test_wrote_into_is_made_again(tmp_path):
    copy = pristine_data.committed_data(root=tmp_path)
    assert copy.parent.parent == tmp_path / "test-data"
    assert pristine_data.committed_data(root=tmp_path) == copy  # reused
    (copy / "local" / "notes.txt").write_text("a stray file", encoding="utf-8")
    (copy / "catalogue.csv").write_text("spoilt", encoding="utf-8")
    assert pristine_data.committed_data(root=tmp_path) == copy
    assert not (copy / "local" / "notes.txt").exists()
    assert (copy / "catalogue.csv").read_bytes() == (config.DATA_DIR / "catalogue.csv").read_bytes()


def test_the_copy_lives_in_perf_s_own_cache_folder(monkeypatch, tmp_path):
    assert pristine_data.cache_root() == cache.cache_dir()
    monkeypatch.delenv("PERF_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pristine_data.cache_root() == cache.cache_dir() == tmp_path / "perf"
