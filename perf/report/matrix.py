"""The full performance matrix, the annex's first part: one row per indicator it covers.

The numbers are the context's verdicts (:func:`perf.matrix.verdicts`, computed once by
``prepare``: the indicator set, then the council's other figures, grouped by plan and
priority); this module words them
with the words the other tables use (``perf.tables`` labels and :func:`format_value`,
:func:`perf.compare.direction_words`, :func:`perf.benchmarking.quartile_phrase`,
:func:`perf.summary.difference_phrase`). On screen the nineteen columns are shown in parts
(:data:`PRINT_PARTS`), each an accessible table no wider than the page: a caption, column
headers and row headers with ``scope``, a row-group header per priority, symbols always
followed by their word. Print and Word leave it out: the printed matrix is each theme's
table (:mod:`perf.report.themes`), and the same rows, cell for cell, go to the renderer as
:data:`perf.config.MATRIX_MIMETYPE`, which writes them beside the HTML as
``<notebook>.matrix.csv`` and ``.xlsx``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from perf._numbers import is_missing, ordinal, round_half_up
from perf.alignment import label_words
from perf.benchmarking import quartile_phrase
from perf.charts.style import PANEL
from perf.compare import COMPARISONS, DIRECTION_WORDS, direction_words
from perf.config import ENGLAND, MATRIX_MIMETYPE
from perf.disclosure import WITHHELD_TEXT, is_suppressed
from perf.loaders.plans import SCHEMES
from perf.matrix import SPC_MIN_POINTS
from perf.report.common import companion_note
from perf.report.context import UNTARGETED_GROUP, Context
from perf.report.display import (
    Section,
    capital,
    esc,
    paragraph,
    sources_of,
    target_words,
    vs_england_words,
)
from perf.summary import difference_phrase
from perf.tables import format_value

__all__ = [
    "NUMBER_COLUMNS",
    "matrix",
    "matrix_display",
    "matrix_frame",
    "matrix_record",
    "matrix_table",
    "neighbour_header",
]

#: SPC icons (perf.spc) in words.
VARIATION_WORDS = {
    "common cause": "Common cause: no sign of change",
    "special cause improving": "Special cause: improving",
    "special cause concerning": "Special cause: concerning",
    "special cause neither": "Special cause: a change, neither better nor worse",
}
ASSURANCE_WORDS = {
    "consistently pass": "Consistently passes the target",
    "consistently fail": "Consistently fails the target",
    "hit and miss": "Hit and miss: the target is within the usual range",
}
#: What each comparison is called in the column headers.
CHANGE_HEADERS = {
    "previous_quarter": "Change since last quarter",
    "previous_year_end": "Change since previous year-end",
    "same_period_last_year": "Change since same period last year",
}
#: Columns the CSV and XLSX add after the table's own: the figures as numbers.
NUMBER_COLUMNS = [
    "Indicator id",
    "Latest (number)",
    "Target (number)",
    "England (number)",
    "Neighbours' mean (number)",
    "Confidence interval, lower (number)",
    "Confidence interval, upper (number)",
]

#: The matrix's own styles; its colours are the palette's (perf.charts.style).
_STYLE = """<style>
.perf-matrix table { font-size: .9rem; }
.perf-matrix th[scope="rowgroup"] { background: %(panel)s; text-align: left; }
@media print {
  h2#annex { break-before: page; page-break-before: always; }
  .perf-screen-only { display: none; }
}
</style>""" % {"panel": PANEL}
#: The full matrix in parts of a few columns each, so that no table is wider than the page
#: (nineteen columns do not fit across one); the printed matrix is each theme's table
#: (:mod:`perf.report.themes`).
PRINT_PARTS = (
    ("latest figure and target", ("Latest", "Refers to", "Target", "Status against target")),
    (
        "variation and national position",
        ("Variation (SPC)", "Assurance (SPC)", "National rank", "National quartile"),
    ),
    (
        "neighbours and England",
        ("Among statistical neighbours", "Gap to England", "Gap to neighbours' mean"),
    ),
    (
        "significance and recent figures",
        ("Compared with England", "95% confidence interval", "Last three figures"),
    ),
    (
        "change over time",
        (
            "Change since last quarter",
            "Change since previous year-end",
            "Change since same period last year",
        ),
    ),
)


def print_parts(display: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The matrix's columns in :data:`PRINT_PARTS` (a column whose name starts with a
    part's entry belongs to it, so both neighbour models go together); every column lands in
    exactly one part.

    >>> display = pd.DataFrame(columns=["Plan", "Priority", "Indicator", "Latest",
    ...     "Among statistical neighbours (2025 model)", "Last three figures"])
    >>> [(name, list(part.columns)[3:]) for name, part in print_parts(display)]
    [('latest figure and target', ['Latest']), ('neighbours and England', ['Among statistical neighbours (2025 model)']), ('significance and recent figures', ['Last three figures'])]
    """
    fixed = ["Plan", "Priority", "Indicator"]
    parts, placed = [], set(fixed)
    for name, prefixes in PRINT_PARTS:
        columns = [
            c for c in display.columns if c not in placed and any(c.startswith(p) for p in prefixes)
        ]
        placed.update(columns)
        if columns:
            parts.append((name, display[fixed + columns]))
    left = [c for c in display.columns if c not in placed]
    if left:
        parts.append(("other columns", display[fixed + left]))
    return parts


