"""perf.tables: accessible HTML structure, number formats, symbols and their footnotes."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest

import perf.tables as tables_module
from perf.tables import (
    STATUS_LABELS,
    benchmark_table,
    format_value,
    key_activities_table,
    scorecard_table,
    summary_counts_table,
)


class _TableParser(HTMLParser):
    """Collects caption, header cells (with scope), body cells and footer text."""

    def __init__(self) -> None:
        super().__init__()
        self.caption: list[str] = []
        self.headers: list[tuple[str | None, str]] = []  # (scope, text)
        self.cells: list[str] = []
        self.footer: list[str] = []
        self.tags: list[str] = []
        self._stack: list[tuple[str, dict]] = []
        self._buffer: list[str] = []
        self.tables = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "table":
            self.tables += 1
        if tag in ("caption", "th", "td"):
            self._stack.append((tag, dict(attrs)))
            self._buffer = []
        if tag == "tfoot":
            self._stack.append(("tfoot", {}))

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td") and self._stack and self._stack[-1][0] == tag:
            _, attrs = self._stack.pop()
            text = "".join(self._buffer).strip()
            in_foot = any(t == "tfoot" for t, _ in self._stack)
            if tag == "caption":
                self.caption.append(text)
            elif in_foot:
                self.footer.append(text)
            elif tag == "th":
                self.headers.append((attrs.get("scope"), text))
            else:
                self.cells.append(text)
        if tag == "tfoot" and self._stack and self._stack[-1][0] == "tfoot":
            self._stack.pop()

    def handle_data(self, data):
        self._buffer.append(data)


def parse(html: str) -> _TableParser:
    parser = _TableParser()
    parser.feed(html)
    return parser


@pytest.fixture
def scorecard_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["LAC", "CL_EET", "CPP", "IA10"],
            "area_code": ["E08000027"] * 4,
            "period": ["2012-13 Q1"] * 4,
            "value": [104.94, 50.0, np.nan, 62.94],
            "target": [98.8, 65.0, 36.0, np.nan],
            "flag": [None, "p", "c", None],
            "status": ["below", "below", "no_data", "on_target_upper"],
            "symbol": ["▲", "▲", "–", "●"],
            "status_word": ["Below target", "Below target", "No data", "On target"],
            "direction": ["worsening", "improving", "not comparable", "no change"],
            "rank": [140, 20, np.nan, 75],
            "n_ranked": [152, 152, np.nan, 150],
            "quartile": ["D", "A", None, "B"],
            "comment": [
                "<p>Rose to 109.4 by the end of the quarter.</p>",
                None,
                None,
                "Drop in one team\nunder national review",
            ],
        }
    )


@pytest.fixture
def catalogue() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["LAC", "CL_EET", "CPP", "IA10"],
            "title": [
                "Looked-after children per 10,000",
                "Care leavers in EET",
                "Children on a child protection plan",
                "Initial assessments within 10 days",
            ],
            "unit": ["rate per 10,000", "%", "count", "%"],
            "decimals": [1, 0, 0, 1],
        }
    )


# --- format_value -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, decimals, flag, expected",
    [
        (62.94, "%", 1, None, "62.9%"),
        (104.94, "rate per 10,000", 1, None, "104.9"),
        (1234567, "count", 0, None, "1,234,567"),
        (1234.5, "number", 1, None, "1,234.5"),
        (174, "days", 0, None, "174"),
        (0.125, "%", 2, None, "0.13%"),  # half up, not the binary float's 0.12
        (-0.04, "%", 1, None, "0.0%"),  # never "-0.0"
        (np.nan, "%", 1, "c", "[c]"),
        (None, "count", 0, "[z]", "[z]"),
        (np.float32("nan"), "count", 0, None, "[x]"),
        (pd.NA, "count", 0, "x", "[x]"),
        (81.0, "rate per 10,000", 0, "p", "81 [p]"),
        (5.0, "count", 0, "ex", "5 [ex]"),
    ],
)
def test_format_value(value, unit, decimals, flag, expected) -> None:
    assert format_value(value, unit, decimals, flag) == expected


# --- scorecard ----------------------------------------------------------------------


def test_scorecard_structure(scorecard_rows, catalogue) -> None:
    html = scorecard_table(
        scorecard_rows.drop(columns=[]),
        caption="Young people: indicators, 2012-13 Q1",
        catalogue=catalogue,
    )
    parsed = parse(html)
    assert parsed.tables == 1
    assert parsed.caption == ["Young people: indicators, 2012-13 Q1"]
    col_headers = [text for scope, text in parsed.headers if scope == "col"]
    assert col_headers == [
        "Performance indicator",
        "Actual",
        "Target",
        "Status",
        "Direction of travel",
        "Rank of all councils (quartile)",
        "Comment",
    ]
    row_headers = [text for scope, text in parsed.headers if scope == "row"]
    assert row_headers == catalogue["title"].tolist()
    assert all(scope in {"col", "row"} for scope, _ in parsed.headers)
    # caption is the table's first child
    assert parsed.tags[parsed.tags.index("table") + 1] == "caption"


def test_scorecard_values_symbols_and_words(scorecard_rows, catalogue) -> None:
    parsed = parse(scorecard_table(scorecard_rows, caption="c", catalogue=catalogue))
    rows = [parsed.cells[i : i + 6] for i in range(0, len(parsed.cells), 6)]
    assert rows[0][:5] == [
        "104.9",
        "98.8",
        "▲ Below target tolerance",
        "Worsened",
        "140 of 152 (D)",
    ]
    assert rows[1][:2] == ["50% [p]", "65%"]
    assert rows[2][:5] == ["[c]", "36", "– No data", "Not comparable", "[x]"]
    assert rows[3][:4] == [
        "62.9%",
        "[z]",
        "● On target (upper half of tolerance)",
        "No change within tolerance",
    ]


def test_one_visual_language_status_symbols_and_direction_words(scorecard_rows, catalogue):
    from perf.scoring import STATUSES

    # status against target is the council's scheme, word for word
    assert STATUS_LABELS == {k: (v.symbol, v.word) for k, v in STATUSES.items()}
    html = scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)
    direction = [
        c
        for c in parse(html).cells
        if c in ("Worsened", "Not comparable", "No change within tolerance")
    ]
    assert len(direction) == 3
    # direction of travel never borrows an arrow or a status symbol
    cells = parse(html).cells
    assert not any(arrow in c for c in cells for arrow in "↑↓→▼")
    assert not hasattr(tables_module, "DIRECTION_LABELS")


def test_legend_false_leaves_the_legend_to_the_appendix(scorecard_rows, catalogue) -> None:
    footer = parse(
        scorecard_table(scorecard_rows, caption="c", catalogue=catalogue, legend=False)
    ).footer
    assert not any(line.startswith(("[c]", "[x]", "Status:")) for line in footer), footer


def test_scorecard_footnotes_explain_each_symbol_used(scorecard_rows, catalogue) -> None:
    footer = parse(scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)).footer
    for expected in (
        "[c] = confidential",
        "[x] = not available",
        "[z] = not applicable",
        "[p] = provisional",
    ):
        assert any(line.startswith(expected) for line in footer), (expected, footer)
    assert not any(line.startswith("[r]") for line in footer)


def test_no_symbol_footnote_when_nothing_is_missing(catalogue) -> None:
    rows = pd.DataFrame(
        {"indicator": ["LAC"], "value": [81.0], "target": [80.0], "status": ["on_target_lower"]}
    )
    parsed = parse(scorecard_table(rows, caption="c", catalogue=catalogue))
    assert not any(line.startswith("[") for line in parsed.footer)
    # no direction, rank or comment data: those columns are left out, not filled with [x]
    assert [t for s, t in parsed.headers if s == "col"] == [
        "Performance indicator",
        "Actual",
        "Target",
        "Status",
    ]


def test_scorecard_status_not_by_colour_alone(scorecard_rows, catalogue) -> None:
    html = scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)
    assert "background-color: #" not in html.split("<table", 1)[1]
    assert "Below target" in html and "aria-hidden" in html


def test_scorecard_comment_sanitised_and_text_escaped(scorecard_rows, catalogue) -> None:
    rows = scorecard_rows.copy()
    rows.loc[1, "comment"] = '<img src=x onerror="alert(1)"><b>3 of 6</b>'
    cat = catalogue.copy()
    cat.loc[0, "title"] = "<script>alert(1)</script>LAC"
    html = scorecard_table(rows, caption="<i>c</i>", catalogue=cat)
    assert "<script>" not in html and "onerror" not in html
    assert "&lt;script&gt;" in html and "<caption>&lt;i&gt;c&lt;/i&gt;</caption>" in html
    assert "<b>3 of 6</b>" in html
    assert "<p>Drop in one team<br>under national review</p>" in html


def test_scorecard_does_not_mutate(scorecard_rows, catalogue) -> None:
    before, cat_before = scorecard_rows.copy(), catalogue.copy()
    scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)
    pd.testing.assert_frame_equal(scorecard_rows, before)
    pd.testing.assert_frame_equal(catalogue, cat_before)


def test_render_is_deterministic(scorecard_rows, catalogue) -> None:
    a = scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)
    b = scorecard_table(scorecard_rows, caption="c", catalogue=catalogue)
    assert a == b


# --- key activities -----------------------------------------------------------------


def test_key_activities() -> None:
    acts = pd.DataFrame(
        {
            "ref": ["YP2a", "TA4b", "RE5c"],
            "activity": ["Keep children safe", "Referral process", "Learning & skills"],
            "status": ["good", "excellent", "fair"],
            "progress": [
                "<p>Action plans are being implemented.</p> <p>A QA framework is in place.</p>",
                '96% referred on. <a href="javascript:alert(1)">more</a>',
                None,
            ],
            "lead_officer": ["Pauline Sharratt DCS", "Audrey Heer CEX", None],
        }
    )
    html = key_activities_table(acts, caption="Key activities, 2012-13 Q1")
    parsed = parse(html)
    assert parsed.caption == ["Key activities, 2012-13 Q1"]
    assert [t for s, t in parsed.headers if s == "col"] == [
        "Ref",
        "Key activity",
        "Status",
        "Progress",
        "Lead officer",
    ]
    assert [t for s, t in parsed.headers if s == "row"] == ["YP2a", "TA4b", "RE5c"]
    assert parsed.cells[1] == "✓ Good progress / on schedule"
    assert parsed.cells[5] == "★ Excellent progress / ahead of schedule"
    assert parsed.cells[9] == "▲ Fair progress / behind schedule"
    assert "Learning &amp; skills" in html
    assert html.count("<p>Action plans") == 1 and "javascript:" not in html


# --- summary counts -----------------------------------------------------------------


def test_summary_counts_by_priority() -> None:
    frame = pd.DataFrame(
        {
            "priority": ["Young people"] * 4 + ["Crime"] * 2,
            "status": ["exceeds", "below", "below", None, "on_target_upper", "below"],
        }
    )
    parsed = parse(summary_counts_table(frame, caption="Indicators by status", by="priority"))
    assert parsed.caption == ["Indicators by status"]
    heads = [t for s, t in parsed.headers if s == "col"]
    assert heads[0] == "Priority" and heads[-1] == "Total"
    assert "★ Exceeds target tolerance" in heads and "▲ Below target tolerance" in heads
    rows = [t for s, t in parsed.headers if s == "row"]
    assert rows == ["Crime", "Young people", "All"]
    by_row = {rows[i]: parsed.cells[i * 6 : (i + 1) * 6] for i in range(3)}
    # exceeds, upper, lower, below, no data, total
    assert by_row["Young people"] == ["1", "0", "0", "2", "1", "4"]
    assert by_row["Crime"] == ["0", "1", "0", "1", "0", "2"]
    assert by_row["All"] == ["1", "1", "0", "3", "1", "6"]


def test_summary_counts_activities_use_activity_labels() -> None:
    frame = pd.DataFrame({"status": ["good", "good", "excellent"]})
    parsed = parse(summary_counts_table(frame, caption="Activities"))
    heads = [t for s, t in parsed.headers if s == "col"]
    assert heads == [
        "Group",
        "★ Excellent progress / ahead of schedule",
        "✓ Good progress / on schedule",
        "▲ Fair progress / behind schedule",
        "Total",
    ]
    assert parsed.cells == ["1", "2", "0", "3"]


# --- benchmarking -------------------------------------------------------------------


def test_benchmark_table() -> None:
    bench = pd.DataFrame(
        {
            "area_code": ["E08000027", "E08000030", "E08000031", "E09000001"],
            "area_name": ["Dudley", "Walsall", "Wolverhampton", "City of London"],
            "value": [81.04, 95.5, np.nan, 12345.0],
            "flag": [None, None, "c", None],
            "rank": [2, 3, np.nan, 1],
            "quartile": ["A", "B", None, "A"],
            "n_ranked": [3, 3, 3, 3],
            "england_value": [67.0] * 4,
            "region_value": [88.2] * 4,
            "sn_mean": [95.5] * 4,
        }
    )
    html = benchmark_table(
        bench,
        caption="LAC per 10,000, 31 March 2025",
        unit="rate per 10,000",
        decimals=1,
        area_code="E08000027",
        neighbours=["E08000030", "E08000031"],
    )
    parsed = parse(html)
    rows = [t for s, t in parsed.headers if s == "row"]
    assert rows == [
        "Dudley (this council)",
        "Walsall",
        "Wolverhampton",
        "England",
        "Region",
        "Statistical-neighbour mean",
    ]
    assert parsed.cells[0:4] == ["81.0", "2 of 3", "A", "This council"]
    assert parsed.cells[8:10] == ["[c]", "[x]"]
    assert parsed.cells[12] == "67.0"
    assert any(line.startswith("[c] = confidential") for line in parsed.footer)
    assert 'style="font-weight: bold;" scope="row"' in html  # the council's row stands out
    everyone = parse(
        benchmark_table(
            bench,
            caption="all",
            unit="count",
            decimals=0,
            area_code="E08000027",
            only_area_and_neighbours=False,
        )
    )
    assert [t for s, t in everyone.headers if s == "row"][0] == "City of London"
    assert "12,345" in everyone.cells


def test_benchmark_table_comparators_are_the_councils_own_not_another_rows() -> None:
    # Each LA's region and neighbours differ; the table must quote the council's own row.
    bench = pd.DataFrame(
        {
            "area_code": ["E06000001", "E08000027"],
            "area_name": ["Hartlepool", "Dudley"],
            "region_name": ["North East", "West Midlands"],
            "value": [150.0, 81.0],
            "rank": [2, 1],
            "quartile": ["D", "A"],
            "n_ranked": [2, 2],
            "england_value": [67.0, 67.0],
            "region_value": [43.0, 86.0],
            "sn_mean": [44.0, 88.9],
        }
    )
    parsed = parse(
        benchmark_table(
            bench,
            caption="LAC",
            unit="rate per 10,000",
            decimals=1,
            area_code="E08000027",
            only_area_and_neighbours=False,
        )
    )
    rows = [t for s, t in parsed.headers if s == "row"]
    values = dict(zip(rows, parsed.cells[0::4]))
    assert values["West Midlands"] == "86.0"
    assert values["Statistical-neighbour mean"] == "88.9"


def test_benchmark_table_puts_an_unranked_area_last_with_nullable_integer_ranks() -> None:
    # perf.benchmarking gives rank as nullable Int64; an unranked area (no value) must not
    # crash the table (it did for the Isles of Scilly, 2024-25).
    bench = pd.DataFrame(
        {
            "area_code": ["E06000053", "E08000027"],
            "area_name": ["Isles of Scilly", "Dudley"],
            "value": [np.nan, 81.0],
            "flag": ["c", None],
            "rank": pd.array([pd.NA, 1], dtype="Int64"),
            "quartile": [None, "A"],
            "n_ranked": [1, 1],
            "england_value": [67.0, 67.0],
        }
    )
    parsed = parse(
        benchmark_table(
            bench,
            caption="LAC",
            unit="rate per 10,000",
            decimals=0,
            area_code="E08000027",
            only_area_and_neighbours=False,
        )
    )
    rows = [t for s, t in parsed.headers if s == "row"]
    assert rows[:2] == ["Dudley (this council)", "Isles of Scilly"]
