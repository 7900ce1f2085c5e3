"""A long-lived runner: one warm kernel kept ready between ``perf render`` calls.

``perf runner start`` launches a background process that starts a kernel, imports perf and
loads the data once, then waits on a Unix socket in :func:`perf.cache.cache_dir`. While it
runs, ``perf render`` hands its job over (after the cheap parameter checks) instead of
starting a kernel of its own, so a briefing costs the notebook's own work plus the export.
The runner validates every parameter before executing anything, exactly as an in-process
render does, renders one job at a time, and exits after ``idle`` seconds without work, on
``perf runner stop``, or as soon as any data file or perf source file changes (the client
then renders in-process, so a stale runner never serves old code or data).

Without a runner nothing changes: ``perf render`` renders in its own process.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from perf import config
from perf.cache import cache_dir, input_key
from perf.errors import ParameterError, PerfError, RenderError
from perf.render.index import write_index
from perf.render.registry import validate_parameters
from perf.render.runner import Renderer

__all__ = ["render_via_runner", "serve", "socket_path", "start", "status", "stop"]

log = config.get_logger()

#: Environment variables a client passes to the runner for its job (time of run).
PASSED_ENV = ("SOURCE_DATE_EPOCH",)


def socket_path() -> Path:
    """The runner's socket for this project checkout."""

    tag = hashlib.sha256(str(config.PROJ_ROOT).encode()).hexdigest()[:10]
    return cache_dir() / f"runner-{tag}.sock"


def _code_key() -> str:
    # every source file, the presentation and render layers included: a runner must never
    # serve code older than the checkout's
    return input_key("runner", all_code=True)


def _read_line(sock: socket.socket) -> bytes:
    """Bytes up to and including the first newline (or all the peer sent before closing)."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def _request(message: Mapping[str, Any], timeout: float | None = 3600) -> dict[str, Any] | None:
    """Send one JSON request; None when no runner is listening."""
    path = socket_path()
    if not path.exists():
        return None
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    client.settimeout(timeout)
    try:
        client.connect(str(path))
        client.sendall(json.dumps(message).encode() + b"\n")
        data = _read_line(client)
    except (ConnectionRefusedError, FileNotFoundError):
        return None
    except OSError as exc:
        raise RenderError(
            f"the runner stopped answering: {exc}", hint="Run `perf runner stop`, then try again."
        ) from exc
    finally:
        client.close()
    return json.loads(data) if data else None


def render_via_runner(
    notebook: str | Path, overrides: Mapping[str, Any], out: str | Path | None, formats=("html",)
) -> dict[str, Any] | None:
    """Render through a running runner; None when there is none (or it was out of date)."""
    reply = _request(
        {
            "op": "render",
            "notebook": str(notebook),
            "overrides": dict(overrides),
            "formats": list(formats),
            "out": str(Path(out or config.OUTPUTS_DIR).resolve()),
            "code_key": _code_key(),
            "env": {k: os.environ[k] for k in PASSED_ENV if k in os.environ},
        }
    )
    if reply is None or reply.get("status") == "stale":
        return None
    if reply.get("status") == "parameter_error":
        error = ParameterError("invalid parameter")
        error.args = (reply["error"],)  # the runner's message, word for word
        raise error
    if reply.get("status") != "done":
        raise RenderError(f"the runner could not render: {reply.get('error')}")
    return reply["result"]


def serve(idle: float = 1800.0) -> None:
    """Run the runner in this process until idle, stopped, or out of date."""

    key = _code_key()
    path = socket_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if _request({"op": "ping"}, timeout=5) is not None:
            raise RenderError("a runner is already running", file=path)
        path.unlink()
    renderer = Renderer()
    renderer.prepare()
    renderer._ensure_client()  # answer only once the kernel is warm
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(16)
    server.settimeout(5)
    log.warning("runner listening on %s (idle timeout %.0f s)", path, idle)
    last = time.monotonic()
    try:
        while time.monotonic() - last < idle:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                if _code_key() != key:
                    log.warning("data or code changed: the runner stops")
                    break
                continue
            with conn:
                conn.settimeout(None)
                data = _read_line(conn)
                try:
                    message = json.loads(data or b"{}")
                except ValueError:
                    continue
                op = message.get("op")
                if op == "ping":
                    reply: dict[str, Any] = {
                        "status": "ok",
                        "pid": os.getpid(),
                        "runs": renderer.runs,
                    }
                elif op == "stop":
                    conn.sendall(b'{"status": "stopping"}\n')
                    break
                elif op == "render" and message.get("code_key") != key:
                    conn.sendall(b'{"status": "stale"}\n')
                    break
                elif op == "render":
                    reply = _serve_render(renderer, message, validate_parameters, write_index)
                else:
                    reply = {"status": "error", "error": f"unknown request {op!r}"}
                conn.sendall(json.dumps(reply, default=str).encode() + b"\n")
            last = time.monotonic()
    finally:
        server.close()
        path.unlink(missing_ok=True)
        renderer.shutdown()


def _serve_render(renderer, message, validate_parameters, write_index) -> dict[str, Any]:
    saved = {k: os.environ.get(k) for k in PASSED_ENV}
    try:
        for k in PASSED_ENV:
            os.environ.pop(k, None)
        os.environ.update(message.get("env") or {})
        try:
            params = validate_parameters(message["notebook"], message["overrides"])
        except PerfError as exc:
            return {"status": "parameter_error", "error": str(exc)}
        result = renderer.run(
            message["notebook"],
            params,
            out=message["out"],
            formats=message.get("formats") or ("html",),
        )
        write_index(message["out"])
        return {"status": "done", "result": result.to_dict()}
    except Exception as exc:  # noqa: BLE001 - the runner survives anything one job does
        return {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def start(idle: float = 1800.0, wait: float = 120.0) -> dict[str, Any]:
    """Start a runner in the background (if none is running) and wait until it answers."""
    running = status()
    if running:
        return running
    log_file = cache_dir() / "runner.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as handle:
        subprocess.Popen(
            [sys.executable, "-m", "perf", "runner", "serve", "--idle", str(idle)],
            cwd=config.PROJ_ROOT,
            stdout=handle,
            stderr=handle,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        answer = status()
        if answer:
            return answer
        time.sleep(0.2)
    raise RenderError("the runner did not start", file=log_file, hint="See its log.")


def stop() -> bool:
    """Ask the runner to stop; False when none was running."""
    return _request({"op": "stop"}, timeout=30) is not None


def status() -> dict[str, Any] | None:
    """The runner's pid and run count, or None when none is running."""
    try:
        return _request({"op": "ping"}, timeout=5)
    except RenderError:
        return None
