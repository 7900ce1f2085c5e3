"""How each source's periods line up with the council's reporting periods, stated once.

A council reports on financial years (1 April to 31 March) and their quarters. Each source
publishes on its own calendar, so each kind of published period is placed in one reporting
year by a declared rule (:data:`ALIGNMENT`), and every figure is shown with the dates it
covers, in words (:func:`period_words`: "at 31 March 2025", "year to 31 March 2025"):

=================  =============================================  ===========================
period kind        source, example                                reporting year (rule)
=================  =============================================  ===========================
dec_feb_average    NCCIS NEET "2025": December 2024 to February    2024-25 (``end``: the year
                   2025 average                                    holding its last day)
snapshot           children looked after on 31 March 2025          2024-25 (``end``)
financial_year     DfE starts and ceasings 2024-25                 2024-25 (``end``)
financial_quarter  a council scorecard, 2024-25 Q1                 2024-25 (``end``)
academic_year      school absence 2024/25 (September to August)    2024-25 (``most``: 7 of its
                                                                   12 months)
calendar_year      ONS mid-year estimates 2024                     2024-25 (``most``)
date_range         a council's monthly figure                      (``most``)
multi_year         three-year averages 2014-16                     (``most``; later on a tie)
=================  =============================================  ===========================

In-year attendance (``academic_year_to_date``, year to a cut-off date, and ``week``) has
the rule ``end``: the reporting year holding the cut-off date (or the week's last day). A
kind with no declared rule is an error, never a guess.

A quarterly briefing shows the figures that fall inside its quarter (a snapshot on a day
in it, a month of it); a yearly one those whose reporting year it is
(:func:`in_reporting_period`).

Examples:
    >>> from datetime import date
    >>> reporting_year("dec_feb_average", date(2024, 12, 1), date(2025, 2, 28)).label
    '2024-25'
    >>> reporting_year("academic_year", date(2024, 9, 1), date(2025, 8, 31)).label
    '2024-25'
    >>> period_words("dec_feb_average", "2025", date(2024, 12, 1), date(2025, 2, 28))
    'December 2024 to February 2025 average'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from perf.errors import ParameterError, PerfError
from perf.periods import (
    Period,
    financial_quarter_of,
    financial_year,
    financial_year_of,
    parse_period,
    reporting_quarter,
)

__all__ = [
    "ALIGNMENT",
    "BRIEFING_KINDS",
    "AlignmentError",
    "check_reporting_period",
    "in_reporting_period",
    "label_words",
    "latest_annual_words",
    "latest_reporting_period",
    "period_words",
    "refers_to",
    "reporting_year",
    "when",
]

#: period kind -> the rule that places it in a reporting (financial) year: ``end`` the
#: year holding its last day; ``most`` the year holding most of its days (the later on a tie).
ALIGNMENT: dict[str, str] = {
    "dec_feb_average": "end",
    "snapshot": "end",
    "financial_year": "end",
    "financial_quarter": "end",
    "academic_year": "most",
    "calendar_year": "most",
    "date_range": "most",
    "multi_year": "most",
    # in-year attendance: the year to a cut-off date belongs to the reporting year holding
    # the cut-off; a school week to the one holding its last day
    "academic_year_to_date": "end",
    "week": "end",
}

#: The periods a briefing reports on: the council's cycle.
BRIEFING_KINDS = ("financial_year", "financial_quarter")

Span = tuple[str, date, date]


class AlignmentError(PerfError):
    """A period kind has no declared alignment to the reporting year."""


def reporting_year(kind: str, start: date, end: date) -> Period:
    """The financial year a published period belongs to, by :data:`ALIGNMENT`.

    >>> reporting_year("snapshot", date(2025, 3, 31), date(2025, 3, 31)).label
    '2024-25'
    >>> reporting_year("calendar_year", date(2024, 1, 1), date(2024, 12, 31)).label
    '2024-25'
    >>> reporting_year("weekly", date(2024, 1, 1), date(2024, 1, 7))
    Traceback (most recent call last):
    ...
    perf.alignment.AlignmentError: no declared alignment for period kind 'weekly'. ...
    """
    rule = ALIGNMENT.get(kind)
    if rule is None:
        raise AlignmentError(
            f"no declared alignment for period kind {kind!r}",
            hint="Declare its rule in perf.alignment.ALIGNMENT.",
        )
    if rule == "end":
        return financial_year(financial_year_of(end))
    best, most = financial_year_of(end), -1
    for year in range(financial_year_of(start), financial_year_of(end) + 1):
        fy = financial_year(year)
        days = (min(end, fy.end) - max(start, fy.start)).days + 1
        if days >= most:
            best, most = year, days
    return financial_year(best)


def _month_span(start: date, end: date) -> str | None:
    """ "August 2012" for a whole calendar month, else None."""
    if start.day != 1 or (start.year, start.month) != (end.year, end.month):
        return None
    following = date(end.year + end.month // 12, end.month % 12 + 1, 1)
    return f"{start:%B %Y}" if (following - end).days == 1 else None


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _months(start: date, end: date) -> str:
    """ "January to March 2025", "December 2024 to February 2025"."""
    if start.year == end.year:
        return f"{start:%B} to {end:%B %Y}"
    return f"{start:%B %Y} to {end:%B %Y}"


def period_words(
    kind: str,
    label: str,
    start: date,
    end: date,
    *,
    cumulative: bool = False,
    period_type: str | None = None,
) -> str:
    """The period a figure covers, in the words a member reads beside it: the one wording
    every table, chart and sentence uses.

    ``cumulative``: the figure is the year to date (a cumulative indicator's quarter).
    ``period_type``: the catalogue's words for what the measure covers where it fixes a day
    ("at 30 September", "year to 31 March"): they name it, with the year the figure ends in
    (LAIT's workforce figures are calendar years in its file but counted at 30 September).

    >>> period_words("calendar_year", "2024", date(2024, 1, 1), date(2024, 12, 31),
    ...              period_type="at 30 September")
    'at 30 September 2024'
    >>> period_words("snapshot", "30 September 2024", date(2024, 9, 30), date(2024, 9, 30),
    ...              period_type="year to 30 September")
    'year to 30 September 2024'

    >>> period_words("snapshot", "31 March 2025", date(2025, 3, 31), date(2025, 3, 31))
    'at 31 March 2025'
    >>> period_words("financial_year", "2024-25", date(2024, 4, 1), date(2025, 3, 31))
    'year to 31 March 2025'
    >>> period_words("academic_year", "2023/24", date(2023, 9, 1), date(2024, 8, 31))
    'academic year 2023/24'
    >>> period_words("calendar_year", "2024", date(2024, 1, 1), date(2024, 12, 31))
    'calendar year 2024'
    >>> period_words("dec_feb_average", "2025", date(2024, 12, 1), date(2025, 2, 28))
    'December 2024 to February 2025 average'
    >>> period_words("academic_year_to_date", "2024/25 to 18 July 2025", date(2024, 9, 1),
    ...              date(2025, 7, 18))
    'year to date to 18 July 2025'
    >>> period_words("financial_quarter", "2024-25 Q4", date(2025, 1, 1), date(2025, 3, 31))
    'January to March 2025'
    >>> period_words("financial_quarter", "2024-25 Q3", date(2024, 10, 1), date(2024, 12, 31),
    ...              cumulative=True)
    'year to date to 31 December 2024'
    >>> period_words("financial_quarter", "2024-25 Q4", date(2025, 1, 1), date(2025, 3, 31),
    ...              cumulative=True)
    'year to 31 March 2025'
    >>> period_words("date_range", "01/08/2012 to 31/08/2012", date(2012, 8, 1), date(2012, 8, 31))
    'August 2012'
    """
    fixed = re.fullmatch(r"(at|year to) (\d{1,2} [A-Z][a-z]+)", (period_type or "").strip())
    if fixed and not cumulative:
        return f"{fixed.group(1)} {fixed.group(2)} {end.year}"
    if kind == "snapshot":
        return f"at {_day(end)}"
    if kind == "financial_year":
        return f"year to {_day(end)}"
    if kind == "financial_quarter":
        if cumulative:
            year_end = (end.month, end.day) == (3, 31)
            return f"year to {_day(end)}" if year_end else f"year to date to {_day(end)}"
        return _months(start, end)
    if kind == "academic_year":
        return f"academic year {label}"
    if kind == "calendar_year":
        return f"calendar year {start.year}"
    if kind == "dec_feb_average":
        return f"{_months(start, end)} average"
    if kind == "academic_year_to_date":
        return f"year to date to {_day(end)}"
    if kind == "week":
        return f"week to {_day(end)}"
    if kind == "multi_year":
        return f"{start:%B %Y} to {end:%B %Y}"
    if kind == "date_range":
        month = _month_span(start, end)
        if month:
            return month
        if cumulative:
            return f"year to date to {_day(end)}"
        return f"{_day(start)} to {_day(end)}"
    return label


def label_words(label: str, *, cumulative: bool = False) -> str:
    """:func:`period_words` of a period label (parsed): how a table names an earlier
    figure's period; the label itself when it cannot be read.

    >>> label_words("31 March 2024"), label_words("2023-24"), label_words("01/07/2011 to 31/07/2011")
    ('at 31 March 2024', 'year to 31 March 2024', 'July 2011')
    >>> label_words("2024-25 Q3", cumulative=True)
    'year to date to 31 December 2024'
    """
    try:
        period = parse_period(str(label))
    except PerfError:
        return str(label)
    return period_words(period.kind, period.label, period.start, period.end, cumulative=cumulative)


def refers_to(kind: str, label: str, start: date, end: date) -> str:
    """The dates a figure refers to, beside the figure: :func:`period_words`.

    >>> refers_to("snapshot", "31 March 2025", date(2025, 3, 31), date(2025, 3, 31))
    'at 31 March 2025'
    """
    return period_words(kind, label, start, end)


#: Period words a sentence puts "in the" before ("in the year to 31 March 2025"); the
#: others read as they are ("at 31 March 2025") or after "in" ("in August 2012").
_THE = ("year to ", "academic year", "calendar year", "week to ")


def when(kind: str, label: str, start: date, end: date, *, cumulative: bool = False) -> str:
    """:func:`period_words` as a sentence says it: "at 31 March 2025", "in the academic
    year 2024/25", "in the year to 31 March 2025", "in December 2024 to February 2025".

    >>> when("snapshot", "31 March 2025", date(2025, 3, 31), date(2025, 3, 31))
    'at 31 March 2025'
    >>> when("academic_year", "2024/25", date(2024, 9, 1), date(2025, 8, 31))
    'in the academic year 2024/25'
    >>> when("dec_feb_average", "2025", date(2024, 12, 1), date(2025, 2, 28))
    'on average from December 2024 to February 2025'
    """
    words = period_words(kind, label, start, end, cumulative=cumulative)
    if kind == "snapshot":
        return words
    if kind == "dec_feb_average":
        return "on average from " + words.removesuffix(" average")
    return f"in the {words}" if words.startswith(_THE) else f"in {words}"


def latest_annual_words(words: str, next_release: str | None = None) -> str:
    """An annual-only figure in a quarterly briefing: "the latest annual figure", its period
    and the month its next release is due (when known).

    >>> latest_annual_words("year to 31 March 2024", "November")
    'the latest annual figure (year to 31 March 2024; next release due in November)'
    >>> latest_annual_words("at 31 March 2024")
    'the latest annual figure (at 31 March 2024)'
    """
    due = f"; next release due in {next_release}" if next_release else ""
    return f"the latest annual figure ({words}{due})"


def in_reporting_period(kind: str, start: date, end: date, reporting: Period) -> bool:
    """Whether a published period's figure belongs to the reporting period ``reporting``:
    a financial year holds the figures aligned to it (:func:`reporting_year`); a quarter,
    or any other period, the figures that fall inside it.

    >>> fy, q4 = parse_period("2024-25"), parse_period("2024-25 Q4")
    >>> in_reporting_period("dec_feb_average", date(2024, 12, 1), date(2025, 2, 28), fy)
    True
    >>> in_reporting_period("dec_feb_average", date(2023, 12, 1), date(2024, 2, 29), fy)
    False
    >>> in_reporting_period("snapshot", date(2025, 3, 31), date(2025, 3, 31), q4)
    True
    """
    if reporting.kind == "financial_year":
        return reporting_year(kind, start, end).label == reporting.label
    if kind in _IN_YEAR and reporting.kind == "financial_quarter":
        return _in_year_quarter(kind, start, end) == reporting
    return reporting.start <= start and end <= reporting.end


#: In-year figures (to a cut-off date, or one week) that a quarterly briefing reports in the
#: quarter :func:`perf.periods.reporting_quarter` names, though they start before it.
_IN_YEAR = ("academic_year_to_date", "week")


def _in_year_quarter(kind: str, start: date, end: date) -> Period:
    return reporting_quarter(Period(kind=kind, label="", start=start, end=end))


def latest_reporting_period(spans: Iterable[Span], kind: str = "financial_year") -> Period | None:
    """The latest financial year (``kind="financial_year"``) or quarter holding a figure.

    Each distinct span is placed once (a council's figures, 4,300 of them, have about a
    hundred: each placed once instead of every time it recurs)."""
    found: list[Period] = []
    for span_kind, start, end in dict.fromkeys(spans):
        if kind == "financial_year":
            found.append(reporting_year(span_kind, start, end))
        elif span_kind in _IN_YEAR:
            found.append(_in_year_quarter(span_kind, start, end))
        else:
            quarter = financial_quarter_of(end)
            if quarter.start <= start:
                found.append(quarter)
    return max(found) if found else None


def check_reporting_period(
    spans: Iterable[Span],
    period: str,
    area_name: str,
    *,
    kinds: tuple[str, ...] | None = BRIEFING_KINDS,
) -> Period:
    """The reporting period, refused when it is not one of ``kinds`` (a briefing's: a
    financial year or quarter; None: any) or when ``area_name`` has no figure in it
    (``spans``: its figures' kind, start and end); the error names the latest period that
    has figures.

    >>> spans = [("snapshot", date(2025, 3, 31), date(2025, 3, 31))]
    >>> check_reporting_period(spans, "2024-25", "Dudley").label
    '2024-25'
    >>> check_reporting_period(spans, "2025-26", "Dudley")
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: no figures for Dudley in 2025-26: the latest reporting period with figures for Dudley is 2024-25. ...
    """
    spans = list(spans)
    asked = parse_period(period)
    latest = latest_reporting_period(spans, "financial_year")
    latest_text = (
        f"the latest reporting period with figures for {area_name} is {latest.label}"
        if latest
        else f"there are no figures for {area_name}"
    )
    if kinds is not None and asked.kind not in kinds:
        guess = financial_year(asked.start.year) if asked.kind == "academic_year" else None
        what = {
            "academic_year": "a school (academic) year",
            "multi_year": "a span of years",
            "calendar_year": "a calendar year",
            "snapshot": "a single day",
        }.get(asked.kind, f"a {asked.kind.replace('_', ' ')}")
        raise ParameterError(
            f"{period!r} reads as {what} ({asked.start:%-d %B %Y} to {asked.end:%-d %B %Y}), "
            f"not a financial year or quarter: a briefing reports on the council's year "
            f"(e.g. 2024-25) or a quarter of it (2024-25 Q1); {latest_text}",
            value=period,
            hint=(f"Did you mean {guess.label}? " if guess else "")
            + "Write a financial year with a hyphen: 2024-25.",
        )
    if not any(in_reporting_period(k, s, e, asked) for k, s, e in spans):
        if asked.kind == "financial_quarter":
            quarter = latest_reporting_period(spans, "financial_quarter")
            if quarter is not None:
                latest_text += f" (the latest quarter with figures is {quarter.label})"
        raise ParameterError(
            f"no figures for {area_name} in {asked.label}: {latest_text}",
            hint="Choose a period that has published or local figures.",
        )
    return asked
