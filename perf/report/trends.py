"""Trends: children looked after per 10,000, NEET and its gap to England, school absence."""

from __future__ import annotations

import pandas as pd

from perf.charts import attendance_chart, neet_gap_chart, trend_chart
from perf.config import ENGLAND
from perf.report.common import chart_or_note, example_mark
from perf.report.context import Context
from perf.report.display import Section, esc, sources_of
from perf.scorecards import ILLUSTRATIVE_NOTE

__all__ = ["trends"]


def trends(ctx: Context) -> Section:
    """Children looked after, NEET and its gap to England, primary and secondary absence."""
    parts = ["<h3>Children looked after per 10,000 children</h3>"]
    cla = ctx.window("cla_rate")
    mark = example_mark(cla[cla["area_code"] == ctx.area_code])
    parts.append(
        chart_or_note(
            ctx,
            lambda: trend_chart(
                cla,
                "cla_rate",
                ctx.area_code,
                region_code=ctx.region_code,
                neighbours=list(ctx.neighbour_codes),
                neighbour_set=ctx.neighbour_set(),
                catalogue=ctx.catalogue,
                label=ctx.info("cla_rate").title + mark if mark else None,
            ),
            "children looked after",
        )
    )
    if mark:
        parts.append(f'<p class="table-note">{esc(ILLUSTRATIVE_NOTE)}</p>')
    parts.append("<h3>Young people not in education, employment or training (NEET)</h3>")
    neet = ctx.window("neet_16_17")
    parts.append(chart_or_note(ctx, lambda: neet_gap_chart(neet, ctx.area_code), "NEET"))
    parts.append("<h3>Absence from primary and secondary schools</h3>")
    absence = pd.concat([ctx.window("PriTotAbs"), ctx.window("SecTotAbs")])
    parts.append(
        chart_or_note(
            ctx,
            lambda: attendance_chart(
                absence,
                ctx.area_code,
                neighbours=list(ctx.neighbour_codes),
                neighbour_set=ctx.neighbour_set(),
            ),
            "school absence",
        )
    )
    mine_and_england = [ctx.area_code, ENGLAND]
    sources = (
        sources_of(cla[cla["area_code"].isin(mine_and_england)])
        | sources_of(neet[neet["area_code"].isin(mine_and_england)])
        | sources_of(absence[absence["area_code"] == ctx.area_code])
    )
    return Section("\n".join(parts), sources)
