"""perf.report.matrix: the performance matrix section (words, table, record), on a small
context built directly."""

from __future__ import annotations

import html
from dataclasses import replace
from html.parser import HTMLParser

import pandas as pd
import pytest
from conftest import DUDLEY

from perf import config
from perf.compare import direction_words
from perf.config import MATRIX_MIMETYPE
from perf.loaders.plans import SCHEMES
from perf.periods import parse_period
from perf.report.matrix import (
    NUMBER_COLUMNS,
    matrix,
    matrix_display,
    matrix_table,
    neighbour_header,
)


class TableParser(HTMLParser):
    """Every table's caption, header cells (with scope) and rows of cell text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append(
                {"id": attrs.get("id"), "caption": "", "rows": [], "scopes": [], "colspans": []}
            )
        elif tag == "caption":
            self._cell = []
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            if tag == "th":
                self.tables[-1]["scopes"].append(attrs.get("scope"))
            if "colspan" in attrs:
                self.tables[-1]["colspans"].append(int(attrs["colspan"]))

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[-1]["caption"] = "".join(self._cell).strip()
            self._cell = None
        elif tag in ("th", "td") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1]["rows"].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def parse_tables(page: str) -> list[dict]:
    parser = TableParser()
    parser.feed(page)
    return parser.tables


def matrix_parts(page: str) -> list[dict]:
    """The matrix's tables: on screen it is in parts no wider than the page (issue 25), each
    with the indicator's name first."""
    return [t for t in parse_tables(page) if (t["id"] or "").startswith("performance-matrix-")]


def matrix_rows(page: str) -> tuple[list[str], list[list[str]]]:
    """The matrix's header and its indicator rows (group-header rows left out), its parts
    joined side by side again."""
    header: list[str] = []
    rows: list[list[str]] = []
    for n, table in enumerate(matrix_parts(page)):
        head, *body = table["rows"]
        body = [r for r in body if len(r) == len(head)]
        header += head if n == 0 else head[1:]
        rows = body if n == 0 else [a + b[1:] for a, b in zip(rows, body)]
    return header, rows


@pytest.fixture
def section(make_neighbour_context):
    return matrix(make_neighbour_context())


def test_the_table_is_accessible(section):
    table = matrix_parts(section.html)[0]
    assert table["caption"].startswith(
        "Performance matrix: Dudley, 2024-25 Q4. Statistical "
        "neighbours: DfE statistical neighbours, 2025 model"
    )
    header, *_ = table["rows"]
    assert table["scopes"][: len(header)] == ["col"] * len(header)
    assert table["scopes"].count("rowgroup") == 3  # the set's two themes; Young people
    assert table["scopes"].count("row") == 3  # one row header per indicator
    assert set(table["colspans"]) == {len(header)}
    assert '<span class="perf-symbol" aria-hidden="true">▲</span> Below target' in section.html


def test_every_column_the_issue_lists(section):
    header, _ = matrix_rows(section.html)  # in the parts' order: each column once
    assert sorted(header) == sorted(
        [
            "Indicator",
            "Latest",
            "Refers to",
            "Target",
            "Status against target",
            "Variation (SPC)",
            "Assurance (SPC)",
            "National rank",
            "National quartile",
            "Among statistical neighbours (2025 model)",
            "Among statistical neighbours (2021 model)",
            "Gap to England",
            "Gap to neighbours' mean",
            "Change since last quarter",
            "Change since previous year-end",
            "Change since same period last year",
            "Compared with England",
            "95% confidence interval",
            "Last three figures",
        ]
    )


