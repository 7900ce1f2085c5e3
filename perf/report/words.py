"""The words for one indicator's verdict in the printed tables (At a glance, the themes).

Every section that prints a verdict (:attr:`perf.report.context.Context.verdicts`) in a
table cell words it here, so a status, a direction or a comparison with England reads the
same wherever it is shown. The words are plain: no method names (those are the annex's),
quartiles always written one way ("third quartile", :func:`quartile_words`), a figure
always with the dates it covers.

Examples:
    >>> quartile_words("C"), quartile_words(None)
    ('third quartile', '')
"""

from __future__ import annotations

import pandas as pd

from perf._numbers import is_missing, ordinal
from perf.benchmarking import QUARTILE_WORDS
from perf.compare import direction_words
from perf.loaders.plans import SCHEMES
from perf.report.context import Context
from perf.report.display import capital, esc
from perf.tables import format_value

__all__ = [
    "VS_ENGLAND_WORDS",
    "change_cell",
    "is_local",
    "latest_cell",
    "neighbours_cell",
    "quartile_words",
    "rank_cell",
    "status_cell",
    "verdict_mark",
]

#: How each comparison with England reads in a cell (:func:`perf.matrix.verdicts`'
#: ``vs_england``).
VS_ENGLAND_WORDS = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "not compared": "Not compared",
}


def quartile_words(quartile: object) -> str:
    """A quartile as every public table and sentence writes it ("first quartile" the best
    quarter of councils); "" when there is none."""
    if quartile is None or is_missing(quartile):
        return ""
    return f"{QUARTILE_WORDS.get(str(quartile), str(quartile))} quartile"


def is_local(verdict: pd.Series) -> bool:
    """A council's own measure: no figure for England or other councils to set it against."""
    return verdict["measure"] == "local" or (
        is_missing(verdict["measure"])
        and not bool(verdict["benchmarked"])
        and is_missing(verdict["england_value"])
    )


def verdict_mark(verdict: pd.Series, flag: object = None) -> object:
    """The flag a number from the verdict shows: its own, else [ex] when it is illustrative.

    >>> verdict_mark(pd.Series({"example": True})), verdict_mark(pd.Series({"example": True}), "p")
    ('ex', 'p')
    """
    return "ex" if bool(verdict["example"]) and is_missing(flag) else flag


def latest_cell(ctx: Context, verdict: pd.Series) -> str:
    """The latest figure and the dates it covers, as HTML ("81 <span>at 31 March 2025</span>")."""
    info = ctx.info(str(verdict["indicator"]))
    flag = ctx.flag(verdict["indicator"], ctx.area_code, verdict["period"], verdict["flag"])
    shown = format_value(verdict["value"], info.unit, info.decimals, verdict_mark(verdict, flag))
    return f'{esc(shown)}<br><span class="perf-when">{esc(str(verdict["period_words"]))}</span>'


def status_cell(ctx: Context, verdict: pd.Series) -> str:
    """The status in the council's own scheme (symbol, hidden from screen readers, and
    word) and its target, as HTML; perf's own recalculation only in the internal edition.
    "No target" when there is none; "Context: no target" for a measure of demand."""
    if verdict["role"] == "context":
        return "Context: no target"
    if verdict["status_by"] == "suppressed":
        return "[c]"
    info = ctx.info(str(verdict["indicator"]))
    target = (
        format_value(verdict["target"], info.unit, info.decimals, verdict_mark(verdict))
        if not is_missing(verdict["target"])
        else None
    )
    if is_missing(verdict["status"]):
        return f"No status; target {esc(target)}" if target else "No target"
    scheme = SCHEMES.get(str(verdict["scheme"]), SCHEMES["tolerance"])
    symbol, word = scheme.labels.get(str(verdict["status"]), ("", capital(str(verdict["status"]))))
    who = {"council": "the council's", "perf": "calculated"}.get(str(verdict["status_by"]))
    text = (
        f'<span class="status" data-status="{esc(str(verdict["status"]), quote=True)}">'
        f'<span class="perf-symbol" aria-hidden="true">{esc(symbol)}</span> {esc(word)}</span>'
    )
    if who == "calculated":
        text += " (calculated)"
    if target:
        text += f"; target {esc(target)}"
    if not ctx.public and bool(verdict["disagrees"]) and not is_missing(verdict["perf_status"]):
        sym, words = scheme.labels.get(str(verdict["perf_status"]), ("", ""))
        text += f"; perf calculates {esc(sym)} {esc(words)}"
    return text


def change_cell(ctx: Context, verdict: pd.Series) -> str:
    """The direction of travel and the figure it is judged against, like for like, with
    its dates ("Improved, from 70.1% (year to 31 March 2024)")."""
    if is_missing(verdict["direction_value"]) or is_missing(verdict["value"]):
        return "No earlier figure to compare"
    info = ctx.info(str(verdict["indicator"]))
    flag = ctx.flag(
        verdict["indicator"], ctx.area_code, verdict["direction_period"], verdict["direction_flag"]
    )
    before = format_value(
        verdict["direction_value"], info.unit, info.decimals, verdict_mark(verdict, flag)
    )
    words = direction_words(str(verdict["direction"]), str(verdict["direction_movement"]))
    words = words.replace(" (context: neither direction is better)", "")
    return f"{words}, from {before} ({verdict['direction_period_words']})"


def rank_cell(verdict: pd.Series) -> str:
    """The council's place among every council with a figure and its quartile ("126th of
    152, fourth quartile"); lowest first, with no quartile, where neither is better."""
    if is_missing(verdict["rank"]) or is_missing(verdict["n_ranked"]):
        reason = verdict["not_ranked_reason"]
        return f"Not ranked ({reason})" if not is_missing(reason) else "Not ranked"
    text = f"{ordinal(int(verdict['rank']))} of {int(verdict['n_ranked'])}"
    if verdict["polarity"] not in ("high", "low"):
        return text + " (lowest first)"
    quartile = quartile_words(verdict["quartile"])
    return f"{text}, {quartile}" if quartile else text


def neighbours_cell(ctx: Context, verdict: pd.Series) -> str:
    """The council's place among itself and its statistical neighbours (the briefing's
    model) with a figure ("3rd of 11")."""
    model = ctx.neighbour_model
    position, ranked = verdict[f"sn_position_{model}"], verdict[f"sn_ranked_{model}"]
    if is_missing(ranked) or int(ranked) == 0:
        return "No neighbour figures"
    if is_missing(position):
        return "No figure"
    text = f"{ordinal(int(position))} of {int(ranked)}"
    return text + (" (lowest first)" if verdict["polarity"] not in ("high", "low") else "")
