"""Exceptions: the indicators below target tolerance, each with the council's explanation."""

from __future__ import annotations

import pandas as pd

from perf.report.common import no_local
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, paragraphs
from perf.summary import exception_list

__all__ = ["exceptions"]


def exceptions(ctx: Context) -> Section:
    """Indicators below target tolerance, each with the council's explanation."""
    if ctx.scored is None and ctx.untargeted is not None:
        return Section(paragraph(f"The council supplied no targets for {ctx.period}, so no "
                                 "indicator can be below target."))
    if ctx.scored is None:
        return Section(no_local(ctx, "targets to measure exceptions against"))
    found = exception_list(ctx.scored, ctx.commentary)
    if found.empty:
        return Section(paragraph("No indicator is below its target tolerance this period."))
    parts = []
    for _, row in found.iterrows():
        info = ctx.info(row["indicator"])
        decimals = info.decimals
        value = f"{row['value']:.{decimals}f}" if pd.notna(row["value"]) else "no figure"
        target = f"{row['target']:.{decimals}f}" if pd.notna(row.get("target")) else "none"
        parts.append(f"<h3>{esc(info.title)}</h3>")
        parts.append(paragraph(f"▲ Below target: {value} against a target of {target}."))
        comment = row.get("commentary")
        parts.append(paragraphs(comment) if isinstance(comment, str) and comment.strip()
                     else paragraph("No explanation was supplied for this exception."))
    return Section("\n".join(parts))
