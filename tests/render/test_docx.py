"""perf.render.docx: the committee Word file, read back with python-docx.

The real briefings are rendered once with ``--to html,docx`` (no browser needed) and every
check in docx_checks.py runs on both; then each check meets a Word file broken in the one
way it looks for, which proves it can fail.
"""

from __future__ import annotations

import html as html_lib
import io
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from perf.render.docx import html_to_docx
from perf.render.registry import DocumentInfo, validate_parameters

from . import docx_checks as checks

EPOCH = "1750000000"
WHEN = datetime(2025, 6, 15, 15, 6, 40, tzinfo=timezone.utc)
AUTHOR = "Performance and Intelligence Team"
BRIEFINGS = {
    "2024-25": {"area": "Dudley", "period": "2024-25"},
    "2012-13 Q1": {"area": "Dudley", "period": "2012-13 Q1", "public": False},
}


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    """Each briefing rendered once with --to html,docx (one warm kernel): the public 2024-25
    edition with its charts, the internal 2012-13 Q1 edition with its long tables."""
    from perf.render.runner import Renderer

    out = tmp_path_factory.mktemp("outputs")
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        results = {}
        with Renderer() as renderer:
            renderer.prepare()
            for key, params in BRIEFINGS.items():
                result = renderer.run(
                    "briefing",
                    validate_parameters("briefing", params),
                    out=out,
                    formats=["html", "docx"],
                )
                assert result.status == "ok", result.error
                results[key] = result
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


@pytest.mark.parametrize("briefing", list(BRIEFINGS))
def test_briefing_docx_passes_every_check(packs, briefing):
    _, results = packs
    result = results[briefing]
    path, page = Path(result.outputs["docx"]), _page(result)
    # The page's own bold labels (the indicator names over each comment, perf.report's
    # priorities section) are reproduced as they are; anything else bold-only would fail.
    assert checks.check_headings(path, checks.bold_paragraphs(page)) == []
    assert checks.check_tables(path) == []
    assert checks.check_images_have_alt(path) == []
    assert checks.check_properties(path, _title(page), AUTHOR) == []
    assert checks.check_same_content(path, page) == []


def test_briefing_docx_has_the_cover_charts_tables_and_provenance(packs):
    out, results = packs
    result = results["2024-25"]
    assert Path(result.outputs["docx"]) == out / "2024-25" / "Dudley" / (
        "Dudley_2024-25_childrens_services_performance.docx"
    )
    document = docx.Document(result.outputs["docx"])
    text = "\n".join(p.text for p in document.paragraphs)
    cover = document.tables[0]
    assert [c.text for c in cover.rows[0].cells] == [
        "Report to",
        "Children's Services Scrutiny Committee",
    ]
    assert len(document.inline_shapes) == len(re.findall(r"<img\b", _page(result))) >= 7
    assert "How this report was produced" in text and "sha256" in text

    def caption(table) -> str:
        found = table._tbl.tblPr.find(qn("w:tblCaption"))
        return "" if found is None else found.get(qn("w:val"))

    # At a glance comes first (issue 25), then the cover and its last Ofsted inspection, then
    # the themes' table, one row per indicator; the full matrix stays in the CSV and XLSX
    captions = [caption(t) for t in document.tables[1:]]
    assert captions[0] == "Last Ofsted inspection of children's services in Dudley"
    assert captions[1] == "Performance by theme: Dudley, 2024-25"
    assert not any(c.startswith("Performance matrix") for c in captions)
    themes = document.tables[2]
    assert [c.text for c in themes.rows[0].cells][:2] == ["Indicator", "Latest"]
    assert len(themes.rows) > 29  # the core set's items, under their themes' rows
    record = json.loads((Path(result.html).parent / "briefing.run.json").read_text())
    assert record["docx"] == result.outputs["docx"] and record["pdf"] is None


def test_internal_edition_says_so_in_its_word_file(packs):
    _, results = packs
    text = "\n".join(
        p.text for p in docx.Document(results["2012-13 Q1"].outputs["docx"]).paragraphs
    )
    assert "internal" in text.lower() and "public = false" in text


