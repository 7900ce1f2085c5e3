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
* **Screening** (``screen_outliers=True``, the default, as in the Making Data Count tools):
  a moving range of 3.267 x mR-bar or more (``mr_excluded``) is left out and mR-bar is
  computed again from the rest, once, before the limits.
* **The four rules**, as NHS England's Making Data Count tools and NHSRplotthedots apply
  them (each flags every point taking part):
  1. ``rule_beyond_limits``: a point above the upper or below the lower process limit;
  2. ``rule_trend``: 7 or more consecutive points each higher than the one before, or each
     lower (an equal value breaks the run);
  3. ``rule_two_of_three``: in 3 consecutive points *all on the same side of the mean*, at
     least 2 are close to a limit (beyond the 2-sigma line but not beyond the process
     limit); the close points are flagged (a point beyond a limit is not counted: rule 1
     speaks for it; a point on the mean breaks the window);
  4. ``rule_shift``: 7 or more consecutive points above the mean, or below it (a point
     exactly on the mean breaks the run).
* **Precedence and direction.** When rules disagree the first in the list above decides
  (``rule``): beyond limits (high or low by the side of the mean), then the trend (rising or
  falling: a point joining two trends takes the step to the next point, as the tools do),
  then two of three, then the shift (each by the side of the mean). So seven rising points
  below the mean are a rising trend, an improvement where higher is better, not a shift
  below. By polarity that is ``improvement`` or ``concern`` (``neither`` for indicators
  with no better direction); ``point_type`` uses NHSRplotthedots's names
  (``common_cause``, ``special_cause_improvement``, ``special_cause_concern``,
  ``special_cause_neutral_high``/``_low``), and tests/test_spc.py checks it against that
  package's own cases and against a literal reading of its rules on random series.
* **Icons.** :func:`variation_icon` reads the latest point; :func:`assurance_icon` compares the
  target with the latest process limits: consistently pass when the whole range between
  the limits is on the passing side, consistently fail when it is all on the failing side,
  hit and miss when the target lies between (or on) the limits; none without a target or
  for polarity ``neither``.
* **Declared breaks.** :func:`declared_rebase` turns a catalogue's ``break_at`` (a change in
  how a figure is collected, e.g. school absence from 2020/21) into ``rebase_at`` points.

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
    "SCREEN_FACTOR",
    "TRIAL_MINIMUM",
    "SPCError",
    "assurance_icon",
    "declared_rebase",
    "latest_signal",
    "series_for",
    "variation_icon",
    "xmr",
]

LIMIT_FACTOR = 2.66
#: A moving range this many times mR-bar or more is screened out of the limits.
SCREEN_FACTOR = 3.267
TRIAL_MINIMUM = 12
RUN_LENGTH = 7

SPC_COLUMNS = [
    "value",
    "phase",
    "mean",
    "moving_range",
    "mr_excluded",
    "mr_mean",
    "lpl",
    "upl",
    "lower_1sigma",
    "upper_1sigma",
    "lower_2sigma",
    "upper_2sigma",
    "target",
    "rule_beyond_limits",
    "rule_shift",
    "rule_trend",
    "rule_two_of_three",
    "special_cause",
    "rule",
    "side",
    "direction",
    "point_type",
    "trial_limits",
]


class SPCError(PerfError):
    """An XmR chart cannot be drawn from what was given."""


def _part_of_run(ends: np.ndarray, length: int) -> np.ndarray:
    """Points that belong to a run of ``length`` whose last point is flagged in ``ends``."""
    out = np.zeros(len(ends), dtype=bool)
    for i in np.flatnonzero(ends):
        out[max(0, i - length + 1) : i + 1] = True
    return out


