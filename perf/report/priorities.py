"""One part per priority: its scorecard, the council's comments and its key activities."""

from __future__ import annotations

import pandas as pd

from perf.report.common import no_local
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, paragraphs, sources_of
from perf.tables import format_value, html_table, key_activities_table, scorecard_table

__all__ = ["priorities", "untargeted_table"]


def untargeted_table(ctx: Context) -> str:
    """The council's figures that came without a target."""
    rows = []
    for _, r in ctx.untargeted.sort_values("indicator").iterrows():
        info = ctx.info(r["indicator"])
        rows.append({"Indicator": info.title,
                     "Figure": format_value(r["value"], info.unit, info.decimals, ctx.flag(
                         r["indicator"], ctx.area_code, r.get("period"), r.get("flag"))),
                     "Target": "none supplied"})
    return html_table(pd.DataFrame(rows), f"Local figures without a target, {ctx.period}",
                      numeric=["Figure"], table_id="local-untargeted")


def priorities(ctx: Context) -> Section:
    """One part per priority: scorecard, comments and key activities."""
    if not ctx.has_local_figures():
        return Section(no_local(ctx, "priority scorecards, comments or key activities"))
    names: list[str] = []
    for frame in (ctx.scored, ctx.activities):
        if frame is not None:
            names += [p for p in frame["priority"].astype(str).unique() if p not in names]
    parts = []
    if ctx.untargeted is not None:
        parts += ["<h3>Local figures</h3>", untargeted_table(ctx)]
    for n, priority in enumerate(names, start=1):
        parts.append(f'<h3 id="priority-{n}">{esc(priority)}</h3>')
        rows = ctx.scored[ctx.scored["priority"] == priority] if ctx.scored is not None \
            else None
        if rows is not None and len(rows):
            parts.append(scorecard_table(rows, caption=f"{priority}: indicators, {ctx.period}",
                                         catalogue=ctx.catalogue, table_id=f"scorecard-{n}",
                                         legend=False))
            commented = ctx.commentary[ctx.commentary["indicator"].isin(rows["indicator"])] \
                if ctx.commentary is not None else None
            # each comment is printed once: those on indicators below target under Exceptions
            below = ctx.below_target()
            notes = commented[~commented["indicator"].isin(below)] \
                if commented is not None else None
            if notes is not None and len(notes):
                parts.append("<h4>Comments</h4>")
                for _, note in notes.iterrows():
                    parts.append(f"<p><strong>{esc(ctx.info(note['indicator']).title)}"
                                 "</strong></p>" + paragraphs(note["text"]))
            if commented is not None and commented["indicator"].isin(below).any():
                parts.append(paragraph("The comments on the indicators below target tolerance "
                                       "are under Exceptions."))
        acts = ctx.activities[ctx.activities["priority"] == priority] \
            if ctx.activities is not None else None
        if acts is not None and len(acts):
            for m, (objective, group) in enumerate(acts.groupby("objective", sort=False), 1):
                parts.append(key_activities_table(
                    group, caption=f"{objective}: key activities",
                    table_id=f"activities-{n}-{m}", legend=False))
    return Section("\n".join(parts), sources_of(ctx.local_obs))
