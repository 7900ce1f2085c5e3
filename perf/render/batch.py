"""Render a schedule (areas x periods x notebooks) in parallel warm-kernel workers.

A schedule is a small YAML file::

    notebooks: [briefing]          # names under notebooks/
    periods: ["2024-25"]
    areas: all                     # every current local authority, or a list of names/codes
    parameters: {public: true}     # optional, passed to every run
    formats: [html, pdf, docx]     # optional (default html): any of perf.render.formats

Every run is validated before any worker starts, so a typo in the schedule fails at once.
Each worker is a long-lived process with one warm kernel (:class:`perf.render.runner.Renderer`) that
renders run after run; a failing run is recorded and the worker moves on; a worker that dies
(killed, out of memory) is replaced and its run recorded as failed. At the end the manifest
(``<out>/manifest.csv`` and ``.json``; an internal edition's runs in ``<out>/internal/``'s)
and the outputs indexes are written.

Examples:
    >>> s = parse_schedule({"notebooks": ["briefing"], "periods": ["2024-25"], "areas": ["Dudley"]})
    >>> [(j.notebook, j.parameters["area"], j.parameters["period"]) for j in s]
    [('briefing', 'Dudley', '2024-25')]
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing as mp
import os
import queue
import signal
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import yaml
from tqdm import tqdm

from perf import config
from perf.cache import steady_inputs
from perf.errors import ParameterError, PerfError
from perf.fileio import atomic_write, csv_cell, output_folder
from perf.render.formats import format_names, output_format, parse_formats, require
from perf.render.freeze import run_and_freeze
from perf.render.index import write_index
from perf.render.registry import (
    INTERNAL_DIR,
    coerce_parameters,
    current_councils,
    run_paths,
    validate_parameters,
)
from perf.render.runner import Renderer, kept_outputs

if TYPE_CHECKING:  # ForkServerContext is POSIX-only: named for the type checker alone
    from multiprocessing.context import ForkServerContext, SpawnContext
    from multiprocessing.process import BaseProcess

__all__ = [
    "Job",
    "all_local_authorities",
    "load_schedule",
    "parse_schedule",
    "run_batch",
    "failed_result",
    "finish_batch",
    "manifest_fields",
    "require_formats",
    "schedule_cluster",
    "write_manifest",
]

log = config.get_logger()


def manifest_fields() -> list[str]:
    """The manifest's columns: the run, then one per output format (in the registry's
    order), then its notebook, log and error.

    >>> manifest_fields()[4:8]
    ['duration_s', 'html', 'pdf', 'docx']
    """
    return [
        "notebook",
        "area",
        "period",
        "status",
        "duration_s",
        *format_names(),
        "executed_notebook",
        "log",
        "error",
        "parameters",
        "attempts",
        "worker",
    ]


@dataclass(frozen=True)
class Job:
    """One run: a notebook, its (validated) parameters and the formats to write."""

    notebook: str
    parameters: Mapping[str, Any]
    formats: tuple[str, ...] = ("html",)


def all_local_authorities() -> list[str]:
    """Names of every current local authority (abolished councils left out), by name: read
    from a small cached list (:func:`perf.render.registry.current_councils`), so the parent
    of a batch never imports pandas or the area lookup (about 90 MB it would hold while the
    workers render)."""
    return [name for _, name in current_councils()]


def _as_list(value: Any, what: str) -> list:
    if value is None:
        raise ParameterError(
            f"the schedule has no {what!r}", hint=f"Add `{what}: [...]` to the schedule."
        )
    return list(value) if isinstance(value, (list, tuple)) else [value]


def parse_schedule(schedule: Mapping[str, Any], *, validate: bool = True) -> list[Job]:
    """The runs a schedule describes, validated (unknown parameter, area or period raises).

    Raises:
        ParameterError: a bad key, notebook, area, period or parameter.
    """
    known = {"notebooks", "periods", "areas", "parameters", "description", "formats", "cluster"}
    unknown = set(schedule) - known
    if unknown:
        raise ParameterError(
            f"unknown schedule key(s): {', '.join(sorted(unknown))}",
            hint=f"Known keys: {', '.join(sorted(known))}.",
        )
    with steady_inputs():  # one look at data/ and perf/ for every run's cached checks
        return _parse_schedule(schedule, validate)


def _parse_schedule(schedule: Mapping[str, Any], validate: bool) -> list[Job]:
    notebooks = _as_list(schedule.get("notebooks", ["briefing"]), "notebooks")
    periods = _as_list(schedule.get("periods"), "periods")
    areas = schedule.get("areas")
    if areas in ("all", "all local authorities"):
        areas = all_local_authorities()
    areas = _as_list(areas, "areas")
    extra = dict(schedule.get("parameters") or {})
    formats = parse_formats(schedule.get("formats"))
    jobs = []
    for notebook in notebooks:
        coerce_parameters(notebook, extra)
        for period in periods:
            for area in areas:
                overrides = {**extra, "area": str(area), "period": str(period)}
                params = (
                    validate_parameters(notebook, overrides)
                    if validate
                    else coerce_parameters(notebook, overrides)
                )
                jobs.append(Job(str(notebook), params, formats))
    return jobs


def _read_schedule(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"cannot read the schedule: {exc.strerror}", file=path) from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"the schedule is not valid YAML: {exc}", file=path) from exc
    if not isinstance(data, dict):
        raise ParameterError("the schedule must be a mapping of keys", file=path)
    return data


def schedule_cluster(path: str | Path) -> str | None:
    """The schedule's ``cluster:`` (a Dask scheduler address, or ``local``), if it has one."""
    value = _read_schedule(Path(path)).get("cluster")
    return str(value) if value else None


