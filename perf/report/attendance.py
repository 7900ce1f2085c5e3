"""In-year school attendance: DfE's fortnightly pupil attendance statistics, year to date at
the reporting quarter's end, against England, the region and statistical neighbours.

These are the only in-year figures for every council: each comes from a named release and
runs to a cut-off date (both stated beside it). The full-year absence figures in the trends
section are LAIT's academic-year statistics: a different measure, said so here.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from perf.attendance import in_year_attendance, paragraphs, quarter_points
from perf.charts import attendance_ytd_chart
from perf.periods import financial_quarter
from perf.report.common import chart_or_note
from perf.report.context import Context
from perf.report.display import Section, capital, esc, paragraph, sources_of
from perf.report.words import quartile_words
from perf.tables import format_value, html_table

__all__ = ["attendance", "reporting_quarter_of"]

_PHASES = {
    "primary": "Primary schools",
    "secondary": "Secondary schools",
    "special": "Special schools",
    "total": "All state-funded schools",
}
_MEASURES = {"attendance": "Attendance", "pa": "Persistent absence"}


def reporting_quarter_of(ctx: Context) -> str | None:
    """The financial quarter whose in-year figures a briefing shows: its own quarter, or a
    financial year's last (Q4, to the end of March); None for other kinds of period."""
    kind = ctx.period_obj.kind
    if kind == "financial_quarter":
        return ctx.period
    if kind == "financial_year":
        return financial_quarter(ctx.period_obj.start.year, 4).label
    return None


def _table(ctx: Context, frame: pd.DataFrame) -> str:
    rows = []
    for _, r in frame.iterrows():
        flag = r.get("flag")
        rank = (
            f"{int(r['rank'])} of {int(r['n_ranked'])}" if pd.notna(r.get("rank")) else "not ranked"
        )
        change = r.get("change_pp")
        rows.append(
            {
                "Measure": f"{_MEASURES.get(r['measure'], r['measure'])}: "
                f"{_PHASES.get(r['phase'], r['phase'])}",
                ctx.area_name: format_value(r["value"], "%", int(r["decimals"]), flag),
                "England": format_value(r["england_value"], "%", int(r["decimals"])),
                str(r.get("region_name") or "Region"): format_value(
                    r["region_value"], "%", int(r["decimals"])
                ),
                "Statistical neighbours' average": format_value(
                    r["sn_mean"], "%", int(r["decimals"])
                ),
                "Rank (1 = best)": rank,
                "Quartile": capital(quartile_words(r.get("quartile"))) or "None",
                "Change on the same point last year": "not comparable"
                if pd.isna(change)
                else f"{change:+.{int(r['decimals'])}f} percentage points",
            }
        )
    table = pd.DataFrame(rows)
    cutoff = pd.Timestamp(frame["cutoff"].iloc[0])
    return html_table(
        table,
        f"In-year attendance in {ctx.area_name}, year to {cutoff.day} {cutoff:%B %Y}",
        table_id="attendance-in-year",
        numeric=[c for c in table.columns if c not in ("Measure", "Quartile")],
    )


def attendance(ctx: Context) -> Section:
    """Primary, secondary and special attendance year to date at the quarter's end."""
    quarter = reporting_quarter_of(ctx)
    frame = (
        in_year_attendance(ctx.obs, ctx.area_code, quarter, catalogue=ctx.catalogue)
        if quarter
        else None
    )
    if quarter is None or frame is None or frame.empty:
        what = f"for {quarter}" if quarter else f"for a {ctx.period_obj.kind.replace('_', ' ')}"
        return Section(
            paragraph(
                f"No DfE in-year attendance release held carries figures "
                f"{what}; the releases held run from 2022-23 Q3."
            )
        )
    release = frame.iloc[0]
    parts = [
        paragraph(
            f"These are in-year figures: attendance in the school year to {release['cutoff']:%-d %B %Y}"
            f", from DfE's Pupil attendance in schools (the release of "
            f"{pd.Timestamp(release['published']):%-d %B %Y}; cut-off {release['cutoff_basis']}). "
            "The full-year absence figures under Trends are a "
            "different measure (the whole academic year, from DfE's absence statistics)."
        )
    ]
    parts.append(_table(ctx, frame))
    parts += [f"<p>{esc(text)}</p>" for text in paragraphs(frame)]
    # One chart, for the phase furthest below England (the one most needing attention):
    # each chart costs a quarter of a second a briefing, every council, every quarter.
    charted = frame[
        (frame["measure"] == "attendance") & frame["phase"].isin(["primary", "secondary"])
    ]
    charted = charted.sort_values("gap_england_pp", kind="stable").head(1)
    for phase in charted["phase"]:
        indicator = f"attendance_ytd_{phase}"
        points = quarter_points(ctx.obs, ctx.area_code, indicator, quarter, catalogue=ctx.catalogue)
        parts.append(f"<h3>{esc(_PHASES[phase])}: year to date at each quarter's end</h3>")
        parts.append(
            chart_or_note(
                ctx,
                partial(attendance_ytd_chart, points, catalogue=ctx.catalogue),
                f"in-year attendance in {phase} schools",
            )
        )
    sources = sources_of(frame) | frozenset(frame["last_year_source"].dropna().astype(str))
    return Section("\n".join(parts), sources)
