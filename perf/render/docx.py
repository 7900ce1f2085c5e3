"""The committee Word file: the exported page rebuilt as a real, editable Word document.

Officers edit the covering report in Word, so the ``.docx`` is built from the same exported
page as the HTML and the PDF (:func:`html_to_docx`), element by element, in the same order,
with what Word and screen readers need to find their way:

- headings as Word's own Heading 1-4 styles (the navigation pane and a screen reader's
  heading list work), each with a bookmark, and the contents list linking to them;
- tables as Word tables: the header row marked to repeat on every page (``w:tblHeader``)
  and as the table style's header row (``w:tblLook firstRow``), row header cells bold
  (``firstColumn``), rows that never split across pages, the caption above the table in
  Word's Caption style and as the table's alt text (``w:tblCaption``), merged cells for
  ``colspan``;
- every chart as an inline picture with its alt text (``wp:docPr descr``) and its caption
  below it in the Caption style;
- lists as Word lists (each numbered list starting at 1), the notices as a shaded style, the
  cover details and the provenance footer as they are on the page;
- A4 portrait, Arial 12 pt and up, the title in the page header and "Page n of N" in the
  footer, and the document's properties: title, author, subject, language ``en-GB``.

Why python-docx and not pandoc (checked with Debian's pandoc 2.17 on the Dudley 2024-25
page, December 2026): pandoc keeps the tables well (header row marked to repeat, caption as
the table's alt text, ``colspan`` as merged cells), but it replaces each image's alt text
with its caption (``descr`` holds the figcaption, the chart description is lost: the
problem Quarto users report), keeps the skip link, drops the notices' styling and the
author, and took 2.5 s of CPU per page. python-docx writes the XML we choose in ~0.2 s, and
each promise above is checked by reading the file back (tests/render/test_docx.py).

The page is parsed with the standard library's :mod:`html.parser`; no browser is involved,
so Word output needs nothing beyond python-docx.

Examples:
    >>> from datetime import datetime, timezone
    >>> from perf.render.registry import DocumentInfo
    >>> info = DocumentInfo("T", "Team", "", "en-GB", datetime(2025, 6, 15, tzinfo=timezone.utc))
    >>> data = html_to_docx('<main><h1>T</h1><h2 id="a">A</h2><p>Hello <b>you</b></p></main>', info)
    >>> import docx, io
    >>> document = docx.Document(io.BytesIO(data))
    >>> [(p.style.name, p.text) for p in document.paragraphs]
    [('Heading 1', 'T'), ('Heading 2', 'A'), ('Normal', 'Hello you')]
    >>> document.core_properties.language, document.core_properties.author
    ('en-GB', 'Team')
"""

from __future__ import annotations

import base64
import binascii
import copy
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import timezone
from html.parser import HTMLParser

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from perf.charts.style import ACCENT, LINK, MUTED, PANEL, TEXT, bare_hex, rgb
from perf.errors import RenderError
from perf.render.registry import DocumentInfo

__all__ = ["DocxWriter", "check_docx", "html_to_docx", "parse_page"]

_INK = RGBColor(*rgb(TEXT))
_ACCENT = RGBColor(*rgb(ACCENT))
_LINK = RGBColor(*rgb(LINK))
_FONT = "Arial"
_MONO = "Courier New"
#: The widest a picture may be: the page's own limit for charts (16 cm), within A4's text.
_MAX_PICTURE_CM = 16.0

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# an inline <svg> (a table's sparklines) is a picture Word cannot hold: its cell's words say
# what it shows
_SKIP = {"style", "script", "template", "noscript", "head", "title", "button", "svg"}
_BLOCKS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "caption",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 4, "h6": 4}
_SPACE = re.compile(r"[ \t\n\r\f]+")


# --- a small tree from the page ------------------------------------------------------------


@dataclass
class Node:
    """An element of the parsed page (text is held in ``str`` children)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """All the text inside, whitespace collapsed."""
        parts: list[str] = []

        def walk(node):
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag not in _SKIP:
                    walk(child)

        walk(self)
        return _SPACE.sub(" ", "".join(parts)).strip()

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found += child.find_all(tag)
        return found


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v or "") for k, v in attrs})
        if tag in ("p", "li", "dt", "dd", "tr", "td", "th") and self.stack[-1].tag == tag:
            self.stack.pop()  # an implied end tag (</p>, </li>...)
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: (v or "") for k, v in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_page(html: str) -> Node:
    """The page as a tree of :class:`Node` (standard library only)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _content(root: Node) -> list[Node]:
    """What the reader sees: ``<main>`` and the provenance footer (not the skip link)."""
    found: list[Node] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "main" or (child.tag == "footer" and "provenance" in child.classes()):
                found.append(child)
            else:
                walk(child)

    walk(root)
    return found or [root]


