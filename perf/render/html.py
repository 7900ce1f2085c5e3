"""HTML for committees: one self-contained page per executed notebook.

:func:`export_html` turns an executed notebook into a page that needs nothing but a browser
opened from a shared folder: no code cells, every image embedded, no request to any other
server (no MathJax, require.js or web fonts; hyperlinks stay links a reader may follow), a
table of contents, a print stylesheet, ``lang="en-GB"``, a meaningful ``<title>`` and a
provenance footer. The same notebook, parameters and ``SOURCE_DATE_EPOCH`` give the same
bytes.

Examples:
    >>> html = wrap_page("T", "<h1>T</h1><h2 id='a'>A</h2><p>x</p>", footer="")
    >>> 'lang="en-GB"' in html and '<a href="#a">A</a>' in html and "http" not in html
    True
"""

from __future__ import annotations

import copy
import csv
import hashlib
import html as html_lib
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from perf import config
from perf.charts.style import MUTED, STYLE_DIR
from perf.config import CONTENTS_MARK, MATRIX_MIMETYPE, PROVENANCE_MIMETYPE, SHOWN_MIMETYPE
from perf.errors import RenderError
from perf.fileio import source_groups
from perf.render.provenance import code_version
from perf.render.registry import title_for

__all__ = [
    "HtmlWriter",
    "check_html",
    "css_string",
    "export_html",
    "find_external",
    "page_html",
    "screen_css",
    "warm_exporter",
    "wrap_page",
    "wrap_tables",
]

#: The page's one stylesheet (screen and print), perf/style/report.css; its colours are the
#: palette's (perf.charts.style), which tests/test_charts_style.py checks.
_CSS = (STYLE_DIR / "report.css").read_text(encoding="utf-8").split("*/\n", 1)[1]

