"""The cover: committee, meeting, author, area and period, the notices a reader must see
first (illustrative figures, the internal view, publication) and, where the council wrote
them, its introduction, the report's purpose and its recommendations (the seeds' front
page), in its own words."""

from __future__ import annotations

import pandas as pd

from perf.disclosure import mode_banner
from perf.report.common import narrative_attribution, narrative_html
from perf.report.context import Context
from perf.report.display import Section, esc

__all__ = ["FRONT", "cover"]

#: The council's front-page parts, in the seeds' order, with the heading each has when the
#: council gave none.
FRONT = (
    ("introduction", "Introduction"),
    ("purpose", "Purpose of this report"),
    ("recommendation", "Recommendations"),
)


def cover(ctx: Context) -> Section:
    """Committee, meeting, author, period and the publication notice."""
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
    parts = [
        f'<p class="subtitle"><strong>{esc(ctx.area_name)}, {esc(ctx.period)}</strong></p>',
    ]
    if ctx.shown_example_data():
        parts.append(
            '<p class="notice warning"><strong>Illustrative example data.</strong> Some '
            "figures in this briefing are example values marked [ex], made up to show how "
            "the report works. They are not published statistics: do not quote them.</p>"
        )
    banner = mode_banner(ctx.public)
    if banner:
        parts.append(f'<p class="notice warning"><strong>{esc(banner)}.</strong></p>')
    parts += [
        (f'<table class="cover"><caption>About this report</caption><tbody>{body}</tbody></table>'),
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
        rows = ctx.narrative_of(part)
        if rows is None:
            continue
        heading = next((h for h in rows["heading"] if isinstance(h, str) and h), default)
        front += [f"<h3>{esc(heading)}</h3>", narrative_html(rows, attribute=False)]
        parts_used.append(rows)
    if front:
        parts += front + [narrative_attribution(pd.concat(parts_used))]
    return Section("\n".join(parts))
