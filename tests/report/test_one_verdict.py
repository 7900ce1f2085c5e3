"""One answer per indicator (issue 25 item 1): every contradiction the issue saw on main
(81a0e02), each a test that failed there. The illustrative Dudley 2024-25 year that showed
most of them is a fixture folder (tests/fixtures/example_2024-25), not data/local."""

from __future__ import annotations

import html
import re
from dataclasses import replace

import pandas as pd
import pytest

from perf.report.briefing import SECTIONS
from perf.report.cards import card_fields
from perf.report.context import SET_COLUMNS, prepare, with_verdicts
from perf.report.matrix import matrix, matrix_display
from perf.report.performance import performance_summary
from perf.report.plan_text import comparison_table
from perf.report.priorities import priorities
from perf.report.spc import spc
from perf.report.themes import theme_rows, theme_table, themes

from .conftest import example_context


def _text(page: str) -> str:
    page = re.sub(r"<style.*?</style>|data:image/png;base64,[A-Za-z0-9+/=]+", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        yield example_context(mp, tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def leeds():
    return prepare("Leeds", "2012-13 Q2", public=False)


@pytest.fixture(scope="module")
def dudley_seed():
    return prepare("Dudley", "2012-13 Q1")


def _row(ctx, title: str) -> pd.Series:
    return matrix_display(ctx).set_index("Indicator").loc[title]


LAC = "Number of LAC per 10k of the child population"
IA = "% of Initial assessments for children's social care carried out < 10 working days"


# --- status --------------------------------------------------------------------------


def test_the_matrix_shows_the_councils_status_as_the_scorecard_does(example):
    """Main: Dudley's looked-after rate was ◐ in the matrix and ● "(council)" in the
    scorecard."""
    cell = _row(example, LAC)["Status against target"]
    assert cell.startswith("● On target (upper half of tolerance) (council)"), cell
    scorecard = _text(priorities(example).html)
    assert "● On target (upper half of tolerance; council)" in scorecard
    assert "◐" not in cell  # perf's own recalculation: the internal edition only


def test_perfs_recalculation_is_in_the_internal_edition_only(monkeypatch, tmp_path):
    internal = example_context(monkeypatch, tmp_path, public=False)
    assert "perf calculates ◐" in _row(internal, LAC)["Status against target"]


def test_leeds_nine_rated_indicators_show_their_rag_not_no_data(leeds):
    """Main: "– No data" for all nine indicators Leeds rated R, R, A, A, A, G, G, G, G."""
    display = matrix_display(leeds)
    rated = display[display["Priority"] == "Directorate priorities and indicators"]
    statuses = [s.split(" (")[0] for s in rated["Status against target"]]
    assert sorted(statuses) == sorted(["R Red"] * 2 + ["A Amber"] * 3 + ["G Green"] * 4)
    assert not any("No data" in s for s in display["Status against target"])


# --- SPC -------------------------------------------------------------------------------


def test_the_matrix_honours_the_declared_break_as_the_spc_section_does():
    """Main: the matrix called Dudley's secondary absence "Special cause: concerning" (its
    _spc ran xmr without the declared COVID-19 rebase) while the SPC section said only
    common-cause variation."""
    ctx = prepare("Dudley", "2024-25")
    items = pd.DataFrame(
        {"indicator": ["SecTotAbs"], "plan": "P", "priority": "School attendance", "role": "kpi"}
    ).reindex(columns=SET_COLUMNS)
    ctx = with_verdicts(replace(ctx, indicator_set=items))
    verdict = ctx.verdicts.loc["SecTotAbs"]
    assert verdict["spc_breaks"] == ("2020/21",)
    assert verdict["variation"] == "common cause"
    assert _row(ctx, ctx.info("SecTotAbs").title)["Variation (SPC)"].startswith("Common cause")
    table = _text(spc(ctx).html)
    assert "Total absence from Secondary Schools (%) the figure's own series" in table
    assert "Common cause: no sign of change 2020/21" in table


# --- bases and labels ------------------------------------------------------------------


def test_the_year_to_date_is_compared_with_the_year_to_date(example):
    """Main: the year-to-date 88.2% was compared with March 2024's single month, 82.0%
    ("+6.2"); year to date against year to date is +5.9, as the scorecard says."""
    row = _row(example, IA)
    change = row["Change since same period last year"]
    assert "5.9 percentage points higher" in change and "82.3%" in change, change
    assert "82.0%" not in change
    verdict = example.verdicts.loc["dudley_initial_assessments_10d"]
    assert verdict["direction_period"] == "2023-24 Q4" and verdict["direction"] == "improving"


def test_a_year_to_date_figure_is_labelled_the_year_to_date(example):
    """Main: the same 88.2% was labelled "March 2025" (March alone was 92.0%)."""
    row = _row(example, IA)
    assert row["Latest"].startswith("88.2%") and row["Refers to"] == "year to 31 March 2025"


def test_a_quarterly_change_is_given_in_every_table_or_none(example):
    """Main: the matrix said the looked-after rate was "not a quarterly figure" (it read
    the March figure, a month) while the scorecard's change table gave its quarterly change.
    Both now compare the quarter with the quarter before, with one no-change band (the
    tolerance: 0.6 per 10,000 is within it)."""
    row = _row(example, LAC)
    assert row["Change since last quarter"].startswith(
        "No change within tolerance: 0.6 per 10,000 lower (0.7%) [ex], from 81.6 [ex] "
        "(October to December 2024)"
    )
    rows = example.scored[example.scored["indicator"] == "dudley_lac_rate"]
    table = _text(comparison_table(example, rows, "c", "t"))
    assert "81.6 [ex] (October to December 2024): no change [ex]" in table


# --- attribution -----------------------------------------------------------------------


def test_made_up_targets_are_not_attributed_to_the_2012_13_report(example):
    """Main: the illustrative 2024-25 targets were "printed in its 2012-13 Quarter 1
    corporate performance report"."""
    target = dict(card_fields(example, "dudley_lac_rate"))["Target"]
    assert "2012-13" not in target
    assert target.startswith("The target for 2024-25 is 80.0 [ex].")
    assert "Who set it and when was not recorded with it." in target


def test_the_legend_does_not_say_the_council_declared_the_projects_tolerances(dudley_seed):
    """Main: "the target it set, allowing the tolerance it declared", when the tolerances
    are the project's (data/README.md)."""
    legend = _text(matrix(dudley_seed).html).split("What the symbols and words mean", 1)[1]
    assert "tolerance it declared" not in legend
    assert "a tolerance this report assumes, not one the council declared" in legend


def test_leeds_is_not_said_to_be_scored_against_targets_it_never_had(leeds):
    """Main: "11 indicators were scored against their targets" when none has a target."""
    text = _text(performance_summary(leeds).html)
    assert "scored against" not in text
    assert "9 indicators carry the council's own status without a target" in text


# --- intervals -------------------------------------------------------------------------


def test_no_confidence_interval_on_a_census_of_every_childrens_home(leeds):
    """Main: a 95% confidence interval on a census of all 11 of Leeds's children's homes."""
    row = _row(leeds, "Percentage of children's homes that are rated good or better by Ofsted")
    assert (
        row["95% confidence interval"] == "Not applicable: every setting is counted, not a sample"
    )
    assert leeds.verdicts.loc["leeds_homes_good", ["ci_lower", "ci_upper"]].isna().all()


# --- illustrative figures --------------------------------------------------------------


def test_every_number_derived_from_an_illustrative_figure_is_marked(leeds):
    """Leeds's looked-after counts are invented to reproduce its report's statements: each
    change, interval and status derived from them is marked [ex] too."""
    row = _row(leeds, "Number of looked-after children")
    for column in (
        "Latest",
        "Change since previous year-end",
        "Change since same period last year",
        "Last three figures",
    ):
        text = row[column]
        numbers = re.findall(
            r"\d[\d,.]*%?", text.replace("30 September", "").replace("31 March", "")
        )
        assert "[ex]" in text, (column, text)
        assert text.count("[ex]") >= 1 and numbers, (column, text)
    assert "44 lower (3%) [ex]" in row["Change since previous year-end"]


# --- one answer wherever it appears ----------------------------------------------------


@pytest.mark.parametrize("which", ["dudley", "leeds", "dudley_seed"])
def test_status_direction_and_spc_words_agree_wherever_they_appear(which, leeds, dudley_seed):
    """The matrix, the performance summary's table, the SPC table and the scorecards say
    the same of each indicator."""
    ctx = {"dudley": None, "leeds": leeds, "dudley_seed": dudley_seed}[which] or prepare(
        "Dudley", "2024-25"
    )
    display = matrix_display(ctx).set_index("Indicator")
    summary = themes(ctx).html  # the themes' table: the performance summary's rows
    for indicator, v in ctx.verdicts.iterrows():
        title = ctx.info(indicator).title
        cell = display.loc[title]
        if v["status"] is not None and ctx.scored is not None:
            shown = ctx.scored.set_index("indicator").loc[indicator, "shown_status"]
            assert shown == v["status"]
        if indicator in ctx.published():
            words = ctx.direction_text(indicator)
            row = re.search(
                rf"<th scope=\"row\">{re.escape(html.escape(title))}</th>(.*?)</tr>", summary
            )
            # the movement's word, as the themes' cell gives it ("Rose, from 382.4 ...")
            assert row and words.split(" (")[0] in row.group(1), (indicator, words)
        if v["variation"] is not None:
            # "Special cause: concerning" for "special cause concerning", in every table
            head = cell["Variation (SPC)"].split(":")[0].lower()
            assert str(v["variation"]).startswith(head), (indicator, head, v["variation"])
    assert set(SECTIONS) >= {"matrix", "performance_summary", "spc"}


# --- NEET never without not known (issue 24 item 4) ---------------------------------------


@pytest.fixture(scope="module")
def dudley():
    return prepare("Dudley", "2024-25")


def test_neet_is_never_shown_without_not_known(dudley):
    """Dudley's 2025 not known is 19.1%, the worst of 151 councils (England 2.2%); main
    called its NEET "statistically lower than England" without a word about it."""
    from perf.report.benchmarking import benchmarking
    from perf.report.cards import card_fields
    from perf.report.funnels import funnels
    from perf.report.glance import _change_item

    said = "Read with the young people whose activity is not known: 19.1%"
    worst = "151st of 151 councils, the worst; England 2.2%"
    neet = dudley.info("neet_16_17").title
    cell = matrix_display(dudley).set_index("Indicator").loc[neet, "Compared with England"]
    assert said in cell and worst in cell
    # The printed matrix (the themes' table) holds the figures the summary's sentences
    # used to: NEET's row has not known's row beside it in its theme, or says its figure.
    groups = [(k, rows) for k, rows in theme_rows(dudley) if "neet_16_17" in rows.index]
    assert groups and "not_known_16_17" in groups[0][1].index
    alone = [(k, rows.loc[["neet_16_17"]]) for k, rows in groups]
    assert said in html.unescape(theme_table(dudley, alone, "NEET alone"))
    assert said not in html.unescape(theme_table(dudley, groups, "Both"))
    # At a glance: NEET named among the most improved or worsened says not known too.
    assert said in html.unescape(_change_item(dudley, dudley.verdicts.loc["neet_16_17"]))
    assert said in dict(card_fields(dudley, "neet_16_17"))["Definition"]
    for section in (funnels(dudley), benchmarking(dudley)):
        text = _text(section.html)
        for found in re.finditer(r"[Ss]tatistically lower than England", text):
            around = text[max(0, found.start() - 400) : found.end() + 400]
            if "16-17 year olds not in" in around:
                assert said in text, "NEET said to be lower than England alone"
