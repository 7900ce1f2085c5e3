"""Trends: a chart for each key trend, the indicators whose story is the one a committee
asks about first (worse than England and getting worse, or a special cause of concern),
and a sentence for every other; NEET never without the young people whose activity is not
known."""

from __future__ import annotations

from functools import partial

from perf.charts import trend_chart
from perf.config import ENGLAND
from perf.report.common import chart_or_note, companion_note, example_mark
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.scorecards import ILLUSTRATIVE_NOTE

__all__ = ["MAX_TRENDS", "key_trends", "trends"]

#: The most trend charts a briefing draws (each costs a render about a tenth of a second,
#: every council, every period); the matrix's recent figures show every indicator's series.
MAX_TRENDS = 3


def key_trends(ctx: Context) -> list[str]:
    """The published indicators whose trend is charted, in the briefing's order: a KPI
    worse than England whose latest change is worsening or whose control chart shows a
    special cause of concern; then, to fill :data:`MAX_TRENDS`, any other worse than
    England.

    The verdicts decide, so the charts follow what the matrix says."""
    if ctx.verdicts is None:
        return []
    published = [i for i in ctx.published() if i in ctx.verdicts.index]
    rows = ctx.verdicts.loc[published]
    kpi = rows["role"].eq("kpi")
    worse = rows["vs_england"].eq("worse")
    story = (
        kpi
        & worse
        & (rows["direction"].eq("worsening") | rows["variation"].eq("special cause concerning"))
    )
    chosen = list(rows.index[story])
    chosen += [i for i in rows.index[kpi & worse] if i not in chosen]
    return [str(i) for i in chosen[:MAX_TRENDS]]


def trends(ctx: Context) -> Section:
    """A trend chart for each key trend (:func:`key_trends`) against England, the region
    and the statistical neighbours; a line saying why these."""
    chosen = key_trends(ctx)
    if not chosen:
        return Section(
            paragraph(
                f"No published indicator for {ctx.area_name} is both worse than England and "
                "getting worse, so no trend is charted; the performance matrix gives every "
                "indicator's last three figures."
            )
        )
    parts = [
        paragraph(
            "The indicators charted are those worse than England whose latest change is for "
            "the worse or whose control chart shows a special cause of concern (at most "
            f"{MAX_TRENDS}); the performance matrix gives every indicator's recent figures."
        )
    ]
    sources: frozenset[str] = frozenset()
    for indicator in chosen:
        info = ctx.info(indicator)
        window = ctx.window(indicator)
        # a chart drawing an illustrative or synthetic figure says so in its title
        mark = example_mark(window[window["area_code"] == ctx.area_code])
        parts.append(f"<h3>{esc(info.title + mark)}</h3>")
        parts.append(
            chart_or_note(
                ctx,
                partial(
                    trend_chart,
                    window,
                    indicator,
                    ctx.area_code,
                    region_code=ctx.region_code,
                    neighbours=list(ctx.neighbour_codes),
                    neighbour_set=ctx.neighbour_set(),
                    catalogue=ctx.catalogue,
                    label=info.title + mark if mark else None,
                ),
                info.title.lower(),
            )
        )
        if mark:
            parts.append(f'<p class="table-note">{esc(ILLUSTRATIVE_NOTE)}</p>')
        note = companion_note(ctx, indicator)
        if note:
            parts.append(paragraph(note))
        sources |= sources_of(window[window["area_code"].isin([ctx.area_code, ENGLAND])])
    return Section("\n".join(parts), sources)
