"""The top-level API: the names an analyst types after ``import perf``."""

from __future__ import annotations

import importlib
import pkgutil

import perf


def test_every_export_stays_callable_after_every_submodule_is_imported():
    # Regression: ``perf.catalogue``/``perf.benchmark`` used to be both a submodule and
    # an exported function; importing the submodule replaced the function.
    submodules = {m.name for m in pkgutil.iter_modules(perf.__path__)}
    assert not submodules & set(perf.__all__)
    for name in submodules - {"__main__"}:
        importlib.import_module(f"perf.{name}")
    for name in perf.__all__:
        assert callable(getattr(perf, name)), name


def test_benchmark_and_load_are_the_documented_functions():
    from perf.benchmarking import benchmark
    from perf.loaders import load, load_all

    assert perf.benchmark is benchmark
    assert perf.load is load and perf.load_all is load_all