def matrix_frame(ctx: Context) -> pd.DataFrame:
    """The matrix's numbers: the context's verdicts (:func:`perf.matrix.verdicts`, computed
    once by ``prepare``), in the briefing's order."""
    if ctx.verdicts is None:
        return pd.DataFrame()
    return ctx.verdicts.reset_index(drop=True)


# --- words for each cell ---------------------------------------------------------------


def _ex(row: pd.Series, flag: object = None) -> object:
    """The flag a number derived from the row's figures shows: [ex] when any of them is
    illustrative (an interval, a change, a gap from a made-up figure is made up too)."""
    return "ex" if bool(row.get("example")) and is_missing(flag) else flag


def _value(
    row: pd.Series, value: object, ctx: Context, flag: object = None, period: object = None
) -> str:
    shown_flag = ctx.flag(row["indicator"], ctx.area_code, period or row["period"], flag)
    return format_value(value, row["unit"], int(row["decimals"]), shown_flag)


def _status(row: pd.Series, ctx: Context) -> str:
    """The status in the council's own scheme, saying who gave it; perf's recalculation
    beside it only in the internal edition."""
    if row["role"] == "context":
        return "Context: no status (demand or volume)"
    if row["status_by"] == "suppressed":
        return "[c]"
    scheme = row["scheme"] if row["scheme"] in SCHEMES else "tolerance"
    if is_missing(row["status"]):
        return "No target set" if is_missing(row["target"]) else "No data"
    symbol, word = SCHEMES[scheme].labels.get(str(row["status"]), ("", capital(str(row["status"]))))
    who = {"council": "council", "perf": "calculated"}.get(str(row["status_by"]))
    text = f"{symbol} {word}".strip() + (f" ({who})" if who else "")
    if not ctx.public and bool(row["disagrees"]) and not is_missing(row["perf_status"]):
        sym, words = SCHEMES[scheme].labels.get(
            str(row["perf_status"]), ("", str(row["perf_status"]))
        )
        text += f"; perf calculates {sym} {words}".rstrip()
    if bool(row.get("example")):
        text += " [ex]"
    return text


def _target(row: pd.Series) -> str:
    if row["role"] == "context":
        return "None: context"
    if not is_missing(row["target"]):
        return target_words(row)
    if (row["plan"], row["priority"]) == UNTARGETED_GROUP:
        return "None supplied"
    return "None set"


def _spc(row: pd.Series) -> tuple[str, str]:
    points = 0 if is_missing(row["spc_points"]) else int(row["spc_points"])
    if is_missing(row["variation"]):
        few = f"Too few figures ({points}; {SPC_MIN_POINTS} needed)"
        return few, few
    variation = VARIATION_WORDS.get(str(row["variation"]), capital(str(row["variation"])))
    if not is_missing(row["assurance"]):
        assurance = ASSURANCE_WORDS.get(str(row["assurance"]), capital(str(row["assurance"])))
    elif row["polarity"] not in ("high", "low"):
        assurance = "No better direction, so no assurance"
    else:
        assurance = "No target"
    return variation, assurance


