"""Statistical significance for rates and proportions: confidence intervals for a council's
own figure, funnel-plot control limits around England's value, and words a committee can use.

Ranks over-read small differences; a funnel plot shows which councils differ from England by
more than chance would explain, given how many children (or young people, or sessions) each
figure is based on.

Methods, and why these:

* **Confidence intervals** (the council's own figure), as OHID's public health technical
  guidance (Fingertips "Confidence intervals", and PHE's *Technical Guide: Confidence
  Intervals*, 2018) recommends: the **Wilson score** interval for a proportion (good at any
  numerator, never outside 0-100%); for a count or rate the **exact Poisson** (Garwood,
  chi-square) limits below 10 events and **Byar's** approximation from 10 (within 0.2% of
  the exact limits there, and what OHID's tools use).
* **Funnel limits and classification** (around England's value, as functions of the
  denominator): **OHID's construction** by default (``method="ohid"``), as Fingertips'
  technical guidance ("Funnel plots") and its R package PHEindicatormethods
  (``calculate_funnel_limits``, ``assign_funnel_significance``) compute them. A council is
  outside the 95% (99.8%) limits exactly when its own 95% (99.8%) confidence interval, by
  the method above, lies wholly above or below England's value. For a percentage that is
  England's value ± z·√(θ(1−θ)/n), clipped to 0-100% (the Wilson score test: the value
  whose Wilson interval ends at England's). For a rate, a council with ``O`` events is
  higher when the lower limit of ``O``'s interval exceeds the expected count
  (England's rate times its denominator): with exact limits, when P(X ≥ O) < 2.5% for X
  Poisson with the expected mean (OHID), not P(X ≥ O+1) ≤ 2.5% as Spiegelhalter's
  interpolated quantile gives (one event earlier: at 2 expected events an ordinary
  council lands above that 95% line 5.3% of the time, above OHID's 1.7%). The limit drawn
  at each denominator is the number of events at which the interval's far limit meets the
  expected count (found by bisection), so a council is above the line exactly when it is
  classified higher; OHID's own lines use exact limits at every count while its test uses
  Byar's from 10 events, and perf draws what it tests (the two differ by under 1%).
  ``method="exact"`` gives Spiegelhalter's (2005, *Funnel plots for comparing
  institutional performance*, Statistics in Medicine 24:1185, appendix A.1) interpolated
  exact binomial or Poisson quantiles, ``method="normal"`` his normal approximation
  (target ± z·sd, with the target's own variance), both for comparison. A proportion whose
  limit would fall below 0% is clipped there, as OHID clips it.
* **Impossible figures** (a negative figure or count, a share above 100%, a numerator
  above its denominator) are refused by :func:`funnel` with the area, indicator, period
  and, where the frame says, file and row: classifying them would put a council above or
  below England for a typing error.
* **Classification**: a value above the upper 99.8% limit is "statistically higher than
  England (above the 99.8% limit)"; above the 95% but not the 99.8% limit "higher than
  England at 95% but not 99.8%"; within the 95% limits "not statistically different from
  England"; lower likewise. 95% and 99.8% are the two-sided levels of about 2 and 3
  standard deviations that OHID's and NHS funnel plots use.

Examples:
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    >>> [round(x, 2) for x in rate_interval(575, 71124, per=10_000)]
    [74.37, 87.73]
    >>> limits = funnel_limits([100, 10_000], 67.0, kind="rate", per=10_000)
    >>> limits[["denominator", "lower_95", "upper_95"]].round(1).to_dict("list")
    {'denominator': [100.0, 10000.0], 'lower_95': [0.0, 50.9], 'upper_95': [311.8, 84.0]}
    >>> significance_words(classify(90.0, 40.0, 52.0, 83.3, 93.0))
    'higher than England at 95% but not 99.8%'
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from perf import config
from perf.catalogue import catalogue as load_catalogue
from perf.catalogue import indicator_info
from perf.errors import PerfError
from perf.schema import rows_of

__all__ = [
    "DENOMINATOR_LABELS",
    "FUNNEL_COLUMNS",
    "FUNNEL_METHODS",
    "LEVELS",
    "SIGNIFICANCE_WORDS",
    "SignificanceError",
    "byar_interval",
    "classify",
    "confidence_interval",
    "count_interval",
    "funnel",
    "funnel_curve",
    "funnel_limits",
    "method_text",
    "poisson_exact_interval",
    "rate_interval",
    "significance_words",
    "wilson_interval",
]

#: Funnel methods: OHID's (the default), Spiegelhalter's exact limits, the normal approximation.
FUNNEL_METHODS = ("ohid", "exact", "normal")
#: The two funnel levels (two-sided) and the column suffix each gets.
LEVELS: dict[str, float] = {"95": 0.95, "998": 0.998}

#: Classification code -> words; ``{comparator}`` is England unless the caller says otherwise.
SIGNIFICANCE_WORDS: dict[str, str] = {
    "higher_998": "statistically higher than {comparator} (above the 99.8% limit)",
    "higher_95": "higher than {comparator} at 95% but not 99.8%",
    "not_different": "not statistically different from {comparator}",
    "lower_95": "lower than {comparator} at 95% but not 99.8%",
    "lower_998": "statistically lower than {comparator} (below the 99.8% limit)",
    "not_assessed": "not assessed",
}

#: What the denominator counts, for captions and notes (other indicators: by kind).
DENOMINATOR_LABELS: dict[str, str] = {
    **{
        i: "children aged 0-17"
        for i in (
            "cla_rate",
            "cla_start_rate",
            "cla_cease_rate",
            "LAC",
            "LAC_Start_Rate",
            "CIN",
            "CPP_rate",
            "CPP_Total_Rateper10,000",
        )
    },
    **{
        i: "16-17 year olds known to the council"
        for i in (
            "neet_16_17",
            "not_known_16_17",
            "neet_nk_16_17",
            "participation_16_17",
            "sept_guarantee",
        )
    },
    "cla_placements_3plus": "children looked after on 31 March",
    "cla_long_term_stability": "children under 16 looked after for 2.5 years or more",
    "care_leavers_eet_17_18": "care leavers aged 17 to 18",
    "care_leavers_suitable_17_18": "care leavers aged 17 to 18",
    "care_leavers_eet_19_21": "care leavers aged 19 to 21",
    "care_leavers_suitable_19_21": "care leavers aged 19 to 21",
    "sw_agency_rate": "social workers, agency and employed (FTE)",
    "sw_vacancy_rate": "social worker posts, filled and vacant (FTE)",
    "sw_turnover_rate": "social workers in post (FTE)",
    "sw_agency_cover_rate": "agency social workers (FTE)",
}

FUNNEL_COLUMNS = [
    "area_code",
    "area_name",
    "value",
    "estimate",
    "numerator",
    "numerator_derived",
    "denominator",
    "denominator_source",
    "ci_lower",
    "ci_upper",
    "lower_998",
    "lower_95",
    "upper_95",
    "upper_998",
    "significance",
    "significance_words",
    "note",
]

_KINDS = {"%": ("proportion", 100.0), "rate per 10,000": ("rate", 10_000.0)}


class SignificanceError(PerfError):
    """A confidence interval or funnel plot cannot be computed as asked."""


# --- small helpers ---------------------------------------------------------------------


def _z(confidence: float) -> float:
    """The two-sided normal quantile: 1.96 for 0.95, 3.09 for 0.998."""
    if not 0.5 < float(confidence) < 1:
        raise SignificanceError(
            f"confidence must be between 0.5 and 1 (found {confidence!r})",
            hint="Use 0.95 for 95% or 0.998 for 99.8%.",
        )
    return NormalDist().inv_cdf(1 - (1 - float(confidence)) / 2)


def _array(values: Any, what: str) -> np.ndarray:
    try:
        out = np.asarray(values, dtype="float64")
    except (TypeError, ValueError):
        raise SignificanceError(f"{what} must be numbers", value=values) from None
    if np.any(out[np.isfinite(out)] < 0):
        raise SignificanceError(
            f"{what} must not be negative",
            value=values,
            hint="Check the figures: a count or denominator is never below 0.",
        )
    return out


def _shaped(value: np.ndarray, *inputs: Any) -> Any:
    """A float when every input was a scalar, else the array."""
    return float(value) if all(np.ndim(i) == 0 for i in inputs) else value


# --- confidence intervals ----------------------------------------------------------------


def wilson_interval(
    successes: Any, trials: Any, confidence: float = 0.95, *, per: float = 1.0
) -> tuple[Any, Any]:
    """Wilson score interval for a proportion ``successes / trials`` (times ``per``: 100 for
    a percentage). Scalars give floats, arrays give arrays; NaN passes through.

    Raises:
        SignificanceError: a negative count, a zero denominator, or more successes than trials.

    >>> [round(x, 4) for x in wilson_interval(0, 20)]
    [0.0, 0.1611]
    >>> [round(x, 1) for x in wilson_interval(185, 7715, per=100)]
    [2.1, 2.8]
    """
    o, n = _array(successes, "the numerator"), _array(trials, "the denominator")
    if np.any(n[np.isfinite(n)] == 0):
        raise SignificanceError("the denominator must be more than 0", value=trials)
    if np.any((o > n) & np.isfinite(o) & np.isfinite(n)):
        raise SignificanceError(
            "the numerator is larger than the denominator",
            hint="A proportion cannot exceed 100%: check the two columns.",
        )
    z = _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        q = 1 - o / n
        centre, spread = 2 * o + z * z, z * np.sqrt(z * z + 4 * o * q)
        lower = np.clip((centre - spread) / (2 * (n + z * z)), 0, 1)
        upper = np.clip((centre + spread) / (2 * (n + z * z)), 0, 1)
    # exactly 0 and 1 at the ends (the formula gives them, floating point nearly does)
    lower, upper = np.where(o == 0, 0.0, lower) * per, np.where(o == n, 1.0, upper) * per
    return _shaped(lower, successes, trials), _shaped(upper, successes, trials)


def poisson_exact_interval(count: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Exact (Garwood) limits for a Poisson count, from the chi-square distribution:
    ``chi2(α/2, 2O)/2`` to ``chi2(1-α/2, 2O+2)/2`` (the lower limit of 0 events is 0).

    >>> [round(x, 4) for x in poisson_exact_interval(10)]
    [4.7954, 18.3904]
    """
    o = _array(count, "the count")
    alpha = 1 - float(confidence)
    _z(confidence)
    with np.errstate(invalid="ignore"):
        # (a count too small to tell from 0 has the lower limit of 0)
        # chi2.ppf(q, 2k) / 2 is the inverse of the regularised lower incomplete gamma
        lower = np.where(o < 1e-12, 0.0, special.gammaincinv(np.maximum(o, 1e-12), alpha / 2))
        upper = special.gammaincinv(o + 1, 1 - alpha / 2)
    return _shaped(np.asarray(lower), count), _shaped(np.asarray(upper), count)