def test_same_page_gives_the_same_bytes(packs):
    _, results = packs
    page = _page(results["2024-25"])
    info = DocumentInfo(_title(page), AUTHOR, "", "en-GB", WHEN)
    assert html_to_docx(page, info) == html_to_docx(page, info)


def test_numbered_lists_each_start_at_one():
    info = DocumentInfo("T", AUTHOR, "", "en-GB", WHEN)
    data = html_to_docx(
        "<main><h1>T</h1><ol><li>a</li><li>b</li></ol><p>x</p><ol><li>c</li></ol></main>", info
    )
    document = docx.Document(io.BytesIO(data))
    ids = [p._p.pPr.numPr.numId.val for p in document.paragraphs if p.text in "abc"]
    assert ids[0] == ids[1] != ids[2]


def test_a_cells_sparkline_stays_out_of_word_and_its_words_stay_in():
    # the themes' sparklines are inline SVG: Word cannot hold one, and its <title> (the name
    # a screen reader reads on the page) must not become stray text in the cell
    from perf.charts.sparkline import sparkline_svg

    svg = sparkline_svg([1, 2, 3], ["a", "b", "c"], polarity="high", unit="count", decimals=0)
    info = DocumentInfo("T", AUTHOR, "", "en-GB", WHEN)
    page = (
        "<main><h1>T</h1><table><caption>C</caption><thead><tr><th>Change</th></tr></thead>"
        f"<tbody><tr><td>Improved, from 2<br>{svg}</td></tr></tbody></table></main>"
    )
    document = docx.Document(io.BytesIO(html_to_docx(page, info)))
    cell = document.tables[0].rows[1].cells[0].text
    assert cell.strip() == "Improved, from 2" and "Rose" not in cell


def test_colspan_becomes_one_merged_cell():
    info = DocumentInfo("T", AUTHOR, "", "en-GB", WHEN)
    data = html_to_docx(
        "<main><h1>T</h1><table><caption>C</caption><thead><tr><th>a</th>"
        "<th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody>"
        "<tfoot><tr><td colspan='2'>note</td></tr></tfoot></table></main>",
        info,
    )
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [c.text for c in table.rows[2].cells] == ["note", "note"]  # one cell, two columns
    assert len(table.rows[2]._tr.findall(qn("w:tc"))) == 1


# --- broken Word files: every check can fail ----------------------------------------------


def _png() -> bytes:
    from PIL import Image  # matplotlib's Pillow

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 112, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def _save(document, tmp_path: Path, name: str = "broken.docx") -> Path:
    path = tmp_path / name
    document.save(path)
    return path


def test_fake_and_skipped_headings_fail(tmp_path):
    document = docx.Document()
    document.add_paragraph("Report", style="Heading 1")
    document.add_paragraph("Detail", style="Heading 3")
    document.add_paragraph().add_run("Looks like a heading").bold = True
    problems = checks.check_headings(_save(document, tmp_path))
    assert any("a level is skipped" in p for p in problems)
    assert any("looks like a heading" in p for p in problems)
    empty = docx.Document()
    empty.add_paragraph("No headings at all")
    assert checks.check_headings(_save(empty, tmp_path, "none.docx")) == [
        "no paragraph is in the Heading 1 style"
    ]


def test_table_without_repeating_header_or_alt_text_fails(tmp_path):
    document = docx.Document()
    document.add_table(rows=3, cols=2)  # python-docx's default: firstRow=1, nothing repeats
    problems = checks.check_tables(_save(document, tmp_path))
    assert any("not marked to repeat" in p for p in problems)
    assert any("no alt text" in p for p in problems)
    look = document.tables[0]._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "0")
    look.set(qn("w:firstColumn"), "0")
    assert any(
        "neither a header row nor row headers" in p
        for p in checks.check_tables(_save(document, tmp_path, "plain.docx"))
    )


