"""perf.render.html: an executed notebook -> one self-contained, accessible page. Unit cases
on small notebooks built here; the real briefing (rendered once, ``briefing_run``) for the
page as a committee gets it."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from perf.config import PROVENANCE_MIMETYPE, SHOWN_MIMETYPE
from perf.errors import RenderError
from perf.render.html import export_html, find_external, page_html, wrap_page, wrap_tables
from perf.render.registry import validate_parameters

from .conftest import DUDLEY, EPOCH

WHEN = datetime(2025, 6, 15, 15, 6, 40, tzinfo=timezone.utc)


def _executed(
    *outputs_per_cell: list[dict], markdown: str = "## Findings"
) -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell(markdown)]
    for outputs in outputs_per_cell:
        cell = nbformat.v4.new_code_cell("secret_code = 1")
        cell.outputs = [nbformat.from_dict(o) for o in outputs]
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def _display(data: dict) -> dict:
    return {"output_type": "display_data", "data": data, "metadata": {}}


# --- small pages ---------------------------------------------------------------------------


def test_export_refuses_external_resources():
    with pytest.raises(RenderError, match="another server"):
        wrap_page("t", '<img alt="x" src="https://example.org/a.png">', footer="")
    page = wrap_page("t", '<p><a href="https://example.org">the source</a></p>', footer="")
    assert '<a href="https://example.org">the source</a>' in page  # a link loads nothing


@pytest.mark.parametrize(
    "html",
    [
        '<img src="//cdn.example/x.png">',
        '<link href="https://x/y.css">',
        "<p style=\"background:url('http://x/y.png')\">",
        "<style>@import 'https://x/y.css';</style>",
        '<img srcset="https://x/a.png 2x">',
    ],
)
def test_find_external_catches_every_kind_of_reference(html):
    assert find_external(html) != []


def test_find_external_allows_local_anchors_and_data_uris():
    assert find_external('<a href="#s">s</a><img src="data:image/png;base64,AA==">') == []


def test_headings_get_ids_and_a_contents_list_of_the_sections():
    page = wrap_page("T", "<h1>T</h1><h2>Trends</h2><h3>Detail</h3><h2>Trends</h2>", footer="")
    assert re.findall(r'<h2 id="([^"]+)">', page) == ["contents-heading", "Trends", "Trends-2"]
    assert '<h3 id="Detail">' in page
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.DOTALL).group(0)
    assert re.findall(r'href="#([^"]+)"', toc) == ["Trends", "Trends-2"]
    assert page.index("<h1>T</h1>") < page.index('<nav class="toc"')


def test_no_contents_list_without_sections():
    assert '<nav class="toc"' not in wrap_page("T", "<h1>T</h1><p>x</p>", footer="")


def test_tables_scroll_in_a_labelled_focusable_region():
    wrapped = wrap_tables(
        "<table><caption>Scores &amp; <b>ranks</b></caption></table><table></table>"
    )
    assert wrapped.count('<div class="table-scroll" role="region" tabindex="0"') == 2
    assert 'aria-label="Scores &amp; ranks"' in wrapped and 'aria-label="Table"' in wrapped


def test_page_html_is_the_house_page_with_an_escaped_title():
    page = page_html("Dudley & <Sandwell>", "<p>body</p>", footer="<footer>f</footer>")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    assert "<title>Dudley &amp; &lt;Sandwell&gt;</title>" in page
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in page
    assert '<main id="main">\n<p>body</p>\n</main>\n<footer>f</footer></body>' in page


def test_export_html_leaves_out_code_stderr_and_the_renderers_records():
    nb = _executed(
        [
            _display(
                {
                    "text/html": "<p>Shown</p>",
                    PROVENANCE_MIMETYPE: {"sources": ["b.csv"]},
                    SHOWN_MIMETYPE: {"rows": []},
                }
            ),
            {"output_type": "stream", "name": "stderr", "text": "a warning"},
            {"output_type": "stream", "name": "stdout", "text": "printed"},
        ],
        [_display({PROVENANCE_MIMETYPE: {"sources": ["a.csv (release)", "b.csv"]}})],
    )
    before = nbformat.writes(nb)
    page = export_html(nb, "briefing", {"area": "Dudley", "period": "2024-25"}, when=WHEN)
    assert nbformat.writes(nb) == before  # the executed notebook is not modified
    assert "<p>Shown</p>" in page and "printed" in page
    assert "secret_code" not in page and "a warning" not in page
    assert "vnd.perf" not in page and "&quot;rows&quot;" not in page
    footer = page.split('<footer class="provenance"', 1)[1]
    # an entry per file, its releases under it (perf.fileio.source_groups)
    assert "<dd><ul><li>a.csv<ul><li>release</li></ul></li><li>b.csv</li></ul>" in footer
    assert "<code>area</code> = &quot;Dudley&quot;" in footer
    assert '<time datetime="2025-06-15T15:06:40+00:00">15 June 2025, 15:06 UTC</time>' in footer
    assert "<title>Children&#x27;s services performance briefing: Dudley, 2024-25</title>" in page


def test_a_notebook_that_reports_no_sources_says_so():
    page = export_html(_executed([]), "tiny", {}, when=WHEN)
    assert "<p>The notebook did not report its data files.</p>" in page


def test_a_data_file_named_in_the_footer_gets_its_checksum():
    nb = _executed(
        [
            _display(
                {
                    PROVENANCE_MIMETYPE: {
                        "sources": [
                            "cla_number_and_rate_per_10k_children.csv (DfE CLA 2025 release)",
                            "no_such_file.csv",
                        ]
                    }
                }
            )
        ]
    )
    footer = export_html(nb, "tiny", {}, when=WHEN).split("<footer", 1)[1]
    assert re.search(
        r'cla_number_and_rate_per_10k_children\.csv <span class="digest">\(sha256 [0-9a-f]{12}\)'
        r"</span><ul><li>DfE CLA 2025 release</li></ul>",
        footer,
    )
    assert "<li>no_such_file.csv</li>" in footer


# --- the rendered briefing -----------------------------------------------------------------


def test_html_has_no_external_resource_reference(briefing_html):
    html = briefing_html
    refs = re.findall(
        r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
        html,
        re.IGNORECASE,
    )
    assert refs == []
    assert "mathjax" not in html.lower() and "require.js" not in html.lower()
    images = re.findall(r"<img\b[^>]*\bsrc=\"([^\"]*)\"", html)
    assert all(src.startswith("data:image/") for src in images)


def test_html_language_title_print_stylesheet_and_no_code(briefing_html):
    html = briefing_html
    assert '<html lang="en-GB">' in html
    assert "<title>Children&#x27;s services performance briefing: Dudley, 2024-25</title>" in html
    print_css = html[html.index("@media print") :]
    assert re.search(r"figure[^{]*\{[^}]*break-inside:\s*avoid", print_css)
    assert "from perf import briefing" not in html and "In&nbsp;[" not in html
    assert "injected-parameters" not in html or "celltag_injected-parameters" in html


def test_table_of_contents_links_every_section_heading(briefing_html):
    html = briefing_html
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= 1
    for target in targets:
        assert f'id="{target}"' in html
    # every section, those before the contents (At a glance, the cover: CONTENTS_MARK) too
    body = html.split("<footer")[0].replace(toc, "")
    section_ids = re.findall(r'<h2 id="([^"]+)"', body)
    assert section_ids == targets
    assert targets[0] == "at-a-glance" and html.index('id="at-a-glance"') < html.index(toc)


def test_provenance_footer_names_parameters_data_code_and_time(briefing_html):
    footer = briefing_html.split('<footer class="provenance"', 1)[1]
    assert "&quot;Dudley&quot;" in footer and "2024-25" in footer
    assert "cla_number_and_rate_per_10k_children.csv" in footer and "sha256" in footer
    assert "perf 0.1.0" in footer
    assert '<time datetime="2025-06-15T15:06:40+00:00">15 June 2025, 15:06 UTC</time>' in footer


def test_same_inputs_give_byte_identical_html(briefing_run, renderer, tmp_path, monkeypatch):
    _, first = briefing_run
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    again = renderer.run("briefing", validate_parameters("briefing", DUDLEY), out=tmp_path)
    assert again.status == "ok"
    assert Path(again.html).read_bytes() == Path(first.html).read_bytes()
    assert (
        Path(again.html).with_suffix(".ipynb").read_bytes()
        == Path(first.html).with_suffix(".ipynb").read_bytes()
    )


@pytest.mark.parametrize(
    "html",
    [
        '<p id="a"><g gid="b"/><b data-id="c"></b><i id=\'d\'>',
        "xid=\"id='e'\" _id='f' éid='g' 1id='h' id=''",  # an id inside a rejected one is found
        'id="start"' + "A/b+id=c" * 50 + '<img src="data:image/png;base64,aWQ9J3gn" id="z">',
    ],
)
def test_ids_are_what_the_word_boundary_pattern_finds(html) -> None:
    from perf.render.html import _ids

    assert _ids(html) == set(re.findall(r"""\bid=["']([^"']+)["']""", html))