# --- the document's styles, page and properties --------------------------------------------


def _set_lang(rpr, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)


def _set_styles(document, language: str) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    _set_lang(rpr, language)
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = _FONT, Pt(12), _INK
    normal.paragraph_format.space_after = Pt(6)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), _FONT)
    for level, size in ((1, 22), (2, 17), (3, 14), (4, 12)):
        style = styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold = _FONT, Pt(size), True
        style.font.italic = False
        style.font.color.rgb = _ACCENT if level <= 2 else _INK
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(18 if level <= 2 else 12)
        style.paragraph_format.space_after = Pt(6)
    for name in (
        "Title",
        "Subtitle",
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "Header",
        "Footer",
    ):
        styles[name].font.name = _FONT
    styles["Subtitle"].font.size = Pt(14)
    styles["Subtitle"].font.color.rgb = _INK
    styles["Subtitle"].font.italic = False
    caption = styles["Caption"]
    caption.font.name, caption.font.size, caption.font.color.rgb = _FONT, Pt(12), _INK
    caption.font.bold, caption.font.italic = False, False
    caption.paragraph_format.space_after = Pt(6)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(12)
        styles[name].font.color.rgb = RGBColor(*rgb(MUTED))
    notice = styles.add_style("Notice", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = normal
    notice.paragraph_format.left_indent = Cm(0.4)
    notice.paragraph_format.space_before = Pt(6)
    notice.paragraph_format.space_after = Pt(12)
    ppr = notice.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for attr, value in (
        ("w:val", "single"),
        ("w:sz", "36"),
        ("w:space", "8"),
        ("w:color", bare_hex(ACCENT)),
    ):
        left.set(qn(attr), value)
    borders.append(left)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", bare_hex(PANEL))):
        shading.set(qn(attr), value)
    ppr.append(shading)
    term = styles.add_style("Definition Term", WD_STYLE_TYPE.PARAGRAPH)
    term.base_style = normal
    term.font.bold = True
    term.paragraph_format.keep_with_next = True
    term.paragraph_format.space_after = Pt(0)
    link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb, link.font.underline = _LINK, True


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the pages out."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        (None, instruction),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def _set_page(document, info: DocumentInfo) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    section.header_distance = section.footer_distance = Cm(0.8)
    section.header.paragraphs[0].text = info.title
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _set_properties(document, info: DocumentInfo) -> None:
    props = document.core_properties
    props.title, props.author, props.subject = info.title, info.author, info.subject
    props.language = info.language
    props.last_modified_by = info.author
    props.comments = "Rendered by perf (papermill + nbconvert) from the same run as the HTML."
    props.keywords = ""
    props.category = "Committee report"
    props.revision = 1
    when = (
        info.when.astimezone(timezone.utc).replace(tzinfo=None) if info.when.tzinfo else info.when
    )
    props.created = props.modified = when
    props.last_printed = when


# --- writing blocks and runs ---------------------------------------------------------------


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    anchor: str | None = None


class _Writer:
    """Writes the page's nodes into a python-docx document (or table cell), in order."""

    def __init__(self, document, info: DocumentInfo, bookmarks: dict[str, str]) -> None:
        self.document = document
        self.info = info
        self.bookmarks = bookmarks
        self._bookmark_id = 0
        self._style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        # python-docx looks a style up by name through every style, each time: once here.
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    # paragraphs

    def paragraph(self, container, style: str | None = None):
        # A new cell holds one empty paragraph already: use it first.
        if getattr(container, "_perf_fresh", False):
            container._perf_fresh = False
            para = container.paragraphs[0]
        else:
            para = container.add_paragraph()
        if style:
            para._p.style = self.style_id(style)
        return para

    def inline(self, para, nodes, style: _Style) -> None:
        """Runs for a sequence of inline nodes, whitespace collapsed as a browser does."""
        pieces: list[tuple[str, _Style] | Node] = []
        self._collect(nodes, style, pieces)
        # collapse whitespace across runs; trim the paragraph's ends
        text_pieces: list[Node | tuple[str, _Style]] = []
        last_space = True
        for piece in pieces:
            if isinstance(piece, Node):
                text_pieces.append(piece)
                last_space = False
                continue
            text, run_style = piece
            if run_style.code and "\n" in text:
                text_pieces.append((text, run_style))
                last_space = text.endswith((" ", "\n"))
                continue
            text = _SPACE.sub(" ", text)
            if last_space:
                text = text.lstrip(" ")
            if text:
                text_pieces.append((text, run_style))
                last_space = text.endswith(" ")
        while (
            text_pieces and not isinstance(text_pieces[-1], Node) and not text_pieces[-1][0].strip()
        ):
            text_pieces.pop()
        if text_pieces and not isinstance(text_pieces[-1], Node):
            text, run_style = text_pieces[-1]
            text_pieces[-1] = (text.rstrip(" "), run_style)
        for piece in text_pieces:
            if isinstance(piece, Node):
                if piece.tag == "br":
                    para.add_run().add_break()
                else:
                    self.picture_run(para, piece)
                continue
            text, run_style = piece
            if run_style.anchor and run_style.anchor in self.bookmarks:
                self._hyperlink(para, text, run_style)
            else:
                self._run(para, text, run_style)

    def _collect(self, nodes, style: _Style, out: list) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append((node, style))
                continue
            tag = node.tag
            if tag in _SKIP:
                continue
            if tag in ("br", "img"):
                out.append(node)
                continue
            child = copy.copy(style)
            if tag in ("b", "strong", "th"):
                child.bold = True
            elif tag in ("i", "em", "cite"):
                child.italic = True
            elif tag in ("code", "kbd", "samp", "tt"):
                child.code = True
            elif tag == "a":
                href = node.attrs.get("href", "")
                if href.startswith("#"):
                    child.anchor = href[1:]
            self._collect(node.children, child, out)

    def _run(self, para, text: str, style: _Style):
        run = para.add_run(text)
        if style.bold:
            run.bold = True
        if style.italic:
            run.italic = True
        if style.code:
            run.font.name = _MONO
        return run

    def _hyperlink(self, para, text: str, style: _Style) -> None:
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), self.bookmarks[style.anchor or ""])
        link.set(qn("w:history"), "1")
        run = self._run(para, text, style)
        run._r.style = self.style_id("Hyperlink")
        link.append(run._r)  # moves the run into the hyperlink
        para._p.append(link)

    def bookmark(self, para, ident: str) -> None:
        name = self.bookmarks.get(ident)
        if not name:
            return
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        para._p.insert(1 if para._p.pPr is not None else 0, start)
        para._p.append(end)

    # pictures

    def picture_run(self, para, img: Node) -> None:
        alt = _SPACE.sub(" ", img.attrs.get("alt", "")).strip()
        data = _data_uri(img.attrs.get("src", ""))
        if data is None:
            # not an embedded raster image (e.g. SVG): its description stands in for it
            self._run(para, f"[{alt or 'Image'}]", _Style(italic=True))
            return
        width_px = _number(img.attrs.get("width"))
        width_cm = min(_MAX_PICTURE_CM, width_px * 2.54 / 96) if width_px else _MAX_PICTURE_CM
        try:
            shape = para.add_run().add_picture(io.BytesIO(data), width=Cm(width_cm))
        except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for bad images
            raise RenderError(
                f"an image in the page could not be put in the Word file: {exc}", value=alt[:60]
            ) from exc
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", alt[:80])

    # blocks

    def blocks(self, container, nodes, style: str | None = None) -> None:
        """Block-level content; loose inline content between blocks becomes a paragraph."""
        loose: list = []

        def flush():
            if any(isinstance(n, Node) or n.strip() for n in loose):
                if _has_content(loose):
                    para = self.paragraph(container, style)
                    self.inline(para, loose, _Style())
            loose.clear()

        for node in nodes:
            if isinstance(node, str) or (node.tag not in _BLOCKS and node.tag not in _SKIP):
                loose.append(node)
                continue
            flush()
            self.block(container, node, style)
        flush()

    def block(self, container, node: Node, style: str | None = None) -> None:
        tag, classes = node.tag, node.classes()
        if tag in _SKIP or tag == "hr" or {"perf-print-only", "perf-screen-only"} & classes:
            return  # Word is a printed pack: what the page shows on screen only stays out
        if "perf-spine-facts" in classes:
            return  # the spine chart's facts for screen readers: Word has the picture's alt
        if tag in _HEADINGS:
            para = self.paragraph(container, f"Heading {_HEADINGS[tag]}")
            self.inline(para, node.children, _Style())
            self.bookmark(para, node.attrs.get("id", ""))
        elif tag == "p":
            name: str | None
            if "notice" in classes:
                name = "Notice"
            elif "subtitle" in classes:
                name = "Subtitle"
            else:
                name = style
            para = self.paragraph(container, name)
            self.inline(para, node.children, _Style())
        elif tag in ("ul", "ol"):
            self.list(container, node, depth=1)
        elif tag == "table":
            self.table(container, node)
        elif tag == "figure":
            self.figure(container, node)
        elif tag == "figcaption":
            para = self.paragraph(container, "Caption")
            self.inline(para, node.children, _Style())
        elif tag == "pre":
            para = self.paragraph(container, style)
            self.inline(para, node.children, _Style(code=True))
        elif tag == "dl":
            for child in node.children:
                if isinstance(child, Node) and child.tag == "dt":
                    para = self.paragraph(container, "Definition Term")
                    self.inline(para, child.children, _Style())
                elif isinstance(child, Node) and child.tag == "dd":
                    self.blocks(container, child.children)
        else:  # div, section, nav, main, footer, dt/dd/li outside their lists...
            self.blocks(container, node.children, style)

    def list(self, container, node: Node, depth: int) -> None:
        numbered = node.tag == "ol"
        base = "List Number" if numbered else "List Bullet"
        name = base if depth == 1 else f"{base} {min(depth, 3 if not numbered else 2)}"
        num_id = self._new_numbering(name) if numbered else None
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li":
                continue
            inline: list[Node | str] = []
            nested: list[Node] = []
            for child in item.children:
                (nested if isinstance(child, Node) and child.tag in _BLOCKS else inline).append(
                    child
                )
            para = self.paragraph(container, name)
            if num_id is not None:
                _set_num(para, num_id)
            self.inline(para, inline, _Style())
            for child in nested:
                if child.tag in ("ul", "ol"):
                    self.list(container, child, depth + 1)
                else:
                    self.block(container, child, name)

    def _new_numbering(self, style_name: str) -> str | None:
        """A fresh numbering instance for one numbered list, so each starts at 1."""
        style = self.document.styles[style_name].element
        num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None or num_pr.find(qn("w:numId")) is None:
            return None
        numbering = self.document.part.numbering_part.element
        style_num = num_pr.find(qn("w:numId")).get(qn("w:val"))
        abstract = None
        for num in numbering.findall(qn("w:num")):
            if num.get(qn("w:numId")) == style_num:
                abstract = num.find(qn("w:abstractNumId")).get(qn("w:val"))
        if abstract is None:
            return None
        used = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
        new_id = str(max(used, default=0) + 1)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), new_id)
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), abstract)
        num.append(ref)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        numbering.append(num)
        return new_id

    def figure(self, container, node: Node) -> None:
        images = node.find_all("img")
        for image in images:
            para = self.paragraph(container)
            para.paragraph_format.keep_with_next = True
            self.picture_run(para, image)
        rest = [c for c in node.children if not (isinstance(c, Node) and c.tag == "img")]
        self.blocks(container, rest)

    def table(self, container, node: Node) -> None:
        caption_node = next(
            (c for c in node.children if isinstance(c, Node) and c.tag == "caption"), None
        )
        caption = caption_node.text() if caption_node is not None else ""
        rows: list[tuple[str, Node]] = []
        for child in node.children:
            if not isinstance(child, Node):
                continue
            if child.tag == "tr":
                rows.append(("tbody", child))
            elif child.tag in ("thead", "tbody", "tfoot"):
                rows += [
                    (child.tag, tr)
                    for tr in child.children
                    if isinstance(tr, Node) and tr.tag == "tr"
                ]
        grid, ncols = _grid(rows)
        if not grid or not ncols:
            return
        if caption_node is not None:
            para = self.paragraph(container, "Caption")
            para.paragraph_format.keep_with_next = True
            self.inline(para, caption_node.children, _Style(bold=True))
        table = container.add_table(rows=len(grid), cols=ncols)
        table._tbl.tblPr.style = self.style_id("Table Grid")
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _fit_columns(table, _column_shares(node, ncols))
        header_rows = sum(1 for section, _ in rows if section == "thead")
        has_row_headers = False
        for r, (_section, cells) in enumerate(grid):
            for c, rowspan, colspan, _node in cells:
                if rowspan > 1 or colspan > 1:
                    table.cell(r, c).merge(table.cell(r + rowspan - 1, c + colspan - 1))
        laid_out = table._cells  # python-docx recomputes this on every table.cell(): once
        for r, (section, cells) in enumerate(grid):
            row = table.rows[r]
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r < header_rows:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for c, _rowspan, _colspan, cell_node in cells:
                target = laid_out[r * ncols + c]
                is_header = cell_node.tag == "th"
                if is_header and section != "thead":
                    has_row_headers = True
                if is_header and r < header_rows:
                    _shade(target, bare_hex(PANEL))
                target._perf_fresh = True
                self._cell(target, cell_node, bold=is_header)
                if {"num", "gt_right"} & cell_node.classes():
                    for para in target.paragraphs:
                        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        look = table._tbl.tblPr.find(qn("w:tblLook"))
        if look is None:
            look = OxmlElement("w:tblLook")
            table._tbl.tblPr.append(look)
        look.set(qn("w:firstRow"), "1" if header_rows else "0")
        look.set(qn("w:firstColumn"), "1" if has_row_headers else "0")
        look.set(qn("w:lastRow"), "0")
        look.set(qn("w:lastColumn"), "0")
        look.set(qn("w:noHBand"), "1")
        look.set(qn("w:noVBand"), "1")
        look.attrib.pop(qn("w:val"), None)
        if caption:
            alt = OxmlElement("w:tblCaption")
            alt.set(qn("w:val"), caption[:250])
            look.addnext(alt)
        # a little space after the table, as on the page
        self.paragraph(container).paragraph_format.space_after = Pt(0)

    def _cell(self, cell, node: Node, bold: bool) -> None:
        start = len(cell.paragraphs)
        self.blocks(cell, node.children)
        if bold:
            for para in cell.paragraphs[max(0, start - 1) :]:
                for run in para.runs:
                    run.bold = True
        if getattr(cell, "_perf_fresh", False):
            cell._perf_fresh = False  # an empty cell keeps its one empty paragraph


