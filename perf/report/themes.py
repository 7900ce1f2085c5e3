"""Performance by theme: the printed matrix. One table, a row group per theme (the core
set's, or the council's own plans and priorities), one row per indicator and at most
:data:`MAX_COLUMNS` columns, so that it fits an A4 page and a 1280 px screen without
scrolling. Each figure is said once, in its cell: no sentence repeats the table.

The cells are each verdict's words (:mod:`perf.report.words`): the latest figure with its
dates, the status in the council's own scheme with its target, the direction of travel
like for like, England's figure and the comparison with it, the council's rank and
quartile among every council and its place among its statistical neighbours. What a
table would repeat in every row is said once instead: a column nobody in the briefing has
a value for (no council target, say) is left out with a sentence saying why, and a local
measure's four national cells are one ("A local measure: ...").

Under the change, a sparkline of the indicator's last five figures like the one shown (plain
SVG, drawn without matplotlib: :mod:`perf.charts.sparkline`), where it has three or more: the
trend a single change cannot show. Its accessible name says the first and last figure with
their dates in the table's words; the Word pack, whose cells hold the words, leaves it out.

The full matrix (SPC, confidence intervals, changes over three periods, both neighbour
models) is in the annex, the CSV and the workbook.
"""

from __future__ import annotations

import pandas as pd

from perf._numbers import is_missing
from perf.alignment import label_words
from perf.charts.sparkline import sparkline_svg
from perf.charts.style import MUTED, PANEL
from perf.matrix import COMPANIONS
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.report.words import (
    VS_ENGLAND_WORDS,
    change_cell,
    is_local,
    latest_cell,
    neighbours_cell,
    rank_cell,
    status_cell,
    verdict_mark,
)
from perf.tables import format_value

__all__ = ["COLUMNS", "MAX_COLUMNS", "TREND_POINTS", "theme_rows", "theme_table", "themes", "trend"]

#: The most columns a printed table has (the issue's rule for the printed matrix).
MAX_COLUMNS = 8

#: The printed matrix's columns, each with its share of the page's width (%) with and
#: without the status column (left out when no indicator has a target or a status).
COLUMNS: dict[str, tuple[int, int]] = {
    "Indicator": (17, 21),
    "Latest": (13, 14),
    "Target and status": (12, 0),
    "Change": (13, 16),
    "England": (11, 11),
    "vs England": (11, 12),
    "Rank of councils": (11, 12),
    "Among similar councils": (12, 14),
}
#: How many figures a row's sparkline shows (the latest and those before it, like for like),
#: and how many it needs.
TREND_POINTS, TREND_MIN = 5, 3
#: The columns a local measure (no national figures) has nothing for: one cell says so.
_NATIONAL = ["England", "vs England", "Rank of councils", "Among similar councils"]
_LOCAL_WORDS = "A local measure: no figures for England or other councils to compare"

_STYLE = """<style>
.perf-themes table { width: 100%%; table-layout: fixed; }
.perf-themes td, .perf-themes th { overflow-wrap: break-word; padding: .25rem; }
.perf-themes th[scope="rowgroup"] { background: %(panel)s; text-align: left; }
.perf-themes .perf-when { color: %(muted)s; }
@media print {
  /* a theme's rows are few: the page may break before any row but a theme's first
     indicator (kept with its theme's header) and the table's first rows (kept with the
     caption and column headers); a row is never split */
  .perf-themes tbody tr:nth-child(-n+3), .perf-themes tbody tr:first-child {
    break-before: auto; page-break-before: auto; }
  .perf-themes tbody tr:nth-child(2), .perf-themes tbody:first-of-type tr:first-child {
    break-before: avoid; page-break-before: avoid; }
  .perf-themes tr { break-inside: avoid; page-break-inside: avoid; }
}
</style>""" % {"panel": PANEL, "muted": MUTED}


