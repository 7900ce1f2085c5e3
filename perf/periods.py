"""Reporting periods: UK financial years and quarters, academic and calendar years,
snapshot dates and multi-year ranges, with the arithmetic a quarterly report needs.

Conventions (those of DfE and of council performance teams):

* Financial year ``2012-13`` runs 1 April 2012 to 31 March 2013; ``2012-13 Q1`` is
  1 April to 30 June 2012.
* Academic year ``2015/16`` runs 1 September 2015 to 31 August 2016.
* A slash between two years means an academic year and a hyphen a financial year
  (DfE's style), unless a quarter is named (quarters are always financial) or the
  caller passes ``kind=``.
* A bare year with a ``kind`` hint is the year the period *ends* in (LAIT's
  convention): ``parse_period("2016", kind="academic_year")`` is 2015/16, and with
  ``kind="snapshot"`` it is 31 March 2016.
* Qualifiers such as ``(prov)``, ``(Rev)`` and ``(OT)`` are kept as a flag:
  ``p`` provisional, ``r`` revised, ``ot`` outturn, ``e`` estimate. They are read in any
  case and spacing, in round or square brackets or as a trailing word ("2018(rev)",
  "2018 [ REV. ]", "2025 prov"); ``(Final)`` is recognised and carries no flag (a final
  figure is the ordinary state of a published one). An unknown qualifier is an error.
* A range of years of any span: calendar ``2014-16`` (1 January 2014 to 31 December 2016);
  academic or financial ``2013/14-15/16``, ``2013/14 to 2015/16``, ``2013-14 to 2015-16``
  (the separator inside each year says which, unless ``kind=`` says otherwise). All are
  ``multi_year``; the canonical label of a range of financial or academic years is
  ``2013-14 to 2015-16`` / ``2013/14 to 2015/16``, and it parses back to itself.
* LAIT's year label ``0`` is not a period but the absence of one (:func:`is_no_period`):
  :func:`parse_period` refuses it, and a loader decides what to do with its rows.

Examples:
    >>> p = parse_period("Q2 2012/13")
    >>> p.label, p.kind, str(p.start), str(p.end)
    ('2012-13 Q2', 'financial_quarter', '2012-07-01', '2012-09-30')
    >>> previous_quarter(p).label, same_period_last_year(p).label
    ('2012-13 Q1', '2011-12 Q2')
    >>> previous_year_end(p).label
    '2011-12'
    >>> year_to_date(p).label, str(year_to_date(p).start)
    ('2012-13 Q1 to Q2', '2012-04-01')
    >>> parse_period("2018 (Rev)", kind="academic_year").label, parse_period("2018 (Rev)").qualifier
    ('2017/18', 'r')
    >>> parse_period("01/04/2012 to 30/06/2012").label
    '2012-13 Q1'
    >>> parse_period("2014-16").kind
    'multi_year'
    >>> p = parse_period("2013/14-15/16", kind="financial_year")
    >>> p.label, str(p.start), str(p.end)
    ('2013-14 to 2015-16', '2013-04-01', '2016-03-31')
    >>> parse_period("2020 (Final)", kind="academic_year").label
    '2019/20'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd

from perf.errors import PeriodError

__all__ = [
    "Period",
    "parse_period",
    "financial_quarter",
    "financial_year",
    "academic_year",
    "calendar_year",
    "snapshot",
    "previous_quarter",
    "same_period_last_year",
    "previous_year_end",
    "year_to_date",
    "financial_year_of",
    "financial_quarter_of",
    "dec_feb_average",
    "period_columns",
    "is_no_period",
    "year_range",
    "KINDS",
    # in-year attendance (DfE "Pupil attendance in schools")
    "academic_year_to_date",
    "school_week",
    "reporting_quarter",
    "REPORTING_GRACE_DAYS",
]

KINDS = (
    "financial_quarter",
    "financial_year",
    "academic_year",
    "calendar_year",
    "snapshot",
    "multi_year",
    "date_range",
    # in-year attendance: a figure to a cut-off date, and one school week
    "academic_year_to_date",
    "week",
    "dec_feb_average",
)

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

#: Qualifier (lower case, without brackets or a trailing dot) -> flag; None: known, no flag.
_QUALIFIERS: dict[str, str | None] = {
    "prov": "p",
    "provisional": "p",
    "p": "p",
    "rev": "r",
    "revised": "r",
    "r": "r",
    "ot": "ot",
    "outturn": "ot",
    "e": "e",
    "est": "e",
    "estimate": "e",
    "estimated": "e",
    "final": None,
}
#: Labels that stand for "no period": LAIT writes the year of a measure it has no year for
#: as "0" (in bds_long_0.parquet every such row is "-", no figure).
NO_PERIOD_LABELS = frozenset({"0"})


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period. Ordered by start, then end, so periods sort chronologically."""

    start: date
    end: date
    kind: str
    label: str
    qualifier: str | None = None

    def __str__(self) -> str:
        return self.label

    @property
    def financial_year_start(self) -> int:
        """The calendar year in which the financial year holding this period's end starts."""
        return financial_year_of(self.end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


# --- constructors -----------------------------------------------------------------


def _two_digit(year: int) -> str:
    return f"{(year + 1) % 100:02d}"


def financial_year(start_year: int) -> Period:
    """The financial year starting 1 April ``start_year``.

    >>> financial_year(2011).label
    '2011-12'
    """
    return Period(
        date(start_year, 4, 1),
        date(start_year + 1, 3, 31),
        "financial_year",
        f"{start_year}-{_two_digit(start_year)}",
    )


def financial_quarter(start_year: int, quarter: int) -> Period:
    """Quarter ``quarter`` (1-4) of the financial year starting in ``start_year``.

    >>> str(financial_quarter(2012, 4).end)
    '2013-03-31'
    """
    if quarter not in (1, 2, 3, 4):
        raise PeriodError(f"quarter must be 1 to 4, not {quarter}", hint="Use Q1, Q2, Q3 or Q4.")
    if not 1 <= start_year < 9999:
        # The quarter's dates may exist, but its financial year (ending in start_year + 1)
        # does not: refuse rather than label a period whose year cannot be written.
        raise PeriodError(
            f"the financial year {start_year}-{start_year + 1} is outside the calendar",
            hint="Years must be between 1 and 9999.",
        )
    first_month = 4 + 3 * (quarter - 1)
    year = start_year + (first_month - 1) // 12
    month = (first_month - 1) % 12 + 1
    end_month = month + 2
    end = date(year, end_month, calendar.monthrange(year, end_month)[1])
    return Period(
        date(year, month, 1),
        end,
        "financial_quarter",
        f"{start_year}-{_two_digit(start_year)} Q{quarter}",
    )


def academic_year(start_year: int) -> Period:
    """The academic year starting 1 September ``start_year``.

    >>> academic_year(2015).label
    '2015/16'
    """
    return Period(
        date(start_year, 9, 1),
        date(start_year + 1, 8, 31),
        "academic_year",
        f"{start_year}/{_two_digit(start_year)}",
    )


def calendar_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "calendar_year", str(year))


