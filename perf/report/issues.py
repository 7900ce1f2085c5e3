"""Main issues: the service's own account of its performance this period, in the council's
words and numbering (Leeds's paragraphs 3.1 to 3.8 are the model), grouped under the
headings it gave them. Shown only when the council wrote one (its narrative file's
``issue`` rows, :mod:`perf.loaders.narrative`); its update on inspection is under At a
glance, beside Ofsted's judgements."""

from __future__ import annotations

from perf.report.common import narrative_attribution, narrative_html
from perf.report.context import Context
from perf.report.display import Section, esc, paragraph

__all__ = ["main_issues"]


def main_issues(ctx: Context) -> Section:
    """The council's main issues under their own heading, each paragraph numbered as the
    council numbered it; nothing when it wrote none."""
    rows = ctx.narrative_of("issue")
    if rows is None:
        return Section("")
    parts = ['<h2 id="main-issues">Main issues</h2>', '<div class="perf-narrative">']
    headings = rows["heading"].fillna("").astype(str)
    groups = (headings != headings.shift()).cumsum()
    for _, group in rows.groupby(groups.to_numpy(), sort=False):
        heading = str(group["heading"].iloc[0] or "")
        if heading:
            parts.append(f"<h3>{esc(heading)}</h3>")
        parts.append(narrative_html(group, attribute=False))
    parts.append(narrative_attribution(rows))
    inspection = ctx.narrative_of("inspection")
    if inspection is not None:
        refs = [str(r) for r in inspection["ref"] if isinstance(r, str) and r]
        where = f" ({', '.join(refs)})" if refs else ""
        parts.append(
            paragraph(
                f"The council's update on inspection{where} is under At a glance, beside "
                "Ofsted's judgements."
            )
        )
    parts.append("</div>")
    return Section("\n".join(p for p in parts if p))