def _has_targets(ctx: Context) -> bool:
    """Whether any indicator in the briefing has a target or the council's own status."""
    v = ctx.verdicts
    if v is None or v.empty:
        return False
    return bool(v["target"].notna().any() or v["status"].notna().any())


def theme_rows(ctx: Context) -> list[tuple[tuple[str, str], pd.DataFrame]]:
    """The verdicts grouped by (plan, theme), in the briefing's order."""
    if ctx.verdicts is None or ctx.verdicts.empty:
        return []
    v = ctx.verdicts
    groups = v.groupby([v["plan"].astype(str), v["priority"].astype(str)], sort=False)
    return [(key, rows) for key, rows in groups]


def _columns(ctx: Context) -> list[str]:
    """The printed matrix's columns: the status column only when the briefing has a target
    or a council status."""
    return [c for c in COLUMNS if c != "Target and status" or _has_targets(ctx)]


def trend(ctx: Context, v: pd.Series) -> str:
    """The sparkline of a verdict's last :data:`TREND_POINTS` figures like the one shown
    (``series``), named in words with the first and last figure's dates and marks ([ex] on an
    illustrative one); "" with fewer than :data:`TREND_MIN` figures."""
    series = list(v.get("series") or ())[-TREND_POINTS:]
    figures = [(p, x, f) for p, x, f in series if not is_missing(x)]
    if len(figures) < TREND_MIN:
        return ""
    info = ctx.info(str(v["indicator"]))
    cumulative = bool(v.get("cumulative")) if not is_missing(v.get("cumulative")) else False

    def when(period: object) -> str:
        if str(period) == str(v["period"]) and not is_missing(v.get("period_words")):
            return str(v["period_words"])
        return label_words(str(period), cumulative=cumulative)

    def shown(period: object, value: object, flag: object) -> str:
        # each figure with its own mark ([ex] for an illustrative one, [p], [r] ...)
        mark = verdict_mark(v, ctx.flag(v["indicator"], ctx.area_code, period, flag))
        return f"{format_value(value, info.unit, info.decimals, mark)} ({when(period)})"

    name = (
        f"{info.title}, last {len(series)} figures: {shown(*figures[0])} to {shown(*figures[-1])}"
    )
    gaps = [when(p) for p, x, _ in series if is_missing(x)]
    if gaps:
        name += "; no figure for " + ", ".join(gaps)
    return sparkline_svg(
        [None if is_missing(x) else float(x) for _, x, _ in series],
        [str(p) for p, _, _ in series],
        polarity=str(info.polarity),
        unit=info.unit,
        decimals=info.decimals,
        name=name,
    )


def _row(
    ctx: Context, indicator: str, v: pd.Series, columns: list[str], beside: frozenset[str]
) -> str:
    """One indicator's row; ``beside`` holds the indicators in the same theme, so that a
    measure never shown without its companion (NEET with not known) says the companion's
    figure in its own comparison cell when the companion's row is not beside it."""
    info = ctx.info(indicator)
    cells = [f'<th scope="row">{esc(info.title)}</th>', f"<td>{latest_cell(ctx, v)}</td>"]
    if "Target and status" in columns:
        cells.append(f"<td>{status_cell(ctx, v)}</td>")
    line = trend(ctx, v)
    cells.append(f"<td>{esc(change_cell(ctx, v))}{'<br>' + line if line else ''}</td>")
    if is_local(v):
        cells.append(f'<td colspan="{len(_NATIONAL)}">{esc(_LOCAL_WORDS)}</td>')
    else:
        england = (
            format_value(v["england_value"], info.unit, info.decimals)
            if not is_missing(v["england_value"])
            else "No figure"
        )
        compared = VS_ENGLAND_WORDS.get(str(v["vs_england"]), "Not compared")
        companion = COMPANIONS.get(indicator)
        if companion is not None and companion not in beside:
            note = ctx.companion_note(indicator)
            compared += f" {note}" if note else ""
        cells += [
            f'<td class="num">{esc(england)}</td>',
            f"<td>{esc(compared)}</td>",
            f"<td>{esc(rank_cell(v))}</td>",
            f"<td>{esc(neighbours_cell(ctx, v))}</td>",
        ]
    return "<tr>" + "".join(cells) + "</tr>"