_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="{generator}">
<title>{title}</title>
<style>{css}{print_header}</style>
</head>
<body>
<a class="skip-link" href="#main">Skip to main content</a>
<main id="main">
{body}
</main>
{footer}</body>
</html>
"""

#: Mimetypes a notebook shows for the renderer only (see perf.config).
_RECORDS = (PROVENANCE_MIMETYPE, SHOWN_MIMETYPE, MATRIX_MIMETYPE)

_HEADING = re.compile(r"<h([1-3])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_CELL_START = re.compile(r'<div\b[^>]*\bclass="cell\b')
#: Attributes that make a browser fetch something (on any element), and elements whose
#: ``href`` is a resource rather than a link a reader may follow.
_RESOURCE_ATTRIBUTES = frozenset(
    {"src", "srcset", "poster", "data", "xlink:href", "background", "imagesrcset"}
)
_RESOURCE_HREF_TAGS = frozenset({"link", "use", "image", "feimage", "base"})
_OTHER_SERVER = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.IGNORECASE)
_CSS_FETCH = re.compile(
    r"""(?:url\(\s*["']?|@import\s+(?:url\(\s*)?["']?)\s*((?:[a-z][a-z0-9+.\-]*:)?//[^"')\s;]*)""",
    re.IGNORECASE,
)


class _ResourceFinder(HTMLParser):
    """Every reference in a page that would load something from another server."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, int, int]] = []  # (reference, line, column)
        self._in_style = False

    def _add(self, text: str) -> None:
        line, column = self.getpos()
        self.found.append((text, line, column + 1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name in _RESOURCE_ATTRIBUTES or (name == "href" and tag in _RESOURCE_HREF_TAGS):
                urls = (
                    [part.split()[0] for part in value.split(",") if part.split()]
                    if name.endswith("srcset")
                    else [value]
                )
                for url in urls:
                    if _OTHER_SERVER.match(url):
                        self._add(f'<{tag} {name}="{url.strip()}">')
            elif name == "style":
                for match in _CSS_FETCH.finditer(value):
                    self._add(f"<{tag} style> {match.group(1)}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            for match in _CSS_FETCH.finditer(data):
                self._add(f"<style> {match.group(1)}")


def find_external(html: str) -> list[str]:
    """Every reference in ``html`` that would make a browser load something from another
    server: images, scripts, stylesheets, fonts, frames, CSS ``url()`` and ``@import``.
    Hyperlinks (``<a href>``) are not resources: a reader may follow them, nothing loads.

    >>> find_external('<img src="https://x/a.png"><a href="https://x/">x</a><p>url(data:,x)</p>')
    ['<img src="https://x/a.png">']
    >>> find_external('<link rel="stylesheet" href="//cdn/x.css"><p>href=https://x is text</p>')
    ['<link href="//cdn/x.css">']
    >>> find_external('<style>@font-face { src: url("https://f/x.woff2") }</style>')
    ['<style> https://f/x.woff2']
    """
    finder = _ResourceFinder()
    finder.feed(html)
    finder.close()
    return [text for text, _, _ in finder.found]


def _where_from(reference: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Where the text that carried ``reference`` came from: a parameter, or a data file's
    row and column (the first CSV under the data folder that holds the address)."""
    url = _OTHER_SERVER.sub(
        "//", reference.split('"')[1] if '"' in reference else reference.split()[-1]
    )
    needle = url.lstrip("/").split("/")[0] or url
    for name, value in sorted((params or {}).items()):
        if isinstance(value, str) and needle in value:
            return {"column": name, "file": "the notebook's parameters"}
    for path in sorted(config.DATA_DIR.rglob("*.csv")):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if needle not in text:
            continue
        rows = csv.reader(io.StringIO(text))
        header = next(rows, [])
        for number, row in enumerate(rows, start=2):
            for index, cell in enumerate(row):
                if needle in cell:
                    column = header[index] if index < len(header) else str(index + 1)
                    return {
                        "file": path.relative_to(config.PROJ_ROOT)
                        if path.is_relative_to(config.PROJ_ROOT)
                        else path,
                        "row": number,
                        "column": column,
                    }
    return {}


def _slugify(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", html_lib.unescape(_TAG.sub("", text))).strip("-") or "s"


_ID = re.compile(r"""id=["']([^"']+)["']""")


def _ids(html: str) -> set[str]:
    """Every ``id="..."`` value in ``html``: what ``re.findall(r'\\bid=...')`` finds, in
    a twentieth of the time on a page of embedded charts (a pattern that opens with a
    literal is searched for that literal; one that opens with ``\\b`` is tried at each of
    the page's 1.8 million places). A candidate after a word character is no ``id``
    (``gid=``): the search goes on from the next place, so an ``id`` inside it is still
    found.

    >>> sorted(_ids('<p id="a"><g gid="b"/><b data-id="c"></b>'))
    ['a', 'c']
    """
    found, at = set(), 0
    while (match := _ID.search(html, at)) is not None:
        before = html[match.start() - 1] if match.start() else " "
        if before.isalnum() or before == "_":
            at = match.start() + 1
        else:
            found.add(match.group(1))
            at = match.end()
    return found


def _add_toc(body: str) -> str:
    """Give every h2/h3 an id, drop nbconvert's pilcrow links, and insert a contents list of
    the h2 sections where the page marks it (:data:`CONTENTS_MARK`), else before the first
    of them (after the cover).

    >>> page = '<h2>A</h2><div class="perf-contents-here"></div><h2>B</h2>'
    >>> out = _add_toc(page)
    >>> out.index('id="A"') < out.index("Contents") < out.index('id="B"')
    True
    """
    body = _ANCHOR_LINK.sub("", body)
    used = _ids(body)
    entries: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        level, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
        if level == "1":
            return match.group(0)
        found = re.search(r"""\bid=["']([^"']+)["']""", attrs)
        if found:
            ident = found.group(1)
        else:
            base = ident = _slugify(inner)
            n = 2
            while ident in used:
                ident, n = f"{base}-{n}", n + 1
            used.add(ident)
            attrs = f'{attrs} id="{ident}"'
        if level == "2":
            entries.append((ident, _TAG.sub("", inner).strip()))
        return f"<h{level}{attrs}>{inner}</h{level}>"

    body = _HEADING.sub(fix, body)
    if not entries:
        return body
    items = "\n".join(
        f'<li><a href="#{html_lib.escape(i, quote=True)}">{t}</a></li>' for i, t in entries
    )
    toc = (
        f'<nav class="toc" aria-labelledby="contents-heading">\n'
        f'<h2 id="contents-heading">Contents</h2>\n<ol>\n{items}\n</ol>\n</nav>\n'
    )
    # where the page asks for it (CONTENTS_MARK: a briefing whose first page is a summary
    # puts it after that page), else just before the cell holding the first section heading
    if CONTENTS_MARK in body:
        return body.replace(CONTENTS_MARK, toc, 1)
    first_h2 = _HEADING.search(body)
    while first_h2 is not None and first_h2.group(1) != "2":
        first_h2 = _HEADING.search(body, first_h2.end())
    cut = first_h2.start() if first_h2 else 0
    cells = list(_CELL_START.finditer(body, 0, cut))
    if cells:
        cut = cells[-1].start()
    return body[:cut] + "\n" + toc + body[cut:]


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


def wrap_tables(body: str) -> str:
    """Put each table in a keyboard-focusable, labelled region that scrolls sideways on a
    phone, so the page itself never does (WCAG 1.4.10 reflow, 2.1.1 keyboard)."""

    def wrap(match: re.Match[str]) -> str:
        caption = _CAPTION.search(match.group(0))
        label = html_lib.unescape(_TAG.sub("", caption.group(1))).strip() if caption else ""
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="'
            f'{html_lib.escape(label or "Table", quote=True)}">{match.group(0)}</div>'
        )

    return _TABLE.sub(wrap, body)


def wrap_page(
    title: str,
    body: str,
    footer: str,
    generator: str = "perf",
    params: Mapping[str, Any] | None = None,
) -> str:
    """A complete, self-contained page around an exported notebook body.

    Raises:
        RenderError: the page would load something from another server (an image, script,
            stylesheet or font by address); it names the reference and, where it can be
            traced, the parameter or the data file, row and column that carried it.
    """
    body = wrap_tables(body)
    body = _add_toc(body)
    page = page_html(title, body.strip(), footer, generator)
    external = find_external(page)
    if external:
        raise RenderError(
            "the page would load something from another server: " + "; ".join(external[:5]),
            hint="A committee page must open with no network: put the image in the data "
            "as a file perf embeds, or give a link (<a href>) to the resource instead.",
            **_where_from(external[0], params),
        )
    return page


def page_html(title: str, body: str, footer: str = "", generator: str = "perf") -> str:
    """The house page (styles, ``lang``, skip link) around ``body``, as it is."""
    return _PAGE.format(
        title=html_lib.escape(title),
        css=_CSS.strip(),
        body=body,
        footer=footer,
        generator=html_lib.escape(generator),
        print_header=_running_header(title),
    )


def css_string(text: str) -> str:
    r"""``text`` as a double-quoted CSS string that cannot end the ``<style>`` element.

    >>> print(css_string('Children\'s "briefing" </style>'))
    "Children's \22 briefing\22  \3c /style>"
    """
    escaped = []
    for char in text:
        if char in '"\\<' or ord(char) < 32:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _running_header(title: str) -> str:
    """Print only: the report's title (which names the area and period) at the top of every
    page. Screen media never sees it, so the page on screen is the same as without it."""
    return (
        "\n@media print { @page { @top-left { content: "
        + css_string(title)
        + '; font: 12pt Arial, "Helvetica Neue", Helvetica, sans-serif; color: '
        + MUTED
        + "; }"
        " } }"
    )


def screen_css(page: str) -> str:
    """The page's CSS as screen media applies it: every ``@media print`` block removed.

    >>> screen_css("<style>a{b:c}@media print { @page { x: y } p { q: r } }d{e:f}</style>")
    'a{b:c}d{e:f}'
    """
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    out, index = [], 0
    for match in re.finditer(r"@media\s+print\s*\{", css):
        if match.start() < index:
            continue
        out.append(css[index : match.start()])
        depth, pos = 1, match.end()
        while depth and pos < len(css):
            depth += {"{": 1, "}": -1}.get(css[pos], 0)
            pos += 1
        index = pos
    out.append(css[index:])
    return "".join(out).strip()


@lru_cache(maxsize=1)
def _exporter():
    # Lazy: nbconvert takes ~0.5 s to import; Renderer.prepare builds it while the kernel boots.
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.template_name = "basic"  # body only: the page around it is ours
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.embed_images = True
    c.HTMLExporter.mathjax_url = ""
    c.HTMLExporter.require_js_url = ""
    c.HTMLExporter.anchor_link_text = ""
    # Validate the notebook once, after the last preprocessor, not after each of the dozen
    # (each pass walks every output, the embedded charts included): same page, ~25% sooner.
    c.HTMLExporter.optimistic_validation = True
    return HTMLExporter(config=c)


def warm_exporter() -> None:
    """Build the exporter and compile its templates now (a tiny notebook, thrown away)."""
    import nbformat  # lazy, as nbconvert above

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# x")])
    _exporter().from_notebook_node(nb)


@lru_cache(maxsize=256)
def _file_digest(name: str) -> str | None:
    for root in (config.RAW_DIR, config.LOCAL_DIR, config.DATA_DIR):
        for path in sorted(root.rglob(name)) if root.is_dir() else []:
            if path.is_file():
                return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return None


def _collect_provenance(nb) -> list[str]:
    """Data sources the notebook reported (PROVENANCE_MIMETYPE outputs), de-duplicated."""
    sources: list[str] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(PROVENANCE_MIMETYPE)
            if data is None:
                continue
            if isinstance(data, str):
                data = json.loads(data)
            for item in data.get("sources", []) if isinstance(data, dict) else data:
                if item not in sources:
                    sources.append(str(item))
    return sorted(sources)


def _footer(
    notebook: str, params: Mapping[str, Any], sources: Iterable[str], when: datetime
) -> str:
    esc = html_lib.escape
    param_items = "".join(
        f"<li><code>{esc(k)}</code> = {esc(json.dumps(v, default=str, ensure_ascii=False))}</li>"
        for k, v in sorted(params.items())
    )
    source_items = []
    for file, details in source_groups(sources):  # an entry per file, its digest once
        digest = _file_digest(file)
        inner = "".join(f"<li>{esc(d)}</li>" for d in details)
        source_items.append(
            f"<li>{esc(file)}"
            + (f' <span class="digest">(sha256 {digest})</span>' if digest else "")
            + (f"<ul>{inner}</ul>" if inner else "")
            + "</li>"
        )
    sources_html = (
        f"<ul>{''.join(source_items)}</ul>"
        if source_items
        else "<p>The notebook did not report its data files.</p>"
    )
    stamp = f"{when.day} {when:%B %Y, %H:%M} UTC"
    return (
        '<footer class="provenance" aria-labelledby="provenance-heading">\n'
        '<h2 id="provenance-heading">How this report was produced</h2>\n<dl>\n'
        f"<dt>Notebook</dt><dd><code>notebooks/{esc(notebook)}.ipynb</code>, executed top to "
        "bottom by papermill and exported without code by nbconvert</dd>\n"
        f"<dt>Parameters</dt><dd><ul>{param_items}</ul></dd>\n"
        f"<dt>Data files and releases</dt><dd>{sources_html}</dd>\n"
        f"<dt>Code version</dt><dd>{esc(code_version())}</dd>\n"
        f'<dt>Time of run</dt><dd><time datetime="{when.isoformat()}">{stamp}</time></dd>\n'
        "</dl>\n</footer>\n"
    )


def _shown_cell(cell):
    """The cell as the page shows it (a copy; ``cell`` is not modified): a code cell without
    its stderr, the renderer's records, or an output that held only records."""
    if cell.get("cell_type") != "code":
        return cell
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            continue
        data = output.get("data")
        if data is not None:
            if any(record in data for record in _RECORDS):  # for the renderer, never shown
                data = type(data)((k, v) for k, v in data.items() if k not in _RECORDS)
                output = copy.copy(output)
                output["data"] = data
            if not data:
                continue
        kept.append(output)
    shown = copy.copy(cell)
    shown["outputs"] = kept
    return shown


def export_html(nb, notebook: str, params: Mapping[str, Any], when: datetime) -> str:
    """The committee page for an executed notebook (``nb`` is not modified).

    Code cells' inputs, stderr (warnings) and the records for the renderer (provenance and
    shown figures, which may ride on a section's own output) are left out; the provenance
    goes to the footer.
    """
    # A shallow copy with new cells, outputs and data where they change: nbconvert deep-copies
    # the notebook it is given, and a second deep copy of every chart here cost as much.
    shown = copy.copy(nb)
    shown["cells"] = [_shown_cell(cell) for cell in nb.cells]
    body, _resources = _exporter().from_notebook_node(shown)
    title = title_for(notebook, params)
    footer = _footer(notebook, params, _collect_provenance(nb), when)
    return wrap_page(title, body, footer, generator="perf (papermill + nbconvert)", params=params)


# --- the page as an output format (perf.render.formats) ---------------------------------------


class HtmlWriter:
    """The HTML format's writer: the exported page itself, as UTF-8."""

    def write(self, page) -> bytes:
        return page.html.encode("utf-8")


_TITLE = re.compile(r"<title>[^<]*\S[^<]*</title>", re.IGNORECASE)


def check_html(data: bytes) -> None:
    """The HTML format's read-back check: a whole page (UTF-8, from the doctype to
    ``</html>``) with its language and a title.

    >>> check_html(page_html("T", "<p>x</p>").encode())
    >>> check_html(page_html("T", "<p>x</p>").encode()[:200])
    Traceback (most recent call last):
    ...
    perf.errors.RenderError: the HTML page is not whole: it does not end with </html>. Render it again.

    Raises:
        RenderError: what is wrong with the page.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RenderError(f"the HTML page is not UTF-8 ({exc.reason})") from exc
    problems = [
        problem
        for problem, ok in (
            ("it does not start with <!DOCTYPE html>", text.startswith("<!DOCTYPE html>")),
            ("it does not end with </html>", text.rstrip().endswith("</html>")),
            ('it has no <html lang="...">', '<html lang="' in text[:200]),
            ("it has no title", _TITLE.search(text[:2000]) is not None),
        )
        if not ok
    ]
    if problems:
        raise RenderError(
            f"the HTML page is not whole: {'; '.join(problems)}", hint="Render it again."
        )


# --- the outputs index ---------------------------------------------------------------------
