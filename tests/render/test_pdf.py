"""perf.render.pdf and the print stylesheet: the committee PDF, read back.

The real briefings (Dudley 2024-25 with its charts; Dudley 2012-13 Q1 with long scorecard
and key-activity tables, the case that printed empty table stubs) are rendered once with
``--to html,pdf`` and every check in pdf_checks.py runs on both. Each check then meets a PDF
broken in the one way it looks for (printed by Chromium from a small page written here, or
edited with pikepdf), which proves it can fail.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
import pytest

from perf.charts.shapes import FONT
from perf.charts.spine_layout import WIDTH as SPINE_WIDTH
from perf.charts.style import PNG_DPI, TYPE
from perf.errors import RenderError
from perf.render import pdf as pdf_module
from perf.render.html import page_html, screen_css
from perf.render.registry import DocumentInfo, validate_parameters

from . import pdf_checks as checks

EPOCH = "1750000000"  # 15 June 2025 15:06:40 UTC
WHEN = datetime(2025, 6, 15, 15, 6, 40, tzinfo=timezone.utc)
AUTHOR = "Performance and Intelligence Team"
BRIEFINGS = {
    "2024-25": {"area": "Dudley", "period": "2024-25"},
    "2012-13 Q1": {"area": "Dudley", "period": "2012-13 Q1"},
}
#: sha256 of the page's CSS as screen media applies it, as it was before the print
#: stylesheet was extended (commit d903455): the page on screen must not change.
SCREEN_CSS_SHA256 = "1b195bbf78a4cf15750955f822856e09d7e494f649b2f5a124d60dfe686206a3"


# --- without a browser ---------------------------------------------------------------------


def test_screen_css_is_unchanged_by_the_print_stylesheet():
    page = page_html("Children's services performance briefing: Dudley, 2024-25", "<p>x</p>")
    assert hashlib.sha256(screen_css(page).encode()).hexdigest() == SCREEN_CSS_SHA256
    assert "@top-left" in page and "counter(pages)" in page  # ...and print has its own rules


def test_screen_css_check_sees_a_change_outside_print():
    page = page_html("T", "<p>x</p>").replace("<style>", "<style>p { color: red }", 1)
    assert hashlib.sha256(screen_css(page).encode()).hexdigest() != SCREEN_CSS_SHA256


def test_running_title_cannot_break_out_of_the_style_element():
    page = page_html('A "quoted" </style><script>x</script> title', "<p>x</p>")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    assert "<script>" not in style and "</style" not in style.lower()


def test_missing_chromium_is_a_clear_error_naming_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "CHROMIUM_PATH", tmp_path / "no-chromium")
    with pytest.raises(RenderError, match="apt-get install chromium") as caught:
        pdf_module.require_chromium()
    assert "make browser-deps" in str(caught.value)


def test_render_refuses_pdf_without_chromium_before_any_kernel_starts(monkeypatch, tmp_path):
    from perf.render import api, runner

    monkeypatch.setattr(pdf_module, "CHROMIUM_PATH", tmp_path / "no-chromium")
    monkeypatch.setattr(runner.Renderer, "__init__", lambda *a, **k: pytest.fail("started"))
    with pytest.raises(RenderError, match="Chromium"):
        api.render(
            "briefing",
            area="Dudley",
            period="2024-25",
            formats="html,pdf",
            out=tmp_path,
            use_runner=False,
        )


def test_cli_reports_missing_chromium_in_one_line(monkeypatch, tmp_path, capsys):
    from perf import cli

    monkeypatch.setattr(pdf_module, "CHROMIUM_PATH", tmp_path / "no-chromium")
    code = cli.main(["render", "briefing", "--to", "html,pdf", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "apt-get install chromium" in err


# --- the real briefings ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def printer():
    if not pdf_module.CHROMIUM_PATH.exists():
        pytest.fail(f"{pdf_module.CHROMIUM_PATH} not found: run `make browser-deps`", pytrace=False)
    with pdf_module.PdfPrinter() as p:
        yield p


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """Each briefing rendered once with --to html,pdf (one warm kernel)."""
    from perf.render.index import write_index
    from perf.render.runner import Renderer

    out = tmp_path_factory.mktemp("outputs")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        results = {}
        with Renderer() as renderer:
            renderer.prepare(("html", "pdf"))
            for key, params in BRIEFINGS.items():
                result = renderer.run(
                    "briefing", validate_parameters("briefing", params), out=out, formats="html,pdf"
                )
                assert result.status == "ok", result.error
                results[key] = result
        write_index(out)
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    return out, results


def _page(result) -> str:
    return Path(result.html).read_text(encoding="utf-8")


def _title(page: str) -> str:
    return html_lib.unescape(re.search(r"<title>(.*?)</title>", page).group(1))


def _h2(page: str) -> list[str]:
    return [
        html_lib.unescape(re.sub(r"<[^>]+>", "", h)).strip()
        for h in re.findall(r"<h2\b[^>]*>(.*?)</h2>", page, re.DOTALL)
    ]


def _checks(result, tmp_path):
    page, pdf = _page(result), Path(result.outputs["pdf"])
    return {
        "tagged": lambda: checks.check_tagged(pdf),
        "outline": lambda: checks.check_outline(pdf, _h2(page)),
        "language": lambda: checks.check_language(pdf),
        "metadata": lambda: checks.check_metadata(pdf, _title(page), AUTHOR),
        "fonts": lambda: checks.check_fonts_embedded(pdf),
        "figures": lambda: checks.check_figures_have_alt(pdf),
        "a4": lambda: checks.check_a4_portrait(pdf),
        "text size": lambda: checks.check_min_text_size(pdf, 12),
        "header and footer": lambda: checks.check_running_header_footer(pdf, _title(page)),
        "untagged": lambda: checks.check_untagged_content(pdf),
        "stubs": lambda: checks.check_no_table_stubs(pdf),
        "headers repeat": lambda: checks.check_table_headers_repeat(pdf),
        "charts": lambda: checks.check_charts_on_one_page(pdf),
        "blank pages": lambda: checks.check_pages_not_blank(pdf, tmp_path / "pages"),
    }


CHECK_NAMES = [
    "tagged",
    "outline",
    "language",
    "metadata",
    "fonts",
    "figures",
    "a4",
    "text size",
    "header and footer",
    "untagged",
    "stubs",
    "headers repeat",
    "charts",
    "blank pages",
]


@pytest.mark.browser
@pytest.mark.parametrize("briefing", list(BRIEFINGS))
@pytest.mark.parametrize("check", CHECK_NAMES)
def test_briefing_pdf_passes(packs, briefing, check, tmp_path):
    _, results = packs
    assert _checks(results[briefing], tmp_path)[check]() == []


@pytest.mark.browser
def test_briefing_pdf_is_named_for_the_committee_system_and_recorded(packs):
    out, results = packs
    result = results["2012-13 Q1"]
    pdf = Path(result.outputs["pdf"])
    assert pdf == out / "2012-13_Q1" / "Dudley" / (
        "Dudley_2012-13_Q1_childrens_services_performance.pdf"
    )
    assert pdf.read_bytes().startswith(b"%PDF-")
    record = json.loads((Path(result.html).parent / "briefing.run.json").read_text())
    assert record["pdf"] == str(pdf) and record["formats"] == ["html", "pdf"]
    index = (out / "index.html").read_text()
    assert 'href="2012-13_Q1/Dudley/Dudley_2012-13_Q1_childrens_services_performance.pdf"' in index
    assert not list(pdf.parent.glob(".*.tmp"))


@pytest.mark.browser
def test_the_pdf_read_back_check_passes_a_briefing_and_fails_a_broken_file(packs):
    from perf.render.formats import check_output

    _, results = packs
    data = Path(results["2024-25"].outputs["pdf"]).read_bytes()
    check_output("pdf", data)
    with pytest.raises(RenderError, match="cannot be read back"):
        check_output("pdf", data[: len(data) // 3])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root.StructTreeRoot
        del pdf.Root.Lang
        untagged = io.BytesIO()
        pdf.save(untagged)
    with pytest.raises(RenderError, match="it is not tagged .*; it has no language"):
        check_output("pdf", untagged.getvalue())


@pytest.mark.browser
def test_headline_sentences_are_extractable_text(packs):
    _, results = packs
    page = _page(results["2024-25"])
    # At a glance's sentences (the headline sentences that repeated the table are gone)
    glance = page.split('<h2 id="at-a-glance">', 1)[1].split('<figure class="perf-chart', 1)[0]
    sentences = [
        html_lib.unescape(re.sub(r"<[^>]+>", "", p)).strip()
        for p in re.findall(r"<p>(.*?)</p>", glance, re.DOTALL)
    ]
    assert len(sentences) == 3  # the tally's lead, Ofsted, the standing
    assert checks.check_text_extractable(Path(results["2024-25"].outputs["pdf"]), sentences) == []


@pytest.mark.browser
def test_same_page_gives_the_same_pdf_bytes(packs, printer):
    _, results = packs
    page = _page(results["2024-25"])
    info = DocumentInfo(_title(page), AUTHOR, "", "en-GB", WHEN)
    assert printer.print_pdf(page, info) == printer.print_pdf(page, info)


# --- broken PDFs: every check can fail ----------------------------------------------------------


def _png(width=400, height=250) -> str:
    from PIL import Image  # matplotlib's Pillow

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (29, 112, 184)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


TITLE = "Fixture report: Dudley, 2024-25"
INFO = DocumentInfo(TITLE, AUTHOR, "", "en-GB", WHEN)


def _good_body() -> str:
    return (
        f"<h1>{TITLE}</h1><h2 id='one'>One</h2><p>The first paragraph says something.</p>"
        "<ul><li>An item</li><li>Another item</li></ul>"
        "<table><caption>A table</caption><thead><tr><th scope='col'>Area</th>"
        "<th scope='col'>Value</th></tr></thead><tbody><tr><th scope='row'>Dudley</th>"
        "<td>81</td></tr></tbody></table>"
        f"<h2 id='two'>Two</h2><figure><img alt='A blue rectangle' src='{_png()}'>"
        "<figcaption>A caption</figcaption></figure>"
    )


def _house(body: str) -> str:
    return page_html(TITLE, body)


def _bare(body: str, css: str = "", lang: str = ' lang="en-GB"') -> str:
    return (
        f"<!DOCTYPE html><html{lang}><head><meta charset='utf-8'><title>{TITLE}</title>"
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def _write(tmp_path: Path, data: bytes, name: str = "fixture.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def good_pdf(printer, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("good") / "good.pdf"
    path.write_bytes(printer.print_pdf(_house(_good_body()), INFO))
    return path


@pytest.mark.browser
def test_the_good_fixture_passes_every_check(good_pdf, tmp_path):
    assert checks.check_tagged(good_pdf) == []
    assert checks.check_outline(good_pdf, ["One", "Two"]) == []
    assert checks.check_language(good_pdf) == []
    assert checks.check_metadata(good_pdf, TITLE, AUTHOR) == []
    assert checks.check_fonts_embedded(good_pdf) == []
    assert checks.check_figures_have_alt(good_pdf) == []
    assert checks.check_text_extractable(good_pdf, ["The first paragraph says something."]) == []
    assert checks.check_a4_portrait(good_pdf) == []
    assert checks.check_min_text_size(good_pdf) == []
    assert checks.check_running_header_footer(good_pdf, TITLE) == []
    assert checks.check_untagged_content(good_pdf) == []
    assert checks.check_pages_not_blank(good_pdf, tmp_path) == []


@pytest.mark.browser
def test_untagged_pdf_fails_the_tagging_and_figure_checks(printer, tmp_path):
    path = _write(tmp_path, printer.print_raw(_house(_good_body()), tagged=False))
    assert any("not marked as tagged" in p for p in checks.check_tagged(path))
    assert any("no structure tree" in p for p in checks.check_tagged(path))
    assert checks.check_figures_have_alt(path) != []


@pytest.mark.browser
def test_pdf_without_outline_or_with_other_sections_fails(printer, good_pdf, tmp_path):
    path = _write(tmp_path, printer.print_raw(_house(_good_body()), outline=False))
    assert checks.check_outline(path, ["One", "Two"]) == ["the PDF has no outline (bookmarks)"]
    assert checks.check_outline(good_pdf, ["One", "Three"]) != []


@pytest.mark.browser
def test_pdf_without_language_fails(printer, tmp_path):
    path = _write(tmp_path, printer.print_raw(_bare(_good_body(), lang="")))
    assert checks.check_language(path) == ["/Lang is 'en-US', not 'en-GB'"]  # Chromium's default


@pytest.mark.browser
def test_chromium_alone_fails_metadata_alt_text_and_artifacts_that_finish_pdf_fixes(
    printer, tmp_path
):
    raw = printer.print_raw(_house(_good_body()))
    path = _write(tmp_path, raw, "raw.pdf")
    assert any("/Author" in p for p in checks.check_metadata(path, TITLE, AUTHOR))
    assert any("has no alt text" in p for p in checks.check_figures_have_alt(path))
    assert checks.check_untagged_content(path) != []  # the running header and footer
    finished = _write(tmp_path, pdf_module.finish_pdf(raw, INFO), "finished.pdf")
    assert checks.check_metadata(finished, TITLE, AUTHOR) == []
    assert checks.check_figures_have_alt(finished) == []
    assert checks.check_untagged_content(finished) == []


@pytest.mark.browser
def test_fonts_not_embedded_fail(good_pdf, tmp_path):
    with pikepdf.open(good_pdf) as pdf:
        for page in pdf.pages:
            for _, font in page.obj.Resources.Font.items():
                for holder in [font, *font.get("/DescendantFonts", [])]:
                    descriptor = holder.get("/FontDescriptor")
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if descriptor is not None and key in descriptor:
                            del descriptor[key]
        pdf.save(tmp_path / "unembedded.pdf")
    assert any(
        "is not embedded" in p for p in checks.check_fonts_embedded(tmp_path / "unembedded.pdf")
    )


@pytest.mark.browser
def test_text_without_unicode_mapping_is_not_extractable(good_pdf, tmp_path):
    with pikepdf.open(good_pdf) as pdf:
        for page in pdf.pages:
            for _, font in page.obj.Resources.Font.items():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
        pdf.save(tmp_path / "no-unicode.pdf")
    assert (
        checks.check_text_extractable(
            tmp_path / "no-unicode.pdf", ["The first paragraph says something."]
        )
        != []
    )


@pytest.mark.browser
def test_letter_paper_fails_the_a4_check(printer, tmp_path):
    path = _write(
        tmp_path,
        printer.print_raw(_bare(_good_body()), prefer_css_page_size=False, format="Letter"),
    )
    assert any("not A4 portrait" in p for p in checks.check_a4_portrait(path))


@pytest.mark.browser
def test_small_text_fails(printer, tmp_path):
    body = _good_body() + "<p style='font-size: 9pt'>Small print.</p>"
    path = _write(tmp_path, printer.print_pdf(_house(body), INFO))
    assert any("9.0 pt" in p for p in checks.check_min_text_size(path))


@pytest.mark.browser
def test_page_without_running_header_and_page_numbers_fails(printer, tmp_path):
    body = _good_body().replace(f"<h1>{TITLE}</h1>", "<h1>Fixture</h1>")
    path = _write(tmp_path, printer.print_raw(_bare(body, "@page { size: A4; }")))
    problems = checks.check_running_header_footer(path, TITLE)
    assert any("does not show the title" in p for p in problems)
    assert any("Page 1 of" in p for p in problems)


def _long_table(rows: int = 8, row_height: str = "40mm") -> str:
    body = "".join(
        f"<tr><th scope='row'>Row {n}</th><td style='height: {row_height}'>Data {n}</td></tr>"
        for n in range(1, rows + 1)
    )
    return (
        "<table><caption>Key activities</caption><thead><tr><th scope='col'>Ref</th>"
        "<th scope='col'>Progress</th></tr></thead><tbody>" + body + "</tbody>"
        "<tfoot><tr><td colspan='2'>Status: a note</td></tr></tfoot></table>"
    )


#: A table taller than a page that may break (as great-tables' tables do, with their own
#: ``break-inside: auto``), starting near the foot of the first page.
STUB_BODY = (
    "<style>@media print { table { break-inside: auto !important; } }</style>"
    f"<h1>{TITLE}</h1><h2 id='a'>Activities</h2><div style='height: 190mm'></div>" + _long_table()
)
#: The print rules the house stylesheet had before: rows unbreakable, nothing keeping the
#: caption and header with the first row (how two Dudley pages printed empty stubs).
OLD_TABLE_RULES = (
    "<style>@media print { caption, thead, thead tr { break-after: auto "
    "!important; } tbody tr:first-child, tfoot tr { break-before: auto "
    "!important; } tfoot { display: table-footer-group !important; } }</style>"
)


@pytest.mark.browser
def test_table_stub_is_caught_and_the_print_stylesheet_prevents_it(printer, tmp_path):
    broken = _write(
        tmp_path, printer.print_pdf(_house(OLD_TABLE_RULES + STUB_BODY), INFO), "stub.pdf"
    )
    problems = checks.check_no_table_stubs(broken)
    assert problems and problems[0].startswith("page 1: table #0")
    fixed = _write(tmp_path, printer.print_pdf(_house(STUB_BODY), INFO), "fixed.pdf")
    assert checks.check_no_table_stubs(fixed) == []
    assert checks.check_table_headers_repeat(fixed) == []


@pytest.mark.browser
def test_table_header_not_repeated_fails(printer, tmp_path):
    css = "<style>@media print { thead { display: table-row-group !important; } }</style>"
    path = _write(tmp_path, printer.print_pdf(_house(css + _long_table(12)), INFO))
    assert any(
        "continues without its header row" in p for p in checks.check_table_headers_repeat(path)
    )


@pytest.mark.browser
def test_chart_cut_across_pages_fails(printer, tmp_path):
    body = (
        f"<h1>{TITLE}</h1><div style='height: 100mm'></div><figure>"
        f"<img alt='A tall chart' src='{_png(400, 1000)}' style='width: 150mm'></figure>"
    )
    path = _write(tmp_path, printer.print_pdf(_bare(body, "@page { size: A4; }"), INFO))
    assert any("is cut across pages" in p for p in checks.check_charts_on_one_page(path))


@pytest.mark.browser
def test_blank_page_fails(printer, tmp_path):
    body = (
        "<p>Before.</p><div style='break-after: page'></div>"
        "<div style='break-before: page; break-after: page'></div><p>After.</p>"
    )
    path = _write(tmp_path, printer.print_pdf(_house(body), INFO))
    assert any("is blank" in p for p in checks.check_pages_not_blank(path, tmp_path / "png"))


# --- batches and schedules ------------------------------------------------------------------


def test_schedule_formats_key_is_validated_before_anything_runs():
    from perf.errors import ParameterError
    from perf.render.batch import parse_schedule

    base = {"notebooks": ["briefing"], "periods": ["2024-25"], "areas": ["Dudley"]}
    assert parse_schedule(base)[0].formats == ("html",)
    assert parse_schedule({**base, "formats": ["docx", "pdf"]})[0].formats == (
        "html",
        "pdf",
        "docx",
    )
    with pytest.raises(ParameterError, match="Did you mean: docx"):
        parse_schedule({**base, "formats": "html,docz"})


@pytest.mark.browser
def test_batch_writes_every_format_and_the_manifest_names_them(tmp_path):
    import csv

    from perf.render.batch import parse_schedule, run_batch

    jobs = parse_schedule(
        {
            "notebooks": ["briefing"],
            "periods": ["2024-25"],
            "areas": ["Dudley", "Leeds"],
            "formats": ["html", "pdf", "docx"],
        }
    )
    results = run_batch(jobs, out=tmp_path, workers=2, progress=False)
    assert [r["status"] for r in results] == ["ok", "ok"], [r["error"] for r in results]
    with open(tmp_path / "manifest.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [(r["area"], r["pdf"], r["docx"]) for r in rows] == [
        (
            area,
            f"2024-25/{area}/{area}_2024-25_childrens_services_performance.pdf",
            f"2024-25/{area}/{area}_2024-25_childrens_services_performance.docx",
        )
        for area in ("Dudley", "Leeds")
    ]
    index = (tmp_path / "index.html").read_text()
    for row in rows:
        assert (tmp_path / row["pdf"]).read_bytes().startswith(b"%PDF-")
        assert f'href="{row["pdf"]}"' in index and f'href="{row["docx"]}"' in index


# --- issue 25 item 4: a pack that prints ---------------------------------------------------

#: The most A4 pages a committee pack has before its annex (issue 25).
MAX_PAGES_BEFORE_ANNEX = 16


def _annex_page(texts: list[str]) -> int:
    """The 1-based page the annex starts on: its first heading opens the page (the contents
    list, which names it too, does not)."""
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if any(line.startswith("Annex A:") for line in lines[1:3]):  # after the running title
            return number
    raise AssertionError("no page opens with the annex's heading")


@pytest.mark.browser
def test_the_dudley_2024_25_pack_is_at_most_16_pages_before_the_annex(packs):
    # issue 25: on main the Dudley 2024-25 PDF was 44 pages and its summary on page 12
    _, results = packs
    texts = checks.page_texts(Path(results["2024-25"].outputs["pdf"]))
    before = _annex_page(texts) - 1
    assert before <= MAX_PAGES_BEFORE_ANNEX, before


@pytest.mark.browser
def test_the_first_page_is_at_a_glance_and_the_spine_chart_prints_legibly(packs):
    _, results = packs
    pdf = Path(results["2024-25"].outputs["pdf"])
    pages = [checks._normal(t) for t in checks.page_texts(pdf)]
    first = pages[0]
    assert "At a glance" in first
    for part in ("Better", "Improved most", "Worsened most", "Ofsted, October 2022"):
        assert part in first, part
    assert "About this report" not in first  # the cover follows the spine chart
    # the spine chart has the second page to itself, under its heading, printed at the size
    # it is drawn: 16 cm wide, so its smallest words (10 px of a 605 px drawing) are 7.5 pt,
    # the charts' type scale. Shrunk onto the first page (8.5 cm tall) they were 3.7 pt.
    assert "Dudley against every English council" in pages[1]
    assert "Latest figures up to 2024-25." in pages[1]
    assert "About this report" not in pages[1]
    with checks._open(pdf) as opened:
        figures = checks.structure_tree(opened).find("/Figure")
    assert any(f.pages == {2} for f in figures)
    ((width, px),) = [(w, px) for page, w, _, px in checks.image_sizes(pdf) if page == 2]
    assert px == round(SPINE_WIDTH * PNG_DPI / 96)  # the spine chart's picture
    smallest = (FONT - 1) * 0.75 * width / (SPINE_WIDTH * 0.75)  # px to pt, then scaled
    assert smallest >= TYPE["tick"] - 0.05, (width / 72 * 2.54, smallest)
