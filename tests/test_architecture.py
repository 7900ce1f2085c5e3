"""The layers as a contract: no import cycles anywhere in perf, lazy imports only where a
comment says why, and the cache's unkeyed set equal to the layers above analysis.

``make lint`` runs import-linter's layer contracts (pyproject.toml); these tests add what
the contracts allow but the house rules do not (cycles between siblings of one layer).
"""

from __future__ import annotations

import ast
import tomllib

import grimp
import pytest

from perf import cache, config

PERF = config.PROJ_ROOT / "perf"


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("perf", cache_dir=None)


def test_no_import_cycles(graph):
    cycles = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.append(" -> ".join((importer, *back)))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_cycle_check_can_fail(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text("def f():\n    from cyclic import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    small = grimp.build_graph("cyclic", cache_dir=None)
    assert small.find_shortest_chain(importer="cyclic.b", imported="cyclic.a")


def _layers() -> list[list[str]]:
    project = tomllib.loads((config.PROJ_ROOT / "pyproject.toml").read_text())
    contracts = project["tool"]["importlinter"]["contracts"]
    top = next(c for c in contracts if c["containers"] == ["perf"])
    return [
        [name.strip() for name in layer.replace("|", ":").split(":")] for layer in top["layers"]
    ]


def test_cache_leaves_out_exactly_the_layers_above_analysis():
    layers = _layers()
    analysis = next(i for i, layer in enumerate(layers) if "scoring" in layer)
    above = {name for layer in layers[:analysis] for name in layer}
    assert set(cache.UNKEYED) - {"style"} == above  # style: presentation's assets


def test_every_perf_module_is_in_a_layer():
    named = {name for layer in _layers() for name in layer}
    tops = {
        p.stem if p.is_file() else p.name
        for p in PERF.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert tops <= named, f"not in any layer of pyproject.toml: {sorted(tops - named)}"


def _function_level_imports() -> list[tuple[str, int, str]]:
    """(file, line, source) of every import inside a function or method in perf/."""
    found = []
    for path in sorted(PERF.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        found.append(
                            (str(path.relative_to(PERF)), inner.lineno, lines[inner.lineno - 1])
                        )
    return found


def test_imports_are_at_module_top_unless_a_comment_says_why():
    """The documented exceptions: the fast command-line path and what a kernel's start-up
    or the parent process would otherwise pay for; each says so with "lazy" on its line, on
    the line above it, or on the first line of its function's block of lazy imports."""
    unexplained = []
    for file, line, source in _function_level_imports():
        text = (PERF / file).read_text(encoding="utf-8").splitlines()
        window = " ".join(text[max(0, line - 4) : line]).lower()
        if "lazy" not in window:
            unexplained.append(f"perf/{file}:{line}: {source.strip()}")
    assert not unexplained, "imports inside functions without a reason:\n" + "\n".join(unexplained)