def byar_interval(count: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Byar's approximation to the exact Poisson limits (Breslow and Day 1987), as in
    OHID's guidance: ``O(1 - 1/9O - z/3√O)³`` to ``(O+1)(1 - 1/9(O+1) + z/3√(O+1))³``.

    >>> [round(x, 2) for x in byar_interval(100)]
    [81.36, 121.63]
    """
    o = _array(count, "the count")
    z = _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        base = 1 - 1 / (9 * o) - z / (3 * np.sqrt(o))
        # below about 1.6 events the bracket is negative: the approximation has no lower limit
        lower = np.where(np.isnan(o), np.nan, np.where(base > 0, o * base**3, 0.0))
        upper = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return _shaped(lower, count), _shaped(np.asarray(upper), count)


def count_interval(
    count: Any, confidence: float = 0.95, *, method: str = "auto"
) -> tuple[Any, Any]:
    """Limits for a count: ``"exact"``, ``"byar"``, or ``"auto"`` (OHID's rule: exact below
    10 events, Byar's from 10).

    >>> [round(x, 3) for x in count_interval(4)]
    [1.09, 10.242]
    """
    if method not in ("auto", "exact", "byar"):
        raise SignificanceError(
            f"unknown interval method {method!r}", hint="Use 'auto', 'exact' or 'byar'."
        )
    exact = poisson_exact_interval(count, confidence)
    if method == "exact":
        return exact
    byar = byar_interval(count, confidence)
    if method == "byar":
        return byar
    small = np.asarray(count, dtype="float64") < 10
    lower, upper = (np.where(small, e, b) for e, b in zip(exact, byar))
    return _shaped(lower, count), _shaped(upper, count)


def rate_interval(
    count: Any,
    population: Any,
    *,
    per: float = 10_000,
    confidence: float = 0.95,
    method: str = "auto",
) -> tuple[Any, Any]:
    """Limits for a rate ``count / population * per`` (e.g. per 10,000 children), from the
    count's limits (:func:`count_interval`).

    >>> [round(x, 1) for x in rate_interval(4, 847)]
    [12.9, 120.9]
    """
    n = _array(population, "the population")
    if np.any(n[np.isfinite(n)] == 0):
        raise SignificanceError("the population must be more than 0", value=population)
    lower, upper = count_interval(count, confidence, method=method)
    with np.errstate(invalid="ignore"):
        out = (np.asarray(lower) / n * per, np.asarray(upper) / n * per)
    return _shaped(out[0], count, population), _shaped(out[1], count, population)


def confidence_interval(
    numerator: Any, denominator: Any, *, kind: str, per: float, confidence: float = 0.95
) -> tuple[Any, Any]:
    """The interval OHID recommends for the kind of figure: Wilson for a ``"proportion"``,
    exact Poisson / Byar for a ``"rate"``, in the figure's units (``per`` 100 or 10,000).

    >>> [round(x, 1) for x in confidence_interval(575, 71124, kind="rate", per=10_000)]
    [74.4, 87.7]
    """
    if kind == "proportion":
        return wilson_interval(numerator, denominator, confidence, per=per)
    if kind == "rate":
        return rate_interval(numerator, denominator, per=per, confidence=confidence)
    raise SignificanceError(f"unknown kind {kind!r}", hint="Use 'proportion' or 'rate'.")


# --- funnel limits ------------------------------------------------------------------------


def _whole_quantile(cdf: Any, inverse: Any, p: float) -> np.ndarray:
    """The least whole number ``r`` with ``cdf(r) >= p``: the p-quantile of a count
    distribution, from its continuous inverse (``ceil``, then one step down where the count
    below already reaches ``p``), as scipy.stats' binomial and Poisson ``ppf`` compute it."""
    with np.errstate(invalid="ignore"):
        r = np.ceil(inverse(p))
        below = np.maximum(r - 1, 0)
        return np.where(cdf(below) >= p, below, r)


def _count_cdf(cdf: Any, k: np.ndarray) -> np.ndarray:
    """``cdf(k)``, 0 below the support (a count of -1)."""
    with np.errstate(invalid="ignore"):
        return np.where(k < 0, 0.0, cdf(np.maximum(k, 0)))


def _exact_quantile(cdf: Any, inverse: Any, p: float) -> np.ndarray:
    """Spiegelhalter's interpolated p-quantile of a discrete count distribution:
    ``r_p - (F(r_p) - p) / (F(r_p) - F(r_p - 1))``. ``cdf`` is F at whole numbers and
    ``inverse`` its continuous inverse (scipy.special's ``bdtr``/``bdtrik`` or
    ``pdtr``/``pdtrik``: scipy.stats would cost a render more than half a second to import).

    >>> float(_exact_quantile(lambda k: special.pdtr(k, 10.0),
    ...                       lambda q: special.pdtrik(q, 10.0), 0.975).round(2))
    16.16
    """
    r = _whole_quantile(cdf, inverse, p)
    upper, below = _count_cdf(cdf, r), _count_cdf(cdf, r - 1)
    step = upper - below
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(step > 0, (upper - p) / step, 0.0)
    return r - alpha


def _count_limit_at(expected: np.ndarray, confidence: float, side: str) -> np.ndarray:
    """The number of events ``O`` (not always whole) at which the ``confidence`` interval of
    ``O`` (:func:`count_interval`: exact below 10 events, Byar's from 10) has its ``side``
    ("lower" or "upper") limit exactly at ``expected``: OHID's funnel limit for a count.

    A council with more events than the "lower" answer has its whole interval above the
    expected count (significantly higher); fewer than the "upper" answer, below it. Found
    by bisection, as the interval limits rise with the count.

    >>> [round(float(x), 3) for x in _count_limit_at(np.array([2.0]), 0.95, "lower")]
    [5.658]
    """
    mu = np.asarray(expected, dtype="float64")
    low, high = np.zeros(mu.shape), np.maximum(4 * mu + 50, 60.0)
    for _ in range(80):
        middle = (low + high) / 2
        limits = count_interval(middle, confidence)
        at = np.asarray(limits[0] if side == "lower" else limits[1])
        above = at > mu
        high, low = np.where(above, middle, high), np.where(above, low, middle)
    out = (low + high) / 2
    if side == "upper":  # even no event has its upper limit above the expected count
        none = np.asarray(count_interval(np.zeros(mu.shape), confidence)[1]) >= mu
        out = np.where(none, 0.0, out)
    return np.where(np.isfinite(mu), out, np.nan)


def funnel_limits(
    denominator: Any, target: float, *, kind: str, per: float | None = None, method: str = "ohid"
) -> pd.DataFrame:
    """95% and 99.8% control limits around ``target`` at each denominator.

    Args:
        denominator: one or many denominators (children, young people, sessions).
        target: the comparator's value in the figure's units (e.g. England's 67 per 10,000,
            or 3.4 for 3.4%).
        kind: ``"proportion"`` (binomial) or ``"rate"`` (Poisson).
        per: 100 for a percentage, 10,000 for a rate per 10,000 (default by kind).
        method: ``"ohid"`` (default: OHID's construction, see the module notes),
            ``"exact"`` (Spiegelhalter's interpolated exact limits) or ``"normal"``.

    Returns:
        One row per denominator: ``denominator, target, lower_998, lower_95, upper_95,
        upper_998`` in the figure's units. Limits never cross the target and stay within
        0-100% for a proportion.

    >>> funnel_limits(1000, 3.4, kind="proportion", per=100).round(2).iloc[0].tolist()
    [1000.0, 3.4, 1.63, 2.28, 4.52, 5.17]
    >>> funnel_limits(1000, 3.4, kind="proportion", per=100, method="exact").round(2).iloc[0].tolist()
    [1000.0, 3.4, 1.72, 2.27, 4.52, 5.25]
    """
    if kind not in ("proportion", "rate"):
        raise SignificanceError(f"unknown kind {kind!r}", hint="Use 'proportion' or 'rate'.")
    if method not in FUNNEL_METHODS:
        raise SignificanceError(
            f"unknown funnel method {method!r}", hint=f"Use one of: {', '.join(FUNNEL_METHODS)}."
        )
    per = float(per if per is not None else (100.0 if kind == "proportion" else 10_000.0))
    n = np.atleast_1d(_array(denominator, "the denominator"))
    if np.any(n[np.isfinite(n)] == 0):
        raise SignificanceError("a denominator of 0 has no funnel limits", value=denominator)
    target = float(target)
    theta = target / per
    if not np.isfinite(theta) or theta < 0 or (kind == "proportion" and theta > 1):
        raise SignificanceError(
            f"the target must be a {kind} (found {target!r})",
            hint="Give England's value in the figure's units, e.g. 3.4 for 3.4%.",
        )
    out = {"denominator": n, "target": np.full(n.shape, target)}
    for suffix, level in LEVELS.items():
        tail = (1 - level) / 2
        for side, p in (("lower", tail), ("upper", 1 - tail)):
            if method == "ohid" and kind == "rate":
                # where the council's own interval has its far limit at England's rate
                events = _count_limit_at(theta * n, level, "lower" if side == "upper" else "upper")
                with np.errstate(invalid="ignore", divide="ignore"):
                    limit = events / n
            elif method in ("normal", "ohid"):
                # OHID's proportion limits are this (the Wilson score test: the value whose
                # Wilson interval ends at England's), with England's variance
                sd = (
                    np.sqrt(theta * (1 - theta) / n) if kind == "proportion" else np.sqrt(theta / n)
                )
                limit = theta + NormalDist().inv_cdf(p) * sd
            elif kind == "proportion":
                whole = np.maximum(np.round(n), 1)  # the binomial needs a whole number of trials
                trials = np.where(np.isfinite(whole), whole, 1).astype(np.int64)  # (NaN: below)
                # (a target of 0% has no spread: bdtrik has no inverse there)
                limit = (
                    np.zeros(n.shape)
                    if theta == 0
                    else _exact_quantile(
                        lambda k, w=trials: special.bdtr(k, w, theta),
                        lambda q, w=trials: special.bdtrik(q, w, theta),
                        p,
                    )
                    / whole
                )
            else:
                mean = theta * n
                limit = (
                    _exact_quantile(
                        lambda k, m=mean: special.pdtr(k, m),
                        lambda q, m=mean: special.pdtrik(q, m),
                        p,
                    )
                    / n
                )
            limit = np.clip(limit, 0, 1 if kind == "proportion" else np.inf) * per
            limit = np.minimum(limit, target) if side == "lower" else np.maximum(limit, target)
            out[f"{side}_{suffix}"] = np.where(np.isfinite(n), limit, np.nan)
    columns = ["denominator", "target", "lower_998", "lower_95", "upper_95", "upper_998"]
    return pd.DataFrame(out)[columns]


def classify(value: Any, lower_998: Any, lower_95: Any, upper_95: Any, upper_998: Any) -> Any:
    """The code for where each value falls against its limits (see :data:`SIGNIFICANCE_WORDS`);
    ``"not_assessed"`` where the value or a limit is missing. A value exactly on a limit is
    inside it.

    >>> classify([100.0, 80.0, 70.0, 50.0, 30.0, float("nan")], 40, 52, 83, 93).tolist()
    ['higher_998', 'not_different', 'not_different', 'lower_95', 'lower_998', 'not_assessed']
    """
    v, lo3, lo2, up2, up3 = (
        np.asarray(x, dtype="float64") for x in (value, lower_998, lower_95, upper_95, upper_998)
    )
    missing = ~(
        np.isfinite(v) & np.isfinite(lo3) & np.isfinite(lo2) & np.isfinite(up2) & np.isfinite(up3)
    )
    with np.errstate(invalid="ignore"):
        code = np.select(
            [missing, v > up3, v > up2, v < lo3, v < lo2],
            ["not_assessed", "higher_998", "higher_95", "lower_998", "lower_95"],
            "not_different",
        )
    return str(code) if np.ndim(code) == 0 else code.astype(object)


def significance_words(code: str, comparator: str = "England") -> str:
    """Words for a classification code.

    >>> significance_words("higher_998")
    'statistically higher than England (above the 99.8% limit)'
    >>> significance_words("not_different", "the statistical-neighbour mean")
    'not statistically different from the statistical-neighbour mean'
    """
    if code not in SIGNIFICANCE_WORDS:
        raise SignificanceError(
            f"unknown significance code {code!r}",
            hint=f"Use one of: {', '.join(SIGNIFICANCE_WORDS)}.",
        )
    return SIGNIFICANCE_WORDS[code].format(comparator=comparator)


def method_text(
    kind: str,
    method: str = "ohid",
    *,
    comparator: str = "England",
    denominator_label: str | None = None,
) -> str:
    """One sentence stating the method, for a chart caption or a table note.

    >>> method_text("rate")
    "Control limits: OHID's method (Fingertips technical guidance, 'Funnel plots'): a council is outside England's 95% (or 99.8%) limits when its own 95% (or 99.8%) confidence interval, exact Poisson below 10 events and Byar's method from 10, lies wholly above or below England's value; drawn for each council's number of children aged 0-17."
    >>> method_text("rate", "exact")
    "Control limits: exact Poisson 95% and 99.8% limits around England's value (Spiegelhalter 2005), for each council's number of children aged 0-17."
    """
    family = {"proportion": "binomial", "rate": "Poisson"}.get(kind)
    if family is None:
        raise SignificanceError(f"unknown kind {kind!r}", hint="Use 'proportion' or 'rate'.")
    label = denominator_label or ("children aged 0-17" if kind == "rate" else None)
    if method == "ohid":
        interval = (
            "Wilson score"
            if kind == "proportion"
            else "exact Poisson below 10 events and Byar's method from 10"
        )
        return (
            "Control limits: OHID's method (Fingertips technical guidance, 'Funnel plots'): "
            f"a council is outside {comparator}'s 95% (or 99.8%) limits when its own 95% "
            f"(or 99.8%) confidence interval, {interval}, lies wholly above or below "
            f"{comparator}'s value; drawn for each council's "
            f"{'number of ' + label if label else 'denominator'}."
        )
    how = (
        f"exact {family} 95% and 99.8% limits"
        if method == "exact"
        else f"95% and 99.8% limits from Spiegelhalter's normal approximation to the {family}"
    )
    return (
        f"Control limits: {how} around {comparator}'s value (Spiegelhalter 2005), "
        f"for each council's {'number of ' + label if label else 'denominator'}."
    )


# --- funnel over an observations frame ------------------------------------------------------


def _kind_and_per(
    indicator: str, catalogue: pd.DataFrame | None, kind: str | None, per: float | None
) -> tuple[str, float]:
    if kind is not None:
        if kind not in ("proportion", "rate"):
            raise SignificanceError(f"unknown kind {kind!r}", hint="Use 'proportion' or 'rate'.")
        return kind, float(
            per if per is not None else (100.0 if kind == "proportion" else 10_000.0)
        )
    unit = indicator_info(indicator, load_catalogue() if catalogue is None else catalogue).unit
    if unit not in _KINDS:
        raise SignificanceError(
            f"{indicator} is measured in {unit!r}: a funnel plot needs a rate or a percentage",
            hint="Funnel plots are for rates per 10,000 and percentages; pass kind= to override.",
        )
    found, default_per = _KINDS[unit]
    return found, float(per if per is not None else default_per)


def _population(
    frame: pd.DataFrame, indicator: str, end: pd.Timestamp
) -> tuple[dict[str, float], str, list[str]]:
    """Children aged 0-17 per area from the latest ONS mid-year estimate dated on or before
    ``end`` (DfE divides a 31 March 2025 count by the mid-2024 population)."""
    pop = frame[frame["indicator"] == indicator]
    if pop.empty:
        raise SignificanceError(
            f"no {indicator} rows to take the denominator from",
            hint="Pass the whole observations frame (perf.load_all()), which has ONS's "
            "population estimates, or a frame with numerator and denominator columns.",
        )
    years = pd.to_datetime(pop["period_start"]).dt.year
    mid = pd.to_datetime(years.astype(str) + "-06-30")
    usable = pop[(mid <= end).to_numpy()]
    if usable.empty:
        raise SignificanceError(
            f"no {indicator} estimate dated on or before {end:%d %B %Y}",
            hint="Add the ONS mid-year estimates for that year.",
        )
    year = int(pd.to_datetime(usable["period_start"]).dt.year.max())
    chosen = usable[pd.to_datetime(usable["period_start"]).dt.year == year]
    values = dict(zip(chosen["area_code"].astype(str), chosen["value"].astype("float64")))
    return values, f"ONS mid-{year} estimate of children aged 0-17", _sources(chosen)


def _sources(rows: pd.DataFrame) -> list[str]:
    if "source" not in rows.columns:
        return []
    return [str(s) for s in pd.unique(rows["source"].dropna().astype(str)) if s]


def funnel(
    frame: pd.DataFrame,
    indicator: str,
    period: str,
    *,
    kind: str | None = None,
    per: float | None = None,
    method: str = "ohid",
    comparator_code: str = config.ENGLAND,
    comparator: str = "England",
    target: float | None = None,
    catalogue: pd.DataFrame | None = None,
    population_indicator: str = "population_0_17",
    denominator_label: str | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every local authority's figure against its denominator, with its 95% confidence
    interval, the funnel limits around England's value at that denominator, and where it falls.

    Does not modify ``frame``.

    Args:
        frame: tidy observations (``perf.schema.Observations``): the indicator's rows for the
            period (England's and the local authorities'), and, for a rate whose rows carry
            no denominator, the ``population_indicator`` rows (ONS children aged 0-17).
        indicator, period: what to assess (period as its canonical label).
        kind, per: ``"proportion"``/``"rate"`` and 100/10,000; by default from the
            catalogue's unit (``%`` or ``rate per 10,000``).
        method: funnel limits and classification, ``"ohid"`` (default), ``"exact"`` or
            ``"normal"``; see the module notes.
        comparator_code, comparator: the area the limits are drawn around, and its name.
        target: the comparator's value, overriding the one in ``frame``.
        catalogue: for the unit (default :func:`perf.catalogue.catalogue`).
        population_indicator: where a rate's denominator comes from when a row has none.
        denominator_label: what the denominator counts, for notes and captions.
        confidence: the level of each council's own interval (``ci_lower``/``ci_upper``).

    Denominators: a row's own ``denominator`` (EES gives the population with the rate, NCCIS
    the cohort, attendance the sessions); otherwise, for a rate per 10,000, the ONS
    estimate of children aged 0-17 for the latest mid-year on or before the period's end.
    A proportion with no denominator is not assessed (nothing is invented). Where a row
    has both numerator and denominator, ``estimate`` is their ratio (unrounded) and is what
    is classified; otherwise the published ``value`` is, and the numerator used for the
    interval is derived from it (``numerator_derived``).

    Returns:
        One row per local authority with a row for the indicator and period (columns
        :data:`FUNNEL_COLUMNS`), ordered by area_code. ``significance`` is a code of
        :data:`SIGNIFICANCE_WORDS`, ``significance_words`` the words; ``note`` says why a
        council was not assessed. ``attrs``: indicator, period, kind, per, method,
        method_text, comparator, target, target_text, denominator_label,
        confidence_text, counts (code -> number of councils), n_assessed, n_not_assessed,
        sources (the files the figures and denominators came from).

    Raises:
        SignificanceError: no rows for the indicator and period, no comparator value, an
            indicator that is neither a rate nor a percentage, or a council's figure that
            cannot be (a negative figure or count, a share above 100% or a numerator above
            its denominator): named by area, indicator and period, with the file and row
            where the frame says (``source``, ``source_row``).

    Examples:
        >>> obs = _example_frame()
        >>> out = funnel(obs, "cla_rate", "31 March 2025", kind="rate")
        >>> out[["area_code", "estimate", "denominator", "significance"]]
          area_code  estimate  denominator   significance
        0        L1     100.0      20000.0     higher_998
        1        L2      70.0      20000.0  not_different
        2        L3      40.0       1000.0  not_different
        3        L4       NaN      30000.0   not_assessed
        >>> out.attrs["target_text"]
        "England's value, 67.0 per 10,000"
    """
    kind, per = _kind_and_per(indicator, catalogue, kind, per)
    rows = rows_of(frame, indicator, period)
    if rows.empty:
        raise SignificanceError(
            f"no rows for {indicator} in {period}",
            hint="Check the indicator id and the period label.",
        )
    if rows["area_code"].duplicated().any():
        raise SignificanceError(
            f"more than one row per area for {indicator} in {period}",
            value=rows.loc[rows["area_code"].duplicated(), "area_code"].iloc[0],
        )
    label = (
        denominator_label
        or DENOMINATOR_LABELS.get(indicator)
        or ("children aged 0-17" if kind == "rate" and per == 10_000 else None)
    )

    def column(data: pd.DataFrame, name: str) -> pd.Series:
        if name in data.columns:
            return data[name].astype("float64")
        return pd.Series(np.nan, index=data.index, dtype="float64")

    # The comparator's value: unrounded from its numerator and denominator where both exist.
    target_text = None
    if target is None:
        comp = rows[rows["area_code"] == comparator_code]
        if comp.empty or comp["value"].isna().all():
            raise SignificanceError(
                f"no {comparator} value for {indicator} in {period}",
                hint="Pass target= or include the comparator's row.",
            )
        c = comp.iloc[0]
        num, den = column(comp, "numerator").iloc[0], column(comp, "denominator").iloc[0]
        if np.isfinite(num) and np.isfinite(den) and den > 0:
            target = float(num / den * per)
            target_text = (
                f"{comparator}'s value, {target:.1f}"
                f"{'%' if kind == 'proportion' and per == 100 else ' per ' + f'{per:,.0f}'}"
                f" ({num:,.0f} of {den:,.0f})"
            )
        else:
            target = float(c["value"])
    target = float(target)
    if target_text is None:
        target_text = (
            f"{comparator}'s value, {target:.1f}"
            f"{'%' if kind == 'proportion' and per == 100 else ' per ' + f'{per:,.0f}'}"
        )

    la = rows[rows["area_level"] == "la"].sort_values("area_code", kind="stable")
    pop_files: list[str] = []
    value = column(la, "value")
    given_num, den = column(la, "numerator"), column(la, "denominator")
    source = pd.Series(
        np.where(den.notna(), "the figure's own denominator", ""), index=la.index, dtype=object
    )
    if den.isna().any() and kind == "rate" and per == 10_000:
        end = pd.to_datetime(la["period_end"]).max()
        population, pop_source, pop_files = _population(frame, population_indicator, end)
        filled = la["area_code"].astype(str).map(population).astype("float64")
        use = den.isna() & filled.notna()
        den = den.where(~use, filled)
        source = source.where(~use, pop_source)
        pop_files = pop_files if use.any() else []
    has_both = given_num.notna() & den.notna() & (den > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = value.where(~has_both, given_num / den * per)
        numerator = given_num.where(given_num.notna(), value * den / per)
    derived = given_num.isna() & numerator.notna()
    _refuse_impossible(la, indicator, period, kind, per, value, numerator, den)

    assessable = estimate.notna() & den.notna() & (den > 0)
    limits = funnel_limits(
        den.where(assessable, np.nan).fillna(1.0).to_numpy(),
        target,
        kind=kind,
        per=per,
        method=method,
    )
    limits.index = la.index
    for col in ("lower_998", "lower_95", "upper_95", "upper_998"):
        limits[col] = limits[col].where(assessable)
    ci_lower = pd.Series(np.nan, index=la.index)
    ci_upper = pd.Series(np.nan, index=la.index)
    ok = (
        assessable
        & numerator.notna()
        & (numerator >= 0)
        & ((numerator <= den) if kind == "proportion" else True)
    )
    if ok.any():
        low, high = confidence_interval(
            numerator[ok].to_numpy(), den[ok].to_numpy(), kind=kind, per=per, confidence=confidence
        )
        ci_lower[ok], ci_upper[ok] = low, high

    codes = classify(
        estimate.where(assessable),
        limits["lower_998"],
        limits["lower_95"],
        limits["upper_95"],
        limits["upper_998"],
    )
    if method == "ohid" and kind == "rate":
        # OHID's test itself: the council's own interval (exact below 10 events, Byar's
        # from 10) lies wholly above or below England's expected count
        codes = _interval_classes(
            numerator.where(assessable).to_numpy(), (target / per * den).to_numpy()
        )
    flag = la["flag"].astype(object) if "flag" in la.columns else pd.Series(None, index=la.index)
    note = np.select(
        [estimate.isna(), den.isna(), ~(den > 0)],
        [
            (
                "no published figure"
                + flag.map(lambda f: f" (flag {f})" if isinstance(f, str) and f else "")
            ).to_numpy(),
            f"no denominator ({label})" if label else "no denominator",
            "a denominator of 0",
        ],
        "",
    )
    out = pd.DataFrame(
        {
            "area_code": la["area_code"].astype(str).to_numpy(),
            "area_name": (la["area_name"] if "area_name" in la.columns else la["area_code"])
            .astype(str)
            .to_numpy(),
            "value": value.to_numpy(),
            "estimate": estimate.to_numpy(),
            "numerator": numerator.to_numpy(),
            "numerator_derived": derived.to_numpy(),
            "denominator": den.to_numpy(),
            "denominator_source": source.to_numpy(),
            "ci_lower": ci_lower.to_numpy(),
            "ci_upper": ci_upper.to_numpy(),
            "lower_998": limits["lower_998"].to_numpy(),
            "lower_95": limits["lower_95"].to_numpy(),
            "upper_95": limits["upper_95"].to_numpy(),
            "upper_998": limits["upper_998"].to_numpy(),
            "significance": codes,
            "significance_words": [significance_words(c, comparator) for c in codes],
            "note": pd.array([text or pd.NA for text in note], dtype="string"),
        }
    )[FUNNEL_COLUMNS]
    counts = out["significance"].value_counts()
    ci_words = (
        "Wilson score"
        if kind == "proportion"
        else "exact Poisson below 10 events, Byar's method from 10"
    )
    out.attrs = {
        "indicator": indicator,
        "period": period,
        "kind": kind,
        "per": per,
        "method": method,
        "method_text": method_text(kind, method, comparator=comparator, denominator_label=label),
        "comparator": comparator,
        "target": target,
        "target_text": target_text,
        "denominator_label": label,
        "confidence_text": f"{confidence:.0%} confidence intervals: {ci_words}",
        "counts": {code: int(counts.get(code, 0)) for code in SIGNIFICANCE_WORDS},
        "n_assessed": int((out["significance"] != "not_assessed").sum()),
        "n_not_assessed": int((out["significance"] == "not_assessed").sum()),
        "sources": list(dict.fromkeys(_sources(rows) + pop_files)),
    }
    return out


def _interval_classes(events: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Classification codes by OHID's rule for a count: higher where the council's own
    interval lies wholly above the expected count, lower where wholly below, at 99.8% and
    95% (:func:`count_interval`); ``not_assessed`` where either is missing.

    >>> _interval_classes(np.array([6.0, 5.0, 0.0, np.nan]), np.array([2.0, 2.0, 4.0, 2.0])).tolist()
    ['higher_95', 'not_different', 'lower_95', 'not_assessed']
    """
    missing = ~(np.isfinite(events) & np.isfinite(expected))
    safe = np.where(missing, 0.0, events)
    low95, high95 = (np.asarray(x) for x in count_interval(safe, 0.95))
    low998, high998 = (np.asarray(x) for x in count_interval(safe, 0.998))
    with np.errstate(invalid="ignore"):
        code = np.select(
            [missing, low998 > expected, low95 > expected, high998 < expected, high95 < expected],
            ["not_assessed", "higher_998", "higher_95", "lower_998", "lower_95"],
            "not_different",
        )
    return code.astype(object)


def _refuse_impossible(
    la: pd.DataFrame,
    indicator: str,
    period: str,
    kind: str,
    per: float,
    value: pd.Series,
    numerator: pd.Series,
    denominator: pd.Series,
) -> None:
    """Stop on a figure no council can have, naming it: classifying it would put a
    council above or below England for a typing error."""
    checks = [
        (value < 0, "value", "a negative figure"),
        (numerator < 0, "numerator", "a negative number of events"),
        (denominator < 0, "denominator", "a negative denominator"),
    ]
    if kind == "proportion":
        checks += [
            (value > per, "value", f"a share above {per:g}"),
            (numerator > denominator, "numerator", "a numerator larger than its denominator"),
        ]
    for bad, column, what in checks:
        bad = bad.fillna(False).to_numpy(dtype=bool)
        if not bad.any():
            continue
        row = la.iloc[int(np.argmax(bad))]
        name = row.get("area_name", row["area_code"])
        figures = f"{_plain(row.get('value'))}" + (
            f" ({_plain(row.get('numerator'))} of {_plain(row.get('denominator'))})"
            if pd.notna(row.get("numerator")) or pd.notna(row.get("denominator"))
            else ""
        )
        source = row.get("source")
        file = str(source).split(" (", 1)[0] if isinstance(source, str) and source else None
        line = row.get("source_row")
        raise SignificanceError(
            f"{indicator} for {name} ({row['area_code']}) in {period} is {figures}: {what}, "
            "which no council can have",
            file=file,
            row=int(line) if line is not None and pd.notna(line) else None,
            column=column,
            value=row.get(column),
            hint="Correct the figure in its file (a sign or a column typed wrongly?); no "
            "funnel plot is drawn from it.",
        )


def _plain(number: Any) -> str:
    return "missing" if number is None or pd.isna(number) else f"{float(number):g}"


def funnel_curve(
    funnel_frame: pd.DataFrame, points: int = 200, span: Sequence[float] | None = None
) -> pd.DataFrame:
    """The limits of a :func:`funnel` result along a smooth range of denominators (for
    drawing): ``points`` denominators spaced evenly on a log scale from half the smallest
    to 1.1 times the largest assessed denominator (or ``span=(low, high)``).

    >>> out = funnel(_example_frame(), "cla_rate", "31 March 2025", kind="rate")
    >>> curve = funnel_curve(out, points=5)
    >>> curve["denominator"].round().tolist()
    [500.0, 1288.0, 3317.0, 8542.0, 22000.0]
    """
    attrs = funnel_frame.attrs
    if not {"target", "kind", "per", "method"} <= set(attrs):
        raise SignificanceError(
            "this frame is not a funnel() result (its attrs are missing)",
            hint="Pass the frame perf.significance.funnel returned.",
        )
    if span is None:
        assessed = funnel_frame.loc[funnel_frame["significance"] != "not_assessed", "denominator"]
        if assessed.empty:
            raise SignificanceError("no council was assessed, so there is no funnel to draw")
        span = (float(assessed.min()) * 0.5, float(assessed.max()) * 1.1)
    low, high = max(float(span[0]), 1.0), float(span[1])
    per = attrs["per"]
    curve = _curve(
        low,
        max(high, low * 1.01),
        int(points),
        float(attrs["target"]),
        str(attrs["kind"]),
        None if per is None else float(per),
        str(attrs["method"]),
    )
    return curve.copy()  # the cached frame stays as it was, whatever the caller does


@lru_cache(maxsize=256)
def _curve(
    low: float, high: float, points: int, target: float, kind: str, per: float | None, method: str
) -> pd.DataFrame:
    """:func:`funnel_limits` along ``points`` denominators from ``low`` to ``high`` (log
    spaced), once per process for each set of numbers: every council's funnel plot of one
    indicator and period draws the same limits (a batch computes them once, not per council).
    """
    grid = np.geomspace(low, high, points)
    return funnel_limits(grid, target, kind=kind, per=per, method=method)


def _example_frame() -> pd.DataFrame:
    codes = ["E92000001", "L1", "L2", "L3", "L4"]
    return pd.DataFrame(
        {
            "indicator": "cla_rate",
            "area_code": codes,
            "area_name": ["England", "One", "Two", "Three", "Four"],
            "area_level": ["england", "la", "la", "la", "la"],
            "period": "31 March 2025",
            "period_end": pd.Timestamp("2025-03-31"),
            "value": [67.0, 100.0, 70.0, 40.0, np.nan],
            "numerator": [np.nan, 200.0, 140.0, 4.0, np.nan],
            "denominator": [np.nan, 20000.0, 20000.0, 1000.0, 30000.0],
            "flag": [None, None, None, None, "c"],
        }
    )
