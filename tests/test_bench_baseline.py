"""bench.bench_baseline: the check that two batches made the same pages (the benchmark
itself is run by ``make bench``, never by the tests)."""

from __future__ import annotations

import doctest

import bench.bench_baseline as bench_baseline
from bench.bench_baseline import _pages, same_work


def test_the_doctests_run():
    assert doctest.testmod(bench_baseline, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


def test_pages_that_differ_only_by_code_version_are_the_same_work(tmp_path):
    for side, version in (("before", "81a0e02"), ("now", "eb6c443-dirty")):
        page = tmp_path / side / "2024-25" / "Leeds" / "briefing.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<dd>perf 0.1.0 (git {version})</dd><table></table>", encoding="utf-8")
    before, now = _pages(tmp_path / "before"), _pages(tmp_path / "now")
    assert same_work(before, now).startswith("the same pages")
    (tmp_path / "now" / "2024-25" / "Leeds" / "briefing.html").write_text(
        '<dd>perf 0.1.0 (git x)</dd><section class="indicator-card"></section>', encoding="utf-8"
    )
    told = same_work(before, _pages(tmp_path / "now"))
    assert told.startswith("different pages (0 of 1 identical)")
    assert "now: 1 indicator cards, 0 charts, 0 tables" in told


def test_a_council_on_one_side_only_is_not_the_same_work():
    assert same_work({"a": "x"}, {"a": "x", "b": "y"}).startswith("different pages")
    assert same_work({}, {}) == "no pages to compare"
