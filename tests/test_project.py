"""Project-level promises: one source of truth for dependencies, a self-documenting Makefile."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
import yaml

from perf.config import PROJ_ROOT


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement string ('pandas>=2.1' -> 'pandas')."""
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> set[str]:
    project = tomllib.loads((PROJ_ROOT / "pyproject.toml").read_text())["project"]
    names = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        names |= {_name(r) for r in extra}
    return names


def _environment_names() -> set[str]:
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    names: set[str] = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            names |= {_name(r) for r in dep.get("pip", []) if not r.startswith("-")}
        else:
            names.add(_name(dep))
    return names - {"python", "pip", "nodejs"}


def test_environment_yml_lists_exactly_the_pyproject_dependencies():
    in_pyproject, in_environment = _pyproject_names(), _environment_names()
    assert in_pyproject - in_environment == set(), "missing from environment.yml"
    assert in_environment - in_pyproject == set(), "in environment.yml but not pyproject.toml"


def test_name_normalisation_catches_a_difference():
    assert _name("great_tables>=0.13") == "great-tables"
    assert {_name("pandas>=2")} != {_name("pandera>=0.2")}


def test_make_help_lists_every_target_with_a_description():
    makefile = (PROJ_ROOT / "Makefile").read_text()
    declared = set(re.findall(r"^([a-zA-Z][\w-]*):", makefile, flags=re.M))
    documented = set(re.findall(r"^([a-zA-Z][\w-]*):.*## ", makefile, flags=re.M))
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, flags=re.M).group(1).split())
    assert {"setup", "briefing", "batch", "lab", "test", "bench", "lint", "clean"} <= documented
    assert phony <= declared, "a .PHONY target without a rule"
    printed = subprocess.run(
        ["make", "--no-print-directory", "help"],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for target in documented:
        assert f"make {target}" in printed


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJ_ROOT / ".ci" / "run").read_text()
    readme = (PROJ_ROOT / "README.md").read_text()
    assert "make briefing" in readme and "make test" in readme


@pytest.mark.parametrize("target", ["setup", "briefing", "batch", "test", "bench"])
def test_an_edited_module_is_compiled_before_the_target_runs(target):
    # PYTHONDONTWRITEBYTECODE is set: without perf's bytecode every process compiles perf's
    # modules again (0.2-0.3 s a kernel, a worker, a render)
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-W", "perf/config.py", target],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m compileall -q perf" in dry


def test_make_test_runs_every_check_of_make_lint_first():
    # CI runs `make test` only: the layers, the formatting and the types are checked there
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "-W", "pyproject.toml", "test"],
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    checks = [
        "ruff check perf tests bench",
        "ruff format --check perf tests bench",
        "lint-imports",
        "mypy perf",
    ]
    at = [dry.find(check) for check in checks]
    assert -1 not in at, dry
    assert max(at) < dry.find("-m pytest")
