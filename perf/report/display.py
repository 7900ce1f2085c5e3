"""What a report section is: HTML, the data sources behind it, and what the renderer keeps.

A :class:`Section` is immutable. Jupyter displays it as its HTML; the renderer reads the
sources (for the page footer) and any figures it reports showing (for the frozen record)
from extra mimetypes of the same output, so nothing is collected by side effect.

Examples:
    >>> s = Section("<p>x</p>", sources=frozenset({"a.csv"}))
    >>> s._repr_html_(), sorted(s.sources)
    ('<p>x</p>', ['a.csv'])
    >>> (s + Section("<p>y</p>", frozenset({"b.csv"}))).html
    '<p>x</p>\\n<p>y</p>'
"""

from __future__ import annotations

import html as html_lib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from perf._numbers import is_missing
from perf.config import PROVENANCE_MIMETYPE
from perf.fileio import source_groups
from perf.summary import difference_phrase
from perf.tables import format_value

__all__ = [
    "Section",
    "capital",
    "esc",
    "join",
    "off_target_words",
    "paragraph",
    "paragraphs",
    "provenance",
    "source_list",
    "sources_of",
    "target_words",
    "vs_england_words",
]

esc = html_lib.escape


@dataclass(frozen=True)
class Section:
    """One part of a report: its HTML and the data files and releases it used.

    ``extra`` holds further mimetypes shown with it (never on the page), e.g. the
    provenance record the appendix reports.
    """

    html: str
    sources: frozenset[str] = frozenset()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.html

    def __contains__(self, text: str) -> bool:
        return text in self.html

    def __add__(self, other: Section) -> Section:
        joined = "\n".join(h for h in (self.html, other.html) if h)
        return Section(joined, self.sources | other.sources, {**self.extra, **other.extra})

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:
        return {"text/html": self.html, **self.extra}


def join(parts: Iterable[str | Section], sources: Iterable[str] = ()) -> Section:
    """One section from HTML strings and sections, lines joined by newlines."""
    htmls, found = [], set(sources)
    for part in parts:
        if isinstance(part, Section):
            htmls.append(part.html)
            found |= part.sources
        else:
            htmls.append(part)
    return Section("\n".join(htmls), frozenset(found))


def sources_of(frame: pd.DataFrame | None) -> frozenset[str]:
    """The ``source`` values of the rows of ``frame`` (none for None or no column)."""
    if frame is None or "source" not in frame:
        return frozenset()
    return frozenset(frame["source"].dropna().astype(str))


def provenance(sources: Iterable[str]) -> dict[str, Any]:
    """The mimetype by which a notebook tells the renderer the sources it used."""
    return {PROVENANCE_MIMETYPE: {"sources": sorted(set(map(str, sources)))}}


def paragraph(text: str) -> str:
    """Plain text as one escaped paragraph."""
    return f"<p>{esc(text)}</p>"


def paragraphs(text: str) -> str:
    """Plain commentary text as escaped paragraphs (blank lines separate them)."""
    parts = [t.strip() for t in str(text).replace("\r\n", "\n").split("\n\n") if t.strip()]
    return "".join(f"<p>{esc(t)}</p>" for t in parts)