def snapshot(day: date) -> Period:
    """A count taken on one day, e.g. looked-after children at 31 March.

    >>> snapshot(date(2025, 3, 31)).label
    '31 March 2025'
    """
    return Period(day, day, "snapshot", f"{day.day} {calendar.month_name[day.month]} {day.year}")


def dec_feb_average(year: int) -> Period:
    """An average of the December, January and February counts, labelled by the year it
    ends in, as NCCIS labels its NEET figures: "2025" is December 2024 to February 2025.

    >>> p = dec_feb_average(2025)
    >>> p.label, str(p.start), str(p.end)
    ('2025', '2024-12-01', '2025-02-28')
    """
    return Period(
        date(year - 1, 12, 1),
        date(year, 2, calendar.monthrange(year, 2)[1]),
        "dec_feb_average",
        str(year),
    )


def multi_year(first: int, last: int) -> Period:
    """Calendar years ``first`` to ``last`` (LAIT's three-year averages, ``2014-16``)."""
    return Period(date(first, 1, 1), date(last, 12, 31), "multi_year", f"{first}-{last % 100:02d}")


def year_range(first: int, last: int, kind: str) -> Period:
    """The years starting in ``first`` to ``last`` (inclusive) of ``kind`` (financial_year,
    academic_year or calendar_year), as one ``multi_year`` period.

    >>> year_range(2016, 2018, "academic_year").label
    '2016/17 to 2018/19'
    >>> str(year_range(2013, 2015, "financial_year").end)
    '2016-03-31'
    >>> year_range(2014, 2016, "calendar_year").label
    '2014-16'
    """
    if last <= first:
        raise PeriodError(f"a range of years must end after it starts ({first} to {last})")
    if kind == "calendar_year":
        return multi_year(first, last)
    make = {"financial_year": financial_year, "academic_year": academic_year}.get(kind)
    if make is None:
        raise PeriodError(
            f"a range of years cannot be of kind {kind!r}",
            hint="Use financial_year, academic_year or calendar_year.",
        )
    a, b = make(first), make(last)
    return Period(a.start, b.end, "multi_year", f"{a.label} to {b.label}")


