"""Pieces several sections share: a chart or table that may fail alone, the "no local
figures" notice, a chart's source line, the note of revisions since the last briefing,
what an exception is called in the council's status schemes, and the council's own words
(its narrative) as the page shows them."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from perf import config
from perf.charts import Chart, figure_to_html
from perf.errors import NoDataToChart, PerfError
from perf.report.context import Context
from perf.report.display import esc, paragraph
from perf.summary import source_publication

__all__ = [
    "chart_or_note",
    "companion_note",
    "narrative_attribution",
    "narrative_html",
    "no_local",
    "revisions_note",
    "source_line",
    "status_schemes",
    "table_or_note",
]

log = config.get_logger()


#: What an exception (perf.assessment.OFF_TARGET) is called in each status scheme, in the
#: order they are joined when a council uses both.
def status_schemes(ctx: Context) -> set[str]:
    """The status schemes of the area's indicators: those scored, else its plans' (empty
    when neither says)."""
    if ctx.scored is not None and "scheme" in ctx.scored:
        return set(ctx.scored["scheme"].dropna().astype(str))
    plans = ctx.plans
    if plans is None or "scheme" not in plans:
        return set()
    return set(plans.loc[plans["kind"] == "indicator", "scheme"].dropna().astype(str))


def chart_or_note(ctx: Context, make: Callable[[], Chart], what: str) -> str:
    """The chart ``make()`` draws, as HTML; or, when it has too few figures to draw
    (:class:`perf.errors.NoDataToChart`), a sentence saying so. Any other error is a bug and
    surfaces: it must never reach a committee as "not enough published figures".
    """
    try:
        return figure_to_html(make())
    except NoDataToChart as exc:
        log.info("no chart for %s: %s", what, exc)
        return paragraph(
            f"There are not enough published figures to chart {what} for {ctx.area_name}."
        )


def example_mark(rows: pd.DataFrame) -> str:
    """ " [ex]" when any of ``rows`` (the figures a chart draws) is an illustrative or
    synthetic worked example's (flag ``ex``), else "": a chart says so in its title, its
    caption and its description.

    >>> example_mark(pd.DataFrame({"flag": [None, "ex"]})), example_mark(pd.DataFrame())
    (' [ex]', '')
    """
    return " [ex]" if "flag" in rows and rows["flag"].eq("ex").any() else ""


def table_or_note(ctx: Context, make: Callable[[], str], what: str) -> str:
    """The table ``make()`` builds; or a sentence saying it could not be produced."""
    try:
        return make()
    except (ValueError, KeyError, TypeError, PerfError) as exc:
        log.warning("table of %s failed: %r", what, exc)
        return paragraph(
            f"The table of {what} could not be produced for {ctx.area_name} ({type(exc).__name__})."
        )


def source_line(frame: pd.DataFrame) -> str | None:
    """The publications behind ``frame`` for a chart's source line (no data file names: the
    appendix lists the files); None when the frame names none."""
    if "source" not in frame:
        return None
    names = sorted({source_publication(s) for s in frame["source"].dropna().astype(str)} - {""})
    return "Source: " + "; ".join(names) if names else None


def no_local(ctx: Context, what: str) -> str:
    """The notice for a briefing without the council's own figures (said once)."""
    return (
        f'<p class="notice">No local figures were supplied for {esc(ctx.area_name)} for '
        f"{esc(ctx.period)}, so this briefing has no {what}. The council's scorecards, "
        "targets, comments and key activities appear when its quarterly return is added. "
        "The published figures are unaffected.</p>"
    )


def revisions_note(ctx: Context, heading: bool = False) -> str:
    """The "Revisions since the last briefing" note: one sentence per revised figure, old
    and new values (empty when there was no earlier briefing to compare with)."""
    if ctx.previous_briefing is None:
        return ""
    title = "Revisions since the last briefing"
    notes = ctx.revision_notes
    if notes:
        intro = (
            f"{len(notes)} figure{' was' if len(notes) == 1 else 's were'} published "
            f"differently in the briefing of {ctx.previous_briefing}; in the "
            "tables a revised figure is marked [r]."
        )
        body = paragraph(intro) + "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>"
    else:
        body = paragraph(
            f"No figure shown in the briefing of {ctx.previous_briefing} has been revised since."
        )
    if heading:
        return f"<h3>{title}</h3>\n{body}"
    return f'<div class="notice revisions"><p><strong>{title}.</strong></p>{body}</div>'


def companion_note(ctx: Context, indicator: str) -> str:
    """:meth:`perf.report.context.Context.companion_note` (NEET never without not known)."""
    return ctx.companion_note(indicator)


def narrative_html(
    rows: pd.DataFrame | None, *, numbered: bool = True, attribute: bool = True
) -> str:
    """The council's own paragraphs, verbatim: each with its number where given (``3.3.1``),
    a line starting ``- `` as a list item, and (``attribute``) where they were published,
    said once at the end (:func:`narrative_attribution`)."""
    if rows is None or rows.empty:
        return ""
    out = []
    for _, row in rows.iterrows():
        ref = row.get("ref")
        number = (
            f'<strong class="perf-ref">{esc(str(ref))}</strong> '
            if numbered and isinstance(ref, str) and ref
            else ""
        )
        for k, block in enumerate(str(row["text"]).split("\n\n")):
            lines = [line.strip() for line in block.split("\n") if line.strip()]
            text = [line for line in lines if not line.startswith("- ")]
            items = [line[2:].strip() for line in lines if line.startswith("- ")]
            if text:
                out.append(f"<p>{number if k == 0 else ''}{esc(' '.join(text))}</p>")
            elif k == 0 and number:
                out.append(f"<p>{number}</p>")
            if items:
                out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    if attribute:
        out.append(narrative_attribution(rows))
    return "\n".join(p for p in out if p)


def narrative_attribution(rows: pd.DataFrame | None) -> str:
    """Where the council's paragraphs were published, once: each source without the
    paragraph it names ("..., 13 December 2012, paragraph 3.8" -> "..., 13 December 2012");
    "" when no row names one.

    >>> rows = pd.DataFrame({"source": ["Report, 1 May 2012, paragraph 3.1",
    ...                                 "Report, 1 May 2012, paragraph 3.2"]})
    >>> print(narrative_attribution(rows))
    <p class="perf-attribution">The council's own words, from Report, 1 May 2012.</p>
    """
    if rows is None or rows.empty or "source" not in rows:
        return ""
    heads = [
        re.sub(r",\s*(?:Recommendations, )?paragraphs? [\d.]+$", "", s)
        for s in rows["source"]
        if isinstance(s, str) and s
    ]
    if not heads:
        return ""
    where = "; ".join(dict.fromkeys(heads))
    return f'<p class="perf-attribution">The council\'s own words, from {esc(where)}.</p>'
