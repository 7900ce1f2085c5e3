"""The narrative of a council's plans, in its own report's register, from the context:
per plan the council's assessments of its priorities and measures, the indicator counts in
the plan's scheme, the off-target list, status movement, the cumulative caveat, and one
sentence per indicator against its history (:mod:`perf.narrative` writes the sentences)."""

from __future__ import annotations

import pandas as pd

from perf import config
from perf._numbers import is_missing
from perf.alignment import label_words
from perf.assessment import OTHER, counts_in_scheme, off_target
from perf.errors import PerfError
from perf.narrative import (
    assessed_sentence,
    change_phrase,
    counts_sentence,
    cumulative_sentence,
    figure_sentence,
    grades_phrase,
    lac_change_sentence,
    movement_sentence,
    off_target_intro,
    stored_gap_sentence,
)
from perf.periods import parse_period, previous_quarter
from perf.report.context import Context
from perf.report.display import esc, paragraph, sources_of
from perf.scorecards import note_list
from perf.series import is_month, month_name
from perf.tables import display_table, format_value

__all__ = [
    "GRADES",
    "comparison_table",
    "indicator_sentence",
    "plan_names",
    "plan_summary",
    "subject_of",
]

log = config.get_logger()

#: Ofsted grades whose counts (``<base>_<grade>_n``) break down a "good or better"
#: percentage (``<base>_good``), e.g. leeds_homes_outstanding_n for leeds_homes_good.
GRADES = ("outstanding", "good", "requires_improvement", "adequate", "inadequate")


def subject_of(title: str) -> str:
    """An indicator's title as the subject of a sentence.

    >>> subject_of("Percentage of complaints resolved within 20 days")
    'the percentage of complaints resolved within 20 days'
    >>> subject_of("Initial assessments carried out to timescale (%)")
    'initial assessments carried out to timescale'
    """
    text = title.removesuffix(" (%)").removesuffix(" (number)")
    text = text[:1].lower() + text[1:]
    return "the " + text if text.startswith(("percentage ", "number ", "rate ")) else text


def plan_names(ctx: Context) -> list[str]:
    """The plans this briefing reports, in the plan file's order (indicators no plan places
    last)."""
    names: list[str] = []
    for frame in (ctx.scored, ctx.assessments, ctx.activities):
        if frame is not None and "plan" in frame:
            names += [p for p in frame["plan"].astype(str).unique() if p not in names]
    if OTHER in names:
        names = [n for n in names if n != OTHER] + [OTHER]
    return names


def _value_of(verdict: pd.Series | None, comparison: str) -> tuple[str, float] | None:
    """The verdict's earlier figure for ``comparison`` (period, value), like for like."""
    if verdict is None or is_missing(verdict.get(f"{comparison}_value")):
        return None
    return str(verdict[f"{comparison}_period"]), float(verdict[f"{comparison}_value"])