def _range_kind(period: Period) -> str:
    """Which kind of years a multi_year period spans (from its canonical label)."""
    if " to " not in period.label:
        return "calendar_year"
    return "academic_year" if "/" in period.label else "financial_year"


def date_range(start: date, end: date) -> Period:
    """A span of days; a span that is exactly a quarter or financial year becomes one."""
    if end < start:
        raise PeriodError(f"the range ends ({end}) before it starts ({start})")
    fy = financial_year_of(start)
    if (start, end) == (date(fy, 4, 1), date(fy + 1, 3, 31)):
        return financial_year(fy)
    for q in range(1, 5):
        candidate = financial_quarter(fy, q)
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end, "date_range", f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")


def financial_year_of(day: date) -> int:
    """The start year of the financial year containing ``day``.

    >>> financial_year_of(date(2013, 3, 31)), financial_year_of(date(2013, 4, 1))
    (2012, 2013)
    """
    return day.year if day.month >= 4 else day.year - 1


def financial_quarter_of(day: date) -> Period:
    """The financial quarter containing ``day``."""
    return financial_quarter(financial_year_of(day), (day.month - 4) % 12 // 3 + 1)


# --- in-year attendance: academic year to date, school weeks ----------------------------
# DfE's "Pupil attendance in schools" publishes figures for the academic year *to a
# cut-off date* (a year-to-date figure is not the year's figure) and for single weeks.


def academic_year_to_date(start_year: int, cutoff: date) -> Period:
    """The academic year starting 1 September ``start_year``, up to ``cutoff`` inclusive.

    >>> p = academic_year_to_date(2024, date(2024, 12, 20))
    >>> p.label, p.kind, str(p.start), str(p.end)
    ('2024/25 to 20 December 2024', 'academic_year_to_date', '2024-09-01', '2024-12-20')
    >>> academic_year_to_date(2024, date(2025, 9, 26))
    Traceback (most recent call last):
    ...
    perf.errors.PeriodError: the cut-off 26 September 2025 is outside the academic year 2024/25 (1 September 2024 to 31 August 2025).
    """
    year = academic_year(start_year)
    if not year.start <= cutoff <= year.end:
        raise PeriodError(
            f"the cut-off {snapshot(cutoff).label} is outside the academic year "
            f"{year.label} ({snapshot(year.start).label} to "
            f"{snapshot(year.end).label})"
        )
    return Period(
        year.start, cutoff, "academic_year_to_date", f"{year.label} to {snapshot(cutoff).label}"
    )


def school_week(iso_year: int, week: int) -> Period:
    """ISO week ``week`` of ``iso_year`` (DfE numbers attendance weeks this way: "Week 37"
    of 2022 is the week commencing Monday 12 September 2022), Monday to Friday: the five
    school days the week's figures cover.

    >>> p = school_week(2022, 37)
    >>> p.label, p.kind, str(p.start), str(p.end)
    ('Week 37 2022', 'week', '2022-09-12', '2022-09-16')
    >>> school_week(2022, 53)
    Traceback (most recent call last):
    ...
    perf.errors.PeriodError: 2022 has no ISO week 53. Weeks run from 1 to 52 (53 in a long ISO year).
    """
    try:
        start = date.fromisocalendar(iso_year, week, 1)
    except ValueError:
        raise PeriodError(
            f"{iso_year} has no ISO week {week}",
            hint="Weeks run from 1 to 52 (53 in a long ISO year).",
        ) from None
    return Period(start, start + timedelta(days=4), "week", f"Week {week} {iso_year}")


#: A year-to-date figure whose cut-off falls up to this many days after a financial
#: quarter's end still stands for that quarter: the release published just after a quarter
#: ends runs to a date a week or two either side of it (10 July for the quarter to 30 June).
REPORTING_GRACE_DAYS = 21


def reporting_quarter(period: Period) -> Period:
    """The financial quarter a briefing reports a period in.

    * ``academic_year_to_date``: the quarter holding the cut-off, or the quarter that ended
      at most :data:`REPORTING_GRACE_DAYS` before it (the release after a quarter's end
      carries that quarter);
    * ``week``: the quarter holding the week's Wednesday (most of its school days);
    * ``financial_quarter``: itself.

    >>> reporting_quarter(parse_period("2024/25 to 20 December 2024")).label
    '2024-25 Q3'
    >>> reporting_quarter(parse_period("2025/26 to 10 July 2026")).label
    '2026-27 Q1'
    >>> reporting_quarter(parse_period("Week 37 2022")).label
    '2022-23 Q2'
    """
    if period.kind == "financial_quarter":
        return period
    if period.kind == "academic_year_to_date":
        return financial_quarter_of(period.end - timedelta(days=REPORTING_GRACE_DAYS))
    if period.kind == "week":
        return financial_quarter_of(period.start + timedelta(days=2))
    raise PeriodError(
        f"no reporting quarter for a {period.kind} ({period.label})",
        hint="Only year-to-date and weekly figures are mapped to a quarter.",
    )


# A slash only: "2024-25 to ..." would be a financial year's label, which perf does not guess.
_YTD_RE = re.compile(
    r"^(?:academic year\s+)?(?P<y1>\d{4})\s*/\s*(?P<y2>\d{2}|\d{4})"
    r"\s+(?:year\s+to\s+date\s+)?to\s+(?P<day>.+)$",
    re.I,
)
_WEEK_RES = [
    re.compile(r"^week\s*(?P<w>\d{1,2})\s*(?:of\s+|,\s*)?(?P<y>\d{4})$", re.I),
    re.compile(r"^(?P<y>\d{4})\s*,?\s*(?:-\s*)?w(?:eek)?\s*(?P<w>\d{1,2})$", re.I),
]


def _parse_in_year(text: str, original: str) -> Period | None:
    """ "2024/25 to 20 December 2024" and "Week 37 2022" (also "2022-W37", "Week 37 of
    2022"); None for any other label."""
    m = _YTD_RE.match(text)
    if m:
        day = _parse_day(m["day"])
        if day is None:
            return None
        y1, y2 = _pair_years(m, original)
        if y2 != y1 + 1:
            raise PeriodError("an academic year spans two consecutive years", value=original)
        return academic_year_to_date(y1, day)
    for regex in _WEEK_RES:
        m = regex.match(text)
        if m:
            return school_week(int(m["y"]), int(m["w"]))
    return None


def _in_year_last_year(period: Period) -> Period:
    """The same week number, or the same cut-off date, one year earlier."""
    if period.kind == "week":
        iso_year, week, _ = period.start.isocalendar()
        weeks_then = date(iso_year - 1, 12, 28).isocalendar()[1]
        return school_week(iso_year - 1, min(week, weeks_then))
    return academic_year_to_date(period.start.year - 1, _minus_year(period.end))


# --- parsing ---------------------------------------------------------------------

_QUAL_RE = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*$")
_BARE_QUAL_RE = re.compile(
    r"(?<=\d)\s+(prov|provisional|rev|revised|final|ot|outturn|est|"
    r"estimate|estimated)\.?$",
    re.I,
)
_YEAR_PAIR = r"(?P<y1>\d{4})\s*(?P<sep>[-/]|\u2013|\u2014| to )\s*(?P<y2>\d{2}|\d{4})"
_QUARTER = r"(?:q|quarter\s*)(?P<q>[1-4])"
_FQ_RES = [
    re.compile(rf"^{_YEAR_PAIR}\s*,?\s*{_QUARTER}$", re.I),
    re.compile(rf"^{_QUARTER}\s*,?\s*(?:of\s+)?{_YEAR_PAIR}$", re.I),
]
_PAIR_RE = re.compile(rf"^(?:fy\s*|financial year\s*|academic year\s*)?{_YEAR_PAIR}$", re.I)
_PAIR_RANGE_RE = re.compile(
    r"^(?P<a1>\d{4})(?P<s1>[-/])(?P<a2>\d{2}|\d{4})\s*(?:-|\u2013|\u2014|to)\s*"
    r"(?P<b1>\d{2}|\d{4})(?P<s2>[-/])(?P<b2>\d{2}|\d{4})$",
    re.I,
)
_EES_RE = re.compile(r"^(?P<y1>\d{4})(?P<y2>\d{2})$")
_YEAR_RE = re.compile(r"^(?P<y>\d{4})$")
_DAY_NUM = re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$")
_ISO_DAY = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$")
_DAY_WORDS = re.compile(
    r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]+)\.?,?\s+(?P<y>\d{4})$", re.I
)
_WORDS_DAY = re.compile(
    r"^(?P<mon>[a-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})$", re.I
)
_RANGE_SPLIT = re.compile(r"\s+(?:to|until|-|\u2013)\s+", re.I)


