"""Fuzzing the period parser: any text in, a Period or a PeriodError out (nothing else),
and every label it understands reads back to the same period."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from perf.errors import PeriodError
from perf.periods import (
    KINDS,
    Period,
    academic_year,
    financial_quarter,
    financial_year,
    parse_period,
    period_columns,
    previous_quarter,
    same_period_last_year,
    year_to_date,
)

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

kinds = st.sampled_from([None, *KINDS])
years = st.integers(1990, 2040)
quarters = st.integers(1, 4)

# The mess real exports put around a label.
JUNK = [
    "",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\r",
    "\r\n",
    "\ufeff",
    "\u2013",
    "\u2019",
    "\u00a3",
    "%",
    ",",
    "*",
    "(prov)",
    "(Rev)",
    "(OT)",
    "(p)",
    "(x)",
    "(",
    ")",
    "\x00",
]
NAN_ISH = [
    "",
    " ",
    "nan",
    "NaN",
    "NA",
    "N/A",
    "n/a",
    "-",
    "--",
    "..",
    ":",
    "x",
    "z",
    "c",
    "null",
    "None",
    "#N/A",
    "#VALUE!",
    "0",
    "41090",
    "41090.0",
    "1,234",
    "62.9%",
]


def only_period_errors(label, kind=None):
    """Parse, and let only PeriodError escape; return the Period or the error."""
    try:
        return parse_period(label, kind)
    except PeriodError as err:
        return err


def assert_names_label(err: PeriodError, label: str) -> None:
    """A PeriodError for a non-empty label must quote it so an analyst can find it."""
    text = " ".join(label.replace("\u00a0", " ").split())
    if text:
        assert repr(str(err.value)[:80]) in str(err) and err.value is not None, str(err)


@FUZZ
@given(st.text(max_size=40), kinds)
@example("2012-13 Q5", None)
@example("31/02/2023", None)
@example("2013-12", None)
@example("2012/14", None)
@example("201516", "academic_year")
@example("201517", None)
@example("2016", "multi_year")
@example("2016", "date_range")
@example("1 Smarch 2012", None)
@example("2012-13 Q1 (banana)", None)
@example("0001-02", None)
@example("31 December 9999", None)
def test_any_text_gives_a_period_or_a_period_error(label, kind):
    result = only_period_errors(label, kind)
    if isinstance(result, PeriodError):
        assert_names_label(result, label)
    else:
        assert isinstance(result, Period)
        assert result.start <= result.end
        assert result.kind in KINDS and result.label


# Found by this fuzzer (perf.periods crashes with ValueError from datetime.date): labels
# whose years fall outside 1..9999 must be refused as PeriodErrors quoting the label.
@pytest.mark.parametrize(
    "label, kind",
    [
        ("9999-00", None),
        ("9999/00", None),
        ("Q1 9999-00", None),
        ("0000-01 Q1", None),
        ("1/1/0001 to 31/12/9999", None),
        ("0000", None),
        ("0000", "financial_year"),
        ("0000", "snapshot"),
        ("0000", "academic_year"),
    ],
)
def test_years_out_of_range_are_period_errors(label, kind):
    with pytest.raises(PeriodError) as info:
        parse_period(label, kind)
    assert_names_label(info.value, label)


@FUZZ
@given(st.one_of(st.integers(), st.floats(), st.none(), st.binary(max_size=8), st.just(pd.NA)))
def test_non_strings_give_a_period_error(label):
    with pytest.raises(PeriodError):
        parse_period(label)


@FUZZ
@given(st.text(max_size=12), st.sampled_from(JUNK), st.sampled_from(JUNK), kinds)
def test_junk_around_text_never_crashes(core, before, after, kind):
    result = only_period_errors(before + core + after, kind)
    assert isinstance(result, (Period, PeriodError))


@FUZZ
@given(st.sampled_from(NAN_ISH), kinds)
def test_nan_ish_and_number_strings_are_period_errors_or_years(label, kind):
    result = only_period_errors(label, kind)
    if isinstance(result, Period):
        # only a bare four-digit number may be taken for a year
        assert label.strip().isdigit() and len(label.strip()) == 4
    else:
        assert_names_label(result, label)


# --- every way councils and DfE write a quarter -------------------------------------


def quarter_labels(y: int, q: int) -> list[str]:
    short, full = f"{(y + 1) % 100:02d}", str(y + 1)
    return [
        f"{y}-{short} Q{q}",
        f"{y}/{short} Q{q}",
        f"Q{q} {y}/{short}",
        f"Q{q} {y}-{short}",
        f"{y}-{full} Q{q}",
        f"{y}\u2013{short} Q{q}",
        f"Quarter {q} {y}/{short}",
        f"q{q} {y}-{short}",
        f"{y}-{short}, Q{q}",
        f"Q{q} of {y}-{short}",
        f"  {y}-{short}  Q{q}  ",
        f"{y}-{short}\u00a0Q{q}",
        f"{y}-{short} Q{q} (prov)",
    ]


@FUZZ
@given(years, quarters, st.data())
def test_quarter_labels_all_mean_the_same_quarter(y, q, data):
    label = data.draw(st.sampled_from(quarter_labels(y, q)))
    period = parse_period(label)
    assert (period.start, period.end, period.kind) == (
        financial_quarter(y, q).start,
        financial_quarter(y, q).end,
        "financial_quarter",
    )
    assert period.label == f"{y}-{(y + 1) % 100:02d} Q{q}"
    assert parse_period(period.label) == financial_quarter(y, q)


@FUZZ
@given(
    years, st.sampled_from(["{y}-{s}", "FY {y}-{s}", "financial year {y}/{s}", "{y}-{f}", "{y}{s}"])
)
def test_financial_year_labels(y, template):
    label = template.format(y=y, s=f"{(y + 1) % 100:02d}", f=y + 1)
    kind = "financial_year" if template == "{y}{s}" else None
    period = parse_period(label, kind)
    assert period == financial_year(y)
    assert str(period.start) == f"{y}-04-01" and str(period.end) == f"{y + 1}-03-31"


@FUZZ
@given(years, st.sampled_from(["{y}/{s}", "academic year {y}-{s}", "{y}/{f}"]))
def test_academic_year_labels(y, template):
    period = parse_period(template.format(y=y, s=f"{(y + 1) % 100:02d}", f=y + 1))
    assert period == academic_year(y)


@FUZZ
@given(
    st.dates(date(1950, 1, 1), date(2060, 12, 31)),
    st.sampled_from(
        [
            "{d:%d/%m/%Y}",
            "{d.day}/{d.month}/{d.year}",
            "{d:%Y-%m-%d}",
            "{d.day} {d:%B} {d.year}",
            "at {d.day} {d:%B} {d.year}",
            "{d:%B} {d.day}, {d.year}",
            "{d.day} {d:%b} {d.year}",
            "as at {d:%d.%m.%Y}",
        ]
    ),
)
def test_dates_as_excel_and_people_write_them(day, template):
    # "30/06/2012" (an Excel export's date) is a snapshot of that day, whatever the format.
    period = parse_period(template.format(d=day))
    assert period.kind == "snapshot" and period.start == day == period.end
    assert parse_period(period.label) == period


@FUZZ
@given(st.integers(1, 80000))
def test_excel_serial_numbers_are_not_silently_taken_as_periods(serial):
    # 41090 is Excel's 30 June 2012; an unconverted serial is not a period label. Only
    # four-digit numbers are years; anything else must be refused, quoting the number.
    result = only_period_errors(str(serial))
    if 1000 <= serial <= 9999:
        assert isinstance(result, Period) and result.kind == "calendar_year"
    else:
        assert isinstance(result, PeriodError)
        assert str(serial) in str(result)


@FUZZ
@given(
    st.dates(date(1990, 1, 1), date(2040, 12, 31)),
    st.integers(0, 800),
    st.sampled_from([" to ", " - ", " \u2013 ", " until "]),
)
def test_date_ranges(start, length, joiner):
    end = start + timedelta(days=length)
    period = parse_period(f"{start:%d/%m/%Y}{joiner}{end:%d/%m/%Y}")
    assert (period.start, period.end) == (start, end)
    assert parse_period(period.label) == period


@FUZZ
@given(st.dates(date(1990, 1, 2), date(2040, 12, 31)), st.integers(1, 800))
def test_reversed_date_range_is_a_period_error_naming_the_label(end, back):
    start = end + timedelta(days=back)
    label = f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
    with pytest.raises(PeriodError) as info:
        parse_period(label)
    assert_names_label(info.value, label)


@FUZZ
@given(
    years,
    st.sampled_from(["prov", "Prov", "P", "Rev", "revised", "R", "OT", "e", "est"]),
    st.sampled_from(["financial_year", "academic_year", "calendar_year", "snapshot"]),
)
def test_qualifiers_kept_as_flags(y, qualifier, kind):
    plain = parse_period(str(y), kind)
    flagged = parse_period(f"{y} ({qualifier})", kind)
    assert (flagged.start, flagged.end, flagged.label) == (plain.start, plain.end, plain.label)
    assert flagged.qualifier in {"p", "r", "ot", "e"}


# --- arithmetic ----------------------------------------------------------------------


@FUZZ
@given(st.integers(1991, 2040), quarters)
def test_quarter_arithmetic(y, q):
    period = financial_quarter(y, q)
    before = previous_quarter(period)
    assert before.end + timedelta(days=1) == period.start
    last_year = same_period_last_year(period)
    assert last_year.label.endswith(f"Q{q}") and last_year.start.year == period.start.year - 1
    ytd = year_to_date(period)
    assert ytd.start == date(y, 4, 1) and ytd.end == period.end


@FUZZ
@given(st.lists(st.text(max_size=10), max_size=6), kinds)
def test_period_columns_only_period_errors(labels, kind):
    try:
        out = period_columns(pd.Series(labels, dtype=object), kind)
    except PeriodError:
        return
    assert len(out) == len(labels)
    assert (out["period_end"] >= out["period_start"]).all()


# --- issue 14: qualifiers in any case and spacing, ranges of any span ----------------------

QUALIFIER_WORDS = {
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
    "final": None,
}
#: Words that may also stand bare after the year ("2025 prov"); single letters may not.
BARE_WORDS = [w for w in QUALIFIER_WORDS if len(w) > 1]


@st.composite
def spelt_qualifier(draw):
    """A known qualifier as people type it: any case, spaces inside and out, a dot, round or
    square brackets, or (for words) no brackets at all."""
    word = draw(st.sampled_from(sorted(QUALIFIER_WORDS)))
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in word)
    dot = "." if draw(st.booleans()) else ""
    inner = draw(st.sampled_from(["", " ", "  "]))
    outer = draw(st.sampled_from(["", " ", "  ", "\u00a0"]))
    if word in BARE_WORDS and draw(st.booleans()):
        return word, f" {cased}{dot}"
    left, right = draw(st.sampled_from([("(", ")"), ("[", "]")]))
    return word, f"{outer}{left}{inner}{cased}{dot}{inner}{right}"


@FUZZ
@given(
    years,
    spelt_qualifier(),
    st.sampled_from(["financial_year", "academic_year", "calendar_year", "snapshot"]),
)
def test_qualifiers_in_any_case_and_spacing_keep_the_period(y, spelt, kind):
    word, suffix = spelt
    plain = parse_period(str(y), kind)
    flagged = parse_period(f"{y}{suffix}", kind)
    assert (flagged.start, flagged.end, flagged.label) == (plain.start, plain.end, plain.label)
    assert flagged.qualifier == QUALIFIER_WORDS[word]


@FUZZ
@given(
    st.integers(1990, 2040),
    st.integers(1, 15),
    st.sampled_from(
        [
            "{a}/{a2}-{b}/{b2}",
            "{a}/{a2} to {b}/{b2}",
            "{a}/{a2} - {b}/{b2}",
            "{a}/{a2}\u2013{b}/{b2}",
            "{a}/{A2}-{B}/{B2}",
            "{a}-{a2} to {b}-{b2}",
            "{a}-{a2}-{b}-{b2}",
            "{a}-{A2} to {B}-{B2}",
        ]
    ),
    st.sampled_from([None, "financial_year", "academic_year"]),
)
def test_ranges_of_financial_and_academic_years_of_any_span(first, span, template, kind):
    last = first + span
    label = template.format(
        a=first,
        a2=f"{(first + 1) % 100:02d}",
        A2=first + 1,
        b=f"{last % 100:02d}",
        B=last,
        b2=f"{(last + 1) % 100:02d}",
        B2=last + 1,
    )
    period = parse_period(label, kind)
    slash = "/" in template
    kind = kind or ("academic_year" if slash else "financial_year")
    one, other = (
        (academic_year(first), academic_year(last))
        if kind == "academic_year"
        else (financial_year(first), financial_year(last))
    )
    assert (period.kind, period.start, period.end) == ("multi_year", one.start, other.end)
    assert period.label == f"{one.label} to {other.label}"
    assert parse_period(period.label) == period  # the canonical label reads back
    assert same_period_last_year(period).end.year == period.end.year - 1


@FUZZ
@given(
    st.integers(1990, 2040),
    st.integers(2, 30),
    st.sampled_from(["{a}-{b2}", "{a}-{b}", "{a} to {b}"]),
)
def test_ranges_of_calendar_years_of_any_span(first, span, template):
    last = first + span
    period = parse_period(template.format(a=first, b=last, b2=f"{last % 100:02d}"))
    assert (period.kind, period.start, period.end) == (
        "multi_year",
        date(first, 1, 1),
        date(last, 12, 31),
    )
    assert parse_period(period.label) == period


@FUZZ
@given(st.integers(1990, 2040), st.integers(-5, 0), st.sampled_from(["/", "-"]))
def test_ranges_that_end_before_they_start_are_period_errors(first, back, sep):
    last = first + back
    label = f"{first}{sep}{(first + 1) % 100:02d}-{last % 100:02d}{sep}{(last + 1) % 100:02d}"
    result = only_period_errors(label)
    assert isinstance(result, PeriodError)
    assert_names_label(result, label)


@FUZZ
@given(st.text(alphabet="0123456789/-() ProvRvFinalOT", max_size=24), kinds)
def test_range_and_qualifier_shaped_junk_gives_a_period_or_a_period_error(label, kind):
    result = only_period_errors(label, kind)
    if isinstance(result, PeriodError):
        assert_names_label(result, label)
    else:
        assert result.start <= result.end and result.kind in KINDS
