"""Checks a committee member's browser would reveal, as plain functions over an open page.

Each ``check_*`` function takes a :class:`LoadedPage` (a Playwright page opened by
:func:`open_page`, with the requests and console errors recorded while it loaded) and
returns a list of problems, one readable string each; an empty list means the page passed.
The same functions run on the real rendered briefings and on the deliberately broken
fixtures in ``fixtures/``, which is how the suite proves every check is able to fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser, Page

# Debian's Chromium and its launch flags: one implementation, shared with the PDF renderer
# (re-exported for the browser tests' conftest).
from perf.render.pdf import CHROMIUM_ARGS as CHROMIUM_ARGS
from perf.render.pdf import CHROMIUM_PATH as CHROMIUM_PATH
from perf.render.pdf import launch_chromium as launch_chromium

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# A4 is 210 mm x 297 mm; the PDF is printed with PRINT_MARGIN_MM on every side, and CSS
# pixels are 96 to the inch, so a chart must fit inside this box to print on one page.
PRINT_MARGIN_MM = 15
MM_TO_PX = 96 / 25.4
A4_PRINTABLE_WIDTH_PX = round((210 - 2 * PRINT_MARGIN_MM) * MM_TO_PX)
A4_PRINTABLE_HEIGHT_PX = int((297 - 2 * PRINT_MARGIN_MM) * MM_TO_PX)

# What counts as a chart (figures that must not be cut across printed pages) and what
# counts as a status cell (must carry a symbol and a word, never colour alone).
CHART_SELECTOR = "img, svg:not(svg svg), canvas"
STATUS_SELECTOR = (
    "[data-status], .status, .rag, .rag-status, td[class*='status'], span[class*='status']"
)


@dataclass
class LoadedPage:
    """A page opened from file:// with everything it asked for while loading."""

    page: Page
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def open_page(browser: Browser, path: Path, width: int = 1280, height: int = 900) -> LoadedPage:
    """Open ``path`` from file:// in a fresh context, recording requests and console errors.

    Requests to anything but file:, data: or blob: are recorded and then aborted, so a
    broken page can never reach the network even when the test is about to fail.
    """
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(LOCAL_SCHEMES) else route.abort()
        ),
    )
    page = context.new_page()
    loaded = LoadedPage(page=page, url=Path(path).resolve().as_uri())
    page.on("request", lambda request: loaded.requests.append(request.url))
    page.on(
        "console",
        lambda msg: (
            loaded.console_errors.append(f"console.{msg.type}: {msg.text}")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: loaded.console_errors.append(f"uncaught: {exc}"))
    page.goto(loaded.url, wait_until="load")
    return loaded


def close_page(loaded: LoadedPage) -> None:
    loaded.page.context.close()


# --- the checks ---------------------------------------------------------------------------


def check_no_external_requests(loaded: LoadedPage) -> list[str]:
    """Every request the page made stays on file: or data: (no CDN, no web fonts, no analytics)."""
    return [
        f"request leaves the machine: {url}"
        for url in loaded.requests
        if not url.startswith(LOCAL_SCHEMES)
    ]


def check_no_console_errors(loaded: LoadedPage) -> list[str]:
    """Nothing logged at error level and no uncaught exception while loading."""
    return list(loaded.console_errors)


def check_images(loaded: LoadedPage) -> list[str]:
    """Every <img> decoded (naturalWidth > 0) and carrying non-empty alt text."""
    images = loaded.page.evaluate(
        """async () => {
            const imgs = [...document.images];
            for (const img of imgs) img.loading = 'eager';
            await Promise.all(imgs.map(img => img.decode().catch(() => null)));
            return imgs.map((img, i) => ({
                index: i,
                src: (img.getAttribute('src') || '').slice(0, 60),
                naturalWidth: img.naturalWidth,
                hasAlt: img.hasAttribute('alt'),
                alt: (img.getAttribute('alt') || '').trim(),
            }));
        }"""
    )
    problems = []
    for img in images:
        where = f"<img> #{img['index']} ({img['src']!r})"
        if img["naturalWidth"] <= 0:
            problems.append(f"{where} did not decode (naturalWidth 0)")
        if not img["alt"]:
            problems.append(f"{where} has {'empty' if img['hasAlt'] else 'no'} alt text")
    return problems


def check_tables(loaded: LoadedPage) -> list[str]:
    """Every <table> has a non-empty <caption> and header cells (<th>)."""
    tables = loaded.page.evaluate(
        """() => [...document.querySelectorAll('table')].map((t, i) => ({
            index: i,
            id: t.id,
            caption: t.caption ? t.caption.textContent.trim() : null,
            headers: t.querySelectorAll('th').length,
            start: t.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50),
        }))"""
    )
    problems = []
    for t in tables:
        where = f"table #{t['index']}{' id=' + t['id'] if t['id'] else ''} ({t['start']!r})"
        if not t["caption"]:
            problems.append(f"{where} has {'an empty' if t['caption'] == '' else 'no'} <caption>")
        if t["headers"] == 0:
            problems.append(f"{where} has no header cells (<th>)")
    return problems


def check_toc_links(loaded: LoadedPage, require_toc: bool = True) -> list[str]:
    """The table of contents exists and every in-page link (href="#id") reaches an element."""
    result = loaded.page.evaluate(
        """() => {
            const toc = document.querySelector(
                'nav.toc, nav#toc, #toc, .toc, nav[aria-label*="ontents" i], nav');
            const links = [...document.querySelectorAll('a[href^="#"]')]
                .filter(a => a.getAttribute('href') !== '#');
            return {
                tocLinks: toc ? toc.querySelectorAll('a[href^="#"]').length : 0,
                broken: links.filter(a => {
                    const id = decodeURIComponent(a.getAttribute('href').slice(1));
                    return !document.getElementById(id) && !document.getElementsByName(id).length;
                }).map(a => `${a.getAttribute('href')} (${a.textContent.trim().slice(0, 40)})`),
            };
        }"""
    )
    problems = [f"in-page link goes nowhere: {b}" for b in result["broken"]]
    if require_toc and result["tocLinks"] == 0:
        problems.append("no table of contents (a <nav> or .toc with links to #sections)")
    return problems


def check_pdf(loaded: LoadedPage, out: Path | None = None) -> list[str]:
    """Printing to A4 PDF succeeds and produces a real PDF of at least one page."""
    margin = f"{PRINT_MARGIN_MM}mm"
    try:
        pdf = loaded.page.pdf(
            format="A4",
            print_background=True,
            margin={"top": margin, "bottom": margin, "left": margin, "right": margin},
        )
    except Exception as exc:  # noqa: BLE001 - reported as the problem, not swallowed
        return [f"page.pdf failed: {exc}"]
    if out is not None:
        out.write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    if not pdf.startswith(b"%PDF-") or pages < 1:
        return [f"page.pdf produced no usable PDF ({len(pdf)} bytes, {pages} pages)"]
    return []


def check_charts_fit_printed_page(loaded: LoadedPage) -> list[str]:
    """No chart can be cut across printed pages.

    With print media emulated at the width of A4's printable area, every chart (img, svg,
    canvas) must (a) sit in a box whose computed break-inside is ``avoid`` (itself or an
    ancestor up to its <figure> / output block: ``page-break-inside: avoid`` computes to the
    same thing), and (b) be no taller than the printable height, so the rule can be honoured.
    """
    page = loaded.page
    viewport = page.viewport_size
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_WIDTH_PX, "height": A4_PRINTABLE_HEIGHT_PX})
    try:
        charts = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)].map((el, i) => {
                const box = el.getBoundingClientRect();
                let avoided = false;
                for (let n = el, depth = 0; n && n !== document.body && depth < 6;
                     n = n.parentElement, depth++) {
                    const s = getComputedStyle(n);
                    if (s.breakInside.startsWith('avoid') || s.pageBreakInside === 'avoid') {
                        avoided = true; break;
                    }
                }
                const hidden = getComputedStyle(el).display === 'none' || box.height === 0;
                return {index: i, tag: el.tagName.toLowerCase(), height: box.height,
                        avoided, hidden,
                        label: (el.getAttribute('alt') || el.getAttribute('aria-label')
                                || el.id || '').slice(0, 50)};
            })""",
            CHART_SELECTOR,
        )
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(viewport)
    problems = []
    for c in charts:
        if c["hidden"]:
            continue
        where = f"<{c['tag']}> #{c['index']} ({c['label']!r})"
        if not c["avoided"]:
            problems.append(
                f"{where} may be cut across pages: no break-inside: avoid on it or its figure"
            )
        if c["height"] > A4_PRINTABLE_HEIGHT_PX:
            problems.append(
                f"{where} is {c['height']:.0f}px tall in print, more than A4's printable "
                f"{A4_PRINTABLE_HEIGHT_PX}px"
            )
    return problems


def run_axe(loaded: LoadedPage, axe_path: Path) -> list[dict]:
    """axe-core's WCAG 2.0/2.1/2.2 A and AA violations, every impact."""
    loaded.page.add_script_tag(path=str(axe_path))
    return loaded.page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary,
                                          html: n.html.slice(0, 120)}))}));
        }""",
        AXE_TAGS,
    )


def check_axe(loaded: LoadedPage, axe_path: Path) -> list[str]:
    """Zero serious or critical WCAG 2.2 AA violations (colour contrast AA included)."""
    return [
        f"axe {v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s), "
        f"first {v['nodes'][0]['target']}: {v['nodes'][0]['summary']}"
        for v in run_axe(loaded, axe_path)
        if v["impact"] in BLOCKING_IMPACTS
    ]


_SYMBOL = re.compile(r"[^\w\s.,;:()'\"/%-]")  # a glyph such as ▲ ▼ ● ◆ ✓ ✗ ★ ■
_WORD = re.compile(r"[A-Za-z]{2,}")


def check_status_not_colour_alone(loaded: LoadedPage, require_status: bool = False) -> list[str]:
    """Every status marker carries a word (a symbol may stand beside it, never alone), so
    colour is never the only cue: direction of travel is words only ("Improved"), status
    against target a symbol and its word (issue 13, one visual language).

    Status markers are found three ways: elements matching :data:`STATUS_SELECTOR`; the
    cell around each ``.perf-symbol`` (how ``perf.tables`` writes a status); and any table
    cell painted a red, amber or green colour (background or text), which is how a
    colour-only status would look. The text read is what a screen reader or a
    black-and-white print shows: ``innerText`` plus any alt text inside.
    """
    cells = loaded.page.evaluate(
        """(selector) => {
            const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
            const ragHue = (c) => {
                const [r, g, b, a = 1] = rgb(c).map((v, i) => i < 3 ? v / 255 : v);
                if (a < 0.2) return false;
                const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2;
                if (max === min || l < 0.1 || l > 0.96) return false;
                const s = (max - min) / (1 - Math.abs(2 * l - 1));
                if (s < 0.3) return false;
                let h = max === r ? ((g - b) / (max - min)) % 6
                      : max === g ? (b - r) / (max - min) + 2 : (r - g) / (max - min) + 4;
                h = (h * 60 + 360) % 360;
                return h < 20 || h >= 340 || (h >= 25 && h < 65) || (h >= 75 && h < 165);
            };
            const found = new Set(document.querySelectorAll(selector));
            for (const sym of document.querySelectorAll('.perf-symbol'))
                found.add(sym.closest('td, th, li') || sym.parentElement);
            for (const td of document.querySelectorAll('td')) {
                const s = getComputedStyle(td);
                if (ragHue(s.backgroundColor) || ragHue(s.color)) found.add(td);
            }
            return [...found]
                .filter(el => ![...found].some(o => o !== el && o.contains(el)))
                .map(el => ({
                    tag: el.tagName.toLowerCase(),
                    cls: typeof el.className === 'string' ? el.className : '',
                    text: (el.innerText + ' ' + [...el.querySelectorAll('img[alt]')]
                           .map(i => i.alt).join(' ')).trim(),
                }));
        }""",
        STATUS_SELECTOR,
    )
    problems = []
    for c in cells:
        text = c["text"]
        if not _WORD.search(text):
            problems.append(
                f"status <{c['tag']} class={c['cls']!r}> text {text!r} lacks a "
                "word" + ("" if _SYMBOL.search(text) else " (and has no symbol)")
            )
    if require_status and not cells:
        problems.append(f"no status markers found (looked for {STATUS_SELECTOR}, .perf-symbol)")
    return problems


def check_reflows_at_phone_width(loaded: LoadedPage) -> list[str]:
    """At the current (phone) width the page itself never scrolls sideways (WCAG 1.4.10).

    Wide tables may scroll inside their own container; the whole page may not.
    """
    widths = loaded.page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, view: window.innerWidth})"
    )
    if widths["doc"] > widths["view"] + 1:
        return [
            f"page is {widths['doc']}px wide at a {widths['view']}px viewport: sideways scrolling"
        ]
    return []


def check_local_links(loaded: LoadedPage) -> list[str]:
    """Every link to another local file (the index's briefings, say) points at a file that exists."""
    hrefs = loaded.page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    problems = []
    for href in hrefs:
        if not href.startswith("file:"):
            continue
        target = Path(unquote(urlsplit(href).path))
        if not target.exists():
            problems.append(f"link to a missing file: {href}")
    return problems


def check_tables_fit_the_page(loaded: LoadedPage, *, print_media: bool = False) -> list[str]:
    """No table shown runs past the page (issue 25): at the page's width on screen, or, with
    print media, at A4's printable width. A table hidden for screen readers only (clipped to
    a pixel) and one inside a closed <details> are not shown; a table that scrolls sideways
    inside its own container still runs past the page (a reader cannot see it whole)."""
    page = loaded.page
    viewport = page.viewport_size
    if print_media:
        page.emulate_media(media="print")
        page.set_viewport_size({"width": A4_PRINTABLE_WIDTH_PX, "height": A4_PRINTABLE_HEIGHT_PX})
    try:
        found = page.evaluate(
            """() => {
                const view = document.documentElement.clientWidth;
                const out = [];
                document.querySelectorAll('table').forEach((t, i) => {
                    if (t.closest('details:not([open])')) return;
                    const box = t.getBoundingClientRect();
                    if (box.width === 0 || box.height === 0) return;
                    let up = t.parentElement, hidden = false;
                    while (up && up !== document.body) {  // a screen reader's table only
                        if (up.getBoundingClientRect().width <= 1) { hidden = true; break; }
                        up = up.parentElement;
                    }
                    if (hidden) return;
                    const right = box.right;
                    if (right > view + 1) {
                        out.push({i, id: t.id, right: Math.round(right), view,
                                  caption: t.caption ? t.caption.textContent.trim().slice(0, 60) : ''});
                    }
                });
                return out;
            }"""
        )
    finally:
        if print_media:
            page.emulate_media(media="screen")
            if viewport:
                page.set_viewport_size(viewport)
    where = "on A4" if print_media else "on screen"
    return [
        f"table #{t['i']} {t['id'] or ''} ({t['caption']!r}) reaches {t['right']}px, past the "
        f"page's {t['view']}px {where}"
        for t in found
    ]
