"""``perf batch --cluster local`` (a Dask LocalCluster) against the local process pool on the
same schedule, measured in this one run, interleaved (a benchmark, not a test). Goal: <= 1.2x.

The schedule is a sample of councils (``BENCH_DASK_AREAS``, default 16; ``0`` means every
council, about four minutes a side on two cores), one briefing each for one period; both
sides get the same number of workers. Each side starts its own workers and kernels, so the
figure includes the LocalCluster's start-up, which a small sample weighs more than a full
batch does (said in the output). ``BENCH_DASK_REPEATS`` (default 1) repeats the pair,
interleaved, comparing each side's best time. ``BENCH_ONLY=dask`` runs this part alone; another value
skips it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.bench_render import PERIOD, _batch, warm_caches
from bench.goals import goal

SAMPLE = ("Dudley", "Leeds", "Sandwell", "Wigan", "Kent", "Bristol, City of", "Cornwall", "Camden")


def run() -> dict[str, float]:
    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only and only != "dask":
        print(f"   (BENCH_ONLY={only}: Dask comparison skipped)")
        return {}
    from perf.render.batch import all_local_authorities

    every = all_local_authorities()
    n = int(os.environ.get("BENCH_DASK_AREAS", "16") or 0)
    areas = [a for a in SAMPLE if a in every] + [a for a in every if a not in SAMPLE]
    areas = areas[:n] if n else areas
    workers = int(os.environ.get("BENCH_WORKERS", "0") or 0) or (os.cpu_count() or 1)
    repeats = max(1, int(os.environ.get("BENCH_DASK_REPEATS", "1") or 1))
    pairs = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        warm_caches(Path(tmp))
        for r in range(repeats):
            pool_s, pool_memory = _batch(areas, Path(tmp) / f"pool-{r}" / "out", workers)
            dask_s, dask_memory = _batch(
                areas, Path(tmp) / f"dask-{r}" / "out", workers, cluster="local"
            )
            pairs.append((pool_s, dask_s, pool_memory.peak_pss, dask_memory.peak_pss))
    pool_s, dask_s = min(p[0] for p in pairs), min(p[1] for p in pairs)  # best of each side
    ratio = dask_s / pool_s
    scope = (
        "every council"
        if len(areas) == len(every)
        else f"a sample of {len(areas)} of the {len(every)} councils (BENCH_DASK_AREAS=0 for all)"
    )
    print(
        f"machine: {os.cpu_count()} cores (load average now {os.getloadavg()[0]:.1f}); "
        f"{scope}, {PERIOD}; {workers} workers each"
        + (f"; best of {repeats}" if repeats > 1 else "")
    )
    print(
        f"1. local process pool `perf batch` {pool_s:.1f} s (peak {pairs[0][2] / 2**20:.0f} MB PSS);"
        f" Dask LocalCluster `perf batch --cluster local` {dask_s:.1f} s "
        f"(peak {pairs[0][3] / 2**20:.0f} MB PSS; includes starting the scheduler and workers)"
    )
    goal("Dask LocalCluster batch / local pool", ratio, "<=", 1.2)
    return {"dask_vs_pool": ratio}
