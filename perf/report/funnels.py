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

__all__ = ["funnels", "neighbours_significance_table"]


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


def funnels(ctx: Context) -> Section:
    """A funnel plot for each rate and percentage covered with a denominator."""
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
        )
    ]
    sources: set[str] = set()
    for indicator, frame in ctx.funnels.items():
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
        sources |= set(frame.attrs.get("sources", []))
    return Section("\n".join(parts), frozenset(sources))
