"""Indicator cards for the appendix: for each indicator a briefing covers, what it counts,
where it comes from, whether it is a national or a local measure, who set its target, whether
there is a national comparator (and why not), and which direction is better and by how much
a figure may miss its target and still be on target, in words.

Everything comes from the catalogue (``perf.schema.Indicators``: ``summary``, ``release``,
``measure``, ``collection``, ``target_set_by``, ``comparator``, ``polarity``,
``tolerance``); a field the catalogue lacks says "Not recorded in the catalogue".
"""

from __future__ import annotations

from typing import Any

from perf._numbers import is_missing
from perf.report.context import Context
from perf.report.display import capital, esc, target_words
from perf.summary import format_number, source_publication

__all__ = ["card_fields", "indicator_card", "indicator_cards", "polarity_words", "tolerance_words"]

NOT_RECORDED = "Not recorded in the catalogue."

_UNITS = {
    "%": ("percentage point", "percentage points"),
    "rate per 10,000": ("per 10,000", "per 10,000"),
    "days": ("day", "days"),
}


def polarity_words(polarity: str) -> str:
    """Which direction is better, in words.

    >>> polarity_words("low")
    'Lower is better.'
    """
    return {"high": "Higher is better.", "low": "Lower is better."}.get(
        polarity,
        "Neither higher nor lower is better: it is shown for context, with no "
        "status against a target and no quartile judgement.",
    )


def tolerance_words(tolerance: Any, tolerance_type: str, unit: str, decimals: int) -> str:
    """How far from its target a figure may be and still count as on target, in words.

    >>> tolerance_words(3.0, "absolute", "rate per 10,000", 1)
    'A figure within 3.0 per 10,000 of the target, either side, is on target; beyond that on the better side it exceeds the target, on the worse side it is below it.'
    >>> tolerance_words(0.1, "relative", "days", 0)[:58]
    'A figure within 10% of the target, either side, is on targ'
    >>> tolerance_words(None, "absolute", "%", 1)
    'No tolerance declared: a figure on the better side of its target, or equal to it, is on target; any shortfall is below target.'
    """
    if is_missing(tolerance) or float(tolerance) == 0:
        return (
            "No tolerance declared: a figure on the better side of its target, or equal to "
            "it, is on target; any shortfall is below target."
        )
    tol = float(tolerance)
    if tolerance_type == "relative":
        amount = f"{format_number(tol * 100, 0 if (tol * 100).is_integer() else 1)}% of the target"
    else:
        one, many = _UNITS.get(unit, ("", ""))
        number = format_number(tol, decimals)
        word = one if number in ("1", "1.0") else many
        amount = f"{number} {word}".strip() + " of the target"
    return (
        f"A figure within {amount}, either side, is on target; beyond that on the better "
        "side it exceeds the target, on the worse side it is below it."
    )


def _text(ctx: Context, indicator: str, column: str) -> str | None:
    value = ctx.catalogue_cell(indicator, column)
    if is_missing(value):  # None too: no such indicator or column
        return None
    text = str(value).strip()
    return text or None


def _sentence(text: str | None) -> str:
    if not text:
        return NOT_RECORDED
    text = capital(text)
    return text if text.endswith((".", "!", "?")) else text + "."


def card_fields(ctx: Context, indicator: str) -> list[tuple[str, str]]:
    """The card's (label, text) pairs, in order."""
    info = ctx.info(indicator)
    measure, collection = _text(ctx, indicator, "measure"), _text(ctx, indicator, "collection")
    if measure == "national":
        kind = (
            "National: a statutory return every council makes"
            + (f" ({collection})" if collection else "")
            + "."
        )
    elif measure == "local":
        kind = "Local: the council's own measure" + (f" ({collection})" if collection else "") + "."
    else:
        kind = NOT_RECORDED
    release, source = _text(ctx, indicator, "release"), _text(ctx, indicator, "source")
    # The publication, never the data file's name (the appendix's source list has those).
    where = (
        " ".join(_sentence(t) for t in (release, source and source_publication(source)) if t)
        or NOT_RECORDED
    )
    verdict = ctx.verdict(indicator)
    if verdict is not None and verdict["role"] == "context":
        target = (
            "No target: a context measure (demand or volume), shown against the range of "
            "the middle half of councils, never given a status."
        )
    elif verdict is not None and not is_missing(verdict["target"]):
        # who set this target and when is the target's own record, never the catalogue's
        # note about another year's targets
        target = f"The target for {ctx.period} is {target_words(verdict)}."
        if is_missing(verdict["target_set_by"]) and is_missing(verdict["target_set_on"]):
            target += " Who set it and when was not recorded with it."
    else:
        target = _sentence(_text(ctx, indicator, "target_set_by"))
    own = verdict is not None and verdict["tolerance_by"] == "council"
    if own:
        band, band_type = verdict["tolerance"], str(verdict["tolerance_type"])
    else:
        band = ctx.catalogue_cell(indicator, "tolerance")
        assumed = ctx.catalogue_cell(indicator, "tolerance_type")
        band_type = "absolute" if assumed is None else str(assumed)
    tolerance = (
        tolerance_words(
            band,
            band_type,
            info.unit,
            info.decimals,
        )
        + (
            " The council declared this tolerance."
            if own
            else " This tolerance is the one this report assumes; the council has not declared one."
        )
        if info.polarity in ("high", "low")
        else "No tolerance: without a better direction there is no status against a target."
    )
    note = ctx.companion_note(indicator)
    return [
        (
            "Definition",
            _sentence(
                _text(ctx, indicator, "definition_plain")
                or _text(ctx, indicator, "summary")
                or ctx.definition(indicator)
            )
            + (f" {note}" if note else ""),
        ),
        ("Source and release", where),
        ("National or local measure", kind),
        ("Target", target),
        ("National comparator", _sentence(_text(ctx, indicator, "comparator"))),
        ("Better direction", polarity_words(info.polarity)),
        ("Tolerance", tolerance),
    ]


def indicator_card(ctx: Context, indicator: str, number: int) -> str:
    """One indicator's card: a heading and a definition list."""
    title = ctx.info(indicator).title
    ident = f"card-{number}"
    body = "".join(
        f"<dt>{esc(label)}</dt><dd>{esc(text)}</dd>" for label, text in card_fields(ctx, indicator)
    )
    return (
        f'<section class="indicator-card" aria-labelledby="{ident}">'
        f'<h4 id="{ident}">{esc(title)}</h4><dl>{body}</dl></section>'
    )


def indicator_cards(ctx: Context) -> str:
    """A card for every indicator the briefing covers (:meth:`Context.covered`), in order."""
    indicators = list(ctx.covered()["indicator"])
    if not indicators:
        return ""
    cards = "\n".join(indicator_card(ctx, i, n) for n, i in enumerate(indicators, start=1))
    return (
        "<h3>Indicator cards</h3>\n<p>What each indicator in this briefing counts, where "
        "its figures come from and how it is judged.</p>\n" + cards
    )