def indicator_sentence(ctx: Context, row: pd.Series) -> tuple[str | None, frozenset[str]]:
    """One sentence on an indicator's figure against its history (None without a figure,
    or with nothing to say beyond it)."""
    if is_missing(row.get("value")):
        return None, frozenset()
    indicator, period = str(row["indicator"]), str(row["period"])
    info = ctx.info(indicator)
    history = ctx.area_obs[ctx.area_obs["indicator"] == indicator]
    verdict = ctx.verdict(indicator)
    previous = _value_of(verdict, "previous_quarter")
    year_end = _value_of(verdict, "previous_year_end")
    last_year = _value_of(verdict, "same_period_last_year")
    used = history[
        history["period"].isin([period] + [c[0] for c in (previous, year_end, last_year) if c])
    ]
    example = bool(used["flag"].eq("ex").any())
    subject = subject_of(info.title)
    now = float(row["value"])
    kind = parse_period(period).kind
    text = None
    if " gap " in f" {info.title.lower()} " and last_year is not None:
        area = info.title.split(" gap")[0]
        here = history[history["period"] == period]
        up_to = (
            month_name(here["period_end"].iloc[0])
            if len(here) and is_month(here).iloc[0]
            else period
        )
        text = stored_gap_sentence(
            f"{area} levels",
            now,
            last_year[1],
            comparator="national" if "England" in info.title else "the comparator",
            up_to=up_to,
        )
    elif info.unit in ("count", "number") and kind == "snapshot" and year_end and last_year:
        end = parse_period(period).end
        text = (
            lac_change_sentence(
                subject,
                now,
                year_end[1],
                last_year[1],
                year_end_label=parse_period(year_end[0]).label.split(" ")[0]
                if parse_period(year_end[0]).kind != "snapshot"
                else _fy_of(year_end[0]),
                month=f"{end:%B}",
            )
            + "."
        )
    else:
        detail = note = ""
        if indicator.endswith("_good"):
            base = indicator.removesuffix("_good")
            counts = {}
            for grade in GRADES:
                got = ctx.area_obs[
                    (ctx.area_obs["indicator"] == f"{base}_{grade}_n")
                    & (ctx.area_obs["period"] == period)
                ]
                if len(got) and not is_missing(got["value"].iloc[0]):
                    counts[grade.replace("_", " ")] = float(got["value"].iloc[0])
                    used = pd.concat([used, got])
            if counts:
                try:
                    detail, note = grades_phrase(counts)
                except PerfError:
                    detail = note = ""
        if previous is None and year_end is None and not detail:
            return None, frozenset()  # the figure alone: the scorecard states it already
        tolerance = ctx.catalogue_cell(indicator, "tolerance")
        tol = 0.0 if is_missing(tolerance) else float(tolerance)
        text = figure_sentence(
            subject,
            now,
            unit=info.unit,
            decimals=info.decimals,
            polarity=info.polarity,
            previous=previous,
            year_end=year_end,
            tolerance=tol,
            flag="ex" if example else None,
            detail=detail,
            note=note,
            period=period,
        )
    if example and "[ex]" not in text:
        text = text.rstrip(".") + " (illustrative figures [ex])."
    return text, sources_of(used)


def _fy_of(snapshot_label: str) -> str:
    end = parse_period(snapshot_label).end
    start = end.year - 1 if end.month <= 3 else end.year
    return f"{start}-{str(start + 1)[-2:]}"


def plan_summary(ctx: Context, plan: str) -> tuple[str, frozenset[str]]:
    """The narrative of one plan (HTML) and the sources of the figures it quotes."""
    parts: list[str] = []
    sources: frozenset[str] = frozenset()
    if ctx.assessments is not None:
        mine = ctx.assessments[ctx.assessments["plan"] == plan]
        for level, group in mine.groupby("level", sort=False):
            scheme = str(group["scheme"].iloc[0])
            counts = counts_in_scheme(group["status"], scheme)
            text = (
                assessed_sentence(counts, str(level), ctx.period)
                if level != "plan"
                else f"The plan as a whole is assessed as {group['status'].iloc[0]} at {ctx.period}."
            )
            if group["flag"].eq("ex").any():
                text = text.rstrip(".") + " (illustrative assessments [ex])."
            parts.append(paragraph(text))
            red = group[group["status"].isin(["red", "below"])]
            for _, r in red.iterrows():
                why = f" {r['text']}" if isinstance(r["text"], str) else ""
                parts.append(
                    paragraph(
                        f"The one {level} judged red relates to {r['name']}." + why
                        if len(red) == 1
                        else f"{r['name']} is judged red.{why}"
                    )
                )
    rows = ctx.scored[ctx.scored["plan"] == plan] if ctx.scored is not None else None
    if rows is None or rows.empty:
        return "\n".join(parts), sources
    scheme = str(rows["scheme"].iloc[0])
    withheld = int(rows["status_by"].eq("suppressed").sum())
    if rows["shown_status"].notna().any() or withheld:
        text = counts_sentence(counts_in_scheme(rows["shown_status"], scheme))
        if withheld:
            text += (
                f" {'One indicator' if withheld == 1 else f'{withheld} indicators'} "
                f"{'is' if withheld == 1 else 'are'} not counted: the figure and its "
                "status are withheld to protect confidentiality [c]."
            )
        parts.append(paragraph(text))
        off = rows[off_target(rows)]
        if len(off):
            parts.append(paragraph(off_target_intro(scheme, len(off))))
            parts.append(
                "<ul>"
                + "".join(
                    f"<li>{esc(subject_of(ctx.info(i).title).removeprefix('the '))}</li>"
                    for i in off["indicator"]
                )
                + "</ul>"
            )
    parts += _movements(ctx, rows)
    months = []
    for _, r in rows.iterrows():
        if not is_missing(r.get("month_value")):
            info = ctx.info(r["indicator"])
            months.append(
                (
                    r["month_label"],
                    subject_of(info.title),
                    format_value(r["month_value"], info.unit, info.decimals, r.get("month_flag")),
                )
            )
    if months:
        parts.append(paragraph(cumulative_sentence(months)))
    for _, row in rows[rows["shown_status"].isna()].iterrows():
        said, used = indicator_sentence(ctx, row)
        if said:
            parts.append(paragraph(said))
            sources |= used
    return "\n".join(parts), sources