def _local(row: pd.Series) -> bool:
    return row["measure"] == "local" or (is_missing(row["measure"]) and not row["benchmarked"])


def _national(row: pd.Series, ctx: Context) -> tuple[str, str]:
    if not row["benchmarked"]:
        if _local(row):
            return ("Local measure: not published for other councils", "Not applicable")
        return "Not benchmarked", "Not applicable"
    quartile = capital(quartile_phrase(row["quartile"], row["n_ranked"], row["not_ranked_reason"]))
    if row["polarity"] not in ("high", "low") and not quartile.startswith("Context"):
        quartile = "Context: " + quartile[:1].lower() + quartile[1:]
    if is_missing(row["rank"]):
        reason = row["not_ranked_reason"]
        return (f"Not ranked ({reason})" if not is_missing(reason) else "Not ranked"), quartile
    rank = f"{ordinal(int(row['rank']))} of {int(row['n_ranked'])}"
    if row["polarity"] not in ("high", "low"):
        rank += " (context: lowest first)"
    return rank, quartile


def _neighbour_position(row: pd.Series, model: str) -> str:
    position, ranked = row[f"sn_position_{model}"], row[f"sn_ranked_{model}"]
    if is_missing(ranked):
        return "Not applicable" if _local(row) else "No neighbour figures"
    if int(ranked) == 0:
        return f"No neighbours in the {model} model"
    if is_missing(position):
        return "Not placed: no figure"
    text = f"{ordinal(int(position))} of {int(ranked)}"
    return text + (" (context: lowest first)" if row["polarity"] not in ("high", "low") else "")


def _gap(row: pd.Series, comparator: float, missing: str) -> str:
    if is_missing(row["value"]):
        return "Not available"
    if is_missing(comparator):
        return missing
    text = difference_phrase(
        float(comparator), float(row["value"]), unit=row["unit"], decimals=int(row["decimals"])
    )
    return text + (" [ex]" if bool(row.get("example")) else "")


def _gap_sn(row: pd.Series) -> str:
    if is_missing(row["sn_n"]):
        return "Not applicable" if _local(row) else "No neighbour figures"
    text = _gap(row, row["sn_mean"], "No neighbour figures")
    if not is_missing(row["sn_mean"]) and int(row["sn_n"]) < int(row["sn_of"]):
        text += f" (mean of {int(row['sn_n'])} of {int(row['sn_of'])})"
    return text


def _change(row: pd.Series, comparison: str, ctx: Context) -> str:
    before_period = row[f"{comparison}_period"]
    if is_missing(before_period):
        if comparison == "previous_quarter":
            return "Not applicable: not a quarterly figure"
        if comparison == "previous_year_end":
            return "No figure at the previous year-end"
        return "Not applicable"
    before = row[f"{comparison}_value"]
    if is_missing(before):
        flag = row[f"{comparison}_flag"]
        return f"No figure for {before_period}" + (f" [{flag}]" if not is_missing(flag) else "")
    if is_missing(row["value"]):
        return "Not comparable"
    direction, movement = str(row[f"{comparison}_direction"]), str(row[f"{comparison}_movement"])
    head = direction_words(direction, movement)
    phrase = difference_phrase(
        float(before), float(row["value"]), unit=row["unit"], decimals=int(row["decimals"])
    )
    shown = _value(row, before, ctx, row[f"{comparison}_flag"], before_period)
    mark = " [ex]" if bool(row.get("example")) else ""
    words = label_words(str(before_period), cumulative=_ytd(row))
    return f"{head}: {phrase}{mark}, from {shown} ({words})"


def _ytd(row: pd.Series) -> bool:
    """Whether the row's figures are the year to date (a cumulative indicator's quarters)."""
    return bool(row.get("cumulative")) and row.get("period_kind") == "financial_quarter"


