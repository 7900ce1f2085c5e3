"""perf.report: what a committee reads in the shipped examples' briefings and views.

Each test reads a section's HTML as text, so it checks what is printed, not how it is built.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from perf.report import explore
from perf.report.briefing import SECTIONS, Briefing
from perf.report.context import prepare


def text_of(html: str) -> str:
    """The words a reader sees: tags gone, image alt text kept, entities decoded."""
    html = re.sub(r'<img[^>]*alt="([^"]*)"[^>]*>', r" \1 ", html)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture(scope="module")
def briefings():
    built = {}
    for area, period in (
        ("Dudley", "2024-25"),
        ("Dudley", "2012-13 Q1"),
        ("Leeds", "2012-13 Q2"),
        ("Leeds", "2024-25"),
    ):
        b = Briefing(area, period)
        pages = {name: getattr(b, name)().html for name in SECTIONS}
        pages["appendix"] = b.appendix().html
        built[(area, period)] = (b.context, pages)
    return built


def whole(pages: dict[str, str]) -> str:
    return text_of("\n".join(pages.values()))


# --- 1. NEET for the right year, each figure with the dates it refers to -----------------


@pytest.mark.parametrize(
    "area, value, england, rank", [("Dudley", 2.4, 3.4, 43), ("Leeds", 4.9, 3.4, 124)]
)
def test_neet_2024_25_is_the_december_2024_to_february_2025_figure(
    briefings, area, value, england, rank
):
    ctx, pages = briefings[(area, "2024-25")]
    neet = ctx.latest.loc["neet_16_17"]
    assert (neet["period"], neet["period_kind"]) == ("2025", "dec_feb_average")
    assert float(neet["value"]) == value
    bench = ctx.benchmarks["neet_16_17"]
    mine = bench[bench["area_code"] == ctx.area_code].iloc[0]
    assert (float(mine["england_value"]), int(mine["rank"])) == (england, rank)
    text = text_of(pages["benchmarking"])
    assert (
        f"16-17 year olds not in education employment or training (%) (December 2024 to "
        f"February 2025 average) {value}% {england}%"
    ) in text
    assert f"Ranked {rank}" in text


def test_each_headline_figure_shows_the_dates_it_refers_to(briefings):
    # the themes' table holds the performance summary's rows (issue 25 item 3)
    _, pages = briefings[("Dudley", "2024-25")]
    table = text_of(pages["themes"])
    for shown in (
        "81 at 31 March 2025",
        "from 82 (at 31 March 2024)",
        "2.4% December 2024 to February 2025 average",
        "from 2.5% (December 2023 to February 2024 average)",
    ):
        assert shown in table, shown


# --- 2-3. gap sentences with the right side -----------------------------------------------


def test_trend_charts_are_the_key_trends_and_state_no_bare_movement(briefings):
    # the core set's trends: a chart for each key trend only (issue 24), titles in words
    ctx, pages = briefings[("Dudley", "2024-25")]
    from perf.report.trends import key_trends

    trends = text_of(pages["trends"])
    for indicator in key_trends(ctx):
        assert ctx.info(indicator).title in trends
    assert "up from" not in trends and "down from" not in trends


# --- 4. one visual language -----------------------------------------------------------------


def test_direction_of_travel_is_words_and_status_the_councils_scheme(briefings):
    _, pages = briefings[("Dudley", "2024-25")]
    ctx, _ = briefings[("Dudley", "2024-25")]
    themes = text_of(pages["themes"])
    improving = int(ctx.verdicts["direction"].eq("improving").sum())
    assert themes.count("Improved") == improving > 0
    for arrow in "↑↓→▼":
        assert arrow not in whole(pages), arrow
    # ◆ is the spine chart's marker for "similar to England", used by At a glance's tile
    # beside the chart only, never for a direction
    rest = {name: html for name, html in pages.items() if name != "glance"}
    assert "◆" not in whole(rest)
    _, q1 = briefings[("Dudley", "2012-13 Q1")]
    exceptions = text_of(q1["exceptions"])
    assert re.search(r"▲ Below target tolerance ?: 50% against a target of 65%\.", exceptions)
    assert "▲ Below target:" not in exceptions


def test_an_indicator_with_no_polarity_is_context():
    view = explore.Comparison("Dudley", "2024-25")
    text = text_of(view.table().html)
    row = re.search(
        r"Children looked after on 31 March 573 \(at 31 March 2024\) 575 "
        r"\(at 31 March 2025\) \+2 ([^|]*?) Children",
        text,
    )
    assert row and row.group(1).startswith("Rose (context: neither direction is better)")
    assert "no better or worse" not in text and "Improving" not in text


# --- 5. one answer per question -------------------------------------------------------------


def test_quarter_comparison_lists_each_measure_once_with_one_judgement():
    view = explore.Comparison("Dudley", "2024-25")
    text = text_of(view.table().html)
    # LAIT's LAC and DfE's cla_rate are one measure: one row, judged once
    assert "Children looked after rate per 10,000" not in text
    assert text.count("Children looked after on 31 March per 10,000 children") == 1
    assert "82 (at 31 March 2024) 81 (at 31 March 2025) -1 Improved" in text
    # NEET once, on the NCCIS December-February basis, 2023-24 against 2024-25
    assert "16-17 year olds that are Not in Education" not in text
    assert text.count("not in education employment or training") == 1
    assert (
        "2.5% (December 2023 to February 2024 average) 2.4% (December 2024 to February "
        "2025 average) -0.1 percentage points Improved"
    ) in text
    assert "16 & 17 year olds in Education or Training" not in text  # = NCCIS participation


# --- 10. text for a committee -----------------------------------------------------------------


@pytest.mark.parametrize(
    "key", [("Dudley", "2024-25"), ("Dudley", "2012-13 Q1"), ("Leeds", "2012-13 Q2")]
)
def test_committee_text_has_no_file_names_seeds_or_release_boilerplate(briefings, key):
    ctx, pages = briefings[key]
    sources = set(ctx.obs["source"].dropna())
    committee = {name: html for name, html in pages.items() if name != "appendix"}
    appendix = pages["appendix"]
    # the appendix's source list is where file names belong
    definitions = appendix.split("<h3>Data sources and releases</h3>")[0]
    text = text_of("\n".join(committee.values()) + definitions)
    assert ".csv" not in text and "seed" not in text.lower(), key
    assert "perf declares" not in text and "declared by perf" not in text
    assert "Statistical First Release" not in text and "SFR" not in text
    assert any(".csv" in s for s in sources)  # they are in the data, just not in the text


def test_one_plain_sentence_per_definition(briefings):
    _, pages = briefings[("Dudley", "2012-13 Q1")]
    cards = re.findall(
        r'<h4 id="card-\d+">([^<]*)</h4><dl><dt>Definition</dt><dd>([^<]*)</dd>', pages["appendix"]
    )
    assert len(cards) == 5  # a card for each indicator the briefing covers (issue 16 item 4)
    for title, definition in cards:
        sentence = html_lib.unescape(definition)
        assert sentence.endswith(".") and sentence.count(". ") == 0, (title, sentence)


def test_the_symbols_legend_is_printed_once_and_comments_once(briefings):
    _, pages = briefings[("Dudley", "2012-13 Q1")]
    page = "\n".join(pages.values())
    assert page.count("excellent progress, ahead of schedule") == 0  # no per-table legends
    assert page.count('id="symbols"') == 1
    assert text_of(page).count("[c] = confidential") == 0
    comment = "This is the outturn against a 10 day timescale"
    # once in full (exceptions); At a glance quotes its first words beside what is off target
    body = "\n".join(html for name, html in pages.items() if name != "glance")
    assert text_of(body).count(comment) == 1
    assert text_of(pages["glance"]).count(comment) == 1
    assert "under Exceptions" in text_of(pages["priorities"])


def test_benchmark_tables_name_the_region(briefings):
    _, pages = briefings[("Dudley", "2024-25")]
    text = text_of(pages["benchmarking"])
    assert "West Midlands 86 [z] [z] Comparator" in text
    assert "Region" not in text
    assert "England 67 3.4% West Midlands" not in text  # the summary has its own column
    assert re.search(r"Indicator Dudley England West Midlands Statistical neighbours", text)


def test_trends_heading_says_how_many_periods_it_shows():
    view = explore.Trends("Dudley", "2024-25", "cla_rate", years=10)
    assert "all 5 published periods (10 asked for)" in text_of(view.heading().html)
    view = explore.Trends("Dudley", "2024-25", "PriTotAbs", years=5)
    assert "the latest 5 periods" in text_of(view.heading().html)


# --- 9. a known break -------------------------------------------------------------------------


def test_spc_names_each_declared_break_it_honours(briefings):
    # the break itself is tested in tests/report/test_one_verdict.py (the matrix and the SPC
    # section honour secondary absence's 2020/21 rebase); here: the table says so
    ctx, pages = briefings[("Leeds", "2012-13 Q2")]
    text = text_of(pages["spc"])
    for indicator, v in ctx.verdicts[ctx.verdicts["variation"].notna()].iterrows():
        if v["spc_breaks"]:
            assert " and ".join(v["spc_breaks"]) in text, indicator
    assert "9 of 9 points are special cause" not in text


# --- 11. the briefing's own check of its period ----------------------------------------------


def test_prepare_refuses_a_period_without_figures():
    from perf.errors import ParameterError

    # DfE's in-year attendance releases run to July 2026: 2026-27 is the latest with figures
    with pytest.raises(
        ParameterError, match="latest reporting period with figures for Dudley is 2026-27"
    ):
        prepare("Dudley", "2027-28")
    with pytest.raises(ParameterError, match="school \\(academic\\) year"):
        prepare("Dudley", "2024/25")


# --- 6. free text in a public briefing -----------------------------------------------------


def test_public_briefing_redacts_or_stops_on_counts_of_people_in_free_text(briefings):
    from perf.disclosure import DisclosureError

    _, pages = briefings[("Dudley", "2012-13 Q1")]
    text = whole(pages)
    assert "[c] out of the [c] care leavers who had their 19th birthday" in text
    assert "3 out of the 6" not in text
    assert "Four additional social workers" in text  # staff: nothing to protect
    with pytest.raises(DisclosureError, match="commentary \\(indicator dudley_care_leavers_eet"):
        prepare("Dudley", "2012-13 Q1", small_counts_in_text="stop")
    internal = prepare("Dudley", "2012-13 Q1", public=False, small_counts_in_text="stop")
    assert "3 out of the 6" in " ".join(internal.commentary["text"])  # never published
    ctx, pages = briefings[("Leeds", "2012-13 Q2")]
    assert "36%" in text_of(pages["priorities"])  # 4 of 11 homes: no child disclosed
