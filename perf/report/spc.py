"""Statistical process control (XmR): each indicator's verdict (the matrix's, computed once
in the context), and charts where the latest point is special cause or the series is the
council's own month by month."""

from __future__ import annotations

from functools import partial

import pandas as pd

from perf import config
from perf.charts import spc_chart
from perf.disclosure import is_suppressed
from perf.errors import PerfError
from perf.matrix import SPC_MIN_MONTHS, SPC_MIN_POINTS
from perf.report.common import chart_or_note, source_line
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph, sources_of
from perf.scorecards import ILLUSTRATIVE_NOTE, table_notes
from perf.spc import xmr
from perf.tables import html_table

__all__ = ["MIN_MONTHS", "spc", "spc_finding"]

#: The fewest monthly figures a council's own control chart is drawn from.
MIN_MONTHS = SPC_MIN_MONTHS

log = config.get_logger()


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


def _withheld(verdicts: pd.DataFrame) -> pd.DataFrame:
    """The verdicts whose latest figure is suppressed though the figures before it are
    enough for a chart: a control chart's verdict on "the latest point" would then judge the
    figures before it, printed beside a [c] (the verdict gives none: perf.disclosure)."""
    points = pd.to_numeric(verdicts["spc_points"], errors="coerce").fillna(0)
    return verdicts[is_suppressed(verdicts).to_numpy() & (points >= SPC_MIN_POINTS).to_numpy()]


def _withheld_note(title: str) -> str:
    return paragraph(
        f"{title}: the latest figure is suppressed to protect individuals, so no control "
        "chart or verdict is given."
    )


def _catalogue_text(ctx: Context, indicator: str, column: str) -> str | None:
    value = ctx.catalogue_cell(indicator, column)
    return value if isinstance(value, str) and value.strip() else None


#: The SPC verdicts in words (the matrix's words: perf.report.matrix).
_VARIATION = {
    "common cause": "Common cause: no sign of change",
    "special cause improving": "Special cause: improving",
    "special cause concerning": "Special cause: concerning",
    "special cause neither": "Special cause: a change, neither better nor worse",
}


def _table(ctx: Context, rows: pd.DataFrame) -> str:
    """Every indicator's SPC verdict, as the matrix gives it: what the series is, how many
    points, the variation of the latest point, and any declared break honoured."""
    records = []
    for indicator, v in rows.iterrows():
        breaks = tuple(v["spc_breaks"] or ())
        records.append(
            {
                "Indicator": ctx.info(indicator).title,
                "Series": (
                    "the council's own figures, month by month"
                    if v["spc_basis"] == "months"
                    else "the figure's own series (like for like)"
                ),
                "Points": str(int(v["spc_points"])),
                "Latest point": _VARIATION.get(str(v["variation"]), str(v["variation"]))
                + (" [ex]" if bool(v["example"]) else ""),
                "Declared break": " and ".join(breaks) if breaks else "None",
            }
        )
    frame = pd.DataFrame(records)
    return html_table(
        frame,
        f"Statistical process control: the latest point of each indicator's series, "
        f"{ctx.area_name}, {ctx.period}",
        table_id="spc-summary",
        numeric=["Points"],
    ) + table_notes(frame["Latest point"].tolist())


def spc(ctx: Context) -> Section:
    """Statistical process control (XmR): the verdict of every indicator with enough points
    (the same one the matrix shows, computed once, declared breaks honoured), and a chart
    for each whose latest point is special cause or whose series is the council's own
    month by month."""
    if ctx.verdicts is None:
        found = withheld = pd.DataFrame()
    else:
        found = ctx.verdicts[ctx.verdicts["variation"].notna()]
        withheld = _withheld(ctx.verdicts)
    notes = [
        f"<h3>{esc(ctx.info(str(i)).title)}</h3>" + _withheld_note(ctx.info(str(i)).title)
        for i in withheld.index
    ]
    if found.empty and not notes:
        return Section(
            paragraph(
                "There are too few periods of figures for statistical process control "
                f"charts (at least {SPC_MIN_POINTS} needed)."
            )
        )
    parts = [
        paragraph(
            "Statistical process control separates the usual ups and downs of a "
            "figure (common cause variation) from changes worth investigating "
            "(special cause variation), using process limits computed from the "
            "figures themselves."
        ),
        *([_table(ctx, found)] if len(found) else []),
        *notes,
    ]
    sources: frozenset[str] = frozenset()
    # a chart where it tells a story: a special cause, better or worse, or the council's own
    # months (a measure with no better direction has its special cause in the table)
    charted = found[
        found["variation"].isin(["special cause improving", "special cause concerning"])
        | found["spc_basis"].eq("months")
    ]
    if len(charted):
        parts.append(
            paragraph(
                "Charts follow for the indicators whose latest point is a special cause of "
                "improvement or concern, and for the council's own monthly series."
            )
        )
    for indicator, v in charted.iterrows():
        chart_html, used = _chart(ctx, str(indicator), v)
        parts += chart_html
        sources |= used
    return Section("\n".join(parts), sources)


def _chart(ctx: Context, indicator: str, verdict: pd.Series) -> tuple[list[str], frozenset[str]]:
    """One indicator's control chart, drawn from the series its verdict read."""
    info = ctx.info(indicator)
    labels = [p for p, _, _ in verdict["spc_series"]]
    series = pd.Series(
        [v for _, v, _ in verdict["spc_series"]], index=pd.Index(labels, name="period")
    )
    breaks = list(verdict["spc_breaks"] or ())
    try:
        chart = xmr(
            series,
            polarity=info.polarity,
            rebase_at=breaks,
            target=(None if pd.isna(verdict["target"]) else float(verdict["target"])),
        )
    except PerfError as exc:
        log.info("no SPC chart for %s: %s", indicator, exc)
        return [], frozenset()
    chart = chart.assign(period=labels, period_end=[e for _, _, e in verdict["spc_series"]])
    monthly = verdict["spc_basis"] == "months"
    example = bool(verdict["example"])
    mark = " [ex]" if example else ""
    subject = f"{info.title} in {ctx.area_name}" + (", month by month" if monthly else "") + mark
    finding = spc_finding(chart, subject, str(verdict["variation"]))
    mine = ctx.area_obs[
        (ctx.area_obs["indicator"] == indicator) & ctx.area_obs["period"].isin(labels)
    ]
    source = source_line(mine)
    if example:
        source = f"{source}. {ILLUSTRATIVE_NOTE}" if source else ILLUSTRATIVE_NOTE
    heading = info.title + (", month by month" if monthly else "") + mark
    parts = [f"<h3>{esc(heading)}</h3>"]
    if breaks:
        note = _catalogue_text(ctx, indicator, "break_note")
        parts.append(
            paragraph(
                f"The series has a structural break at {' and '.join(breaks)}"
                + (f": {note[:1].lower()}{note[1:]}" if note else "")
                + ". The process limits are computed separately before and after it, so "
                "points on either side are not judged against one another."
            )
        )
    if bool(verdict["spc_trial"]):
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
                variation=str(verdict["variation"]),
                assurance=verdict["assurance"],
                title=finding,
                source=source,
            ),
            info.title,
        )
    )
    if example:
        parts.append(f'<p class="table-note">{esc(ILLUSTRATIVE_NOTE)}</p>')
    return parts, sources_of(mine)
