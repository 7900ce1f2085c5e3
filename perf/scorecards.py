"""A plan's scorecard as an accessible HTML table, in the council's own status scheme.

One row per indicator in the plan's order: the council's reference, the indicator, the
figure (the year to date for a cumulative indicator, with the latest month beside it), the
target, the status shown (the council's own, or perf's calculation when the council gave
none, said which) and, in the internal view only, perf's calculation where it differs
from the council's. Status is a symbol and a word, never colour alone. The
illustrative mark ``[ex]`` is explained in a note under the table; every other symbol once,
in the appendix's legend.

Examples:
    >>> rows = pd.DataFrame({"indicator": ["a"], "ref": ["PI 1"], "title": ["Rate"],
    ...     "unit": ["%"], "decimals": [1], "value": [62.9], "target": [72.5], "flag": ["ex"],
    ...     "scheme": ["rag"], "shown_status": ["red"], "status_by": ["council"],
    ...     "perf_status": ["amber"], "disagrees": [True], "cumulative": [False]})
    >>> out = scorecard_html(rows, caption="Plan", internal=True)
    >>> "62.9% [ex]" in out and "</span> Red (council)</span>" in out and "perf calculates" in out
    True
    >>> "perf calculates" in scorecard_html(rows, caption="Plan", internal=False)
    False
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from perf._numbers import is_missing
from perf.loaders.plans import SCHEMES
from perf.tables import display_table, esc, format_value

__all__ = ["ILLUSTRATIVE_NOTE", "note_list", "scorecard_html", "status_html", "table_notes"]

#: The footnote every table or chart that shows an illustrative figure carries.
ILLUSTRATIVE_NOTE = (
    "[ex] = illustrative example figure, not published data: made up to "
    "show how the report works; do not quote it."
)


def status_html(status: object, scheme: str, by: object = None) -> str:
    """A status as symbol (hidden from screen readers) and words, with who set it in
    brackets: its own when the words have none, else joined into theirs, so that it reads as
    one phrase ("On target (upper half of tolerance; council)", not "...) (council)").

    >>> status_html("below", "tolerance", "perf")  # doctest: +NORMALIZE_WHITESPACE
    '<span class="status" data-status="below"><span class="perf-symbol"
    aria-hidden="true">▲</span> Below target tolerance (calculated)</span>'
    >>> status_html("on_target_upper", "tolerance", "council").split("</span> ")[1]
    'On target (upper half of tolerance; council)</span>'
    >>> status_html(None, "rag"), status_html("red", "rag", "suppressed")
    ('none given', '[c]')
    """
    if by == "suppressed":
        return "[c]"
    if is_missing(status) or status not in SCHEMES[scheme].labels:
        return "none given"
    symbol, word = SCHEMES[scheme].labels[str(status)]
    who = {"council": "council", "perf": "calculated"}.get(str(by))
    if who:
        word = f"{word[:-1]}; {who})" if word.endswith(")") else f"{word} ({who})"
    return (
        f'<span class="status" data-status="{esc(str(status))}"><span class="perf-symbol" '
        f'aria-hidden="true">{esc(symbol)}</span> {esc(word)}</span>'
    )


def table_notes(texts: list[str], extra: Sequence[str] = ()) -> str:
    """Notes under a table: ``extra``, each once. Symbols, the illustrative mark [ex] among
    them, are explained once: the cover's notice says what [ex] means where the briefing
    shows one, and the appendix's legend names every symbol (issue 25: a footnote under
    every table said the same thing eleven times). ``texts`` is kept for the callers.

    >>> table_notes(["1 [c]", "2 [ex]"], ["Cumulative."]).count('class="table-note"')
    1
    >>> table_notes(["2 [ex]"])
    ''
    """
    return "".join(f'<p class="table-note">{esc(n)}</p>' for n in note_list(texts, extra))


def note_list(texts: list[str], extra: Sequence[str] = ()) -> list[str]:
    """The notes :func:`table_notes` prints, as text (for a table's own source notes):
    ``extra``, without repeats.

    >>> note_list(["2 [ex]"], ["Cumulative.", "Cumulative."])
    ['Cumulative.']
    """
    return list(dict.fromkeys(extra))


def scorecard_html(
    rows: pd.DataFrame, *, caption: str, internal: bool, table_id: str | None = None
) -> str:
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
                figure += f"; {row['month_label']}: " + format_value(
                    row["month_value"], unit, decimals, row.get("month_flag")
                )
        scheme = str(row.get("scheme") or "tolerance")
        by_council |= row.get("status_by") == "council"
        by_perf |= row.get("status_by") == "perf"
        record = {
            "Ref": "" if is_missing(row.get("ref")) else str(row["ref"]),
            "Performance indicator": str(row["title"]),
            "Actual": figure,
            "Target": format_value(
                row["target"], unit, decimals, row.get("target_flag"), missing="z"
            ),
            "Status": status_html(row.get("shown_status"), scheme, row.get("status_by")),
        }
        if internal:
            differs = bool(row.get("disagrees"))
            disagree |= differs
            record["perf's calculation (internal)"] = (
                "⚠ differs: perf calculates " + status_html(row.get("perf_status"), scheme)
                if differs
                else ""
            )
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if not frame["Ref"].astype(bool).any():
        frame = frame.drop(columns="Ref")
    if internal and not disagree:
        frame = frame.drop(columns="perf's calculation (internal)")
    extra = []
    if by_council:
        extra.append(
            "(council): the status the council gave. This report never replaces it; "
            "its internal edition shows where a status calculated from the target differs."
        )
    if by_perf:
        extra.append(
            "(calculated): the council gave no status, so this report calculated it from "
            "the target and the tolerance in the indicator's definition (the annex)."
        )
    if cumulative:
        extra.append(
            "Cumulative indicators are scored on the year-to-date figure; the "
            "latest month's figure is shown beside it."
        )
    html_cols = [c for c in ("Status", "perf's calculation (internal)") if c in frame]
    return display_table(
        frame,
        caption=caption,
        stub="Performance indicator",
        html_columns=html_cols,
        right_align=["Actual", "Target"],
        notes=note_list(frame.astype(str).to_numpy().ravel().tolist(), extra),
        table_id=table_id,
    )
