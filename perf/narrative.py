"""Sentences in the register of a council's own quarterly report (the Leeds scrutiny report
is the model), generated from the data: RAG counts of a plan's priorities, measures and
indicators, the list of red indicators, status movement between quarters, a figure against
its history, an Ofsted grade breakdown, the change in a count since the year end and the
same month last year, a stored gap, and the cumulative-indicator caveat.

Numbers follow :mod:`perf.summary` (thousands separators, half away from zero); the
change sentences are :func:`perf.summary.change_sentence` and
:func:`perf.summary.difference_phrase`, called, not copied.

Examples:
    >>> counts_sentence({"green": 4, "amber": 3, "red": 2})
    'In terms of performance indicators 4 green, 3 amber and 2 red.'
    >>> assessed_sentence({"green": 5, "amber": 0, "red": 0}, "directorate priority", "2012-13 Q2")
    'There are 5 directorate priorities and all 5 are assessed as green at Quarter 2.'
    >>> assessed_sentence({"green": 5, "amber": 10, "red": 1}, "measure", "2012-13 Q2")
    'At Quarter 2 one measure is judged red; 10 are judged amber and 5 are judged green.'
    >>> movement_phrase("red", "amber", "2012-13 Q1", "2012-13 Q2")
    'moved from red at Quarter 1 to amber at Quarter 2'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from perf._numbers import is_missing, plural
from perf.compare import direction_words
from perf.errors import PerfError
from perf.loaders.plans import SCHEMES
from perf.periods import parse_period
from perf.summary import change_sentence, difference_phrase, format_number, percent_size_text

__all__ = [
    "NarrativeError",
    "assessed_sentence",
    "change_phrase",
    "count_word",
    "counts_sentence",
    "cumulative_sentence",
    "figure_sentence",
    "grades_phrase",
    "lac_change_sentence",
    "movement_phrase",
    "movement_sentence",
    "off_target_intro",
    "quarter_name",
    "stored_gap_sentence",
]


class NarrativeError(PerfError):
    """A sentence cannot be written from what was given."""


#: How a count sentence names each tolerance status (RAG statuses are named by colour).
_TOLERANCE_WORDS = {
    "exceeds": "exceeding the target tolerance",
    "on_target_upper": "on target in the upper half of the tolerance",
    "on_target_lower": "on target in the lower half of the tolerance",
    "below": "below the target tolerance",
}


def _status_words(status: str) -> str:
    return _TOLERANCE_WORDS.get(status, status)


def count_word(n: int) -> str:
    """``one`` for 1 (the report's style), digits otherwise.

    >>> count_word(1), count_word(10), count_word(0)
    ('one', '10', '0')
    """
    return "one" if n == 1 else f"{n:,}"


def quarter_name(label: str, short: bool = False) -> str:
    """``Quarter 2`` (or ``Q2``) for a financial quarter; other periods as labelled.

    >>> quarter_name("2012-13 Q2"), quarter_name("2011-12 Q4", short=True)
    ('Quarter 2', 'Q4')
    >>> quarter_name("2024-25")
    '2024-25'
    """
    period = parse_period(label)
    if period.kind != "financial_quarter":
        return period.label
    q = period.label.rsplit("Q", 1)[1]
    return f"Q{q}" if short else f"Quarter {q}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def counts_sentence(counts: Mapping[str, int], noun: str = "performance indicators") -> str:
    """The indicator counts in the scheme's order (best first), zeros left out.

    >>> counts_sentence({"exceeds": 2, "on_target_upper": 0, "on_target_lower": 0, "below": 3})
    'In terms of performance indicators 2 exceeding the target tolerance and 3 below the target tolerance.'
    >>> counts_sentence({"green": 0, "amber": 0, "red": 0})
    'In terms of performance indicators none has a status this period.'
    """
    parts = [f"{n:,} {_status_words(s)}" for s, n in counts.items() if n]
    if not parts:
        return f"In terms of {noun} none has a status this period."
    return f"In terms of {noun} {_join(parts)}."


def assessed_sentence(counts: Mapping[str, int], level: str, period: str) -> str:
    """The council's assessment of a plan's priorities or measures: all alike, or each
    status worst first (red, amber, green as the report orders them)."""
    total = sum(counts.values())
    when = quarter_name(period)
    present = {s: n for s, n in counts.items() if n}
    if not present:
        raise NarrativeError(f"no {plural(level, 2)} were assessed", value=dict(counts))
    if len(present) == 1:
        status = next(iter(present))
        every = "it is" if total == 1 else f"all {total:,} are"
        return (
            f"There {'is' if total == 1 else 'are'} {count_word(total)} "
            f"{plural(level, total)} and {every} assessed as {_status_words(status)} at "
            f"{when}."
        )
    worst_first = list(reversed(list(present.items())))
    first_status, first_n = worst_first[0]
    text = (
        f"At {when} {count_word(first_n)} {plural(level, first_n)} "
        f"{'is' if first_n == 1 else 'are'} judged {_status_words(first_status)}"
    )
    rest = [
        f"{count_word(n)} {'is' if n == 1 else 'are'} judged {_status_words(s)}"
        for s, n in worst_first[1:]
    ]
    return text + "; " + _join(rest) + "."


def off_target_intro(scheme: str, n: int) -> str:
    """The words before the list of off-target indicators.

    >>> off_target_intro("rag", 2), off_target_intro("tolerance", 1)
    ('Red indicators are:', 'The indicator below target tolerance is:')
    """
    if scheme == "rag":
        return "The red indicator is:" if n == 1 else "Red indicators are:"
    return (
        "The indicator below target tolerance is:"
        if n == 1
        else "Indicators below target tolerance are:"
    )


def _status_name(status: str) -> str:
    for scheme in SCHEMES.values():
        if status in scheme.labels:
            return scheme.labels[status][1] if scheme.name == "tolerance" else status
    return status


def movement_phrase(before: str, after: str, before_period: str, after_period: str) -> str:
    """How a status moved between two periods.

    >>> movement_phrase("amber", "amber", "2012-13 Q1", "2012-13 Q2")
    'the same status (amber) as at Quarter 1'
    """
    if before == after:
        return f"the same status ({_status_name(after)}) as at {quarter_name(before_period)}"
    return (
        f"moved from {_status_name(before)} at {quarter_name(before_period)} to "
        f"{_status_name(after)} at {quarter_name(after_period)}"
    )


def movement_sentence(
    titles: Sequence[str], before: str, after: str, before_period: str, after_period: str
) -> str:
    """One sentence for the indicators that moved alike.

    >>> movement_sentence(["Initial assessments", "core assessments"], "red", "amber",
    ...                   "2012-13 Q1", "2012-13 Q2")
    'Initial assessments and core assessments: these two indicators have moved from red at Quarter 1 to amber at Quarter 2.'
    >>> movement_sentence(["Complaints"], "red", "red", "2012-13 Q1", "2012-13 Q2")
    'Complaints has the same status (red) as at Quarter 1.'
    """
    phrase = movement_phrase(before, after, before_period, after_period)
    if len(titles) == 1:
        return f"{titles[0]} has {phrase}."
    many = {2: "these two indicators", 3: "these three indicators"}.get(
        len(titles), f"these {len(titles)} indicators"
    )
    return f"{_join(titles)}: {many} have {phrase}."


def _figure(value: float, unit: str, decimals: int) -> str:
    return format_number(value, decimals) + ("%" if unit == "%" else "")


def figure_sentence(
    subject: str,
    now: float,
    *,
    unit: str,
    decimals: int,
    polarity: str,
    previous: tuple[str, float] | None = None,
    year_end: tuple[str, float] | None = None,
    tolerance: float = 0.0,
    flag: str | None = None,
    detail: str = "",
    note: str = "",
    period: str | None = None,
) -> str:
    """A figure against the previous quarter and the previous year end, in polarity-correct
    words ("improved", "fallen"); "slightly" when the move is within the declared tolerance.
    ``detail`` follows the figure (a grade breakdown), ``note`` the comparison with the
    year end. The year end is "Q4" as the report says it, or "the end of 2023-24" when the
    figure's own ``period`` is a fourth quarter too.

    Examples:
        >>> figure_sentence("the percentage of complaints resolved within 20 days", 56,
        ...     unit="%", decimals=0, polarity="high", previous=("2012-13 Q1", 55), tolerance=5)
        'The percentage of complaints resolved within 20 days has improved slightly from 55% at Quarter 1 to 56%.'
        >>> figure_sentence("the percentage of homes rated good or better", 36, unit="%",
        ...     decimals=0, polarity="high", previous=("2012-13 Q1", 36),
        ...     year_end=("2011-12 Q4", 55))
        'The percentage of homes rated good or better is currently 36%, down from 55% at Q4. The current result is the same as at Quarter 1.'
    """
    if is_missing(now):
        raise NarrativeError(f"no figure for {subject}")
    head = subject[:1].upper() + subject[1:]
    mark = f" [{flag}]" if flag else ""
    shown = _figure(now, unit, decimals) + mark
    same_as_before = (
        previous is not None
        and not is_missing(previous[1])
        and _figure(previous[1], unit, decimals) == _figure(now, unit, decimals)
    )
    if (
        previous is not None
        and not is_missing(previous[1])
        and not same_as_before
        and year_end is None
    ):
        diff = float(now) - float(previous[1])
        good = (diff > 0) == (polarity == "high")
        verb = (
            ("improved" if good else "worsened")
            if polarity in ("high", "low")
            else ("risen" if diff > 0 else "fallen")
        )
        slightly = " slightly" if tolerance and abs(diff) < tolerance else ""
        return (
            f"{head} has {verb}{slightly} from {_figure(previous[1], unit, decimals)}"
            f"{mark} at {quarter_name(previous[0])} to {shown}."
        )
    text = f"{head} is currently {shown}" + (f" {detail}" if detail else "")
    if year_end is not None and not is_missing(year_end[1]):
        then = _figure(year_end[1], unit, decimals)
        if then != _figure(now, unit, decimals):
            way = "down" if float(now) < float(year_end[1]) else "up"
            when = quarter_name(year_end[0], short=True)
            if period is not None and quarter_name(period, short=True) == when:
                when = f"the end of {year_end[0].split(' ')[0]}"
            text += f", {way} from {then}{mark} at {when}"
    text += (f"; {note}" if note else "") + "."
    if same_as_before and previous is not None:
        text += f" The current result is the same as at {quarter_name(previous[0])}."
    elif previous is not None and not is_missing(previous[1]):
        text += (
            f" It was {_figure(previous[1], unit, decimals)}{mark} at {quarter_name(previous[0])}."
        )
    return text


def grades_phrase(counts: Mapping[str, float], noun: str = "home") -> tuple[str, str]:
    """An Ofsted grade breakdown (outstanding, good, requires improvement or adequate,
    inadequate), the report's way, and a note when none is inadequate ("" otherwise).

    >>> grades_phrase({"outstanding": 1, "good": 3, "adequate": 7, "inadequate": 0})
    ('(with 1 rated as outstanding, 3 good and 7 as adequate)', 'there are now no homes rated as inadequate')
    """
    order = ["outstanding", "good", "requires improvement", "adequate", "inadequate"]
    shown = [
        (g, int(counts[g]))
        for g in order
        if g in counts and not is_missing(counts[g]) and int(counts[g]) > 0
    ]
    if not shown:
        raise NarrativeError("no grades to describe", value=dict(counts))
    parts = []
    for i, (grade, n) in enumerate(shown):
        as_ = "" if grade == "good" else "as "
        parts.append(f"{n:,} rated {as_}{grade}" if i == 0 else f"{n:,} {as_}{grade}")
    note = ""
    if (
        "inadequate" in counts
        and not is_missing(counts["inadequate"])
        and int(counts["inadequate"]) == 0
    ):
        note = f"there are now no {plural(noun, 2)} rated as inadequate"
    return f"(with {_join(parts)})", note


def lac_change_sentence(
    subject: str, now: float, year_end: float, last_year: float, *, year_end_label: str, month: str
) -> str:
    """The change in a count since the end of the last financial year and against the same
    month a year before (the Leeds obsession sentence).

    >>> lac_change_sentence("the number of looked-after children", 1470, 1514, 1491,
    ...                     year_end_label="2011-12", month="September")
    "The number of looked-after children has dropped by 44 (3%) since the end of the 2011-12 financial year, with September's figure 21 lower (1.4%) than the same month last year"
    """
    text = change_sentence(
        subject, year_end, now, since=f"the end of the {year_end_label} financial year"
    )
    return (
        text + f", with {month}'s figure {difference_phrase(last_year, now)} than the "
        "same month last year"
    )


def stored_gap_sentence(
    subject: str, now: float, before: float, *, comparator: str, up_to: str, decimals: int = 1
) -> str:
    """A gap stored as a figure in percentage points (area minus comparator), against a
    year earlier.

    >>> stored_gap_sentence("NEET levels", 1.0, 2.1, comparator="national", up_to="July 2012")
    'NEET levels remain higher than national (latest comparative data up to July 2012) but the gap has fallen to 1.0 percentage point, compared to 2.1 percentage points a year earlier.'
    """
    if is_missing(now) or is_missing(before):
        raise NarrativeError(f"no gap figures for {subject}")

    def pp(x: float) -> str:
        text = format_number(abs(x), decimals)
        return f"{text} percentage point" + ("" if float(text) == 1 else "s")

    side = "higher than" if now > 0 else "lower than" if now < 0 else "level with"
    remain = "remain" if (now > 0) == (before > 0) else "are now"
    narrowed = abs(now) < abs(before)
    joint = "but" if (now > 0 and narrowed) or (now < 0 and not narrowed) else "and"
    verb = "fallen" if narrowed else "risen" if abs(now) > abs(before) else "stayed"
    return (
        f"{subject[:1].upper() + subject[1:]} {remain} {side} {comparator} (latest "
        f"comparative data up to {up_to}) {joint} the gap has {verb} "
        f"{'at' if verb == 'stayed' else 'to'} {pp(now)}, compared to {pp(before)} a year "
        "earlier."
    )


def cumulative_sentence(figures: Sequence[tuple[str, str, str]]) -> str:
    """The latest in-month figures of cumulative indicators and why the status is not
    theirs. ``figures`` are (month, title, the figure as shown).

    >>> cumulative_sentence([("August 2012", "the initial assessment indicator", "79.9%"),
    ...                      ("August 2012", "the core assessment indicator", "90.1%")])
    'Performance in August 2012 was 79.9% for the initial assessment indicator and 90.1% for the core assessment indicator, but because these indicators are cumulative throughout the year, they are scored on the year-to-date figure, not the latest month.'
    """
    if not figures:
        raise NarrativeError("no in-month figures")
    months = list(dict.fromkeys(m for m, _, _ in figures))
    parts = [f"{v} for {t}" for _, t, v in figures]
    these = "these indicators are" if len(figures) > 1 else "this indicator is"
    they = "they are" if len(figures) > 1 else "it is"
    return (
        f"Performance in {_join(months)} was {_join(parts)}, but because {these} "
        f"cumulative throughout the year, {they} scored on the year-to-date figure, not "
        "the latest month."
    )


_UNIT_WORDS = {"rate per 10,000": " per 10,000", "days": " days"}
#: The units whose changes are percentage points (a % figure, or a gap already in points).
_POINTS = ("%", "percentage points")


def change_phrase(
    change: float, change_pct: float, direction: str, *, unit: str, decimals: int
) -> str:
    """A change in the indicator's units: percentage points for a % indicator, the count or
    rate with its relative change otherwise; the polarity-correct word last.

    >>> change_phrase(1.2, 2.1, "improving", unit="%", decimals=1)
    'up 1.2 percentage points, improved'
    >>> change_phrase(-0.6, -0.735, "improving", unit="rate per 10,000", decimals=1)
    'down 0.6 per 10,000 (0.7%), improved'
    >>> change_phrase(-44, -2.906, "no polarity", unit="count", decimals=0)
    'down 44 (3%)'
    >>> change_phrase(0.0, 0.0, "no change", unit="%", decimals=1)
    'no change'
    >>> change_phrase(float("nan"), float("nan"), "not comparable", unit="%", decimals=1)
    'not comparable'
    """
    if is_missing(change) or direction == "not comparable":
        return "not comparable"
    if direction == "no change" or format_number(abs(change), decimals) == format_number(
        0, decimals
    ):
        return "no change"
    way = "up" if change > 0 else "down"
    amount = format_number(abs(change), decimals)
    if unit in _POINTS:
        text = f"{way} {amount} percentage point" + ("" if float(amount) == 1 else "s")
    else:
        text = f"{way} {amount}{_UNIT_WORDS.get(unit, '')}"
        relative = percent_size_text(change_pct)
        if relative:
            text += f" ({relative})"
    if direction in ("improving", "worsening"):
        # the tables' direction words (issue 13's one vocabulary: Improved, Worsened)
        text += f", {direction_words(direction).lower()}"
    return text