def load_schedule(path: str | Path, *, validate: bool = True) -> list[Job]:
    """Read and validate a schedule YAML file."""
    path = Path(path)
    data = _read_schedule(path)
    try:
        return parse_schedule(data, validate=validate)
    except PerfError as exc:
        raise ParameterError(exc.message, file=path, value=exc.value, hint=exc.hint) from exc


# --- workers -------------------------------------------------------------------------------


def _worker(
    worker_id: int, jobs, results: mp.Queue, out: str, formats: tuple[str, ...] = ("html",)
) -> None:
    """A worker process: one warm kernel (and one Chromium, if any job asks for a PDF), runs
    until it reads ``None``."""

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop

    renderer = Renderer()
    renderer.prepare(formats)  # the HTML exporter's templates compile while the kernel boots
    try:
        while True:
            item = jobs.get()
            if item is None:
                break
            index, job = item
            results.put(("start", worker_id, index, None))
            result = run_and_freeze(
                renderer, job.notebook, job.parameters, out=out, formats=job.formats
            )
            results.put(("done", worker_id, index, result.to_dict()))
    finally:
        renderer.shutdown()


def failed_result(job: Job, out: Path, error: str, duration: float) -> dict[str, Any]:
    """The record of a run that never reported back (its worker died): the last good run's
    files, where they are still there, as a failed run's."""
    paths = run_paths(out, job.notebook, job.parameters)
    kept = kept_outputs(paths)
    return {
        "notebook": job.notebook,
        "parameters": dict(job.parameters),
        "status": "failed",
        "duration_s": round(duration, 3),
        "html": str(paths.html) if paths.html.exists() else None,
        **{name: kept.get(name) for name in format_names() if name != "html"},
        "outputs": kept,
        "executed_notebook": None,
        "log": str(paths.log),
        "error": error,
        "formats": list(job.formats),
        "area": job.parameters.get("area"),
        "period": job.parameters.get("period"),
    }


def require_formats(jobs: Sequence[Job]) -> tuple[str, ...]:
    """The formats any job asks for, each checked first for what it needs (its Python
    packages; Chromium for a PDF: :func:`perf.render.formats.require`)."""
    wanted = tuple(f for f in format_names() if any(f in j.formats for j in jobs))
    require(wanted)
    return wanted


def progress_bar(total: int, desc: str, show: bool = True, file: IO[str] | None = None) -> tqdm:
    """A batch's progress bar on stderr (or ``file``), drawn only on a terminal: under cron
    (README's ``make batch >> outputs/cron.log``) or in CI it would fill the log with
    carriage-return redraws. ``show=False`` draws none anywhere.

    >>> import io
    >>> progress_bar(3, "rendering", file=io.StringIO()).disable  # not a terminal
    True
    """
    tqdm.monitor_interval = 0  # no monitor thread in the parent
    return tqdm(
        total=total,
        unit="run",
        desc=desc,
        dynamic_ncols=True,
        file=file,
        disable=None if show else True,  # None: tqdm draws only on a terminal (a TTY)
    )