def test_good_table_passes_the_table_check(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), "A table")
    table._tbl.tblPr.append(caption)
    assert checks.check_tables(_save(document, tmp_path)) == []


def test_picture_without_alt_text_fails(tmp_path):
    document = docx.Document()
    document.add_picture(io.BytesIO(_png()))
    assert checks.check_images_have_alt(_save(document, tmp_path)) == [
        "picture #0 ('Picture 1') has no alt text"
    ]


def test_default_properties_fail(tmp_path):
    problems = checks.check_properties(_save(docx.Document(), tmp_path), "T", AUTHOR)
    assert any("author" in p for p in problems) and any("title" in p for p in problems)
    assert any("language" in p for p in problems)
    assert any("default text language" in p for p in problems)


def test_content_out_of_order_fails(tmp_path):
    info = DocumentInfo("T", AUTHOR, "", "en-GB", WHEN)
    page = "<main><h1>T</h1><h2 id='a'>A</h2><h2 id='b'>B</h2></main>"
    path = tmp_path / "ok.docx"
    path.write_bytes(html_to_docx(page, info))
    assert checks.check_same_content(path, page) == []
    swapped = page.replace(">A<", ">X<").replace(">B<", ">A<").replace(">X<", ">B<")
    assert any(p.startswith("headings:") for p in checks.check_same_content(path, swapped))


TINY = Path(__file__).parents[1] / "fixtures" / "notebooks" / "tiny.ipynb"


def test_a_failed_run_and_an_html_only_run_keep_the_word_file_and_say_so(tmp_path):
    """A re-render without docx keeps the earlier Word file (issue 27 item 12: main deleted
    it without a word), says so in its log, and no longer lists it in the index, as it may
    not match the new HTML; a failed run keeps and lists the last good run's."""
    from perf.render.index import write_index
    from perf.render.registry import coerce_parameters
    from perf.render.runner import Renderer

    with Renderer() as renderer:
        good = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path, formats="html,docx")
        word = Path(good.outputs["docx"])
        assert good.status == "ok" and word.name == "Dudley_2024-25_tiny.docx"
        before = word.read_bytes()
        link = 'href="2024-25/Dudley/Dudley_2024-25_tiny.docx">Word</a>'
        assert link in write_index(tmp_path).read_text(encoding="utf-8")
        bad = renderer.run(
            TINY,
            coerce_parameters(TINY, {"fail_area": "Dudley"}),
            out=tmp_path,
            formats="html,docx",
        )
        assert bad.status == "failed" and bad.outputs == good.outputs
        assert word.read_bytes() == before
        assert link in write_index(tmp_path).read_text(encoding="utf-8")  # the last good's
        html_only = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path)
    assert html_only.status == "ok" and html_only.outputs == {}
    assert word.read_bytes() == before  # kept
    assert html_only.earlier == {"docx": str(word)}
    assert (
        "kept Dudley_2024-25_tiny.docx from an earlier run: this run wrote no Word, so it may "
        "not match this HTML; the outputs index does not list it"
    ) in Path(html_only.log).read_text()
    record = json.loads(Path(html_only.html).with_suffix(".run.json").read_text())
    assert record["docx"] is None and record["earlier"] == {"docx": str(word)}
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert "tiny.docx" not in index and 'href="2024-25/Dudley/tiny.html">tiny</a>' in index


def test_the_word_read_back_check_passes_a_briefing_and_fails_a_broken_file(packs):
    from perf.errors import RenderError
    from perf.render.formats import check_output

    _, results = packs
    data = Path(results["2024-25"].outputs["docx"]).read_bytes()
    check_output("docx", data)
    with pytest.raises(RenderError, match="cannot be read back"):
        check_output("docx", data[: len(data) // 2])
    document = docx.Document(io.BytesIO(data))
    document.core_properties.title = ""
    for paragraph in document.paragraphs:
        paragraph.text = ""
    blank = io.BytesIO()
    document.save(blank)
    with pytest.raises(RenderError, match="it has no text; it has no title"):
        check_output("docx", blank.getvalue())
