"""``perf batch --cluster``: the same batch, its renders sent to a Dask distributed cluster.

The local process pool (:mod:`perf.render.batch`) stays the default. With ``--cluster
tcp://host:8786`` (or ``cluster:`` in the schedule) the renders go to an existing Dask
scheduler; ``--cluster local`` starts a :class:`distributed.LocalCluster` on this machine
(one single-threaded worker process per core). The contract is the local pool's:

- every run is validated before anything is sent (the schedule is parsed first);
- each worker keeps one warm kernel (a worker plugin owns its
  :class:`~perf.render.runner.Renderer`) and renders run after run;
- one failing render fails only itself; a worker killed mid-render has its run re-run on
  another worker by the scheduler, and the manifest's ``attempts`` column says so;
- the periods of one area and notebook run in order: the client sends the next only when
  the earlier one is back, with ``previous`` pointing at the record the client froze;
- the client alone writes the frozen records, the manifest and the index.

Workers need the project installed and the data (same paths), and write the HTML into the
outputs folder, so on several machines ``data/`` and ``outputs/`` must be shared (a network
folder mounted at the same path on every machine); see README "Rendering on several machines".
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from perf import config
from perf.errors import ParameterError, RenderError
from perf.fileio import output_folder
from perf.render.batch import Job, failed_result, finish_batch, progress_bar, require_formats
from perf.render.formats import Package, require_package
from perf.render.freeze import freeze_after, with_previous
from perf.render.runner import Renderer, RunResult

try:
    from distributed import Client, LocalCluster, WorkerPlugin, as_completed, get_worker
except ImportError:
    # distributed is an optional extra: `perf batch --cluster` (which imports this module)
    # says which, and how to install it, instead of a traceback
    require_package(
        Package("distributed", "distributed", "dask"),
        "Rendering on a Dask cluster (perf batch --cluster)",
    )
    raise

__all__ = ["KERNEL_UNSET_ENV", "PLUGIN", "connect", "run_batch_on_cluster"]

log = config.get_logger()

#: The name of the worker plugin that owns each worker's warm kernel.
PLUGIN = "perf-renderer"
#: What a Dask nanny sets for its worker (``distributed.nanny.pre-spawn-environ``) that the
#: worker's kernel must not inherit: ``MALLOC_TRIM_THRESHOLD_=65536`` makes glibc hand freed
#: memory back at once, so a briefing's pandas and matplotlib work faults its pages in again
#: (three times the page faults of a local pool's kernel, 60,000 to 178,000 for three
#: briefings run as plain Python, and page faults are dear on virtual machines).
KERNEL_UNSET_ENV = ("MALLOC_TRIM_THRESHOLD_",)
_ATTEMPTS = ".perf-attempts"


class RendererPlugin(WorkerPlugin):
    """One warm kernel per worker, started when the plugin is registered (so it boots while
    the client sends the first tasks) and shut down with the worker."""

    name = PLUGIN

    def setup(self, worker) -> None:
        self.renderer: Renderer | None = None
        self._prepared = False
        # A thread: setup runs on the worker's event loop, and starting a kernel blocks it
        # for a fifth of a second. A kernel that fails to start here starts at the first run.
        self._starting: threading.Thread | None = threading.Thread(
            target=self._start, name="perf-kernel-start", daemon=True
        )
        self._starting.start()

    def _start(self) -> None:
        try:
            self.renderer = Renderer(unset_env=KERNEL_UNSET_ENV)
        except Exception as exc:  # noqa: BLE001 - retried (and reported) by the first run
            log.warning("the worker's kernel did not start at registration: %s", exc)

    def _started(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def teardown(self, worker) -> None:
        self._started()
        if self.renderer is not None:
            self.renderer.shutdown()

    def get(self, formats: tuple[str, ...]) -> Renderer:
        self._started()
        if self.renderer is None:
            self.renderer = Renderer(unset_env=KERNEL_UNSET_ENV)
        if not self._prepared:
            self.renderer.prepare(formats)
            self._prepared = True
        return self.renderer


def _attempt_file(out: str, job: Job) -> Path:
    key = hashlib.sha256(repr((job.notebook, sorted(job.parameters.items()))).encode())
    return Path(out) / _ATTEMPTS / f"{key.hexdigest()[:16]}.count"


def render_on_worker(job: Job, out: str) -> dict[str, Any]:
    """Run one job on this worker's warm kernel (the task the client sends)."""
    marker = _attempt_file(out, job)
    marker.parent.mkdir(parents=True, exist_ok=True)
    with open(marker, "ab") as handle:  # one byte per attempt: survives a killed worker
        handle.write(b".")
    worker = get_worker()
    plugin = worker.plugins[PLUGIN]
    if not isinstance(plugin, RendererPlugin):
        raise RenderError(f"this Dask worker's {PLUGIN!r} plugin is not perf's: {plugin!r}")
    renderer = plugin.get(job.formats)
    result = renderer.run(job.notebook, job.parameters, out=out, formats=job.formats)
    return {**result.to_dict(), "worker": worker.address}


