"""perf.charts as a package: callers' imports keep working, names load lazily, every module
stays small and says what it is for."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import pytest

import perf.charts
from perf import config

CHARTS = config.PROJ_ROOT / "perf" / "charts"


def test_every_exported_name_resolves_to_its_module_object():
    assert perf.charts.__all__ == sorted(perf.charts._EXPORTS)
    for name, module in perf.charts._EXPORTS.items():
        assert getattr(perf.charts, name) is getattr(importlib.import_module(module), name)


def test_callers_imports_still_work():
    from perf.charts import (  # noqa: F401 - the imports are the test
        Chart,
        attendance_chart,
        attendance_weekly_chart,
        attendance_ytd_chart,
        benchmark_chart,
        chart_png,
        figure_to_html,
        funnel_chart,
        neet_gap_chart,
        quarter_comparison_chart,
        spc_chart,
        trend_chart,
    )

    assert trend_chart.__module__ == "perf.charts.trend"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = perf.charts.nothing


@pytest.mark.parametrize("path", sorted(CHARTS.glob("*.py")), ids=lambda p: p.name)
def test_no_module_is_over_400_lines_and_each_has_a_docstring(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 400, f"{path.name}: split it"
    assert ast.get_docstring(ast.parse(text)), path.name


def test_every_module_is_in_the_package_contract():
    import tomllib

    project = tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text())
    contract = next(
        c
        for c in project["tool"]["importlinter"]["contracts"]
        if c["containers"] == ["perf.charts"]
    )
    named = {n.strip() for layer in contract["layers"] for n in layer.replace("|", ":").split(":")}
    modules = {m.name for m in pkgutil.iter_modules(perf.charts.__path__)}
    assert modules == named


def test_nothing_is_kept_on_matplotlib_objects():
    """The old module hung tick labels and pending labels on Axes (``ax._perf_...``)."""
    for path in CHARTS.glob("*.py"):
        assert "._perf_" not in path.read_text(encoding="utf-8"), path.name
