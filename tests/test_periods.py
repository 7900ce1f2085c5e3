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
    "2012/13 Q2": "2012-13 Q2", "2012-13 Q2": "2012-13 Q2", "Q2 2012/13": "2012-13 Q2",
    "01/04/2012 to 30/06/2012": "2012-13 Q1", "April 1st 2012 to June 30th 2012": "2012-13 Q1",
    "2012/13": "2012/13", "2011-12": "2011-12", "2016-17 (OT)": "2016-17", "2014-16": "2014-16",
}


@pytest.mark.parametrize(("label", "canonical"), SEED_LABELS.items())
def test_seed_labels(label, canonical):
    assert parse_period(label).label == canonical


@pytest.mark.parametrize(("label", "kind", "canonical", "qualifier"), [
    ("2018 (Rev)", "academic_year", "2017/18", "r"),
    ("2025 (prov)", "snapshot", "31 March 2025", "p"),
    ("2016-17 (OT)", None, "2016-17", "ot"),
])
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


@pytest.mark.parametrize("bad", ["2012-13 Q5", "2012-14 Q1", "31/02/2012", "", "Q2", "next year",
                                 "2013-12", "2016 (maybe)"])
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