def connect(address: str, workers: int | None = None) -> tuple[Client, LocalCluster | None]:
    """A client for ``address`` (``tcp://host:8786``), or for a new LocalCluster (``local``)."""
    if address == "local":
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        return Client(cluster), cluster
    if "://" not in address:
        raise ParameterError(
            f"cannot read the cluster address {address!r}",
            hint="Give a scheduler address such as tcp://host:8786, or local.",
        )
    try:
        return Client(address, timeout="20s"), None
    except OSError as exc:
        raise ParameterError(
            f"no Dask scheduler answered at {address} ({exc})",
            hint="Start one with `dask scheduler` (see README), or use --cluster local.",
        ) from exc


def _chains(jobs: Sequence[Job]) -> list[list[int]]:
    """Job indices grouped by notebook and area, each group in period order (as given)."""
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, job in enumerate(jobs):
        groups[(job.notebook, str(job.parameters.get("area", "")))].append(index)
    return list(groups.values())


def run_batch_on_cluster(
    jobs: Sequence[Job],
    cluster: str,
    out: str | Path | None = None,
    workers: int | None = None,
    progress: bool = True,
) -> list[dict[str, Any]]:
    """Render every job on a Dask cluster; one result dict per job, in job order (with the
    worker that rendered it and how many attempts it took)."""
    require_formats(jobs)
    out = output_folder(out or config.OUTPUTS_DIR)
    started_at = time.perf_counter()
    client, local = connect(cluster, workers)
    try:
        client.register_plugin(RendererPlugin(), name=PLUGIN)
        results: dict[int, dict[str, Any]] = {}
        chains = [list(c) for c in _chains(jobs)]
        pending: dict[Any, tuple[int, list[int], float]] = {}
        done = as_completed()

        def send(chain: list[int]) -> None:
            index = chain.pop(0)
            job = jobs[index]
            params = with_previous(job.notebook, job.parameters, out)
            future = client.submit(
                render_on_worker,
                replace(job, parameters=params),
                str(out),
                pure=False,
                key=f"perf-{index}-{time.time_ns()}",
            )
            pending[future] = (index, chain, time.perf_counter())
            done.add(future)

        for chain in chains:
            send(chain)
        bar = progress_bar(len(jobs), "rendering (dask)", progress)
        for future in done:
            index, chain, t0 = pending.pop(future)
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a task that raised fails only its run
                result = failed_result(
                    jobs[index], out, f"{type(exc).__name__}: {exc}", time.perf_counter() - t0
                )
            else:
                fields = RunResult.__dataclass_fields__
                freeze_after(RunResult(**{k: v for k, v in result.items() if k in fields}))
            marker = _attempt_file(str(out), jobs[index])
            result["attempts"] = marker.stat().st_size if marker.exists() else 1
            marker.unlink(missing_ok=True)
            results[index] = result
            bar.update(1)
            if result["status"] != "ok":
                bar.write(
                    f"failed: {result['notebook']} {result['area']} {result['period']}: "
                    f"{result['error']}"
                )
            if chain:
                send(chain)
        bar.close()
    finally:
        client.close()
        if local is not None:
            local.close()
    return finish_batch(results, len(jobs), out, started_at, "dask batch")
