"""The notebooks: jupytext pairs without outputs, one typed and commented parameters cell,
and every notebook executes top to bottom with small parameters (in the session's one warm
kernel, ``renderer`` in tests/conftest.py)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from perf import config
from perf.render.registry import NOTEBOOKS, notebook_parameters, validate_parameters

#: Small parameters for each notebook (quick to run, and covering local quarterly data).
SMALL = {
    "briefing": [{"area": "Dudley", "period": "2012-13 Q1"}, {"area": "Leeds", "period": "2024-25"}],
    "trends": [{"area": "Dudley", "period": "2024-25"}],
    "quarter_comparison": [{"area": "Dudley", "period": "2024-25"}],
}


def _ipynb(name: str) -> dict:
    return json.loads((config.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_pair_exists_and_is_committed_without_outputs(name):
    assert (config.NOTEBOOKS_DIR / f"{name}.py").is_file()
    for cell in _ipynb(name)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_py_and_ipynb_hold_the_same_cells(name):
    import jupytext

    from_py = jupytext.read(config.NOTEBOOKS_DIR / f"{name}.py")
    sources = [(c["cell_type"], "".join(c["source"])) for c in _ipynb(name)["cells"]]
    assert [(c.cell_type, c.source) for c in from_py.cells] == sources


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_one_parameters_cell_first_after_the_title_every_line_typed_and_commented(name):
    cells = _ipynb(name)["cells"]
    tagged = [i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", [])]
    assert tagged == [1] and cells[0]["cell_type"] == "markdown"
    source = "".join(cells[1]["source"])
    for node in ast.parse(source).body:
        assert isinstance(node, ast.AnnAssign), f"untyped parameter: {ast.unparse(node)}"
    specs = notebook_parameters(name)
    assert {"area", "period"} <= {s.name for s in specs}
    assert all(s.help for s in specs), [s.name for s in specs if not s.help]


@pytest.mark.parametrize(("name", "params"), [(n, p) for n in NOTEBOOKS for p in SMALL[n]],
                         ids=lambda v: v if isinstance(v, str) else "-".join(v.values()))
def test_notebook_executes_without_cell_errors(renderer, tmp_path, name, params):
    result = renderer.run(name, validate_parameters(name, params), out=tmp_path)
    assert result.status == "ok", result.error
    executed = json.loads(Path(result.executed_notebook).read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", [])
              if o["output_type"] == "error"]
    assert errors == []
