"""At a glance: the committee member's first page.

From the verdicts (one answer per indicator, :attr:`perf.report.context.Context.verdicts`):

* how many indicators have each status in the council's own scheme, where it set targets or
  gave statuses, and for the published measures without one how many are better, similar
  or worse than England: each tile a colour, a symbol and a word (never colour alone);
* what improved most and what worsened most, like for like (the verdicts' own directions,
  ranked by the size of the change relative to the figure before);
* what is off target and why, in the council's own commentary;
* where the council stands against England and its statistical neighbours;
* Ofsted's last judgements of its children's services, in a sentence (the cover's table
  gives each; inspections from April 2026 have no overall judgement, and it says so), and
  the council's own update on inspection beside them.

Then the spine chart (:mod:`perf.charts.spine`): every published indicator against the
range of English councils, England on the centre line, each row named by its one-line short
title. At a glance is the briefing's first printed page (after the title and the masthead);
the spine chart follows on a page of its own, printed at the size it is drawn
(:data:`SPINE_PRINT_WIDTH`), so its words keep the charts' type scale
(:data:`perf.charts.style.TYPE`, 7.5 pt at the least): the core set's 29 rows shrunk onto
the first page printed them at under 4 pt.
"""

from __future__ import annotations

import base64

import pandas as pd

from perf._numbers import is_missing, plural
from perf.assessment import off_target
from perf.charts.output import FIGURE_STYLE
from perf.charts.spine import COLUMNS as SPINE_COLUMNS
from perf.charts.spine import spine_chart
from perf.charts.spine_layout import COMPARISON_STYLE
from perf.charts.spine_layout import WIDTH as SPINE_WIDTH
from perf.charts.style import ACCENT, BACKGROUND, PALETTE, RULE, WARNING
from perf.config import ENGLAND
from perf.loaders.plans import SCHEMES
from perf.report.common import narrative_html, source_line
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.report.words import is_local, quartile_words
from perf.tables import format_value

__all__ = [
    "COLOURS",
    "GLANCE_ITEMS",
    "SPINE_PRINT_WIDTH",
    "biggest_changes",
    "glance",
    "inspection_summary",
    "spine_frame",
    "status_tally",
]

#: How many indicators the "improved most" and "worsened most" lists name.
GLANCE_ITEMS = 2
#: The spine chart's printed width: the width it is drawn for (605 CSS pixels, 16 cm), so
#: that its smallest words print at the charts' smallest size (7.5 pt); it starts a page
#: (the core set's 29 rows are 19 cm tall).
SPINE_PRINT_WIDTH = "16cm"

#: Each status's and comparison's colour (the palette's: perf.charts.style): a band beside
#: its symbol and word (the words are ink on white, so the text's contrast never depends on
#: it). The comparisons with England are the spine chart's markers' colours.
COLOURS: dict[str, str] = {
    "exceeds": ACCENT,
    "on_target_upper": PALETTE["neighbours"],
    "on_target_lower": PALETTE["neighbours"],
    "below": WARNING,
    "green": PALETTE["neighbours"],
    "amber": PALETTE["england"],
    "red": WARNING,
    **{key: style["fill"] for key, style in COMPARISON_STYLE.items()},
}
COLOURS["not compared"] = RULE  # an open marker on the chart: the tile's band is the rule
#: The comparison with England as a tile says it: (symbol, word), the symbols the spine
#: chart's markers' shapes (circle, diamond, square, open circle); the tiles follow the words
#: "compared with England:", so a word says the rest.
VS_ENGLAND_LABELS: dict[str, tuple[str, str]] = {
    "better": ("●", "Better"),
    "similar": ("◆", "Similar"),
    "worse": ("■", "Worse"),
    "not compared": ("○", "Not compared (no better direction)"),
}

