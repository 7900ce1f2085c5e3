"""The performance summary: per plan, the council's assessments and indicator counts in its
own scheme with the report's sentences; key-activity progress; then the published
indicators covered (table and sentences), each from its verdict."""

from __future__ import annotations

import pandas as pd

from perf._numbers import is_missing, plural
from perf.alignment import when
from perf.assessment import OTHER, off_target
from perf.benchmarking import quartile_phrase
from perf.loaders.plans import SCHEMES
from perf.report.common import companion_note, no_local, revisions_note, status_schemes
from perf.report.context import Context
from perf.report.display import Section, capital, esc, off_target_words, paragraph, sources_of
from perf.report.plan_text import plan_names, plan_summary, subject_of
from perf.scorecards import table_notes
from perf.summary import change_sentence, gap_position
from perf.tables import format_value, html_table, summary_counts_table

__all__ = ["headline_sentence", "headline_table", "performance_summary", "since_words"]


def since_words(words: str) -> str:
    """A figure's period words after "since" ("since 31 March 2024", "since the year to 31
    March 2024").

    >>> since_words("at 31 March 2024"), since_words("year to 31 March 2024")
    ('31 March 2024', 'the year to 31 March 2024')
    >>> since_words("December 2023 to February 2024 average"), since_words("calendar year 2023")
    ('the December 2023 to February 2024 average', 'the calendar year 2023')
    """
    if words.startswith("at "):
        return words.removeprefix("at ")
    if words.startswith(("year to", "academic year", "calendar year", "week to")) or words.endswith(
        "average"
    ):
        return f"the {words}"
    return words


def _when(verdict: pd.Series) -> str:
    """The verdict's period as a sentence says it ("at 31 March 2025", "in the year to 31
    March 2025"): :func:`perf.alignment.when` of its figure."""
    if is_missing(verdict["period_start"]) or is_missing(verdict["period_end"]):
        return f"in {verdict['period_words']}"
    return when(
        str(verdict["period_kind"]),
        str(verdict["period"]),
        pd.Timestamp(verdict["period_start"]).date(),
        pd.Timestamp(verdict["period_end"]).date(),
        cumulative=bool(verdict["cumulative"]) and verdict["period_kind"] == "financial_quarter",
    )


def headline_sentence(ctx: Context, indicator: str) -> tuple[str | None, frozenset[str]]:
    """One sentence for an indicator from its verdict: its change since the figure it is
    compared with (like for like), how it compares with England and its place among local
    authorities, each figure with the period it covers; and the sources of the figures it
    quotes. NEET is never said without the young people whose activity is not known."""
    verdict = ctx.verdict(indicator)
    if verdict is None or is_missing(verdict["value"]):
        return None, frozenset()
    info = ctx.info(indicator)
    polarity = info.polarity if info.polarity in ("high", "low") else None
    mark = "ex" if bool(verdict["example"]) else None
    shown = format_value(verdict["value"], info.unit, info.decimals, mark)
    here = ctx.area_obs[ctx.area_obs["indicator"] == indicator]
    sources = sources_of(here[here["period"] == verdict["period"]])
    subject = subject_of(info.title)
    if is_missing(verdict["direction_value"]):
        text = f"{capital(subject)} was {shown} {_when(verdict)}"
    else:
        sources |= sources_of(here[here["period"] == verdict["direction_period"]])
        before = format_value(verdict["direction_value"], info.unit, info.decimals, mark)
        text = change_sentence(
            subject,
            float(verdict["direction_value"]),
            float(verdict["value"]),
            since=f"{since_words(str(verdict['direction_period_words']))} ({before})",
            unit=info.unit,
            decimals=info.decimals,
            polarity=polarity,
        )
        text += f", to {shown} {_when(verdict)}"
    england = verdict["england_value"]
    if not is_missing(england):
        gap = gap_position(
            float(verdict["value"]) - float(england), unit=info.unit, decimals=info.decimals
        )
        judged = {"better": ", better than England", "worse": ", worse than England"}.get(
            str(verdict["vs_england"]), ""
        )
        if str(verdict["vs_england"]) == "similar":
            judged = ", similar to England"
        text += (
            f"; {ctx.area_name} was {gap} ({format_value(england, info.unit, info.decimals)})"
            f"{judged}"
        )
    if bool(verdict["benchmarked"]):
        where = quartile_phrase(
            verdict["quartile"], verdict["n_ranked"], verdict["not_ranked_reason"]
        )
        if not where.startswith(("not placed", "context")):
            text += f" and in the {where}"
    text += "."
    note = companion_note(ctx, indicator)
    return (f"{text} {note}" if note else text), sources


def headline_table(ctx: Context) -> str:
    """The published indicators covered: latest figure and the figure it is compared with,
    each with its period in words, direction of travel, England and place among local
    authorities ("" when none)."""
    rows = []
    for indicator in ctx.published():
        verdict = ctx.verdict(indicator)
        info = ctx.info(indicator)
        mark = "ex" if bool(verdict["example"]) else None

        def shown(value: object, flag: object, words: object) -> str:
            flag = mark if is_missing(flag) else flag
            return f"{format_value(value, info.unit, info.decimals, flag)} ({words})"

        flag = ctx.flag(indicator, ctx.area_code, verdict["period"], verdict["flag"])
        rows.append(
            {
                "Indicator": info.title,
                "Latest": shown(verdict["value"], flag, verdict["period_words"]),
                "Compared with": shown(
                    verdict["direction_value"],
                    ctx.flag(
                        indicator,
                        ctx.area_code,
                        verdict["direction_period"],
                        verdict["direction_flag"],
                    ),
                    verdict["direction_period_words"],
                )
                if not is_missing(verdict["direction_value"])
                else "none published",
                "Direction of travel": f'<span class="status" data-status="'
                f'{esc(str(verdict["direction"]))}">{esc(ctx.direction_text(indicator))}</span>',
                "Compared with England": capital(str(verdict["vs_england"])),
                "Among local authorities": capital(
                    quartile_phrase(
                        verdict["quartile"], verdict["n_ranked"], verdict["not_ranked_reason"]
                    )
                )
                if bool(verdict["benchmarked"])
                else "not benchmarked",
            }
        )
    if not rows:
        return ""
    return html_table(
        pd.DataFrame(rows),
        f"Published indicators for {ctx.area_name}, latest figures up to {ctx.period}",
        table_id="headlines",
        numeric=["Latest", "Compared with"],
        html_columns=["Direction of travel"],
    )


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
    sentences = []
    for indicator in ctx.published():
        sentence, used = headline_sentence(ctx, indicator)
        if sentence:
            sentences.append(sentence)
            sources |= used
    table = headline_table(ctx)
    if sentences or table:
        parts.append("<h3>Published figures</h3>")
    if table:
        parts.append(table)
    if sentences:
        parts.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
    return Section("\n".join(p for p in parts if p), sources)
