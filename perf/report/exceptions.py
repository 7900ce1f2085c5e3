"""Exceptions: the indicators below target tolerance, each with the council's explanation."""

from __future__ import annotations

from perf.report.common import no_local
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, paragraphs
from perf.summary import exception_list
from perf.tables import STATUS_LABELS, format_value

__all__ = ["exceptions"]


def exceptions(ctx: Context) -> Section:
    """Indicators below target tolerance, each with the council's explanation (the one place
    those comments are printed)."""
    if ctx.scored is None and ctx.untargeted is not None:
        return Section(paragraph(f"The council supplied no targets for {ctx.period}, so no "
                                 "indicator can be below target."))
    if ctx.scored is None:
        return Section(no_local(ctx, "targets to measure exceptions against"))
    found = exception_list(ctx.scored, ctx.commentary)
    if found.empty:
        return Section(paragraph("No indicator is below its target tolerance this period."))
    symbol, word = STATUS_LABELS["below"]
    parts = []
    for _, row in found.iterrows():
        info = ctx.info(row["indicator"])
        value = format_value(row["value"], info.unit, info.decimals, row.get("flag"))
        target = format_value(row.get("target"), info.unit, info.decimals, missing="z")
        parts.append(f"<h3>{esc(info.title)}</h3>")
        parts.append(f'<p><span class="status" data-status="below"><span class="perf-symbol" '
                     f'aria-hidden="true">{esc(symbol)}</span> {esc(word)}</span>: '
                     f"{esc(value)} against a target of {esc(target)}.</p>")
        comment = row.get("commentary")
        parts.append(paragraphs(comment) if isinstance(comment, str) and comment.strip()
                     else paragraph("No explanation was supplied for this exception."))
    return Section("\n".join(parts))
