"""Rendering speed and memory, as ratios measured in this one run (a benchmark, not a test).

1. One briefing (Dudley), three ways interleaved so that load from elsewhere hits each alike:
   the naive pair of CLI calls (``papermill`` then ``jupyter nbconvert --to html --no-input``),
   a cold ``perf render`` (a fresh process starting its own kernel), and the plain-Python
   limit (the notebook's code cells exec'd in one fresh interpreter: no kernel, no HTML
   export). Goals: perf render >= 3x faster than the naive pair; at most 1.3x the
   plain-Python work (issue 24); and the naive pair >= 2.7x the plain-Python work (issue 24:
   the briefing's own work must not grow with the core set's indicators, which would show
   as the plain work catching up with the pair's fixed papermill and nbconvert cost). Also
   shown: a render handed to ``perf runner start``'s warm kernel.
2. Every local authority's briefing for one period: ``perf batch`` against the naive
   sequential loop of CLI pairs. The naive loop is timed on a sample of areas and scaled
   linearly to the full count (said so in the output). Goal: >= 12x faster.
3. The same batch against the plain-Python limit for every area in one process. Goal: batch
   at most 2x slower.
4. Peak memory of the whole batch: the sum of the proportional set sizes (PSS) of the batch
   process and every descendant (workers and their kernels), sampled every 0.2 s, with the
   sum of their resident set sizes beside it (RSS counts each shared library once in every
   process). Goal: <= 1 GB.

(The Dask LocalCluster against the local pool is bench/bench_dask.py.)

Environment knobs: ``BENCH_RENDER_AREAS`` (how many authorities; default all),
``BENCH_NAIVE_SAMPLE`` (areas in the naive sample; default 3), ``BENCH_WORKERS``,
``BENCH_ONLY=single`` (only part 1, the one-briefing comparison: about a minute instead of
the full batch; ``BENCH_ONLY=batch``: parts 2-4 only) and ``BENCH_SINGLE_REPEATS`` (part 1
repeated, interleaved; each side's best time is used, the slowest shown; default 3).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.goals import goal
from perf import config

PY = sys.executable
BIN = Path(sys.executable).parent
PERIOD = config.DEFAULT_PERIOD
NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"


_EXTRA_ENV: dict[str, str] = {}


def _env() -> dict[str, str]:
    env = dict(os.environ) | _EXTRA_ENV
    env.setdefault("SOURCE_DATE_EPOCH", "1750000000")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(config.PROJ_ROOT), env.get("PYTHONPATH", "")) if p
    )
    return env


def _timed(command: list[str], cwd: Path = config.PROJ_ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def _naive_pair(area: str, work: Path) -> float:
    """papermill CLI then nbconvert CLI, as an analyst would type them."""
    out = work / f"{area.replace(' ', '_')}.ipynb"
    t = _timed(
        [
            str(BIN / "papermill"),
            str(NOTEBOOK),
            str(out),
            "-p",
            "area",
            area,
            "-p",
            "period",
            PERIOD,
            "--cwd",
            str(config.NOTEBOOKS_DIR),
            "--no-progress-bar",
        ]
    )
    t += _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)])
    return t


def _perf_render(area: str, out: Path) -> float:
    return _timed(
        [
            PY,
            "-m",
            "perf",
            "render",
            "briefing",
            "--area",
            area,
            "--period",
            PERIOD,
            "--out",
            str(out),
        ]
    )


class _PeakMemory:
    """Peaks of a process tree's memory, sampled in a thread: the summed resident set sizes
    (RSS: a shared library's pages counted once in every process that maps it) and the
    summed proportional set sizes (PSS: shared pages divided among the processes sharing
    them, so the sum is the memory the tree occupies; Linux, else the RSS figure)."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = self.peak_pss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                rss = pss = 0
                for p in procs:
                    try:
                        info = p.memory_full_info()
                        rss += info.rss
                        pss += getattr(info, "pss", info.rss)
                    except psutil.Error:
                        pass
                if rss > self.peak:
                    self.peak, self.processes = rss, len(procs)
                self.peak_pss = max(self.peak_pss, pss)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _batch(
    areas: list[str], out: Path, workers: int, cluster: str | None = None
) -> tuple[float, _PeakMemory]:
    """Wall time and peak memory (summed RSS and PSS, process count) of ``perf batch``
    (``--cluster`` if given)."""
    out.mkdir(parents=True, exist_ok=True)
    schedule = out.parent / "schedule.yaml"
    schedule.write_text(
        json.dumps({"notebooks": ["briefing"], "periods": [PERIOD], "areas": areas})
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            PY,
            "-m",
            "perf",
            "batch",
            str(schedule),
            "--out",
            str(out),
            "--workers",
            str(workers),
            "--no-progress",
            *(["--cluster", cluster] if cluster else []),
        ],
        cwd=config.PROJ_ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    meter = _PeakMemory(proc.pid)
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    meter.stop()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"perf batch failed:\n{stderr[-2000:]}")
    failed = sum(r["status"] != "ok" for r in json.loads((out / "manifest.json").read_text()))
    if failed:
        print(f"  note: {failed} of {len(areas)} briefings failed (see {out / 'manifest.csv'})")
    return elapsed, meter


