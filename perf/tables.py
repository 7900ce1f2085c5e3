"""Accessible HTML tables for the committee report: scorecards, key activities,
summary counts and benchmarking.

Every table is built with `great_tables <https://posit-dev.github.io/great-tables/>`_,
which already writes real ``<th scope="col">`` column headers, ``<th scope="row">`` row
headers and ``headers=`` links on each cell, and escapes cell text. It has no
``<caption>`` (its title is a ``<td>`` inside ``<thead>``), so :func:`_render` adds one:
a caption is how screen readers announce a table and how a reader finds it in a list
of tables.

Rules the tables keep:

* Numbers are formatted by the indicator's unit and decimals (:func:`format_value`).
* A suppressed or missing figure shows its GSS symbol (``[c]``, ``[x]``, ``[z]``...) and
  the table carries a note explaining every symbol it uses.
* Status against target is the council's scheme, never colour alone: a symbol *and* a
  word (``★ Exceeds target tolerance``); direction of travel is words only ("Improved",
  "Worsened", "No change within tolerance"). No coloured backgrounds behind text; text is
  :data:`perf.charts.style.TEXT` (#0b0c0c; great-tables' own #333333 where ours does not
  reach) on white (contrast > 12:1).
* Narrative text (progress, comments) goes through :func:`perf.sanitise.clean_html`.
* ``legend=False`` leaves out the notes explaining symbols under a table: a briefing prints
  its legend once, in the appendix.
* Inputs are never modified.

Examples:
    >>> format_value(62.94, "%", 1)
    '62.9%'
    >>> format_value(float("nan"), "count", 0, flag="c")
    '[c]'
    >>> html = summary_counts_table(pd.DataFrame({"status": ["exceeds", "below", "below"]}),
    ...                             caption="Indicators by status")
    >>> "<caption>Indicators by status</caption>" in html, 'scope="col"' in html
    (True, True)
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from great_tables import GT, loc, style
from great_tables import html as gt_html

from perf._numbers import round_half_up
from perf.catalogue import indicator_info
from perf.charts.style import TEXT
from perf.compare import direction_words
from perf.sanitise import clean_html
from perf.scoring import ACTIVITY_STATUSES, STATUSES

esc = html_lib.escape

__all__ = [
    "ACTIVITY_STATUS_LABELS",
    "STATUS_LABELS",
    "SYMBOL_MEANINGS",
    "benchmark_table",
    "display_table",
    "format_value",
    "html_table",
    "key_activities_table",
    "scorecard_table",
    "summary_counts_table",
    "symbols_used",
]

#: GSS shorthand symbols (Analysis Function guidance on symbols in tables) and the
#: DfE/LAIT flags the tidy model carries, with the words a footnote uses for each.
SYMBOL_MEANINGS: dict[str, str] = {
    "c": "confidential: suppressed to protect individuals",
    "x": "not available",
    "z": "not applicable",
    "k": "rounds to zero",
    "low": "fewer than 0.5",
    "u": "low reliability",
    "p": "provisional",
    "r": "revised",
    "e": "estimated",
    "ot": "outturn",
    "ex": "illustrative example figure, not published data",
}
#: Older symbols some sources still use, mapped to their GSS equivalent.
_LEGACY_FLAGS = {":": "x", "..": "x", "-": "z"}

#: Indicator status against target, the council's scheme (:data:`perf.scoring.STATUSES`):
#: (symbol, word). The one symbol set for status; direction of travel is words only.
STATUS_LABELS: dict[str, tuple[str, str]] = {
    key: (status.symbol, status.word) for key, status in STATUSES.items()
}
#: Key-activity progress, as the Dudley report's legend defines it
#: (:data:`perf.scoring.ACTIVITY_STATUSES`).
ACTIVITY_STATUS_LABELS: dict[str, tuple[str, str]] = dict(ACTIVITY_STATUSES)

_BASE_CSS = """
#{id} caption {{ caption-side: top; text-align: left; font-weight: bold; font-size: 110%;
  color: {ink}; padding: 4px 5px 8px 5px; }}
