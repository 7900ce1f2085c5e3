"""perf.periods: every label in the seeds and data/raw parses; round-trips; arithmetic."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perf import config
from perf.errors import PeriodError
from perf.periods import (
    academic_year,
    calendar_year,
    financial_quarter,
    financial_year,
    parse_period,
    period_columns,
    previous_quarter,
    previous_year_end,
    same_period_last_year,
    snapshot,
    year_to_date,
)

SEED_LABELS = {
    "2012/13 Q2": "2012-13 Q2",
    "2012-13 Q2": "2012-13 Q2",
    "Q2 2012/13": "2012-13 Q2",
    "01/04/2012 to 30/06/2012": "2012-13 Q1",
    "April 1st 2012 to June 30th 2012": "2012-13 Q1",
    "2012/13": "2012/13",
    "2011-12": "2011-12",
    "2016-17 (OT)": "2016-17",
    "2014-16": "2014-16",
}


@pytest.mark.parametrize(("label", "canonical"), SEED_LABELS.items())
def test_seed_labels(label, canonical):
    assert parse_period(label).label == canonical


@pytest.mark.parametrize(
    ("label", "kind", "canonical", "qualifier"),
    [
        ("2018 (Rev)", "academic_year", "2017/18", "r"),
        ("2025 (prov)", "snapshot", "31 March 2025", "p"),
        ("2016-17 (OT)", None, "2016-17", "ot"),
    ],
)
def test_qualifiers_kept(label, kind, canonical, qualifier):
    p = parse_period(label, kind)
    assert (p.label, p.qualifier) == (canonical, qualifier)


def test_every_time_period_in_data_raw_parses():
    labels = set()
    for f in config.RAW_DIR.rglob("*.csv"):
        head = pd.read_csv(f, nrows=0, encoding="latin-1").columns
        for col in ("time_period", "Years"):
            if col in head:
                labels |= set(pd.read_csv(f, usecols=[col], dtype=str, encoding="latin-1")[col])
    assert labels
    for label in labels:
        if len(label) == 6 and label.isdigit():
            # an EES code (DfE in-year attendance: "202526") names a two-year span, which
            # reads as a school or a financial year, never as one day or one calendar year
            kinds = ("financial_year", "academic_year")
            assert parse_period(label, "academic_year").label == f"{label[:4]}/{label[4:]}"
        else:
            kinds = ("financial_year", "academic_year", "snapshot", "calendar_year")
        for kind in kinds:
            assert parse_period(label, kind).kind == kind, (label, kind)


def test_arithmetic():
    q2 = parse_period("2012-13 Q2")
    assert previous_quarter(q2).label == "2012-13 Q1"
    assert previous_quarter(parse_period("2012-13 Q1")).label == "2011-12 Q4"
    assert same_period_last_year(q2).label == "2011-12 Q2"
    assert previous_year_end(q2).end == date(2012, 3, 31)
    ytd = year_to_date(q2)
    assert (ytd.start, ytd.end) == (date(2012, 4, 1), date(2012, 9, 30))


@pytest.mark.parametrize(
    "bad",
    ["2012-13 Q5", "2012-14 Q1", "31/02/2012", "", "Q2", "next year", "2013-12", "2016 (maybe)"],
)
def test_impossible_labels_raise(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_period_columns_vectorised():
    out = period_columns(pd.Series(["2016", "2016", "2017 (prov)"]), kind="academic_year")
    assert out["period"].tolist() == ["2015/16", "2015/16", "2016/17"]
    assert out["qualifier"].isna().tolist() == [True, True, False]


years = st.integers(min_value=1990, max_value=2060)


@given(years, st.integers(min_value=1, max_value=4))
def test_quarter_round_trip(year, q):
    p = financial_quarter(year, q)
    assert parse_period(p.label) == p
    alt = f"Q{q} {year}/{(year + 1) % 100:02d}"
    assert parse_period(alt) == p
    assert parse_period(f"{p.start:%d/%m/%Y} to {p.end:%d/%m/%Y}") == p
    assert previous_quarter(p) < p
    assert same_period_last_year(p).label == financial_quarter(year - 1, q).label


@given(years)
def test_year_round_trips(year):
    for period in (financial_year(year), academic_year(year), calendar_year(year)):
        assert parse_period(period.label, period.kind) == period
    assert parse_period(financial_year(year).label) == financial_year(year)
    assert parse_period(academic_year(year).label) == academic_year(year)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31)))
def test_snapshot_round_trip(day):
    p = snapshot(day)
    assert parse_period(p.label) == p
    assert p.start == p.end == day


# --- issue 14: every LAIT year label, and spellings not seen yet ---------------------------

LAIT_PARQUET = config.RAW_DIR / "lait" / "bds_long_0.parquet"


def test_every_year_label_of_the_whole_lait_data_set_parses_by_its_year_type():
    from perf.loaders.lait import YEAR_TYPES, read_dictionary

    lait = pd.read_parquet(LAIT_PARQUET, columns=["Short Desc", "Years"]).drop_duplicates()
    year_type = read_dictionary().set_index("Measure_short")["Year_Type"].str.strip().str.lower()
    lait["kind"] = lait["Short Desc"].map(year_type).map(YEAR_TYPES)
    assert lait["kind"].notna().all()
    assert lait["Years"].nunique() == 65
    parsed = {}
    for label, kind in lait[["Years", "kind"]].drop_duplicates().itertuples(index=False):
        if label == "0":
            with pytest.raises(PeriodError):
                parse_period(label, kind)
            continue
        parsed[(label, kind)] = parse_period(label, kind)
    assert len({label for label, _ in parsed}) == 64  # all but "0"
    multi = parsed[("2013/14-15/16", "financial_year")]
    assert (multi.label, multi.kind, multi.start, multi.end) == (
        "2013-14 to 2015-16",
        "multi_year",
        date(2013, 4, 1),
        date(2016, 3, 31),
    )
    assert parsed[("2020 (Final)", "academic_year")].label == "2019/20"
    assert parsed[("2020 (Final)", "academic_year")].qualifier is None
    assert parsed[("2016-17 (OT)", "financial_year")].qualifier == "ot"
    assert parsed[("2014-16", "calendar_year")].label == "2014-16"


def test_lait_zero_is_no_period_but_not_a_period():
    from perf.periods import is_no_period

    assert is_no_period("0") and is_no_period(" 0 ")
    assert not is_no_period("2016") and not is_no_period("00") and not is_no_period(0)
    with pytest.raises(PeriodError, match="not a recognised period label"):
        parse_period("0", "academic_year")


@pytest.mark.parametrize(
    ("label", "kind", "canonical", "qualifier"),
    [
        ("2018 (rev)", "academic_year", "2017/18", "r"),
        ("2018(REV)", "academic_year", "2017/18", "r"),
        ("2018 ( Rev. )", "academic_year", "2017/18", "r"),
        ("2018 [Revised]", "academic_year", "2017/18", "r"),
        ("2025  (PROV)", "snapshot", "31 March 2025", "p"),
        ("2025 prov", "snapshot", "31 March 2025", "p"),
        ("2025 Provisional", "snapshot", "31 March 2025", "p"),
        ("2016-17 (ot)", None, "2016-17", "ot"),
        ("2016-17 OT", None, "2016-17", "ot"),
        ("2016-17(Outturn)", None, "2016-17", "ot"),
        ("2020 (Final)", "academic_year", "2019/20", None),
        ("2020 (FINAL)", "financial_year", "2019-20", None),
        ("2021 final", "calendar_year", "2021", None),
    ],
)
def test_qualifiers_in_any_case_and_spacing(label, kind, canonical, qualifier):
    p = parse_period(label, kind)
    assert (p.label, p.qualifier) == (canonical, qualifier)


@pytest.mark.parametrize(
    ("label", "kind", "canonical", "start", "end"),
    [
        ("2013/14-15/16", None, "2013/14 to 2015/16", date(2013, 9, 1), date(2016, 8, 31)),
        (
            "2013/14-15/16",
            "financial_year",
            "2013-14 to 2015-16",
            date(2013, 4, 1),
            date(2016, 3, 31),
        ),
        (
            "2016/17-18/19",
            "academic_year",
            "2016/17 to 2018/19",
            date(2016, 9, 1),
            date(2019, 8, 31),
        ),
        ("2013-14 to 2015-16", None, "2013-14 to 2015-16", date(2013, 4, 1), date(2016, 3, 31)),
        ("2013/14 \u2013 2015/16", None, "2013/14 to 2015/16", date(2013, 9, 1), date(2016, 8, 31)),
        ("2013/2014-2015/2016", None, "2013/14 to 2015/16", date(2013, 9, 1), date(2016, 8, 31)),
        ("2014/15-15/16", None, "2014/15 to 2015/16", date(2014, 9, 1), date(2016, 8, 31)),
        ("2010/11-19/20", None, "2010/11 to 2019/20", date(2010, 9, 1), date(2020, 8, 31)),
        ("1999/00-01/02", None, "1999/00 to 2001/02", date(1999, 9, 1), date(2002, 8, 31)),
        ("2014-16", None, "2014-16", date(2014, 1, 1), date(2016, 12, 31)),
        ("2014-2016", None, "2014-16", date(2014, 1, 1), date(2016, 12, 31)),
        ("2010-19", None, "2010-19", date(2010, 1, 1), date(2019, 12, 31)),
        (
            "2013/14-15/16 (Rev)",
            "financial_year",
            "2013-14 to 2015-16",
            date(2013, 4, 1),
            date(2016, 3, 31),
        ),
    ],
)
def test_ranges_of_years_of_any_span(label, kind, canonical, start, end):
    p = parse_period(label, kind)
    assert (p.label, p.kind, p.start, p.end) == (canonical, "multi_year", start, end)
    back = parse_period(p.label)
    assert (back.start, back.end, back.label) == (p.start, p.end, p.label)


@pytest.mark.parametrize(
    "bad",
    [
        "2013/14-12/13",
        "2013/15-15/16",
        "2013/14-15-16",
        "2013/14-13/14",
        "2016 (maybe)",
        "2016 [x]",
        "0",
    ],
)
def test_impossible_ranges_and_unknown_qualifiers_raise(bad):
    with pytest.raises(PeriodError) as info:
        parse_period(bad)
    assert bad in str(info.value)


def test_a_range_a_year_earlier():
    assert same_period_last_year(parse_period("2013-14 to 2015-16")).label == "2012-13 to 2014-15"
    assert same_period_last_year(parse_period("2016/17-18/19")).label == "2015/16 to 2017/18"
    assert same_period_last_year(parse_period("2014-16")).label == "2013-15"
