"""This checkout against an earlier commit, measured in one run, interleaved (a benchmark,
not a test): is the house still at least as fast as before a change?

``BENCH_BASELINE`` names the commit (default ``ce5d777``, main before issue 24's core set:
nine indicators a briefing, where the core set has 27). It is checked out into a temporary git worktree and run from there with the
same virtual environment and its own cache folder, alternately with this checkout, so both
see the same machine load. Measured for each, best of ``BENCH_BASELINE_REPEATS`` (default 2):

1. a cold ``perf render briefing`` (a fresh process that starts its own kernel);
2. a render handed to a running ``perf runner`` (the warm kernel);
3. a batch of ``BENCH_BASELINE_AREAS`` (default 8) councils' briefings, two workers;
4. the cached data a kernel loads (observations, public view, catalogue), in a fresh process.

Printed: each pair and the ratio now/before (below 1 is faster now), and issue 24's goal: the
batch no slower than before (now/before <= 1; ``BENCH_BASELINE_AREAS=all`` for every
council). Also printed: whether the two batches made the same pages (code version aside).
When they did, the ratio is the code's alone; when they did not, it is the code's and the
pages' together, and what a page holds on each side (indicator cards, charts, tables, size) is
printed to read it by. Skipped unless ``BENCH_ONLY`` is empty or ``baseline``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.goals import goal
from perf import config

PY = sys.executable
AREAS = [
    "Dudley",
    "Leeds",
    "Sandwell",
    "Wolverhampton",
    "Walsall",
    "Birmingham",
    "Coventry",
    "Solihull",
    "Bradford",
    "Wakefield",
    "Kirklees",
    "Calderdale",
]
LOAD = (
    "import time; t=time.perf_counter(); "
    "import importlib; m=importlib.import_module('{module}'); "
    "m.observations(False); m.observations(True); m.catalogue_frame(); "
    "print(time.perf_counter()-t)"
)


def _run(root: Path, cache: Path, args: list[str], capture: bool = False) -> tuple[float, str]:
    env = dict(
        os.environ, PYTHONPATH=str(root), PERF_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH="1750000000"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [PY, *args], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{root}: {' '.join(args)} failed:\n{done.stderr[-1500:]}")
    return time.perf_counter() - start, done.stdout


def _schedule(folder: Path, areas: list[str]) -> Path:
    path = folder / "schedule.yaml"
    path.write_text(
        "notebooks: [briefing]\nperiods: ['2024-25']\nareas: [" + ", ".join(areas) + "]\n",
        encoding="utf-8",
    )
    return path


#: The code version a page's footer names (perf.render.provenance.code_version): the one
#: line two checkouts' pages of the same work differ by.
_CODE_VERSION = re.compile(r"\(git [^)]*\)")


def _pages(out: Path) -> dict[str, str]:
    """Each council's batch page (``<period>/<area>/briefing.html``), its code version blanked.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     page = Path(tmp) / "2024-25" / "Leeds" / "briefing.html"
    ...     page.parent.mkdir(parents=True)
    ...     _ = page.write_text("<p>perf 0.1.0 (git 81a0e02-dirty)</p>", encoding="utf-8")
    ...     _pages(Path(tmp))
    {'2024-25/Leeds': '<p>perf 0.1.0 (git)</p>'}
    """
    return {
        f"{page.parent.parent.name}/{page.parent.name}": _CODE_VERSION.sub(
            "(git)", page.read_text(encoding="utf-8")
        )
        for page in sorted(out.glob("*/*/briefing.html"))
    }


def _size(html: str) -> str:
    """What a page holds, to read a ratio by: its indicator cards, charts, tables and size.

    >>> _size('<section class="indicator-card"></section><img src="x"><table></table>')
    '1 indicator cards, 1 charts, 1 tables, 0 KB'
    """
    cards = html.count('class="indicator-card"')
    charts = html.count("<img") + html.count("<svg")
    return (
        f"{cards} indicator cards, {charts} charts, {html.count('<table')} tables, "
        f"{len(html.encode('utf-8')) // 1024} KB"
    )


def same_work(before: dict[str, str], now: dict[str, str]) -> str:
    """Whether the two batches made the same pages (then the ratio is the code's alone), or
    how the pages differ (then it is the code's and the pages' together).

    >>> same_work({"a": "<p>x</p>"}, {"a": "<p>x</p>"})
    'the same pages on both sides (1 of 1 identical, code version aside)'
    >>> print(same_work({"a": "<img>"}, {"a": "<img><img>"}))
    different pages (0 of 1 identical): the first council's page has
         before: 0 indicator cards, 1 charts, 0 tables, 0 KB
            now: 0 indicator cards, 2 charts, 0 tables, 0 KB
    """
    shared = sorted(set(before) & set(now))
    same = sum(before[key] == now[key] for key in shared)
    if shared and same == len(shared) == len(before) == len(now):
        return (
            f"the same pages on both sides ({same} of {len(shared)} identical, code version aside)"
        )
    if not shared:
        return "no pages to compare"
    first = shared[0]
    return (
        f"different pages ({same} of {len(shared)} identical): the first council's page has\n"
        f"     before: {_size(before[first])}\n        now: {_size(now[first])}"
    )


def _measure(root: Path, work: Path, data_module: str, areas: list[str]) -> dict[str, float]:
    cache, out = work / "cache", work / "out"
    shutil.rmtree(out, ignore_errors=True)
    _run(root, cache, ["-m", "perf", "render", "briefing", "--out", str(out)])  # warm caches
    cold, _ = _run(root, cache, ["-m", "perf", "render", "briefing", "--out", str(out)])
    _run(root, cache, ["-m", "perf", "runner", "start"])
    try:
        _run(root, cache, ["-m", "perf", "render", "briefing", "--out", str(out)])
        warm, _ = _run(root, cache, ["-m", "perf", "render", "briefing", "--out", str(out)])
    finally:
        _run(root, cache, ["-m", "perf", "runner", "stop"])
    batch, _ = _run(
        root,
        cache,
        [
            "-m",
            "perf",
            "batch",
            str(_schedule(work, areas)),
            "--workers",
            "2",
            "--no-progress",
            "--out",
            str(out),
        ],
    )
    _, printed = _run(root, cache, ["-c", LOAD.format(module=data_module)])
    return {
        "cold render": cold,
        "runner render": warm,
        f"batch of {len(areas)}": batch,
        "cached data load": float(printed.strip().splitlines()[-1]),
    }


def run() -> dict[str, float]:
    if os.environ.get("BENCH_ONLY", "").strip().lower() not in ("", "baseline"):
        print("   (skipped: BENCH_ONLY names another part)")
        return {}
    baseline = os.environ.get("BENCH_BASELINE", "ce5d777")
    repeats = int(os.environ.get("BENCH_BASELINE_REPEATS", "2"))
    how_many = os.environ.get("BENCH_BASELINE_AREAS", "8").strip().lower()
    if how_many == "all":
        from perf.render.batch import all_local_authorities

        areas = all_local_authorities()
    else:
        areas = AREAS[: int(how_many)]
    with tempfile.TemporaryDirectory(prefix="perf-bench-baseline-") as tmp:
        tmp_path = Path(tmp)
        old_root = tmp_path / "baseline"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old_root), baseline],
            cwd=config.PROJ_ROOT,
            check=True,
            capture_output=True,
        )
        try:
            old_module = (
                "perf.briefing"
                if (old_root / "perf" / "briefing.py").is_file()
                else "perf.report.data"
            )
            sides = {
                "before": (old_root, old_module),
                "now": (config.PROJ_ROOT, "perf.report.data"),
            }
            best: dict[str, dict[str, float]] = {"before": {}, "now": {}}
            for _ in range(repeats):
                for side, (root, module) in sides.items():
                    got = _measure(root, tmp_path / side, module, areas)
                    for key, value in got.items():
                        best[side][key] = min(best[side].get(key, value), value)
            work = same_work(_pages(tmp_path / "before" / "out"), _pages(tmp_path / "now" / "out"))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(old_root)],
                cwd=config.PROJ_ROOT,
                check=False,
                capture_output=True,
            )
    ratios = {}
    print(f"   baseline {baseline} vs this checkout (best of {repeats}, interleaved):")
    print(f"   pages: {work}")
    for key in best["now"]:
        before, now = best["before"][key], best["now"][key]
        ratios[key] = now / before
        print(
            f"   {key:>18}: before {before:6.2f} s, now {now:6.2f} s -> now/before "
            f"{ratios[key]:.2f}x"
        )
    batch = f"batch of {len(areas)}"
    goal(f"{batch} councils now / before ({baseline})", ratios[batch], "<=", 1.0)
    return ratios
