"""``render()``: one notebook, validated, executed in a warm kernel, exported and frozen.

``render("briefing", area="Dudley", period="2024-25")`` validates the parameters, executes the
notebook with papermill in a warm kernel, exports self-contained HTML and writes
``outputs/<period>/<area>/briefing.html`` with the executed notebook, a run log and a status
record beside it, then refreshes ``outputs/index.html``. :func:`perf.render.batch.run_batch`
does the same for a schedule of areas x periods x notebooks in parallel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from perf import config
from perf.errors import RenderError
from perf.fileio import data_folder, output_folder
from perf.render.formats import parse_formats, require
from perf.render.freeze import freeze_after, run_and_freeze, warm_freeze, with_previous
from perf.render.index import write_index
from perf.render.registry import (
    coerce_parameters,
    notebook_parameters,
    notebook_path,
    validate_parameters,
)
from perf.render.runner import Renderer, RunResult
from perf.render.server import render_via_runner, socket_path

__all__ = ["render"]


def render(
    notebook: str | Path = "briefing",
    *,
    area: str | None = None,
    period: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    out: str | Path | None = None,
    update_index: bool = True,
    use_runner: bool = True,
    formats: str | Sequence[str] = ("html",),
):
    """Render one notebook to HTML, and to PDF and Word if asked; returns a
    :class:`perf.render.runner.RunResult`.

    Args:
        notebook: name in :data:`NOTEBOOKS` or a path to an ``.ipynb``.
        area, period: shorthands for the ``area`` and ``period`` parameters.
        parameters: any other parameters (validated against the notebook).
        out: the outputs root (default ``config.OUTPUTS_DIR``).
        update_index: refresh ``<out>/index.html`` afterwards.
        use_runner: hand the job to a running ``perf runner`` if there is one (its kernel
            is already warm); otherwise, or if it is out of date, render in this process.
        formats: ``"html,pdf,docx"`` or a list (:func:`perf.render.formats.parse_formats`:
            any registered format; HTML is always written). Every format comes from the
            same run as the HTML.

    Raises:
        FileAccessError: before anything runs, if ``out`` cannot be written to, or there
            is no data folder (:func:`perf.fileio.data_folder`: it names PERF_DATA_DIR).
        ParameterError: before anything runs, if a parameter or format is wrong.
        RenderError: before anything runs, if a format asked for needs a package or a
            program that is missing (a PDF needs Chromium and the ``pdf`` extra).
        RenderError: the notebook failed (its executed copy is kept, the old HTML is not
            replaced).
    """
    overrides = dict(parameters or {})
    if area is not None:
        overrides["area"] = area
    if period is not None:
        overrides["period"] = period
    coerce_parameters(notebook, overrides)  # names and types: no data needed
    data_folder()  # an installed perf names PERF_DATA_DIR before it writes anything
    out = output_folder(out or config.OUTPUTS_DIR)  # writable, before anything runs
    formats = parse_formats(formats)
    require(formats)  # say what to install before any kernel starts
    if use_runner:  # a long-lived runner (`perf runner start`) validates, then renders
        specs = {spec.name for spec in notebook_parameters(notebook)}
        # Only when a runner's socket is there: finding the previous record imports pandas
        # (~0.4 s), which without a runner would delay the kernel below for nothing.
        if (
            "previous" in specs
            and not str(overrides.get("previous") or "").strip()
            and socket_path().exists()
        ):
            overrides = with_previous(notebook, validate_parameters(notebook, overrides), out)
        got = render_via_runner(notebook_path(notebook), overrides, out, formats)
        if got is not None:
            fields = RunResult.__dataclass_fields__
            result = RunResult(**{k: v for k, v in got.items() if k in fields})
            freeze_after(result)
            return _raise_for_failure(result)
    params = validate_parameters(notebook, overrides)  # before any kernel starts
    with Renderer() as renderer:
        # papermill, the HTML exporter (and Chromium, for a PDF) load while the kernel boots
        renderer.prepare(formats)
        warm_freeze()
        result = run_and_freeze(renderer, notebook, params, out=out, formats=formats)
    if update_index:
        write_index(out or config.OUTPUTS_DIR)
    return _raise_for_failure(result)


def _raise_for_failure(result):
    if result.status != "ok":
        raise RenderError(
            f"{result.notebook} failed for {result.area}, {result.period}: {result.error}",
            hint=f"The executed notebook with the failing cell marked is "
            f"{result.executed_notebook}; the log is {result.log}.",
        )
    return result
