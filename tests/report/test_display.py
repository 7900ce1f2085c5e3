"""perf.report.display: the immutable Section (HTML + sources + renderer records) and the
small HTML helpers every section uses."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from perf.config import PROVENANCE_MIMETYPE
from perf.report.display import (
    Section,
    capital,
    join,
    off_target_words,
    paragraph,
    paragraphs,
    provenance,
    source_list,
    sources_of,
)


def test_a_section_is_frozen_and_displays_as_its_html():
    s = Section("<p>x</p>", frozenset({"a.csv"}))
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.html = "<p>y</p>"
    assert str(s) == s._repr_html_() == "<p>x</p>"
    assert "<p>x" in s and "<p>y" not in s
    assert s._repr_mimebundle_() == {"text/html": "<p>x</p>"}


def test_extra_mimetypes_ride_with_the_html_but_are_not_part_of_it():
    s = Section("<p>x</p>", extra={PROVENANCE_MIMETYPE: {"sources": ["a.csv"]}})
    bundle = s._repr_mimebundle_()
    assert bundle == {"text/html": "<p>x</p>", PROVENANCE_MIMETYPE: {"sources": ["a.csv"]}}
    assert "a.csv" not in s


def test_adding_sections_joins_html_and_unites_sources_and_records():
    a = Section("<p>a</p>", frozenset({"a.csv"}), {"x/a": 1})
    b = Section("<p>b</p>", frozenset({"b.csv", "a.csv"}), {"x/b": 2})
    both = a + b
    assert both.html == "<p>a</p>\n<p>b</p>"
    assert both.sources == {"a.csv", "b.csv"}
    assert dict(both.extra) == {"x/a": 1, "x/b": 2}
    assert (Section("") + b).html == "<p>b</p>"  # no stray newline for an empty part
    assert a.html == "<p>a</p>" and a.sources == {"a.csv"}  # the parts are unchanged


def test_join_takes_strings_and_sections_and_extra_sources():
    joined = join(["<h3>T</h3>", Section("<p>s</p>", frozenset({"s.csv"}))], sources=["t.csv"])
    assert joined.html == "<h3>T</h3>\n<p>s</p>"
    assert joined.sources == {"s.csv", "t.csv"}


def test_sources_of_reads_the_source_column_without_missing_values():
    frame = pd.DataFrame({"source": ["a.csv", None, "b.csv", "a.csv"]})
    assert sources_of(frame) == {"a.csv", "b.csv"}
    assert sources_of(None) == frozenset()
    assert sources_of(pd.DataFrame({"value": [1.0]})) == frozenset()


def test_provenance_is_the_renderers_mimetype_with_sorted_unique_sources():
    assert provenance(["b.csv", "a.csv", "b.csv"]) == {
        PROVENANCE_MIMETYPE: {"sources": ["a.csv", "b.csv"]}
    }


def test_paragraphs_escape_text_and_split_on_blank_lines():
    assert paragraph("5 < 6 & 'x'") == "<p>5 &lt; 6 &amp; &#x27;x&#x27;</p>"
    text = "First <b>one</b>.\r\n\r\nSecond.\n\n\n  \nThird."
    assert paragraphs(text) == ("<p>First &lt;b&gt;one&lt;/b&gt;.</p><p>Second.</p><p>Third.</p>")
    assert paragraphs("   ") == ""


def test_capital_changes_only_the_first_letter():
    assert capital("third quartile of 3") == "Third quartile of 3"
    assert capital("") == ""
    assert capital("eNGLAND") == "ENGLAND"


def test_source_list_lists_reports_and_records_the_sources():
    listed = source_list(["b.csv (release <2>)", "a.csv", "a.csv"])
    assert listed.html == "<ul><li>a.csv</li><li>b.csv (release &lt;2&gt;)</li></ul>"
    assert listed.sources == {"a.csv", "b.csv (release <2>)"}
    assert listed.extra == provenance(["a.csv", "b.csv (release <2>)"])


def test_an_empty_source_list_says_so_and_still_reports_nothing_to_the_renderer():
    empty = source_list([], empty="No figures were shown.")
    assert empty.html == "<p>No figures were shown.</p>"
    assert empty.sources == frozenset()
    assert empty.extra == {PROVENANCE_MIMETYPE: {"sources": []}}
    assert source_list([]).html == "<p>No data were used.</p>"


@pytest.mark.parametrize(
    ("schemes", "words"),
    [
        ({"tolerance"}, "below target tolerance"),
        ({"rag"}, "rated red"),
        ({"rag", "tolerance"}, "below target tolerance or rated red"),
        (["rag", "rag", "unknown"], "rated red"),
        (set(), "below target tolerance"),  # no plan places the indicators: tolerance
    ],
)
def test_off_target_words_name_an_exception_in_the_councils_schemes(schemes, words):
    assert off_target_words(schemes) == words
