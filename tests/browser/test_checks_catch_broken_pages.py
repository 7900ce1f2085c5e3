"""The browser checks can fail: each deliberately broken fixture trips the check made for it.

fixtures/good.html passes every check; every other fixture is a copy of it broken in one
way (its first comment says how). If a check stopped looking, the real-output tests would
pass for the wrong reason; these tests would then fail.
"""

from __future__ import annotations

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
    check_toc_links,
    run_axe,
)

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"

PAGE_CHECKS = {
    "no_external_requests": check_no_external_requests,
    "no_console_errors": check_no_console_errors,
    "images": check_images,
    "tables": check_tables,
    "toc_links": check_toc_links,
    "pdf": check_pdf,
    "charts_fit_printed_page": check_charts_fit_printed_page,
    "status_not_colour_alone": lambda loaded: check_status_not_colour_alone(
        loaded, require_status=True
    ),
}


@pytest.mark.parametrize("name", sorted(PAGE_CHECKS))
def test_good_fixture_passes(open_html, name):
    assert PAGE_CHECKS[name](open_html(FIXTURES / "good.html")) == []


def test_good_fixture_passes_axe(open_html, axe_path):
    # Not even minor violations: the model page is clean, so anything axe finds on a
    # broken copy is caused by the break.
    assert run_axe(open_html(FIXTURES / "good.html"), axe_path) == []


def test_good_fixture_reflows_at_phone_width(open_html):
    assert check_reflows_at_phone_width(open_html(FIXTURES / "good.html", width=390)) == []


# (fixture, check, a phrase the problem must contain)
BROKEN = [
    ("missing_alt", check_images, "has no alt text"),
    ("external_script", check_no_external_requests, "https://cdn.jsdelivr.net/npm/mathjax"),
    ("external_script", check_no_console_errors, "Failed to load resource"),
    ("broken_toc", check_toc_links, "#benchmarking"),
    ("table_without_caption", check_tables, "no <caption>"),
    ("table_without_caption", check_tables, "no header cells"),
    ("status_colour_only", check_status_not_colour_alone, "lacks a word"),
    ("chart_cut_across_pages", check_charts_fit_printed_page, "no break-inside: avoid"),
    ("chart_cut_across_pages", check_charts_fit_printed_page, "more than A4's printable"),
    ("undecodable_image", check_images, "did not decode"),
    ("script_error", check_no_console_errors, "uncaught"),
]


@pytest.mark.parametrize(
    ("fixture", "check", "phrase"),
    BROKEN,
    ids=[f"{fixture}-{phrase[:20]}" for fixture, _, phrase in BROKEN],
)
def test_broken_fixture_fails_its_check(open_html, fixture, check, phrase):
    problems = check(open_html(FIXTURES / f"{fixture}.html"))
    assert any(phrase in p for p in problems), f"{check.__name__} missed it; said {problems}"


@pytest.mark.parametrize(
    ("fixture", "rule"),
    [("low_contrast", "color-contrast"), ("missing_alt", "image-alt")],
)
def test_axe_fails_broken_fixture(open_html, axe_path, fixture, rule):
    problems = check_axe(open_html(FIXTURES / f"{fixture}.html"), axe_path)
    assert any(p.startswith(f"axe {rule} ") for p in problems), problems


def test_phone_width_check_catches_a_page_wider_than_the_screen(open_html):
    loaded = open_html(FIXTURES / "good.html", width=390)
    loaded.page.evaluate("document.body.style.minWidth = '900px'")
    assert check_reflows_at_phone_width(loaded) != []


def test_pdf_check_reports_a_failed_print(open_html):
    loaded = open_html(FIXTURES / "good.html")
    loaded.page.close()  # printing a closed page must be reported, not raised or ignored
    assert check_pdf(loaded)[0].startswith("page.pdf failed")


def test_status_check_finds_colour_only_cells_with_no_status_class(open_html):
    problems = check_status_not_colour_alone(open_html(FIXTURES / "status_colour_only.html"))
    assert len(problems) == 2, problems
    assert any("class=''" in p for p in problems), problems


def test_local_links_check_catches_a_link_to_a_missing_file(open_html):
    loaded = open_html(FIXTURES / "good.html")
    assert check_local_links(loaded) == []
    loaded.page.evaluate(
        """() => { const a = document.createElement('a');
                   a.href = '2024-25/Nowhere/briefing.html'; a.textContent = 'Nowhere';
                   document.body.append(a); }"""
    )
    assert "Nowhere/briefing.html" in check_local_links(loaded)[0]
