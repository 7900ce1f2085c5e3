"""perf.report.cards: the indicator card for each indicator a briefing covers."""

from __future__ import annotations

import html

import pandas as pd

from perf.report.appendix import appendix
from perf.report.cards import card_fields, indicator_cards, polarity_words, tolerance_words

LABELS = [
    "Definition",
    "Source and release",
    "National or local measure",
    "Target",
    "National comparator",
    "Better direction",
    "Tolerance",
]


def test_a_card_per_covered_indicator_in_order(make_neighbour_context):
    ctx = make_neighbour_context()
    page = indicator_cards(ctx)
    # the indicator set first (the covered order), then the council's other figures
    titles = ["Children looked after per 10,000", "NEET 16-17 (%)", "LAC per 10k (local)"]
    positions = [page.index(f">{t}</h4>") for t in titles]
    assert positions == sorted(positions)
    assert page.count('<section class="indicator-card"') == 3
    assert page.count("<dt>Definition</dt>") == 3


def test_national_card(make_neighbour_context):
    fields = dict(card_fields(make_neighbour_context(), "cla_rate"))
    assert list(fields) == LABELS
    assert fields["Definition"] == "Children looked after per 10,000 children."
    assert fields["Source and release"] == "DfE CLA 2025. DfE."  # the publication, no file
    assert fields["National or local measure"] == (
        "National: a statutory return every council makes (SSDA903)."
    )
    assert fields["Target"] == "No target: a national measure."
    assert fields["National comparator"] == "Yes: England and every council."
    assert fields["Better direction"] == "Lower is better."
    assert fields["Tolerance"].startswith("No tolerance declared")


def test_local_card_says_who_set_the_target_and_why_no_comparator(make_neighbour_context):
    fields = dict(card_fields(make_neighbour_context(), "dudley_lac_rate"))
    assert fields["Definition"] == "Local LAC rate."  # no summary: the definition
    assert fields["National or local measure"] == (
        "Local: the council's own measure (Dudley's own records)."
    )
    # the target's own record says who set it, never the catalogue's note about another
    # year's targets (issue 25: made-up targets were attributed to the 2012-13 report)
    assert fields["Target"] == (
        "The target for 2024-25 Q4 is 98.8. Who set it and when was not recorded with it."
    )
    assert fields["National comparator"] == "No: a quarterly local figure."
    # the catalogue's tolerance, said to be the report's, not the council's (issue 25)
    assert fields["Tolerance"] == tolerance_words(3.0, "absolute", "rate per 10,000", 1) + (
        " This tolerance is the one this report assumes; the council has not declared one."
    )
    assert "within 3.0 per 10,000 of the target, either side" in fields["Tolerance"]


def test_an_indicator_the_catalogue_lacks_says_not_recorded(make_neighbour_context):
    fields = dict(card_fields(make_neighbour_context(), "nonsense"))
    assert fields["Definition"] == fields["National comparator"] == "Not recorded in the catalogue."
    assert fields["Better direction"].startswith("Neither higher nor lower is better")


def test_words_for_polarity_and_tolerance():
    assert polarity_words("high") == "Higher is better."
    assert tolerance_words(5, "absolute", "%", 0).startswith(
        "A figure within 5 percentage points of the target"
    )
    assert tolerance_words(1, "absolute", "%", 0).startswith(
        "A figure within 1 percentage point of the target"
    )
    assert tolerance_words(0.1, "relative", "days", 0).startswith(
        "A figure within 10% of the target"
    )


def test_the_appendix_carries_the_cards_escaped(make_neighbour_context):
    ctx = make_neighbour_context()
    cat = ctx.catalogue.copy()
    cat.loc[cat["indicator"] == "cla_rate", "summary"] = "Rate <b>per</b> 10,000"
    page = appendix(make_neighbour_context(catalogue=cat), frozenset()).html
    assert "<h3>Indicator cards</h3>" in page
    assert "Rate &lt;b&gt;per&lt;/b&gt; 10,000." in page
    assert html.unescape(page).count("<dt>Tolerance</dt>") == 3


def test_no_cards_when_nothing_is_covered(make_neighbour_context):
    ctx = make_neighbour_context(
        scored=None, latest=make_neighbour_context().latest.iloc[0:0], indicator_set=None
    )
    assert indicator_cards(ctx) == ""
    assert isinstance(ctx.covered(), pd.DataFrame) and ctx.covered().empty