def capital(text: str) -> str:
    """``text`` with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def source_list(sources: Iterable[str], empty: str = "No data were used.") -> Section:
    """The data files and releases as one list, an entry per file (the releases or the
    paragraphs of a transcribed report under it: :func:`perf.fileio.source_groups`),
    reported to the renderer for the footer."""
    used = sorted(set(sources))
    items = []
    for file, details in source_groups(used):
        if len(details) == 1:
            items.append(f"<li>{esc(file)} ({esc(details[0])})</li>")
        elif details:
            inner = "".join(f"<li>{esc(d)}</li>" for d in details)
            items.append(f"<li>{esc(file)}<ul>{inner}</ul></li>")
        else:
            items.append(f"<li>{esc(file)}</li>")
    html = f"<ul>{''.join(items)}</ul>" if items else f"<p>{esc(empty)}</p>"
    return Section(html, frozenset(used), provenance(used))


_OFF_TARGET_WORDS = {"tolerance": "below target tolerance", "rag": "rated red"}


def off_target_words(schemes: Iterable[str]) -> str:
    """What an indicator off target is, in words, for a council whose indicators use
    ``schemes`` (tolerance, rag; none known: tolerance, the scheme of an indicator no plan
    places). The Exceptions heading and every sentence about exceptions use it.

    >>> off_target_words(["rag"]), off_target_words([])
    ('rated red', 'below target tolerance')
    >>> f"No indicator is {off_target_words({'rag', 'tolerance'})} this period."
    'No indicator is below target tolerance or rated red this period.'
    """
    found = set(schemes) & set(_OFF_TARGET_WORDS) or {"tolerance"}
    return " or ".join(words for s, words in _OFF_TARGET_WORDS.items() if s in found)


def target_words(row: Mapping[str, Any]) -> str:
    """A verdict's target with who set it and when ("80.0, set by Cabinet on 12 March
    2024"); "No target set" when there is none.

    >>> target_words({"target": 80.0, "unit": "rate per 10,000", "decimals": 1,
    ...     "target_flag": None, "target_set_by": "Cabinet", "target_set_on": "12 March 2024"})
    '80.0, set by Cabinet on 12 March 2024'
    >>> target_words({"target": float("nan"), "unit": "%", "decimals": 0})
    'No target set'
    """
    if is_missing(row.get("target")):
        return "No target set"
    flag = row.get("target_flag")
    text = format_value(
        row["target"], row["unit"], int(row["decimals"]), None if is_missing(flag) else flag
    )
    by, on = row.get("target_set_by"), row.get("target_set_on")
    if not is_missing(by):
        text += f", set by {by}"
    if not is_missing(on):
        text += f" on {on}" if not is_missing(by) else f", set on {on}"
    return text


#: How a verdict's comparison with England reads, by its method.
_VS_METHODS = {
    "statistical": "statistically, at 95%",
    "tolerance": "beyond the indicator's tolerance",
    "difference": "at the decimals shown",
}


def vs_england_words(row: Mapping[str, Any]) -> str:
    """A verdict's comparison with England in words: better, similar or worse, how it was
    judged and by how much; "Not compared" for a measure where neither direction is better.

    >>> vs_england_words({"vs_england": "worse", "vs_england_method": "statistical",
    ...     "value": 81.0, "england_value": 67.0, "unit": "rate per 10,000", "decimals": 0,
    ...     "example": False})
    'Worse than England (statistically, at 95%): 14 per 10,000 higher (21%)'
    >>> vs_england_words({"vs_england": "not compared", "value": 5.0, "england_value": 4.0,
    ...     "unit": "%", "decimals": 1, "example": False})
    'Not compared: neither higher nor lower is better (England 4.0%)'
    """
    verdict = str(row.get("vs_england") or "not compared")
    value, england = row.get("value"), row.get("england_value")
    if england is None or is_missing(england):
        return "Not compared: no England figure"
    if value is None or is_missing(value):
        return f"Not compared: no figure (England {format_value(england, row['unit'], int(row['decimals']))})"
    mark = " [ex]" if row.get("example") else ""
    if verdict == "not compared":
        shown = format_value(england, row["unit"], int(row["decimals"]))
        return f"Not compared: neither higher nor lower is better (England {shown})"
    gap = difference_phrase(
        float(england), float(value), unit=row["unit"], decimals=int(row["decimals"])
    )
    how = _VS_METHODS.get(str(row.get("vs_england_method")), "")
    head = {"better": "Better than England", "worse": "Worse than England"}.get(
        verdict, "Similar to England"
    )
    return f"{head}{f' ({how})' if how else ''}: {gap}{mark}"
