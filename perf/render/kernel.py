"""What runs inside a render's kernel: its start, its warm-up and the reset between runs.

Kept apart from :mod:`perf.render.runner` (the parent's side) so the kernel imports only
this module and :mod:`perf.config` from the render layer: importing the runner there would
load the whole render package (registry, HTML export, freeze, server: ~0.2 s of a cold
render's critical path) for nothing the notebook uses.

``python -m perf.render.kernel -f CONNECTION_FILE`` starts the kernel as
``python -m ipykernel_launcher`` does (the runner starts its kernels so), without debugpy:
ipykernel imports it for the Jupyter debugger (~0.15 s of every cold render's critical
path), which nobody attaches to a render.
"""

from __future__ import annotations

import gc
import importlib
import os
import random
import sys
from pathlib import Path

from perf import config

__all__ = ["KERNEL_WARMUP", "reset_kernel_state", "warm_kernel"]

#: Modules a fresh kernel imports while the parent process is still busy (faster first run).
#: Not matplotlib.pyplot: perf.charts draws on Figure/FigureCanvasAgg directly, and pyplot
#: (~0.3 s, plus the inline backend's set-up in a kernel) is only loaded if a notebook asks.
KERNEL_WARMUP: tuple[str, ...] = (
    "pandas",
    "matplotlib",
    "perf.report",
    "perf.charts",
    "perf.tables",
)


def warm_kernel(modules: tuple[str, ...] = KERNEL_WARMUP) -> None:
    """Import the modules notebooks need (in the kernel, at start-up); missing ones are skipped."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            pass
    preload = getattr(sys.modules.get("perf.report"), "preload", None)
    if callable(preload):
        try:
            preload()
        except Exception:  # noqa: BLE001 - a data problem is reported by the notebook that meets it
            pass
    # Modules and the loaded data live as long as the kernel: move them out of the garbage
    # collector's generations so no collection during a run (or %reset's) walks them again.
    # (No gc.collect() first: ~0.15 s on the cold path to free a little import garbage.)
    gc.freeze()


def reset_kernel_state() -> None:
    """After ``%reset -f``: close figures, restore cwd and seeds, restart execution counts."""
    os.chdir(config.NOTEBOOKS_DIR)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    random.seed(0)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(0)
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    if shell is not None:
        shell.execution_count = 1


def launch() -> None:
    """Start an IPython kernel in this process, with debugpy declared absent."""
    # As ipykernel_launcher: the working directory leaves sys.path while ipykernel loads
    # (IPython puts it back for the notebook).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    sys.modules.setdefault("debugpy", None)  # type: ignore[arg-type]
    # Lazy: only the kernel process itself loads ipykernel (this module is imported by the
    # runner's parent process too).
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    launch()
