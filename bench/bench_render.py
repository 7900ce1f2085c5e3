"""Rendering speed and memory, as ratios measured in this one run (a benchmark, not a test).

1. One briefing: ``perf render`` against the naive pair of CLI calls, ``papermill`` then
   ``jupyter nbconvert --to html --no-input``. Goal: >= 3x faster. Measured cold (a fresh
   process starting its own kernel) and with ``perf runner start`` (the long-lived runner's
   warm kernel; best of two renders).
2. Every local authority's briefing for one period: ``perf batch`` against the naive
   sequential loop of CLI pairs. The naive loop is timed on a sample of areas and scaled
   linearly to the full count (said so in the output). Goal: >= 8x faster.
3. The same batch against the plain-Python limit: the notebook's code cells executed with
   ``exec`` for every area in one process, no kernel, no HTML export (the same perf calls
   and the same figures). Goal: batch at most 2x slower.
4. Peak memory of the whole batch: the sum of the resident set sizes of the batch process
   and every descendant (workers and their kernels), sampled every 0.2 s. Goal: < 1 GB.

Environment knobs: ``BENCH_RENDER_AREAS`` (how many authorities; default all),
``BENCH_NAIVE_SAMPLE`` (areas in the naive sample; default 3), ``BENCH_WORKERS``,
``BENCH_ONLY=single`` (only part 1, the one-briefing comparison: about a minute instead of
the full batch) and ``BENCH_SINGLE_REPEATS`` (part 1 repeated, interleaved, reporting the
range and the median ratio; default 1).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from perf import config

PY = sys.executable
BIN = Path(sys.executable).parent
PERIOD = config.DEFAULT_PERIOD
NOTEBOOK = config.NOTEBOOKS_DIR / "briefing.ipynb"


_EXTRA_ENV: dict[str, str] = {}


def _env() -> dict[str, str]:
    env = dict(os.environ) | _EXTRA_ENV
    env.setdefault("SOURCE_DATE_EPOCH", "1750000000")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(config.PROJ_ROOT),
                                                    env.get("PYTHONPATH", "")) if p)
    return env


def _timed(command: list[str], cwd: Path = config.PROJ_ROOT) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def _naive_pair(area: str, work: Path) -> float:
    """papermill CLI then nbconvert CLI, as an analyst would type them."""
    out = work / f"{area.replace(' ', '_')}.ipynb"
    t = _timed([str(BIN / "papermill"), str(NOTEBOOK), str(out), "-p", "area", area,
                "-p", "period", PERIOD, "--cwd", str(config.NOTEBOOKS_DIR), "--no-progress-bar"])
    t += _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(out)])
    return t


def _perf_render(area: str, out: Path) -> float:
    return _timed([PY, "-m", "perf", "render", "briefing", "--area", area, "--period", PERIOD,
                   "--out", str(out)])


class _PeakRSS:
    """Peak of the summed RSS of a process tree, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.root = psutil.Process(pid)
        self.peak = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                if total > self.peak:
                    self.peak, self.processes = total, len(procs)
            except psutil.Error:
                pass
            self._stop.wait(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _batch(areas: list[str], out: Path, workers: int) -> tuple[float, int, int]:
    out.mkdir(parents=True, exist_ok=True)
    schedule = out.parent / "schedule.yaml"
    schedule.write_text(json.dumps({"notebooks": ["briefing"], "periods": [PERIOD],
                                    "areas": areas}))
    start = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "perf", "batch", str(schedule), "--out", str(out),
                             "--workers", str(workers), "--no-progress"],
                            cwd=config.PROJ_ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    meter = _PeakRSS(proc.pid)
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    meter.stop()
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"perf batch failed:\n{stderr[-2000:]}")
    failed = sum(r["status"] != "ok" for r in json.loads((out / "manifest.json").read_text()))
    if failed:
        print(f"  note: {failed} of {len(areas)} briefings failed (see {out / 'manifest.csv'})")
    return elapsed, meter.peak, meter.processes


_PLAIN = r'''
import ast, contextlib, io, json, sys, time
start = time.perf_counter()
import nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
cells = []
for c in nb.cells:
    if c.cell_type != "code" or "parameters" in c.metadata.get("tags", []):
        continue
    tree = ast.parse(c.source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    cells.append((compile(tree, "cell", "exec"),
                  compile(ast.Expression(last.value), "cell", "eval") if last else None))
params = [c.source for c in nb.cells if "parameters" in c.metadata.get("tags", [])][0]
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
'''


