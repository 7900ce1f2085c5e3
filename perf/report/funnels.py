"""Statistical significance: a funnel plot of every local authority for each published rate
and percentage covered with a published denominator, the method stated, and the council and its
statistical neighbours in a table with their confidence intervals."""

from __future__ import annotations

from functools import partial

import pandas as pd

from perf._numbers import plural
from perf.charts import funnel_chart
from perf.report.common import chart_or_note, companion_note, table_or_note
from perf.report.context import Context
from perf.report.display import Section, capital, esc, paragraph
from perf.schema import rows_of
from perf.significance import SIGNIFICANCE_WORDS
from perf.tables import format_value, html_table

__all__ = ["MAX_FUNNELS", "charted", "funnels", "neighbours_significance_table"]


def _counts_sentence(frame: pd.DataFrame) -> str:
    """ "Of 151 councils assessed, 40 were statistically higher than England ..."."""
    attrs = frame.attrs
    counts = attrs.get("counts", {})
    comparator = str(attrs.get("comparator", "England"))
    parts = [
        f"{n} {'was' if n == 1 else 'were'} "
        f"{SIGNIFICANCE_WORDS[code].format(comparator=comparator)}"
        for code, n in counts.items()
        if n and code != "not_assessed"
    ]
    n = int(attrs.get("n_assessed", 0))
    text = f"Of {n} {plural('council', n)} assessed, " + "; ".join(parts) + "."
    if n_not := int(attrs.get("n_not_assessed", 0)):
        text += (
            f" {n_not} had no published figure or denominator and "
            f"{'was' if n_not == 1 else 'were'} not assessed."
        )
    return text


def neighbours_significance_table(ctx: Context, indicator: str, frame: pd.DataFrame) -> str:
    """The council and its statistical neighbours: figure, denominator, 95% confidence
    interval and where each falls against England's funnel limits."""
    info = ctx.info(indicator)
    codes = [ctx.area_code, *ctx.neighbour_codes]
    rows = frame.set_index("area_code").reindex(codes).dropna(how="all").reset_index()
    label = frame.attrs.get("denominator_label") or "denominator"
    period = str(frame.attrs.get("period", ""))
    shown = rows_of(ctx.obs, indicator, period)
    flags = dict(zip(shown["area_code"], shown["flag"]))
    records = []
    for _, r in rows.iterrows():
        name = str(r["area_name"]) + (" (this council)" if r["area_code"] == ctx.area_code else "")
        records.append(
            {
                "Area": name,
                "Figure": format_value(
                    r["value"],
                    info.unit,
                    info.decimals,
                    ctx.flag(indicator, r["area_code"], period, flags.get(r["area_code"])),
                ),
                f"Number of {label}": format_value(r["denominator"], "count", 0),
                "95% confidence interval": (
                    f"{format_value(r['ci_lower'], info.unit, info.decimals)} to "
                    f"{format_value(r['ci_upper'], info.unit, info.decimals)}"
                    if pd.notna(r["ci_lower"])
                    else "Not available"
                ),
                "Compared with England": capital(str(r["significance_words"]))
                + (f" ({r['note']})" if isinstance(r["note"], str) and r["note"] else ""),
            }
        )
    return html_table(
        pd.DataFrame(records),
        f"{info.title}, {period}: {ctx.area_name} and its "
        f"statistical neighbours ({ctx.neighbour_set()}) against England",
        numeric=["Figure", f"Number of {label}"],
        table_id=f"funnel-{indicator.replace('_', '-')}",
    )


#: The most funnel plots a briefing draws (each costs a render a few tenths of a second);
#: the summary table gives every indicator's place against England.
MAX_FUNNELS = 3