def test_cells_in_words(make_neighbour_context):
    display = matrix_display(make_neighbour_context()).set_index("Indicator")
    local = display.loc["LAC per 10k (local)"]
    symbol, word = SCHEMES["tolerance"].labels["below"]
    # who gave the status, as the scorecard says it (the council gave none: calculated)
    assert local["Status against target"] == f"{symbol} {word} (calculated)"
    assert (local["Latest"], local["Target"]) == ("104.9", "98.8")
    assert local["Refers to"] == "January to March 2025"
    assert local["Variation (SPC)"] == "Common cause: no sign of change"
    assert local["Assurance (SPC)"] == "Hit and miss: the target is within the usual range"
    assert local["Change since last quarter"] == (
        f"{direction_words('worsening')}: 6.9 per 10,000 higher (7%), from 98.0 "
        "(October to December 2024)"
    )
    assert local["National rank"] == "Local measure: not published for other councils"
    assert local["Compared with England"] == "Not applicable: no England figure"
    cla = display.loc["Children looked after per 10,000"]
    assert cla["Refers to"] == "at 31 March 2025"
    assert cla["Target"] == "None set" and cla["Status against target"] == "No target set"
    assert cla["National quartile"].endswith("quartile of 15 local authorities")
    assert cla["Gap to England"] == "14 per 10,000 higher (21%)"
    assert cla["Gap to neighbours' mean"].endswith("(mean of 9 of 10)")
    assert cla["Change since last quarter"] == "Not applicable: not a quarterly figure"
    # no target: compared with England instead, statistically (a denominator is published)
    assert cla["Compared with England"] == (
        "Worse than England (statistically, at 95%): 14 per 10,000 higher (21%)"
    )
    assert cla["95% confidence interval"] == "74 to 88"
    assert cla["Last three figures"] == (
        "At 31 March 2023: 85; At 31 March 2024: 82; At 31 March 2025: 81"
    )
    neet = display.loc["NEET 16-17 (%)"]
    assert neet["Gap to England"] == "1.0 percentage points lower"  # points, not per cent
    assert neet["Variation (SPC)"] == "Too few figures (2; 5 needed)"
    assert neet["Change since same period last year"].endswith(
        "0.1 percentage points lower, from 2.5% (calendar year 2024)"
    )


def test_the_neighbour_without_a_figure_is_flagged_and_the_mean_said(section):
    assert "Statistical neighbours without a figure" in section.html
    assert (
        "Mean of 9 of 10 statistical neighbours (DfE statistical neighbours, 2025 "
        "model); no figure for Stockton-on-Tees (c)."
    ) in html.unescape(section.html)


def test_what_the_icons_mean_is_written_once_under_the_table(section):
    page = html.unescape(section.html)
    assert page.count("What the symbols and words mean") == 1
    assert page.index("What the symbols and words mean") > page.index("</table>")
    for sym, word in SCHEMES["tolerance"].labels.values():
        assert f"{sym} {word.lower()}" in page
    assert "Common cause means" in page and "hit and miss" in page


def test_the_2021_model_is_named_and_both_positions_in_a_year_of_change(make_neighbour_context):
    section = matrix(make_neighbour_context("2021"))
    table = matrix_parts(section.html)[0]
    assert "Statistical neighbours: DfE statistical neighbours, 2021 model" in table["caption"]
    header, _ = matrix_rows(section.html)
    assert header.index(neighbour_header("2021")) < header.index(neighbour_header("2025"))
    later = matrix(
        make_neighbour_context(period="2025-26", period_obj=parse_period("2025-26"))
    )  # not the year the model changed
    header, _ = matrix_rows(later.html)
    assert neighbour_header("2025") in header and neighbour_header("2021") not in header


def test_the_record_is_the_table_cell_for_cell(section):
    record = section.extra[MATRIX_MIMETYPE]
    header, rows = matrix_rows(section.html)  # the parts side by side, each column once
    width = 2 + len(header)
    assert record["columns"][:2] == ["Plan", "Priority"]
    assert sorted(record["columns"][2:width]) == sorted(header)
    assert record["columns"][width:] == NUMBER_COLUMNS
    at = {c: i for i, c in enumerate(record["columns"])}
    assert [[r[at[h]] for h in header] for r in record["rows"]] == rows
    assert [r[:2] for r in record["rows"]] == [
        ["Children's services core set", "Children in care"],
        ["Children's services core set", "Young people not in education, employment or training"],
        ["Council scorecard", "Young people"],
    ]
    numbers = {r[width]: r[width + 1 :] for r in record["rows"]}
    assert numbers["cla_rate"][:3] == [81.0, None, 67.0]
    assert numbers["dudley_lac_rate"][:2] == [104.9, 98.8]
    assert record["public"] is True and record["briefing"] == "2024-25 Q4"


