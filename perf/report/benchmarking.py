"""Benchmarking: rank, quartile, statistical neighbours (the set named; both sets' positions
in the year the model changed) and where the council stands against England's funnel limits,
with its confidence interval, for each published indicator covered (from its verdict)."""

from __future__ import annotations

import pandas as pd

from perf._numbers import ordinal
from perf.areas import NEIGHBOUR_MODELS
from perf.benchmarking import quartile_phrase, rank_sentence
from perf.charts import benchmark_chart
from perf.config import ENGLAND
from perf.matrix import year_of_change
from perf.report.common import (
    chart_or_note,
    companion_note,
    example_mark,
    source_line,
    table_or_note,
)
from perf.report.context import Context
from perf.report.display import Section, capital, esc, paragraph, sources_of, vs_england_words
from perf.schema import rows_of
from perf.tables import benchmark_table, format_value, html_table

__all__ = ["benchmarking"]


def benchmarking(ctx: Context) -> Section:
    """Rank, quartile and statistical neighbours for each published indicator covered."""
    if not ctx.benchmarks:
        return Section(paragraph(f"No published figures to benchmark {ctx.area_name} on."))
    obs = ctx.obs
    rows, positions = [], []
    sources: frozenset[str] = frozenset()
    models = [ctx.neighbour_model] + (
        [m for m in NEIGHBOUR_MODELS if m != ctx.neighbour_model]
        if year_of_change(pd.Timestamp(ctx.period_obj.end))
        else []
    )
    neighbour_mean_header = f"Statistical neighbours' average ({ctx.neighbour_model} model)"
    region = ctx.region_name
    for indicator in ctx.published():
        bench, verdict = ctx.benchmarks.get(indicator), ctx.verdict(indicator)
        if bench is None or verdict is None or not bool(verdict["benchmarked"]):
            continue
        info = ctx.info(indicator)
        mine = bench[bench["area_code"] == ctx.area_code]
        r = mine.iloc[0]
        rank = (
            rank_sentence(bench, ctx.area_code, noun="value")
            if pd.notna(r["rank"])
            else "not ranked"
        )
        period = bench.attrs.get("period", "")
        of = len(ctx.neighbour_codes)
        mean = format_value(verdict["sn_mean"], info.unit, info.decimals)
        if pd.notna(verdict["sn_mean"]) and pd.notna(verdict["sn_n"]) and int(verdict["sn_n"]) < of:
            mean += f" (mean of {int(verdict['sn_n'])} of {of})"
        when = str(verdict["period_words"])
        row = {
            "Indicator": f"{info.title} ({when})",
            ctx.area_name: format_value(
                r["value"],
                info.unit,
                info.decimals,
                ctx.flag(indicator, ctx.area_code, period, r["flag"]),
            ),
            "England": format_value(
                r["england_value"],
                info.unit,
                info.decimals,
                ctx.flag(indicator, ENGLAND, period, None),
            ),
        }
        if region:
            row[region] = format_value(
                r["region_value"],
                info.unit,
                info.decimals,
                ctx.flag(indicator, str(ctx.region_code), period, None),
            )
        row |= {
            neighbour_mean_header: mean,
            "Rank": capital(rank),
            "Quartile": capital(
                quartile_phrase(
                    verdict["quartile"], verdict["n_ranked"], verdict["not_ranked_reason"]
                )
            ),
        }
        rows.append(row)
        # Positions and significance: a table of their own, so that neither is too wide
        # for an A4 page at 12 pt.
        placed = {"Indicator": row["Indicator"]}
        for model in models:
            placed[f"Among statistical neighbours ({model} model)"] = _position(
                ctx, indicator, period, model
            )
        placed.update(_significance(ctx, indicator, period, verdict))
        positions.append(placed)
        sources |= sources_of(
            ctx.area_obs[
                (ctx.area_obs["indicator"] == indicator)
                & (ctx.area_obs["period"] == str(bench.attrs.get("period")))
            ]
        )
    parts = [
        html_table(
            pd.DataFrame(rows),
            f"{ctx.area_name} against every local "
            f"authority: published indicators. Statistical neighbours: "
            f"{ctx.neighbour_set()}",
            table_id="benchmark-summary",
            numeric=[
                ctx.area_name,
                "England",
                *([region] if region else []),
                neighbour_mean_header,
            ],
        )
    ]
    if positions:
        parts.append(
            html_table(
                pd.DataFrame(positions),
                f"{ctx.area_name} among its "
                f"statistical neighbours and against England: published "
                f"indicators. Statistical neighbours: {ctx.neighbour_set()}",
                table_id="benchmark-positions",
            )
        )
    if ctx.funnels:
        parts.append(
            paragraph(
                "Compared with England: the council's figure against 95% and 99.8% funnel limits "
                "around England's value, for the number of children or young people it is based "
                "on, with its 95% confidence interval; the method for each indicator is stated "
                "under Statistical significance."
            )
        )
    if "cla_rate" in ctx.benchmarks:
        bench = ctx.benchmarks["cla_rate"]
        info = ctx.info("cla_rate")
        period = str(bench.attrs.get("period", ""))
        parts.append(
            f"<h3>{esc(info.title)}: {esc(ctx.area_name)} and its statistical "
            f"neighbours ({esc(ctx.neighbour_set())})</h3>"
        )
        behind = rows_of(obs, "cla_rate", period)
        sources |= sources_of(behind)
        mark = example_mark(behind[behind["area_code"] == ctx.area_code])
        parts.append(
            chart_or_note(
                ctx,
                lambda: benchmark_chart(
                    bench,
                    area_code=ctx.area_code,
                    label=info.title + mark,
                    unit=info.unit,
                    decimals=info.decimals,
                    period=period,
                    neighbours=list(ctx.neighbour_codes),
                    neighbour_set=ctx.neighbour_set(),
                    source=source_line(behind),
                ),
                "the ranking",
            )
        )
        parts.append(
            table_or_note(
                ctx,
                lambda: benchmark_table(
                    bench,
                    caption=f"{info.title}, {period}: {ctx.area_name} and its statistical "
                    f"neighbours ({ctx.neighbour_set()})",
                    unit=info.unit,
                    decimals=info.decimals,
                    area_code=ctx.area_code,
                    neighbours=list(ctx.neighbour_codes),
                    table_id="benchmark-neighbours",
                    legend=False,
                ),
                "statistical neighbours",
            )
        )
    return Section("\n".join(parts), sources)


