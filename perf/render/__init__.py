"""Rendering: parameterised notebooks -> executed notebooks -> committee HTML (and PDF and
Word from the same run), one or many.

The modules, each importing only those listed before it (``make lint`` checks this):

``kernel``      what runs inside a render's kernel: its warm-up and the reset between runs
``registry``    the notebooks perf knows, their ``parameters`` cells, validation, output paths
``provenance``  the time of the run and the code version (the page footer)
``formats``     the output formats as a registry: name, label, extension, what each needs
                (the extra that installs it), its writer and its read-back check
``html``        an executed notebook -> one self-contained, accessible page (and its print CSS)
``pdf``         that page -> a tagged A4 PDF, printed by Chromium and finished by pikepdf
``docx``        that page -> a Word file with real headings, tables, alt text and captions
``index``       ``outputs/index.html``: every published run by period and area (and
                ``outputs/internal/index.html``, apart, for the internal editions)
``freeze``      the last briefing's frozen record in; this briefing's figures frozen out
``runner``      :class:`~perf.render.runner.Renderer`: one warm kernel, run after run
``server``      ``perf runner``: a long-lived warm kernel that ``perf render`` hands jobs to
``batch``       a schedule of areas x periods x notebooks in parallel workers, with a manifest
``api``         :func:`render`: one notebook, validated, run, exported, frozen

This package is light to import (no pandas, nbformat or papermill until a run needs them),
so a wrong parameter is reported before anything heavy loads (``pdf`` and ``docx`` load
pikepdf, Playwright and python-docx, the ``pdf`` and ``docx`` extras, only when a run asks
for their format: :mod:`perf.render.formats` names them as ``"module:attribute"``).

Examples:
    >>> from perf.render import render, NOTEBOOKS
    >>> NOTEBOOKS
    ('briefing', 'trends', 'quarter_comparison')
"""

from __future__ import annotations

import importlib as _importlib

__all__ = ["NOTEBOOKS", "render"]

# Each name loads on first use: a kernel importing perf.render.kernel, or the command line
# importing one module, does not pay for the whole package (api imports every other module).
_EXPORTS = {"render": "perf.render.api", "NOTEBOOKS": "perf.render.registry"}


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'perf.render' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
