"""perf.report.appendix: definitions, symbols, revisions and data sources, with the records
the renderer keeps (the footer's sources and the frozen figures)."""

from __future__ import annotations

import json
import re

import pytest

from perf.config import PROVENANCE_MIMETYPE, SHOWN_MIMETYPE
from perf.report.appendix import appendix, shown_record
from perf.scoring import STATUSES
from perf.tables import SYMBOL_MEANINGS

SOURCES = frozenset({"b.csv (release 2)", "a.csv"})


@pytest.fixture(scope="module")
def section(make_context):
    return appendix(make_context(), SOURCES)


def test_headings_in_order(section):
    assert re.findall(r"<h3>(.*?)</h3>", section.html) == [
        "Indicator cards",
        "Symbols and words",
        "Data sources and releases",
    ]


def test_a_card_for_every_indicator_covered_with_its_definition(section):
    # issue 16 item 4: the indicator cards replace the definitions table
    names = re.findall(r'<h4 id="card-\d+">(.*?)</h4>', section.html)
    assert names == [
        "Children looked after per 10,000 children",
        "16-17 year olds not in education, employment or training",
        "Primary school overall absence",
        "Secondary school overall absence",
        "Number of LAC per 10k of the child population",
        "Care leavers in employment, education or training",
        "Children subject to a child protection plan per 10,000",
    ]
    definitions = re.findall(r"<dt>Definition</dt><dd>(.*?)</dd>", section.html)
    assert definitions[0] == (
        "Children looked after per 10,000 children aged 0 to 17; a lower rate is better."
    )
    # child protection plans and secondary absence have no definition in the catalogue
    assert definitions.count("Not recorded in the catalogue.") == 2


def test_without_local_figures_only_the_headline_definitions(make_context):
    html = appendix(make_context(local=None), SOURCES).html
    assert "Number of LAC per 10k" not in html and "Primary school overall absence" in html


def test_symbols_legend_explains_every_status_and_flag(section):
    table = re.search(r'<table id="symbols">.*?</table>', section.html).group(0)
    for code in SYMBOL_MEANINGS:
        assert f'<th scope="row">[{code}]</th>' in table
    for status in STATUSES.values():
        assert (
            f'<th scope="row">{status.symbol} {status.word}</th><td>Indicator status against target'
        ) in table
    assert "★ Exceeds target tolerance</th><td>Indicator status against target" in table
    assert "✓ Good progress / on schedule</th><td>Key activity progress" in table
    # direction of travel is words, explained once here (issue 13 item 4)
    for word in ("Improved", "Worsened", "No change within tolerance"):
        assert f'<th scope="row">{word}</th><td>Direction of travel' in table
    assert '<th scope="row">Context</th><td>An indicator where neither' in table


def test_the_legend_is_printed_once(section):
    assert section.html.count('<table id="symbols">') == 1
    assert "(the one legend)</caption>" in section.html


def test_sources_listed_reported_and_returned(section):
    assert "<ul><li>a.csv</li><li>b.csv (release 2)</li></ul>" in section.html
    assert section.sources == SOURCES
    assert section.extra[PROVENANCE_MIMETYPE] == {"sources": ["a.csv", "b.csv (release 2)"]}


def test_no_sources_says_so(small_context):
    assert "<p>No data were used.</p>" in appendix(small_context, frozenset()).html


def test_revisions_get_their_own_heading_only_when_compared(section, revised_context):
    assert "Revisions since the last briefing" not in section.html
    html = appendix(revised_context, SOURCES).html
    assert re.findall(r"<h3>(.*?)</h3>", html) == [
        "Indicator cards",
        "Symbols and words",
        "Revisions since the last briefing",
        "Data sources and releases",
    ]


def test_the_frozen_record_is_the_shown_figures_as_json(small_context, section):
    record = section.extra[SHOWN_MIMETYPE]
    assert record == shown_record(small_context)[SHOWN_MIMETYPE]
    shown = small_context.shown_figures()
    assert record["briefing"] == "2012-13 Q4" and record["public"] is True
    assert record["columns"] == list(shown.columns)
    assert len(record["rows"]) == len(shown)
    json.dumps(record, allow_nan=False)  # missing values are null, never NaN
    by_key = {(r[0], r[1], r[3]): r for r in record["rows"]}
    assert by_key[("dudley_lac_rate", "E08000027", "2012-13 Q4")][4:] == [104.94, None, "below"]
    assert by_key[("cla_rate", "E08000027", "2012-13 Q4")][6] == "improving"


def test_the_frozen_record_names_an_internal_view(make_context):
    assert shown_record(make_context(public=False))[SHOWN_MIMETYPE]["public"] is False
