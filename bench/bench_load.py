"""Loading LAIT into the validated observations model vs a bare pandas read of the same
file, as ratios measured in this one run (a benchmark, not a test). Goal: <= 2x.

1. The whole LAIT data set, ``data/raw/lait/bds_long_0.parquet`` (641,070 rows, 434
   measures): ``perf.load`` against a bare ``pandas.read_parquet``.
2. The 27-measure CSV extract (tests/fixtures; a row filter of the parquet): ``perf.load``
   against a bare ``pandas.read_csv``.

``BENCH_ONLY=load`` runs this alone; another value skips it. Only the parquet has a goal
(issue 18: the real-world input); the CSV extract is shown for comparison.

Each figure is the best of several runs, the two sides interleaved so that a busy machine
slows both alike. Lookups (areas, the data dictionary, the catalogue) are cached once per
session; they are warmed first so the ratio measures the load itself.
"""

from __future__ import annotations

import logging
import os
import time

import pandas as pd

from bench.goals import goal
from perf import config

LAIT_PARQUET = config.RAW_DIR / "lait" / "bds_long_0.parquet"
LAIT_CSV = config.TESTS_DIR / "fixtures" / "lait" / "lait_key_indicators_long.csv"


def _best_pair(bare, full, repeat: int = 7) -> tuple[float, float]:
    """Best time of ``bare()`` and of ``full()``, run alternately ``repeat`` times."""
    best_bare = best_full = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        bare()
        best_bare = min(best_bare, time.perf_counter() - start)
        start = time.perf_counter()
        full()
        best_full = min(best_full, time.perf_counter() - start)
    return best_bare, best_full


def run() -> float | None:
    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only and only != "load":
        print(f"   (BENCH_ONLY={only}: load benchmark skipped)")
        return None
    from perf.areas import areas
    from perf.catalogue import catalogue
    from perf.loaders import lait, load

    areas()
    catalogue()
    lait.read_dictionary()
    # The "0"-year warning would be printed once per repeat: it is not what is measured.
    logging.getLogger("perf").setLevel(logging.ERROR)
    load(LAIT_PARQUET)
    rows = len(pd.read_parquet(LAIT_PARQUET))
    bare, full = _best_pair(lambda: pd.read_parquet(LAIT_PARQUET), lambda: load(LAIT_PARQUET))
    print(
        f"1. whole LAIT parquet {LAIT_PARQUET.relative_to(config.PROJ_ROOT)} ({rows:,} rows): "
        f"bare pandas.read_parquet {bare * 1000:.0f} ms; perf.load (validated observations) "
        f"{full * 1000:.0f} ms (best of 7, interleaved)"
    )
    ratio = full / bare
    goal("LAIT parquet load / bare read_parquet", ratio, "<=", 2)
    bare, full = _best_pair(lambda: pd.read_csv(LAIT_CSV), lambda: load(LAIT_CSV))
    print(
        f"2. 27-measure LAIT CSV extract (tests/fixtures): bare pandas.read_csv "
        f"{bare * 1000:.0f} ms; perf.load {full * 1000:.0f} ms -> {full / bare:.2f}x (no goal: "
        "a small file, where the fixed cost of validation weighs most)"
    )
    return ratio