def _column_shares(table: Node, ncols: int) -> list[float] | None:
    """Each column's share of the table's width from its ``<colgroup>`` (``<col
    style="width:22%">``), when it gives one for every column; else None (equal shares)."""
    cols = [
        col
        for group in table.children
        if isinstance(group, Node) and group.tag == "colgroup"
        for col in group.children
        if isinstance(col, Node) and col.tag == "col"
    ]
    shares = []
    for col in cols:
        found = re.search(r"width:\s*([\d.]+)%", col.attrs.get("style", ""))
        if not found:
            return None
        shares.append(float(found.group(1)))
    if len(shares) != ncols or not sum(shares):
        return None
    return [share / sum(shares) for share in shares]


def _fit_columns(table, shares: list[float] | None) -> None:
    """The table's columns laid out fixed within the width python-docx gave it (the text
    width of the page): in the page's proportions where it gives them, else equal. Word and
    LibreOffice then keep each column's width instead of fitting them to their text."""
    grid = table._tbl.tblGrid
    widths = [int(col.w or 0) for col in grid.gridCol_lst]
    total = sum(widths)
    if shares is not None and total:
        widths = [int(total * share) for share in shares]
        for col, width in zip(grid.gridCol_lst, widths):
            col.w = width
        for tr in table._tbl.tr_lst:
            column = 0
            for tc in tr.tc_lst:  # a merged cell spans columns: its width is theirs
                span = tc.grid_span
                tc.width = sum(widths[column : column + span])
                column += span
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)


