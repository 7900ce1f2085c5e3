"""The committee PDF: the exported page printed to tagged, A4 PDF by Chromium, then finished.

Why Chromium and not WeasyPrint (measured on the Dudley 2024-25 briefing, 600 kB of HTML
with seven embedded charts, on the 2-core project machine, December 2026):

- **Speed.** Chromium (Debian's 156, driven by Playwright 1.65 with ``page.pdf(tagged=True,
  outline=True)``, browser already running) used 0.4-0.5 s of CPU per briefing (0.8-1.9 s
  of wall time while other work loaded the machine); WeasyPrint 70 with
  ``pdf_variant="pdf/ua-1"`` used 2.0-2.2 s of CPU (5-8 s wall) for the same page. The
  budget for PDF and Word together is 1 s per briefing in a batch of every council:
  WeasyPrint alone would spend it.
- **Tagging.** Both write a structure tree (H1-H4, P, L/LI/Lbl, Table/TR/TH/TD with scope,
  spans and header ids, Figure with the image's alt text, Caption), an outline from the
  headings, ``/Lang en-GB``, the title (with ``DisplayDocTitle``) and embedded font subsets.
  WeasyPrint adds THead/TBody, an Author from ``<meta name="author">`` and marks margin
  boxes as artifacts; Chromium tags the ``<figure>`` around each image as a second Figure
  without alt text, writes no Author and leaves the running header and footer unmarked.
  :func:`finish_pdf` closes those three gaps (pikepdf, ~0.1 s): the wrapper becomes a Div,
  the Info dictionary and XMP metadata get title, author, subject, language and the run's
  time, and content outside the structure tree is marked ``/Artifact``.
- **Dependencies.** Chromium is already installed for the browser tests (``make
  browser-deps``), so the PDF is printed by the same engine the print checks drive.
  WeasyPrint would add pango/cairo bindings, fonttools, pydyf, tinycss2 and cssselect2.

So a PDF needs Chromium at run time: :func:`require_chromium` says what to install before
anything runs. Layout lives in the page's print stylesheet (:mod:`perf.render.html`): A4
portrait, 12 pt at least, the title and "Page n of N" in the margins, table headers
repeated, no table split into an empty stub, no chart cut across pages.

:class:`PdfPrinter` keeps one browser for its whole life (start-up costs ~2 s; a print
~0.5 s) in a thread of its own, so a run can build its Word file while Chromium prints.
"""

from __future__ import annotations

import io
import os
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from perf.errors import RenderError
from perf.render.registry import DocumentInfo

if TYPE_CHECKING:  # Playwright is imported lazily: only printing a PDF needs it
    from playwright.sync_api import Browser, BrowserContext, Playwright

__all__ = [
    "CHROMIUM_ARGS",
    "CHROMIUM_PATH",
    "PdfPrinter",
    "check_pdf",
    "finish_pdf",
    "launch_chromium",
    "require_chromium",
]

#: Debian's Chromium (``make browser-deps``); Playwright's own browser download is never used.
CHROMIUM_PATH = Path("/usr/bin/chromium")

#: On a machine with a closed network: these flags stop Chromium phoning home (refused many
#: times a second) and let it run as root without a sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: Requests a page being printed may make (it is self-contained: anything else is refused).
_LOCAL = ("data:", "about:", "blob:")

_PRODUCER_NOTE = "perf (papermill + nbconvert), printed by Chromium"

#: Printed once when the printer starts: the fonts, a table and a tagged outline, so the
#: first committee page does not pay for them.
_WARM_PAGE = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>warm-up'
    "</title><style>@page { size: A4; @bottom-right { content: counter(page); } }"
    " body { font-family: Arial, sans-serif; }</style></head><body><h1>Warm-up</h1>"
    "<p><b>bold</b> <code>code</code> \u2605 \u2713 \u25b2</p><table><caption>t"
    "</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td>1</td></tr>"
    "</tbody></table></body></html>"
)