def _plain_python(areas: list[str]) -> float:
    """Wall time of a fresh interpreter running every area's notebook code in one process."""
    start = time.perf_counter()
    done = subprocess.run([PY, "-c", _PLAIN, str(NOTEBOOK), json.dumps(areas), PERIOD],
                          cwd=config.NOTEBOOKS_DIR, env=_env(), capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"plain-Python run failed:\n{done.stderr[-2000:]}")
    return elapsed


def run() -> dict[str, float]:
    from perf.render.batch import all_local_authorities

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
        print(f"machine: {os.cpu_count()} cores; period {PERIOD}; {len(areas)} local "
              f"authorities; {workers} batch workers")

        # 1. one briefing (naive and cold interleaved, so load from elsewhere hits both)
        repeats = max(1, int(os.environ.get("BENCH_SINGLE_REPEATS", "1") or 1))
        pairs = [(_naive_pair("Dudley", work), _perf_render("Dudley", work / "one"))
                 for _ in range(repeats)]
        naive_one = sorted(n for n, _ in pairs)[len(pairs) // 2]
        ours_one = sorted(o for _, o in pairs)[len(pairs) // 2]
        ratios = sorted(n / o for n, o in pairs)
        results["single_speedup"] = ratios[len(ratios) // 2]
        spread = "" if repeats == 1 else (
            f" [median of {repeats}: naive {min(n for n, _ in pairs):.1f}-"
            f"{max(n for n, _ in pairs):.1f} s, perf render {min(o for _, o in pairs):.1f}-"
            f"{max(o for _, o in pairs):.1f} s, ratio {ratios[0]:.2f}-{ratios[-1]:.2f}x]")
        print(f"1. one briefing: naive papermill + nbconvert CLI {naive_one:.1f} s, "
              f"perf render {ours_one:.1f} s (cold: new kernel) -> "
              f"{results['single_speedup']:.2f}x faster (goal >= 3x){spread}")
        _EXTRA_ENV["PERF_CACHE_DIR"] = str(work / "runner-cache")
        try:
            _timed([PY, "-m", "perf", "runner", "start"])
            warm = min(_perf_render("Dudley", work / "warm") for _ in range(2))
        finally:
            _timed([PY, "-m", "perf", "runner", "stop"])
            _EXTRA_ENV.clear()
        results["single_speedup_runner"] = naive_one / warm
        print(f"   with `perf runner start` (kernel kept warm between renders): perf render "
              f"{warm:.1f} s -> {results['single_speedup_runner']:.2f}x faster")
        if os.environ.get("BENCH_ONLY", "").strip().lower() == "single":
            print("   (BENCH_ONLY=single: batch, plain-Python and memory parts skipped)")
            return results

        # 2. naive loop on a sample, scaled
        naive_times = [_naive_pair(a, work) for a in sample]
        per_area = sum(naive_times) / len(naive_times)
        naive_all = per_area * len(areas)
        batch_s, peak, nproc = _batch(areas, work / "batch", workers)
        results["batch_speedup"] = naive_all / batch_s
        print(f"2. every LA ({len(areas)}): naive loop of CLI pairs {naive_all:.0f} s "
              f"(measured on {len(sample)} areas, {per_area:.1f} s each, scaled linearly), "
              f"perf batch {batch_s:.1f} s -> {results['batch_speedup']:.1f}x faster "
              "(goal >= 8x)")

        # 3. plain-Python limit
        plain_s = _plain_python(areas)
        results["batch_vs_plain"] = batch_s / plain_s
        print(f"3. plain-Python limit (same notebook code for {len(areas)} areas, one process, "
              f"no kernel, no HTML): {plain_s:.1f} s; perf batch {batch_s:.1f} s -> "
              f"{results['batch_vs_plain']:.2f}x the limit (goal <= 2x)")

        # 4. memory
        results["batch_peak_mb"] = peak / 2**20
        print(f"4. peak memory of the batch (RSS summed over {nproc} processes: batch, workers, "
              f"kernels): {results['batch_peak_mb']:.0f} MB (goal < 1024 MB)")
    return results


if __name__ == "__main__":
    run()
