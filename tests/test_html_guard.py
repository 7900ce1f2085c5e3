"""The committee page's network guard checks resources, not links (issue 14, item 7)."""

from __future__ import annotations

import pytest

from perf import config
from perf.errors import RenderError
from perf.render.html import find_external, wrap_page


@pytest.mark.parametrize(
    "html",
    [
        '<p>See <a href="https://www.gov.uk/government/statistics">the release</a>.</p>',
        "<p>Report author: Performance team href=https://intranet.example</p>",
        '<p><a href="//example.org/x">protocol-relative link</a></p>',
        '<img alt="chart" src="data:image/png;base64,iVBORw0KGgo=">',
    ],
)
def test_links_and_text_render(html):
    page = wrap_page("t", html, footer="")
    assert html in page


@pytest.mark.parametrize(
    "html, found",
    [
        ('<img alt="x" src="https://example.org/a.png">', '<img src="https://example.org/a.png">'),
        ('<script src="//cdn.example/x.js"></script>', '<script src="//cdn.example/x.js">'),
        (
            '<link rel="stylesheet" href="http://cdn.example/x.css">',
            '<link href="http://cdn.example/x.css">',
        ),
        (
            '<style>@import url("https://fonts.example/css");</style>',
            "<style> https://fonts.example/css",
        ),
        (
            '<p style="background: url(https://x.example/b.png)">x</p>',
            "<p style> https://x.example/b.png",
        ),
        (
            '<img alt="x" srcset="a.png 1x, https://x.example/b.png 2x">',
            '<img srcset="https://x.example/b.png">',
        ),
    ],
)
def test_resources_from_another_server_are_found(html, found):
    assert find_external(html) == [found]
    with pytest.raises(RenderError, match="another server"):
        wrap_page("t", html, footer="")


def test_a_resource_is_traced_to_its_parameter():
    with pytest.raises(RenderError) as caught:
        wrap_page(
            "t",
            '<img alt="logo" src="https://council.example/logo.png">',
            footer="",
            params={"author": 'Team <img src="https://council.example/logo.png">'},
        )
    assert caught.value.column == "author" and "parameters" in caught.value.file


def test_a_resource_is_traced_to_its_data_file_row_and_column(tmp_path, monkeypatch):
    (tmp_path / "catalogue.csv").write_text(
        "indicator,title,definition\n"
        "a,A,plain\n"
        'b,B,"See <img src=""https://images.example/b.png"">"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    with pytest.raises(RenderError) as caught:
        wrap_page("t", '<td><img src="https://images.example/b.png"></td>', footer="")
    error = caught.value
    assert (error.row, error.column) == (3, "definition") and "catalogue.csv" in error.file
    assert "catalogue.csv, row 3, column 'definition'" in str(error)


def test_a_render_with_a_link_in_a_parameter_succeeds(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "perf",
            "render",
            "briefing",
            "--area",
            "Leeds",
            "--period",
            "2012-13 Q2",
            "-p",
            "author=Team (href=https://intranet.example/team)",
            "--out",
            str(tmp_path),
        ],
        cwd=config.PROJ_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "2012-13_Q2" / "Leeds" / "briefing.html").read_text(encoding="utf-8")
    assert "href=https://intranet.example/team" in html