def _split_qualifier(text: str) -> tuple[str, str | None]:
    match = _QUAL_RE.search(text) or _BARE_QUAL_RE.search(text)
    if not match:
        return text, None
    word = " ".join(match.group(1).split()).lower().rstrip(".").strip()
    if word not in _QUALIFIERS:
        raise PeriodError(
            f"unknown qualifier ({match.group(1)}) in period label",
            value=text,
            hint="Known qualifiers: (prov), (P), (Rev), (R), (OT), (e), (Final).",
        )
    return text[: match.start()].strip(), _QUALIFIERS[word]


def _pair_years(match: re.Match[str], text: str) -> tuple[int, int]:
    y1 = int(match.group("y1"))
    # A two-digit year is the nearest one ("1999-00", "1990-00" for 1990 to 2000); "2013-12"
    # stays backwards (and is rejected) rather than becoming 2013 to 2112.
    return y1, _full_year(match.group("y2"), y1)


def _parse_day(text: str) -> date | None:
    text = text.strip().strip(",")
    text = re.sub(r"^(?:at|as at|on)\s+", "", text, flags=re.I)
    for regex in (_DAY_NUM, _ISO_DAY):
        m = regex.match(text)
        if m:
            return _make_date(int(m["y"]), int(m["m"]), int(m["d"]), text)
    for regex in (_DAY_WORDS, _WORDS_DAY):
        m = regex.match(text)
        if m and m["mon"].lower() in _MONTHS:
            return _make_date(int(m["y"]), _MONTHS[m["mon"].lower()], int(m["d"]), text)
    return None


