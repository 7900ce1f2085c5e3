"""Computing every figure of a large council's statutory returns (issue 26): a benchmark,
not a test. Goal: at most 2 s.

A synthetic SSDA903 return and CIN census (:mod:`perf.childlevel.synthetic`, fixed seed)
for a large council: 10,000 children looked after and about 60,000 referrals over five
collection years (1 April 2020 to 31 March 2025), generated once, not timed. Then every
measure of :data:`perf.childlevel.observations.SSDA903_MEASURES` and ``CIN_MEASURES`` is
computed for every quarter of the five years, every year and every twelve months to a
quarter's end (``perf.childlevel.observations.compute``: 20 quarters, 5 years, 17 twelve
months; the snapshots at the 20 quarter ends). The figure is the best of three runs, in
CPU seconds of this process (``time.process_time``): the computation runs on one core, so
on an idle machine that is its wall-clock time too, and on a machine shared with others
(2 cores, a load of 15) the wall clock measures the queue as well; both are printed.

``BENCH_ONLY=childlevel`` runs this alone; another value skips it.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import date

from bench.goals import goal

CHILDREN = 10_000
REFERRALS = 60_000
GOAL_SECONDS = 2.0


def run() -> float | None:
    only = os.environ.get("BENCH_ONLY", "").strip().lower()
    if only and only != "childlevel":
        print(f"   (BENCH_ONLY={only}: childlevel benchmark skipped)")
        return None
    from perf.childlevel.common import Span
    from perf.childlevel.observations import CIN_MEASURES, SSDA903_MEASURES, compute
    from perf.childlevel.synthetic import generate

    logging.getLogger("perf").setLevel(logging.ERROR)
    started = time.perf_counter()
    made = generate(
        children=CHILDREN,
        referrals=REFERRALS,
        care_leavers=400,
        extract=date(2025, 3, 31),
        history_years=4,
        seed=26,
    )
    print(
        f"   generated {CHILDREN:,} children looked after ({len(made.episodes):,} episodes) and "
        f"{len(made.referrals):,} referrals in {time.perf_counter() - started:.1f}s (not timed)"
    )
    spans = [Span(date(2020, 4, 1), date(2025, 3, 31))]
    looked_after = {
        "episodes": made.episodes,
        "header": made.header,
        "missing": made.missing,
        "oc3": made.oc3,
        "ad1": made.ad1,
    }
    in_need = {
        "referrals": made.referrals,
        "assessments": made.assessments,
        "section47": made.section47,
        "plans": made.plans,
    }
    best, wall, figures = float("inf"), float("inf"), 0
    for _ in range(3):
        start, clock = time.process_time(), time.perf_counter()
        figures = len(compute(looked_after, spans, SSDA903_MEASURES))
        figures += len(compute(in_need, spans, CIN_MEASURES))
        best = min(best, time.process_time() - start)
        wall = min(wall, time.perf_counter() - clock)
    print(f"   {figures:,} figures (every measure, every quarter, year and twelve months)")
    print(f"   {best:.2f}s of CPU, {wall:.2f}s on the wall clock (best of 3)")
    goal("every figure of five years' returns", best, "<=", GOAL_SECONDS, unit=" s")
    return best
