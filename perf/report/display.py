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

from perf.config import PROVENANCE_MIMETYPE

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
    """The data files and releases as a list, reported to the renderer for the footer."""
    used = sorted(set(sources))
    items = "".join(f"<li>{esc(s)}</li>" for s in used)
    html = f"<ul>{items}</ul>" if items else f"<p>{esc(empty)}</p>"
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