def _significance(row: pd.Series, ctx: Context) -> str:
    if _local(row) and is_missing(row["england_value"]):
        return "Not applicable: no England figure"
    text = vs_england_words(row)
    note = companion_note(ctx, str(row["indicator"]))
    return text + (f" {note}" if note else "")


def _interval(row: pd.Series, ctx: Context) -> str:
    if is_missing(row["ci_lower"]) or is_missing(row["ci_upper"]):
        if _counts(ctx, row) == "settings":
            return "Not applicable: every setting is counted, not a sample"
        return (
            "Not available: no denominator"
            if row["unit"] in ("%", "rate per 10,000")
            else "Not applicable"
        )
    decimals, flag = int(row["decimals"]), _ex(row)
    return (
        f"{format_value(row['ci_lower'], row['unit'], decimals, flag)} to "
        f"{format_value(row['ci_upper'], row['unit'], decimals, flag)}"
    )


def _counts(ctx: Context, row: pd.Series) -> object:
    return ctx.catalogue_cell(row["indicator"], "counts")


def _recent(row: pd.Series, ctx: Context) -> str:
    parts = [
        f"{capital(label_words(period, cumulative=_ytd(row)))}: {_value(row, value, ctx, flag, period)}"
        for period, value, flag in (row["recent"] or ())
    ]
    return "; ".join(parts) if parts else "None published"


def _neighbour_models(ctx: Context, frame: pd.DataFrame) -> list[str]:
    """The models whose positions are shown: the briefing's, and in the year the model
    changed the other one too."""
    models = [ctx.neighbour_model]
    if frame.attrs.get("year_of_change"):
        models += [m for m in frame.attrs.get("models", {}) if m != ctx.neighbour_model]
    return models


def neighbour_header(model: str) -> str:
    return f"Among statistical neighbours ({model} model)"


def matrix_display(ctx: Context, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The matrix as the text of each cell (what the table shows and the CSV holds), with
    ``Plan`` and ``Priority`` first."""
    frame = matrix_frame(ctx) if frame is None else frame
    models = _neighbour_models(ctx, frame)
    records = []
    withheld = is_suppressed(frame).to_numpy()
    for i, (_, row) in enumerate(frame.iterrows()):
        variation, assurance = _spc(row)
        rank, quartile = _national(row, ctx)
        record = {
            "Plan": row["plan"],
            "Priority": row["priority"],
            "Indicator": row["title"],
            "Latest": _value(row, row["value"], ctx, row["flag"]),
            "Refers to": str(row["period_words"]),
            "Target": _target(row),
            "Status against target": _status(row, ctx),
            "Variation (SPC)": variation,
            "Assurance (SPC)": assurance,
            "National rank": rank,
            "National quartile": quartile,
        }
        for model in models:
            record[neighbour_header(model)] = _neighbour_position(row, model)
        record["Gap to England"] = _gap(
            row, row["england_value"], "Not applicable" if _local(row) else "No England figure"
        )
        record["Gap to neighbours' mean"] = _gap_sn(row)
        for comparison in ("previous_quarter", "previous_year_end", "same_period_last_year"):
            record[CHANGE_HEADERS[comparison]] = _change(row, comparison, ctx)
        record["Compared with England"] = _significance(row, ctx)
        record["95% confidence interval"] = _interval(row, ctx)
        record["Last three figures"] = _recent(row, ctx)
        if withheld[i]:  # disclosure control: nothing that judges or brackets the figure
            for column in (
                "Status against target",
                "Variation (SPC)",
                "Assurance (SPC)",
                "Compared with England",
                "95% confidence interval",
            ):
                record[column] = WITHHELD_TEXT
        records.append(record)
    columns = (
        [
            "Plan",
            "Priority",
            "Indicator",
            "Latest",
            "Refers to",
            "Target",
            "Status against target",
            "Variation (SPC)",
            "Assurance (SPC)",
            "National rank",
            "National quartile",
        ]
        + [neighbour_header(m) for m in models]
        + ["Gap to England", "Gap to neighbours' mean"]
        + [
            CHANGE_HEADERS[c]
            for c in ("previous_quarter", "previous_year_end", "same_period_last_year")
        ]
        + ["Compared with England", "95% confidence interval", "Last three figures"]
    )
    return pd.DataFrame.from_records(records, columns=columns)


# --- the table -----------------------------------------------------------------------------

_SYMBOLS = {label[0] for scheme in SCHEMES.values() for label in scheme.labels.values()}
_NUMERIC = ("Latest", "Target")


def _cell(text: str) -> str:
    """A cell's text as HTML: a leading symbol hidden from screen readers (its word
    follows), everything escaped."""
    head, _, rest = str(text).partition(" ")
    if head in _SYMBOLS and rest:
        return f'<span class="perf-symbol" aria-hidden="true">{esc(head)}</span> {esc(rest)}'
    return esc(str(text))


def matrix_table(display: pd.DataFrame, caption: str, table_id: str = "performance-matrix") -> str:
    """The matrix as one table: a ``<tbody>`` per plan and priority, opened by a row-group
    header; the indicator is each row's header."""
    columns = [c for c in display.columns if c not in ("Plan", "Priority")]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in _NUMERIC else ""}>{esc(c)}</th>' for c in columns)
    bodies = []
    for (plan, priority), group in display.groupby(["Plan", "Priority"], sort=False):
        rows = [
            f'<tr><th scope="rowgroup" colspan="{len(columns)}">{esc(priority)} '
            f"({esc(plan)})</th></tr>"
        ]
        for _, r in group.iterrows():
            cells = [f'<th scope="row">{esc(str(r["Indicator"]))}</th>']
            cells += [f"<td{num if c in _NUMERIC else ''}>{_cell(r[c])}</td>" for c in columns[1:]]
            rows.append("<tr>" + "".join(cells) + "</tr>")
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    return (
        f'<table id="{esc(table_id, quote=True)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead>{''.join(bodies)}</table>"
    )


