"""Statistical process control (XmR) for the headline indicators with enough points."""

from __future__ import annotations

from functools import partial

import pandas as pd

from perf import config
from perf.charts import spc_chart
from perf.disclosure import is_suppressed
from perf.errors import PerfError
from perf.report.common import chart_or_note, example_mark, source_line
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.scorecards import ILLUSTRATIVE_NOTE
from perf.series import is_month, monthly_series
from perf.spc import assurance_icon, declared_rebase, series_for, variation_icon, xmr

__all__ = ["MIN_MONTHS", "SPC_INDICATORS", "spc", "spc_finding"]

#: The fewest monthly figures a council's own control chart is drawn from.
MIN_MONTHS = 12

log = config.get_logger()

#: The headline indicators given a control chart, in the order shown.
SPC_INDICATORS = ("cla_rate", "PriTotAbs", "SecTotAbs", "neet_16_17")


def spc_finding(chart: pd.DataFrame, subject: str, variation: str) -> str:
    """An SPC chart's title: what the latest point shows, then the earlier special causes.

    >>> chart = pd.DataFrame({"value": [1.0, 9.0, 2.0], "special_cause": [False, True, False]})
    >>> spc_finding(chart, "Absence in Dudley", "common cause")
    'Absence in Dudley: the latest point shows common-cause variation (1 earlier point was special cause)'
    >>> chart["special_cause"] = [True, False, True]
    >>> spc_finding(chart, "Absence in Dudley", "special cause concerning")
    'Absence in Dudley: the latest point shows special-cause variation, a concern (2 of 3 points are special cause)'
    >>> spc_finding(chart.assign(special_cause=False), "Absence in Dudley", "common cause")
    'Absence in Dudley: only common-cause variation in all 3 points'
    """
    present = chart.dropna(subset=["value"])
    special = present["special_cause"].fillna(False).astype(bool).to_numpy()
    n, total = int(special.sum()), len(present)
    if n == 0:
        return f"{subject}: only common-cause variation in all {total} points"
    if not variation.startswith("special"):
        return (
            f"{subject}: the latest point shows common-cause variation ({n} earlier "
            f"point{' was' if n == 1 else 's were'} special cause)"
        )
    kind = {
        "special cause improving": ", an improvement",
        "special cause concerning": ", a concern",
    }.get(variation, "")
    return (
        f"{subject}: the latest point shows special-cause variation{kind} ({n} of {total} "
        f"point{' is' if n == 1 else 's are'} special cause)"
    )


def _latest_withheld(rows: pd.DataFrame) -> bool:
    """True when the latest of an area's figures is suppressed: a control chart's verdict on
    "the latest point" would then judge the figures before it, printed beside a [c]."""
    if rows.empty:
        return False
    latest = rows.sort_values("period_end", kind="stable").tail(1)
    return bool(is_suppressed(latest).iloc[0])


def _withheld_note(title: str) -> str:
    return paragraph(
        f"{title}: the latest figure is suppressed to protect individuals, so no control "
        "chart or verdict is given."
    )


def _catalogue_text(ctx: Context, indicator: str, column: str) -> str | None:
    rows = ctx.catalogue[ctx.catalogue["indicator"] == indicator]
    value = rows[column].iloc[0] if len(rows) and column in rows else None
    return value if isinstance(value, str) and value.strip() else None


