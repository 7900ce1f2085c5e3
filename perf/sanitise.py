"""Make untrusted narrative text (commentary, key-activity progress) safe to put in HTML.

Commentary and progress notes come from data files that anyone with the spreadsheet
can edit; the Dudley seed's progress text already carries ``<p>`` tags. We keep the
formatting a committee paper needs (paragraphs, line breaks, lists, emphasis, links
to web pages and email addresses) and drop everything else with a real HTML
sanitiser, `nh3 <https://nh3.readthedocs.io>`_ (Rust's ammonia), never a regular
expression: HTML is not a regular language and regex filters are routinely bypassed.

Examples:
    >>> clean_html("<p>Action plans are <b>being implemented</b>.</p><script>alert(1)</script>")
    '<p>Action plans are <b>being implemented</b>.</p>'
    >>> clean_html('<a href="javascript:alert(1)" onclick="x()">report</a>')
    '<a rel="noopener noreferrer">report</a>'
    >>> clean_html("First line\\nsecond line\\n\\nNew paragraph & more")
    '<p>First line<br>second line</p><p>New paragraph &amp; more</p>'
    >>> clean_html(None)
    ''
"""

from __future__ import annotations

import html
from typing import Any

import nh3

from perf._numbers import is_missing

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "URL_SCHEMES", "clean_html"]

#: Formatting a committee paper needs; everything else is unwrapped (text kept).
ALLOWED_TAGS: frozenset[str] = frozenset(
    {"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a"}
)
#: Only links keep an attribute, and only ``href`` (``rel`` is set by the cleaner).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}}
#: Links to web pages and email only: no ``javascript:``, ``data:``, ``vbscript:``, ``file:``.
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
#: Elements removed together with their content (a script's text is not narrative).
_DROP_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "noscript",
        "template",
        "svg",
        "math",
        "textarea",
        "title",
        "xmp",
        "noembed",
        "noframes",
        "frameset",
        "frame",
        "applet",
    }
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(_DROP_WITH_CONTENT),
    attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def _plain_to_html(text: str) -> str:
    """Plain text: blank lines separate paragraphs, single newlines become ``<br>``."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = [block.strip() for block in normalised.split("\n\n")]
    out = []
    for block in paragraphs:
        if not block:
            continue
        lines = [html.escape(line.strip(), quote=False) for line in block.split("\n")]
        out.append("<p>" + "<br>".join(line for line in lines if line) + "</p>")
    return "".join(out)


def clean_html(text: Any) -> str:
    """Return ``text`` as safe HTML: allowed formatting kept, everything executable gone.

    Text that contains HTML markup (as ``nh3.is_html`` judges it) is sanitised as it
    stands; plain text is escaped and its newlines become paragraphs and line breaks.
    Either way the result passes through the same cleaner, so the output never holds
    ``<script>``, event-handler attributes, ``style``, images, frames or links other
    than ``http``, ``https`` and ``mailto`` (which get ``rel="noopener noreferrer"``).

    Args:
        text: the narrative; ``None`` or NaN give ``""``; other objects are ``str()``-ed.

    Examples:
        >>> clean_html('<img src=x onerror="alert(1)">Fair progress')
        'Fair progress'
        >>> clean_html('<p style="color:red" onmouseover="x()">Good</p>')
        '<p>Good</p>'
        >>> clean_html('See <a href="https://www.dudley.gov.uk">the plan</a>')
        'See <a href="https://www.dudley.gov.uk" rel="noopener noreferrer">the plan</a>'
        >>> clean_html("3 < 5 and 7 > 6")
        '<p>3 &lt; 5 and 7 &gt; 6</p>'
    """
    if is_missing(text):
        return ""
    text = str(text)
    if not text.strip():
        return ""
    source = text if nh3.is_html(text) else _plain_to_html(text)
    return _CLEANER.clean(source).strip()
