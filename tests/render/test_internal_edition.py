"""Public and internal editions never share a file (issue 13, item 7), and the shareable
index never links an internal one (issue 27, item 4)."""

from __future__ import annotations

import pytest

from perf.render.formats import output_path
from perf.render.freeze import run_and_freeze
from perf.render.index import write_index
from perf.render.registry import run_paths, title_for, validate_parameters
from perf.render.runner import Renderer

LEEDS = {"area": "Leeds", "period": "2012-13 Q2"}


def test_the_internal_edition_has_its_own_folder_name_and_title():
    public = run_paths("out", "briefing", {**LEEDS, "public": True})
    internal = run_paths("out", "briefing", {**LEEDS, "public": False})
    assert public.html.as_posix() == "out/2012-13_Q2/Leeds/briefing.html"
    assert internal.html.as_posix() == "out/internal/2012-13_Q2/Leeds/briefing.html"
    assert "internal_not_for_publication" in output_path(internal, "pdf").name

    def files(paths):
        return {paths.notebook, paths.status} | {
            output_path(paths, name) for name in ("html", "pdf", "docx")
        }

    assert not files(public) & files(internal)
    assert title_for("briefing", {**LEEDS, "public": False}).endswith(
        "(internal: not for publication)"
    )
    assert "publication" not in title_for("briefing", {**LEEDS, "public": True})


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("editions")
    with Renderer() as renderer:
        renderer.prepare()
        runs = {
            public: run_and_freeze(
                renderer,
                "briefing",
                validate_parameters("briefing", {**LEEDS, "public": public}),
                out=out,
            )
            for public in (True, False)
        }
    write_index(out)
    return out, runs


def test_an_internal_render_leaves_the_published_edition_alone(both):
    out, runs = both
    public_html = (out / "2012-13_Q2" / "Leeds" / "briefing.html").read_text(encoding="utf-8")
    internal_html = (out / "internal" / "2012-13_Q2" / "Leeds" / "briefing.html").read_text(
        encoding="utf-8"
    )
    assert runs[True].status == runs[False].status == "ok"
    assert "This report will be published" in public_html
    assert "not for publication" not in public_html.lower()
    assert "This report will be published" not in internal_html
    assert internal_html.count("not for publication") >= 2  # cover and banner
    # the title is every printed page's running header
    assert (
        "content: \"Children's services performance briefing: Leeds, 2012-13 Q2 (internal: "
        'not for publication)"' in internal_html
    )
    # the public folder holds no internal file
    published = {p.name for p in (out / "2012-13_Q2" / "Leeds").iterdir()}
    assert published and not any("internal" in name for name in published)


def test_the_shareable_index_lists_only_the_published_edition(both):
    """main's outputs/index.html linked the internal edition's HTML and log beside the
    published one; now they are listed in outputs/internal/index.html, which it never links."""
    out, _ = both
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="2012-13_Q2/Leeds/briefing.html">briefing</a>' in index
    assert 'href="2012-13_Q2/Leeds/briefing.log"' in index
    assert "internal" not in index and "not for publication" not in index
    assert "<p>1 report in 1 period.</p>" in index
    internal = (out / "internal" / "index.html").read_text(encoding="utf-8")
    assert (
        'href="2012-13_Q2/Leeds/briefing.html">briefing (internal: not for publication)</a>'
    ) in internal
    assert 'href="2012-13_Q2/Leeds/briefing.log"' in internal
    assert "<title>Children&#x27;s services performance reports: internal editions" in internal
    assert "../" not in internal  # it links nothing outside internal/