def status_legend(frame: pd.DataFrame) -> str:
    """What the status column means, for the schemes and tolerances this matrix uses: the
    council's own scheme only, and the tolerance said to be the council's only where its
    plan declared it (else the one this report assumes, from the indicator definitions).

    >>> frame = pd.DataFrame({"status": ["red", None], "scheme": ["rag", "rag"],
    ...     "tolerance_by": ["catalogue", "catalogue"], "status_by": ["council", None]})
    >>> status_legend(frame)
    "The council's own status, in its scheme: G green; A amber; R red."
    >>> frame = pd.DataFrame({"status": ["below"], "scheme": ["tolerance"],
    ...     "tolerance_by": ["catalogue"], "status_by": ["perf"]})
    >>> status_legend(frame)[:140]
    "The council's own status, in its scheme: ★ exceeds target tolerance; ● on target (upper half of tolerance); ◐ on target (lower half of toler"
    """
    rated = frame[frame["status"].notna()] if len(frame) else frame
    if rated.empty:
        return (
            "No indicator has a target, so none has a status: each is compared with England "
            "instead (better, similar or worse)."
        )
    parts = []
    for scheme in dict.fromkeys(rated["scheme"].fillna("tolerance")):
        labels = SCHEMES[str(scheme)].labels
        parts.append("; ".join(f"{sym} {word.lower()}" for sym, word in labels.values()))
    text = "The council's own status, in its scheme: " + " / ".join(parts) + "."
    calculated = rated[rated["status_by"] == "perf"]
    if len(calculated):
        if calculated["tolerance_by"].eq("council").all():
            text += (
                " Where the council gave none, it is calculated from the target and the "
                "tolerance the council declared (marked calculated)."
            )
        else:
            text += (
                " Where the council gave none, it is calculated from the target and a "
                "tolerance this report assumes, not one the council declared (marked "
                "calculated; the indicator cards give each tolerance)."
            )
    return text