def run_batch(
    jobs: Sequence[Job],
    out: str | Path | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """Render every job; returns one result dict per job, in job order.

    Workers are processes (default: one per core, never more than there are jobs), each with
    its own warm kernel, and its own Chromium when a job asks for a PDF (checked before any
    worker starts). Nothing a run does can stop the others.

    Raises:
        RenderError: a job asks for a format whose packages or programs are missing (a PDF
            without Chromium), before anything runs.
    """
    wanted = require_formats(jobs)
    out = output_folder(out or config.OUTPUTS_DIR)  # writable, before any worker starts
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    started_at = time.perf_counter()
    # Workers fork from a lean server process that has imported only the render path
    # (papermill, nbconvert), not this process's pandas and area lookup: less memory each.
    ctx: ForkServerContext | SpawnContext
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(
            ["perf.render.runner", "perf.render.html", "papermill", "nbconvert", "jupyter_client"]
            + [module for f in wanted for module in output_format(f).modules]
        )
    else:
        ctx = mp.get_context("spawn")
    job_queue = ctx.SimpleQueue()
    result_queue: mp.Queue = ctx.Queue()
    procs: dict[int, BaseProcess] = {}

    def spawn(worker_id: int) -> None:
        proc = ctx.Process(
            target=_worker,
            args=(worker_id, job_queue, result_queue, str(out), wanted),
            name=f"perf-render-{worker_id}",
            daemon=True,
        )
        proc.start()
        procs[worker_id] = proc

    for worker_id in range(workers):
        spawn(worker_id)
    for index, job in enumerate(jobs):
        job_queue.put((index, job))
    bar = progress_bar(len(jobs), "rendering", progress)
    results: dict[int, dict[str, Any]] = {}
    running: dict[int, tuple[int, float]] = {}  # worker -> (job index, start time)
    next_id = workers
    try:
        while len(results) < len(jobs):
            try:
                kind, worker_id, index, payload = result_queue.get(timeout=0.5)
            except queue.Empty:
                for worker_id, proc in list(procs.items()):
                    if proc.is_alive():
                        continue
                    del procs[worker_id]
                    held = running.pop(worker_id, None)
                    if held is not None and held[0] not in results:
                        idx, t0 = held
                        results[idx] = failed_result(
                            jobs[idx],
                            out,
                            f"the worker process died (exit code {proc.exitcode})",
                            time.perf_counter() - t0,
                        )
                        log.error("worker %s died during %s", worker_id, jobs[idx])
                        bar.update(1)
                    if len(results) + len(running) < len(jobs):
                        spawn(next_id)
                        next_id += 1
                continue
            if kind == "start":
                running[worker_id] = (index, time.perf_counter())
            else:
                running.pop(worker_id, None)
                results[index] = {**payload, "attempts": 1, "worker": f"local-{worker_id}"}
                bar.update(1)
                if progress and payload["status"] != "ok":
                    bar.write(
                        f"failed: {payload['notebook']} {payload['area']} "
                        f"{payload['period']}: {payload['error']}"
                    )
    finally:
        for _ in procs:
            job_queue.put(None)
        for proc in procs.values():
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
        bar.close()
    return finish_batch(results, len(jobs), out, started_at, "batch")


def finish_batch(
    results: Mapping[int, dict[str, Any]], count: int, out: Path, started_at: float, what: str
) -> list[dict[str, Any]]:
    """The results in job order, written once: the manifest and the index."""
    ordered = [results[i] for i in range(count)]
    write_manifest(ordered, out)
    write_index(out)
    log.info("%s of %d runs in %.1f s", what, count, time.perf_counter() - started_at)
    return ordered


def write_manifest(results: Iterable[Mapping[str, Any]], out: str | Path) -> Path:
    """``<out>/manifest.csv`` and ``manifest.json``: one row per run (parameters, status,
    duration, outputs, error). The runs of internal editions (``public: false``) go to
    ``<out>/internal/manifest.*`` instead, beside their files, so the shareable folder
    names none of them. Returns the first manifest written (the published editions')."""
    out = Path(out)
    fields = manifest_fields()
    tables: dict[Path, list[dict[str, Any]]] = {}
    results = list(results)
    if not results:
        tables[out] = []  # an empty batch: a manifest with its header only
    for r in results:
        internal = (r.get("parameters") or {}).get("public", True) is False
        folder = out / INTERNAL_DIR if internal else out
        row = {key: r.get(key) for key in fields}
        row["parameters"] = json.dumps(r.get("parameters", {}), sort_keys=True, default=str)
        for key in (*format_names(), "executed_notebook", "log"):
            if value := row[key]:
                try:
                    row[key] = Path(value).resolve().relative_to(folder.resolve()).as_posix()
                except ValueError:
                    pass
        tables.setdefault(folder, []).append(row)
    for folder, rows in tables.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        # an error message quotes what a file held: text, never a formula (perf.fileio.csv_cell)
        writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
        atomic_write(folder / "manifest.csv", buffer.getvalue())
        atomic_write(folder / "manifest.json", json.dumps(rows, indent=1, default=str) + "\n")
    return (out if out in tables else out / INTERNAL_DIR) / "manifest.csv"