def _make_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise PeriodError(f"impossible date in period label ({exc})", value=text) from None


def _by_kind_ending(year_end: int, kind: str, text: str) -> Period:
    if kind == "financial_year":
        return financial_year(year_end - 1)
    if kind == "academic_year":
        return academic_year(year_end - 1)
    if kind == "calendar_year":
        return calendar_year(year_end)
    if kind == "snapshot":
        return snapshot(date(year_end, 3, 31))
    if kind == "dec_feb_average":
        return dec_feb_average(year_end)
    raise PeriodError(
        f"a bare year cannot be read as a {kind}",
        value=text,
        hint="Give the full label, e.g. '2012-13 Q1'.",
    )


@lru_cache(maxsize=4096)
def parse_period(label: str, kind: str | None = None) -> Period:
    """Parse any period label found in council reports and DfE/ONS files.

    Args:
        label: the text, e.g. ``"2012/13 Q2"``, ``"Q2 2012-13"``, ``"2015/16"``,
            ``"2016-17 (OT)"``, ``"2025 (prov)"``, ``"at 31 March 2023"``, ``"2014-16"``,
            ``"01/04/2012 to 30/06/2012"``, ``"201516"`` (with ``kind``).
        kind: optional hint (one of :data:`KINDS`) for labels that do not say what they
            are: a bare year or a six-digit EES code.

    Raises:
        PeriodError: the label is empty, impossible (Q5, 2012-14 as a financial year,
            31 February) or not a period at all.

    >>> parse_period("2016", kind="snapshot").label
    '31 March 2016'
    >>> parse_period("201516", kind="academic_year").label
    '2015/16'
    >>> parse_period("April 1st 2012 to June 30th 2012").label
    '2012-13 Q1'
    """
    if kind is not None and kind not in KINDS:
        raise PeriodError(f"unknown period kind {kind!r}", hint=f"Use one of {', '.join(KINDS)}.")
    if not isinstance(label, str) or not label.strip():
        raise PeriodError(
            "empty period label", value=label, hint="Give a period such as '2012-13 Q1'."
        )
    text = " ".join(label.replace("\u00a0", " ").split())
    try:
        text, qualifier = _split_qualifier(text)
        period = _parse_core(text, kind, label)
    except PeriodError as exc:
        if exc.value is not None:
            raise
        # Quote the label so an analyst can find it in the file.
        raise PeriodError(exc.message, value=label, hint=exc.hint) from None
    except (ValueError, OverflowError) as exc:
        # datetime.date refuses years outside 1..9999 (e.g. "9999-00" ends in year 10000).
        raise PeriodError(
            f"the period falls outside the calendar ({exc})",
            value=label,
            hint="Years must be between 1 and 9999; check the label.",
        ) from None
    return replace(period, qualifier=qualifier) if qualifier else period