def _has_content(nodes) -> bool:
    for node in nodes:
        if isinstance(node, str):
            if node.strip():
                return True
        elif node.tag in ("img", "br") or _has_content(node.children):
            return True
    return False


def _grid(rows: list[tuple[str, Node]]):
    """Rows of (column, rowspan, colspan, cell) with row spans carried down."""
    grid: list[tuple[str, list[tuple[int, int, int, Node]]]] = []
    taken: dict[tuple[int, int], bool] = {}
    ncols = 0
    for r, (section, tr) in enumerate(rows):
        cells, c = [], 0
        for cell in tr.children:
            if not isinstance(cell, Node) or cell.tag not in ("td", "th"):
                continue
            while taken.get((r, c)):
                c += 1
            colspan = max(1, int(_number(cell.attrs.get("colspan")) or 1))
            rowspan = max(1, int(_number(cell.attrs.get("rowspan")) or 1))
            rowspan = min(rowspan, len(rows) - r)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[(r + dr, c + dc)] = True
            cells.append((c, rowspan, colspan, cell))
            c += colspan
        ncols = max(ncols, c, max((k[1] + 1 for k in taken if k[0] == r), default=0))
        grid.append((section, cells))
    return grid, ncols


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", fill)):
        shading.set(qn(attr), value)
    tc_pr.append(shading)