def spc(ctx: Context) -> Section:
    """Statistical process control (XmR) for the headline indicators with enough points."""
    parts: list[str] = []
    sources: frozenset[str] = frozenset()
    for indicator in SPC_INDICATORS:
        window = ctx.window(indicator)
        series = (
            series_for(window, indicator, ctx.area_code).dropna()
            if len(window)
            else pd.Series(dtype=float)
        )
        if len(series) < 5:
            continue
        info = ctx.info(indicator)
        if _latest_withheld(window[window["area_code"] == ctx.area_code]):
            parts.append(f"<h3>{esc(info.title)}</h3>" + _withheld_note(info.title))
            continue
        breaks = declared_rebase(list(series.index), _catalogue_text(ctx, indicator, "break_at"))
        try:
            chart = xmr(series, polarity=info.polarity, rebase_at=breaks)
            variation = variation_icon(chart)
            assurance = assurance_icon(chart)
        except PerfError as exc:
            log.info("no SPC for %s: %s", indicator, exc)
            continue
        chart = chart.assign(period=series.index)
        ends = window[window["area_code"] == ctx.area_code].set_index("period")["period_end"]
        chart["period_end"] = chart["period"].map(ends)
        mine = window[window["area_code"] == ctx.area_code]
        behind = mine[mine["period"].isin(series.index)]
        sources |= sources_of(behind)
        mark = example_mark(behind)
        finding = spc_finding(chart, f"{info.title} in {ctx.area_name}{mark}", variation)
        parts.append(f"<h3>{esc(info.title)}</h3>")
        if breaks:
            note = _catalogue_text(ctx, indicator, "break_note")
            parts.append(
                paragraph(
                    f"The series has a structural break at {' and '.join(breaks)}"
                    + (f": {note[:1].lower()}{note[1:]}" if note else "")
                    + ". The process limits are computed "
                    "separately before and after it (a rebase declared in the indicator "
                    "catalogue), so points on either side are not judged against one another."
                )
            )
        if chart.attrs.get("trial_limits"):
            parts.append(
                paragraph(
                    "With fewer than 12 points in a phase these are trial limits: read the "
                    "variation as provisional."
                )
            )
        parts.append(
            chart_or_note(
                ctx,
                partial(
                    spc_chart,
                    chart,
                    label=info.title + mark,
                    area_name=ctx.area_name,
                    unit=info.unit,
                    decimals=info.decimals,
                    variation=variation,
                    assurance=assurance,
                    title=finding,
                    source=source_line(behind),
                ),
                info.title,
            )
        )
        if mark:
            parts.append(f'<p class="table-note">{esc(ILLUSTRATIVE_NOTE)}</p>')
    local, local_sources = _monthly_charts(ctx)
    sources |= local_sources
    if not parts and not local:
        return Section(
            paragraph(
                "There are too few periods of published figures for "
                "statistical process control charts (at least 5 needed)."
            )
        )
    if local:
        parts += ["<h3>The council's monthly figures</h3>"] + local
    intro = paragraph(
        "Statistical process control separates the usual ups and downs of a "
        "figure (common cause variation) from changes worth investigating "
        "(special cause variation), using process limits computed from the "
        "figures themselves."
    )
    return Section(intro + "\n" + "\n".join(parts), sources)


def _monthly_charts(ctx: Context) -> tuple[list[str], frozenset[str]]:
    """XmR charts of the council's own monthly series (at least :data:`MIN_MONTHS` months
    up to the end of the period), each marked [ex] when its figures are illustrative."""
    if ctx.scored is None:
        return [], frozenset()
    end = pd.Timestamp(ctx.period_obj.end)
    parts: list[str] = []
    sources: frozenset[str] = frozenset()
    for indicator in ctx.scored["indicator"]:
        series = monthly_series(ctx.area_obs, indicator, ctx.area_code, up_to=end).dropna()
        if len(series) < MIN_MONTHS:
            continue
        info = ctx.info(indicator)
        months = ctx.area_obs[
            (ctx.area_obs["indicator"] == indicator)
            & is_month(ctx.area_obs)
            & (ctx.area_obs["period_end"] <= end)
        ]
        if _latest_withheld(months):
            parts.append(f"<h4>{esc(info.title)}, month by month</h4>")
            parts.append(_withheld_note(info.title))
            continue
        try:
            chart = xmr(series, polarity=info.polarity)
            variation, assurance = variation_icon(chart), assurance_icon(chart)
        except PerfError as exc:
            log.info("no monthly SPC for %s: %s", indicator, exc)
            continue
        rows = months.dropna(subset=["value"]).sort_values("period_end")
        chart = chart.assign(period=series.index, period_end=rows["period_end"].to_numpy())
        example = bool(rows["flag"].eq("ex").any())
        mark = " [ex]" if example else ""
        finding = spc_finding(
            chart, f"{info.title} in {ctx.area_name}, month by month{mark}", variation
        )
        source = source_line(rows)
        if example:
            source = f"{source}. {ILLUSTRATIVE_NOTE}" if source else ILLUSTRATIVE_NOTE
        sources |= sources_of(rows)
        parts.append(f"<h4>{esc(info.title)}, month by month{esc(mark)}</h4>")
        parts.append(
            chart_or_note(
                ctx,
                partial(
                    spc_chart,
                    chart,
                    label=info.title + mark,
                    area_name=ctx.area_name,
                    unit=info.unit,
                    decimals=info.decimals,
                    variation=variation,
                    assurance=assurance,
                    title=finding,
                    source=source,
                ),
                info.title,
            )
        )
        if example:
            parts.append(f'<p class="table-note">{esc(ILLUSTRATIVE_NOTE)}</p>')
    return parts, sources