def _full_year(short: str, near: int) -> int:
    """A two-digit year as the year ending in those digits nearest to ``near`` (the later
    one on a tie): "1999/00-01/02" ends in 2001, "2013-12" is 2012 (and so backwards),
    never 2112; "2000/01-99/00" is 1999 (backwards), not 2099."""
    if len(short) == 4:
        return int(short)
    base = (near // 100) * 100 + int(short)
    return min((base - 100, base, base + 100), key=lambda y: (abs(y - near), -y))


def _pair_range(m: re.Match[str], kind: str | None, original: str) -> Period:
    a1 = int(m["a1"])
    b1 = _full_year(m["b1"], a1)
    for first, second in ((a1, m["a2"]), (b1, m["b2"])):
        if _full_year(second, first) != first + 1:
            raise PeriodError(
                "each end of a range of years must be two consecutive years",
                value=original,
                hint="Write e.g. '2013/14-15/16' or '2013-14 to 2015-16'.",
            )
    if m["s1"] != m["s2"]:
        raise PeriodError(
            "the two ends of a range of years are written differently "
            "('/' for academic, '-' for financial years)",
            value=original,
        )
    if kind not in ("financial_year", "academic_year"):
        kind = "academic_year" if m["s1"] == "/" else "financial_year"
    if b1 <= a1:
        raise PeriodError("a range of years must end after it starts", value=original)
    return year_range(a1, b1, kind)


def _parse_core(text: str, kind: str | None, original: str) -> Period:
    in_year = _parse_in_year(text, original)
    if in_year is not None:
        return in_year
    m = _PAIR_RANGE_RE.match(text)
    if m:
        return _pair_range(m, kind, original)
    for regex in _FQ_RES:
        m = regex.match(text)
        if m:
            y1, y2 = _pair_years(m, original)
            if y2 != y1 + 1:
                raise PeriodError("a financial year spans two consecutive years", value=original)
            return financial_quarter(y1, int(m["q"]))

    m = _PAIR_RE.match(text)
    if m:
        y1, y2 = _pair_years(m, original)
        if y2 == y1 + 1:
            if kind is None:
                lowered = text.lower()
                if lowered.startswith("academic"):
                    kind = "academic_year"
                elif lowered.startswith(("fy", "financial")):
                    kind = "financial_year"
                else:
                    kind = "academic_year" if m["sep"] == "/" else "financial_year"
            if kind == "academic_year":
                return academic_year(y1)
            if kind == "financial_year":
                return financial_year(y1)
            if kind == "calendar_year" or kind == "multi_year":
                return multi_year(y1, y2)
            raise PeriodError(f"{text!r} is a span of years, not a {kind}", value=original)
        if y2 > y1 + 1 and m["sep"] != "/":
            return multi_year(y1, y2)
        raise PeriodError(
            "the second year must come after the first",
            value=original,
            hint="Write a financial year as '2012-13' and a range as '2014-16'.",
        )

    m = _EES_RE.match(text)
    if m:
        y1, y2 = int(m["y1"]), int(m["y2"])
        if (y1 + 1) % 100 != y2:
            raise PeriodError(
                "a six-digit period code must be two consecutive years", value=original
            )
        return academic_year(y1) if kind == "academic_year" else financial_year(y1)

    m = _YEAR_RE.match(text)
    if m:
        year = int(m["y"])
        return (
            calendar_year(year)
            if kind in (None, "calendar_year")
            else _by_kind_ending(year, kind, original)
        )

    parts = _RANGE_SPLIT.split(text)
    if len(parts) == 2:
        start, end = _parse_day(parts[0]), _parse_day(parts[1])
        if start and end:
            return date_range(start, end)

    day = _parse_day(text)
    if day is not None:
        return snapshot(day)

    raise PeriodError(
        "not a recognised period label",
        value=original,
        hint="Examples: '2012-13 Q1', 'Q2 2012/13', '2012-13', '2015/16', '2016', "
        "'31 March 2025', '2014-16', '01/04/2012 to 30/06/2012'.",
    )


def is_no_period(label: object) -> bool:
    """Whether a year label stands for no period at all (LAIT's ``0``), as opposed to a
    label that is wrong. :func:`parse_period` refuses both; a loader can tell them apart.

    >>> is_no_period(" 0 "), is_no_period("2016"), is_no_period(0)
    (True, False, False)
    """
    return isinstance(label, str) and label.strip() in NO_PERIOD_LABELS


# --- arithmetic -------------------------------------------------------------------


def _require(period: Period, *kinds: str, what: str) -> None:
    if period.kind not in kinds:
        raise PeriodError(
            f"{what} needs a {' or '.join(kinds)}, not a {period.kind} ({period.label})"
        )


def _quarter_number(period: Period) -> int:
    return int(period.label.rsplit("Q", 1)[1])


def previous_quarter(period: Period) -> Period:
    """The financial quarter before ``period``.

    >>> previous_quarter(parse_period("2012-13 Q1")).label
    '2011-12 Q4'
    """
    _require(period, "financial_quarter", what="previous_quarter")
    q = _quarter_number(period)
    fy = financial_year_of(period.start)
    return financial_quarter(fy - 1, 4) if q == 1 else financial_quarter(fy, q - 1)


def same_period_last_year(period: Period) -> Period:
    """The same quarter, year or snapshot date one year earlier.

    >>> same_period_last_year(parse_period("31 March 2025")).label
    '31 March 2024'
    >>> same_period_last_year(parse_period("2015/16")).label
    '2014/15'
    """
    if period.kind in ("academic_year_to_date", "week"):
        return _in_year_last_year(period)
    fy = financial_year_of(period.start)
    if period.kind == "financial_quarter":
        return financial_quarter(fy - 1, _quarter_number(period))
    if period.kind == "financial_year":
        return financial_year(fy - 1)
    if period.kind == "academic_year":
        return academic_year(period.start.year - 1)
    if period.kind == "calendar_year":
        return calendar_year(period.start.year - 1)
    if period.kind == "snapshot":
        day = period.start
        last_day = calendar.monthrange(day.year - 1, day.month)[1]
        return snapshot(date(day.year - 1, day.month, min(day.day, last_day)))
    if period.kind == "multi_year":
        kind = _range_kind(period)
        # A financial or academic range ends in the calendar year after its last start.
        last = period.end.year - (0 if kind == "calendar_year" else 1)
        return year_range(period.start.year - 1, last - 1, kind)
    if period.kind == "dec_feb_average":
        return dec_feb_average(period.end.year - 1)
    return date_range(_minus_year(period.start), _minus_year(period.end))


def _minus_year(day: date) -> date:
    last_day = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last_day))


