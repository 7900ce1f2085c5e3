"""The notebooks: jupytext pairs without outputs, one typed and commented parameters cell
whose defaults are the reviewed ones, every notebook executes top to bottom with small
parameters (in the session's one warm kernel, ``renderer`` in tests/conftest.py), and a save
in JupyterLab cannot change the committed files unnoticed: the pre-commit hooks, run on a
simulated save, give back the committed form or fail naming what changed."""

from __future__ import annotations

import ast
import json
import shlex
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
import yaml

from perf import config
from perf.render.registry import NOTEBOOKS, notebook_parameters, validate_parameters

#: Notebooks for exploring in JupyterLab (``make lab``), not rendered as reports.
LAB_NOTEBOOKS = ("explore",)
ALL_NOTEBOOKS = NOTEBOOKS + LAB_NOTEBOOKS

#: Small parameters for each notebook (quick to run, and covering local quarterly data).
SMALL = {
    "briefing": [
        {"area": "Dudley", "period": "2012-13 Q1"},
        {"area": "Leeds", "period": "2024-25"},
    ],
    "trends": [{"area": "Dudley", "period": "2024-25"}],
    "quarter_comparison": [{"area": "Dudley", "period": "2024-25"}],
    "explore": [{"area": "Leeds", "period": "2024-25"}],
}

#: The reviewed defaults of every notebook's parameters. A run's values come from the
#: command line or a YAML file, never from editing a committed notebook: a default that
#: differs here is most likely a Lab save of an exploration. To change one on purpose,
#: change it here in the same commit.
DEFAULTS = {
    "briefing": {
        "area": "Dudley",
        "period": "2024-25",
        "committee": "Children's Services Scrutiny Committee",
        "meeting_date": "",
        "author": "Performance and Intelligence Team",
        "public": True,
        "previous": "",
        "small_counts_in_text": "redact",
        "neighbours": "2025",
    },
    "trends": {
        "area": "Dudley",
        "period": "2024-25",
        "indicator": "cla_rate",
        "years": 10,
        "neighbours": "2025",
    },
    "quarter_comparison": {"area": "Dudley", "period": "2024-25", "compare_period": ""},
    "explore": {"area": "Dudley", "period": "2024-25", "indicator": "cla_rate"},
}


def _ipynb(name: str) -> dict:
    return json.loads((config.NOTEBOOKS_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))


def test_every_notebook_is_checked_here():
    assert {p.stem for p in config.NOTEBOOKS_DIR.glob("*.ipynb")} == set(ALL_NOTEBOOKS)
    assert set(SMALL) == set(DEFAULTS) == set(ALL_NOTEBOOKS)


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_pair_exists_and_is_committed_without_outputs(name):
    assert (config.NOTEBOOKS_DIR / f"{name}.py").is_file()
    for cell in _ipynb(name)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_and_pair_name_perfs_own_kernel(name):
    # not python3: perf's kernel would shadow the user's own default Python kernel
    import jupytext

    expected = {
        "name": config.KERNEL_NAME,
        "display_name": config.KERNEL_DISPLAY_NAME,
        "language": "python",
    }
    assert config.KERNEL_NAME != "python3"
    assert _ipynb(name)["metadata"]["kernelspec"] == expected
    from_py = jupytext.read(config.NOTEBOOKS_DIR / f"{name}.py")
    assert dict(from_py.metadata["kernelspec"]) == expected


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_py_and_ipynb_hold_the_same_cells(name):
    import jupytext

    from_py = jupytext.read(config.NOTEBOOKS_DIR / f"{name}.py")
    sources = [(c["cell_type"], "".join(c["source"])) for c in _ipynb(name)["cells"]]
    assert [(c.cell_type, c.source) for c in from_py.cells] == sources


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
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


@pytest.mark.parametrize(
    ("name", "params"),
    [(n, p) for n in ALL_NOTEBOOKS for p in SMALL[n]],
    ids=lambda v: v if isinstance(v, str) else "-".join(v.values()),
)
def test_notebook_executes_without_cell_errors(renderer, tmp_path, name, params):
    result = renderer.run(name, validate_parameters(name, params), out=tmp_path)
    assert result.status == "ok", result.error
    executed = json.loads(Path(result.executed_notebook).read_text(encoding="utf-8"))
    errors = [
        o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert errors == []


# --- defaults as reviewed -----------------------------------------------------------


def changed_defaults(folder: Path) -> list[str]:
    """Each parameter of the notebooks in ``folder`` whose default is not the reviewed
    one, as a sentence saying what to do."""
    found = []
    for name, reviewed in DEFAULTS.items():
        now = {s.name: s.default for s in notebook_parameters(folder / f"{name}.ipynb")}
        for key in sorted(set(reviewed) | set(now)):
            if now.get(key, "(none)") != reviewed.get(key, "(none)"):
                found.append(
                    f"notebooks/{name}: the default of {key!r} is {now.get(key, '(none)')!r}, "
                    f"reviewed {reviewed.get(key, '(none)')!r}. A run's values go on the "
                    f"command line (perf render {name} -p {key}=...) or, exploring, in a copy "
                    f"in scratch/ (make lab); undo with git checkout notebooks/{name}.*, or "
                    f"change DEFAULTS in tests/test_notebooks.py too if it is meant."
                )
    return found


def test_parameter_defaults_are_the_reviewed_ones():
    changed = changed_defaults(config.NOTEBOOKS_DIR)
    assert not changed, "\n".join(changed)


# --- a save in JupyterLab -----------------------------------------------------------


def _hook(hook_id: str) -> list[str]:
    """The command .pre-commit-config.yaml runs for a hook (entry, then args)."""
    config_file = yaml.safe_load((config.PROJ_ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for repo in config_file["repos"] for h in repo["hooks"]}
    hook = hooks[hook_id]
    return [
        str(config.PROJ_ROOT / part) if part.startswith(".venv/") else part
        for part in shlex.split(hook["entry"])
    ] + list(hook.get("args", []))


def _checkout(tmp_path: Path) -> Path:
    """The committed notebooks and the jupytext configuration, as in a clone."""
    shutil.copy(config.PROJ_ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    shutil.copytree(
        config.NOTEBOOKS_DIR,
        tmp_path / "notebooks",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
    )
    return tmp_path


def _lab_save(root: Path, path: str, edit) -> None:
    """Open and save ``path`` (relative to ``root``) the way JupyterLab does, through
    jupytext's contents manager (what `make lab` runs), after ``edit(notebook)``."""
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(root))
    notebook = manager.get(path)["content"]
    edit(notebook)
    manager.save({"type": "notebook", "format": "json", "content": notebook}, path)


def _run_all(notebook) -> None:
    """What "Run all" leaves behind: outputs, counts, widget state, kernel and cell metadata."""
    count = 0
    for cell in notebook.cells:
        cell.metadata["jp-MarkdownHeadingCollapsed"] = True
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
        cell.metadata["scrolled"] = True
        cell.outputs = [
            nbformat.v4.new_output("stream", name="stdout", text="Leeds\n"),
            nbformat.v4.new_output(
                "display_data", data={"text/html": "<p>85</p>", "image/png": "iVBORw0KGgo="}
            ),
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": "1"}, execution_count=count
            ),
        ]
    notebook.metadata["language_info"] = {
        "name": "python",
        "version": "3.11.7",
        "codemirror_mode": {"name": "ipython", "version": 3},
    }
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {},
            "version_major": 2,
            "version_minor": 0,
        }
    }