def _legend(ctx: Context, models: list[str], frame: pd.DataFrame | None = None) -> str:
    """What the symbols and words in the matrix mean, plainly, once."""
    direction = "; ".join(word.lower() for word in DIRECTION_WORDS.values())
    sets = " and ".join(
        f"the {ctx.neighbour_set() if m == ctx.neighbour_model else m + ' model'}" for m in models
    )
    items = [
        (
            "Status against target",
            status_legend(
                frame
                if frame is not None
                else pd.DataFrame(columns=["status", "scheme", "tolerance_by", "status_by"])
            ),
        ),
        (
            "Variation (SPC)",
            "statistical process control reads the council's own series. "
            "Common cause means the latest figure is within the usual ups and downs; special "
            "cause means a change unlikely to be chance (a figure beyond the process limits, 7 "
            "in a row on one side of the average or rising or falling, or 2 of 3 near a limit), "
            "judged improving or concerning by whether higher or lower is better. It needs at "
            f"least {SPC_MIN_POINTS} figures.",
        ),
        (
            "Assurance (SPC)",
            "whether the target will be met if things carry on as they are: "
            "consistently passes, consistently fails, or hit and miss (the target lies within "
            "the usual range, so some periods will meet it and some will not).",
        ),
        (
            "National rank and quartile",
            "the council's place among every local authority "
            "with a figure, 1st the best; the first quartile is the best quarter of councils. "
            "Where neither higher nor lower is better the indicator is context: ranked lowest "
            "first, with no quartile judgement.",
        ),
        (
            "Among statistical neighbours",
            f"the council's place among itself and its 10 "
            f"statistical neighbours with a figure, 1st the best, using {sets}.",
        ),
        (
            "Gaps",
            "the council's figure minus England's, and minus the average of its "
            "statistical neighbours with a figure; percentage points for percentages.",
        ),
        (
            "Change",
            f"against the figure for the last quarter, the end of the previous "
            f"financial year and the same period a year before; the word judges the change by "
            f"whether higher or lower is better: {direction}.",
        ),
        (
            "Compared with England",
            "better, similar or worse than England, by whether higher or lower is better. "
            "Where the number of children or young people behind the figure is published, "
            "statistically: a figure outside the 95% limits around England's differs by more "
            "than chance would explain (outside the 99.8% limits, very likely so). Otherwise "
            "by the size of the difference: similar when within the indicator's tolerance, "
            "or the same at the decimals shown. An indicator where neither direction is "
            "better is not compared.",
        ),
        (
            "95% confidence interval",
            "the range within which the council's underlying figure "
            "very probably lies, given how many children it is based on (Wilson score for "
            "percentages; exact Poisson or Byar's method for rates).",
        ),
        ("Last three figures", "the three most recent figures, oldest first."),
        (
            "[c], [x], [z]",
            "a figure suppressed to protect individuals, not available, or not "
            "applicable; the appendix lists every symbol.",
        ),
    ]
    body = "".join(f"<dt>{esc(term)}</dt><dd>{esc(capital(text))}</dd>" for term, text in items)
    return f'<h3>What the symbols and words mean</h3>\n<dl class="matrix-legend">{body}</dl>'


def _neighbour_notes(frame: pd.DataFrame) -> str:
    notes = [
        f"{row['title']}, {row['period']}: {row['sn_note']}"
        for _, row in frame.iterrows()
        if isinstance(row["sn_lacking"], tuple) and row["sn_lacking"]
    ]
    if not notes:
        return ""
    return (
        "<p>Statistical neighbours without a figure (the mean is of those that have "
        "one):</p><ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
    )


def _number(value: Any, decimals: int) -> float | None:
    if is_missing(value):
        return None
    return round_half_up(float(value), decimals)


def matrix_record(
    ctx: Context, display: pd.DataFrame, frame: pd.DataFrame, caption: str
) -> dict[str, object]:
    """The matrix as the mimetype the renderer writes to CSV and XLSX: the table's columns
    cell for cell, then :data:`NUMBER_COLUMNS` (the figures as numbers, at the precision
    shown; a suppressed figure is empty)."""
    rows = []
    for (_, cells), (_, row) in zip(display.iterrows(), frame.iterrows()):
        d = int(row["decimals"])
        rows.append(
            [str(c) for c in cells]
            + [
                row["indicator"],
                _number(row["value"], max(d, 2)),
                _number(row["target"], max(d, 2)),
                _number(row["england_value"], max(d, 2)),
                _number(row["sn_mean"], d + 1),
                _number(row["ci_lower"], d + 1),
                _number(row["ci_upper"], d + 1),
            ]
        )
    return {
        MATRIX_MIMETYPE: {
            "briefing": ctx.period,
            "area": ctx.area_name,
            "public": bool(ctx.public),
            "caption": caption,
            "neighbour_set": ctx.neighbour_set(),
            "columns": [*display.columns, *NUMBER_COLUMNS],
            "number_columns": NUMBER_COLUMNS,
            "rows": rows,
        }
    }


