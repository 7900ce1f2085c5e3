"""The masthead and the cover. The masthead (the area and period under the title, and the
notices a reader must see first: figures from a synthetic worked example's returns,
illustrative figures, the internal view) opens the first
page, which is At a glance. The cover follows it: committee, meeting, author, area and
period, the council's last Ofsted inspection of children's services, the publication notice
and, where the council wrote them, its introduction, the report's purpose and its
recommendations (the seeds' front page), in its own words; then the contents."""

from __future__ import annotations

from typing import Any

import pandas as pd

from perf._numbers import is_missing
from perf.config import CONTENTS_MARK
from perf.disclosure import mode_banner
from perf.loaders.inspections import CARE_LEAVERS_FROM, NO_OVERALL_FROM
from perf.report.common import narrative_attribution, narrative_html
from perf.report.context import Context
from perf.report.display import Section, esc
from perf.schema import JUDGEMENT_NAMES

__all__ = ["FRONT", "cover", "inspection_table", "masthead"]

#: The council's front-page parts, in the seeds' order, with the heading each has when the
#: council gave none.
FRONT = (
    ("introduction", "Introduction"),
    ("purpose", "Purpose of this report"),
    ("recommendation", "Recommendations"),
)


def _day(value: Any) -> str:
    day = pd.Timestamp(value)
    return f"{day.day} {day:%B %Y}"


def inspection_table(ctx: Context) -> str:
    """The council's last Ofsted inspection of children's services (ILACS): when, what
    kind, its overall effectiveness and the four sub-judgements in Ofsted's words; from
    April 2026 Ofsted gives no overall judgement, and the table says so ("" when there was
    no inspection published by the end of the period)."""
    found = ctx.inspection
    if found is None:
        return ""
    inspected = pd.Timestamp(found["inspection_date"])
    kind = found.get("inspection_type")
    rows = [
        ("Inspected", _day(inspected) + (f" ({kind})" if isinstance(kind, str) and kind else "")),
        ("Report published", _day(found["publication_date"])),
    ]
    for column, name in JUDGEMENT_NAMES.items():
        judged = found.get(column)
        if not is_missing(judged):
            rows.append((name, str(judged)))
        elif column == "overall_effectiveness" and inspected >= NO_OVERALL_FROM:
            rows.append(
                (
                    name,
                    "Not given: Ofsted gives no overall judgement for inspections from April 2026",
                )
            )
        elif column == "care_leavers" and inspected < CARE_LEAVERS_FROM:
            rows.append((name, "Judged with children in care (separately only from January 2023)"))
        else:
            rows.append((name, "Not given"))
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    return (
        f'<table class="cover" id="ofsted"><caption>Last Ofsted inspection of children\'s '
        f"services in {esc(ctx.area_name)}</caption><tbody>{body}</tbody></table>"
    )


def masthead(ctx: Context) -> Section:
    """The area and period under the title, and the notices a reader must see before any
    figure: illustrative figures, the internal view (At a glance follows on the same page)."""
    parts = [f'<p class="subtitle"><strong>{esc(ctx.area_name)}, {esc(ctx.period)}</strong></p>']
    synthetic = ctx.shown_synthetic_data()
    if synthetic:
        parts.append(
            '<p class="notice warning"><strong>Synthetic worked example.</strong> The '
            f"council's own figures in this briefing are computed from synthetic returns (an "
            f"SSDA903 return and a children in need census of made-up children), marked [ex]. "
            f"They are not {esc(ctx.area_name)}'s data: do not quote them.</p>"
        )
    if ctx.shown_example_data() and (ctx.shown_made_up_figures() or not synthetic):
        parts.append(
            '<p class="notice warning"><strong>Illustrative example data.</strong> Some '
            "figures in this briefing are example values marked [ex], made up to show how "
            "the report works. They are not published statistics: do not quote them.</p>"
        )
    banner = mode_banner(ctx.public)
    if banner:
        parts.append(f'<p class="notice warning"><strong>{esc(banner)}.</strong></p>')
    return Section("\n".join(parts))


def cover(ctx: Context) -> Section:
    """About this report, after At a glance: committee, meeting, author, period, the
    council's last Ofsted inspection, the publication notice and the council's own
    introduction, purpose and recommendations; the contents list follows it."""
    meeting = ctx.meeting_date.strip() or "to be confirmed"
    rows = [
        ("Report to", ctx.committee),
        ("Date of meeting", meeting),
        ("Report author", ctx.author),
        ("Area", ctx.area_name),
        (
            "Reporting period",
            (f"{ctx.period} ({ctx.period_obj.start:%-d %B %Y} to {ctx.period_obj.end:%-d %B %Y})"),
        ),
    ]
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    parts_used: list[pd.DataFrame] = []
    parts = ['<h2 id="about-this-report">About this report</h2>']
    ofsted = inspection_table(ctx)
    parts += [
        (f'<table class="cover"><caption>Report details</caption><tbody>{body}</tbody></table>'),
        ofsted,
        (
            '<p class="notice">This report will be published: it will be made available to the '
            "public on the council's website after the meeting. Counts of 1 to 5 children and "
            "young people, and figures that would reveal them, are shown as [c], in the tables "
            "and in the text; counts of homes, schools, complaints and staff are shown as they "
            "are.</p>"
        )
        if ctx.public
        else (
            '<p class="notice">Not for publication. This internal edition shows every figure '
            "unsuppressed, small counts of children included: keep it to the council's officers. "
            "The published edition is rendered separately (public=true).</p>"
        ),
    ]
    front = []
    for part, default in FRONT:
        said = ctx.narrative_of(part)
        if said is None:
            continue
        heading = next((h for h in said["heading"] if isinstance(h, str) and h), default)
        front += [f"<h3>{esc(heading)}</h3>", narrative_html(said, attribute=False)]
        parts_used.append(said)
    if front:
        parts += front + [narrative_attribution(pd.concat(parts_used))]
    sources = (
        frozenset({str(ctx.inspection["source"])}) if ofsted and ctx.inspection else frozenset()
    )
    parts.append(CONTENTS_MARK)  # the contents list, after the cover (perf.render.html)
    return Section("\n".join(p for p in parts if p), sources)