def theme_table(
    ctx: Context,
    groups: list[tuple[tuple[str, str], pd.DataFrame]],
    caption: str,
    table_id: str = "themes-table",
) -> str:
    """The printed matrix: one table, a row per indicator under a row-group header per
    theme, at most :data:`MAX_COLUMNS` columns in the page's proportions, a local measure's
    national cells collapsed into one."""
    columns = _columns(ctx)
    share = 0 if "Target and status" in columns else 1
    widths = "".join(f'<col style="width:{COLUMNS[c][share]}%">' for c in columns)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    plans = {plan for (plan, _), _ in groups}
    bodies = []
    for (plan, theme), rows in groups:
        title = theme if len(plans) == 1 else f"{theme} ({plan})"
        body = [f'<tr><th scope="rowgroup" colspan="{len(columns)}">{esc(title)}</th></tr>']
        beside = frozenset(str(i) for i in rows.index)
        body += [_row(ctx, str(i), v, columns, beside) for i, v in rows.iterrows()]
        bodies.append("<tbody>" + "".join(body) + "</tbody>")
    return (
        f'<table id="{esc(table_id, quote=True)}"><caption>{esc(caption)}</caption>'
        f"<colgroup>{widths}</colgroup><thead><tr>{head}</tr></thead>{''.join(bodies)}</table>"
    )


def _intro(ctx: Context) -> str:
    """What the table shows, said once for every theme, in short sentences."""
    sentences = ["The table gives each indicator's latest figure and the dates it covers."]
    if _has_targets(ctx):
        sentences.append("Target and status is the council's own status and its target.")
    sentences += [
        "Change compares the figure with the one before, like for like.",
        f"vs England says whether {ctx.area_name} is better, similar or worse than England.",
        "Rank of councils is its place among every council with a figure (1st is the best).",
        "Among similar councils is its place among the councils most like it: its "
        f"{ctx.neighbour_set()}.",
    ]
    parts = [paragraph(" ".join(sentences))]
    if not _has_targets(ctx):
        parts.append(
            paragraph(
                f"The council set no targets for {ctx.period}, so no indicator has a status: "
                "each is compared with England instead."
            )
        )
    parts.append(
        paragraph(
            "The annex gives every indicator's full record: control charts, confidence "
            "intervals and the changes over three periods."
        )
    )
    return "\n".join(parts)


def _figure_sources(ctx: Context, v: pd.Series) -> frozenset[str]:
    """The sources of the council's two figures a row quotes (its latest and the one its
    change is judged against)."""
    here = ctx.area_obs[ctx.area_obs["indicator"] == v["indicator"]]
    return sources_of(here[here["period"].isin([v["period"], v["direction_period"]])])


def themes(ctx: Context) -> Section:
    """Performance by theme, under its own heading: the printed matrix, one table with a
    row group per theme (each figure is said once, in its cell: no sentence repeats it)."""
    heading = '<h2 id="themes">Performance by theme</h2>'
    groups = theme_rows(ctx)
    if not groups:
        return Section(
            f"{heading}\n"
            + paragraph(f"No figures for {ctx.area_name} cover {ctx.period}, so there are none.")
        )
    caption = f"Performance by theme: {ctx.area_name}, {ctx.period}"
    parts = [_STYLE, heading, '<div class="perf-themes">', _intro(ctx)]
    parts.append(theme_table(ctx, groups, caption))
    sources = frozenset().union(
        *(_figure_sources(ctx, v) for _, rows in groups for _, v in rows.iterrows())
    )
    parts.append("</div>")
    return Section("\n".join(parts), sources)
