"""A plan's scorecard as an accessible HTML table, in the council's own status scheme.

One row per indicator in the plan's order: the council's reference, the indicator, the
figure (the year to date for a cumulative indicator, with the latest month beside it), the
target, the status shown (the council's own, or perf's calculation when the council gave
none, said which) and, in the internal view only, perf's calculation where it differs
from the council's. Status is a symbol and a word, never colour alone. Every symbol a
cell uses is explained in a note under the table, ``[ex]`` (illustrative) included.

Examples:
    >>> rows = pd.DataFrame({"indicator": ["a"], "ref": ["PI 1"], "title": ["Rate"],
    ...     "unit": ["%"], "decimals": [1], "value": [62.9], "target": [72.5], "flag": ["ex"],
    ...     "scheme": ["rag"], "shown_status": ["red"], "status_by": ["council"],
    ...     "perf_status": ["amber"], "disagrees": [True], "cumulative": [False]})
    >>> out = scorecard_html(rows, caption="Plan", internal=True)
    >>> "62.9% [ex]" in out and "</span> Red (council)" in out and "perf calculates" in out
    True
    >>> "perf calculates" in scorecard_html(rows, caption="Plan", internal=False)
    False
"""

from __future__ import annotations

import pandas as pd

from perf._numbers import is_missing
from perf.loaders.plans import SCHEMES
from perf.tables import SYMBOL_MEANINGS, esc, format_value, html_table, symbols_used

__all__ = ["ILLUSTRATIVE_NOTE", "scorecard_html", "status_html", "table_notes"]

#: The footnote every table or chart that shows an illustrative figure carries.
ILLUSTRATIVE_NOTE = ("[ex] = illustrative example figure, not published data: made up to "
                     "show how the report works; do not quote it.")


def status_html(status: object, scheme: str, by: object = None) -> str:
    """A status as symbol (hidden from screen readers) and word; who set it in brackets.

    >>> status_html("below", "tolerance", "perf")
    '<span class="perf-symbol" aria-hidden="true">▲</span> Below target tolerance (calculated)'
    >>> status_html(None, "rag"), status_html("red", "rag", "suppressed")
    ('none given', '[c]')
    """
    if by == "suppressed":
        return "[c]"
    if is_missing(status) or status not in SCHEMES[scheme].labels:
        return "none given"
    symbol, word = SCHEMES[scheme].labels[str(status)]
    who = {"council": " (council)", "perf": " (calculated)"}.get(str(by), "")
    return f'<span class="perf-symbol" aria-hidden="true">{esc(symbol)}</span> {esc(word)}{who}'


def table_notes(texts: list[str], extra: list[str] = ()) -> str:
    """Notes under a table: ``extra`` first, then the meaning of every symbol in ``texts``
    (the illustrative mark with its full warning)."""
    notes = list(extra)
    for symbol in symbols_used(texts):
        notes.append(ILLUSTRATIVE_NOTE if symbol == "ex" else
                     f"[{symbol}] = {SYMBOL_MEANINGS[symbol]}")
    return "".join(f'<p class="table-note">{esc(n)}</p>' for n in notes)


def scorecard_html(rows: pd.DataFrame, *, caption: str, internal: bool,
                   table_id: str | None = None) -> str:
    """The scorecard of one plan or priority (see the module docstring). ``rows`` are
    :func:`perf.assessment.place_and_compare` rows with title, unit and decimals."""
    records, cumulative, disagree = [], False, False
    by_council = by_perf = False
    for _, row in rows.iterrows():
        unit, decimals = str(row["unit"]), int(row["decimals"])
        figure = format_value(row["value"], unit, decimals, row.get("flag"))
        if bool(row.get("cumulative")):
            cumulative = True
            figure += " (year to date)"
            if not is_missing(row.get("month_value")):
                figure += (f"; {row['month_label']}: "
                           + format_value(row["month_value"], unit, decimals,
                                          row.get("month_flag")))
        scheme = str(row.get("scheme") or "tolerance")
        by_council |= row.get("status_by") == "council"
        by_perf |= row.get("status_by") == "perf"
        record = {
            "Ref": "" if is_missing(row.get("ref")) else str(row["ref"]),
            "Performance indicator": str(row["title"]),
            "Actual": figure,
            "Target": format_value(row["target"], unit, decimals,
                                   row.get("target_flag"), missing="z"),
            "Status": status_html(row.get("shown_status"), scheme, row.get("status_by")),
        }
        if internal:
            differs = bool(row.get("disagrees"))
            disagree |= differs
            record["perf's calculation (internal)"] = (
                "⚠ differs: perf calculates " + status_html(row.get("perf_status"), scheme)
                if differs else "")
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if not frame["Ref"].astype(bool).any():
        frame = frame.drop(columns="Ref")
    if internal and not disagree:
        frame = frame.drop(columns="perf's calculation (internal)")
    extra = []
    if by_council:
        extra.append("(council): the status the council gave. perf never replaces it; "
                     "the internal view shows where perf's own calculation differs.")
    if by_perf:
        extra.append("(calculated): the council gave no status, so perf calculated it from "
                     "the target and the tolerance declared in data/catalogue.csv.")
    if cumulative:
        extra.append("Cumulative indicators are scored on the year-to-date figure; the "
                     "latest month's figure is shown beside it.")
    scheme = str(rows["scheme"].iloc[0]) if "scheme" in rows and len(rows) else "tolerance"
    extra.append("Status: " + "; ".join(f"{sym} {word.lower()}" for sym, word in
                                        SCHEMES[scheme].labels.values()) + ".")
    html_cols = [c for c in ("Status", "perf's calculation (internal)") if c in frame]
    table = html_table(frame, caption, row_header="Performance indicator",
                       numeric=["Actual", "Target"], table_id=table_id, html_columns=html_cols)
    return table + table_notes(frame.astype(str).to_numpy().ravel().tolist(), extra)
