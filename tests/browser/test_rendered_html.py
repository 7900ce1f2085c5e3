"""The rendered briefings, opened the way committee members open them: from a shared folder
(file://), printed to A4, read with a screen reader, on a desktop and on a phone.

Every notebook is rendered once per session with small parameters into a temporary outputs
root (see the ``rendered`` fixture); each test opens one page in the shared Chromium.
Set PERF_BROWSER_RENDERED=DIR to test an outputs root rendered earlier instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .browser_checks import (
    check_axe,
    check_charts_fit_printed_page,
    check_images,
    check_local_links,
    check_no_console_errors,
    check_no_external_requests,
    check_pdf,
    check_reflows_at_phone_width,
    check_status_not_colour_alone,
    check_tables,
    check_tables_fit_the_page,
    check_toc_links,
)

pytestmark = pytest.mark.browser

PROJ_ROOT = Path(__file__).resolve().parents[2]
AREA = "Dudley"
PERIOD = "2024-25"
NOTEBOOKS = ["briefing", "trends", "quarter_comparison"]
PAGES = [*NOTEBOOKS, "index"]
RENDER_TIMEOUT_S = 600
# Small parameters beyond area and period (the briefing's defaults are already one area).
EXTRA_PARAMETERS = {"trends": ["-p", "years=5"]}


def _render(notebook: str, out: Path) -> str | None:
    """Render one notebook into ``out``; the error report if it failed, else None."""
    command = [
        sys.executable,
        "-m",
        "perf",
        "render",
        notebook,
        "--area",
        AREA,
        "--period",
        PERIOD,
        "--out",
        str(out),
        *EXTRA_PARAMETERS.get(notebook, []),
    ]
    done = subprocess.run(
        command,
        cwd=PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=RENDER_TIMEOUT_S,
        check=False,  # a failed render is reported by the tests of that page
    )
    if done.returncode != 0:
        return (
            f"rendering failed (exit {done.returncode}): {' '.join(command)}\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return None


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Path | str]:
    """Page name -> its HTML file, or why there is none (a failed render fails only its tests).

    Each notebook is rendered once, one after another (each render refreshes index.html,
    which is tested after all of them).
    """
    given = os.environ.get("PERF_BROWSER_RENDERED")
    root = Path(given).resolve() if given else tmp_path_factory.mktemp("outputs")
    pages: dict[str, Path | str] = {}
    for notebook in NOTEBOOKS:
        error = None if given else _render(notebook, root)
        found = sorted(root.glob(f"{PERIOD}/*/{notebook}.html"))
        pages[notebook] = error or (
            found[0] if found else f"no {PERIOD}/<area>/{notebook}.html under {root}"
        )
    index = root / "index.html"
    pages["index"] = index if index.exists() else f"no index.html under {root}"
    return pages


@pytest.fixture(params=PAGES)
def page_name(request) -> str:
    return request.param


@pytest.fixture
def html_path(rendered, page_name) -> Path:
    path = rendered[page_name]
    if isinstance(path, str):
        pytest.fail(path, pytrace=False)
    return path


@pytest.fixture
def loaded(open_html, html_path):
    return open_html(html_path)


def _assert_none(problems: list[str]) -> None:
    assert problems == [], "\n".join(problems)


def test_no_request_leaves_file_or_data(loaded):
    _assert_none(check_no_external_requests(loaded))


def test_no_console_errors(loaded):
    _assert_none(check_no_console_errors(loaded))


def test_images_decoded_with_alt_text(loaded):
    _assert_none(check_images(loaded))


def test_tables_have_captions_and_header_cells(loaded):
    _assert_none(check_tables(loaded))


def test_contents_links_reach_their_sections(loaded, page_name):
    _assert_none(check_toc_links(loaded, require_toc=page_name != "index"))


def test_local_links_point_at_files_that_exist(loaded):
    _assert_none(check_local_links(loaded))


def test_prints_to_a4_pdf(loaded, tmp_path):
    _assert_none(check_pdf(loaded, out=tmp_path / "print.pdf"))


def test_no_chart_cut_across_printed_pages(loaded):
    _assert_none(check_charts_fit_printed_page(loaded))


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_or_critical_wcag22_aa_violations(open_html, html_path, width, axe_path):
    # At phone width too: tables that fit a desktop become scroll regions on a phone, and a
    # scroll region a keyboard cannot reach is a serious violation (scrollable-region-focusable).
    _assert_none(check_axe(open_html(html_path, width=width), axe_path))


@pytest.mark.parametrize("print_media", [False, True], ids=["1280px", "A4"])
def test_no_table_runs_past_the_page(open_html, rendered, print_media):
    # issue 25: on main the 19-column matrix scrolled sideways at 1280 px and was sliced
    # over 8 printed pages
    path = rendered["briefing"]
    if isinstance(path, str):
        pytest.fail(path, pytrace=False)
    _assert_none(check_tables_fit_the_page(open_html(path, width=1280), print_media=print_media))


def test_status_by_symbol_and_word_not_colour_alone(loaded, page_name):
    _assert_none(check_status_not_colour_alone(loaded, require_status=page_name == "briefing"))


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshot(open_html, html_path, page_name, width, screenshot_dir, record_screenshot):
    """Full-page screenshots for human review, named in the terminal summary."""
    loaded = open_html(html_path, width=width, height=844 if width == 390 else 900)
    stem = "index" if page_name == "index" else f"{page_name}-{PERIOD}-{AREA}"
    path = screenshot_dir / f"{stem}-{width}px.png"
    path.unlink(missing_ok=True)
    loaded.page.screenshot(path=str(path), full_page=True)
    record_screenshot(path)
    assert path.stat().st_size > 10_000, f"{path} is too small to show the page"


def test_reflows_at_phone_width(open_html, html_path):
    """On a 390 px phone the page never scrolls sideways (WCAG 1.4.10 reflow)."""
    _assert_none(check_reflows_at_phone_width(open_html(html_path, width=390, height=844)))
