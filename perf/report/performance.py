"""The performance summary: per plan, the council's assessments and indicator counts in its
own scheme with the report's sentences; key-activity progress; then the headline
indicators from published figures (table and sentences)."""

from __future__ import annotations

import pandas as pd

from perf._numbers import plural
from perf.assessment import OTHER, off_target
from perf.benchmarking import quartile_sentence
from perf.loaders.plans import SCHEMES
from perf.report.common import no_local, revisions_note, status_schemes
from perf.report.context import KEY_INDICATORS, Context
from perf.report.display import Section, capital, esc, off_target_words, paragraph, sources_of
from perf.report.plan_text import plan_names, plan_summary
from perf.scorecards import table_notes
from perf.summary import change_sentence, gap_position
from perf.tables import format_value, html_table, summary_counts_table

__all__ = ["headline_sentence", "headline_table", "performance_summary"]


def headline_sentence(ctx: Context, indicator: str) -> tuple[str | None, frozenset[str]]:
    """One sentence for a key indicator: its change since the previous published figure,
    where it stands against England and its place among local authorities, each figure
    with the dates it refers to; and the sources of the figures it quotes."""
    here = ctx.area_obs[ctx.area_obs["indicator"] == indicator].dropna(subset=["value"])
    if indicator not in ctx.latest.index or here.empty:
        return None, frozenset()
    now = ctx.latest.loc[indicator]
    if pd.isna(now["value"]):
        return None, frozenset()
    info = ctx.info(indicator)
    polarity = info.polarity if info.polarity in ("high", "low") else None
    shown = format_value(now["value"], info.unit, info.decimals, _ex(now))
    before = here[here["period_end"] < now["period_end"]].sort_values("period_end")
    sources = sources_of(here[here["period"] == now["period"]])
    if before.empty:
        text = f"{capital(KEY_INDICATORS[indicator])} was {shown} {ctx.when(now)}"
    else:
        prev = before.iloc[-1]
        sources |= sources_of(before.tail(1))
        since = (
            ctx.when(prev).removeprefix("at ").removeprefix("in ")
            + f" ({format_value(prev['value'], info.unit, info.decimals, _ex(prev))})"
        )
        text = change_sentence(
            KEY_INDICATORS[indicator],
            float(prev["value"]),
            float(now["value"]),
            since=since,
            unit=info.unit,
            decimals=info.decimals,
            polarity=polarity,
        )
        text += f", to {shown} {ctx.when(now)}"
    bench = ctx.benchmarks.get(indicator)
    if bench is not None:
        mine = bench[bench["area_code"] == ctx.area_code]
        england = mine["england_value"].iloc[0] if len(mine) else float("nan")
        compared = str(bench.attrs.get("period", now["period"]))
        if compared != now["period"] and len(mine):
            # a quarter computed from the council's own returns: the comparison is at the
            # last date other councils published (perf.report.context._compared_period)
            value = float(mine["value"].iloc[0])
            text += f"; on {compared} {ctx.area_name} was {format_value(value, info.unit, info.decimals)}"
            if pd.notna(england):
                gap = gap_position(value - float(england), unit=info.unit, decimals=info.decimals)
                text += f", {gap} ({format_value(england, info.unit, info.decimals)})"
        elif pd.notna(england):
            text += (
                f"; {ctx.area_name} was "
                f"{gap_position(float(now['value']) - float(england), unit=info.unit, decimals=info.decimals)}"
                f" ({format_value(england, info.unit, info.decimals)})"
            )
        where = quartile_sentence(bench, ctx.area_code)
        if not where.startswith(("not placed", "context")):
            text += f" and in the {where}"
    return text + ".", sources


def _ex(row: pd.Series) -> str | None:
    """A headline figure's mark when it is an illustrative or synthetic example's (other
    flags are the table's and the appendix's to explain)."""
    return "ex" if row.get("flag") == "ex" else None


def headline_table(ctx: Context) -> str:
    """The headline indicators: latest and previous figure with the dates each refers to,
    direction of travel in words, and quartile among local authorities ("" when none)."""
    rows = []
    for indicator in KEY_INDICATORS:
        if indicator not in ctx.latest.index:
            continue
        now = ctx.latest.loc[indicator]
        info = ctx.info(indicator)
        prev = ctx.previous_of(indicator)
        direction = ctx.direction(indicator)
        bench = ctx.benchmarks.get(indicator)

        def shown(row: pd.Series) -> str:
            flag = ctx.flag(indicator, ctx.area_code, row["period"], row.get("flag"))
            return (
                f"{format_value(row['value'], info.unit, info.decimals, flag)} "
                f"({ctx.refers_to(row)})"
            )

        rows.append(
            {
                "Indicator": info.title,
                "Latest": shown(now),
                "Previous": shown(prev) if prev is not None else "none published",
                "Direction of travel": f'<span class="status" data-status="{esc(direction)}">'
                f"{esc(ctx.direction_text(indicator))}</span>",
                "Among local authorities": capital(quartile_sentence(bench, ctx.area_code))
                if bench is not None
                else "not benchmarked",
            }
        )
    if not rows:
        return ""
    table = html_table(
        pd.DataFrame(rows),
        f"Headline indicators for {ctx.area_name}, latest published figures to {ctx.period}",
        table_id="headlines",
        numeric=["Latest", "Previous"],
        html_columns=["Direction of travel"],
    )
    # a figure computed from a synthetic worked example's returns says so where it stands
    return table + table_notes([r["Latest"] + r["Previous"] for r in rows])


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


def performance_summary(ctx: Context) -> Section:
    """Per plan: the council's assessments, indicator counts in the plan's scheme, the
    off-target list, status movement and the headline sentences; key activities by
    progress; then the headline indicators from published figures."""
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
        off, n = int(off_target(ctx.scored).sum()), len(ctx.scored)
        parts.append(
            paragraph(
                f"{n} {plural('indicator', n)} {'was' if n == 1 else 'were'} scored against "
                f"{'its target' if n == 1 else 'their targets'}; "
                f"{off} {'is' if off == 1 else 'are'} {off_target_words(status_schemes(ctx))} "
                "and explained under Exceptions."
            )
        )
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
    sentences = []
    for indicator in KEY_INDICATORS:
        sentence, used = headline_sentence(ctx, indicator)
        if sentence:
            sentences.append(sentence)
            sources |= used
    table = headline_table(ctx)
    if sentences or table:
        parts.append("<h3>Headlines from published figures</h3>")
    if table:
        parts.append(table)
    if sentences:
        parts.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
    return Section("\n".join(p for p in parts if p), sources)