_STYLE = """<style>
.perf-glance ul.perf-tally { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none;
  padding: 0; margin: .5rem 0 .75rem; }
.perf-glance ul.perf-tally li { border: 1px solid %(rule)s; border-left-width: .6rem;
  padding: .15rem .5rem; max-width: none; background: %(background)s; }
.perf-glance ul.perf-tally strong { font-size: 1.1rem; }
.perf-glance-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
.perf-glance-grid .perf-wide { grid-column: 1 / -1; }
.perf-glance h3 { font-size: 1.05rem; margin: .6rem 0 .2rem; }
.perf-glance ul { margin: 0; padding-left: 1.1rem; }
.perf-glance p { margin: .2rem 0; }
.perf-glance dl.perf-judgements { display: grid; grid-template-columns: auto 1fr;
  gap: 0 .75rem; margin: .2rem 0; }
.perf-glance dl.perf-judgements dt { font-weight: bold; }
.perf-glance dl.perf-judgements dd { margin: 0; }
/* the spine chart's facts table is hidden by clipping, but a table is as wide as its
   unwrapped text: clipped here too, it cannot widen the page (print would shrink it all) */
.perf-glance-spine figure { overflow: hidden; }
.perf-glance-spine { margin-top: 1rem; }
@media (max-width: 40rem) { .perf-glance-grid { grid-template-columns: 1fr; } }
@media print {
  /* one printed page at 12 pt: the masthead, the summary and the spine chart; the cover
     follows */
  .perf-glance { break-after: page; page-break-after: always; }
  h1 { margin-top: 0; }
  h2#at-a-glance { margin-top: .3rem; padding-top: .3rem; }
  .perf-glance h3 { font-size: 12pt; margin: .3rem 0 .1rem; }
  .perf-glance ul.perf-tally { margin: .2rem 0 .3rem; gap: .25rem; }
  .perf-glance ul.perf-tally li { padding: 0 .3rem; }
  .perf-glance ul.perf-tally strong { font-size: 12pt; }
  .perf-glance-spine { margin-top: .2rem; }
  /* the spine chart on a page of its own, at the size it is drawn: its words stay legible */
  .perf-glance-spine h3.perf-spine-heading { break-before: page; page-break-before: always;
    margin-top: 0; }
  .perf-glance-spine img { width: %(spine_width)s !important; height: auto !important;
    max-width: none; margin: 0; }
  .perf-glance-spine figure { margin: .2rem 0 0 !important; }
}
</style>""" % {"rule": RULE, "background": BACKGROUND, "spine_width": SPINE_PRINT_WIDTH}