def charted(ctx: Context) -> list[str]:
    """The indicators whose funnel is drawn, in the briefing's order: those the verdicts
    call statistically worse than England, then statistically better, at most
    :data:`MAX_FUNNELS`; NEET's not known comes with NEET."""
    found = [i for i in ctx.funnels if ctx.verdict(i) is not None]
    worse = [
        i
        for i in found
        if ctx.verdict(i)["vs_england"] == "worse"
        and ctx.verdict(i)["vs_england_method"] == "statistical"
    ]
    better = [
        i
        for i in found
        if ctx.verdict(i)["vs_england"] == "better"
        and ctx.verdict(i)["vs_england_method"] == "statistical"
        and i not in worse
    ]
    return (worse + better)[:MAX_FUNNELS]


def _summary(ctx: Context) -> str:
    """Every indicator with a funnel: the figure, what it is based on, its interval and
    where it falls against England's limits (the verdict's words)."""
    records = []
    for indicator, frame in ctx.funnels.items():
        verdict = ctx.verdict(indicator)
        mine = frame[frame["area_code"] == ctx.area_code]
        if verdict is None or mine.empty:
            continue
        r, info = mine.iloc[0], ctx.info(indicator)
        records.append(
            {
                "Indicator": f"{info.title} ({verdict['period_words']})",
                "Figure": format_value(r["value"], info.unit, info.decimals),
                "95% confidence interval": (
                    f"{format_value(r['ci_lower'], info.unit, info.decimals)} to "
                    f"{format_value(r['ci_upper'], info.unit, info.decimals)}"
                    if pd.notna(r["ci_lower"])
                    else "Not available"
                ),
                "Compared with England": capital(str(r["significance_words"]))
                + (f" {note}" if (note := companion_note(ctx, indicator)) else ""),
            }
        )
    if not records:
        return ""
    return html_table(
        pd.DataFrame(records),
        f"{ctx.area_name} against England's funnel limits, {ctx.period}",
        numeric=["Figure"],
        table_id="funnel-summary",
    )


def funnels(ctx: Context) -> Section:
    """Every rate and percentage covered with a denominator against England's funnel
    limits, in one table; a funnel plot for those statistically different from England
    (:func:`charted`), each with its neighbours against England."""
    if not ctx.funnels:
        return Section(
            paragraph(
                f"None of the rates or percentages covered has a published denominator for "
                f"{ctx.area_name} in {ctx.period}, so there is no funnel plot."
            )
        )
    parts = [
        paragraph(
            "A ranking puts every council in order even when the differences between them are "
            "no more than chance. A funnel plot shows each council's figure against the number "
            "of children or young people it is based on, with limits around England's value "
            "that narrow as that number grows: a council outside the 99.8% limits differs from "
            "England by more than chance would explain; one between the 95% and 99.8% limits "
            "may differ; one inside the 95% limits is not statistically different."
        ),
        _summary(ctx),
    ]
    chosen = charted(ctx)
    if chosen:
        parts.append(
            paragraph(
                f"Funnel plots follow for the indicators statistically different from England "
                f"(at most {MAX_FUNNELS}, worse first)."
            )
        )
    sources: set[str] = set()
    for frame in ctx.funnels.values():
        sources |= set(frame.attrs.get("sources", []))
    for indicator in chosen:
        frame = ctx.funnels[indicator]
        info = ctx.info(indicator)
        parts.append(f"<h3>{esc(info.title)}</h3>")
        parts.append(
            chart_or_note(
                ctx,
                partial(
                    funnel_chart,
                    frame,
                    area_code=ctx.area_code,
                    neighbours=list(ctx.neighbour_codes),
                    neighbour_set=ctx.neighbour_set(),
                    catalogue=ctx.catalogue,
                ),
                f"the funnel plot of {info.title.lower()}",
            )
        )
        parts.append(paragraph(_counts_sentence(frame)))
        note = companion_note(ctx, indicator)
        if note:
            parts.append(paragraph(note))
        parts.append(
            paragraph(
                f"{frame.attrs['method_text']} "
                f"{capital(frame.attrs['confidence_text'])}. The limits are "
                f"drawn around {frame.attrs['target_text']}."
            )
        )
        parts.append(
            table_or_note(
                ctx,
                partial(neighbours_significance_table, ctx, indicator, frame),
                "statistical neighbours against England",
            )
        )
    return Section("\n".join(p for p in parts if p), frozenset(sources))