def _movements(ctx: Context, rows: pd.DataFrame) -> list[str]:
    """Sentences on the council's statuses against the previous quarter, indicators that
    moved alike together."""
    if ctx.council_statuses is None or ctx.period_obj.kind != "financial_quarter":
        return []
    before_label = previous_quarter(ctx.period_obj).label
    before = ctx.council_statuses[ctx.council_statuses["period"] == before_label]
    before = dict(zip(before["indicator"], before["status"]))
    groups: dict[tuple[str, str], list[str]] = {}
    for _, row in rows.iterrows():
        now = row.get("council_status")
        if isinstance(now, str) and row["indicator"] in before:
            groups.setdefault((before[row["indicator"]], now), []).append(
                subject_of(ctx.info(row["indicator"]).title)
            )
    out = []
    for (was, now), titles in groups.items():
        titles = [titles[0][:1].upper() + titles[0][1:]] + titles[1:]
        out.append(paragraph(movement_sentence(titles, was, now, before_label, ctx.period)))
    return out


_COMPARED = {
    "previous_quarter": "Against last quarter",
    "previous_year_end": "Against the previous year end",
    "same_period_last_year": "Against the same period last year",
}


def comparison_table(ctx: Context, rows: pd.DataFrame, caption: str, table_id: str) -> str:
    """Each indicator's figure against last quarter, the previous year end and the same
    period last year, from its verdict (the matrix's comparisons, like for like): the
    earlier figure, then the change in count, % or percentage points with the
    polarity-correct word ("" when nothing can be compared)."""
    records, any_compared = [], False
    for _, row in rows.iterrows():
        indicator = str(row["indicator"])
        verdict = ctx.verdict(indicator)
        if is_missing(row.get("value")) or verdict is None:
            continue
        info = ctx.info(indicator)
        ytd = bool(verdict["cumulative"]) and verdict["period_kind"] == "financial_quarter"
        mark = " [ex]" if bool(verdict["example"]) else ""
        record = {
            "Performance indicator": info.title,
            "This period": f"{format_value(row['value'], info.unit, info.decimals, row.get('flag'))}"
            f" ({verdict['period_words']})",
        }
        for comparison, heading in _COMPARED.items():
            before = verdict[f"{comparison}_value"]
            if is_missing(before):
                record[heading] = "not comparable"
                continue
            any_compared = True
            label = str(verdict[f"{comparison}_period"])
            then = format_value(before, info.unit, info.decimals, verdict[f"{comparison}_flag"])
            pct = (
                (float(row["value"]) - float(before)) / abs(float(before)) * 100
                if float(before) != 0
                else float("nan")
            )
            record[heading] = (
                f"{then} ({label_words(label, cumulative=ytd)}): "
                + change_phrase(
                    verdict[f"{comparison}_change"],
                    pct,
                    str(verdict[f"{comparison}_direction"]),
                    unit=info.unit,
                    decimals=info.decimals,
                )
                + mark
            )
        records.append(record)
    if not records or not any_compared:
        return ""
    frame = pd.DataFrame(records)
    texts = frame.astype(str).to_numpy().ravel().tolist()
    return display_table(
        frame,
        caption=caption,
        stub="Performance indicator",
        table_id=table_id,
        notes=note_list(
            texts,
            [
                "Changes are in the indicator's units (percentage points for a "
                "percentage), with the relative change in brackets for counts "
                "and rates; improved or worsened by whether a higher or lower "
                "figure is better."
            ],
        ),
    )
