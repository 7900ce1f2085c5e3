"""Loading the whole LAIT extract into the validated observations model vs a bare
``pandas.read_csv`` of the same file. Goal: <= 2x. The ratio printed is the one measured."""

from __future__ import annotations

import time

import pandas as pd

from perf import config

LAIT = config.RAW_DIR / "lait" / "lait_key_indicators_long.csv"


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run() -> float:
    from perf.areas import areas
    from perf.catalogue import catalogue
    from perf.loaders import lait, load

    # Lookups are cached once per session; warm them so the ratio measures the load itself.
    areas()
    catalogue()
    lait.read_dictionary()
    bare = _best(lambda: pd.read_csv(LAIT))
    full = _best(lambda: load(LAIT))
    ratio = full / bare
    print(f"bare pandas.read_csv: {bare * 1000:.0f} ms; perf.load (validated): {full * 1000:.0f} ms")
    print(f"load_lait_ratio = {ratio:.1f}x (goal <= 2x: {'met' if ratio <= 2 else 'NOT met'})")
    return ratio
