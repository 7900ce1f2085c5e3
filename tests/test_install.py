"""perf installed from its wheel, not run from a checkout: the wheel is built from the
repository's sources, installed into a fresh virtual environment (the locked versions, from
uv's cache when it holds them all), and a briefing is rendered from a folder outside the
checkout with PERF_DATA_DIR pointing at the data.

On main before issue 28 an installed perf could not render ("no notebook 'briefing'"): the
notebooks were not in the wheel and perf looked for them beside site-packages.

About 2-3 minutes (marked ``install``; it runs in `make test`): the build 5-15 s, the install
5-10 s from uv's cache, and one briefing on a cold cache (the whole LAIT file parsed) about
90 s and a trends page 30 s on this two-core machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perf import config

pytestmark = pytest.mark.install

UV = Path(sys.executable).with_name("uv")
#: What the wheel is built from (a copy, so the build writes nothing into the checkout).
SOURCES = ("pyproject.toml", "setup.py", "README.md", "uv.lock", "perf", "notebooks")


def _uv(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(UV), *args], cwd=cwd, capture_output=True, text=True)


def _offline_first(*args: str, cwd: Path) -> None:
    """``uv args --offline``, from uv's cache; when the cache lacks a package, online."""
    done = _uv(*args, "--offline", cwd=cwd)
    if done.returncode != 0:
        done = _uv(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with perf installed from its wheel; its bin folder."""
    if not UV.exists():
        pytest.skip("uv is not in this environment (make setup installs it)")
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    source.mkdir()
    for name in SOURCES:
        path = config.PROJ_ROOT / name
        if path.is_dir():
            # the notebooks' .py pairs are for reviewers; the wheel ships the .ipynb
            skip = ["__pycache__", "*.pyc"] + (["*.py"] if name == "notebooks" else [])
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns(*skip))
        else:
            shutil.copy2(path, source / name)
    # the sdist first, the wheel from it (uv build's way): the sdist must carry the notebooks
    _offline_first("build", "-q", "-o", str(root / "dist"), str(source), cwd=root)
    (wheel,) = (root / "dist").glob("perf-*.whl")
    requirements = root / "requirements.txt"
    done = _uv(
        "export", "--frozen", "--no-emit-project", "--no-hashes", "--no-dev", "-q",
        "-o", str(requirements), cwd=source,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    venv = root / "venv"
    done = _uv("venv", "-q", str(venv), "--python", sys.executable, cwd=root)
    assert done.returncode == 0, done.stderr
    _offline_first(
        "pip", "install", "-q", "--python", str(venv / "bin" / "python"),
        "-r", str(requirements), str(wheel), cwd=root,
    )  # fmt: skip
    return venv / "bin"


def _perf(bin_dir: Path, work: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PERF_", "PYTHON", "VIRTUAL"))}
    return subprocess.run(
        [str(bin_dir / "perf"), *args],
        cwd=work,
        env=base | {"PERF_CACHE_DIR": str(work.parent / "cache")} | env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_wheel_carries_the_notebooks_and_the_type_marker(installed):
    package = next(installed.parent.glob("lib/python*/site-packages/perf"))
    shipped = sorted(p.name for p in (package / "notebooks").iterdir())
    assert shipped == sorted(p.name for p in config.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert (package / "py.typed").is_file()
    assert (package / "style" / "perf.mplstyle").is_file()


def test_an_installed_perf_renders_a_briefing_outside_the_checkout(installed, tmp_path):
    work = tmp_path / "committee"
    work.mkdir()
    data = {"PERF_DATA_DIR": str(config.DATA_DIR)}

    params = _perf(installed, work, "params", "briefing", **data)
    assert params.returncode == 0, params.stderr
    assert "area" in params.stdout and "'Dudley'" in params.stdout

    done = _perf(installed, work, "render", "briefing", "--area", "Dudley", **data)
    assert done.returncode == 0, done.stderr[-3000:]
    html = work / "outputs" / "2024-25" / "Dudley" / "briefing.html"
    assert html.is_file(), done.stdout
    page = html.read_text(encoding="utf-8")
    assert "Children's services performance briefing: Dudley, 2024-25" in page
    assert (work / "outputs" / "index.html").is_file()

    # a notebook given by its path (the user's own copy, outside any checkout)
    own = work / "mytrends.ipynb"
    shutil.copy2(config.NOTEBOOKS_DIR / "trends.ipynb", own)
    done = _perf(installed, work, "render", str(own), "--area", "Dudley", **data)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (work / "outputs" / "2024-25" / "Dudley" / "mytrends.html").is_file()


def test_an_installed_perf_without_data_names_perf_data_dir(installed, tmp_path):
    work = tmp_path / "nodata"
    work.mkdir()
    done = _perf(installed, work, "render", "briefing")
    assert done.returncode == 2
    assert "PERF_DATA_DIR" in done.stderr and "Traceback" not in done.stderr
    assert not (work / "outputs").exists()


def test_an_installed_perf_without_the_extras_names_the_one_to_install(installed, tmp_path):
    # the locked requirements above carry no extra: no pikepdf, Playwright, python-docx or
    # distributed (issue 28 item 4); HTML renders (above), a format or --cluster says which
    # extra it needs, before anything runs
    work = tmp_path / "noextras"
    work.mkdir()
    data = {"PERF_DATA_DIR": str(config.DATA_DIR)}
    for args, extra in (
        (("render", "briefing", "--to", "html,docx"), "docx"),
        (("render", "briefing", "--to", "pdf"), "pdf"),
    ):
        done = _perf(installed, work, *args, **data)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        assert f'pip install "perf[{extra}]"' in done.stderr
    schedule = work / "schedule.yaml"
    schedule.write_text("notebooks: [briefing]\nperiods: ['2024-25']\nareas: [Dudley]\n")
    done = _perf(installed, work, "batch", str(schedule), "--cluster", "local", **data)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert 'pip install "perf[dask]"' in done.stderr
    assert not list(work.glob("outputs/*/*/*.html"))
