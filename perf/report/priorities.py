"""One part per plan and priority, in the plan file's order: its scorecard in the council's
own scheme, the council's comments and its key activities by objective."""

from __future__ import annotations

import pandas as pd

from perf.assessment import OTHER
from perf.report.context import Context
from perf.report.display import Section, esc, off_target_words, paragraph, paragraphs, sources_of
from perf.report.plan_text import comparison_table, plan_names
from perf.scorecards import scorecard_html, table_notes
from perf.tables import format_value, html_table, key_activities_table

__all__ = ["priorities", "untargeted_table"]


def untargeted_table(ctx: Context) -> str:
    """The council's figures that came without a target, a plan or a status (with the
    period of each when one is not the briefing's own: a quarter in a year's briefing)."""
    if ctx.untargeted is None:
        return ""
    rows = []
    for _, r in ctx.untargeted.sort_values("indicator").iterrows():
        info = ctx.info(r["indicator"])
        rows.append(
            {
                "Indicator": info.title,
                "Figure": format_value(
                    r["value"],
                    info.unit,
                    info.decimals,
                    ctx.flag(r["indicator"], ctx.area_code, r.get("period"), r.get("flag")),
                ),
                "Period": str(r["period"]),
                "Target": "none supplied",
            }
        )
    frame = pd.DataFrame(rows)
    if frame["Period"].eq(ctx.period).all():
        frame = frame.drop(columns="Period")
    return html_table(
        frame,
        f"Local figures without a target, {ctx.period}",
        numeric=["Figure"],
        table_id="local-untargeted",
    ) + table_notes(frame["Figure"].tolist())


def _comments(ctx: Context, indicators: pd.Series, level: int) -> list[str]:
    """The council's comments on these indicators, each printed once: those on indicators
    off target are under Exceptions, and a line here says so."""
    commented = (
        ctx.commentary[ctx.commentary["indicator"].isin(indicators)]
        if ctx.commentary is not None
        else None
    )
    if commented is None or commented.empty or ctx.scored is None:
        return []
    off = ctx.below_target()
    notes = commented[~commented["indicator"].isin(off)]
    parts = [f"<h{level}>Comments</h{level}>"] if len(notes) else []
    for _, note in notes.iterrows():
        ref = ctx.scored.loc[ctx.scored["indicator"] == note["indicator"], "ref"]
        label = ctx.info(note["indicator"]).title
        if len(ref) and isinstance(ref.iloc[0], str):
            label = f"{ref.iloc[0]}: {label}"
        parts.append(f"<p><strong>{esc(label)}</strong></p>" + paragraphs(note["text"]))
    pointed = commented.loc[commented["indicator"].isin(off), "indicator"]
    if len(pointed):
        # in the scheme of the indicators pointed at (a priority's plan has one scheme)
        schemes = ctx.scored.loc[ctx.scored["indicator"].isin(pointed), "scheme"].dropna()
        parts.append(
            paragraph(
                f"The comments on the indicators "
                f"{off_target_words(schemes.astype(str))} are under Exceptions."
            )
        )
    return parts


def priorities(ctx: Context) -> Section:
    """Under its own heading, one part per plan and priority: scorecard, comments and key
    activities; nothing when the council supplied no figures of its own (the performance
    summary says so)."""
    if not ctx.has_local_figures():  # the performance summary says so, once
        return Section("")
    parts = ['<h2 id="priorities">Priorities: scorecards, comments and key activities</h2>']
    if ctx.untargeted is not None:
        parts += ["<h3>Local figures</h3>", untargeted_table(ctx)]
    n = 0
    plans = plan_names(ctx)
    # the plan is a heading of its own unless the council declared none (one part per
    # priority, as before plans were declared)
    level = 3 if plans == [OTHER] else 4
    for plan in plans:
        names: list[str] = []
        for frame in (ctx.scored, ctx.activities):
            if frame is not None:
                mine = frame[frame["plan"] == plan]
                names += [p for p in mine["priority"].astype(str).unique() if p not in names]
        if not names:
            continue
        if level == 4:
            parts.append(f"<h3>{esc(plan)}</h3>")
        for priority in names:
            n += 1
            parts.append(f'<h{level} id="priority-{n}">{esc(priority)}</h{level}>')
            rows = (
                ctx.scored[(ctx.scored["plan"] == plan) & (ctx.scored["priority"] == priority)]
                if ctx.scored is not None
                else None
            )
            if rows is not None and len(rows):
                parts.append(
                    scorecard_html(
                        rows,
                        caption=f"{priority}: indicators, {ctx.period}",
                        internal=not ctx.public,
                        table_id=f"scorecard-{n}",
                    )
                )
                parts.append(
                    comparison_table(
                        ctx,
                        rows,
                        f"{priority}: change against earlier periods, {ctx.period}",
                        table_id=f"changes-{n}",
                    )
                )
                parts += _comments(ctx, rows["indicator"], level + 1)
            acts = (
                ctx.activities[
                    (ctx.activities["plan"] == plan) & (ctx.activities["priority"] == priority)
                ]
                if ctx.activities is not None
                else None
            )
            if acts is not None and len(acts):
                for m, (objective, group) in enumerate(
                    acts.groupby(acts["objective"].fillna(priority), sort=False), 1
                ):
                    table = key_activities_table(
                        group,
                        caption=f"{objective}: key activities",
                        table_id=f"activities-{n}-{m}",
                        legend=False,
                    )
                    parts.append(table + table_notes([table]))  # [ex] said where it stands
    return Section("\n".join(parts), sources_of(ctx.local_obs))
