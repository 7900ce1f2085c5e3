"""The cover: committee, meeting, author, area and period, and the notices a reader must see
first (figures from a synthetic worked example's returns, illustrative figures, the internal
view, publication)."""

from __future__ import annotations

from perf.disclosure import mode_banner
from perf.report.context import Context
from perf.report.display import Section, esc

__all__ = ["cover"]


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
    parts = [
        f'<p class="subtitle"><strong>{esc(ctx.area_name)}, {esc(ctx.period)}</strong></p>',
    ]
    if ctx.shown_synthetic_data():
        parts.append(
            '<p class="notice warning"><strong>Synthetic worked example.</strong> The '
            f"council's own figures in this briefing are computed from synthetic returns (an "
            f"SSDA903 return and a children in need census of made-up children), marked [ex]. "
            f"They are not {esc(ctx.area_name)}'s data: do not quote them.</p>"
        )
    if ctx.shown_made_up_figures():
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
    return Section("\n".join(parts))
