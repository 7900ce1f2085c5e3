"""perf.charts.text and each kind's ``<kind>_words``: titles, alt text and source lines,
checked without drawing anything."""

from __future__ import annotations

import pandas as pd
import pytest

from perf.charts import text
from perf.charts.attendance import attendance_words
from perf.charts.benchmark import benchmark_words
from perf.charts.neet_gap import neet_gap_words
from perf.charts.quarter_comparison import quarter_comparison_words
from perf.charts.spc import spc_words
from perf.charts.trend import trend_words

YEARS = pd.DataFrame(
    {
        "period": ["2021-22", "2022-23", "2023-24", "2024-25"],
        "period_kind": "financial_year",
        "period_end": pd.to_datetime(["2022-03-31", "2023-03-31", "2024-03-31", "2025-03-31"]),
    }
)
NO_TARGETS = pd.DataFrame(columns=["period_end", "target"])


@pytest.fixture(autouse=True)
def no_drawing(monkeypatch):
    """Words come without a figure: any attempt to make one fails the test."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("a words function drew a figure")

    monkeypatch.setattr("matplotlib.figure.Figure.__init__", refuse)


def test_shared_words():
    assert text.fmt(1234.56, "count", 0) == "1,235"
    assert text.when_text("31 March 2025", "snapshot") == "at 31 March 2025"
    assert text.when_text("2024-25", None) == "in 2024-25"
    assert text.period_when("31 March 2025") == " at 31 March 2025"
    assert text.rise_or_fall(3.0, 2.0, "count", 0) == "fell from"
    assert text.unit_subtitle("%") == "Per cent"
    assert text.tick_label("2024-25 Q1", "financial_quarter") == "2024-25\nQ1"
    assert text.gap_label(1.25, 1) == "Gap: 1.3 percentage\npoints above England"


def test_source_text_names_each_publication_once():
    frame = pd.DataFrame({"source": ["a.csv (DfE CLA)", None, "b.csv (ONS)", "c.csv (DfE CLA)"]})
    assert text.source_text(frame, None) == "Source: DfE CLA; ONS"
    assert text.source_text(frame, "Source: given") == "Source: given"
    assert text.source_text(pd.DataFrame(), None) == "Source: not stated"


def test_trend_words_with_comparators_target_and_neighbour_set():
    area = YEARS.assign(value=[99.0, 97.0, 96.0, 95.0])
    england = YEARS.assign(value=[67.0, 70.0, 71.0, 70.0])
    sn = YEARS.assign(value=[80.0, 81.0, 82.0, 83.0])
    targets = pd.DataFrame({"period_end": [YEARS["period_end"].iloc[-1]], "target": [90.0]})
    words = trend_words(
        area,
        [
            ("England", england),
            ("West Midlands", area.iloc[0:0]),
            ("statistical-neighbour mean", sn),
        ],
        targets,
        area_name="Dudley",
        label="Children looked after",
        unit="rate per 10,000",
        decimals=0,
        neighbour_set="DfE statistical neighbours, 2025 model",
        source="Source: DfE CLA",
    )
    assert words.title == "Children looked after in Dudley fell from 99 in 2021-22 to 95 in 2024-25"
    assert words.alt == (
        "Line chart. Children looked after in Dudley fell from 99 in 2021-22 to 95 in 2024-25; "
        "England 70, statistical-neighbour mean 83, target 90. Statistical neighbours: DfE "
        "statistical neighbours, 2025 model."
    )
    assert words.source == "Source: DfE CLA"


def test_trend_words_one_figure_and_a_given_title():
    area = YEARS.iloc[-1:].assign(value=[82.0])
    words = trend_words(
        area, [], NO_TARGETS, area_name="Leeds", label="x", unit="%", decimals=1, title="Mine"
    )
    assert words.title == "Mine"
    assert words.alt == "Line chart. x in Leeds was 82.0% in 2024-25."


def test_neet_gap_words_over_two_periods():
    both = YEARS.iloc[[0, -1]].assign(value=[8.0, 5.0], value_england=[6.0, 5.5])
    both["gap"] = both["value"] - both["value_england"]
    words = neet_gap_words(both.reset_index(drop=True), area_name="Leeds", label="NEET", decimals=1)
    assert "Leeds" in words.title and "England" in words.title
    assert words.alt.startswith("Line chart. NEET: Leeds 5.0% and England 5.5% in 2024-25")
    assert "in 2021-22 Leeds 8.0%, England 6.0%, 2.0 percentage points above England" in words.alt


def test_attendance_words_say_each_panel_against_england():
    area = YEARS.iloc[-2:].assign(value=[6.0, 5.5]).reset_index(drop=True)
    england = area.assign(value=[6.0, 5.5])
    words = attendance_words(
        [("Secondary", "SecTotAbs", area, england, area.iloc[0:0])],
        area_name="Here",
        measure="Overall absence",
        decimals=1,
    )
    assert words.title == "Overall absence in Here: secondary 5.5% (the same as England's 5.5%)"


def test_spc_words_count_special_causes_by_kind():
    data = YEARS.assign(value=[1.0, 2.0, 9.0, 3.0], mean=3.0, unpl=8.0, lnpl=0.0)
    flags = (
        pd.Series([False, False, False, False]),
        pd.Series([False, False, True, False]),
        pd.Series([False, False, False, False]),
    )
    words = spc_words(
        data,
        *flags,
        label="Visits",
        area_name="Here",
        unit="count",
        decimals=0,
        variation="special cause concerning",
        assurance="hit and miss target",
    )
    assert words.title == (
        "Visits in Here: 1 of 4 points show special-cause variation; special cause concerning"
    )
    assert words.alt.endswith(
        "1 special-cause point (0 improvement, 1 concern). Variation: special cause "
        "concerning. Assurance: hit and miss target."
    )


def test_benchmark_words_when_the_council_is_not_ranked():
    ranked = pd.DataFrame({"area_code": ["A"], "value": [3.0], "rank": [1], "quartile": ["A"]})
    words = benchmark_words(
        ranked,
        area_name="Here",
        area_code="Z",
        neighbours=[],
        england=None,
        label="x",
        unit="count",
        decimals=0,
        period="31 March 2025",
    )
    assert words.title == "Here had no ranked figure for x at 31 March 2025"
    assert words.alt.endswith("from 3 to 3. Here not ranked.")


def test_quarter_comparison_words_count_directions():
    rows = pd.DataFrame(
        {
            "indicator": ["a", "b", "a"],
            "period": "2024-25 Q2",
            "value": [5.0, 1.0, 5.0],
            "comparison": ["previous_quarter", "previous_quarter", "same_period_last_year"],
            "comparison_period": ["2024-25 Q1", "2024-25 Q1", "2023-24 Q2"],
            "comparison_value": [4.0, 2.0, 6.0],
            "direction": ["improving", "worsening", "worsening"],
        }
    )
    info = {"a": ("A", "count", 0), "b": ("B", "%", 1)}
    words = quarter_comparison_words(rows, info, area_name="Here")
    assert (
        words.title
        == "Here, 2024-25 Q2: against last quarter, 1 improved, 1 worsened of 2 indicators"
    )
    assert words.alt == (
        "Dumbbell chart. A: 5 in 2024-25 Q2, last quarter (2024-25 Q1) 4, improving, same "
        "quarter last year (2023-24 Q2) 6, worsening; B: 1.0% in 2024-25 Q2, last quarter "
        "(2024-25 Q1) 2.0%, worsening."
    )