def _position(ctx: Context, indicator: str, period: str, model: str) -> str:
    """ "3rd of 11": the council among itself and its neighbours in ``model``
    (``ctx.neighbour_positions``); a model with no set for the council says so, as the
    matrix does (never "1st of 1", the council alone)."""
    polarity = ctx.info(indicator).polarity
    key = (indicator, period, model)
    if key not in ctx.neighbour_positions:
        return "No neighbour figures"
    placed = ctx.neighbour_positions[key]
    if placed is None:
        return f"No neighbours in the {model} model"
    position, ranked = placed
    if position is None:
        return "Not placed: no figure"
    return f"{ordinal(position)} of {ranked}" + (
        "" if polarity in ("high", "low") else " (context: lowest first)"
    )


def _significance(ctx: Context, indicator: str, period: str, verdict: pd.Series) -> dict[str, str]:
    """The verdict's comparison with England (NEET with not known beside it), and the
    council's own interval against England's funnel limits."""
    note = companion_note(ctx, indicator)
    compared = vs_england_words(verdict) + (f" {note}" if note else "")
    frame = ctx.funnels.get(indicator)
    mine = (
        frame[frame["area_code"] == ctx.area_code]
        if frame is not None and str(frame.attrs.get("period")) == period
        else None
    )
    if mine is None or mine.empty:
        return {"Compared with England": compared, "95% confidence interval": "Not available"}
    r, info = mine.iloc[0], ctx.info(indicator)
    interval = (
        f"{format_value(r['ci_lower'], info.unit, info.decimals)} to "
        f"{format_value(r['ci_upper'], info.unit, info.decimals)}"
        if pd.notna(r["ci_lower"])
        else "Not available"
    )
    return {"Compared with England": compared, "95% confidence interval": interval}
