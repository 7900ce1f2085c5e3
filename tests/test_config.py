"""perf.config: every path anchored at the project root, moved by two environment variables;
the one logger; the codes and mimetypes every layer shares."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from pathlib import Path

from perf import config
from perf.areas import find_area
from perf.periods import parse_period


def test_paths_are_anchored_at_the_project_root():
    root = Path(__file__).resolve().parents[1]
    assert config.PROJ_ROOT == root
    assert config.RAW_DIR == config.DATA_DIR / "raw"
    assert config.LOCAL_DIR == config.DATA_DIR / "local"
    assert config.CATALOGUE_FILE == config.DATA_DIR / "catalogue.csv"
    assert config.NOTEBOOKS_DIR == root / "notebooks" and config.TESTS_DIR == root / "tests"


def test_data_and_outputs_move_with_their_environment_variables(tmp_path):
    code = (
        "import json; from perf import config; print(json.dumps([str(config.DATA_DIR), "
        "str(config.RAW_DIR), str(config.LOCAL_DIR), str(config.OUTPUTS_DIR)]))"
    )
    env = {
        "PERF_DATA_DIR": str(tmp_path / "d"),
        "PERF_OUTPUTS_DIR": str(tmp_path / "o"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=config.PROJ_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == [
        str(tmp_path / "d"),
        str(tmp_path / "d" / "raw"),
        str(tmp_path / "d" / "local"),
        str(tmp_path / "o"),
    ]


def test_one_named_logger():
    assert config.get_logger() is logging.getLogger("perf") is config.get_logger()


def test_shared_codes_and_mimetypes():
    assert config.ENGLAND == "E92000001"
    assert config.SUPPRESSION_THRESHOLD == 5
    assert config.PROVENANCE_MIMETYPE != config.SHOWN_MIMETYPE
    assert all(
        m.startswith("application/vnd.perf.") and m.endswith("+json")
        for m in (config.PROVENANCE_MIMETYPE, config.SHOWN_MIMETYPE)
    )


def test_the_default_briefing_is_a_known_area_and_period():
    assert find_area(config.DEFAULT_AREA)["area_name"] == config.DEFAULT_AREA
    assert parse_period(config.DEFAULT_PERIOD).label == config.DEFAULT_PERIOD


def test_an_installed_perf_finds_its_packaged_notebooks_and_writes_where_it_runs(tmp_path):
    # perf/config.py as a wheel places it: in site-packages, with no checkout around it
    package = tmp_path / "site" / "perf"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    shutil.copy2(Path(config.__file__), package / "config.py")
    work = tmp_path / "work"
    work.mkdir()
    code = (
        "import json; from perf import config; print(json.dumps([config.IN_CHECKOUT, "
        "str(config.NOTEBOOKS_DIR), str(config.OUTPUTS_DIR), str(config.DATA_DIR)]))"
    )
    env = {"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    in_checkout, notebooks, outputs, data = json.loads(run.stdout)
    assert in_checkout is False
    assert notebooks == str(package.resolve() / "notebooks")
    assert outputs == str(work / "outputs")
    # no data of its own: perf.fileio.data_folder names PERF_DATA_DIR when it is missing
    assert data == str(package.resolve().parent / "data")
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=work,
        env=env | {"PERF_DATA_DIR": str(tmp_path / "d")},
        capture_output=True,
        text=True,
    )
    assert json.loads(run.stdout)[3] == str(tmp_path / "d")


def test_a_checkout_uses_its_own_notebooks_data_and_outputs():
    assert config.IN_CHECKOUT
    assert config.NOTEBOOKS_DIR == config.PROJ_ROOT / "notebooks"
    assert config.PACKAGE_DIR == config.PROJ_ROOT / "perf"
