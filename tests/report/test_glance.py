"""perf.report.glance: At a glance, the briefing's first page (issue 25 item 3), on the real
Dudley 2024-25 briefing (the core set, no local figures) and the Leeds 2012-13 Q2 seed (the
council's own R/A/G statuses and its inspection update)."""

from __future__ import annotations

import html
import re

import pytest

from perf import config
from perf.charts.spine_layout import WIDTH as SPINE_WIDTH
from perf.charts.style import BACKGROUND, TEXT, contrast_ratio
from perf.report.briefing import ANNEX, SECTIONS
from perf.report.context import prepare
from perf.report.glance import (
    GLANCE_ITEMS,
    SPINE_PRINT_WIDTH,
    VS_ENGLAND_LABELS,
    biggest_changes,
    glance,
    spine_frame,
)


@pytest.fixture(scope="module")
def dudley():
    return prepare("Dudley", "2024-25")


@pytest.fixture(scope="module")
def leeds():
    return prepare("Leeds", "2012-13 Q2")


def _text(fragment: str) -> str:
    """The words a reader sees: no style, no tags, no hidden facts table's markup."""
    fragment = re.sub(r"<style>.*?</style>", " ", fragment, flags=re.S)
    fragment = re.sub(r"<img\b[^>]*>", " ", fragment)
    fragment = re.sub(r'<table class="perf-spine-facts".*?</table>', " ", fragment, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_at_a_glance_opens_the_briefing():
    # on main the matrix came first and At a glance did not exist; the first page is now
    # the title, the masthead and At a glance, the cover after it
    assert list(SECTIONS)[:3] == ["masthead", "glance", "cover"]
    source = (config.NOTEBOOKS_DIR / "briefing.py").read_text(encoding="utf-8")
    assert source.index("b.masthead()") < source.index("b.glance()") < source.index("b.cover()")
    assert list(SECTIONS).index("exceptions") < list(SECTIONS).index("themes")
    assert list(SECTIONS).index("themes") < list(SECTIONS).index(ANNEX)


def test_the_tally_counts_the_verdicts_with_a_symbol_and_a_word_per_tile(dudley):
    page = glance(dudley).html
    tiles = re.findall(
        r'<li data-status="([^"]+)" style="border-left-color:([^"]+)">'
        r'<span class="perf-symbol" aria-hidden="true">(.)</span> <strong>(\d+)</strong> '
        r"([^<]+)</li>",
        page,
    )
    published = dudley.verdicts[dudley.verdicts["status"].isna()]
    counts = published["vs_england"].fillna("not compared").value_counts()
    assert {key: int(n) for key, _, _, n, _ in tiles} == {
        key: int(counts.get(key, 0)) for key in VS_ENGLAND_LABELS
    }
    assert sum(int(n) for *_, n, _ in tiles) == len(published) == 29
    for key, colour, symbol, _, word in tiles:
        assert (symbol, word) == VS_ENGLAND_LABELS[key]  # never colour alone
    assert "compared with England:" in _text(page)  # what the short words compare
    # the words are ink on the tile's white: the contrast never depends on the colour band
    assert contrast_ratio(TEXT, BACKGROUND) >= 4.5


def test_the_councils_own_statuses_are_tallied_in_its_own_scheme(leeds):
    page = glance(leeds).html
    shown = leeds.verdicts["status"].dropna().astype(str).value_counts()
    for status, n in shown.items():
        assert re.search(rf'<li data-status="{status}"[^>]*>.*?<strong>{n}</strong>', page), status
    assert f"{int(shown.sum())} indicators with the council's own status" in _text(page)


def test_most_improved_and_worsened_are_the_largest_relative_changes(dudley):
    v = dudley.verdicts
    for direction in ("improving", "worsening"):
        moved = v[(v["direction"] == direction) & v["direction_change_pct"].notna()]
        expected = moved["direction_change_pct"].abs().sort_values(ascending=False).index
        got = biggest_changes(dudley, direction)
        assert list(got.index) == list(expected[:GLANCE_ITEMS])
    text = _text(glance(dudley).html)
    top = biggest_changes(dudley, "worsening").iloc[0]
    # both periods named: like for like
    assert f"({top['period_words']}), from" in text and f"({top['direction_period_words']})" in text


def test_the_standing_against_england_is_the_verdicts(dudley):
    v = dudley.verdicts
    compared = v[v["vs_england"].isin(["better", "similar", "worse"])]["vs_england"]
    c = compared.value_counts()
    assert (
        f"Of {len(compared)} indicators compared with England, Dudley is better on "
        f"{c['better']}, similar on {c['similar']} and worse on {c['worse']}."
    ) in _text(glance(dudley).html)


def test_ofsted_in_a_sentence_and_the_councils_inspection_update(dudley, leeds):
    assert (
        "Ofsted, October 2022: requires improvement to be good, overall and in every judgement."
        in _text(glance(dudley).html)
    )
    update = leeds.narrative_of("inspection")
    assert update is not None  # Leeds 3.8, where the seed puts it
    first = " ".join(str(update["text"].iloc[0]).split())[:60]
    assert first in _text(glance(leeds).html)


def test_the_spine_chart_is_on_the_page_one_row_per_published_indicator(dudley):
    page = glance(dudley).html
    frame = spine_frame(dudley)
    assert len(frame) == 29
    assert page.count('<figure class="perf-chart perf-spine"') == 1
    assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]+', page)
    # under its own heading, which starts a printed page: the chart prints at the size it is
    # drawn (16 cm), its words at the charts' type scale (shrunk onto the first page they
    # printed at under 4 pt)
    assert '<h3 class="perf-spine-heading">Dudley against every English council</h3>' in page
    assert "h3.perf-spine-heading { break-before: page;" in page
    assert f"width: {SPINE_PRINT_WIDTH} !important; height: auto !important;" in page
    assert f'width="{SPINE_WIDTH}"' in page and SPINE_PRINT_WIDTH == "16cm"
    # the facts table is clipped in a one-pixel block (a table is as wide as its text: it
    # widened the printed page and pushed the figure off it)
    assert '<div style="position:absolute;width:1px;height:1px;overflow:hidden;' in page
    # one short source line: the annex lists the releases
    assert "Sources: DfE (listed in the annex)." in _text(page)


