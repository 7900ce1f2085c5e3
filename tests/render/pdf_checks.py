"""Read-back checks for the committee PDF, as plain functions over a PDF file.

Each ``check_*`` function takes the path of a PDF (and what the page says it should hold)
and returns a list of problems, one readable string each; an empty list means it passed.
They read the file the way a reader's software does: the structure tree and outline with
pikepdf, the text with poppler's ``pdftotext``, the pages as pictures with ``pdftoppm``.
The same functions run on the real briefings and on deliberately broken PDFs (see
test_pdf.py), which is how the suite proves each check is able to fail.

Table stubs (a page whose only content of a table is its caption or header row) are found
from the table's structure and the pages each row is drawn on: Chromium tags every row,
and every repetition of the header row, with the page it is on. A row is a header row when
all its cells are TH, a note row when one cell spans every column (the table's footnotes);
anything else is a data row. A page holding a table's caption or header row but none of its
data rows is a stub.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

A4_POINTS = (595.28, 841.89)


# --- reading the structure tree ------------------------------------------------------------


@dataclass
class Element:
    """One structure element: its type, alt text, attributes, pages and children."""

    kind: str
    alt: str | None
    attributes: dict
    pages: set[int] = field(default_factory=set)
    children: list[Element] = field(default_factory=list)
    own_pages: set[int] = field(default_factory=set)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, kind: str) -> list[Element]:
        return [e for e in self.walk() if e.kind == kind]


def _attributes(node) -> dict:
    found = {}
    attrs = node.get("/A")
    if attrs is None:
        return found
    items = list(attrs) if isinstance(attrs, pikepdf.Array) else [attrs]
    for item in items:
        if isinstance(item, pikepdf.Dictionary):
            for key, value in item.items():
                if key != "/O":
                    found[key] = value
    return found


def structure_tree(pdf: pikepdf.Pdf) -> Element | None:
    """The structure tree as :class:`Element` objects, each with the pages its content is
    drawn on (1-based), or None when the PDF has none."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return None
    page_numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}

    def page_of(ref) -> int | None:
        return page_numbers.get(ref.objgen) if ref is not None else None

    seen: set = set()

    def build(node, page: int | None) -> Element:
        page = page_of(node.get("/Pg")) or page
        element = Element(
            str(node.get("/S", "")), str(node.Alt) if "/Alt" in node else None, _attributes(node)
        )
        kids = node.get("/K")
        kids = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, int):
                if page:
                    element.own_pages.add(page)
            elif isinstance(kid, pikepdf.Dictionary):
                if kid.get("/Type") == "/MCR":
                    found = page_of(kid.get("/Pg")) or page
                    if found:
                        element.own_pages.add(found)
                elif kid.get("/Type") == "/OBJR":
                    continue
                elif "/S" in kid and kid.objgen not in seen:
                    if kid.objgen != (0, 0):
                        seen.add(kid.objgen)
                    element.children.append(build(kid, page))
        element.pages = set(element.own_pages)
        for child in element.children:
            element.pages |= child.pages
        return element

    top = Element("StructTreeRoot", None, {})
    kids = root.get("/K")
    kids = [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            top.children.append(build(kid, None))
    for child in top.children:
        top.pages |= child.pages
    return top


def _open(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


# --- text, outline, pictures ---------------------------------------------------------------


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise AssertionError(f"{tool} not found: install poppler-utils (`make browser-deps`)")
    return found


def page_texts(path: Path) -> list[str]:
    """Each page's text as ``pdftotext`` (poppler) extracts it."""
    done = subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    pages = done.stdout.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def _normal(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u00ad", "").split())


def outline_titles(pdf: pikepdf.Pdf) -> list:
    """The outline as nested lists of ``(title, children)``."""
    with pdf.open_outline() as outline:

        def items(nodes):
            return [(node.title, items(node.children)) for node in nodes]

        return items(outline.root)


# --- the checks ----------------------------------------------------------------------------


def check_tagged(path: Path) -> list[str]:
    """Marked as tagged, with a structure tree holding headings, paragraphs, lists (with
    items), tables (with header cells) and, where images are drawn, figures."""
    with _open(path) as pdf:
        problems = []
        mark = pdf.Root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            problems.append("/MarkInfo /Marked is not true: the PDF is not marked as tagged")
        tree = structure_tree(pdf)
        if tree is None:
            return problems + ["no structure tree (/StructTreeRoot): the PDF is untagged"]
        kinds = {e.kind for e in tree.walk()}
        images = _image_count(pdf)
        for needed in ("/H1", "/P", "/L", "/LI", "/Table", "/TR", "/TH") + (
            ("/Figure",) if images else ()
        ):
            if needed not in kinds:
                problems.append(f"the structure tree has no {needed} element")
        return problems


def _image_count(pdf: pikepdf.Pdf) -> int:
    return sum(
        1
        for page in pdf.pages
        for _, xobj in page.obj.get("/Resources", {}).get("/XObject", {}).items()
        if xobj.get("/Subtype") == "/Image"
    )


def check_outline(path: Path, sections: list[str]) -> list[str]:
    """The outline (bookmarks) lists the page's h2 section headings, in order: at the top
    level, or under a single top-level entry for the document's title."""
    with _open(path) as pdf:
        outline = outline_titles(pdf)
    if not outline:
        return ["the PDF has no outline (bookmarks)"]
    entries = outline[0][1] if len(outline) == 1 and outline[0][1] else outline
    titles = [_normal(title) for title, _ in entries]
    expected = [_normal(s) for s in sections]
    if titles != expected:
        return [f"outline entries {titles} differ from the section headings {expected}"]
    return []


def check_language(path: Path, language: str = "en-GB") -> list[str]:
    with _open(path) as pdf:
        lang = str(pdf.Root.get("/Lang", ""))
    return [] if lang == language else [f"/Lang is {lang or 'missing'!r}, not {language!r}"]


def check_metadata(path: Path, title: str, author: str) -> list[str]:
    """Title and author in the Info dictionary and the XMP metadata; the title shown in the
    viewer's title bar (DisplayDocTitle)."""
    problems = []
    with _open(path) as pdf:
        info = pdf.docinfo
        for key, want in (("/Title", title), ("/Author", author)):
            got = str(info.get(key, ""))
            if got != want:
                problems.append(f"Info {key} is {got!r}, not {want!r}")
        meta = pdf.open_metadata()
        if meta.get("dc:title") != title:
            problems.append(f"XMP dc:title is {meta.get('dc:title')!r}, not {title!r}")
        if author not in (meta.get("dc:creator") or []):
            problems.append(f"XMP dc:creator {meta.get('dc:creator')!r} does not name {author!r}")
        prefs = pdf.Root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            problems.append("ViewerPreferences /DisplayDocTitle is not true")
    return problems


def check_fonts_embedded(path: Path) -> list[str]:
    """Every font the pages use is embedded (a font file, or Type 3 glyph procedures)."""
    problems = []
    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for name, font in fonts.items():
                if font.get("/Subtype") == "/Type3":
                    if "/CharProcs" not in font:
                        problems.append(f"page {number}: Type 3 font {name} has no glyphs")
                    continue
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    problems.append(
                        f"page {number}: font {font.get('/BaseFont', name)} is not embedded"
                    )
    return sorted(set(problems))


def check_figures_have_alt(path: Path) -> list[str]:
    """Every Figure element carries alt text (and there is at least one when images are drawn)."""
    with _open(path) as pdf:
        tree = structure_tree(pdf)
        images = _image_count(pdf)
    if tree is None:
        return ["no structure tree: no figure can carry alt text"]
    figures = tree.find("/Figure")
    problems = [
        f"Figure #{i} (pages {sorted(f.pages)}) has no alt text"
        for i, f in enumerate(figures)
        if not (f.alt or "").strip()
    ]
    if images and not figures:
        problems.append(f"{images} images are drawn but none is tagged as a Figure")
    return problems


def check_text_extractable(path: Path, sentences: list[str]) -> list[str]:
    """Each sentence can be extracted as text (a reader can search, copy and hear it)."""
    text = _normal(" ".join(page_texts(path)))
    return [
        f"sentence not extractable as text: {s[:80]!r}" for s in sentences if _normal(s) not in text
    ]


def check_a4_portrait(path: Path) -> list[str]:
    problems = []
    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            box = [float(v) for v in page.mediabox]
            width, height = box[2] - box[0], box[3] - box[1]
            if abs(width - A4_POINTS[0]) > 2 or abs(height - A4_POINTS[1]) > 2:
                problems.append(
                    f"page {number} is {width:.0f} x {height:.0f} pt, not A4 portrait (595 x 842)"
                )
    return problems


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _operations(stream, ctm=(1, 0, 0, 1, 0, 0)):
    """``(operands, operator, ctm)`` for each operation of a content stream, the graphics
    matrix kept through ``q``/``Q`` and ``cm`` (those three are not yielded)."""
    stack = []
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        else:
            yield operands, op, ctm


def text_sizes(path: Path) -> list[tuple[int, float]]:
    """``(page, size in points)`` for every piece of text drawn, from the content streams:
    the font size times the scale of the text and graphics matrices."""
    sizes = []
    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            tm, font_size = (1, 0, 0, 1, 0, 0), 0.0
            for operands, op, ctm in _operations(page):
                if op == "BT":
                    tm = (1, 0, 0, 1, 0, 0)
                elif op == "Tm":
                    tm = tuple(float(v) for v in operands)
                elif op == "Tf":
                    font_size = float(operands[1])
                elif op in ("Tj", "TJ", "'", '"'):
                    a, b, c, d, _, _ = _multiply(tm, ctm)
                    sizes.append((number, font_size * math.sqrt(abs(a * d - b * c))))
    return sizes


def image_sizes(path: Path) -> list[tuple[int, float, float, int]]:
    """``(page, width, height in points, width in pixels)`` of every picture drawn, from the
    content streams (pictures inside form XObjects too): the scale of the graphics matrix
    where the picture is painted."""
    found: list[tuple[int, float, float, int]] = []

    def walk(number: int, stream, resources, ctm) -> None:
        xobjects = resources.get("/XObject", {}) if resources is not None else {}
        for operands, op, at in _operations(stream, ctm):
            xobject = xobjects.get(str(operands[0])) if op == "Do" else None
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                a, b, c, d, _, _ = at
                found.append(
                    (number, math.hypot(a, b), math.hypot(c, d), int(xobject.get("/Width")))
                )
            elif xobject.get("/Subtype") == "/Form":
                inner = at
                if "/Matrix" in xobject:
                    inner = _multiply(tuple(float(v) for v in xobject.Matrix), at)
                walk(number, xobject, xobject.get("/Resources"), inner)

    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            walk(number, page, page.get("/Resources"), (1, 0, 0, 1, 0, 0))
    return found


def check_min_text_size(path: Path, minimum: float = 12.0) -> list[str]:
    """No text smaller than ``minimum`` points (councillors ask for 12 pt)."""
    small: dict[int, float] = {}
    for page, size in text_sizes(path):
        if size < minimum - 0.05:
            small[page] = min(size, small.get(page, size))
    return [
        f"page {page}: text at {size:.1f} pt, below {minimum:g} pt"
        for page, size in sorted(small.items())
    ]


def check_running_header_footer(path: Path, title: str) -> list[str]:
    """Every page shows the report's title (with its area and period) and "Page n of N"."""
    pages = page_texts(path)
    problems = []
    for number, text in enumerate(pages, start=1):
        flat = _normal(text)
        if _normal(title) not in flat:
            problems.append(f"page {number} does not show the title {title!r}")
        if f"Page {number} of {len(pages)}" not in flat:
            problems.append(f"page {number} does not show 'Page {number} of {len(pages)}'")
    return problems


def check_untagged_content(path: Path) -> list[str]:
    """No text drawn outside both the structure tree and ``/Artifact`` marked content:
    assistive technology would read it with no idea what it is."""
    problems = []
    with _open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            depth = loose = 0
            for _, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    depth += 1
                elif op == "EMC":
                    depth = max(0, depth - 1)
                elif op == "BT" and depth == 0:
                    loose += 1
            if loose:
                problems.append(
                    f"page {number}: {loose} text object(s) neither tagged nor marked as artifacts"
                )
    return problems


def _row_kind(row: Element, columns: int) -> str:
    cells = [c for c in row.children if c.kind in ("/TH", "/TD")]
    if cells and all(c.kind == "/TH" for c in cells):
        return "header"
    if len(cells) == 1 and int(cells[0].attributes.get("/ColSpan", 1)) >= max(columns, 2):
        return "note"
    return "data"


def _tables(path: Path) -> list[tuple[Element, list[tuple[str, Element]]]]:
    with _open(path) as pdf:
        tree = structure_tree(pdf)
    if tree is None:
        return []
    tables = []
    for table in tree.find("/Table"):
        rows = table.find("/TR")
        columns = max(
            (
                sum(
                    int(c.attributes.get("/ColSpan", 1))
                    for c in r.children
                    if c.kind in ("/TH", "/TD")
                )
                for r in rows
            ),
            default=0,
        )
        tables.append((table, [(_row_kind(r, columns), r) for r in rows]))
    return tables


def _label(table: Element, number: int) -> str:
    captions = table.find("/Caption")
    return f"table #{number}" + (
        f" (caption on pages {sorted(captions[0].pages)})" if captions else ""
    )


def check_no_table_stubs(path: Path) -> list[str]:
    """No page holds a table's caption or header row without any of its data rows."""
    texts = page_texts(path)
    problems = []
    for number, (table, rows) in enumerate(_tables(path)):
        if not any(kind == "data" for kind, _ in rows):
            continue
        data_pages = set().union(*(r.pages for kind, r in rows if kind == "data"))
        lead_pages = set().union(
            *(r.pages for kind, r in rows if kind == "header"),
            *(c.pages for c in table.find("/Caption")),
        )
        for page in sorted(lead_pages - data_pages):
            snippet = _normal(texts[page - 1])[-120:] if page <= len(texts) else ""
            problems.append(
                f"page {page}: {_label(table, number)} has only its caption or "
                f"header row there, its rows start on the next page "
                f"(page ends: ...{snippet!r})"
            )
    return problems


def check_table_headers_repeat(path: Path) -> list[str]:
    """A table with a header row shows it on every page its data rows are on."""
    problems = []
    for number, (table, rows) in enumerate(_tables(path)):
        headers = [r for kind, r in rows if kind == "header"]
        if not headers:
            continue
        data_pages = set().union(*(r.pages for kind, r in rows if kind == "data"))
        header_pages = set().union(*(r.pages for r in headers))
        for page in sorted(data_pages - header_pages):
            problems.append(
                f"page {page}: {_label(table, number)} continues without its header row"
            )
    return problems


def check_charts_on_one_page(path: Path) -> list[str]:
    """No chart (a Figure with alt text) is cut across pages."""
    with _open(path) as pdf:
        tree = structure_tree(pdf)
    if tree is None:
        return []
    return [
        f"figure {(f.alt or '')[:50]!r} is cut across pages {sorted(f.pages)}"
        for f in tree.find("/Figure")
        if len(f.pages) > 1
    ]


def rasterise(path: Path, out_dir: Path, dpi: int = 30) -> list[Path]:
    """The pages as greyscale PNGs (``pdftoppm``), in order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [_poppler("pdftoppm"), "-r", str(dpi), "-gray", "-png", str(path), str(out_dir / "page")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1]))


def check_pages_not_blank(path: Path, out_dir: Path, margin: float = 0.1) -> list[str]:
    """Every page, drawn, has something in its body (beyond the running header and footer,
    the top and bottom ``margin`` of the page): no blank page from a stray page break."""
    from PIL import Image  # matplotlib's Pillow: only this check reads pictures

    problems = []
    for number, png in enumerate(rasterise(path, out_dir), start=1):
        with Image.open(png) as image:
            width, height = image.size
            body = image.convert("L").crop(
                (0, int(height * margin), width, int(height * (1 - margin)))
            )
            dark = sum(body.histogram()[:200])
        if dark == 0:
            problems.append(f"page {number} is blank ({png.name})")
    return problems