def spine_frame(ctx: Context) -> pd.DataFrame:
    """The spine chart's rows (the frame :func:`perf.charts.spine.spine_chart` reads): each
    published indicator with a figure and a national table, in the briefing's order; the
    council's figure, England's, the worst and best council's (lowest and highest where
    neither is better), the 25th and 75th percentiles, and the verdict's comparison."""
    columns = [*SPINE_COLUMNS, "unit", "decimals"]
    rows = []
    for indicator, v in (ctx.verdicts if ctx.verdicts is not None else pd.DataFrame()).iterrows():
        bench = ctx.benchmarks.get(str(indicator))
        if bench is None or is_local(v) or is_missing(v["value"]) or not bool(v["benchmarked"]):
            continue
        values = pd.to_numeric(bench["value"], errors="coerce").dropna()
        if values.empty:
            continue
        low, high = float(values.min()), float(values.max())
        worst, best = (high, low) if v["polarity"] == "low" else (low, high)
        thresholds = bench.attrs.get("thresholds") or {}
        rows.append(
            {
                "indicator": str(indicator),
                "title": _short_title(ctx, str(indicator)),
                "value": float(v["value"]),
                "england": float(v["england_value"]),
                "worst": worst,
                "q1": float(thresholds.get("q1", float("nan"))),
                "q3": float(thresholds.get("q3", float("nan"))),
                "best": best,
                "polarity": v["polarity"] if v["polarity"] in ("high", "low") else "neither",
                "comparison": str(v["vs_england"] or "not compared"),
                "unit": ctx.info(str(indicator)).unit,
                "decimals": ctx.info(str(indicator)).decimals,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def _short_title(ctx: Context, indicator: str) -> str:
    """The indicator's one-line name (the catalogue's ``short_title``), else its title."""
    short = ctx.catalogue_cell(indicator, "short_title")
    return str(short) if isinstance(short, str) and short else ctx.info(indicator).title


#: The facts table's box, visually hidden: a table is as large as its text whatever its own
#: width and height (1,200 by 1,000 px for 29 rows), and Chromium's print moved the whole
#: figure to the next page to fit that invisible box; a block clips it to one pixel.
_HIDDEN = (
    '<div style="position:absolute;width:1px;height:1px;overflow:hidden;'
    'clip-path:inset(50%%);white-space:nowrap;">%s</div>'
)


def spine(ctx: Context) -> tuple[str, frozenset[str]]:
    """The spine chart of every published indicator against every English council, as a
    figure (a picture, so that print and Word show the same; its facts are a table screen
    readers reach), and the sources of the national figures it draws; "" when none has a
    national table."""
    frame = spine_frame(ctx)
    if frame.empty or ctx.verdicts is None:
        return "", frozenset()
    used = ctx.obs[
        ctx.obs["indicator"].isin(list(frame["indicator"]))
        & ctx.obs["area_code"].isin([ctx.area_code, ENGLAND])
    ]
    periods = {str(i): str(ctx.verdicts.loc[i, "period"]) for i in frame["indicator"]}
    used = used[[periods.get(str(i)) == str(p) for i, p in zip(used["indicator"], used["period"])]]
    chart = spine_chart(
        frame,
        area_name=ctx.area_name,
        title=f"{ctx.area_name} against every English council, latest figures up to {ctx.period}",
        source=source_line(used) or "Source: DfE",
    )
    encoded = base64.b64encode(chart.png()).decode("ascii")
    picture = (
        f'<img src="data:image/png;base64,{encoded}" alt="{esc(chart.alt, quote=True)}" '
        f'width="{SPINE_WIDTH}" height="{round(chart.height)}" '
        'style="display:block;width:100%;max-width:16cm;height:auto;">'
    )
    # the heading above names the chart (glance); the caption says how to read it
    caption = (
        f"Latest figures up to {ctx.period}. Each bar runs from the worst council to the best, "
        "the box is the middle half and the line is England. Sources: DfE (listed in the annex)."
    )
    figure = (
        f'<figure class="perf-chart perf-spine" style="{FIGURE_STYLE}position:relative;">'
        f"{picture}{_HIDDEN % chart.table_html()}<figcaption>{caption}</figcaption></figure>"
    )
    return figure, sources_of(used)


def _tile(colour: str, symbol: str, count: int, word: str, status: str) -> str:
    return (
        f'<li data-status="{esc(status, quote=True)}" style="border-left-color:{colour}">'
        f'<span class="perf-symbol" aria-hidden="true">{esc(symbol)}</span> '
        f"<strong>{count}</strong> {esc(word)}</li>"
    )


def status_tally(ctx: Context) -> str:
    """The tiles: the council's statuses in its own scheme (where it gave any), then the
    published measures without one by their comparison with England."""
    v = ctx.verdicts
    if v is None or v.empty:
        return ""
    parts = []
    rated = v[v["status"].notna()]
    for scheme in dict.fromkeys(rated["scheme"].fillna("tolerance").astype(str)):
        mine = rated[rated["scheme"].fillna("tolerance").astype(str) == scheme]
        counts = mine["status"].astype(str).value_counts()
        labels = SCHEMES[scheme if scheme in SCHEMES else "tolerance"].labels
        tiles = [
            _tile(COLOURS.get(status, RULE), sym, int(counts.get(status, 0)), word, status)
            for status, (sym, word) in labels.items()
        ]
        n = len(mine)
        parts.append(
            f"<p>{n} {plural('indicator', n)} with the council's own status:</p>"
            f'<ul class="perf-tally">{"".join(tiles)}</ul>'
        )
    others = v[v["status"].isna() & ~v.apply(is_local, axis=1)]
    if len(others):
        counts = others["vs_england"].fillna("not compared").astype(str).value_counts()
        tiles = [
            _tile(COLOURS[key], sym, int(counts.get(key, 0)), word, key)
            for key, (sym, word) in VS_ENGLAND_LABELS.items()
            if counts.get(key, 0) or key != "not compared"
        ]
        n = len(others)
        lead = (
            f"{n} published {plural('indicator', n)} without a status, compared with England:"
            if len(rated)
            else f"No indicator has a target or a status from the council for {ctx.period}. "
            f"{n} published {plural('indicator', n)}, compared with England:"
        )
        parts.append(paragraph(lead) + f'<ul class="perf-tally">{"".join(tiles)}</ul>')
    return "\n".join(parts)


def biggest_changes(ctx: Context, direction: str, n: int = GLANCE_ITEMS) -> pd.DataFrame:
    """The ``n`` indicators that moved most in ``direction`` (``improving`` or
    ``worsening``), like for like, by the size of the change relative to the figure before;
    the verdicts' rows, largest first."""
    v = ctx.verdicts
    if v is None or v.empty:
        return pd.DataFrame()
    moved = v[(v["direction"] == direction) & v["direction_change_pct"].notna()]
    order = moved["direction_change_pct"].abs().sort_values(ascending=False, kind="mergesort")
    return moved.loc[order.index[:n]]


def _change_item(ctx: Context, verdict: pd.Series) -> str:
    info = ctx.info(str(verdict["indicator"]))
    mark = "ex" if bool(verdict["example"]) else None
    now = format_value(verdict["value"], info.unit, info.decimals, mark)
    before = format_value(verdict["direction_value"], info.unit, info.decimals, mark)
    return (
        f"<li><strong>{esc(_short_title(ctx, str(verdict['indicator'])))}</strong>: "
        f"{esc(now)} ({esc(str(verdict['period_words']))}), "
        f"from {esc(before)} ({esc(str(verdict['direction_period_words']))})"
        + (f" {esc(note)}" if (note := ctx.companion_note(str(verdict["indicator"]))) else "")
        + "</li>"
    )


def _changes(ctx: Context, direction: str, heading: str) -> str:
    rows = biggest_changes(ctx, direction)
    if rows.empty:
        words = "improved" if direction == "improving" else "worsened"
        body = paragraph(f"No indicator {words} since the figure it is compared with.")
    else:
        body = "<ul>" + "".join(_change_item(ctx, r) for _, r in rows.iterrows()) + "</ul>"
    return f"<section><h3>{esc(heading)}</h3>{body}</section>"


def _first_words(text: str, limit: int = 30) -> str:
    """A comment's first sentence, or its first ``limit`` words."""
    flat = " ".join(str(text).split())
    sentence = flat.split(". ")[0].rstrip(".") + "."
    words = sentence.split()
    return sentence if len(words) <= limit else " ".join(words[:limit]) + " …"


def _off_target(ctx: Context) -> str:
    scored = ctx.scored
    if scored is None:  # the tally's first words say there are none
        return ""
    off = scored[off_target(scored)]
    if off.empty:
        body = paragraph("No indicator is off target this period.")
    else:
        items = []
        notes = ctx.commentary
        for _, row in off.iterrows():
            info = ctx.info(str(row["indicator"]))
            said = (
                notes.loc[notes["indicator"] == row["indicator"], "text"]
                if notes is not None
                else pd.Series(dtype=object)
            )
            scheme = SCHEMES.get(str(row.get("scheme")), SCHEMES["tolerance"])
            sym, word = scheme.labels.get(str(row["shown_status"]), ("", ""))
            why = (
                f"The council: “{_first_words(said.iloc[0])}”"
                if len(said)
                else "The council gave no explanation."
            )
            items.append(
                f'<li><span class="status" data-status="{esc(str(row["shown_status"]))}">'
                f'<span class="perf-symbol" aria-hidden="true">{esc(sym)}</span> '
                f"{esc(word)}</span>: <strong>{esc(info.title)}</strong>. {esc(why)}</li>"
            )
        body = "<ul>" + "".join(items) + "</ul>" + paragraph("Exceptions gives each in full.")
    return f"<section><h3>Off target, and why</h3>{body}</section>"


def _standing(ctx: Context) -> str:
    v = ctx.verdicts
    if v is None or v.empty:
        return ""
    national = v[~v.apply(is_local, axis=1)]
    sentences = []
    compared = national[national["vs_england"].isin(["better", "similar", "worse"])]
    if len(compared):
        counts = compared["vs_england"].value_counts()
        sentences.append(
            f"Of {len(compared)} indicators compared with England, {ctx.area_name} is better "
            f"on {int(counts.get('better', 0))}, similar on {int(counts.get('similar', 0))} "
            f"and worse on {int(counts.get('worse', 0))}."
        )
    placed = national[national["quartile"].notna()]
    if len(placed):
        q = placed["quartile"].astype(str).value_counts()
        sentences.append(
            f"Among every council, it is in the {quartile_words('A')} (the best quarter) on "
            f"{int(q.get('A', 0))} of {len(placed)} and in the {quartile_words('D')} on "
            f"{int(q.get('D', 0))}."
        )
    model = ctx.neighbour_model
    ranked = national[
        national[f"sn_position_{model}"].notna() & national["polarity"].isin(["high", "low"])
    ]
    if len(ranked):
        top = (
            ranked[f"sn_position_{model}"].astype(int)
            <= ranked[f"sn_ranked_{model}"].astype(int) / 2
        )
        sentences.append(
            f"Among its {ctx.neighbour_set()}, it is in the better half on {int(top.sum())} "
            f"of {len(ranked)}."
        )
    if not sentences:
        return ""
    return (
        "<section><h3>Against England and its neighbours</h3>"
        + paragraph(" ".join(sentences))
        + "</section>"
    )


#: Ofsted's judgement headings, in the order its reports give them.
_JUDGEMENTS = {
    "overall_effectiveness": "Overall effectiveness",
    "impact_of_leaders": "Impact of leaders",
    "help_and_protection": "Help and protection",
    "children_in_care": "Children in care",
    "care_leavers": "Care leavers",
}


def inspection_summary(ctx: Context) -> str:
    """Ofsted's last judgements of the council's children's services published by the
    period's end, in a sentence or two (the cover's table gives each in Ofsted's words):
    when, and the judgements, said once where they agree; for an inspection from April 2026,
    that Ofsted gave no overall judgement."""
    last = ctx.inspection
    if last is None:
        return paragraph(
            f"Ofsted's published outcomes (inspections since 2018) list no inspection of "
            f"{ctx.area_name}'s children's services published by {ctx.period_obj.end:%-d %B %Y}."
        )
    given = {
        label: str(last[column])
        for column, label in _JUDGEMENTS.items()
        if isinstance(last.get(column), str) and last[column]
    }
    when = f"{pd.Timestamp(last['inspection_date']):%B %Y}"
    if is_missing(last.get("overall_effectiveness")):
        judged = "; ".join(f"{k}: {v[:1].lower()}{v[1:]}" for k, v in given.items())
        text = (
            f"Ofsted, {when}: no overall judgement (Ofsted gives none for inspections from "
            f"April 2026). {judged}."
        )
    elif len(set(given.values())) == 1:
        only = next(iter(given.values()))
        text = f"Ofsted, {when}: {only[:1].lower()}{only[1:]}, overall and in every judgement."
    else:
        judged = "; ".join(
            f"{k[:1].lower()}{k[1:]}: {v[:1].lower()}{v[1:]}" for k, v in given.items()
        )
        text = f"Ofsted, {when}: {judged}."
    return paragraph(text)


def glance(ctx: Context) -> Section:
    """At a glance, under its own heading: the tally of statuses, what improved and worsened
    most, what is off target and why, the standing against England and the neighbours,
    Ofsted's last judgements with the council's inspection update."""
    heading = '<h2 id="at-a-glance">At a glance</h2>'
    if ctx.verdicts is None or ctx.verdicts.empty:
        body = paragraph(f"No figures for {ctx.area_name} cover {ctx.period}.")
        return Section(f'{_STYLE}\n{heading}\n<div class="perf-glance">{body}</div>')
    off = _off_target(ctx)
    inspection = (
        ("<section>" if off else '<section class="perf-wide">')
        + "<h3>Ofsted</h3>"
        + inspection_summary(ctx)
        + narrative_html(ctx.narrative_of("inspection"))
        + "</section>"
    )
    grid = (
        '<div class="perf-glance-grid">'
        + _changes(ctx, "improving", "Improved most")
        + _changes(ctx, "worsening", "Worsened most")
        + off
        + inspection
        + "</div>"
    )
    figure, sources = spine(ctx)
    body = "\n".join([status_tally(ctx), grid])
    standing = _standing(ctx)
    if figure:
        figure = (
            f'<h3 class="perf-spine-heading">{esc(ctx.area_name)} against every English '
            f"council</h3>{figure}"
        )
    if figure or standing:
        body += f'\n<div class="perf-glance-spine">{standing}{figure}</div>'
    return Section(f'{_STYLE}\n{heading}\n<div class="perf-glance">\n{body}\n</div>', sources)
