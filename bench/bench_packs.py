"""What the committee packs cost: PDF and Word on top of HTML, per briefing, in a batch.

A batch of a few councils (``BENCH_PACKS_AREAS``, default 6) is rendered twice with the same
workers: HTML alone, then ``--to html,pdf,docx``. The difference divided by the number of
briefings is what PDF and Word add to each briefing (goal: at most 1 s), printed with the
ratio against HTML alone and the estimate for a batch of every council. The small batch pays
each worker's Chromium start-up (~2 s, while its kernel boots) over few briefings, so the
per-briefing figure overstates a full batch's slightly. The runs' own timings (from the
manifest) show where the time goes.

Environment knobs: ``BENCH_PACKS_AREAS``, ``BENCH_WORKERS``, ``BENCH_PACKS_REPEATS`` (the
pair of batches repeated, interleaved, reporting the median; default 1) and ``BENCH_ONLY``
(``packs`` runs this benchmark alone; any other value, e.g. ``single``, skips it).
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

import psutil

from perf import config

PY = sys.executable
PERIOD = config.DEFAULT_PERIOD
SAMPLE = ("Dudley", "Leeds", "Sandwell", "Wigan", "Kent", "Bristol, City of", "Cornwall", "Camden")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1750000000")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(config.PROJ_ROOT), env.get("PYTHONPATH", "")) if p
    )
    return env


class _TreeCPU:
    """CPU seconds used by a process tree (the batch, its workers, their kernels and
    browsers), sampled every 0.2 s: unlike wall time, other people's load on the machine
    does not change it."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for proc in procs:
                try:
                    times = proc.cpu_times()
                    self.seen[proc.pid] = times.user + times.system
                except psutil.Error:
                    pass
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return sum(self.seen.values())


def _batch(areas: list[str], out: Path, workers: int, formats: str) -> tuple[float, float, list]:
    """Wall time and CPU time of ``perf batch`` for ``areas``, and its manifest rows."""
    out.mkdir(parents=True, exist_ok=True)
    schedule = out / "schedule.yaml"
    schedule.write_text(
        json.dumps(
            {
                "notebooks": ["briefing"],
                "periods": [PERIOD],
                "areas": areas,
                "formats": formats.split(","),
            }
        )
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
        ],
        cwd=config.PROJ_ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    meter = _TreeCPU(proc.pid)
    _, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    cpu = meter.stop()
    if proc.returncode != 0:
        raise RuntimeError(f"perf batch --to {formats} failed:\n{stderr[-2000:]}")
    rows = json.loads((out / "manifest.json").read_text())
    return elapsed, cpu, rows


def _timings(out: Path, rows: list) -> dict[str, float]:
    """Mean seconds per run of each step, from the runs' status records."""
    totals: dict[str, list[float]] = {}
    for row in rows:
        record = json.loads((out / Path(row["html"]).parent / "briefing.run.json").read_text())
        for key, value in record.get("timings", {}).items():
            totals.setdefault(key, []).append(value)
    return {k: sum(v) / len(v) for k, v in totals.items()}


def run() -> dict[str, float]:
    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only and only != "packs":
        print(f"   (BENCH_ONLY={only}: committee packs skipped)")
        return {}
    from perf.render.batch import all_local_authorities
    from perf.render.pdf import CHROMIUM_PATH

    if not CHROMIUM_PATH.exists():
        print(f"   skipped: {CHROMIUM_PATH} missing (`make browser-deps`)")
        return {}
    every = all_local_authorities()
    n = int(os.environ.get("BENCH_PACKS_AREAS", "6") or 6)
    areas = ([a for a in SAMPLE if a in every] + [a for a in every if a not in SAMPLE])[:n]
    workers = int(os.environ.get("BENCH_WORKERS", "0") or 0) or (os.cpu_count() or 1)
    repeats = max(1, int(os.environ.get("BENCH_PACKS_REPEATS", "1") or 1))
    pairs, steps = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-packs-") as tmp:
        for r in range(repeats):
            html_s, html_cpu, _ = _batch(areas, Path(tmp) / f"html-{r}", workers, "html")
            out = Path(tmp) / f"packs-{r}"
            packs_s, packs_cpu, rows = _batch(areas, out, workers, "html,pdf,docx")
            failed = [row for row in rows if row["status"] != "ok" or not row.get("pdf")]
            if failed:
                raise RuntimeError(f"{len(failed)} packs failed: {failed[0].get('error')}")
            pairs.append((html_s, packs_s, html_cpu, packs_cpu))
            steps = _timings(out, rows)

    def median(values):
        return sorted(values)[len(values) // 2]

    html_s, packs_s = median([p[0] for p in pairs]), median([p[1] for p in pairs])
    html_cpu, packs_cpu = median([p[2] for p in pairs]), median([p[3] for p in pairs])
    extra = median([(p[1] - p[0]) / len(areas) for p in pairs])
    cores = min(workers, os.cpu_count() or 1)
    extra_cpu = median([(p[3] - p[2]) / len(areas) for p in pairs])
    results = {
        "packs_ratio": packs_s / html_s,
        "packs_extra_per_briefing_s": extra,
        "packs_cpu_ratio": packs_cpu / html_cpu,
        "packs_extra_per_briefing_cpu_s": extra_cpu,
        "packs_extra_per_briefing_idle_s": extra_cpu / cores,
    }
    print(
        f"machine: {os.cpu_count()} cores (load average now {os.getloadavg()[0]:.1f}); "
        f"{len(areas)} councils, {PERIOD}; {workers} workers"
        + (f"; median of {repeats}" if repeats > 1 else "")
    )
    print(
        f"1. wall: batch of HTML alone {html_s:.1f} s; HTML + PDF + Word {packs_s:.1f} s "
        f"-> {results['packs_ratio']:.2f}x the HTML alone, {extra:+.2f} s per briefing "
        "(goal <= 1 s; wall time moves with other load on the machine)"
    )
    print(
        f"2. CPU of the whole batch (workers, kernels, Chromium): {html_cpu:.1f} s vs "
        f"{packs_cpu:.1f} s -> {results['packs_cpu_ratio']:.2f}x, {extra_cpu:+.2f} CPU s per "
        f"briefing = {extra_cpu / cores:+.2f} s per briefing on {cores} idle cores "
        f"(goal <= 1 s); every council ({len(every)}): about "
        f"{extra_cpu / cores * len(every):.0f} s longer"
    )
    print(
        "   per run, mean seconds (each worker's own clock, workers overlap): "
        + ", ".join(f"{k.removesuffix('_s')} {v:.2f}" for k, v in sorted(steps.items()))
    )
    return results