def require_chromium() -> None:
    """Check that Chromium is here to print a PDF, before anything runs (the PDF format's
    ``available`` check in :mod:`perf.render.formats`, which checks its Python packages,
    Playwright and pikepdf, first).

    Raises:
        RenderError: Chromium is missing, naming what to install.
    """
    if not (CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        raise RenderError(
            f"PDF output needs Debian's Chromium at {CHROMIUM_PATH}, which is not installed",
            hint="Install it with `make browser-deps` (or `apt-get install chromium`), "
            "or leave pdf out of --to.",
        )


def launch_chromium(playwright):
    """Debian's Chromium, headless, through Playwright (never Playwright's own download)."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS, headless=True
    )


class PdfPrinter:
    """One headless Chromium, started on first use (or :meth:`start`) and reused for every
    print, in a thread of its own (Playwright's sync API belongs to the thread that started
    it, and the kernel client's event loop stays out of its way). Close it when done::

        with PdfPrinter() as printer:
            pdf = printer.print_pdf(html, info)
    """

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="perf-pdf")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> Future:
        """Launch the browser now, in the background (a print waits for it), and print a
        small page once, so the first real print finds fonts and the print path warm."""
        return self._executor.submit(self._warm)

    def submit(self, html: str, info: DocumentInfo) -> Future:
        """Print ``html`` in the background; the future's result is the finished PDF."""
        return self._executor.submit(self._print, html, info)

    # as the PDF format's writer (perf.render.formats)

    def prepare(self) -> None:
        """Launch the browser in the background while the kernel boots (:meth:`start`)."""
        self.start()

    def write(self, page) -> Future:
        """Print a :class:`perf.render.formats.Page` in the background (:meth:`submit`)."""
        return self.submit(page.html, page.info)

    def print_pdf(self, html: str, info: DocumentInfo) -> bytes:
        """The finished PDF of ``html`` (see :func:`finish_pdf`).

        Raises:
            RenderError: Chromium is missing, or failed to print.
        """
        return self.submit(html, info).result()

    def print_raw(self, html: str, **options) -> bytes:
        """Chromium's own PDF of ``html``, before :func:`finish_pdf` (to compare with, and
        to make test fixtures). ``options`` override ``page.pdf``'s: the defaults are the
        committee print (CSS page size, backgrounds, tagged, with an outline)."""
        return self._executor.submit(self._print_raw, html, options).result()

    def close(self) -> None:
        """Stop the browser (idempotent)."""
        try:
            self._executor.submit(self._stop).result(timeout=60)
        except Exception:  # noqa: BLE001 - a browser that died first cannot be closed
            pass
        self._executor.shutdown(wait=False)

    # in the printer's thread

    def _ensure_browser(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        self._stop()
        require_chromium()
        from playwright.sync_api import sync_playwright  # lazy: only the PDF path needs it

        try:
            self._playwright = sync_playwright().start()
            self._browser = launch_chromium(self._playwright)
        except Exception as exc:  # noqa: BLE001 - any launch failure is reported as one error
            self._stop()
            raise RenderError(
                f"Chromium did not start: {exc}".splitlines()[0],
                hint="Check that `chromium --headless --version` runs.",
            ) from exc
        return self._browser

    def _warm(self) -> None:
        self._print_raw(_WARM_PAGE, {})

    def _print(self, html: str, info: DocumentInfo) -> bytes:
        return finish_pdf(self._print_raw(html, {}), info)

    def _print_raw(self, html: str, options: dict) -> bytes:
        browser = self._ensure_browser()
        page = None
        try:
            if self._context is None:
                # One context for every print, each in a fresh tab: a reused tab would be
                # ~0.1 s of CPU cheaper, but Chromium numbers its structure elements across
                # a tab's life, so the same page would not give the same bytes. Nothing but
                # the page's own data: URIs may load.
                self._context = browser.new_context()
                self._context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith(_LOCAL) else route.abort()
                    ),
                )
            page = self._context.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(
                **{
                    "prefer_css_page_size": True,
                    "print_background": True,
                    "tagged": True,
                    "outline": True,
                    **options,
                }
            )
        except Exception as exc:  # noqa: BLE001 - Playwright's errors become one RenderError
            raise RenderError(
                f"Chromium could not print the PDF: {exc}".splitlines()[0],
                hint="Run again; if it persists, run `perf render` with -v.",
            ) from exc
        finally:
            if page is not None:
                try:
                    page.close()
                except Exception:  # noqa: BLE001 - the browser may have gone with the error
                    pass

    def _stop(self) -> None:
        try:
            if self._browser is not None:
                self._browser.close()
        except Exception:  # noqa: BLE001 - already gone
            pass
        try:
            if self._playwright is not None:
                self._playwright.stop()
        except Exception:  # noqa: BLE001 - already gone
            pass
        self._browser = self._playwright = self._context = None


# --- finishing -----------------------------------------------------------------------------


def _pdf_date(when: datetime) -> str:
    when = when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _kids(node) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _retag_figure_wrappers(pdf: pikepdf.Pdf) -> int:
    """Chromium tags ``<figure>`` as a Figure holding the image's Figure and the Caption:
    a Figure's alt text replaces everything in it, so the wrapper (with no alt text of its
    own) becomes a Div and the image's alt text and the caption are both read."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    changed, stack = 0, [root]
    while stack:
        node = stack.pop()
        for kid in _kids(node):
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            stack.append(kid)
            if (
                kid.S == "/Figure"
                and "/Alt" not in kid
                and any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Figure"
                    for k in _kids(kid)
                )
            ):
                kid.S = pikepdf.Name.Div
                changed += 1
    return changed


_PAINT = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s"}
_PATH = {"m", "l", "c", "v", "y", "h", "re"}


def _mark_artifacts(pdf: pikepdf.Pdf) -> int:
    """Mark content outside the structure tree (the running header and footer, page
    backgrounds) as ``/Artifact``, so assistive technology skips it instead of guessing;
    drop Chromium's stray ``EMC`` operators that close nothing. Returns how many pieces
    were marked."""
    begin = ([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
    end: tuple[list[object], pikepdf.Operator] = ([], pikepdf.Operator("EMC"))
    marked = 0
    for page in pdf.pages:
        out: list = []
        depth = 0  # marked-content nesting (BDC/BMC ... EMC), which may straddle q/Q
        pending: list = []  # a path under construction outside any marked content
        in_text = changed = False
        for instruction in pikepdf.parse_content_stream(page):
            operands, operator = instruction.operands, instruction.operator
            name = str(operator)
            if depth or in_text:
                out.append((operands, operator))
                if name in ("BDC", "BMC"):
                    depth += 1
                elif name == "EMC":
                    depth -= 1
                elif name == "ET" and in_text and not depth:
                    out.append(end)
                    in_text = False
                continue
            if name in _PATH or pending and name in ("W", "W*"):
                pending.append((operands, operator))
                continue
            if pending and name in _PAINT:
                out += [begin, *pending, (operands, operator), end]
                pending, changed, marked = [], True, marked + 1
                continue
            out += pending
            pending = []
            if name == "BT":
                out += [begin, (operands, operator)]
                in_text, changed, marked = True, True, marked + 1
            elif name in ("Do", "sh"):
                out += [begin, (operands, operator), end]
                changed, marked = True, marked + 1
            elif name == "EMC":
                changed = True  # closes nothing: dropped
            else:
                out.append((operands, operator))
                if name in ("BDC", "BMC"):
                    depth += 1
        out += pending
        if changed:
            page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(out))
    return marked


def finish_pdf(raw: bytes, info: DocumentInfo) -> bytes:
    """Chromium's tagged PDF with what it leaves out: Info and XMP metadata (title, author,
    subject, ``en-GB``, the run's time as creation date), the figure wrappers retagged as
    Div, untagged content marked as artifacts. The same input gives the same bytes.

    Raises:
        RenderError: ``raw`` is not a PDF.
    """
    try:
        pdf = pikepdf.open(io.BytesIO(raw))
    except pikepdf.PdfError as exc:
        raise RenderError(f"Chromium's output is not a readable PDF: {exc}") from exc
    with pdf:
        _retag_figure_wrappers(pdf)
        _mark_artifacts(pdf)
        pdf.Root.Lang = pikepdf.String(info.language)
        pdf.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if "/MarkInfo" in pdf.Root:
            pdf.Root.MarkInfo.Marked = True
        stamp = (
            info.when.astimezone(timezone.utc).isoformat()
            if info.when.tzinfo
            else info.when.isoformat()
        )
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = info.title
            meta["dc:creator"] = [info.author]
            meta["dc:language"] = {info.language}
            if info.subject:
                meta["dc:description"] = info.subject
            meta["xmp:CreatorTool"] = _PRODUCER_NOTE
            meta["xmp:CreateDate"] = stamp
            meta["xmp:ModifyDate"] = stamp
            meta["xmp:MetadataDate"] = stamp
        docinfo = pdf.docinfo
        docinfo.Title = info.title
        docinfo.Author = info.author
        if info.subject:
            docinfo.Subject = info.subject
        docinfo.Creator = _PRODUCER_NOTE
        docinfo.CreationDate = docinfo.ModDate = _pdf_date(info.when)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def check_pdf(data: bytes) -> None:
    """The PDF format's read-back check: a PDF pikepdf opens, with pages, tagged (a
    structure tree, marked content), with its language and title.

    Raises:
        RenderError: what is wrong with the file.
    """
    if not data.rstrip().endswith(b"%%EOF"):  # pikepdf would open it, recovering what it can
        raise RenderError("the PDF cannot be read back: it is cut short", hint="Render it again.")
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        reason = str(exc).split(">: ", 1)[-1]  # without qpdf's name for the in-memory stream
        raise RenderError(
            f"the PDF cannot be read back: {reason}", hint="Render it again."
        ) from exc
    with pdf:
        root = pdf.Root
        problems = [
            problem
            for problem, ok in (
                ("it has no pages", len(pdf.pages) > 0),
                ("it is not tagged (no structure tree)", "/StructTreeRoot" in root),
                (
                    "its content is not marked",
                    "/MarkInfo" in root and bool(root.MarkInfo.get("/Marked")),
                ),
                ("it has no language", "/Lang" in root),
                ("it has no title", bool(str(pdf.docinfo.get("/Title", "")).strip())),
            )
            if not ok
        ]
    if problems:
        raise RenderError(f"the PDF is not sound: {'; '.join(problems)}", hint="Render it again.")
