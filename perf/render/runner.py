"""Execute notebooks with papermill in one warm, reused kernel and write their outputs atomically.

A :class:`Renderer` owns one Jupyter kernel for its whole life. Starting a kernel and
importing pandas, matplotlib and perf costs seconds; running a briefing once they are loaded
costs a fraction of that, so a batch worker renders notebook after notebook in the same
kernel. Between runs the kernel's user namespace is wiped (``%reset -f``, figures closed,
random seeds and working directory restored), so no run sees another's variables, while
imported modules and perf's cached data stay in ``sys.modules``.

Outputs are written to a temporary file in the destination directory and moved into place
with :func:`os.replace`, so a failed or killed run never leaves a partial file where a good
one was: the previous HTML stays until a complete new one replaces it.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyter_core.utils import run_sync

from perf import config
from perf.errors import RenderError
from perf.fileio import atomic_write
from perf.render.formats import (
    OutputFormat,
    Page,
    check_output,
    new_writer,
    output_format,
    output_formats,
    output_path,
    parse_formats,
)
from perf.render.html import export_html, warm_exporter
from perf.render.kernel import KERNEL_WARMUP, reset_kernel_state, warm_kernel
from perf.render.provenance import code_version, run_time
from perf.render.registry import (
    RunPaths,
    document_info,
    notebook_name,
    notebook_path,
    run_paths,
)

if TYPE_CHECKING:  # both are imported lazily (see _warm_engine_class)
    from jupyter_client import AsyncKernelClient, AsyncKernelManager

# jsonschema builds a Lark grammar for RFC 3987 IRIs when rfc3987-syntax is installed
# (jupyterlab pulls it in): 1.3-2.6 s on every nbformat import, for a format nbformat's
# schema never uses. Declaring the module absent makes jsonschema skip that one checker.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]

log = config.get_logger()

__all__ = [
    "KERNEL_WARMUP",
    "Renderer",
    "RunResult",
    "kept_outputs",
    "kernel_argv",
    "reset_kernel_state",
    "warm_kernel",
]

#: Sent before every run: wipe the user namespace, keep imported modules and cached data.
_RESET_CODE = (
    "get_ipython().run_line_magic('reset', '-f')\n"
    "__import__('perf.render.kernel', fromlist=['reset_kernel_state']).reset_kernel_state()\n"
)
#: A kernel that has run nothing since it started has nothing to wipe: ``%reset -f`` (a full
#: garbage collection over everything loaded, ~0.3 s) is skipped; the rest is the same.
_FIRST_RESET_CODE = (
    "__import__('perf.render.kernel', fromlist=['reset_kernel_state']).reset_kernel_state()\n"
)

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]{6,16}")


def kernel_argv(argv: list[str]) -> list[str]:
    """A kernel spec's command with ``perf.render.kernel`` (ipykernel without debugpy) in
    place of ``ipykernel_launcher``; any other kernel's command is left as it is.

    >>> kernel_argv(["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    ['python', '-m', 'perf.render.kernel', '-f', '{connection_file}']
    >>> kernel_argv(["R", "--slave", "-e", "IRkernel::main()", "--args", "{connection_file}"])[0]
    'R'
    """
    return ["perf.render.kernel" if arg == "ipykernel_launcher" else arg for arg in argv]


def _kernel_specs():
    """Jupyter's kernel specs, and perf's own kernel (:data:`perf.config.KERNEL_NAME`) where
    nothing registered it: `make setup` does, a ``pip install`` cannot. That kernel is this
    interpreter with ipykernel, the spec `ipykernel install` would have written."""
    # lazy: only a Renderer that starts a kernel needs jupyter_client's kernel specs
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel

    class PerfKernelSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            try:
                return super().get_kernel_spec(kernel_name)
            except NoSuchKernel:
                if kernel_name != config.KERNEL_NAME:
                    raise
            # lazy: ipykernel is read only where nothing registered perf's kernel
            from ipykernel.kernelspec import get_kernel_dict

            spec = get_kernel_dict() | {"display_name": config.KERNEL_DISPLAY_NAME}
            return KernelSpec(resource_dir="", **spec)

    return PerfKernelSpecs()


# --- results --------------------------------------------------------------------------


@dataclass
class RunResult:
    """What happened in one run (one row of a batch manifest)."""

    notebook: str
    parameters: dict[str, Any]
    status: str  # "ok" or "failed"
    duration_s: float
    html: str | None
    executed_notebook: str | None
    log: str
    error: str | None = None
    finished: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    #: The files of the formats beyond the page (:mod:`perf.render.formats`), by format name:
    #: those this run wrote; for a failed run, the last good run's that are still there.
    outputs: dict[str, str] = field(default_factory=dict)
    formats: list[str] = field(default_factory=lambda: ["html"])
    #: Files an earlier run wrote in a format this run was not asked for, left in place:
    #: they may not match this run's HTML, so the outputs index does not list them.
    earlier: dict[str, str] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return str(self.parameters.get("area", ""))

    @property
    def period(self) -> str:
        return str(self.parameters.get("period", ""))

    def to_dict(self) -> dict[str, Any]:
        """The run as a record: the fields, with ``area``, ``period`` and one key per
        registered format naming its file or None (the manifest's columns)."""
        out = asdict(self)
        out["area"], out["period"] = self.area, self.period
        for fmt in output_formats():
            if not fmt.always:
                out[fmt.name] = self.outputs.get(fmt.name)
        return out


# --- the papermill engine that reuses a warm kernel -------------------------------------


def _warm_engine_class():
    # papermill, jupyter_client and nbformat are lazy imports throughout this module: ~1 s
    # that Renderer.prepare spends while the kernel boots, and that `perf --help` never pays.
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, executing in the :class:`Renderer`'s running kernel."""

        renderer: Renderer | None = None
        last_nb = None

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            renderer = cls.renderer
            assert renderer is not None, "WarmKernelEngine used outside a Renderer"
            cls.last_nb = nb_man.nb
            client = PapermillNotebookClient(
                nb_man,
                km=renderer._km,
                kernel_name=kernel_name,
                log=log,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                record_timing=False,
            )
            client.kc = renderer._kc
            return client.execute(cleanup_kc=False)

    return WarmKernelEngine


_ENGINE = None


def _engine():
    global _ENGINE
    if _ENGINE is None:
        from papermill.engines import papermill_engines  # lazy (see _warm_engine_class)

        _ENGINE = _warm_engine_class()
        papermill_engines.register("perf-warm-kernel", _ENGINE)
    return _ENGINE


# --- the renderer -----------------------------------------------------------------------


class Renderer:
    """One warm kernel plus one HTML exporter, reused for every run (not thread-safe).

    Use as a context manager so the kernel is shut down at the end::

        with Renderer() as r:
            r.run("briefing", {"area": "Dudley", "period": "2024-25"}, out="outputs")

    Args:
        kernel_name: the Jupyter kernel to run notebooks in.
        cell_timeout: seconds one cell may run before the run fails.
        start_kernel: start the kernel now (default), so it boots while the caller works.
        unset_env: environment variables the kernel does not inherit from this process.
    """

    def __init__(
        self,
        kernel_name: str = config.KERNEL_NAME,
        cell_timeout: int = 600,
        start_kernel: bool = True,
        unset_env: Sequence[str] = (),
    ) -> None:
        self.kernel_name = kernel_name
        self.cell_timeout = cell_timeout
        self.unset_env = tuple(unset_env)
        self._km: AsyncKernelManager | None = None
        self._kc: AsyncKernelClient | None = None
        self._fresh = False  # the kernel has run no notebook since it started
        #: One writer per output format, made on first use (a PDF's holds one Chromium).
        self._writers: dict[OutputFormat, Any] = {}
        self.runs = 0
        if start_kernel:
            self._start_kernel()

    def prepare(self, formats=("html",)) -> None:
        """Load papermill and build the HTML exporter (call while the kernel boots), and
        prepare the writer of each format asked for (a PDF's launches Chromium in the
        background)."""
        import papermill  # noqa: F401  - lazy: loaded here, while the kernel boots

        for name in parse_formats(formats):
            prepare = getattr(self.writer(name), "prepare", None)
            if prepare is not None:
                prepare()
        _engine()
        warm_exporter()
        code_version()  # `git describe` runs now, not after the kernel is ready

    def writer(self, name: str):
        """This renderer's writer of the format ``name``, made on first use (its module,
        and what it imports, load only then)."""
        fmt = output_format(name)
        if fmt not in self._writers:
            self._writers[fmt] = new_writer(fmt.name)
        return self._writers[fmt]

    # kernel lifecycle

    def _start_kernel(self) -> AsyncKernelManager:
        from jupyter_client import AsyncKernelManager  # lazy (see _warm_engine_class)

        env = {k: v for k, v in os.environ.items() if k not in self.unset_env}
        env.setdefault("PYTHONHASHSEED", "0")  # stable set/dict-of-str ordering in output
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(config.PROJ_ROOT), env.get("PYTHONPATH", "")) if p
        )
        warmup = "__import__('perf.render.kernel', fromlist=['warm_kernel']).warm_kernel()"
        self._km = km = AsyncKernelManager(
            kernel_name=self.kernel_name, kernel_spec_manager=_kernel_specs()
        )
        spec = km.kernel_spec
        if spec is not None:
            spec.argv = kernel_argv(spec.argv)
        run_sync(km.start_kernel)(
            cwd=str(config.NOTEBOOKS_DIR),
            env=env,
            extra_arguments=[
                f"--IPKernelApp.exec_lines={warmup}",
                "--IPKernelApp.log_level=ERROR",
                # no history database: execution counts restart for every run
                "--HistoryManager.enabled=False",
            ],
        )
        self._kc = None
        self._fresh = True
        return km

    def _ensure_client(self) -> AsyncKernelClient:
        km = self._km
        if km is None or not run_sync(km.is_alive)():
            self.shutdown()
            km = self._start_kernel()
        if self._kc is None:
            self._kc = kc = km.client()
            kc.start_channels()
            try:
                run_sync(kc.wait_for_ready)(timeout=120)
            except RuntimeError as exc:
                raise RenderError(f"the kernel did not start: {exc}") from exc
            kc.allow_stdin = False
        return self._kc

    def _reset(self, kc: AsyncKernelClient) -> None:
        """Wipe the kernel's user namespace (run before every notebook)."""

        async def _run() -> dict:
            code = _FIRST_RESET_CODE if self._fresh else _RESET_CODE
            msg_id = kc.execute(code, silent=True, store_history=False)
            while True:
                reply = await kc.get_shell_msg(timeout=60)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply

        reply = run_sync(_run)()
        self._fresh = False
        if reply["content"].get("status") != "ok":
            raise RenderError(f"could not reset the kernel: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        """Stop the kernel and the format writers (a PDF's browser) (idempotent)."""
        writers, self._writers = list(self._writers.values()), {}
        for writer in writers:
            close = getattr(writer, "close", None)
            if close is not None:
                close()

        if self._kc is not None:
            try:
                self._kc.stop_channels()
            except Exception:  # noqa: BLE001 - the channels may already be gone with a dead kernel
                pass
            self._kc = None
        if self._km is not None:
            try:
                run_sync(self._km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - a kernel that died first cannot be shut down
                pass
            self._km = None

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    # one run

    def execute(self, notebook: str | Path, params: Mapping[str, Any]):
        """Run the notebook with ``params`` in the warm kernel; returns the executed notebook.

        Raises ``papermill.PapermillExecutionError`` for a failing cell; the executed notebook
        with papermill's error banner is then in ``self.last_notebook``.
        """
        import papermill  # lazy (see _warm_engine_class)

        engine = _engine()
        engine.renderer, engine.last_nb = self, None
        self.last_notebook = None
        self._reset(self._ensure_client())
        try:
            return papermill.execute_notebook(
                str(notebook_path(notebook)),
                None,
                parameters=dict(params),
                engine_name="perf-warm-kernel",
                kernel_name=self.kernel_name,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=self.cell_timeout,
                cwd=str(config.NOTEBOOKS_DIR),
            )
        finally:
            self.last_notebook = engine.last_nb
            engine.renderer = None

    def run(
        self,
        notebook: str | Path,
        params: Mapping[str, Any],
        out: str | Path | None = None,
        formats=("html",),
    ) -> RunResult:
        """Execute, export and write one run; never raises for a failing notebook.

        ``params`` must already be validated (:func:`perf.render.registry.validate_parameters`).
        ``formats`` (see :func:`perf.render.formats.parse_formats`): every one is made from
        the same executed notebook and exported page, and passes its read-back check, before
        any file is replaced; a format whose writer works in a thread of its own (the PDF,
        printed by Chromium) is made while the others are built. A file an earlier run wrote
        in a format this run was not asked for is kept, and the log says so; it may not
        match the new HTML, so the run's record does not name it and the index does not
        list it (:attr:`RunResult.earlier`).
        A failure keeps the executed notebook as ``<name>.failed.ipynb`` with the failing
        cell marked, and leaves any earlier HTML, PDF, Word file and executed notebook
        untouched. The error of a public run is written (to the log, the record and the
        failed notebook) with any count of 1 to 5 people in it shown as [c].
        """
        name = notebook_name(notebook)
        params = dict(params)
        formats = parse_formats(formats)
        paths = run_paths(out or config.OUTPUTS_DIR, notebook, params)
        started = time.perf_counter()
        when = run_time()
        lines = [
            f"parameters: {json.dumps(params, sort_keys=True, default=str)}",
            f"formats: {', '.join(formats)}",
            f"notebook: {name} ({notebook_path(notebook).relative_to(config.PROJ_ROOT) if notebook_path(notebook).is_relative_to(config.PROJ_ROOT) else notebook_path(notebook)})",
            f"code version: {code_version()}",
            f"run time: {when.isoformat()}",
            f"started: {datetime.now(tz=timezone.utc).isoformat(timespec='seconds')}",
        ]
        log.info("render %s %s", name, json.dumps(params, sort_keys=True, default=str))
        timings: dict[str, float] = {}
        error = None
        executed = None
        outputs: dict[str, str] = {}
        earlier: dict[str, str] = {}
        try:
            t0 = time.perf_counter()
            try:
                executed = self.execute(notebook, params)
            finally:
                timings["execute_s"] = round(time.perf_counter() - t0, 3)
            _normalise(executed, notebook)
            t0 = time.perf_counter()
            html = export_html(executed, name, params, when=when)
            timings["export_s"] = round(time.perf_counter() - t0, 3)
            page = Page(html, executed, document_info(name, params, when), params)
            files = self._write_formats(page, formats, timings)
            t0 = time.perf_counter()
            atomic_write(paths.notebook, _notebook_json(executed))
            for fmt_name, data in files.items():
                target = output_path(paths, fmt_name)
                atomic_write(target, data)
                if not output_format(fmt_name).always:
                    outputs[fmt_name] = str(target)
            for fmt in output_formats():
                target = output_path(paths, fmt.name)
                if fmt.name not in files and target.exists():
                    earlier[fmt.name] = str(target)
                    lines.append(
                        f"kept {target.name} from an earlier run: this run wrote no "
                        f"{fmt.label}, so it may not match this HTML; the outputs index does "
                        "not list it"
                    )
            paths.failed_notebook.unlink(missing_ok=True)  # another render may race us
            timings["write_s"] = round(time.perf_counter() - t0, 3)
            status = "ok"
        except Exception as exc:  # noqa: BLE001 - any failure becomes a failed run, never a crashed batch
            status = "failed"
            public = params.get("public", True) is not False
            error = _publishable(_describe(exc), public)
            lines.append("error: " + error)
            lines.append(_publishable("".join(traceback.format_exception(exc)).rstrip(), public))
            failed_nb = executed if executed is not None else self.last_notebook
            if failed_nb is not None:
                try:
                    _normalise(failed_nb, notebook)
                    if public:
                        _protect_errors(failed_nb)
                    atomic_write(paths.failed_notebook, _notebook_json(failed_nb))
                except Exception as write_exc:  # noqa: BLE001 - reported in the run log
                    lines.append(f"could not write the failed notebook: {write_exc!r}")
                    failed_nb = None
            outputs = kept_outputs(paths)
        duration = round(time.perf_counter() - started, 3)
        self.runs += 1
        result = RunResult(
            notebook=name,
            parameters=params,
            status=status,
            duration_s=duration,
            html=str(paths.html) if paths.html.exists() else None,
            executed_notebook=str(paths.notebook if status == "ok" else paths.failed_notebook)
            if (status == "ok" or paths.failed_notebook.exists())
            else None,
            log=str(paths.log),
            error=error,
            finished=when.isoformat(),
            timings=timings,
            outputs=outputs,
            formats=list(formats),
            earlier=earlier,
        )
        lines += [f"timings: {json.dumps(timings)}", f"status: {status}", f"duration: {duration} s"]
        atomic_write(paths.log, "\n".join(lines) + "\n")
        _write_status(paths.status, result)
        return result

    def _write_formats(
        self, page: Page, formats: tuple[str, ...], timings: dict[str, float]
    ) -> dict[str, bytes]:
        """Each asked format's bytes, made from ``page`` by its writer and read back by its
        check (nothing is written here). A writer that returns a future works meanwhile (the
        PDF prints in Chromium while the Word file is built); each format's time goes into
        ``timings`` as ``<format>_s`` (not the page's own, written always)."""
        t0 = time.perf_counter()
        pending: dict[str, Any] = {}
        for name in formats:
            t1 = time.perf_counter()
            pending[name] = self.writer(name).write(page)  # a failure lets the others finish
            if not isinstance(pending[name], Future) and not output_format(name).always:
                timings[f"{name}_s"] = round(time.perf_counter() - t1, 3)
        files: dict[str, bytes] = {}
        for name, made in pending.items():
            if isinstance(made, Future):
                made = made.result()
                timings[f"{name}_s"] = round(time.perf_counter() - t0, 3)
            check_output(name, made)
            files[name] = made
        return files


def kept_outputs(paths: RunPaths) -> dict[str, str]:
    """The files of a failed run's formats beyond the page: those the last good run's record
    names (its HTML is the one still shown), where they are still there."""
    try:
        record = json.loads(paths.status.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    good = record if record.get("status") == "ok" else record.get("last_ok") or {}
    kept = {}
    for fmt in output_formats():
        file = good.get(fmt.name)  # a record names each format's file (RunResult.to_dict)
        if fmt.always or not file:
            continue
        path = paths.directory / Path(str(file)).name
        if path.is_file():
            kept[fmt.name] = str(path)
    return kept


def _publishable(text: str, public: bool) -> str:
    """``text`` (an error, a traceback) as a public run may keep it beside its outputs: any
    count of 1 to 5 people shown as [c]. An internal run's is kept as it is."""
    if not public:
        return text
    # Lazy: perf.disclosure needs pandas, which only a failed public run's error pays for.
    from perf.disclosure import redact_text

    return redact_text(text)


def _protect_errors(nb) -> None:
    """The error outputs of a failed public run's notebook with any count of 1 to 5 people
    shown as [c] (the other outputs come from the public, protected, pipeline)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") != "error":
                continue
            output["evalue"] = _publishable(str(output.get("evalue", "")), True)
            output["traceback"] = [_publishable(str(t), True) for t in output.get("traceback", [])]


def _describe(exc: BaseException) -> str:
    ename = getattr(exc, "ename", None)
    if ename:  # papermill.PapermillExecutionError
        cell = getattr(exc, "exec_count", None)
        return f"{ename}: {getattr(exc, 'evalue', '')} (in cell {cell})".strip()
    return f"{type(exc).__name__}: {exc}"


def _write_status(path: Path, result: RunResult) -> None:
    """The run's status record, kept beside its outputs (the outputs index reads these).

    A failed run keeps the last good run's details so the index can still offer its HTML.
    """
    record = result.to_dict()
    if result.status != "ok" and path.exists():
        try:
            previous = json.loads(path.read_text(encoding="utf-8"))
            record["last_ok"] = (
                previous if previous.get("status") == "ok" else previous.get("last_ok")
            )
        except (OSError, ValueError):
            pass
    atomic_write(path, json.dumps(record, indent=1, sort_keys=True, default=str) + "\n")


def _notebook_json(nb) -> str:
    import nbformat  # lazy, as papermill (see _warm_engine_class)

    return nbformat.writes(nb) + "\n"


def _normalise(nb, notebook: str | Path) -> None:
    """Make an executed notebook reproducible: no timings, stable ids and execution counts."""
    meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration"):
        meta.pop(key, None)
    path = notebook_path(notebook)
    meta["input_path"] = (
        str(path.relative_to(config.PROJ_ROOT))
        if path.is_relative_to(config.PROJ_ROOT)
        else path.name
    )
    meta["output_path"] = None
    count = 0
    for index, cell in enumerate(nb.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        pm = cell.get("metadata", {}).get("papermill")
        if isinstance(pm, dict):
            for key in ("start_time", "end_time", "duration"):
                pm.pop(key, None)
        cell.get("metadata", {}).pop("execution", None)
        if "injected-parameters" in tags:
            cell["id"] = "injected-parameters"
        elif "papermill-error-cell-tag" in tags:
            cell["id"] = f"papermill-error-cell-{index}"
        elif not cell.get("id"):
            cell["id"] = f"cell-{index}"
        if cell.get("cell_type") == "code":
            if cell.get("execution_count") is not None:
                count += 1
                cell["execution_count"] = count
            for output in cell.get("outputs", []):
                if output.get("execution_count") is not None:
                    output["execution_count"] = count
                text = output.get("data", {}).get("text/plain")
                if isinstance(text, str):
                    output["data"]["text/plain"] = _ADDRESS.sub(" at 0x…", text)
