"""The appendix: the indicator cards, the symbols legend, revisions and the data sources,
with the records the renderer keeps (the footer's sources and the frozen figures)."""

from __future__ import annotations

import math

import pandas as pd

from perf.config import SHOWN_MIMETYPE
from perf.loaders.plans import SCHEMES
from perf.report.cards import indicator_cards
from perf.report.common import revisions_note
from perf.report.context import Context
from perf.report.display import Section, capital, esc, paragraph, source_list
from perf.tables import ACTIVITY_STATUS_LABELS, STATUS_LABELS, SYMBOL_MEANINGS, html_table

__all__ = ["appendix", "shown_record"]


def shown_record(ctx: Context) -> dict:
    """The figures this briefing shows, as the mimetype the renderer freezes beside the HTML."""
    shown = ctx.shown_figures()
    rows = [
        [
            None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is None else v
            for v in row
        ]
        for row in shown.astype(object).itertuples(index=False)
    ]
    return {
        SHOWN_MIMETYPE: {
            "briefing": ctx.period,
            "public": bool(ctx.public),
            "columns": list(shown.columns),
            "rows": rows,
        }
    }


def appendix(ctx: Context, sources: frozenset[str]) -> Section:
    """Indicator cards, symbols legend, revisions and data sources. ``sources`` are those of
    every other section (the appendix lists them and reports them for the footer)."""
    cards = indicator_cards(ctx)
    parts = [cards] if cards else []
    legend = [
        (f"{sym} {word}", "Indicator status against target (the council's scheme)")
        for sym, word in STATUS_LABELS.values()
    ]
    legend += [
        (f"{sym} {word}", "Key activity progress") for sym, word in ACTIVITY_STATUS_LABELS.values()
    ]
    legend += [
        (
            word,
            "Direction of travel since the previous published figure, judged by "
            "whether a higher or lower figure is better",
        )
        for word in ("Improved", "Worsened", "No change within tolerance")
    ]
    legend += [
        (
            "Context",
            "An indicator where neither a higher nor a lower figure is better: "
            "shown for context, with no status, no quartile and no judgement of its "
            "direction of travel",
        )
    ]
    legend += [(f"[{code}]", capital(meaning)) for code, meaning in SYMBOL_MEANINGS.items()]
    schemes = (
        sorted(set(ctx.scored["scheme"]))
        if ctx.scored is not None and "scheme" in ctx.scored
        else []
    )
    for name in schemes:
        if name == "tolerance":  # the tolerance scheme's labels are STATUS_LABELS, above
            continue
        legend += [
            (
                f"{sym} {word}",
                f"Indicator status in the council's {SCHEMES[name].description} scheme",
            )
            for sym, word in SCHEMES[name].labels.values()
        ]
    parts += [
        "<h3>Symbols and words</h3>",
        html_table(
            pd.DataFrame(legend, columns=["Symbol or word", "Meaning"]),
            "Symbols and words used in this briefing (the one legend)",
            table_id="symbols",
        ),
    ]
    if ctx.data_notes:
        parts += [
            "<h3>Data notes</h3>",
            "<ul>" + "".join(f"<li>{esc(n)}</li>" for n in ctx.data_notes) + "</ul>",
        ]
    revisions = revisions_note(ctx, heading=True)
    if revisions:
        parts.append(revisions)
    listed = source_list(sources)
    parts += ["<h3>Data sources and releases</h3>", listed.html]
    parts.append(
        paragraph(
            "How this report was produced (parameters, data files with their "
            "checksums, code version and time of run) is set out at the end."
        )
    )
    return Section("\n".join(parts), listed.sources, {**listed.extra, **shown_record(ctx)})