def test_a_suppressed_figure_shows_its_symbol_in_the_table_and_the_record(make_neighbour_context):
    ctx = make_neighbour_context()
    latest = ctx.latest.copy()
    latest.loc["cla_rate", ["value", "flag"]] = [float("nan"), "c"]
    obs = ctx.obs.copy()
    hit = (
        (obs["indicator"] == "cla_rate")
        & (obs["area_code"] == DUDLEY)
        & (obs["period"] == "31 March 2025")
    )
    obs.loc[hit, ["value", "numerator", "flag"]] = [float("nan"), float("nan"), "c"]
    section = matrix(make_neighbour_context(latest=latest, obs=obs, funnels={}))
    record = section.extra[MATRIX_MIMETYPE]
    row = next(r for r in record["rows"] if "cla_rate" in r)
    assert row[3] == "[c]" and row[row.index("cla_rate") + 1] is None
    assert not any("81" in str(cell) for cell in row[3:]), row


def test_no_figures_still_reports_an_empty_matrix(make_neighbour_context):
    ctx = make_neighbour_context(scored=None, latest=make_neighbour_context().latest.iloc[0:0])
    section = matrix(ctx)
    assert "there is no performance matrix" in section.html
    assert section.extra[MATRIX_MIMETYPE]["rows"] == []


def test_matrix_table_escapes_text():
    display = pd.DataFrame(
        {"Plan": ["P"], "Priority": ["<b>"], "Indicator": ["x & y"], "Latest": ["1"]}
    )
    out = matrix_table(display, "Cap")
    assert "&lt;b&gt;" in out and "x &amp; y" in out and "<caption>Cap</caption>" in out


def test_the_full_matrix_opens_the_annex():
    # issue 25: At a glance is the front page; the full matrix is the annex's first part
    # (the printed matrix, one row per indicator, is in the themes)
    from perf.report.briefing import ANNEX, SECTIONS, Briefing

    assert ANNEX == "matrix" and list(SECTIONS)[:2] == ["masthead", "glance"]
    assert list(SECTIONS).index("funnels") == list(SECTIONS).index("benchmarking") + 1
    assert callable(Briefing.matrix) and callable(Briefing.funnels)
    source = (config.NOTEBOOKS_DIR / "briefing.py").read_text(encoding="utf-8")
    assert (
        source.index("b.glance()")
        < source.index("b.performance_summary()")
        < source.index("b.themes()")
        < source.index("b.matrix()")
    )
    assert 'neighbours: str = "2025"  # statistical-neighbour set' in source


def test_the_matrix_reads_the_contexts_verdicts(make_neighbour_context, monkeypatch):
    """Computed once: the section words the context's verdicts and computes nothing."""
    import perf.matrix

    def no_recomputing(*args, **kwargs):
        raise AssertionError("the matrix section computed a verdict the context holds")

    ctx = make_neighbour_context()
    monkeypatch.setattr(perf.matrix, "performance_matrix", no_recomputing)
    monkeypatch.setattr(perf.matrix, "neighbour_position", no_recomputing)
    verdicts = ctx.verdicts.copy()
    verdicts.loc["cla_rate", ["sn_position_2025", "sn_ranked_2025"]] = [7, 42]
    verdicts.loc["cla_rate", "sn_ranked_2021"] = 0
    cla = (
        matrix_display(replace(ctx, verdicts=verdicts))
        .set_index("Indicator")
        .loc["Children looked after per 10,000"]
    )
    assert cla[neighbour_header("2025")] == "7th of 42"
    assert cla[neighbour_header("2021")] == "No neighbours in the 2021 model"
