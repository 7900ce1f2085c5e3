"""The words every chart shares: figures, dates, source lines, subtitles, tick labels.

Pure functions of values and frames, tested without drawing. Each chart kind writes its
own title (a finding) and alt text with these, in a pure ``<kind>_words`` function in its
module (:func:`perf.charts.trend.trend_words`...) that returns a :class:`ChartText`.

Examples:
    >>> fmt(62.94, "%", 1), when_text("31 March 2025", "snapshot")
    ('62.9%', 'at 31 March 2025')
    >>> rise_or_fall(77.3, 82.0, "%", 1)
    'rose from'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from perf.alignment import when
from perf.summary import gap_position, source_publication
from perf.tables import format_value

__all__ = [
    "ATTENDANCE_MEASURES",
    "POINT_WORDS",
    "ChartText",
    "attendance_label",
    "count_words",
    "day_month",
    "fmt",
    "gap_label",
    "icon",
    "period_when",
    "release_caption",
    "rise_or_fall",
    "source_text",
    "tick_label",
    "unit_subtitle",
    "when_text",
]


@dataclass(frozen=True)
class ChartText:
    """What a chart says in words: its title (the finding), alt text and source line."""

    title: str
    alt: str
    source: str


def fmt(value: float, unit: str, decimals: int) -> str:
    """A figure as every table shows it (:func:`perf.tables.format_value`).

    >>> fmt(1234.5, "count", 0)
    '1,235'
    """
    return format_value(value, unit, decimals)


def when_text(period: str, kind: str | None, start: Any = None, end: Any = None) -> str:
    """ "at 31 March 2025", "in 2024-25", "in December 2024 to February 2025": the dates a
    figure refers to (:func:`perf.alignment.refers_to`) when its start and end are known.

    >>> when_text("2024-25", "financial_year")
    'in 2024-25'
    """
    if kind == "snapshot":
        return f"at {period}"
    if kind is not None and start is not None and end is not None and pd.notna(start):
        return when(str(kind), str(period), pd.Timestamp(start).date(), pd.Timestamp(end).date())
    return f"in {period}"


def period_when(period: str) -> str:
    """A ranked chart's period after its label: " at 31 March 2025" for a date, " in 2024-25"
    otherwise, "" when there is none.

    >>> period_when("31 March 2025"), period_when("2024-25"), period_when("")
    (' at 31 March 2025', ' in 2024-25', '')
    """
    if not period:
        return ""
    return f" {when_text(period, 'snapshot' if period[:1].isdigit() and ' ' in period else None)}"


def source_text(frame: pd.DataFrame, source: str | None) -> str:
    """The source line: ``source`` as given (with "Source: " in front when it lacks it), else
    the publications named in ``frame["source"]``, each once.

    >>> source_text(pd.DataFrame({"source": ["a.csv (DfE CLA)", "b.csv (DfE CLA)"]}), None)
    'Source: DfE CLA'
    >>> source_text(pd.DataFrame(), "ONS")
    'Source: ONS'
    """
    if source:
        return source if source.lower().startswith("source") else f"Source: {source}"
    if "source" in frame.columns:
        names = list(
            dict.fromkeys(
                source_publication(s) for s in pd.unique(frame["source"].dropna().astype(str)) if s
            )
        )
        if names:
            return "Source: " + "; ".join(names)
    return "Source: not stated"


def unit_subtitle(unit: str) -> str:
    """The value axis's name for a unit.

    >>> unit_subtitle("rate per 10,000"), unit_subtitle("hours")
    ('Rate per 10,000 children', 'hours')
    """
    return {
        "%": "Per cent",
        "rate per 10,000": "Rate per 10,000 children",
        "days": "Days",
        "count": "Number",
        "number": "Number",
        "score": "Score",
    }.get(unit, unit)


def rise_or_fall(first: float, last: float, unit: str, decimals: int) -> str:
    """ "rose from", "fell from" or "was unchanged at", judged on the figures as shown.

    >>> rise_or_fall(3.04, 2.96, "%", 1)
    'was unchanged at'
    """
    a, b = fmt(first, unit, decimals), fmt(last, unit, decimals)
    if a == b:
        return "was unchanged at"
    return "rose from" if last > first else "fell from"


def tick_label(period: str, kind: Any) -> str:
    """A period's label on a time axis, on two lines where it is long.

    >>> tick_label("2025", "dec_feb_average"), tick_label("2024-25 Q2", "financial_quarter")
    ('Dec 2024-\\nFeb 2025', '2024-25\\nQ2')
    >>> tick_label("31 March 2025", "snapshot")
    'Mar\\n2025'
    """
    if kind == "dec_feb_average" and period.isdigit():  # "2025": December 2024 to February 2025
        return f"Dec {int(period) - 1}-\nFeb {period}"
    if kind == "snapshot":
        return pd.Timestamp(period).strftime("%b\n%Y") if _parses(period) else period
    if kind == "financial_quarter" and " Q" in period:
        return period.replace(" Q", "\nQ")
    return period


def _parses(text: str) -> bool:
    try:
        pd.Timestamp(text)
    except (ValueError, TypeError):
        return False
    return True


def gap_label(gap: float, decimals: int) -> str:
    """The shaded gap in words (:func:`perf.summary.gap_position`), two lines for the margin.

    >>> gap_label(-0.71, 1)
    'Gap: 0.7 percentage\\npoints below England'
    >>> gap_label(0.01, 1)
    'No gap: level\\nwith England'
    """
    words = gap_position(gap, unit="%", decimals=decimals)
    if words.startswith("level"):
        return "No gap: level\nwith England"
    return "Gap: " + words.replace(" percentage points ", " percentage\npoints ", 1).replace(
        " percentage point ", " percentage\npoint ", 1
    )


def count_words(counts: Mapping[str, int], comparator: str) -> str:
    """'55 statistically higher than England, 7 higher at 95% only, ...' for the alt text.

    >>> count_words({"higher_998": 2, "not_different": 5}, "England")
    '2 statistically higher than England (above the 99.8% limit), 5 not statistically different'
    """
    short = {
        "higher_998": f"statistically higher than {comparator} (above the 99.8% limit)",
        "higher_95": "higher at 95% but not 99.8%",
        "not_different": "not statistically different",
        "lower_95": "lower at 95% but not 99.8%",
        "lower_998": f"statistically lower than {comparator} (below the 99.8% limit)",
    }
    return ", ".join(
        f"{int(counts.get(code, 0))} {words}"
        for code, words in short.items()
        if counts.get(code, 0)
    )


def icon(text: str | None, kind: str) -> str:
    """A text symbol for a Making Data Count variation or assurance icon.

    >>> icon("special cause improving (low)", "variation"), icon("hit and miss target", "assurance")
    ('▼', '?')
    """
    if not text:
        return ""
    t = text.lower()
    if kind == "variation":
        if "improv" in t:
            return (
                "▲"
                if ("high" in t or "up" in t or "increas" in t)
                else "▼"
                if ("low" in t or "down" in t or "decreas" in t)
                else "◆"
            )
        if "concern" in t or "worse" in t or "deterior" in t:
            return "!"
        return "~"
    if "pass" in t or "consistently meet" in t or "will meet" in t:
        return "P"
    if "fail" in t or "not meet" in t or "consistently miss" in t:
        return "F"
    return "?"


# --- in-year attendance (DfE pupil attendance in schools) ------------------------------------

ATTENDANCE_MEASURES = {
    "attendance": "attendance",
    "absence": "overall absence",
    "auth_absence": "authorised absence",
    "unauth_absence": "unauthorised absence",
    "pa": "persistent absence",
}

#: An academic year's quarter-end points (:func:`perf.attendance.quarter_points`) in words.
POINT_WORDS = {1: "end of September", 2: "end of December", 3: "end of March", 4: "end of June"}


def attendance_label(indicator: str) -> str:
    """``attendance_ytd_secondary`` -> "Attendance in secondary schools".

    >>> attendance_label("pa_ytd_total"), attendance_label("attendance_week_primary")
    ('Persistent absence in state-funded schools', 'Attendance in primary schools')
    """
    stem, _, phase = indicator.replace("_week_", "_ytd_").partition("_ytd_")
    words = ATTENDANCE_MEASURES.get(stem, stem.replace("_", " "))
    where = "state-funded schools" if phase == "total" else f"{phase} schools"
    return f"{words[:1].upper()}{words[1:]} in {where}"


def day_month(day: Any, year: bool = True) -> str:
    """ "20 December 2024" (or "20 December").

    >>> day_month("2024-12-20"), day_month("2024-12-20", year=False)
    ('20 December 2024', '20 December')
    """
    stamp = pd.Timestamp(day)
    return f"{stamp.day} {stamp:%B}" + (f" {stamp.year}" if year else "")


def release_caption(rows: pd.DataFrame, what: str) -> str:
    """ "Source: DfE Pupil attendance in schools, <what> from the releases of 9 January 2025
    (to 20 December 2024), ...", saying how the cut-offs were known.

    >>> rows = pd.DataFrame({"release": ["r1"], "published": [pd.Timestamp("2025-01-09")],
    ...     "cutoff": [pd.Timestamp("2024-12-20")], "cutoff_basis": ["stated"]})
    >>> release_caption(rows, "year-to-date figures")
    'Source: DfE Pupil attendance in schools, year-to-date figures from the release of 9 January 2025 (to 20 December 2024)'
    """
    seen = rows.drop_duplicates("release").sort_values("cutoff")
    bits = [
        (f"{day_month(p)} (to {day_month(c)})" if pd.notna(p) else f"{r} (to {day_month(c)})")
        for p, c, r in zip(seen["published"], seen["cutoff"], seen["release"])
    ]
    plural = "s" if len(bits) > 1 else ""
    text = (
        f"Source: DfE Pupil attendance in schools, {what} from the release{plural} of "
        + "; ".join(bits)
    )
    bases = set(seen["cutoff_basis"].dropna())
    if bases == {"estimated from the publication date"}:
        text += (
            f". Cut-off{plural} estimated from the publication date{plural} (the Friday "
            "two weeks before)"
        )
    elif "estimated from the publication date" in bases:
        text += ". Some cut-offs estimated from the publication dates"
    return text
