"""The top-level API: the names an analyst types after ``import perf``."""

from __future__ import annotations

import importlib
import io
import pkgutil
import pydoc
import subprocess
import sys

import perf

#: What an analyst can guess (issue 17) and what was exported before it.
PUBLIC = {
    "changes",
    "trend_chart",
    "benchmark_chart",
    "explorer",
    "indicators",
    "areas",
    "find_area",
    "load",
    "load_all",
    "parse_period",
    "compare_periods",
    "benchmark",
    "score_against_target",
    "xmr",
    "PerfError",
}


def test_dir_shows_the_public_names_only():
    assert set(dir(perf)) == PUBLIC == set(perf.__all__)
    assert "Any" not in dir(perf) and "importlib" not in dir(perf)


def test_help_explains_every_public_name_in_its_first_screen():
    out = io.StringIO()
    pydoc.Helper(output=out).help(perf)
    screen = out.getvalue().splitlines()[:45]
    text = "\n".join(screen)
    for name in PUBLIC:
        assert f"{name}(" in text or name == "PerfError" and name in text, name


def test_every_export_stays_callable_after_every_submodule_is_imported():
    # Regression: ``perf.catalogue``/``perf.benchmark`` used to be both a submodule and
    # an exported function; importing the submodule replaced the function. ``areas`` is
    # the one export that is a submodule: the module itself is callable.
    submodules = {m.name for m in pkgutil.iter_modules(perf.__path__)}
    assert submodules & set(perf.__all__) == {"areas"}
    for name in submodules - {"__main__"}:
        importlib.import_module(f"perf.{name}")
    for name in perf.__all__:
        assert callable(getattr(perf, name)), name
    assert perf.areas is sys.modules["perf.areas"]


def test_perf_areas_is_callable_whichever_way_it_was_imported_first():
    code = (
        "import perf.areas, perf; from perf import areas; import perf.areas as a; "
        "assert areas is a is perf.areas; print(len(perf.areas('la')) > 100)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip() == "True", run.stderr


def test_import_perf_loads_no_pandas():
    run = subprocess.run(
        [sys.executable, "-c", "import sys, perf; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run.stdout.strip() == "False"


def test_the_exports_are_the_documented_functions():
    from perf.benchmarking import benchmark
    from perf.loaders import load, load_all
    from perf.report.analyst import benchmark_chart, changes, indicators, trend_chart
    from perf.report.explorer import explorer

    assert perf.benchmark is benchmark
    assert perf.load is load and perf.load_all is load_all
    assert (
        perf.changes,
        perf.trend_chart,
        perf.benchmark_chart,
        perf.indicators,
        perf.explorer,
    ) == (changes, trend_chart, benchmark_chart, indicators, explorer)