def _set_area(notebook, area: str) -> None:
    cell = notebook.cells[1]
    assert "parameters" in cell.metadata["tags"]
    cell.source = cell.source.replace('area: str = "Dudley"', f'area: str = "{area}"', 1)


def test_a_lab_save_after_run_all_strips_back_to_the_committed_files(tmp_path):
    root = _checkout(tmp_path)
    saved = [root / "notebooks" / f"{name}.ipynb" for name in ALL_NOTEBOOKS]
    for name, path in zip(ALL_NOTEBOOKS, saved):
        _lab_save(root, f"notebooks/{name}.ipynb", _run_all)
        assert b'execution_count": 1' in path.read_bytes(), name  # the save wrote outputs
        # the reviewed .py never gets outputs nor what Lab adds to cells and notebook
        assert (
            path.with_suffix(".py").read_bytes()
            == (config.NOTEBOOKS_DIR / f"{name}.py").read_bytes()
        ), name
    subprocess.run(_hook("nbstripout") + [str(p) for p in saved], check=True)
    for name, path in zip(ALL_NOTEBOOKS, saved):
        assert path.read_bytes() == (config.NOTEBOOKS_DIR / f"{name}.ipynb").read_bytes(), name


def test_a_lab_save_with_a_changed_default_fails_clearly(tmp_path):
    root = _checkout(tmp_path)
    _lab_save(root, "notebooks/trends.ipynb", lambda nb: (_run_all(nb), _set_area(nb, "Leeds")))
    saved = root / "notebooks" / "trends.ipynb"
    subprocess.run(_hook("nbstripout") + [str(saved)], check=True)
    # no outputs are left, but a changed default cannot be stripped: the check names it
    assert json.loads(saved.read_text())["cells"][1]["outputs"] == []
    assert 'area: str = "Leeds"' in (root / "notebooks" / "trends.py").read_text()
    changed = changed_defaults(root / "notebooks")
    assert len(changed) == 1
    assert changed[0].startswith(
        "notebooks/trends: the default of 'area' is 'Leeds', reviewed 'Dudley'."
    )
    assert "make lab" in changed[0] and "git checkout notebooks/trends.*" in changed[0]


def test_make_scratch_copies_the_notebooks_unpaired_and_keeps_an_analyst_s_copy(tmp_path):
    root = _checkout(tmp_path)
    scratch = root / "scratch"
    make = [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed-stamp",
        "scratch",
        f"SCRATCH={scratch}",
    ]
    first = subprocess.run(make, cwd=config.PROJ_ROOT, capture_output=True, text=True, check=True)
    assert sorted(p.name for p in scratch.iterdir()) == sorted(f"{n}.ipynb" for n in ALL_NOTEBOOKS)
    for name in ALL_NOTEBOOKS:
        copy = json.loads((scratch / f"{name}.ipynb").read_text())
        assert "formats" not in copy["metadata"].get("jupytext", {})  # unpaired
        assert [c["source"] for c in copy["cells"]] == [c["source"] for c in _ipynb(name)["cells"]]
        assert f"copied notebooks/{name}.ipynb" in first.stdout
    # saved in Lab, a copy writes itself only: no .py beside it, nothing under notebooks/
    _lab_save(root, "scratch/trends.ipynb", lambda nb: (_run_all(nb), _set_area(nb, "Leeds")))
    assert sorted(p.name for p in scratch.iterdir() if p.is_file()) == sorted(
        f"{n}.ipynb" for n in ALL_NOTEBOOKS
    )
    assert (root / "notebooks" / "trends.py").read_bytes() == (
        config.NOTEBOOKS_DIR / "trends.py"
    ).read_bytes()
    # the analyst's work is kept by the next make lab
    again = subprocess.run(make, cwd=config.PROJ_ROOT, capture_output=True, text=True, check=True)
    assert 'area: str = \\"Leeds\\"' in (scratch / "trends.ipynb").read_text()
    assert f"kept {scratch}/trends.ipynb" in again.stdout
