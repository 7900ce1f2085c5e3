"""Exceptions: the indicators off target (red, or below target tolerance) by the status the
briefing shows, each with its figure against its history and the council's explanation;
in the internal view, where perf's calculation disagrees with the council's status.

The section carries its own heading (:func:`exceptions_heading`): what it lists depends on
the council's status schemes, so the notebook cannot write it in a markdown cell."""

from __future__ import annotations

from collections.abc import Iterable

from perf._numbers import is_missing
from perf.assessment import off_target
from perf.report.common import status_schemes
from perf.report.context import Context
from perf.report.display import Section, esc, off_target_words, paragraph, paragraphs
from perf.report.plan_text import indicator_sentence
from perf.scorecards import status_html
from perf.summary import exception_list
from perf.tables import format_value

__all__ = ["exceptions", "exceptions_heading"]


def exceptions_heading(schemes: Iterable[str]) -> str:
    """The section's heading for a council whose plans use ``schemes``
    (:func:`~perf.report.display.off_target_words`).

    >>> exceptions_heading(["rag"]), exceptions_heading([])
    ('Exceptions: indicators rated red', 'Exceptions: indicators below target tolerance')
    """
    return "Exceptions: indicators " + off_target_words(schemes)


def exceptions(ctx: Context) -> Section:
    """Indicators off target (below target tolerance, or red), each with the council's
    explanation (the one place those comments are printed), under a heading naming what
    an exception is in the council's status schemes."""
    heading = f'<h2 id="Exceptions">{esc(exceptions_heading(status_schemes(ctx)))}</h2>'
    body = _exceptions_body(ctx)
    return Section(f"{heading}\n{body.html}", body.sources)


def _exceptions_body(ctx: Context) -> Section:
    off_words = off_target_words(status_schemes(ctx))
    if ctx.scored is None:  # without the council's figures the summary says so, once
        return Section(
            paragraph(
                f"The council supplied no targets for {ctx.period}, so no "
                f"indicator can be {off_words}."
            )
        )
    marked = ctx.scored.assign(status=ctx.scored["status"].where(~off_target(ctx.scored), "below"))
    marked.loc[~off_target(ctx.scored), "status"] = "not off target"
    found = exception_list(marked, ctx.commentary)
    parts: list[str] = []
    sources: frozenset[str] = frozenset()
    if found.empty:
        parts.append(paragraph(f"No indicator is {off_words} this period."))
    for _, row in found.iterrows():
        info = ctx.info(row["indicator"])
        value = format_value(row["value"], info.unit, info.decimals, row.get("flag"))
        target = format_value(
            row["target"], info.unit, info.decimals, row.get("target_flag"), missing="z"
        )
        ref = row.get("ref")
        title = f"{ref}: {info.title}" if isinstance(ref, str) and ref else info.title
        parts.append(f"<h3>{esc(title)}</h3>")
        # who set the status is said in the scorecard; here the status, then the figures
        by = "suppressed" if row["status_by"] == "suppressed" else None
        against = (
            f"against a target of {esc(target)}"
            if not is_missing(row.get("target")) or row["status_by"] != "council"
            else "(the council's own status; it gave no target)"
        )
        parts.append(
            f"<p>{status_html(row['shown_status'], row['scheme'], by)}: {esc(value)} {against}.</p>"
        )
        sentence, used = indicator_sentence(ctx, row)
        if sentence:
            parts.append(paragraph(sentence))
            sources |= used
        comment = row.get("commentary")
        parts.append(
            paragraphs(comment)
            if isinstance(comment, str) and comment.strip()
            else paragraph("No explanation was supplied for this exception.")
        )
    if not ctx.public:
        differ = ctx.scored[ctx.scored["disagrees"]]
        if len(differ):
            parts.append(
                "<h3>Where perf's calculation differs from the council's status "
                "(internal view only)</h3>"
            )
            parts.append(
                "<ul>"
                + "".join(
                    f"<li>{esc(ctx.info(r['indicator']).title)}: the council gave "
                    f"{status_html(r['council_status'], r['scheme'])}; from the declared target "
                    f"and tolerance perf calculates {status_html(r['perf_status'], r['scheme'])}."
                    "</li>"
                    for _, r in differ.iterrows()
                )
                + "</ul>"
            )
    return Section("\n".join(parts), sources)