def previous_year_end(period: Period) -> Period:
    """The financial year before the one ``period`` falls in (its end is the year-end
    a quarterly report compares with: "since the end of 2011-12").

    >>> previous_year_end(parse_period("2012-13 Q2")).label
    '2011-12'
    >>> str(previous_year_end(parse_period("2012-13 Q2")).end)
    '2012-03-31'
    """
    return financial_year(financial_year_of(period.end) - 1)


def year_to_date(period: Period) -> Period:
    """From the start of the financial year to the end of ``period`` (a quarter).

    >>> year_to_date(parse_period("2012-13 Q1")).label
    '2012-13 Q1'
    """
    _require(period, "financial_quarter", what="year_to_date")
    q = _quarter_number(period)
    fy = financial_year_of(period.start)
    if q == 1:
        return period
    label = f"{financial_year(fy).label} Q1 to Q{q}"
    return Period(date(fy, 4, 1), period.end, "date_range", label)


# --- vectorised helper for loaders ------------------------------------------------


def period_columns(labels: pd.Series, kind: str | None = None) -> pd.DataFrame:
    """Parse a column of labels into the four period columns of the tidy model, plus
    the qualifier. Each distinct label is parsed once.

    >>> period_columns(pd.Series(["2016", "2017 (prov)"]), kind="snapshot")[["period", "qualifier"]]
              period qualifier
    0  31 March 2016       NaN
    1  31 March 2017         p
    """
    uniques = pd.unique(labels.astype(str))
    parsed = {u: parse_period(u, kind) for u in uniques}
    frame = pd.DataFrame(
        {
            "period": [parsed[u].label for u in uniques],
            "period_kind": [parsed[u].kind for u in uniques],
            "period_start": pd.to_datetime([parsed[u].start for u in uniques]),
            "period_end": pd.to_datetime([parsed[u].end for u in uniques]),
            "qualifier": [parsed[u].qualifier for u in uniques],
        },
        index=uniques,
    )
    out = frame.loc[labels.astype(str).to_numpy()].reset_index(drop=True)
    out.index = labels.index
    return out
