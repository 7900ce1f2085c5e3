"""perf.render.kernel: the kernel's warm-up and reset, and that the kernel loads nothing
else of the render layer."""

from __future__ import annotations

import gc
import random
import subprocess
import sys
from pathlib import Path

from jupyter_core.utils import run_sync

import perf.report
from perf import config
from perf.render import runner
from perf.render.kernel import reset_kernel_state, warm_kernel
from perf.render.runner import Renderer


def test_reset_kernel_state_restores_directory_and_seeds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    random.random()
    reset_kernel_state()
    assert Path.cwd() == config.NOTEBOOKS_DIR
    assert random.random() == random.Random(0).random()


def test_warm_kernel_skips_what_it_cannot_import_or_load(monkeypatch):
    called = []

    def broken():
        called.append(True)
        raise ValueError("a damaged data file")

    monkeypatch.setattr(perf.report, "preload", broken)
    try:
        warm_kernel(("perf.no_such_module", "json"))  # neither raises
    finally:
        gc.unfreeze()  # warm_kernel freezes the collector's generations: not in this process
    assert called == [True]


def test_the_kernel_side_imports_no_other_render_module():
    code = (
        "import sys, perf.render.kernel; "
        "print(sorted(m for m in sys.modules if m.startswith('perf.render')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=config.PROJ_ROOT,
    )
    assert done.stdout.strip() == "['perf.render', 'perf.render.kernel']"


def test_the_runner_starts_kernels_with_the_kernel_module():
    assert "perf.render.kernel" in runner._RESET_CODE
    assert "perf.render.kernel" in runner._FIRST_RESET_CODE
    assert runner.warm_kernel is warm_kernel  # the runner's name for it is the same function


def test_a_renderers_kernel_starts_without_debugpy():
    seen = []
    with Renderer() as renderer:
        renderer._ensure_client()
        code = (
            "import sys; print(sys.argv[0].endswith('kernel.py'), 'debugpy' in sys.modules "
            "and sys.modules['debugpy'] is not None)"
        )
        run_sync(renderer._kc.execute_interactive)(
            code, output_hook=lambda msg: seen.append(msg["content"].get("text", "")), timeout=120
        )
    assert "".join(seen).split() == ["True", "False"]


def test_make_setup_registers_the_kernel_renderers_start():
    makefile = (config.PROJ_ROOT / "Makefile").read_text()
    assert f"KERNEL := {config.KERNEL_NAME}\n" in makefile
    assert "ipykernel install --sys-prefix --name $(KERNEL) " in makefile
    assert Renderer.__init__.__defaults__[0] == config.KERNEL_NAME  # kernel_name's default


def test_perfs_kernel_is_found_where_nothing_registered_it(tmp_path):
    # a pip-installed perf: no `make setup`, no kernel.json named perf anywhere
    specs = runner._kernel_specs()
    specs.kernel_dirs = [str(tmp_path)]
    spec = specs.get_kernel_spec(config.KERNEL_NAME)
    assert spec.argv[0] == sys.executable and "ipykernel_launcher" in spec.argv
    assert spec.display_name == config.KERNEL_DISPLAY_NAME and spec.language == "python"
    try:
        specs.get_kernel_spec("no-such-kernel")
    except Exception as exc:  # noqa: BLE001 - jupyter_client's NoSuchKernel
        assert type(exc).__name__ == "NoSuchKernel"
    else:
        raise AssertionError("an unknown kernel was found")