_PLAIN = r"""
import ast, contextlib, io, json, sys, time
start = time.perf_counter()
with open(sys.argv[1], encoding="utf-8") as f:  # JSON as saved: no nbformat to import
    nb = json.load(f)
def source(c):
    return "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
def tags(c):
    return c.get("metadata", {}).get("tags", [])
cells = []
for c in nb["cells"]:
    if c["cell_type"] != "code" or "parameters" in tags(c):
        continue
    tree = ast.parse(source(c))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    cells.append((compile(tree, "cell", "exec"),
                  compile(ast.Expression(last.value), "cell", "eval") if last else None))
params = [source(c) for c in nb["cells"] if "parameters" in tags(c)][0]
for area in json.loads(sys.argv[2]):
    namespace = {}
    exec(params, namespace)
    namespace.update(area=area, period=sys.argv[3])
    with contextlib.redirect_stdout(io.StringIO()):
        for body, last in cells:
            exec(body, namespace)
            if last is not None:  # what a kernel displays: the last expression's HTML, once
                value = eval(last, namespace)
                getattr(value, "_repr_html_", lambda: None)()
print(time.perf_counter() - start)
"""


def _plain_python(areas: list[str]) -> float:
    """Wall time of a fresh interpreter running every area's notebook code in one process."""
    start = time.perf_counter()
    done = subprocess.run(
        [PY, "-c", _PLAIN, str(NOTEBOOK), json.dumps(areas), PERIOD],
        cwd=config.NOTEBOOKS_DIR,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"plain-Python run failed:\n{done.stderr[-2000:]}")
    return elapsed


