"""The performance summary: per plan, the council's assessments and indicator counts in its
own scheme with the report's sentences; key-activity progress. The published indicators'
table is each theme's (:mod:`perf.report.themes`)."""

from __future__ import annotations

from perf._numbers import plural
from perf.assessment import OTHER, off_target
from perf.loaders.plans import SCHEMES
from perf.report.common import no_local, revisions_note, status_schemes
from perf.report.context import Context
from perf.report.display import Section, esc, off_target_words, paragraph, sources_of
from perf.report.plan_text import plan_names, plan_summary
from perf.scorecards import table_notes
from perf.tables import summary_counts_table

__all__ = ["performance_summary"]


def _plan_counts(ctx: Context, plan: str, n: int) -> str:
    """The plan's indicators by status in its own scheme, per priority ("" when none has
    a status)."""
    if ctx.scored is None:
        return ""
    rows = ctx.scored[(ctx.scored["plan"] == plan) & ctx.scored["shown_status"].notna()]
    if rows.empty:
        return ""
    scheme = SCHEMES[str(rows["scheme"].iloc[0])]
    alone = plan == OTHER and len(plan_names(ctx)) == 1
    caption = (
        f"Indicators by status against target, {ctx.period}"
        if alone
        else f"{plan}: indicators by status, {ctx.period}"
    )
    table = summary_counts_table(
        rows,
        caption=caption,
        status_col="shown_status",
        by="priority",
        labels=scheme.labels,
        legend=False,
        table_id="summary-status" if alone else f"summary-status-{n}",
    )
    return table + table_notes(["[ex]"] if rows["flag"].eq("ex").any() else [])


def _scored_sentence(ctx: Context) -> str:
    """How many indicators were scored against a target, and how many carry the council's
    own status without one (never "scored against their targets" of those)."""
    scored = ctx.scored
    if scored is None:
        return "No indicator has a target or a status from the council this period."
    targeted = scored["target"].notna()
    own_only = ~targeted & scored["shown_status"].notna()
    off = int(off_target(scored).sum())
    words = off_target_words(status_schemes(ctx))
    parts = []
    n = int(targeted.sum())
    if n:
        parts.append(
            f"{n} {plural('indicator', n)} {'was' if n == 1 else 'were'} scored against "
            f"{'its target' if n == 1 else 'their targets'}"
        )
    m = int(own_only.sum())
    if m:
        parts.append(
            f"{m} {plural('indicator', m)} {'carries' if m == 1 else 'carry'} the council's "
            f"own status without a target"
        )
    if not parts:
        return "No indicator has a target or a status from the council this period."
    text = "; ".join(parts)
    return (
        f"{text[:1].upper()}{text[1:]}; {off} {'is' if off == 1 else 'are'} {words} and "
        "explained under Exceptions."
    )


def performance_summary(ctx: Context) -> Section:
    """Under its own heading, per plan: the council's assessments, indicator counts in the
    plan's scheme, the off-target list, status movement and the headline sentences; key
    activities by progress."""
    parts = [revisions_note(ctx)] if ctx.revision_notes else []
    sources = sources_of(ctx.local_obs)
    for n, plan in enumerate(plan_names(ctx), start=1):
        text, used = plan_summary(ctx, plan)
        counts = _plan_counts(ctx, plan, n) if ctx.scored is not None else ""
        if text or counts:
            parts += (
                [] if plan == OTHER and len(plan_names(ctx)) == 1 else [f"<h3>{esc(plan)}</h3>"]
            ) + [counts, text]
            sources |= used
    if ctx.scored is not None:
        parts.append(paragraph(_scored_sentence(ctx)))
    if ctx.activities is not None:
        parts.append(
            summary_counts_table(
                ctx.activities,
                caption=f"Key activities by progress, {ctx.period}",
                by="priority",
                table_id="summary-activities",
                legend=False,
            )
        )
    if ctx.untargeted is not None and ctx.scored is None:
        n = len(ctx.untargeted)
        parts.append(
            paragraph(
                f"The council supplied {n} local {plural('figure', n)} for {ctx.period} but "
                + (
                    "no target, so it has no status."
                    if n == 1
                    else "no targets, so none has a status."
                )
            )
        )
    if len(parts) == bool(ctx.revision_notes):
        parts.append(no_local(ctx, "scorecard or status counts"))
    heading = '<h2 id="performance-summary">Performance summary</h2>'
    return Section("\n".join(p for p in [heading, *parts] if p), sources)
