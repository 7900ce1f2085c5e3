"""Statistical process control (XmR) for the headline indicators with enough points."""

from __future__ import annotations

import pandas as pd

from perf import config
from perf.charts import spc_chart
from perf.errors import PerfError
from perf.report.common import chart_or_note, source_line
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.spc import assurance_icon, declared_rebase, series_for, variation_icon, xmr

__all__ = ["SPC_INDICATORS", "spc", "spc_finding"]

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
        return (f"{subject}: the latest point shows common-cause variation ({n} earlier "
                f"point{' was' if n == 1 else 's were'} special cause)")
    kind = {"special cause improving": ", an improvement",
            "special cause concerning": ", a concern"}.get(variation, "")
    return (f"{subject}: the latest point shows special-cause variation{kind} ({n} of {total} "
            f"point{' is' if n == 1 else 's are'} special cause)")


def _catalogue_text(ctx: Context, indicator: str, column: str) -> str | None:
    rows = ctx.catalogue[ctx.catalogue["indicator"] == indicator]
    value = rows[column].iloc[0] if len(rows) and column in rows else None
    return value if isinstance(value, str) and value.strip() else None


def spc(ctx: Context) -> Section:
    """Statistical process control (XmR) for the headline indicators with enough points."""
    parts, sources = [], frozenset()
    for indicator in SPC_INDICATORS:
        window = ctx.window(indicator)
        series = series_for(window, indicator, ctx.area_code).dropna() \
            if len(window) else pd.Series(dtype=float)
        if len(series) < 5:
            continue
        info = ctx.info(indicator)
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
        finding = spc_finding(chart, f"{info.title} in {ctx.area_name}", variation)
        parts.append(f"<h3>{esc(info.title)}</h3>")
        if breaks:
            note = _catalogue_text(ctx, indicator, "break_note")
            parts.append(paragraph(
                f"The series has a structural break at {' and '.join(breaks)}"
                + (f": {note[:1].lower()}{note[1:]}" if note else "") + ". The process limits are computed "
                "separately before and after it (a rebase declared in the indicator "
                "catalogue), so points on either side are not judged against one another."))
        if chart.attrs.get("trial_limits"):
            parts.append(paragraph(
                "With fewer than 12 points in a phase these are trial limits: read the "
                "variation as provisional."))
        parts.append(chart_or_note(
            ctx, lambda chart=chart, info=info, v=variation, a=assurance, f=finding,
            s=source_line(behind): spc_chart(
                chart, label=info.title, area_name=ctx.area_name, unit=info.unit,
                decimals=info.decimals, variation=v, assurance=a, title=f, source=s),
            info.title))
    if not parts:
        return Section(paragraph("There are too few periods of published figures for "
                                 "statistical process control charts (at least 5 needed)."))
    intro = paragraph("Statistical process control separates the usual ups and downs of a "
                      "figure (common cause variation) from changes worth investigating "
                      "(special cause variation), using process limits computed from the "
                      "figures themselves.")
    return Section(intro + "\n" + "\n".join(parts), sources)