def _children_cpu() -> float:
    """CPU seconds of every finished child process and the descendants each one waited for
    (a render's kernel, papermill's kernel): what a run cost, whoever else is busy."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _with_cpu(measure, *args) -> tuple[float, float]:
    before = _children_cpu()
    wall = measure(*args)
    return wall, _children_cpu() - before


def warm_caches(work: Path) -> float:
    """Render one briefing, so every side measured after it finds the disk cache (data, area
    index, period checks) built: after an edit to perf/ or data/ the first render rebuilds
    it (tens of seconds, and a kernel's memory doubled), which no side should be charged."""
    return _perf_render("Dudley", work / "warm-up")


def _single(work: Path, results: dict[str, float]) -> None:
    """Part 1: one briefing, naive pair vs cold perf render vs the plain-Python limit."""
    repeats = max(1, int(os.environ.get("BENCH_SINGLE_REPEATS", "3") or 3))
    measured = [
        (
            _with_cpu(_naive_pair, "Dudley", work),
            _with_cpu(_perf_render, "Dudley", work / "one"),
            _with_cpu(_plain_python, ["Dudley"]),
        )
        for _ in range(repeats)
    ]
    runs = [tuple(wall for wall, _ in m) for m in measured]
    cpu = [tuple(c for _, c in m) for m in measured]
    naive, ours, plain = ([r[i] for r in runs] for i in range(3))
    # Best of each side: on a shared machine a run is only ever slowed by others' load, so
    # the fastest of the interleaved runs is each side's least disturbed figure.
    results["single_speedup"] = min(naive) / min(ours)
    results["single_vs_plain"] = min(ours) / min(plain)
    results["naive_vs_plain"] = min(naive) / min(plain)

    def spread(values: list[float]) -> str:
        return f"{min(values):.2f} s" + ("" if repeats == 1 else f" (up to {max(values):.2f})")

    print(
        f"1. one briefing (Dudley, {PERIOD}){'' if repeats == 1 else f', best of {repeats}'}"
        f" interleaved runs:\n   naive papermill + nbconvert CLI {spread(naive)}; "
        f"perf render {spread(ours)} (cold: new process and kernel); plain-Python limit "
        f"{spread(plain)} (code cells exec'd in one fresh process, no kernel, no HTML)"
    )
    goal("cold render speed-up vs naive CLI pair", results["single_speedup"], ">=", 3)
    goal("cold render / plain-Python work", results["single_vs_plain"], "<=", 1.3)
    goal("naive pair / plain-Python work", results["naive_vs_plain"], ">=", 2.7)
    c_naive, c_ours, c_plain = (min(c[i] for c in cpu) for i in range(3))
    results["single_cpu_speedup"], results["single_cpu_vs_plain"] = (
        c_naive / c_ours,
        c_ours / c_plain,
    )
    print(
        f"   CPU seconds (the process trees, not slowed by others' load; least of each): "
        f"naive {c_naive:.2f}, perf render {c_ours:.2f}, plain {c_plain:.2f} -> the naive "
        f"pair uses {c_naive / c_ours:.2f}x perf render's CPU, perf render "
        f"{c_ours / c_plain:.2f}x the plain limit's (no goal: a cold render overlaps its "
        "parent's work with the kernel's start, so its wall time is below its CPU time)"
    )
    _EXTRA_ENV["PERF_CACHE_DIR"] = str(work / "runner-cache")
    try:
        _timed([PY, "-m", "perf", "runner", "start"])
        warm = min(_perf_render("Dudley", work / "warm") for _ in range(2))
    finally:
        _timed([PY, "-m", "perf", "runner", "stop"])
        _EXTRA_ENV.clear()
    results["single_speedup_runner"] = min(naive) / warm
    print(
        f"   with `perf runner start` (kernel kept warm between renders): perf render "
        f"{warm:.2f} s -> {results['single_speedup_runner']:.2f}x faster than the naive pair, "
        f"{warm / min(plain):.2f}x the plain-Python limit (no goal)"
    )


def run() -> dict[str, float]:
    from perf.render.batch import all_local_authorities

    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only not in ("", "render", "single", "batch"):
        print(f"   (BENCH_ONLY={only}: rendering benchmarks skipped)")
        return {}
    areas = all_local_authorities()
    limit = int(os.environ.get("BENCH_RENDER_AREAS", "0") or 0)
    if limit:
        areas = areas[:limit]
    sample_n = int(os.environ.get("BENCH_NAIVE_SAMPLE", "3"))
    workers = int(os.environ.get("BENCH_WORKERS", "0") or 0) or (os.cpu_count() or 1)
    sample = [a for a in ("Dudley", "Leeds", "Sandwell", "Wigan", "Kent") if a in areas]
    sample = (sample + [a for a in areas if a not in sample])[:sample_n]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        work = Path(tmp)
        warm_caches(work)
        print(
            f"machine: {os.cpu_count()} cores (load average now {os.getloadavg()[0]:.1f}); "
            f"period {PERIOD}; {len(areas)} local authorities; {workers} batch workers"
        )
        if only != "batch":
            _single(work, results)
        if only == "single":
            print("   (BENCH_ONLY=single: batch, plain-Python and memory parts skipped)")
            return results

        # 2. naive loop on a sample, scaled
        naive_times = [_naive_pair(a, work) for a in sample]
        per_area = sum(naive_times) / len(naive_times)
        naive_all = per_area * len(areas)
        batch_s, memory = _batch(areas, work / "batch", workers)
        results["batch_speedup"] = naive_all / batch_s
        scope = "every LA" if not limit else f"first {limit} LAs (BENCH_RENDER_AREAS)"
        print(
            f"2. {scope} ({len(areas)}): naive loop of CLI pairs {naive_all:.0f} s "
            f"(measured on {len(sample)} areas, {per_area:.1f} s each, scaled linearly), "
            f"perf batch {batch_s:.1f} s"
        )
        goal("batch speed-up vs naive sequential loop", results["batch_speedup"], ">=", 12)

        # 3. plain-Python limit
        plain_s = _plain_python(areas)
        results["batch_vs_plain"] = batch_s / plain_s
        print(
            f"3. plain-Python limit (same notebook code for {len(areas)} areas, one process, "
            f"no kernel, no HTML): {plain_s:.1f} s; perf batch {batch_s:.1f} s"
        )
        goal("batch / plain-Python limit", results["batch_vs_plain"], "<=", 2)

        # 4. memory
        results["batch_peak_mb"] = memory.peak_pss / 2**20
        results["batch_peak_rss_mb"] = memory.peak / 2**20
        print(
            f"4. peak memory of the batch of {len(areas)} ({memory.processes} processes: "
            f"batch, forkserver, workers, kernels): {memory.peak_pss / 2**20:.0f} MB summed "
            f"PSS (what the tree occupies), {memory.peak / 2**20:.0f} MB summed RSS (shared "
            "libraries counted once per process)"
        )
        goal("batch peak memory (PSS)", results["batch_peak_mb"], "<=", 1024, unit=" MB")
    return results


if __name__ == "__main__":
    run()
