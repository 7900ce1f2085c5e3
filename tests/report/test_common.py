"""perf.report.common: a chart or table that may fail alone, the "no local figures" notice,
a chart's source line and the note of revisions since the last briefing."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from perf.charts import trend_chart
from perf.errors import NoDataToChart, PerfError
from perf.report.common import (
    chart_or_note,
    no_local,
    revisions_note,
    source_line,
    status_schemes,
    table_or_note,
)


def test_chart_or_note_embeds_the_chart(small_context):
    html = chart_or_note(
        small_context,
        lambda: trend_chart(
            small_context.window("cla_rate"),
            "cla_rate",
            small_context.area_code,
            catalogue=small_context.catalogue,
        ),
        "children looked after",
    )
    assert html.startswith('<figure class="perf-chart"')
    assert 'src="data:image/png;base64,' in html
    assert "in Dudley fell from 99 in 2011-12 Q3 to 96 in 2012-13 Q4" in html


def test_too_few_figures_to_chart_is_a_sentence(small_context):
    def fail():
        raise NoDataToChart("no neet_16_17 values for E08000027 to chart")

    assert chart_or_note(small_context, fail, "NEET") == (
        "<p>There are not enough published figures to chart NEET for Dudley.</p>"
    )


def test_a_chart_with_no_figures_for_the_area_is_a_sentence(small_context):
    empty = small_context.window("cla_rate").iloc[0:0]
    assert chart_or_note(
        small_context, lambda: trend_chart(empty, "cla_rate", "E08000027"), "x"
    ) == ("<p>There are not enough published figures to chart x for Dudley.</p>")


@pytest.mark.parametrize(
    "error",
    [
        ValueError("could not convert string to float"),
        KeyError("value"),
        TypeError("unsupported operand"),
        PerfError("cannot save a chart as .gif"),
    ],
)
def test_any_other_error_in_a_chart_surfaces(small_context, error):
    def broken():
        raise error

    with pytest.raises(type(error)):
        chart_or_note(small_context, broken, "school absence")


def test_a_programming_error_inside_a_chart_function_is_not_said_to_be_missing_figures(
    small_context,
):
    """On main a KeyError raised inside trend_chart (here: a frame whose figures are in the
    wrong column, as a caller's bug gives) became "There are not enough published figures
    to chart children looked after for Dudley" in the committee paper."""
    wrong = small_context.window("cla_rate").rename(columns={"value": "figure"})
    with pytest.raises(KeyError, match="value"):
        chart_or_note(
            small_context,
            lambda: trend_chart(wrong, "cla_rate", small_context.area_code),
            "children looked after",
        )


def test_an_unexpected_error_in_a_chart_is_not_swallowed(small_context):
    def bug():
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        chart_or_note(small_context, bug, "x")


def test_table_or_note(small_context):
    assert table_or_note(small_context, lambda: "<table></table>", "x") == "<table></table>"

    def fail():
        raise KeyError("sn_mean")

    assert table_or_note(small_context, fail, "statistical neighbours") == (
        "<p>The table of statistical neighbours could not be produced for Dudley (KeyError).</p>"
    )


def test_source_line_names_each_file_once_in_order():
    frame = pd.DataFrame({"source": ["b.csv", "a.csv", None, "", "b.csv"]})
    assert source_line(frame) == "Source: a.csv; b.csv"
    assert source_line(pd.DataFrame({"source": [None, ""]})) is None
    assert source_line(pd.DataFrame({"value": [1.0]})) is None


def test_no_local_names_the_area_period_and_what_is_missing(make_context):
    ctx = make_context(local=None, area_code="E08000028")
    html = no_local(ctx, "priority scorecards")
    assert html.startswith(
        '<p class="notice">No local figures were supplied for Sandwell for '
        "2012-13 Q4, so this briefing has no priority scorecards."
    )
    # plain words for a committee: no folder or file names
    assert "<code>" not in html and "data/local" not in html
    assert "appear when its quarterly return is added" in html


def test_no_local_escapes_the_area_name(make_context):
    ctx = make_context(local=None, area_name="Bath & <North> East Somerset")
    assert "Bath &amp; &lt;North&gt; East Somerset" in no_local(ctx, "x")


def test_no_revisions_note_without_an_earlier_briefing(small_context):
    assert revisions_note(small_context) == "" and revisions_note(small_context, True) == ""


def test_revisions_note_counts_and_lists_the_revised_figures(revised_context):
    note = revisions_note(revised_context)
    assert note.startswith(
        '<div class="notice revisions"><p><strong>Revisions since the last briefing.</strong></p>'
    )
    assert (
        "2 figures were published differently in the briefing of 2012-13 Q3 (January "
        "2013); in the tables a revised figure is marked [r]."
    ) in note
    assert note.count("<li>") == 2 and "revised from 97 to 98" in note
    headed = revisions_note(revised_context, heading=True)
    assert headed.startswith("<h3>Revisions since the last briefing</h3>\n<p>2 figures")


def test_revisions_note_says_when_nothing_was_revised_and_uses_the_singular(revised_context):
    none = replace(revised_context, revision_notes=())
    assert (
        "No figure shown in the briefing of 2012-13 Q3 (January 2013) has been revised "
        "since." in revisions_note(none)
    )
    one = replace(revised_context, revision_notes=revised_context.revision_notes[:1])
    assert "1 figure was published differently" in revisions_note(one)


def test_status_schemes_are_the_scored_indicators_else_the_plans(small_context, make_context):
    assert status_schemes(small_context) == {"tolerance"}
    mixed = small_context.scored.assign(scheme=["rag", "tolerance", "rag"])
    assert status_schemes(replace(small_context, scored=mixed)) == {"rag", "tolerance"}
    plans = pd.DataFrame({"kind": ["indicator", "activity"], "scheme": ["rag", "tolerance"]})
    untargeted = make_context(local="untargeted")
    assert status_schemes(replace(untargeted, plans=plans)) == {"rag"}
    assert status_schemes(untargeted) == set()