def _shift_ends(side: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """Points that end a run of ``length`` on one side of the mean (``side``: +1, -1, or 0
    on the mean, which breaks a run)."""
    ends = np.zeros(len(side), dtype=bool)
    for i in range(length - 1, len(side)):
        window = side[i - length + 1 : i + 1]
        ends[i] = window[-1] != 0 and bool((window == window[-1]).all())
    return ends


def _trend_ends(v: np.ndarray, length: int = RUN_LENGTH) -> np.ndarray:
    """+1 where a point ends a run of ``length`` points each higher than the one before, -1
    each lower, 0 otherwise (an equal value breaks the run)."""
    step = np.sign(np.diff(v))
    ends = np.zeros(len(v))
    for i in range(length - 1, len(v)):
        steps = step[i - length + 1 : i]
        ends[i] = 1.0 if (steps == 1).all() else -1.0 if (steps == -1).all() else 0.0
    return ends


def _two_of_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """Points in 3 consecutive points all on one side of the mean of which at least 2 are
    close to a limit (``close``)."""
    found = np.zeros(len(close), dtype=bool)
    for i in range(len(close) - 2):
        if close[i : i + 3].sum() >= 2 and abs(side[i : i + 3].sum()) == 3:
            found[i : i + 3] = True
    return found


def _phase_chart(
    v: np.ndarray, baseline: int | None, screen_outliers: bool, polarity: str
) -> dict[str, np.ndarray]:
    n = len(v)
    nb = n if baseline is None else min(int(baseline), n)
    if nb < 2:
        raise SPCError(
            "an XmR phase needs at least 2 points to compute limits",
            hint="Give more data or move the rebase point.",
        )
    base = v[:nb]
    mean = float(base.mean())
    mr = np.abs(np.diff(v))
    base_mr = np.abs(np.diff(base))
    mr_mean = float(base_mr.mean())
    excluded = np.zeros(n, dtype=bool)
    if screen_outliers:
        # Making Data Count: a moving range of 3.267 x mR-bar or more is left out and the
        # mean moving range recomputed once (NHSRplotthedots keeps ranges below it)
        kept = base_mr < SCREEN_FACTOR * mr_mean
        excluded[1:nb] = ~kept
        mr_mean = float(base_mr[kept].mean()) if kept.any() else mr_mean
    width = LIMIT_FACTOR * mr_mean
    sigma = width / 3

    def full(x: float) -> np.ndarray:
        return np.full(n, x, dtype=float)

    side = np.sign(v - mean)  # +1 above the mean, -1 below, 0 on it
    beyond = (v > mean + width) | (v < mean - width)
    # close to a limit: beyond a 2-sigma line but not beyond the process limit
    close = ~beyond & ((v > mean + 2 * sigma) | (v < mean - 2 * sigma))
    shift = _part_of_run(_shift_ends(side), RUN_LENGTH)
    step = np.sign(np.diff(v))
    trend = _part_of_run(_trend_ends(v) != 0, RUN_LENGTH)
    # two of three: the close points of such a window are flagged
    two_of_three = _two_of_three(close, side) & close
    # Which rule speaks for a point, in the tools' precedence, and which way it points:
    # beyond a limit, then a trend, then two of three, then a shift.
    trend_way = np.zeros(n)
    for i in np.flatnonzero(trend):
        if i + 1 < n and trend[i + 1]:
            trend_way[i] = step[i]  # the step to the next point of the trend
        else:
            trend_way[i] = step[i - 1] if i else 0.0
    # a trend point whose step is flat reads as falling, as NHSRplotthedots reads it
    trend_way = np.where(trend & (trend_way != 1), -1.0, trend_way)
    rule = np.full(n, None, dtype=object)
    way = np.zeros(n)
    for name, flagged, direction in (
        ("shift", shift, side),
        ("two_of_three", two_of_three, side),
        ("trend", trend, trend_way),
        ("beyond_limits", beyond, side),
    ):
        rule = np.where(flagged, name, rule)  # later (higher-precedence) rules overwrite
        way = np.where(flagged, direction, way)
    return {
        "mean": full(mean),
        "moving_range": np.r_[np.nan, mr],
        "mr_excluded": excluded,
        "mr_mean": full(mr_mean),
        "lpl": full(mean - width),
        "upl": full(mean + width),
        "lower_1sigma": full(mean - sigma),
        "upper_1sigma": full(mean + sigma),
        "lower_2sigma": full(mean - 2 * sigma),
        "upper_2sigma": full(mean + 2 * sigma),
        "rule_beyond_limits": beyond,
        "rule_shift": shift,
        "rule_trend": trend,
        "rule_two_of_three": two_of_three,
        "_rule": rule,
        "_way": way,
        "trial_limits": np.full(n, nb < TRIAL_MINIMUM),
    }


def xmr(
    values: pd.Series | Sequence[float],
    *,
    target: float | None = None,
    polarity: str = "neither",
    baseline: int | None = None,
    rebase_at: Sequence[object] | None = None,
    screen_outliers: bool = True,
) -> pd.DataFrame:
    """An XmR chart's numbers, one row per point (index as the input's).

    Args:
        values: the series in time order (a Series indexed by period, or a list).
            Missing values are dropped from the calculations and kept as empty rows.
        target: optional target, carried as a column for the assurance icon.
        polarity: ``high``, ``low`` or ``neither``.
        baseline: number of points at the start of each phase used to compute its limits.
        rebase_at: index labels (positions for a list) where a new phase starts.
        screen_outliers: leave moving ranges of 3.267 x mR-bar or more out of the limits
            (Making Data Count's screening; on by default, as in its tools).

    Returns:
        Columns :data:`SPC_COLUMNS`. ``rule`` names the rule that speaks for a special-cause
        point (precedence: beyond limits, trend, two of three, shift); ``point_type`` is
        NHSRplotthedots's name for it. ``attrs``: polarity, target, trial_limits (bool),
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
        raise SPCError(
            "rebase point is not a point of the series (or has no value)",
            value=unknown[0],
            hint="Use a label of the series' index.",
        )
    phase = np.zeros(len(present), dtype=int)
    for b in breaks:
        phase[present.index.get_loc(b) :] += 1
    parts: list[pd.DataFrame] = []
    warnings: list[str] = []
    for p in np.unique(phase):
        v = present.to_numpy()[phase == p]
        idx = present.index[phase == p]
        numbers = _phase_chart(v, baseline, screen_outliers, polarity)
        part = pd.DataFrame({"value": v, "phase": p, **numbers}, index=idx)
        if numbers["trial_limits"][0]:
            used = len(v) if baseline is None else min(baseline, len(v))
            warnings.append(
                f"phase {p + 1} (from {idx[0]}): trial limits from {used} points; "
                f"Making Data Count advises at least {TRIAL_MINIMUM}"
            )
        parts.append(part)
    chart = pd.concat(parts)
    chart["special_cause"] = chart["_rule"].notna()
    way = chart["_way"].to_numpy()
    side = np.where(chart["special_cause"], np.where(way > 0, "high", "low"), np.array(None))
    chart["side"] = pd.array(side, dtype="string")
    to_direction = {
        "high": {"high": "improvement", "low": "concern"},
        "low": {"high": "concern", "low": "improvement"},
        "neither": {"high": "neither", "low": "neither"},
    }[polarity]
    chart["direction"] = chart["side"].map(to_direction).astype("string")
    names = {"improvement": "special_cause_improvement", "concern": "special_cause_concern"}
    chart["point_type"] = pd.array(
        [
            "common_cause" if not special else names.get(str(d), f"special_cause_neutral_{s}")
            for special, d, s in zip(chart["special_cause"], chart["direction"], chart["side"])
        ],
        dtype="string",
    )
    chart["rule"] = pd.array(chart["_rule"].to_numpy(), dtype="string")
    chart["target"] = np.nan if target is None else float(target)
    chart["phase"] = chart["phase"].astype("int64")
    chart = chart.reindex(series.index)
    for col in (
        "rule_beyond_limits",
        "rule_shift",
        "rule_trend",
        "rule_two_of_three",
        "special_cause",
        "trial_limits",
        "mr_excluded",
    ):
        chart[col] = chart[col].astype("boolean")
    chart["phase"] = chart["phase"].astype("Int64")
    chart = chart[SPC_COLUMNS]
    chart.attrs = {
        "polarity": polarity,
        "target": target,
        "trial_limits": bool(chart["trial_limits"].fillna(False).any()),
        "warnings": warnings,
        "phases": [present.index[phase == p][0] for p in np.unique(phase)],
    }
    return chart


def latest_signal(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    polarity: str = "neither",
    target: float | None = None,
    rebase_at: Sequence[str] = (),
) -> tuple[str, str | None, bool]:
    """What :func:`variation_icon` and :func:`assurance_icon` say of the latest point of an
    :func:`xmr` chart of ``values`` (missing values left out, as there), computed from the
    last phase alone without building the chart: (variation, assurance, trial limits). The
    same rules and limits as :func:`xmr` (its phase computation); for the briefing's verdict
    of every indicator, which would otherwise build a chart each.

    >>> latest_signal([10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11, 30],
    ...               [str(i) for i in range(13)], polarity="high", target=5)[:2]
    ('special cause improving', 'consistently pass')
    >>> before, after = [5.0, 5.1, 4.9, 5.0, 5.1], [8.0, 8.2, 7.9, 8.1, 8.0, 8.1, 8.0]
    >>> labels = [str(year) for year in range(2013, 2025)]
    >>> latest_signal(before + after, labels, polarity="low")[0]
    'special cause concerning'
    >>> latest_signal(before + after, labels, polarity="low", rebase_at=["2018"])[0]
    'common cause'

    Raises:
        SPCError: as :func:`xmr` (unknown polarity or rebase label, too few points).
    """
    if polarity not in ("high", "low", "neither"):
        raise SPCError(f"unknown polarity {polarity!r}", hint="Use high, low or neither.")
    v = np.asarray(values, dtype="float64")
    keep = ~np.isnan(v)
    v, names = v[keep], [str(x) for x, k in zip(labels, keep) if k]
    if len(v) < 2:
        raise SPCError("an XmR chart needs at least 2 values", value=len(v))
    start = 0
    for b in rebase_at:
        if str(b) not in names:
            raise SPCError("rebase point is not a point of the series (or has no value)", value=b)
        start = max(start, names.index(str(b)))
    phase = v[start:]
    numbers = _phase_chart(phase, None, True, polarity)
    rule, way = numbers["_rule"][-1], numbers["_way"][-1]
    if rule is None:
        variation = "common cause"
    elif polarity == "neither":
        variation = "special cause neither"
    else:
        good = (way > 0) == (polarity == "high")
        variation = "special cause improving" if good else "special cause concerning"
    assurance = None
    if target is not None and not np.isnan(float(target)) and polarity != "neither":
        lpl, upl, t = float(numbers["lpl"][-1]), float(numbers["upl"][-1]), float(target)
        passing, failing = (lpl > t, upl < t) if polarity == "high" else (upl < t, lpl > t)
        assurance = (
            "consistently pass" if passing else "consistently fail" if failing else "hit and miss"
        )
    return variation, assurance, bool(numbers["trial_limits"][-1])


def declared_rebase(index: Sequence[str], break_at: str | None) -> list[str]:
    """The points of a series (labels in time order) where the declared breaks start a new
    phase: each break's own label, else the first later point; ``break_at`` is the
    catalogue's ';'-separated list (blank or None: no break).

    >>> declared_rebase(["2018/19", "2019/20", "2020/21", "2021/22"], "2020/21")
    ['2020/21']
    >>> declared_rebase(["2018/19", "2021/22"], "2020/21"), declared_rebase(["2018/19"], None)
    (['2021/22'], [])
    """
    if not isinstance(break_at, str) or not break_at.strip():
        return []
    labels = [str(x) for x in index]
    starts = [parse_period(label).start for label in labels]
    found = []
    for text in break_at.split(";"):
        text = text.strip()
        if not text:
            continue
        begins = parse_period(text).start
        later = [label for label, start in zip(labels, starts) if start >= begins]
        if later and later[0] != labels[0] and later[0] not in found:
            found.append(later[0])
    return found


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
    return {
        "improvement": "special cause improving",
        "concern": "special cause concerning",
        "neither": "special cause neither",
    }[str(last["direction"])]


def assurance_icon(
    chart: pd.DataFrame, target: float | None = None, polarity: str | None = None
) -> str | None:
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
