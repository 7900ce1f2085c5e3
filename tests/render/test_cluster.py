"""perf batch on a Dask LocalCluster of two worker processes: the local pool's contract."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from perf.render import cluster as dask_batch
from perf.render.batch import Job, parse_schedule
from perf.render.registry import coerce_parameters

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "tiny.ipynb"


def tiny_jobs(areas, **extra) -> list[Job]:
    return [
        Job(str(TINY), coerce_parameters(TINY, {"area": a, "period": p, **extra})) for a, p in areas
    ]


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two worker processes shared by the tests (its address)."""
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


def manifest(out: Path) -> list[dict]:
    return json.loads((out / "manifest.json").read_text())


def test_a_small_schedule_renders_and_a_failing_area_fails_alone(scheduler, tmp_path):
    jobs = tiny_jobs(
        [("Dudley", "2024-25"), ("Leeds", "2024-25"), ("Sandwell", "2024-25")], fail_area="Leeds"
    )
    results = dask_batch.run_batch_on_cluster(
        jobs, scheduler.scheduler_address, out=tmp_path, progress=False
    )
    status = {r["area"]: r["status"] for r in results}
    assert status == {"Dudley": "ok", "Leeds": "failed", "Sandwell": "ok"}
    assert "deliberate failure for Leeds" in next(
        r["error"] for r in results if r["area"] == "Leeds"
    )
    rows = manifest(tmp_path)
    assert [r["area"] for r in rows] == ["Dudley", "Leeds", "Sandwell"]
    assert all(r["attempts"] == 1 and r["worker"].startswith("tcp://") for r in rows)
    assert (tmp_path / "index.html").is_file()
    assert (tmp_path / "2024-25" / "Dudley" / "tiny.html").is_file()


def test_periods_of_one_area_run_in_order_with_the_earlier_record(scheduler, tmp_path):
    jobs = [
        Job("briefing", p)
        for p in [
            j.parameters
            for j in parse_schedule(
                {
                    "notebooks": ["briefing"],
                    "areas": ["Leeds"],
                    "periods": ["2012-13 Q1", "2012-13 Q2"],
                }
            )
        ]
    ]
    results = dask_batch.run_batch_on_cluster(
        jobs, scheduler.scheduler_address, out=tmp_path, progress=False
    )
    assert [r["status"] for r in results] == ["ok", "ok"]
    first_record = tmp_path / "2012-13_Q1" / "Leeds" / "briefing.frozen.csv"
    assert first_record.is_file()  # written by the client
    assert results[1]["parameters"]["previous"].endswith("2012-13_Q1/Leeds/briefing.frozen.csv")


def test_a_worker_killed_mid_render_loses_no_briefing(tmp_path):
    jobs = tiny_jobs([("Dudley", "2024-25"), ("Leeds", "2024-25")], sleep=6.0)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:

        def kill_one_worker_when_busy():
            with Client(cluster) as client:
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    busy = [w for w, tasks in client.processing().items() if tasks]
                    if busy:
                        time.sleep(2.0)  # the kernel is rendering now
                        pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                        os.kill(pid, signal.SIGKILL)
                        return
                    time.sleep(0.2)

        killer = threading.Thread(target=kill_one_worker_when_busy, daemon=True)
        killer.start()
        results = dask_batch.run_batch_on_cluster(
            jobs, cluster.scheduler_address, out=tmp_path, progress=False
        )
        killer.join(timeout=60)
    assert [r["status"] for r in results] == ["ok", "ok"]
    assert sorted(r["attempts"] for r in results) == [1, 2]
    retried = next(r for r in manifest(tmp_path) if r["attempts"] == 2)
    assert (tmp_path / "2024-25" / retried["area"] / "tiny.html").is_file()


STARTUP_PLUGIN = "perf-renderer-startup-test"


def _with_plugin(scheduler, look) -> dict:
    """``look(dask_worker)`` on every worker while a RendererPlugin is registered (the
    plugin, and its kernels, gone again afterwards)."""
    with Client(scheduler) as client:
        client.register_plugin(dask_batch.RendererPlugin(), name=STARTUP_PLUGIN)
        try:
            return client.run(look)
        finally:
            client.unregister_worker_plugin(STARTUP_PLUGIN)


def _kernel_started(dask_worker) -> bool:
    plugin = dask_worker.plugins[STARTUP_PLUGIN]
    plugin._started()  # waits for the start-up thread only
    return plugin.renderer is not None and plugin.renderer._km is not None and not plugin._prepared


def test_each_worker_starts_its_kernel_when_the_plugin_is_registered(scheduler):
    # The kernel boots while the client sends the first tasks, not at each worker's first
    # run; unregistering shuts it down with the plugin.
    started = _with_plugin(scheduler, _kernel_started)
    assert list(started.values()) == [True, True]


def _kernel_environ(dask_worker) -> dict:
    """The worker's and its kernel's MALLOC_TRIM_THRESHOLD_ and OMP_NUM_THREADS."""
    plugin = dask_worker.plugins[STARTUP_PLUGIN]
    plugin._started()
    from jupyter_client import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(plugin.renderer._km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        msg_id = kc.execute(
            "import os",
            user_expressions={
                "trim": "os.environ.get('MALLOC_TRIM_THRESHOLD_', 'unset')",
                "omp": "os.environ.get('OMP_NUM_THREADS', 'unset')",
            },
        )
        msg = kc.get_shell_msg(timeout=60)
        while msg["parent_header"].get("msg_id") != msg_id:
            msg = kc.get_shell_msg(timeout=60)
        found = {k: v["data"]["text/plain"] for k, v in msg["content"]["user_expressions"].items()}
    finally:
        kc.stop_channels()
    return found | {"worker": os.environ.get("MALLOC_TRIM_THRESHOLD_", "unset")}


def test_a_workers_kernel_does_not_inherit_dasks_malloc_trim_setting(scheduler):
    # A Dask nanny sets MALLOC_TRIM_THRESHOLD_=65536 for its worker; the worker's kernel
    # runs without it (three times the page faults otherwise), keeping the rest.
    seen = _with_plugin(scheduler, _kernel_environ)
    for found in seen.values():
        assert found["worker"] == "65536"  # what the nanny set, as Dask documents
        assert found["trim"] == "'unset'" and found["omp"] == "'1'"


def test_an_unreachable_scheduler_is_a_clear_error():
    from perf.errors import ParameterError

    with pytest.raises(ParameterError, match="cluster address"):
        dask_batch.connect("localhost:8786")