def _set_num(para, num_id: str) -> None:
    ppr = para._p.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num = OxmlElement("w:numId")
    num.set(qn("w:val"), num_id)
    num_pr.append(ilvl)
    num_pr.append(num)
    ppr.append(num_pr)


def _number(text: str | None) -> float | None:
    try:
        return float(str(text).strip().removesuffix("px")) if text else None
    except ValueError:
        return None


def _data_uri(src: str) -> bytes | None:
    match = re.match(r"data:image/(png|jpeg|jpg|gif|bmp);base64,(.*)", src.strip(), re.DOTALL)
    if not match:
        return None
    try:
        return base64.b64decode(match.group(2))
    except (binascii.Error, ValueError):
        return None


def _bookmark_names(content: list[Node]) -> dict[str, str]:
    """Word bookmark names for every heading id (``_perf_1``...: a leading underscore keeps
    them out of Word's bookmark list, as Word's own ``_Toc`` bookmarks are)."""
    names: dict[str, str] = {}
    for part in content:
        for level in _HEADINGS:
            for heading in part.find_all(level):
                ident = heading.attrs.get("id")
                if ident and ident not in names:
                    names[ident] = f"_perf_{len(names) + 1}"
    return names


def _fixed_zip(data: bytes, info: DocumentInfo) -> bytes:
    """The same file, with every zip entry dated at the run's time (reproducible bytes)."""
    when = info.when.astimezone(timezone.utc) if info.when.tzinfo else info.when
    stamp = max(
        (when.year, when.month, when.day, when.hour, when.minute, when.second),
        (1980, 1, 1, 0, 0, 0),
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=stamp)
            # pictures are compressed already: stored, not deflated again
            entry.compress_type = (
                zipfile.ZIP_STORED
                if item.filename.startswith("word/media/")
                else zipfile.ZIP_DEFLATED
            )
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def html_to_docx(html: str, info: DocumentInfo) -> bytes:
    """The Word file of an exported page (``html`` as :func:`perf.render.html.export_html`
    writes it): same content, same order, real headings, tables, pictures with alt text and
    captions. The same page and ``info`` give the same bytes.

    Raises:
        RenderError: an embedded image python-docx cannot read.
    """
    content = _content(parse_page(html))
    document = docx.Document()
    _set_styles(document, info.language)
    _set_page(document, info)
    _set_properties(document, info)
    writer = _Writer(document, info, _bookmark_names(content))
    body = document
    for part in content:
        if part.tag == "footer":
            # the provenance starts on a page of its own, as in print
            document.add_page_break()
        writer.blocks(body, part.children)
    out = io.BytesIO()
    document.save(out)
    return _fixed_zip(out.getvalue(), info)


class DocxWriter:
    """The Word format's writer (:mod:`perf.render.formats`): :func:`html_to_docx` of the
    exported page."""

    def write(self, page) -> bytes:
        return html_to_docx(page.html, page.info)


def check_docx(data: bytes) -> None:
    """The Word format's read-back check: a document python-docx opens, with text, a title
    and a language.

    Raises:
        RenderError: what is wrong with the file.
    """
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise RenderError(
            f"the Word file cannot be read back: {exc}", hint="Render it again."
        ) from exc
    properties = document.core_properties
    problems = [
        problem
        for problem, ok in (
            ("it has no text", any(p.text.strip() for p in document.paragraphs)),
            ("it has no title", bool((properties.title or "").strip())),
            ("it has no language", bool((properties.language or "").strip())),
        )
        if not ok
    ]
    if problems:
        raise RenderError(
            f"the Word file is not sound: {'; '.join(problems)}", hint="Render it again."
        )
