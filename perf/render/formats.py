"""Output formats as a registry: each format a run can write, declared once.

A run always writes its page as HTML; every other format (the committee PDF, the Word file)
is made by a *writer* from the same exported page and executed notebook. As papermill
registers its I/O handlers and engines (``papermill.iorw.PapermillIO.register``,
``papermill.engines.PapermillEngines.register``), a format is registered once, with:

- its name (what ``--to`` and a schedule's ``formats:`` say) and aliases (``word``);
- its label (what the outputs index links it as) and a one-line description (``--to``'s help);
- its file extension, and whether the file is named for the notebook (``briefing.html``) or
  as a committee document (``Dudley_2024-25_childrens_services_performance.pdf``);
- what it needs: optional Python packages, each with the extra of pyproject.toml that
  installs it, and a check of anything else (Chromium for a PDF);
- its writer, and its read-back check: the function that confirms a written file is sound,
  which the runner applies before any file is replaced and the tests apply to what a
  render wrote.

Everything that lists formats asks this registry: the command line's ``--to`` (help and
validation, :func:`parse_formats`), a schedule's ``formats:``, the runner's writing and its
note of an earlier run's copies, the index's links and the manifest's columns. Adding a
format is one module (its writer and check) and one :func:`register` call; writers and
checks are named as ``"module:attribute"`` so that this registry stays light (no pikepdf,
Playwright or python-docx is imported until a run asks for their format).

Examples:
    >>> [f.name for f in output_formats()]
    ['html', 'pdf', 'docx']
    >>> parse_formats("word, pdf")
    ('html', 'pdf', 'docx')
    >>> output_format("docx").label, output_format("pdf").packages[0].extra
    ('Word', 'pdf')
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from perf.errors import ParameterError, RenderError

if TYPE_CHECKING:  # annotations only: at run time this module needs nothing but perf.errors,
    # so the command line lists the formats in --to's help at no cost
    from concurrent.futures import Future

    from perf.render.registry import DocumentInfo, RunPaths

__all__ = [
    "OutputFormat",
    "Package",
    "Page",
    "Writer",
    "check_output",
    "format_names",
    "new_writer",
    "output_format",
    "output_formats",
    "output_path",
    "parse_formats",
    "register",
    "require",
    "require_package",
    "unregister",
]


@dataclass(frozen=True)
class Package:
    """An optional Python package: the module imported, the distribution ``pip`` installs,
    and the extra of perf (``pip install "perf[<extra>]"``) that brings it."""

    module: str
    distribution: str
    extra: str


@dataclass(frozen=True)
class Page:
    """What a writer is given: the exported page, the executed notebook (an nbformat node),
    the document's properties and the run's parameters."""

    html: str
    notebook: Any
    info: DocumentInfo
    parameters: Mapping[str, Any]


class Writer(Protocol):
    """Writes one format from a :class:`Page`. ``prepare`` (optional) starts what the writer
    needs while the kernel boots (a browser); ``write`` returns the file's bytes, or a future
    of them when the work runs in a thread of its own (a run then builds its other formats
    meanwhile); ``close`` (optional) stops what ``prepare`` started."""

    def write(self, page: Page) -> bytes | Future: ...


#: A writer class (called with no arguments) or ``"module:attribute"`` naming one.
WriterFactory = Callable[[], Writer] | str
#: A read-back check (raises :class:`RenderError` on a file that is not sound), or its name.
Check = Callable[[bytes], None] | str


@dataclass(frozen=True)
class OutputFormat:
    """One output format (see the module docstring).

    Args:
        name: what ``--to`` and a schedule's ``formats:`` call it (lower case).
        label: how the outputs index and messages name it ("PDF", "Word").
        extension: the file's extension, without the dot.
        description: one line for ``--to``'s help.
        writer: the writer class, or ``"module:attribute"``.
        check: the read-back check, or ``"module:attribute"``.
        packages: optional Python packages the writer or check imports.
        available: raises :class:`PerfError` when something else it needs is missing
            (a program), naming what to install; or ``"module:attribute"``.
        aliases: other names accepted for it (``word`` for ``docx``).
        named_for: ``"document"``: ``<Area>_<period>_<document name>.<extension>`` (see
            :data:`perf.render.registry.DOCUMENT_NAMES`); ``"notebook"``:
            ``<notebook>.<extension>``.
        always: written by every run (the HTML page, which the others are made from).
    """

    name: str
    label: str
    extension: str
    description: str
    writer: WriterFactory
    check: Check
    packages: tuple[Package, ...] = ()
    available: Callable[[], None] | str | None = None
    aliases: tuple[str, ...] = ()
    named_for: str = "document"
    always: bool = False

    @property
    def modules(self) -> tuple[str, ...]:
        """The perf modules its writer and check live in (what a batch worker preloads).

        >>> output_format("pdf").modules
        ('perf.render.pdf',)
        """
        named = (ref.partition(":")[0] for ref in (self.writer, self.check) if isinstance(ref, str))
        return tuple(dict.fromkeys(named))


_FORMATS: dict[str, OutputFormat] = {}


def register(fmt: OutputFormat) -> None:
    """Add ``fmt`` to the registry (after those already there; a format of the same name is
    replaced, as papermill's registries do)."""
    if fmt.named_for not in ("document", "notebook"):
        raise ParameterError(
            f"output format {fmt.name!r}: named_for must be 'document' or 'notebook'",
            value=fmt.named_for,
        )
    _FORMATS.pop(fmt.name, None)
    _FORMATS[fmt.name] = fmt


def unregister(name: str) -> None:
    """Remove the format called ``name`` (nothing if there is none)."""
    _FORMATS.pop(name, None)


def output_formats() -> tuple[OutputFormat, ...]:
    """Every registered format, in registration order (the page itself first)."""
    return tuple(_FORMATS.values())


def format_names() -> tuple[str, ...]:
    """The registered formats' names, in order.

    >>> format_names()
    ('html', 'pdf', 'docx')
    """
    return tuple(_FORMATS)


def output_format(name: str) -> OutputFormat:
    """The format called ``name`` (or one of its aliases, any case).

    >>> output_format("Word").name
    'docx'
    >>> output_format("pfd")
    Traceback (most recent call last):
    ...
    perf.errors.ParameterError: unknown output format 'pfd'. Did you mean: pdf? Formats: html, pdf, docx.

    Raises:
        ParameterError: no format of that name.
    """
    key = str(name).strip().lower()
    for fmt in _FORMATS.values():
        if key == fmt.name or key in fmt.aliases:
            return fmt
    import difflib  # lazy: only a misspelt name needs it (the command line imports this module)

    close = difflib.get_close_matches(key, list(_FORMATS), n=1, cutoff=0.5)
    raise ParameterError(
        f"unknown output format {str(name).strip()!r}",
        hint=(f"Did you mean: {close[0]}? " if close else "") + f"Formats: {', '.join(_FORMATS)}.",
    )


def parse_formats(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """The formats asked for (``"html,pdf,docx"`` or a list), in registration order, with
    those written always (HTML) included.

    >>> parse_formats("docx, pdf"), parse_formats(None), parse_formats(["html"])
    (('html', 'pdf', 'docx'), ('html',), ('html',))

    Raises:
        ParameterError: a name that is not a registered format (:func:`output_format`).
    """
    if value is None:
        items: list[str] = []
    elif isinstance(value, str):
        items = value.split(",")
    else:
        items = [str(v) for v in value]
    asked = {fmt.name for fmt in _FORMATS.values() if fmt.always}
    asked |= {output_format(item).name for item in items if item.strip()}
    return tuple(name for name in _FORMATS if name in asked)


def output_path(paths: RunPaths, name: str) -> Path:
    """Where a run's file of format ``name`` goes.

    >>> from perf.render.registry import run_paths
    >>> paths = run_paths("out", "briefing", {"area": "Dudley", "period": "2025-26 Q3"})
    >>> output_path(paths, "html").as_posix(), output_path(paths, "pdf").name
    ('out/2025-26_Q3/Dudley/briefing.html', 'Dudley_2025-26_Q3_childrens_services_performance.pdf')
    """
    fmt = output_format(name)
    stem = paths.document if fmt.named_for == "document" else paths.html.stem
    return paths.directory / f"{stem}.{fmt.extension}"


def _resolve(ref: Any) -> Any:
    """A registered callable, or the attribute a ``"module:attribute"`` string names."""
    if not isinstance(ref, str):
        return ref
    module, _, attribute = ref.partition(":")
    # Lazy by design: a writer's module (pikepdf, Playwright, python-docx) loads only when a
    # run asks for its format, after require() has said what is missing.
    return getattr(importlib.import_module(module), attribute)


def require_package(package: Package, purpose: str) -> None:
    """Check that ``package`` can be imported, without importing it.

    >>> require_package(Package("no_such_module_here", "no-such-dist", "pdf"), "PDF output")
    Traceback (most recent call last):
    ...
    perf.errors.RenderError: PDF output needs the Python package no-such-dist, which is not installed. Install it with pip install "perf[pdf]" (make setup installs every extra).

    Raises:
        RenderError: the package is missing, naming the extra that installs it.
    """
    try:
        found = importlib.util.find_spec(package.module) is not None
    except (ImportError, ValueError):  # a parent package missing, or set to None
        found = False
    if not found:
        raise RenderError(
            f"{purpose} needs the Python package {package.distribution}, which is not installed",
            hint=f'Install it with pip install "perf[{package.extra}]" '
            "(make setup installs every extra).",
        )


def require(names: Sequence[str]) -> None:
    """Check, before anything runs, that every format in ``names`` can be written here: its
    Python packages importable, and anything else it needs (its ``available`` check) there.

    Raises:
        RenderError: what is missing, and how to install it.
    """
    for name in names:
        fmt = output_format(name)
        for package in fmt.packages:
            require_package(package, f"{fmt.label} output (--to {fmt.name})")
        if fmt.available is not None:
            _resolve(fmt.available)()


def new_writer(name: str) -> Writer:
    """A new writer for the format ``name`` (its module imported now)."""
    return _resolve(output_format(name).writer)()


def check_output(name: str, data: bytes) -> None:
    """The read-back check of format ``name`` on a file's bytes.

    Raises:
        RenderError: the file is not a sound file of that format.
    """
    _resolve(output_format(name).check)(data)


# --- the formats perf writes ----------------------------------------------------------------

register(
    OutputFormat(
        name="html",
        label="HTML",
        extension="html",
        description="the page itself, always written: one self-contained file",
        writer="perf.render.html:HtmlWriter",
        check="perf.render.html:check_html",
        named_for="notebook",
        always=True,
    )
)
register(
    OutputFormat(
        name="pdf",
        label="PDF",
        extension="pdf",
        description="a tagged A4 PDF, printed by Debian's Chromium",
        writer="perf.render.pdf:PdfPrinter",
        check="perf.render.pdf:check_pdf",
        packages=(
            Package("playwright", "playwright", "pdf"),
            Package("pikepdf", "pikepdf", "pdf"),
        ),
        available="perf.render.pdf:require_chromium",
    )
)
register(
    OutputFormat(
        name="docx",
        label="Word",
        extension="docx",
        description="an editable Word file with real headings, tables and alt text",
        writer="perf.render.docx:DocxWriter",
        check="perf.render.docx:check_docx",
        packages=(Package("docx", "python-docx", "docx"),),
        aliases=("word", "doc"),
    )
)