@pytest.mark.parametrize("which", ["dudley", "leeds"])
def test_at_a_glance_is_plain_english(which, dudley, leeds):
    text = _text(glance({"dudley": dudley, "leeds": leeds}[which]).html)
    for sentence in re.split(r"(?<=[.!?:])\s+(?=[A-Z0-9●◆■○★▲–])", text):
        words = re.sub(r"\([^)]*\)", "", sentence).split()  # dates in brackets aside
        assert len(words) <= 30, sentence
    for word in ("perf", "catalogue", "seed", ".csv", ".parquet", "sha256", "Byar"):
        assert word not in text.lower().replace("performance", ""), word


#: Words for developers, not a committee (issue 25 item 5): the annex may name them.
DEVELOPER_WORDS = (
    r"\bperf\b",
    r"\bcatalogue\b",
    r"\bseed\b",
    r"\.csv\b",
    r"\.parquet\b",
    r"\.xlsx\b",
    r"sha256",
    r"\bByar",
    r"Spiegelhalter",
)


@pytest.mark.parametrize(("area", "period"), [("Dudley", "2024-25"), ("Leeds", "2012-13 Q2")])
def test_the_public_body_before_the_annex_speaks_to_a_committee(area, period):
    from perf.report.briefing import Briefing

    b = Briefing(area, period)
    names = list(SECTIONS)
    body = _text("\n".join(getattr(b, n)().html for n in names[: names.index(ANNEX)]))
    for pattern in DEVELOPER_WORDS:
        found = re.search(pattern, body, flags=re.I)
        assert found is None, body[max(0, found.start() - 80) : found.end() + 80]
    # each footnote once: the [ex] note and the [c] promise are not repeated under tables
    assert body.count("made up to show how the report works") <= 1
    assert body.count("are shown as [c]") <= 1
    # 'Not applicable' cells are collapsed: never a column of them
    assert body.count("Not applicable") <= 3