def _sources(ctx: Context, frame: pd.DataFrame) -> frozenset[str]:
    codes = {ctx.area_code, ENGLAND, *ctx.neighbour_codes}
    wanted: set[tuple[str, str]] = set()
    for _, row in frame.iterrows():
        periods = {str(row["period"]), *(str(p) for p, _, _ in (row["recent"] or ()))}
        periods |= {
            str(row[f"{c}_period"]) for c in COMPARISONS if not is_missing(row[f"{c}_period"])
        }
        wanted |= {(str(row["indicator"]), p) for p in periods}
    # one mask over every observation, not one per indicator
    near = ctx.obs[
        ctx.obs["area_code"].isin(codes) & ctx.obs["indicator"].isin({i for i, _ in wanted})
    ]
    keys = list(zip(near["indicator"].astype(str), near["period"].astype(str)))
    used = sources_of(near[[k in wanted for k in keys]])
    return used | sources_of(ctx.local_obs)


def matrix(ctx: Context) -> Section:
    """The annex's first part, under its own heading: the full performance matrix (on
    screen, in parts no wider than the page; in print and Word, the CSV and workbook hold
    it), what its symbols and words mean, and the rows for the renderer's CSV and XLSX."""
    frame = matrix_frame(ctx)
    display = matrix_display(ctx, frame)
    models = _neighbour_models(ctx, frame)
    caption = (
        f"Performance matrix: {ctx.area_name}, {ctx.period}. Statistical neighbours: "
        f"{ctx.neighbour_set()}"
        + (
            f" (positions under the {', '.join(models[1:])} model too, as the model "
            "changed this year)"
            if len(models) > 1
            else ""
        )
        + "."
    )
    record = matrix_record(ctx, display, frame, caption)
    heading = '<h2 id="annex">Annex A: the full performance matrix</h2>'
    if frame.empty:  # the record still goes: an empty CSV replaces an earlier one
        return Section(
            heading
            + paragraph(
                f"No figures for {ctx.area_name} cover {ctx.period}, so "
                "there is no performance matrix."
            ),
            extra=record,
        )
    shown = set(frame["indicator"]) if len(frame) else set()
    missing = [i for i in ctx.covered()["indicator"] if i not in shown]
    pieces = print_parts(display)
    parts = [
        _STYLE,
        heading,
        '<div class="perf-matrix">',
        paragraph(
            f"The full record of every indicator: its latest figure, status, control chart "
            f"signal, national rank and quartile, place among {ctx.area_name}'s statistical "
            "neighbours under each model, gaps, confidence interval, the changes since the "
            "last quarter, the previous year-end and the same period last year, and its last "
            "three figures. The same table is saved beside this report as a CSV file and an "
            "Excel workbook; on screen it is below, in parts."
        ),
        '<details class="perf-screen-only">',
        f"<summary>Show the full matrix, in {len(pieces)} parts</summary>",
        *[
            matrix_table(
                part,
                f"{caption[:-1]}: part {n} of {len(pieces)}, {name}.",
                table_id=f"performance-matrix-{n}",
            )
            for n, (name, part) in enumerate(pieces, start=1)
        ],
        "</details>",
        "</div>",
    ]
    if missing:
        titles = ", ".join(ctx.info(i).title for i in missing)
        parts.append(paragraph(f"No figure is published up to {ctx.period} for: {titles}."))
    parts.append(_neighbour_notes(frame))
    parts.append(_legend(ctx, models, frame))
    return Section("\n".join(p for p in parts if p), _sources(ctx, frame), record)
