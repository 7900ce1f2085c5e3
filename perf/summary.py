"""Summaries and narrative: status counts, the exception list, sentences generated from data,
and one status view per indicator that reconciles target, SPC and benchmark signals.

Number wording follows committee-report style: counts with thousands separators, percentages
of change in brackets, and percentage points (never "percent") for changes in % indicators,
singular only for exactly one ("1 percentage point", but "1.0 percentage points").

Examples:
    >>> change_sentence("the number of looked-after children", 1510, 1466, since="the end of 2011-12")
    'The number of looked-after children has dropped by 44 (3%) since the end of 2011-12'
    >>> difference_phrase(1487, 1466)
    '21 lower (1.4%)'
    >>> gap_sentence(8.1, 7.1, 9.3, 7.2, comparator="England")
    'The area was 1.0 percentage points above England; the gap has narrowed from 2.1 percentage points above a year earlier'
    >>> share_good_or_better(outstanding=1, good=3, adequate=7)
    36.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from perf._numbers import is_missing, round_half_up
from perf.benchmarking import quartile_sentence
from perf.errors import PerfError
from perf.fileio import source_groups
from perf.scoring import STATUSES

__all__ = [
    "VIEW_RULE",
    "SummaryError",
    "change_sentence",
    "difference_phrase",
    "exception_list",
    "format_number",
    "Gap",
    "MOVEMENTS",
    "SIDES",
    "gap_movement",
    "gap_position",
    "gap_sentence",
    "percent_size_text",
    "percentage",
    "relative_change_text",
    "position_sentence",
    "share_good_or_better",
    "source_groups",
    "source_publication",
    "status_counts",
    "status_view",
]


class SummaryError(PerfError):
    """A summary or sentence cannot be produced from what was given."""


def percentage(part: float, whole: float, decimals: int = 0) -> float:
    """``part`` as a percentage of ``whole``, rounded half away from zero (report style).

    >>> percentage(4, 11), percentage(4, 11, 1), percentage(1, 8)
    (36.0, 36.4, 13.0)
    """
    if whole == 0:
        raise SummaryError("cannot take a percentage of zero", value=whole)
    return round_half_up(part / whole * 100, decimals)


def share_good_or_better(
    outstanding: int,
    good: int,
    adequate: int = 0,
    inadequate: int = 0,
    requires_improvement: int = 0,
    decimals: int = 0,
) -> float:
    """Percentage of settings (e.g. children's homes) rated good or outstanding by Ofsted.

    >>> share_good_or_better(outstanding=1, good=3, adequate=7)
    36.0
    """
    total = outstanding + good + adequate + inadequate + requires_improvement
    return percentage(outstanding + good, total, decimals)


def format_number(x: float, decimals: int = 0) -> str:
    """Thousands separators and fixed decimals, half away from zero.

    >>> format_number(1466), format_number(1.0, 1), format_number(2.05, 1), format_number(-3.25, 1)
    ('1,466', '1.0', '2.1', '-3.3')
    """
    return f"{round_half_up(float(x), decimals):,.{decimals}f}"


#: A relative change this size or larger is shown in whole per cent; a smaller one to one
#: decimal, so that a small change never reads as "0%" or "1%" (the one rounding rule:
#: :func:`relative_change_text`).
RELATIVE_WHOLE_FROM = 2.0


def relative_change_text(before: float, after: float) -> str | None:
    """The size of the change from ``before`` to ``after`` relative to ``before``, from the
    unrounded figures, rounded by the one rule every table and sentence follows (whole per
    cent from :data:`RELATIVE_WHOLE_FROM`, one decimal below it); None when ``before`` is
    0 or either is missing.

    >>> relative_change_text(1514, 1470), relative_change_text(1491, 1470)
    ('3%', '1.4%')
    >>> relative_change_text(82, 81), relative_change_text(0, 5)
    ('1.2%', None)
    """
    if is_missing(before) or is_missing(after) or float(before) == 0:
        return None
    return percent_size_text((float(after) - float(before)) / abs(float(before)) * 100)


def percent_size_text(pct: float) -> str | None:
    """A relative change already in per cent (unrounded, e.g. perf.compare's ``change_pct``)
    as its size by the one rule of :func:`relative_change_text`; None when missing.

    >>> percent_size_text(-2.906), percent_size_text(0.735), percent_size_text(float("nan"))
    ('3%', '0.7%', None)
    """
    if is_missing(pct):
        return None
    size = abs(float(pct))
    # the rule is decided on the figure as it would be shown to one decimal
    decimals = 0 if round_half_up(size, 1) >= RELATIVE_WHOLE_FROM else 1
    return f"{format_number(size, decimals)}%"


_UNIT_SUFFIX = {
    "rate per 10,000": " per 10,000",
    "days": " days",
    "count": "",
    "number": "",
    "score": "",
}
#: Units whose changes are differences in percentage points (no relative % change).
_POINT_UNITS = ("%", "percentage points")


def _amount(x: float, unit: str, decimals: int) -> str:
    """A size in the indicator's units: a difference of percentages in percentage points
    (singular only for exactly "1"), days as days, rates per 10,000, counts as counts.

    >>> _amount(1.0, "%", 1), _amount(1, "%", 0), _amount(-2, "days", 0), _amount(5, "count", 0)
    ('1.0 percentage points', '1 percentage point', '2 days', '5')
    """
    text = format_number(abs(x), decimals)
    if unit in ("%", "percentage points"):
        return f"{text} percentage point" + ("" if text == "1" else "s")
    if unit == "days":
        return f"{text} day" + ("" if text == "1" else "s")
    return text + _UNIT_SUFFIX.get(unit, "")


def _judgement(diff: float, polarity: str | None) -> str:
    if polarity not in ("high", "low") or diff == 0:
        return ""
    good = (diff > 0) == (polarity == "high")
    return ", an improvement" if good else ", a deterioration"


def change_sentence(
    subject: str,
    before: float,
    after: float,
    *,
    since: str,
    unit: str = "count",
    decimals: int = 0,
    polarity: str | None = None,
) -> str:
    """A sentence on the change from ``before`` to ``after``.

    ``unit="%"`` speaks in percentage points and adds no relative percentage; other units
    give the relative change in brackets. With ``polarity`` (``high``/``low``) the sentence
    says whether the change is an improvement or a deterioration.

    Examples:
        >>> change_sentence("secondary attendance", 90.1, 91.5, since="last year", unit="%",
        ...                 decimals=1, polarity="high")
        'Secondary attendance has risen by 1.4 percentage points since last year, an improvement'
        >>> change_sentence("the rate of children looked after", 98.8, 104.9, since="Q4",
        ...     unit="rate per 10,000", decimals=1, polarity="low")
        'The rate of children looked after has risen by 6.1 per 10,000 (6%) since Q4, a deterioration'
        >>> change_sentence("the NEET rate", 7.0, 7.0, since="June", unit="%", decimals=1)
        'The NEET rate has not changed since June'
    """
    if is_missing(before) or is_missing(after):
        raise SummaryError(
            f"cannot describe a change in {subject} with a missing value",
            hint="Check the comparison period has data.",
        )
    diff = round(float(after) - float(before), 10)
    head = subject[:1].upper() + subject[1:]
    if format_number(abs(diff), decimals) == format_number(0, decimals):
        return f"{head} has not changed since {since}"
    verb = "risen" if diff > 0 else "dropped"
    text = f"{head} has {verb} by {_amount(diff, unit, decimals)}"
    relative = relative_change_text(before, after) if unit not in _POINT_UNITS else None
    if relative:
        text += f" ({relative})"
    return text + f" since {since}" + _judgement(diff, polarity)


def difference_phrase(
    before: float, after: float, *, unit: str = "count", decimals: int = 0
) -> str:
    """``"21 lower (1.4%)"``: how ``after`` stands against ``before``.

    >>> difference_phrase(55, 56, unit="%")
    '1 percentage point higher'
    >>> difference_phrase(10, 10)
    'the same'
    """
    diff = round(float(after) - float(before), 10)
    if format_number(abs(diff), decimals) == format_number(0, decimals):
        return "the same"
    text = f"{_amount(diff, unit, decimals)} {'higher' if diff > 0 else 'lower'}"
    relative = relative_change_text(before, after) if unit not in _POINT_UNITS else None
    return text + (f" ({relative})" if relative else "")


#: Where an area stands against a comparator.
SIDES = ("above", "below", "level")
#: How a gap moved between two periods (:func:`gap_movement`).
MOVEMENTS = ("widened", "narrowed", "unchanged", "reversed", "closed", "opened", "level")


@dataclass(frozen=True)
class Gap:
    """An area's gap to a comparator now and before: which side it is on each time (above,
    below, or level when the shown gap rounds to zero) and how it moved."""

    now: float
    before: float
    side_now: str
    side_before: str
    movement: str


def _side(gap: float, decimals: int) -> str:
    if format_number(abs(gap), decimals) == format_number(0, decimals):
        return "level"
    return "above" if gap > 0 else "below"


def gap_movement(gap_now: float, gap_before: float, decimals: int = 1) -> Gap:
    """Classify the move of a gap (area minus comparator) between two periods, as shown at
    ``decimals``: ``widened``/``narrowed``/``unchanged`` on the same side, ``reversed`` to
    the other side, ``closed`` to level, ``opened`` from level, ``level`` both times.

    >>> g = gap_movement(-0.7, 0.3)
    >>> g.side_now, g.side_before, g.movement
    ('below', 'above', 'reversed')
    >>> gap_movement(-1.0, -1.5).movement, gap_movement(0.02, -0.4).movement
    ('narrowed', 'closed')
    """
    if is_missing(gap_now) or is_missing(gap_before):
        raise SummaryError("cannot describe a gap with a missing value")
    now, before = round(float(gap_now), 10), round(float(gap_before), 10)
    side_now, side_before = _side(now, decimals), _side(before, decimals)
    if side_now == "level":
        movement = "level" if side_before == "level" else "closed"
    elif side_before == "level":
        movement = "opened"
    elif side_now != side_before:
        movement = "reversed"
    else:
        a, b = format_number(abs(now), decimals), format_number(abs(before), decimals)
        movement = "unchanged" if a == b else ("widened" if abs(now) > abs(before) else "narrowed")
    return Gap(now, before, side_now, side_before, movement)


def gap_position(
    gap: float, comparator: str | None = "England", *, unit: str = "%", decimals: int = 1
) -> str:
    """Where an area stands: ``"1.0 percentage points below England"`` or ``"level with
    England"`` (the size in the indicator's units: percentage points for percentages);
    without the comparator's name when ``comparator`` is None.

    >>> gap_position(-0.71), gap_position(0.01), gap_position(12, "the region", unit="count", decimals=0)
    ('0.7 percentage points below England', 'level with England', '12 above the region')
    >>> gap_position(0.3, None)
    '0.3 percentage points above'
    """
    side = _side(float(gap), decimals)
    if side == "level":
        return f"level with {comparator}" if comparator else "level"
    text = f"{_amount(float(gap), unit, decimals)} {side}"
    return f"{text} {comparator}" if comparator else text


def gap_sentence(
    area_now: float,
    comparator_now: float,
    area_before: float,
    comparator_before: float,
    *,
    comparator: str = "England",
    unit: str = "%",
    decimals: int = 1,
    subject: str = "the area",
    when: str = "",
    before: str = "a year earlier",
    polarity: str | None = None,
) -> str:
    """How an area stands against a comparator and how the gap moved: the side now and
    before (above, below, level) and the movement (widened, narrowed, unchanged, reversed,
    closed, opened). With ``polarity`` (``high``/``low``: which side is better) it says
    whether the move is an improvement or a deterioration relative to the comparator.

    ``when`` and ``before`` say when each figure refers to ("in 2024-25", "in 2023-24").

    Examples:
        >>> gap_sentence(8.0, 6.0, 7.5, 6.5)
        'The area was 2.0 percentage points above England; the gap has widened from 1.0 percentage points above a year earlier'
        >>> gap_sentence(2.4, 3.4, 3.1, 2.8, subject="NEET in Dudley", when="in 2024-25",
        ...              before="in 2020-21", polarity="low")
        'NEET in Dudley was 1.0 percentage points below England in 2024-25; the gap has reversed from 0.3 percentage points above in 2020-21, an improvement relative to England'
        >>> gap_sentence(7.0, 7.0, 8.0, 7.0)
        'The area was level with England; the gap has closed from 1.0 percentage points above a year earlier'
    """
    values = (area_now, comparator_now, area_before, comparator_before)
    if any(is_missing(v) for v in values):
        raise SummaryError("cannot describe a gap with a missing value")
    gap = gap_movement(
        float(area_now) - float(comparator_now),
        float(area_before) - float(comparator_before),
        decimals,
    )
    head = subject[:1].upper() + subject[1:]
    now_text = gap_position(gap.now, comparator, unit=unit, decimals=decimals)
    then_text = gap_position(
        gap.before, None if gap.side_before != "level" else comparator, unit=unit, decimals=decimals
    )
    when = f" {when}" if when else ""
    movement = {
        "widened": f"the gap has widened from {then_text} {before}",
        "narrowed": f"the gap has narrowed from {then_text} {before}",
        "unchanged": f"the gap is unchanged from {before}",
        "reversed": f"the gap has reversed from {then_text} {before}",
        "closed": f"the gap has closed from {then_text} {before}",
        "opened": f"a gap has opened: it was {then_text} {before}",
        "level": f"as it was {before}",
    }[gap.movement]
    return f"{head} was {now_text}{when}; {movement}" + _gap_judgement(gap, polarity, comparator)


def _gap_judgement(gap: Gap, polarity: str | None, comparator: str) -> str:
    """ ", an improvement relative to England" when the area moved towards the better side."""
    if polarity not in ("high", "low") or gap.movement in ("unchanged", "level"):
        return ""
    better = 1.0 if polarity == "high" else -1.0
    moved = (gap.now - gap.before) * better
    if abs(moved) < 1e-12:
        return ""
    word = "an improvement" if moved > 0 else "a deterioration"
    return f", {word} relative to {comparator}"


_SEED = re.compile(r"\s*\(seed [^()]*\)", re.IGNORECASE)
_FILE = re.compile(r"^\s*[\w.*-]+\.(?:csv|xlsx|xls|txt|tsv|parquet)\s*", re.IGNORECASE)


def source_publication(source: str) -> str:
    """How committee text names a source: the publication, without the data file's name or
    the working references of transcribed reports (the sources list and the page footer
    keep the full entry).

    >>> source_publication("cla_number_and_rate_per_10k_children.csv (DfE CLA, Explore Education Statistics)")
    'DfE CLA, Explore Education Statistics'
    >>> source_publication("observations.csv (Leeds City Council Q2 Performance Report (seed 004_6402f4d9ff85f589.txt) para 3.1)")
    'Leeds City Council Q2 Performance Report, para 3.1'
    >>> source_publication("bds_long_0.parquet (DfE Local Authority Interactive Tool)")
    'DfE Local Authority Interactive Tool'
    >>> source_publication("EES_ytd_data_published_*.csv (DfE Pupil attendance in schools)")
    'DfE Pupil attendance in schools'
    >>> source_publication("NCCIS NEET and not known dashboard (DfE)")
    'NCCIS NEET and not known dashboard (DfE)'
    """
    text = str(source).strip()
    named = _FILE.match(text)
    if named and text[named.end() :].startswith("("):
        text = text[named.end() :].strip()
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
    text = _SEED.sub(",", text).split(";")[0]  # after a ";": the transcriber's working notes
    text = re.sub(r",\s*,", ",", re.sub(r",(?=\S)", ", ", text)).strip(" ,;")
    return re.sub(r"\s{2,}", " ", text).replace(" ,", ",")


def position_sentence(bench: pd.DataFrame, area: str, name: str | None = None) -> str:
    """``"Leeds is in the third quartile of 148 local authorities"`` from a benchmark frame."""
    row = bench[(bench["area_code"] == area) | (bench["area_name"] == area)]
    label = name or (str(row["area_name"].iloc[0]) if len(row) else area)
    text = quartile_sentence(bench, area)
    if text.startswith("not placed"):
        return f"{label} is {text}"
    return f"{label} is in the {text}"


# --- counts and exceptions -----------------------------------------------------------


def status_counts(
    scored: pd.DataFrame,
    by: str | list[str] = "priority",
    groups: pd.DataFrame | None = None,
    what: str = "status",
) -> pd.DataFrame:
    """Count scored indicators by status (or ``what="rag"``) per group, with a total.

    ``groups`` maps indicators to groups (columns ``indicator`` and ``by``, e.g. priority or
    plan) when ``scored`` does not carry them. Every status appears as a column, zero or not.

    Examples:
        >>> scored = pd.DataFrame({"indicator": ["a", "b", "c"], "rag": ["green", "red", "green"],
        ...                        "status": ["exceeds", "below", "on_target_upper"]})
        >>> groups = pd.DataFrame({"indicator": ["a", "b", "c"], "plan": ["CYPP", "CYPP", "CBP"]})
        >>> status_counts(scored, "plan", groups, what="rag")
           plan  green  amber  red  no data  total
        0   CBP      1      0    0        0      1
        1  CYPP      1      0    1        0      2
    """
    keys = [by] if isinstance(by, str) else list(by)
    data = scored.merge(groups, on="indicator", how="left") if groups is not None else scored
    missing = [k for k in keys if k not in data.columns]
    if missing:
        raise SummaryError(
            f"no column {missing[0]!r} to group by",
            hint="Pass groups= with indicator and that column.",
        )
    if what == "status":
        levels = list(STATUSES)
    elif what == "rag":
        levels = ["green", "amber", "red", "no data"]
    else:
        raise SummaryError(f"what must be 'status' or 'rag', not {what!r}")
    data = data.assign(**{k: data[k].fillna("(none)") for k in keys})
    counts = (
        data.groupby(keys + [what])
        .size()
        .unstack(what, fill_value=0)
        .reindex(columns=levels, fill_value=0)
        .astype("int64")
    )
    counts["total"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()


def exception_list(
    scored: pd.DataFrame,
    commentary: pd.DataFrame | None = None,
    *,
    statuses: tuple[str, ...] = ("below",),
) -> pd.DataFrame:
    """Indicators below target tolerance (red), with their commentary when there is any.

    Joined on indicator, area_code and period; several comments are joined with a blank line.
    The ``commentary`` column is missing where nobody has written one (the report should
    say so, not hide the exception).
    """
    out = scored[scored["status"].isin(statuses)].copy()
    if commentary is not None and len(commentary):
        key = ["indicator", "area_code", "period"]
        text = commentary.groupby(key, sort=False)["text"].agg(lambda s: "\n\n".join(map(str, s)))
        out = out.merge(text.rename("commentary").reset_index(), on=key, how="left")
    else:
        out["commentary"] = pd.Series(pd.NA, index=out.index, dtype="string")
    return out.reset_index(drop=True)


# --- reconciling the signals ---------------------------------------------------------

#: The rule :func:`status_view` applies, stated once so reports can quote it.
VIEW_RULE = (
    "Each signal is read as good, bad or neutral: target RAG green = good, red = bad, amber = "
    "neutral; SPC special cause improving = good, special cause concerning = bad, common cause "
    "or no polarity = neutral; benchmark quartile A = good, D = bad, B or C = neutral. "
    "The view is 'review' when at least one signal is good and another bad (they disagree, "
    "e.g. green against target but a special-cause concern); otherwise 'concern' if any is "
    "bad, 'good' if any is good, 'steady' if all available signals are neutral, and 'no data' "
    "when none is available."
)

_TARGET = {"green": "good", "red": "bad", "amber": "neutral"}
_SPC = {
    "special cause improving": "good",
    "special cause concerning": "bad",
    "common cause": "neutral",
    "special cause neither": "neutral",
}
_QUARTILE = {"A": "good", "D": "bad", "B": "neutral", "C": "neutral"}


def status_view(
    scored: pd.DataFrame, spc: pd.DataFrame | None = None, bench: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One view per indicator x area reconciling target status, SPC and benchmark quartile.

    Args:
        scored: from :func:`perf.scoring.score_against_target` (indicator, area_code, rag...).
        spc: indicator, area_code, variation (a :func:`perf.spc.variation_icon` value).
        bench: indicator, area_code, quartile ('A'-'D').

    Returns:
        ``scored`` plus variation, quartile, target_signal, spc_signal, benchmark_signal,
        view and reason. The rule is :data:`VIEW_RULE`.

    Examples:
        >>> scored = pd.DataFrame({"indicator": ["x"], "area_code": ["L"], "rag": ["green"]})
        >>> spc = pd.DataFrame({"indicator": ["x"], "area_code": ["L"],
        ...                     "variation": ["special cause concerning"]})
        >>> status_view(scored, spc)[["view", "reason"]].iloc[0].tolist()
        ['review', 'signals disagree: target green (good); SPC special cause concerning (bad)']
    """
    key = ["indicator", "area_code"]
    out = scored.copy()
    for extra, col in ((spc, "variation"), (bench, "quartile")):
        if extra is not None:
            out = out.merge(extra[key + [col]].drop_duplicates(key), on=key, how="left")
        else:
            out[col] = pd.NA
    out["target_signal"] = out["rag"].map(_TARGET).astype("string") if "rag" in out else pd.NA
    out["spc_signal"] = out["variation"].map(_SPC).astype("string")
    out["benchmark_signal"] = out["quartile"].map(_QUARTILE).astype("string")

    views, reasons = [], []
    for _, row in out.iterrows():
        parts = []
        for name, raw, sig in (
            ("target", row.get("rag"), row["target_signal"]),
            ("SPC", row["variation"], row["spc_signal"]),
            ("quartile", row["quartile"], row["benchmark_signal"]),
        ):
            if not is_missing(sig):
                parts.append((name, raw, sig))
        signals = {s for _, _, s in parts}
        described = "; ".join(f"{n} {r} ({s})" for n, r, s in parts)
        if not parts:
            views.append("no data")
            reasons.append("no target, SPC or benchmark signal")
        elif {"good", "bad"} <= signals:
            views.append("review")
            reasons.append(f"signals disagree: {described}")
        elif "bad" in signals:
            views.append("concern")
            reasons.append(described)
        elif "good" in signals:
            views.append("good")
            reasons.append(described)
        else:
            views.append("steady")
            reasons.append(described)
    out["view"] = pd.array(views, dtype="string")
    out["reason"] = pd.array(reasons, dtype="string")
    return out