#{id} .gt_table, #{id} .gt_col_heading, #{id} .gt_row, #{id} .gt_sourcenote {{ color: {ink}; }}
#{id} .gt_row p {{ margin: 0 0 0.4em 0; }}
#{id} .perf-symbol {{ font-size: 110%; }}
@media print {{ #{id} table {{ break-inside: auto; }} #{id} tr {{ break-inside: avoid; }}
  #{id} thead {{ display: table-header-group; }} }}
"""


# --- value formatting ---------------------------------------------------------------


def _normalise_flag(flag: Any) -> str | None:
    if not _present(flag):
        return None
    text = str(flag).strip().strip("[]").lower()
    if not text:
        return None
    return _LEGACY_FLAGS.get(text, text)


def format_value(
    value: Any,
    unit: str = "number",
    decimals: int = 0,
    flag: Any = None,
    *,
    missing: str = "x",
) -> str:
    """Format one figure for a table by its unit and decimals, GSS symbols for gaps.

    Args:
        value: the figure (NaN or None when suppressed or missing).
        unit: catalogue unit: ``"%"``, ``"rate per 10,000"``, ``"count"``, ``"number"``,
            ``"days"`` or ``"score"``.
        decimals: decimal places (catalogue ``decimals``).
        flag: the observation's GSS flag; a missing value shows it (``[c]``), a present
            value is followed by it (``81.0 [p]``).
        missing: the symbol for a missing value that has no flag (``x``: not available;
            pass ``"z"`` where a figure is not applicable, e.g. no target set).

    Examples:
        >>> format_value(104.94, "rate per 10,000", 1)
        '104.9'
        >>> format_value(12345, "count", 0)
        '12,345'
        >>> format_value(2.5, "%", 0)  # round half to even is not used: 2.5 -> 3
        '3%'
        >>> format_value(1.0, "percentage points", 1)
        '1.0 percentage points'
        >>> format_value(81, "rate per 10,000", 0, flag="p")
        '81 [p]'
        >>> format_value(None, "%", 1), format_value(float("nan"), "%", 1, flag=":")
        ('[x]', '[x]')
        >>> format_value(None, "%", 1, missing="z")
        '[z]'
    """
    symbol = _normalise_flag(flag)
    if not _present(value):
        return f"[{symbol or missing}]"
    number = round_half_up(float(value), int(decimals))
    text = f"{number:,.{int(decimals)}f}"
    if text.startswith("-") and float(text.replace(",", "").lstrip("-") or 0) == 0:
        text = text[1:]  # no "-0.0"
    if unit == "%":
        text += "%"
    elif unit == "percentage points":  # a gap or change of percentages, never "1.0%"
        text += " percentage points"
    if symbol:
        text += f" [{symbol}]"
    return text


_SYMBOL_IN_TEXT = re.compile(r"\[([a-z]+|:|\.\.)\]")


def symbols_used(texts: Iterable[str]) -> list[str]:
    """GSS symbols appearing in formatted cell texts, in :data:`SYMBOL_MEANINGS` order.

    >>> symbols_used(["[c]", "81 [p]", "62.9%", "[c]"])
    ['c', 'p']
    """
    found: set[str] = set()
    for text in texts:
        found.update(m for m in _SYMBOL_IN_TEXT.findall(str(text)) if m in SYMBOL_MEANINGS)
    return [s for s in SYMBOL_MEANINGS if s in found]


# --- building blocks ----------------------------------------------------------------


def _labelled(symbol: str, word: str) -> str:
    """Symbol hidden from screen readers (the word says it), then the word."""
    return (
        f'<span class="perf-symbol" aria-hidden="true">{html_lib.escape(symbol)}</span> '
        f"{html_lib.escape(word)}"
    )


def _status_cell(status: Any, labels: dict[str, tuple[str, str]]) -> str:
    key = str(status) if _present(status) else ""
    if key.lower() in labels:
        return _labelled(*labels[key.lower()])
    if not key:
        return _labelled("–", "No data")
    return html_lib.escape(key)


def _slug(text: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    slug = "-".join(part for part in slug.split("-") if part)
    return ("t-" + slug)[:60] or "t-table"


def _render(
    display: pd.DataFrame,
    *,
    caption: str,
    stub: str,
    stubhead: str,
    html_columns: Sequence[str] = (),
    right_align: Sequence[str] = (),
    notes: Sequence[str] = (),
    bold_rows: Sequence[int] = (),
    table_id: str | None = None,
    legend: bool = True,
) -> str:
    """Render a frame of display strings with great_tables and add the caption and notes
    (with ``legend``, a note for each GSS symbol the table uses).

    ``html_columns`` hold HTML we made safe ourselves (symbols, sanitised narrative); every
    other cell is escaped by great_tables.
    """
    table_id = table_id or _slug(caption)
    gt = GT(display, rowname_col=stub).tab_stubhead(stubhead).with_id(table_id)
    if html_columns:
        # fmt's return value is emitted unescaped: only our own, already-safe HTML goes here
        gt = gt.fmt(lambda cell: cell, columns=list(html_columns))
    if right_align:
        gt = gt.cols_align("right", columns=list(right_align))
    if bold_rows:
        rows = list(bold_rows)
        gt = gt.tab_style(style.text(weight="bold"), loc.body(rows=rows))
        gt = gt.tab_style(style.text(weight="bold"), loc.stub(rows=rows))
    symbols = symbols_used(display.astype(str).to_numpy().ravel()) if legend else []
    notes = list(notes) + [f"[{s}] = {SYMBOL_MEANINGS[s]}" for s in symbols]
    for note in notes:
        gt = gt.tab_source_note(_escaped_note(note))
    gt = gt.opt_css(_BASE_CSS.format(id=table_id, ink=TEXT))
    rendered = gt.as_raw_html(make_page=False)
    return _insert_caption(rendered, caption)


def _escaped_note(note: str) -> Any:
    # great_tables reads a plain-string source note as Markdown ("[c]" could become a link
    # reference); an html() wrapper around escaped text keeps it literal.
    return gt_html(html_lib.escape(note))


def _insert_caption(rendered: str, caption: str) -> str:
    # great_tables 1.1 has no <caption> (its tab_header title is a <td> in <thead>). The
    # caption must be the first child of <table>, so it goes straight after the opening tag.
    start = rendered.index("<table")
    end = rendered.index(">", start) + 1
    return rendered[:end] + f"\n<caption>{html_lib.escape(caption)}</caption>" + rendered[end:]


def _lookup(frame: pd.DataFrame, catalogue: pd.DataFrame | None) -> pd.DataFrame:
    """Bring title/unit/decimals from the catalogue where the frame lacks them."""
    out = frame.copy()
    infos = {i: indicator_info(i, catalogue) for i in out["indicator"].unique()}
    for column in ("title", "unit", "decimals"):
        fallback = out["indicator"].map(lambda i, c=column: getattr(infos[i], c))
        out[column] = out[column].fillna(fallback) if column in out.columns else fallback
    out["decimals"] = out["decimals"].astype(int)
    return out


def _get(row: pd.Series, column: str) -> Any:
    return row[column] if column in row.index else None


def _present(value: Any) -> bool:
    """False for None, NaN, pd.NA and NaT (whatever numpy or pandas type carries them)."""
    return not (value is None or (pd.api.types.is_scalar(value) and pd.isna(value)))


# --- tables -------------------------------------------------------------------------


def scorecard_table(
    rows: pd.DataFrame,
    *,
    caption: str,
    catalogue: pd.DataFrame | None = None,
    table_id: str | None = None,
    legend: bool = True,
) -> str:
    """The scorecard for one priority: PI, actual, target, status, direction, rank, comment.

    Args:
        rows: one row per indicator. Required: ``indicator``, ``value``, ``target``,
            ``status`` (from ``perf.scoring.score_against_target``). Optional: ``title``,
            ``unit``, ``decimals`` (else taken from ``catalogue``), ``flag``, ``direction``
            (``perf.compare``), ``rank``, ``n_ranked``, ``quartile`` (``perf.benchmarking``),
            ``comment`` (narrative, sanitised). A table column whose source column is
            absent (``direction``, ``rank``, ``comment``) is left out.
        caption: the table's caption, e.g. ``"Young people: indicators, 2012-13 Q1"``.
        catalogue: the indicator catalogue (``indicator``, ``title``, ``unit``, ``decimals``).
        table_id: HTML id (default: from the caption); give one if two captions coincide.

    Examples:
        >>> rows = pd.DataFrame({
        ...     "indicator": ["LAC", "IA10"], "title": ["LAC per 10,000", "Initial assessments"],
        ...     "unit": ["rate per 10,000", "%"], "decimals": [1, 1],
        ...     "value": [104.9, float("nan")], "target": [98.8, 72.5], "flag": [None, "c"],
        ...     "status": ["below", "no_data"], "direction": ["worsening", "not comparable"],
        ...     "rank": [140, None], "n_ranked": [152, None], "quartile": ["D", None]})
        >>> out = scorecard_table(rows, caption="Young people, 2012-13 Q1")
        >>> '<th scope="row"' in out and "104.9" in out and "Below target" in out
        True
        >>> "[c] = confidential" in out and "140 of 152 (D)" in out
        True
    """
    frame = _lookup(rows, catalogue)
    records = []
    for _, row in frame.iterrows():
        unit, decimals = row["unit"], int(row["decimals"])
        rank, n_ranked, quartile = _get(row, "rank"), _get(row, "n_ranked"), _get(row, "quartile")
        if _present(rank):
            rank_text = f"{int(rank)}" + (f" of {int(n_ranked)}" if _present(n_ranked) else "")
            if _present(quartile):
                rank_text += f" ({quartile})"
        else:
            rank_text = "[x]"
        direction = _get(row, "direction")
        comment = _get(row, "comment")
        records.append(
            {
                "Performance indicator": str(row["title"]),
                "Actual": format_value(row["value"], unit, decimals, _get(row, "flag")),
                "Target": format_value(row["target"], unit, decimals, missing="z"),
                "Status": _status_cell(row["status"], STATUS_LABELS),
                "Direction of travel": html_lib.escape(
                    direction_words(str(direction), _get(row, "movement"))
                )
                if _present(direction)
                else "[x]",
                "Rank of all councils (quartile)": rank_text,
                "Comment": clean_html(comment) if _present(comment) else "",
            }
        )
    columns = [
        "Performance indicator",
        "Actual",
        "Target",
        "Status",
        "Direction of travel",
        "Rank of all councils (quartile)",
        "Comment",
    ]
    # a column the caller has no data for (no benchmark yet, no commentary) is left out
    # rather than filled with [x]
    absent = {
        "Direction of travel": "direction",
        "Rank of all councils (quartile)": "rank",
        "Comment": "comment",
    }
    columns = [c for c in columns if c not in absent or absent[c] in frame.columns]
    display = pd.DataFrame.from_records(records, columns=columns)
    notes = (
        [
            "Status: "
            + "; ".join(f"{sym} {word.lower()}" for sym, word in STATUS_LABELS.values())
            + "."
        ]
        if legend
        else []
    )
    if "quartile" in frame.columns:
        notes.append("Quartile A is the best-performing quarter of councils, D the worst.")
    return _render(
        display,
        caption=caption,
        stub="Performance indicator",
        stubhead="Performance indicator",
        html_columns=[c for c in ("Status", "Direction of travel", "Comment") if c in columns],
        right_align=["Actual", "Target"],
        notes=notes,
        table_id=table_id,
        legend=legend,
    )


def display_table(
    display: pd.DataFrame,
    *,
    caption: str,
    stub: str,
    html_columns: Sequence[str] = (),
    right_align: Sequence[str] = (),
    notes: Sequence[str] = (),
    table_id: str | None = None,
) -> str:
    """A frame of display strings (built by a caller such as :mod:`perf.scorecards`) as a
    table in this module's one style: ``stub`` the row-header column, ``notes`` under the
    table, no symbol legend (a briefing prints it once). ``html_columns`` hold HTML the
    caller made safe; every other cell is escaped.

    >>> out = display_table(pd.DataFrame({"PI": ["A & B"], "Actual": ["5%"]}),
    ...                     caption="Cap", stub="PI", right_align=["Actual"], notes=["n"])
    >>> "<caption>Cap</caption>" in out and "A &amp; B" in out and ">n<" in out
    True
    """
    return _render(
        display,
        caption=caption,
        stub=stub,
        stubhead=stub,
        html_columns=html_columns,
        right_align=right_align,
        notes=notes,
        table_id=table_id,
        legend=False,
    )


def key_activities_table(
    activities: pd.DataFrame,
    *,
    caption: str,
    table_id: str | None = None,
    legend: bool = True,
) -> str:
    """Key activities: ref, activity, status (symbol and word), progress, lead officer.

    Args:
        activities: ``schema.KeyActivities`` rows (``ref``, ``activity``, ``status`` in
            excellent/good/fair, ``progress`` narrative, ``lead_officer``).
        caption: e.g. ``"Objective 2: keep vulnerable children safe, key activities"``.

    Examples:
        >>> acts = pd.DataFrame({"ref": ["YP2a"], "activity": ["Keep children safe"],
        ...     "status": ["good"], "lead_officer": ["Pauline Sharratt DCS"],
        ...     "progress": ["<p>Plans in place.</p><script>alert(1)</script>"]})
        >>> out = key_activities_table(acts, caption="Key activities")
        >>> "<p>Plans in place.</p>" in out, "<script>alert" in out, "Good progress" in out
        (True, False, True)
    """
    records = []
    for _, row in activities.iterrows():
        progress, lead = _get(row, "progress"), _get(row, "lead_officer")
        records.append(
            {
                "Ref": str(row["ref"]),
                "Key activity": str(row["activity"]),
                "Status": _status_cell(row["status"], ACTIVITY_STATUS_LABELS),
                "Progress": clean_html(progress) if _present(progress) else "",
                "Lead officer": str(lead) if _present(lead) else "",
            }
        )
    display = pd.DataFrame.from_records(
        records, columns=["Ref", "Key activity", "Status", "Progress", "Lead officer"]
    )
    notes = (
        [
            "Status: "
            + "; ".join(f"{sym} {word.lower()}" for sym, word in ACTIVITY_STATUS_LABELS.values())
            + "."
        ]
        if legend
        else []
    )
    return _render(
        display,
        caption=caption,
        stub="Ref",
        stubhead="Ref",
        html_columns=["Status", "Progress"],
        notes=notes,
        table_id=table_id,
        legend=legend,
    )


def summary_counts_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    status_col: str = "status",
    by: str | None = None,
    labels: dict[str, tuple[str, str]] | None = None,
    table_id: str | None = None,
    legend: bool = True,
) -> str:
    """How many indicators (or activities) have each status, overall or per group.

    Args:
        frame: one row per indicator or activity, with a status column.
        caption: the caption.
        status_col: the status column (``status`` by default).
        by: a grouping column such as ``priority``; ``None`` gives one "All" row.
        labels: status -> (symbol, word); default: indicator statuses, or activity
            statuses when every status is excellent/good/fair.

    Examples:
        >>> f = pd.DataFrame({"priority": ["Young people"] * 3 + ["Crime"],
        ...                   "status": ["exceeds", "below", "below", "no_data"]})
        >>> out = summary_counts_table(f, caption="Indicators by status", by="priority")
        >>> '<th scope="row" id="t-indicators-by-status-stub-1" class="gt_row gt_left gt_stub">Crime</th>' in out
        True
    """
    statuses = frame[status_col].fillna("no_data").astype(str).str.lower()
    if labels is None:
        labels = (
            ACTIVITY_STATUS_LABELS
            if len(statuses) and statuses.isin(list(ACTIVITY_STATUS_LABELS)).all()
            else STATUS_LABELS
        )
    groups = frame[by].astype(str) if by else pd.Series("All", index=frame.index)
    counts = pd.crosstab(groups, statuses)
    header = {key: f"{symbol} {word}" for key, (symbol, word) in labels.items()}
    display = pd.DataFrame(index=counts.index)
    for key in labels:
        display[header[key]] = counts[key] if key in counts.columns else 0
    other = [c for c in counts.columns if c not in labels]
    for key in other:
        display[key] = counts[key]
    display["Total"] = counts.sum(axis=1)
    if by and len(display) > 1:
        display.loc["All"] = display.sum(axis=0)
    display = display.astype(int).map(lambda n: f"{n:,}")
    stubhead = by.replace("_", " ").capitalize() if by else "Group"
    display = display.reset_index(names=stubhead)
    count_cols = [c for c in display.columns if c != stubhead]
    bold = [len(display) - 1] if by and len(display) > 1 else []
    return _render(
        display,
        caption=caption,
        stub=stubhead,
        stubhead=stubhead,
        right_align=count_cols,
        bold_rows=bold,
        table_id=table_id,
        legend=legend,
    )


def benchmark_table(
    bench: pd.DataFrame,
    *,
    caption: str,
    unit: str,
    decimals: int,
    area_code: str,
    neighbours: Sequence[str] = (),
    only_area_and_neighbours: bool = True,
    table_id: str | None = None,
    legend: bool = True,
) -> str:
    """Benchmarking: the area and its statistical neighbours ranked, with comparators.

    Args:
        bench: ``perf.benchmarking`` rows per LA: ``area_code``, ``area_name``, ``value``,
            ``flag``, ``rank``, ``quartile``, ``n_ranked`` and (same on every row)
            ``england_value``, ``region_value``, ``sn_mean``.
        caption: the caption.
        unit, decimals: how to format values (catalogue).
        area_code: the reporting council (its row is bold and labelled "this council").
        neighbours: ONS codes of its statistical neighbours.
        only_area_and_neighbours: ``False`` lists every LA.

    Examples:
        >>> b = pd.DataFrame({"area_code": ["E1", "E2", "E3"], "area_name": ["Dudley", "Walsall", "Bury"],
        ...     "value": [81.0, 95.5, float("nan")], "flag": [None, None, "c"], "rank": [1, 2, None],
        ...     "quartile": ["A", "B", None], "n_ranked": [2, 2, 2], "england_value": [67.0] * 3,
        ...     "region_value": [88.0] * 3, "sn_mean": [95.5] * 3})
        >>> out = benchmark_table(b, caption="LAC rate", unit="rate per 10,000", decimals=0,
        ...                       area_code="E1", neighbours=["E2", "E3"])
        >>> "Dudley (this council)" in out, "England" in out, "[c] = confidential" in out
        (True, True, True)
    """
    neighbours = list(neighbours)
    frame = bench.copy()
    if only_area_and_neighbours:
        frame = frame[frame["area_code"].isin([area_code, *neighbours])]
    # Unranked areas (no value) go last; rank may be a nullable Int64 column, which
    # refuses an infinite fill, so order on a float copy.
    frame = frame.assign(_order=frame["rank"].astype("float64").fillna(float("inf"))).sort_values(
        ["_order", "area_name"], kind="stable"
    )
    records = []
    for _, row in frame.iterrows():
        name = str(row["area_name"])
        role = ""
        if row["area_code"] == area_code:
            name += " (this council)"
            role = "This council"
        elif row["area_code"] in neighbours:
            role = "Statistical neighbour"
        rank, n_ranked = _get(row, "rank"), _get(row, "n_ranked")
        records.append(
            {
                "Area": name,
                "Value": format_value(row["value"], unit, decimals, _get(row, "flag")),
                "Rank": (f"{int(rank)}" + (f" of {int(n_ranked)}" if _present(n_ranked) else ""))
                if _present(rank)
                else "[x]",
                "Quartile": str(row["quartile"]) if _present(_get(row, "quartile")) else "[x]",
                "Compared as": role,
            }
        )
    # Comparators are the council's own: its region and its neighbours differ from the
    # other rows' (taking any other row's region value would be a silent error).
    own = bench[bench["area_code"] == area_code]
    if len(own):
        mine = own.iloc[0]
        region = _get(mine, "region_name")
        region_label = str(region) if _present(region) else "Region"
        for label, column in (
            ("England", "england_value"),
            (region_label, "region_value"),
            ("Statistical-neighbour mean", "sn_mean"),
        ):
            if column in bench.columns:
                records.append(
                    {
                        "Area": label,
                        "Value": format_value(mine[column], unit, decimals),
                        "Rank": "[z]",
                        "Quartile": "[z]",
                        "Compared as": "Comparator",
                    }
                )
    display = pd.DataFrame.from_records(
        records, columns=["Area", "Value", "Rank", "Quartile", "Compared as"]
    )
    bold = [i for i, r in enumerate(records) if r["Compared as"] == "This council"]
    notes = ["Rank 1 is the best-performing council; quartile A the best quarter."]
    return _render(
        display,
        caption=caption,
        stub="Area",
        stubhead="Area",
        right_align=["Value", "Rank"],
        notes=notes,
        bold_rows=bold,
        table_id=table_id,
        legend=legend,
    )


def html_table(
    frame: pd.DataFrame,
    caption: str,
    *,
    row_header: str | None = None,
    numeric: Sequence[str] = (),
    table_id: str | None = None,
    html_columns: Sequence[str] = (),
) -> str:
    """An accessible table: caption, column headers, the first (or ``row_header``) column as
    row headers, numbers right-aligned. Cell text is escaped, except in ``html_columns``
    (cells the caller built as HTML, e.g. status markers)."""
    cols = list(frame.columns)
    row_header = row_header or cols[0]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in numeric else ""}>{esc(str(c))}</th>' for c in cols)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for c in cols:
            text = (
                "" if pd.isna(row[c]) else (str(row[c]) if c in html_columns else esc(str(row[c])))
            )
            if c == row_header:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f"<td{num if c in numeric else ''}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="{esc(table_id, quote=True)}"' if table_id else ""
    return (
        f"<table{ident}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
