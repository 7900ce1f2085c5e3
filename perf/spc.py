"""Statistical process control: XmR charts as NHS England's *Making Data Count* describes them.

* **Limits.** Per phase, the mean of the baseline points and the mean moving range
  (``mR-bar``: mean of absolute differences between consecutive baseline points). Process
  limits are ``mean ± 2.66 × mR-bar``; the sigma lines are at ``mean ± k × 2.66/3 × mR-bar``
  for k = 1, 2 (2.66 = 3 / 1.128, the d2 constant for ranges of two). The baseline is the
  whole phase, or its first ``baseline`` points (limits then extend unchanged).
* **Trial limits.** A baseline of fewer than 12 points gives *trial* limits: column
  ``trial_limits`` is True and ``attrs["warnings"]`` says so.
* **Rebasing.** ``rebase_at`` lists the points where a declared break (a change in process)
  starts a new phase; each phase has its own limits, moving ranges and rule runs.
* **The four rules** (each flags every point taking part):
  1. ``rule_beyond_limits``: a point above the upper or below the lower process limit;
  2. ``rule_shift``: 7 or more consecutive points above the mean, or below it (a point
     exactly on the mean breaks the run);
  3. ``rule_trend``: 7 or more consecutive points each higher than the one before, or each
     lower (an equal value breaks the run);
  4. ``rule_two_of_three``: 2 of 3 consecutive points beyond the same 2-sigma line
     (strictly beyond; points beyond a process limit count).
* **Direction.** A special-cause point is ``high`` when the rules that flag it put it above
  the mean or rising (``low`` for below/falling); by polarity that is ``improvement`` or
  ``concern`` (``neither`` for indicators with no better direction).
* **Icons.** :func:`variation_icon` reads the latest point; :func:`assurance_icon` compares the
  target with the latest process limits: consistently pass when the whole range between
  the limits is on the passing side, consistently fail when it is all on the failing side,
  hit and miss when the target lies between (or on) the limits; none without a target or
  for polarity ``neither``.

Moving-range screening (dropping mR above 3.267 × mR-bar) is not applied.

Examples:
    >>> chart = xmr([10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11, 30], polarity="high",
    ...             baseline=12)
    >>> float(chart["mean"].iloc[0]), round(float(chart["upl"].iloc[0]), 3)
    (11.5, 15.127)
    >>> bool(chart["rule_beyond_limits"].iloc[-1]), chart["direction"].iloc[-1]
    (True, 'improvement')
    >>> variation_icon(chart), assurance_icon(chart, target=5)
    ('special cause improving', 'consistently pass')
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perf.errors import PerfError
from perf.periods import parse_period

__all__ = [
    "LIMIT_FACTOR",
    "RUN_LENGTH",
    "TRIAL_MINIMUM",
    "SPCError",
    "assurance_icon",
    "series_for",
    "variation_icon",
    "xmr",
]

LIMIT_FACTOR = 2.66
TRIAL_MINIMUM = 12
RUN_LENGTH = 7

SPC_COLUMNS = [
    "value", "phase", "mean", "moving_range", "mr_mean", "lpl", "upl",
    "lower_1sigma", "upper_1sigma", "lower_2sigma", "upper_2sigma", "target",
    "rule_beyond_limits", "rule_shift", "rule_trend", "rule_two_of_three",
    "special_cause", "side", "direction", "trial_limits",
]


class SPCError(PerfError):
    """An XmR chart cannot be drawn from what was given."""


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    """Points belonging to a run of at least ``length`` consecutive True values."""
    out = np.zeros(len(mask), dtype=bool)
    start = None
    for i, m in enumerate(list(mask) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            if i - start >= length:
                out[start:i] = True
            start = None
    return out


def _phase_chart(v: np.ndarray, baseline: int | None) -> dict[str, np.ndarray]:
    n = len(v)
    nb = n if baseline is None else min(int(baseline), n)
    if nb < 2:
        raise SPCError("an XmR phase needs at least 2 points to compute limits",
                       hint="Give more data or move the rebase point.")
    base = v[:nb]
    mean = float(base.mean())
    mr = np.abs(np.diff(v))
    mr_mean = float(np.abs(np.diff(base)).mean())
    width = LIMIT_FACTOR * mr_mean
    sigma = width / 3

    def full(x: float) -> np.ndarray:
        return np.full(n, x, dtype=float)

    above, below = v > mean, v < mean
    beyond = (v > mean + width) | (v < mean - width)
    shift_hi, shift_lo = _runs(above, RUN_LENGTH), _runs(below, RUN_LENGTH)
    # trend: point i continues a run if it is above/below point i-1; a run of 7 points
    # has 6 steps, so mark steps then extend each run back to its first point
    up = np.r_[False, np.diff(v) > 0]
    down = np.r_[False, np.diff(v) < 0]
    trend_hi = _runs(up, RUN_LENGTH - 1)
    trend_lo = _runs(down, RUN_LENGTH - 1)
    for t in (trend_hi, trend_lo):
        starts = np.flatnonzero(t & ~np.r_[False, t[:-1]])
        t[starts - 1] = True
    hi2, lo2 = v > mean + 2 * sigma, v < mean - 2 * sigma
    two_hi = np.zeros(n, dtype=bool)
    two_lo = np.zeros(n, dtype=bool)
    for i in range(max(n - 2, 0)):
        for side, flag in ((hi2, two_hi), (lo2, two_lo)):
            window = side[i:i + 3]
            if window.sum() >= 2:
                flag[i:i + 3] |= window
    high = (beyond & above) | shift_hi | trend_hi | two_hi
    low = (beyond & below) | shift_lo | trend_lo | two_lo
    return {
        "mean": full(mean), "moving_range": np.r_[np.nan, mr], "mr_mean": full(mr_mean),
        "lpl": full(mean - width), "upl": full(mean + width),
        "lower_1sigma": full(mean - sigma), "upper_1sigma": full(mean + sigma),
        "lower_2sigma": full(mean - 2 * sigma), "upper_2sigma": full(mean + 2 * sigma),
        "rule_beyond_limits": beyond, "rule_shift": shift_hi | shift_lo,
        "rule_trend": trend_hi | trend_lo, "rule_two_of_three": two_hi | two_lo,
        "_high": high, "_low": low, "_above": above,
        "trial_limits": np.full(n, nb < TRIAL_MINIMUM),
    }


def xmr(
    values: pd.Series | Sequence[float],
    *,
    target: float | None = None,
    polarity: str = "neither",
    baseline: int | None = None,
    rebase_at: Sequence[object] | None = None,
) -> pd.DataFrame:
    """An XmR chart's numbers, one row per point (index as the input's).

    Args:
        values: the series in time order (a Series indexed by period, or a list).
            Missing values are dropped from the calculations and kept as empty rows.
        target: optional target, carried as a column for the assurance icon.
        polarity: ``high``, ``low`` or ``neither``.
        baseline: number of points at the start of each phase used to compute its limits.
        rebase_at: index labels (positions for a list) where a new phase starts.

    Returns:
        Columns :data:`SPC_COLUMNS`. ``attrs``: polarity, target, trial_limits (bool),
        warnings (list of str), phases (list of first labels).

    Raises:
        SPCError: unknown polarity, unknown rebase label, a phase with fewer than 2 points.
    """
    if polarity not in ("high", "low", "neither"):
        raise SPCError(f"unknown polarity {polarity!r}", hint="Use high, low or neither.")
    series = values.copy() if isinstance(values, pd.Series) else pd.Series(list(values))
    series = series.astype("float64")
    present = series.dropna()
    if len(present) < 2:
        raise SPCError("an XmR chart needs at least 2 values", value=len(present))
    breaks = list(rebase_at or [])
    unknown = [b for b in breaks if b not in present.index]
    if unknown:
        raise SPCError("rebase point is not a point of the series (or has no value)",
                       value=unknown[0], hint="Use a label of the series' index.")
    phase = np.zeros(len(present), dtype=int)
    for b in breaks:
        phase[present.index.get_loc(b):] += 1
    parts: list[pd.DataFrame] = []
    warnings: list[str] = []
    for p in np.unique(phase):
        v = present.to_numpy()[phase == p]
        idx = present.index[phase == p]
        numbers = _phase_chart(v, baseline)
        part = pd.DataFrame({"value": v, "phase": p, **numbers}, index=idx)
        if numbers["trial_limits"][0]:
            used = len(v) if baseline is None else min(baseline, len(v))
            warnings.append(f"phase {p + 1} (from {idx[0]}): trial limits from {used} points; "
                            f"Making Data Count advises at least {TRIAL_MINIMUM}")
        parts.append(part)
    chart = pd.concat(parts)
    chart["special_cause"] = chart["_high"] | chart["_low"]
    side = np.where(chart["_high"] & ~chart["_low"], "high",
                    np.where(chart["_low"] & ~chart["_high"], "low",
                             np.where(chart["_above"], "high", "low")))
    chart["side"] = pd.array(np.where(chart["special_cause"], side, None), dtype="string")
    to_direction = {"high": {"high": "improvement", "low": "concern"},
                    "low": {"high": "concern", "low": "improvement"},
                    "neither": {"high": "neither", "low": "neither"}}[polarity]
    chart["direction"] = chart["side"].map(to_direction).astype("string")
    chart["target"] = np.nan if target is None else float(target)
    chart["phase"] = chart["phase"].astype("int64")
    chart = chart.reindex(series.index)
    for col in ("rule_beyond_limits", "rule_shift", "rule_trend", "rule_two_of_three",
                "special_cause", "trial_limits"):
        chart[col] = chart[col].astype("boolean")
    chart["phase"] = chart["phase"].astype("Int64")
    chart = chart[SPC_COLUMNS]
    chart.attrs = {"polarity": polarity, "target": target,
                   "trial_limits": bool(chart["trial_limits"].fillna(False).any()),
                   "warnings": warnings,
                   "phases": [present.index[phase == p][0] for p in np.unique(phase)]}
    return chart


def _last(chart: pd.DataFrame) -> pd.Series:
    rows = chart.dropna(subset=["value"])
    if rows.empty:
        raise SPCError("the chart has no values")
    return rows.iloc[-1]


def variation_icon(chart: pd.DataFrame) -> str:
    """The variation icon for the latest point: ``common cause``, ``special cause improving``,
    ``special cause concerning`` or ``special cause neither`` (polarity neither).

    >>> variation_icon(xmr([5, 6, 5, 6, 5, 6, 5, 6]))
    'common cause'
    """
    last = _last(chart)
    if not bool(last["special_cause"]):
        return "common cause"
    return {"improvement": "special cause improving", "concern": "special cause concerning",
            "neither": "special cause neither"}[str(last["direction"])]


def assurance_icon(chart: pd.DataFrame, target: float | None = None,
                   polarity: str | None = None) -> str | None:
    """``consistently pass``, ``consistently fail``, ``hit and miss``, or None (no target,
    or polarity neither), from the latest phase's process limits.

    >>> chart = xmr([50, 52, 51, 53, 52, 50, 51, 52, 53, 51, 52, 50], polarity="low")
    >>> assurance_icon(chart, 60), assurance_icon(chart, 45), assurance_icon(chart, 51)
    ('consistently pass', 'consistently fail', 'hit and miss')
    """
    polarity = polarity or chart.attrs.get("polarity", "neither")
    if target is None:
        target = chart.attrs.get("target")
    if target is None or pd.isna(target) or polarity == "neither":
        return None
    last = _last(chart)
    lpl, upl, t = float(last["lpl"]), float(last["upl"]), float(target)
    if polarity == "high":
        if lpl > t:
            return "consistently pass"
        if upl < t:
            return "consistently fail"
    else:
        if upl < t:
            return "consistently pass"
        if lpl > t:
            return "consistently fail"
    return "hit and miss"


def series_for(frame: pd.DataFrame, indicator: str, area: str) -> pd.Series:
    """One indicator's values for one area as a Series indexed by period, in time order.

    >>> frame = pd.DataFrame({"indicator": "x", "area_code": "A",
    ...     "period": ["2012-13 Q2", "2011-12 Q4", "2012-13 Q1"], "value": [3.0, 1.0, 2.0]})
    >>> series_for(frame, "x", "A").to_dict()
    {'2011-12 Q4': 1.0, '2012-13 Q1': 2.0, '2012-13 Q2': 3.0}
    """
    sub = frame[(frame["indicator"] == indicator) & (frame["area_code"] == area)]
    if sub.empty:
        raise SPCError(f"no values for indicator {indicator!r} in area {area!r}")
    order = sorted(sub["period"].unique(), key=lambda p: parse_period(str(p)))
    s = sub.set_index("period")["value"].astype("float64").reindex(order)
    s.index = pd.Index([str(p) for p in s.index], name="period")
    s.name = indicator
    return s
