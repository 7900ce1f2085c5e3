"""Scoring performance against target: the Dudley status scheme and its RAG equivalent.

**Tolerance.** Every indicator has a tolerance ``tol`` (from the catalogue) that defines a
band either side of the target: ``[target - tol, target + tol]``. With
``tolerance_type="absolute"`` ``tol`` is in the indicator's own units (percentage points,
days, rate per 10,000); with ``"relative"`` it is a *fraction of the target*
(``tolerance=0.1`` means 10% of the target, i.e. ``tol = abs(target) * 0.1``), as
``data/catalogue.csv`` declares it. A missing tolerance means 0 (the target itself is the line).

**Status.** Let ``d`` be how far the value is on the *good* side of the target
(``value - target`` when higher is better, ``target - value`` when lower is better):

==================  ==================  ======  ========================================  =====
status              condition           symbol  word                                      RAG
==================  ==================  ======  ========================================  =====
``exceeds``         ``d > tol``         ★       Exceeds target tolerance                  green
``on_target_upper`` ``0 <= d <= tol``   ●       On target (upper half of tolerance)       green
``on_target_lower`` ``-tol <= d < 0``   ◐       On target (lower half of tolerance)       amber
``below``           ``d < -tol``        ▲       Below target tolerance                    red
``no_data``         value or target     –       No data                                   no data
                    missing
==================  ==================  ======  ========================================  =====

So the band's edges belong to the band (on target), hitting the target exactly is the upper
(better) half, and "upper half" always means the better half by polarity. Comparisons at the
edges allow for floating-point noise (``abs(d - tol) <= 1e-9 * max(1, abs(tol))`` counts as
equal). Indicators with polarity ``neither`` cannot be scored against a target
(:class:`ScoringError`).

**RAG mapping** (the Leeds style): exceeds and upper half -> green, lower half -> amber,
below -> red, no data -> "no data" (never green).

Examples:
    >>> score(104.9, 98.8, "low", 5.0)
    Status(status='below', symbol='▲', word='Below target tolerance', rag='red')
    >>> score(62.9, 72.5, "high", 10.0).status
    'on_target_lower'
    >>> score(None, 72.5, "high", 10.0).rag
    'no data'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from perf._numbers import is_missing
from perf.errors import PerfError, UnknownIndicatorError
from perf.loaders.plans import SCHEMES
from perf.periods import parse_period

__all__ = [
    "ACTIVITY_STATUSES",
    "STATUSES",
    "ScoringError",
    "Status",
    "activity_counts",
    "score",
    "score_activities",
    "score_against_target",
    "tolerance_width",
]


class ScoringError(PerfError):
    """An indicator cannot be scored as asked (e.g. no polarity, unknown tolerance type)."""


@dataclass(frozen=True)
class Status:
    """One score: machine status, symbol, words for the reader and RAG colour name."""

    status: str
    symbol: str
    word: str
    rag: str


_RAG = {"exceeds": "green", "on_target_upper": "green", "on_target_lower": "amber", "below": "red"}
#: The five statuses in order from best to worst (``no_data`` last); symbols and words are
#: the council tolerance scheme's (perf.loaders.plans.SCHEMES, the one table of them).
STATUSES: dict[str, Status] = {
    **{
        name: Status(name, symbol, word, _RAG[name])
        for name, (symbol, word) in SCHEMES["tolerance"].labels.items()
    },
    "no_data": Status("no_data", "–", "No data", "no data"),
}

#: Rank of each status, 0 = best; used by tests of monotonicity and by summaries.
STATUS_ORDER: dict[str, int] = {name: i for i, name in enumerate(STATUSES)}

#: Key-activity progress statuses (the Dudley key-actions scheme).
ACTIVITY_STATUSES: dict[str, tuple[str, str]] = {
    "excellent": ("★", "Excellent progress / ahead of schedule"),
    "good": ("✓", "Good progress / on schedule"),
    "fair": ("▲", "Fair progress / behind schedule"),
}

_EPS = 1e-9


def _missing(x: object) -> bool:
    """Missing, or not a number at all (a status is never computed from text)."""
    if is_missing(x):
        return True
    try:
        float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True
    return False


def tolerance_width(
    target: float, tolerance: float | None, tolerance_type: str = "absolute"
) -> float:
    """The half-width of the tolerance band in the indicator's units.

    >>> tolerance_width(72.5, 0.1, "relative")
    7.25
    >>> tolerance_width(72.5, None)
    0.0
    """
    if _missing(tolerance):
        return 0.0
    tol = float(tolerance)  # type: ignore[arg-type]
    if tol < 0:
        raise ScoringError("a tolerance cannot be negative", value=tol)
    if tolerance_type == "absolute":
        return tol
    if tolerance_type == "relative":
        return abs(float(target)) * tol
    raise ScoringError(
        f"unknown tolerance_type {tolerance_type!r}", hint="Use 'absolute' or 'relative'."
    )


def score(
    value: float | None,
    target: float | None,
    polarity: str,
    tolerance: float | None = 0.0,
    tolerance_type: str = "absolute",
) -> Status:
    """Score one value against its target (see the module docstring for the rule).

    Args:
        value: the actual figure (YTD for cumulative indicators); missing -> ``no_data``.
        target: the target; missing -> ``no_data``.
        polarity: ``"high"`` (higher is better) or ``"low"`` (lower is better).
        tolerance: half-width of the band, in absolute units or as a fraction of the target.
        tolerance_type: ``"absolute"`` or ``"relative"``.

    Raises:
        ScoringError: unknown polarity; polarity ``neither`` with both a value and a target
            (with either missing the status is ``no_data``); negative tolerance.

    Examples:
        >>> score(50, 65, "high", 5).symbol
        '▲'
        >>> score(174, 213, "low", 10).word
        'Exceeds target tolerance'
        >>> score(98.8, 98.8, "low", 5).status  # exactly on target: the better half
        'on_target_upper'
        >>> score(103.8, 98.8, "low", 5).status  # on the band's edge: still on target
        'on_target_lower'
    """
    if polarity not in ("high", "low", "neither"):
        raise ScoringError(f"unknown polarity {polarity!r}", hint="Use high, low or neither.")
    if _missing(value) or _missing(target):
        return STATUSES["no_data"]
    if polarity == "neither":
        raise ScoringError(
            "cannot score against a target an indicator with polarity 'neither'",
            hint="Only indicators where higher or lower is better can be scored; "
            "set the polarity in the catalogue.",
        )
    v, t = float(value), float(target)  # type: ignore[arg-type]
    tol = tolerance_width(t, tolerance, tolerance_type)
    d = v - t if polarity == "high" else t - v
    eps = _EPS * max(1.0, abs(tol), abs(t))
    if abs(d) <= eps:
        d = 0.0
    if abs(d - tol) <= eps:
        d = tol
    elif abs(d + tol) <= eps:
        d = -tol
    if d > tol:
        return STATUSES["exceeds"]
    if d >= 0:
        return STATUSES["on_target_upper"]
    if d >= -tol:
        return STATUSES["on_target_lower"]
    return STATUSES["below"]


_SCALE = {"%": 100.0, "rate per 10,000": 10_000.0}


def _catalogue_rows(catalogue: pd.DataFrame, indicators: Iterable[str]) -> pd.DataFrame:
    cat = catalogue.set_index("indicator")
    unknown = sorted(set(indicators) - set(cat.index))
    if unknown:
        raise UnknownIndicatorError(
            "indicator not in the catalogue",
            value=", ".join(unknown),
            hint="Add it to data/catalogue.csv or correct the id.",
        )
    return cat


def _ytd_value(frame: pd.DataFrame, row: pd.Series, unit: str) -> tuple[float, str]:
    """Recompute a cumulative indicator's year-to-date value from the quarters' numerators
    and denominators when every quarter so far has both; otherwise the value as reported
    (council scorecards report cumulative indicators year to date)."""
    try:
        period = parse_period(str(row["period"]))
    except PerfError:
        return row["value"], "as reported"
    if period.kind != "financial_quarter" or not {"numerator", "denominator"} <= set(frame.columns):
        return row["value"], "as reported"
    fy, q = period.label.split(" Q")
    wanted = [f"{fy} Q{i}" for i in range(1, int(q) + 1)]
    rows = frame[
        (frame["indicator"] == row["indicator"])
        & (frame["area_code"] == row["area_code"])
        & frame["period"].isin(wanted)
    ]
    if len(rows) != len(wanted) or rows[["numerator", "denominator"]].isna().to_numpy().any():
        return row["value"], "as reported"
    den = float(rows["denominator"].sum())
    if den == 0:
        return row["value"], "as reported"
    scale = _SCALE.get(unit, 1.0)
    return float(rows["numerator"].sum()) / den * scale, "year to date (recomputed)"


def score_against_target(
    frame: pd.DataFrame,
    targets: pd.DataFrame | None,
    catalogue: pd.DataFrame,
) -> pd.DataFrame:
    """Score observations against targets, one row per indicator x area x period.

    Rows: every row of ``frame`` (filter it first to what you want scored) plus any target
    with no observation (scored ``no_data``). The target comes from ``targets`` (columns
    indicator, area_code, period, target) or, when ``targets`` is None, from a ``target``
    column of ``frame`` (the local observations layout).

    Cumulative indicators (catalogue ``cumulative``) are scored on their year-to-date value:
    recomputed from the quarters' numerators and denominators when all are present,
    otherwise the value as reported, which for a cumulative indicator *is* the YTD figure
    (column ``basis`` says which).

    Returns:
        DataFrame with columns indicator, area_code, period, value, target, status, symbol,
        status_word, rag, basis (see the module docstring for the rule and RAG mapping).

    Examples:
        >>> cat = pd.DataFrame({"indicator": ["LAC"], "polarity": ["low"], "tolerance": [5.0],
        ...     "tolerance_type": ["absolute"], "cumulative": [False], "unit": ["rate per 10,000"]})
        >>> obs = pd.DataFrame({"indicator": ["LAC", "LAC"], "area_code": ["E08000027"] * 2,
        ...     "period": ["2012-13 Q1", "2012-13 Q2"], "value": [104.9, float("nan")]})
        >>> tg = pd.DataFrame({"indicator": ["LAC"] * 2, "area_code": ["E08000027"] * 2,
        ...     "period": ["2012-13 Q1", "2012-13 Q2"], "target": [98.8, 98.8]})
        >>> score_against_target(obs, tg, cat)[["period", "status", "symbol", "rag"]]
               period   status symbol      rag
        0  2012-13 Q1    below      ▲      red
        1  2012-13 Q2  no_data      –  no data
    """
    key = ["indicator", "area_code", "period"]
    obs = frame.copy()
    if targets is None:
        if "target" not in obs.columns:
            raise ScoringError(
                "no targets given and the frame has no 'target' column",
                hint="Pass targets= (indicator, area_code, period, target).",
            )
        merged = obs
    else:
        tg = targets[key + ["target"]].copy()
        if tg.duplicated(key).any():
            raise ScoringError(
                "targets has more than one target for an indicator, area and period",
                value=tg[tg.duplicated(key)].iloc[0].to_dict(),
            )
        obs = obs.drop(columns=["target"], errors="ignore")
        # observations first in their order, then targets without an observation
        left = obs.merge(tg, on=key, how="left", sort=False)
        orphans = tg.merge(obs[key], on=key, how="left", indicator="_m")
        orphans = orphans[orphans["_m"] == "left_only"].drop(columns="_m")
        merged = pd.concat([left, orphans], ignore_index=True) if len(orphans) else left
    cat = _catalogue_rows(catalogue, merged["indicator"].astype(str).unique())

    records = []
    for _, row in merged.iterrows():
        c = cat.loc[row["indicator"]]
        value, basis = row.get("value", np.nan), "period"
        if bool(c.get("cumulative", False)):
            value, basis = _ytd_value(frame, row, str(c.get("unit", "")))
        st = score(
            value,
            row["target"],
            str(c["polarity"]),
            c.get("tolerance", 0.0),
            str(c.get("tolerance_type", "absolute")),
        )
        records.append(
            {
                "indicator": row["indicator"],
                "area_code": row["area_code"],
                "period": row["period"],
                "value": float(value) if not _missing(value) else np.nan,
                "target": float(row["target"]) if not _missing(row["target"]) else np.nan,
                "status": st.status,
                "symbol": st.symbol,
                "status_word": st.word,
                "rag": st.rag,
                "basis": basis,
            }
        )
    columns = [
        "indicator",
        "area_code",
        "period",
        "value",
        "target",
        "status",
        "symbol",
        "status_word",
        "rag",
        "basis",
    ]
    out = pd.DataFrame.from_records(records, columns=columns)
    out["value"] = out["value"].astype("float64")
    out["target"] = out["target"].astype("float64")
    return out.reset_index(drop=True)


def score_activities(activities: pd.DataFrame) -> pd.DataFrame:
    """Add ``symbol`` and ``status_word`` to key activities (status excellent/good/fair).

    Raises:
        ScoringError: a status other than excellent, good or fair.

    Examples:
        >>> acts = pd.DataFrame({"ref": ["YP1a", "TA4b"], "priority": ["Young people", "Crime"],
        ...                      "status": ["good", "excellent"]})
        >>> score_activities(acts)[["ref", "symbol", "status_word"]]
            ref symbol                             status_word
        0  YP1a      ✓             Good progress / on schedule
        1  TA4b      ★  Excellent progress / ahead of schedule
    """
    out = activities.copy()
    status = out["status"].astype(str).str.strip().str.lower()
    bad = sorted(set(status) - set(ACTIVITY_STATUSES))
    if bad:
        raise ScoringError(
            "unknown key-activity status",
            column="status",
            value=", ".join(bad),
            hint="Use excellent, good or fair.",
        )
    out["status"] = status
    out["symbol"] = status.map({k: v[0] for k, v in ACTIVITY_STATUSES.items()}).astype(str)
    out["status_word"] = status.map({k: v[1] for k, v in ACTIVITY_STATUSES.items()}).astype(str)
    return out


def activity_counts(activities: pd.DataFrame, by: str = "priority") -> pd.DataFrame:
    """Count key activities by status per ``by`` (default priority), with a total.

    Examples:
        >>> acts = pd.DataFrame({"priority": ["Young people"] * 3 + ["Crime"] * 2,
        ...                      "status": ["good", "good", "fair", "excellent", "good"]})
        >>> activity_counts(acts)
               priority  excellent  good  fair  total
        0         Crime          1     1     0      2
        1  Young people          0     2     1      3
    """
    scored = score_activities(activities)
    counts = (
        pd.crosstab(scored[by], scored["status"])
        .reindex(columns=list(ACTIVITY_STATUSES), fill_value=0)
        .astype("int64")
    )
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()
