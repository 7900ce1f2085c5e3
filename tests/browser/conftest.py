"""Fixtures for the real-browser tests: one Chromium per session, one page per test.

Chromium is Debian's (/usr/bin/chromium) and axe-core comes from npm; both are installed by
``make browser-deps``. When either is missing the tests fail (not skip) and say so, because
CI must run them. Screenshots land in outputs/screenshots/ and their names are printed at
the end of the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .browser_checks import CHROMIUM_PATH, close_page, launch_chromium, open_page

PROJ_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = PROJ_ROOT / "node_modules" / "axe-core" / "axe.min.js"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCREENSHOTS = PROJ_ROOT / "outputs" / "screenshots"

_screenshots_written: list[Path] = []


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: drives Debian's Chromium through Playwright (needs `make browser-deps`)",
    )


def pytest_terminal_summary(terminalreporter):
    if not _screenshots_written:
        return
    terminalreporter.section("browser screenshots")
    for path in sorted(set(_screenshots_written)):
        try:
            shown = path.relative_to(PROJ_ROOT)
        except ValueError:
            shown = path
        terminalreporter.write_line(str(shown))


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright, shared by every browser test in the session."""
    if not CHROMIUM_PATH.exists():
        pytest.fail(
            f"{CHROMIUM_PATH} not found: the browser tests need Debian's Chromium. "
            "Run `make browser-deps` (apt-get install chromium) and try again.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE_PATH.exists():
        pytest.fail(
            f"{AXE_PATH.relative_to(PROJ_ROOT)} not found: the accessibility tests need axe-core "
            "from npm. Run `make browser-deps` (npm ci) and try again.",
            pytrace=False,
        )
    return AXE_PATH


@pytest.fixture
def open_html(chromium_browser):
    """Open a local HTML file in a fresh page: ``loaded = open_html(path, width=1280)``.

    Every page opened by a test is closed when the test ends.
    """
    opened = []

    def _open(path: Path, width: int = 1280, height: int = 900):
        loaded = open_page(chromium_browser, path, width=width, height=height)
        opened.append(loaded)
        return loaded

    yield _open
    for loaded in opened:
        close_page(loaded)


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def record_screenshot():
    """Register a written screenshot so its name is printed in the terminal summary."""
    return _screenshots_written.append
