"""Benchmarking: rank, quartile and statistical neighbours for each headline indicator."""

from __future__ import annotations

import pandas as pd

from perf.benchmarking import quartile_sentence, rank_sentence
from perf.charts import benchmark_chart
from perf.config import ENGLAND
from perf.report.common import chart_or_note, source_line, table_or_note
from perf.report.context import Context
from perf.report.display import Section, capital, esc, paragraph, sources_of
from perf.tables import benchmark_table, format_value, html_table

__all__ = ["benchmarking"]


def benchmarking(ctx: Context) -> Section:
    """Rank, quartile and statistical neighbours for each headline indicator."""
    if not ctx.benchmarks:
        return Section(paragraph(f"No published figures to benchmark {ctx.area_name} on."))
    obs = ctx.obs
    rows, sources = [], frozenset()
    region = ctx.region_name
    for indicator, bench in ctx.benchmarks.items():
        info = ctx.info(indicator)
        mine = bench[bench["area_code"] == ctx.area_code]
        if mine.empty:
            continue
        r = mine.iloc[0]
        rank = (rank_sentence(bench, ctx.area_code, noun="value")
                if pd.notna(r["rank"]) else "not ranked")
        period = bench.attrs.get("period", "")
        when = ctx.refers_to(ctx.latest.loc[indicator]) if indicator in ctx.latest.index \
            else period
        row = {
            "Indicator": f"{info.title} ({when})",
            ctx.area_name: format_value(r["value"], info.unit, info.decimals, ctx.flag(
                indicator, ctx.area_code, period, r["flag"])),
            "England": format_value(r["england_value"], info.unit, info.decimals, ctx.flag(
                indicator, ENGLAND, period, None)),
        }
        if region:
            row[region] = format_value(r["region_value"], info.unit, info.decimals, ctx.flag(
                indicator, str(ctx.region_code), period, None))
        row |= {
            "Statistical neighbours' average": format_value(r["sn_mean"], info.unit,
                                                            info.decimals),
            "Rank": capital(rank),
            "Quartile": capital(quartile_sentence(bench, ctx.area_code)),
        }
        rows.append(row)
        sources |= sources_of(obs[(obs["indicator"] == indicator)
                                  & (obs["area_code"] == ctx.area_code)
                                  & (obs["period"] == bench.attrs.get("period"))])
    parts = [html_table(pd.DataFrame(rows), f"{ctx.area_name} against every local "
                        "authority: headline indicators", table_id="benchmark-summary",
                        numeric=[ctx.area_name, "England", *([region] if region else []),
                                 "Statistical neighbours' average"])]
    if "cla_rate" in ctx.benchmarks:
        bench = ctx.benchmarks["cla_rate"]
        info = ctx.info("cla_rate")
        period = str(bench.attrs.get("period", ""))
        parts.append(f"<h3>{esc(info.title)}: {esc(ctx.area_name)} and its statistical "
                     "neighbours</h3>")
        behind = obs[(obs["indicator"] == "cla_rate") & (obs["period"] == period)]
        sources |= sources_of(behind)
        parts.append(chart_or_note(ctx, lambda: benchmark_chart(
            bench, area_code=ctx.area_code, label=info.title, unit=info.unit,
            decimals=info.decimals, period=period, neighbours=list(ctx.neighbour_codes),
            source=source_line(behind)), "the ranking"))
        parts.append(table_or_note(ctx, lambda: benchmark_table(
            bench, caption=f"{info.title}, {period}: {ctx.area_name} and its statistical "
            "neighbours", unit=info.unit, decimals=info.decimals, area_code=ctx.area_code,
            neighbours=list(ctx.neighbour_codes), table_id="benchmark-neighbours",
            legend=False),
            "statistical neighbours"))
    return Section("\n".join(parts), sources)
