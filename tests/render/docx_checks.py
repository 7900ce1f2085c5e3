"""Read-back checks for the committee Word file, as plain functions over a ``.docx``.

Each ``check_*`` function opens the file with python-docx and returns a list of problems,
one readable string each; an empty list means it passed. They run on the real briefings and
on deliberately broken files (see test_docx.py), which is how the suite proves each check
is able to fail.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _open(path: Path):
    return docx.Document(str(path))


def _heading_level(paragraph) -> int | None:
    match = re.fullmatch(r"Heading ([1-9])", paragraph.style.name or "")
    return int(match.group(1)) if match else None


def headings(path: Path) -> list[tuple[int, str]]:
    """``(level, text)`` of every paragraph in a Heading style, in order."""
    return [
        (level, p.text.strip())
        for p in _open(path).paragraphs
        if (level := _heading_level(p)) is not None
    ]


def check_headings(path: Path, labels: frozenset[str] = frozenset()) -> list[str]:
    """Headings use Word's Heading styles (so the navigation pane and screen readers list
    them): there is a Heading 1, levels never skip one, and no paragraph only looks like a
    heading (short, all bold, in another style) unless it is one of ``labels``: bold
    paragraphs the page itself has (the Word file reproduces the page; see
    :func:`bold_paragraphs`)."""
    document = _open(path)
    problems, previous = [], 0
    found = False
    for paragraph in document.paragraphs:
        level = _heading_level(paragraph)
        text = paragraph.text.strip()
        if level is not None:
            found = found or level == 1
            if level > previous + 1:
                problems.append(
                    f"heading {text[:50]!r} is Heading {level} after "
                    f"Heading {previous}: a level is skipped"
                )
            previous = level
            continue
        runs = [r for r in paragraph.runs if r.text.strip()]
        style = paragraph.style.name or ""
        if (
            runs
            and text
            and len(text) < 120
            and all(r.bold for r in runs)
            and not style.startswith(("Caption", "Title", "Subtitle", "Notice"))
            and " ".join(text.split()) not in labels
        ):
            problems.append(
                f"paragraph {text[:50]!r} looks like a heading (all bold, style "
                f"{style!r}) but is not one: use a Heading style"
            )
    if not found:
        problems.append("no paragraph is in the Heading 1 style")
    return problems


def check_tables(path: Path) -> list[str]:
    """Every table is a real table with alt text (``w:tblCaption``) and headers: a table
    whose style marks a header row (``tblLook firstRow``) repeats that row on every page
    (``w:tblHeader``); one without a header row marks its first column as row headers."""
    problems = []
    for number, table in enumerate(_open(path).tables):
        props = table._tbl.tblPr
        caption = props.find(qn("w:tblCaption"))
        if caption is None or not (caption.get(qn("w:val")) or "").strip():
            problems.append(f"table #{number} has no alt text (w:tblCaption)")
        look = props.find(qn("w:tblLook"))
        first_row = look is not None and look.get(qn("w:firstRow")) == "1"
        first_column = look is not None and look.get(qn("w:firstColumn")) == "1"
        rows = table._tbl.findall(qn("w:tr"))
        repeats = bool(rows) and rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        if first_row and not repeats:
            problems.append(
                f"table #{number}: its header row is not marked to repeat on "
                "each page (w:tblHeader)"
            )
        if not first_row and not first_column:
            problems.append(f"table #{number} has neither a header row nor row headers")
    return problems


def check_images_have_alt(path: Path) -> list[str]:
    """Every picture carries alt text (``wp:docPr descr``)."""
    document = _open(path)
    problems = []
    for number, doc_pr in enumerate(document.element.body.iter(_DOCPR)):
        if not (doc_pr.get("descr") or "").strip():
            problems.append(f"picture #{number} ({doc_pr.get('name')!r}) has no alt text")
    return problems


def check_properties(path: Path, title: str, author: str, language: str = "en-GB") -> list[str]:
    """Title, author and language in the document's properties, and the language in the
    default text style (so Word's proofing and a screen reader's voice are British)."""
    document = _open(path)
    props = document.core_properties
    problems = [
        f"core property {name} is {got!r}, not {want!r}"
        for name, got, want in (
            ("title", props.title, title),
            ("author", props.author, author),
            ("language", props.language, language),
        )
        if got != want
    ]
    lang = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    if lang is None or lang.get(qn("w:val")) != language:
        problems.append(
            f"the default text language is "
            f"{None if lang is None else lang.get(qn('w:val'))!r}, not {language!r}"
        )
    return problems


def bold_paragraphs(page: str) -> frozenset[str]:
    """The page's own all-bold paragraphs (``<p><strong>...</strong></p>``)."""
    return frozenset(
        _text(p)
        for p in re.findall(r"<p>\s*<strong>((?:(?!</?p\b).)*?)</strong>\s*</p>", page, re.DOTALL)
    )


def _text(fragment: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def without_print_only(page: str) -> str:
    """The page less its print-only copies (``<div class="perf-print-only">``, the matrix in
    parts for A4), which the Word file leaves out as the screen does."""
    out, at = [], 0
    for start in [m.start() for m in re.finditer(r'<div class="perf-print-only">', page)]:
        if start < at:
            continue
        out.append(page[at:start])
        depth, i = 0, start
        for tag in re.finditer(r"<(/?)div\b", page[start:]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                i = start + tag.end()
                break
        at = page.index(">", i) + 1
    return "".join(out) + page[at:]


def page_outline(page: str) -> dict[str, list[str]]:
    """What the exported page shows on screen and Word holds, in order: headings, table
    captions, image alt texts."""
    main = without_print_only(page).split("<main", 1)[-1]
    # what Word leaves out as well: the screen's own copies (the full matrix, behind a
    # <details>; it stays in the CSV and XLSX) and the spine chart's facts for screen readers
    # (Word has the picture's alt text)
    main = re.sub(r'<details class="perf-screen-only">.*?</details>', " ", main, flags=re.DOTALL)
    main = re.sub(r'<table class="perf-spine-facts".*?</table>', " ", main, flags=re.DOTALL)
    return {
        "headings": [
            _text(h) for h in re.findall(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", main, re.DOTALL)
        ],
        "captions": [
            _text(c) for c in re.findall(r"<caption\b[^>]*>(.*?)</caption>", main, re.DOTALL)
        ],
        "alts": [
            " ".join(html_lib.unescape(a).split())
            for a in re.findall(r"<img\b[^>]*\balt=\"([^\"]*)\"", main)
        ],
    }


def check_same_content(path: Path, page: str) -> list[str]:
    """The Word file holds the page's headings, table captions and pictures (by alt text),
    in the page's order."""
    document = _open(path)
    want = page_outline(page)
    got = {
        "headings": [" ".join(t.split()) for _, t in headings(path)],
        "captions": [
            " ".join(c.get(qn("w:val")).split())
            for c in document.element.body.iter(qn("w:tblCaption"))
        ],
        "alts": [
            " ".join((d.get("descr") or "").split()) for d in document.element.body.iter(_DOCPR)
        ],
    }
    return [
        f"{key}: the Word file has {got[key]!r}, the page {want[key]!r}"
        for key in want
        if got[key] != want[key]
    ]
