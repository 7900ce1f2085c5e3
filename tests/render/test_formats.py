"""perf.render.formats: output formats as a registry (issue 28 item 2), and the optional
extras each names when its package is missing (issue 28 item 4).

The proof that a format is one module plus one registration: this test module registers a
toy format, plain text of the page, and renders the real briefing in it with nothing else
edited; the file is written beside the HTML, named in the run's record and the manifest,
and linked from the index. Its writer and check live here, as a new format's would live in
its own module.
"""

from __future__ import annotations

import csv
import html as html_lib
import json
import re
import sys
from pathlib import Path

import pytest

from perf.errors import ParameterError, RenderError
from perf.render.formats import (
    OutputFormat,
    Package,
    check_output,
    format_names,
    output_format,
    output_path,
    parse_formats,
    register,
    require,
    unregister,
)
from perf.render.registry import run_paths, validate_parameters

from .conftest import DUDLEY, TINY

# --- the toy format: one writer, one check, one registration -------------------------------


class TextWriter:
    """Plain text of the page: its main content without tags, one line per block."""

    def write(self, page) -> bytes:
        main = page.html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
        main = re.sub(r"<(style|script)\b.*?</\1>", "", main, flags=re.DOTALL)
        text = re.sub(r"</(p|h[1-6]|li|tr|caption|figcaption)>", "\n", main)
        lines = (
            " ".join(html_lib.unescape(line).split()) for line in _TAGS.sub(" ", text).split("\n")
        )
        return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


_TAGS = re.compile(r"<[^>]+>")


def check_text(data: bytes) -> None:
    text = data.decode("utf-8")
    if not text.strip() or "</" in text:
        raise RenderError("the text file is empty or holds markup")


TEXT = OutputFormat(
    name="txt",
    label="Plain text",
    extension="txt",
    description="the page's words, without markup",
    writer=TextWriter,
    check=check_text,
)


@pytest.fixture
def text_format():
    register(TEXT)
    yield TEXT
    unregister(TEXT.name)


def test_a_registered_format_is_rendered_listed_and_recorded(text_format, renderer, tmp_path):
    from perf.render.batch import write_manifest
    from perf.render.index import write_index

    assert format_names() == ("html", "pdf", "docx", "txt")
    params = validate_parameters("briefing", DUDLEY)
    result = renderer.run("briefing", params, out=tmp_path, formats="html,txt")
    assert result.status == "ok", result.error
    target = tmp_path / "2024-25" / "Dudley" / "Dudley_2024-25_childrens_services_performance.txt"
    assert result.outputs == {"txt": str(target)}
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Children's services performance briefing\nDudley, 2024-25\n")
    assert "Performance matrix" in text and "</" not in text
    assert set(result.timings) == {"execute_s", "export_s", "txt_s", "write_s"}
    record = json.loads(Path(result.log).with_suffix(".run.json").read_text(encoding="utf-8"))
    assert record["txt"] == str(target) and record["formats"] == ["html", "txt"]
    index = write_index(tmp_path).read_text(encoding="utf-8")
    assert (
        '<a href="2024-25/Dudley/Dudley_2024-25_childrens_services_performance.txt">Plain text</a>'
    ) in index
    write_manifest([result.to_dict()], tmp_path)
    with open(tmp_path / "manifest.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert list(rows[0])[5:9] == ["html", "pdf", "docx", "txt"]
    assert rows[0]["txt"] == "2024-25/Dudley/Dudley_2024-25_childrens_services_performance.txt"


def test_the_command_line_offers_and_accepts_a_registered_format(text_format, capsys):
    from perf.cli import build_parser

    assert parse_formats("TXT, docx") == ("html", "docx", "txt")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["render", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "txt (the page's words, without markup)" in help_text
    assert "pdf (a tagged A4 PDF, printed by Debian's Chromium)" in help_text


def test_a_file_that_fails_its_check_replaces_nothing(renderer, tmp_path):
    from perf.render.registry import coerce_parameters

    class Broken(TextWriter):
        def write(self, page) -> bytes:
            return b"<p>markup</p>"  # not plain text

    good = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path)
    before = Path(good.html).read_bytes()
    register(OutputFormat("txt", "Plain text", "txt", "words", writer=Broken, check=check_text))
    try:
        bad = renderer.run(
            TINY, coerce_parameters(TINY, {"repeats": 5}), out=tmp_path, formats="txt"
        )
    finally:
        unregister("txt")
    assert bad.status == "failed" and "the text file is empty or holds markup" in bad.error
    assert Path(good.html).read_bytes() == before
    assert not list(Path(good.html).parent.glob("*.txt"))


def test_a_failed_writer_leaves_the_others_to_finish_and_writes_nothing(renderer, tmp_path):
    from perf.render.registry import coerce_parameters

    class Raises(TextWriter):
        def write(self, page) -> bytes:
            raise RenderError("the text writer failed")

    register(OutputFormat("txt", "Plain text", "txt", "words", writer=Raises, check=check_text))
    try:
        bad = renderer.run(TINY, coerce_parameters(TINY, {}), out=tmp_path, formats="txt")
    finally:
        unregister("txt")
    assert bad.status == "failed" and "the text writer failed" in bad.error
    assert not (tmp_path / "2024-25" / "Dudley" / "tiny.html").exists()


# --- the registry -----------------------------------------------------------------------------


def test_the_built_in_formats_and_their_names():
    assert format_names() == ("html", "pdf", "docx")
    assert [output_format(n).label for n in format_names()] == ["HTML", "PDF", "Word"]
    assert output_format("WORD") is output_format("docx")
    assert parse_formats(None) == parse_formats("") == ("html",)
    with pytest.raises(ParameterError, match="Did you mean: docx"):
        parse_formats("html,docz")


def test_files_are_named_for_the_notebook_or_the_committee_document():
    paths = run_paths("out", "briefing", {**DUDLEY, "public": False})
    assert output_path(paths, "html").as_posix() == "out/internal/2024-25/Dudley/briefing.html"
    assert output_path(paths, "docx").name == (
        "Dudley_2024-25_childrens_services_performance_internal_not_for_publication.docx"
    )


def test_a_format_is_replaced_by_one_of_the_same_name_and_unregistered():
    register(TEXT)
    try:
        register(OutputFormat("txt", "Text", "text", "words", writer=TextWriter, check=check_text))
        assert output_format("txt").extension == "text" and format_names()[-1] == "txt"
    finally:
        unregister("txt")
    assert "txt" not in format_names()
    with pytest.raises(ParameterError, match="named_for"):
        register(OutputFormat("x", "X", "x", "x", TextWriter, check_text, named_for="area"))


def test_the_read_back_checks_of_the_page():
    from perf.render.html import page_html

    check_output("html", page_html("T", "<p>x</p>").encode())
    with pytest.raises(RenderError, match="does not end with </html>"):
        check_output("html", page_html("T", "<p>x</p>").encode()[:-20])
    with pytest.raises(RenderError, match="not UTF-8"):
        check_output("html", b"\xff<!DOCTYPE html>")


# --- optional extras: a clear message naming what to install (issue 28 item 4) ---------------


@pytest.mark.parametrize(
    ("missing", "formats", "extra"),
    [("pikepdf", "html,pdf", "pdf"), ("playwright", "pdf", "pdf"), ("docx", "word", "docx")],
)
def test_a_format_whose_package_is_missing_names_the_extra(monkeypatch, missing, formats, extra):
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed
    with pytest.raises(RenderError) as caught:
        require(parse_formats(formats))
    message = str(caught.value)
    assert f'pip install "perf[{extra}]"' in message and "make setup" in message
    assert "which is not installed" in message


def test_render_names_the_missing_extra_before_any_kernel_starts(monkeypatch, tmp_path):
    from perf.render import api, runner

    monkeypatch.setitem(sys.modules, "docx", None)
    monkeypatch.setattr(runner.Renderer, "__init__", lambda *a, **k: pytest.fail("started"))
    with pytest.raises(RenderError, match=r"Word output \(--to docx\) needs the Python package "):
        api.render("briefing", **DUDLEY, formats="html,docx", out=tmp_path, use_runner=False)


def test_the_command_line_names_the_missing_extra_for_a_cluster(monkeypatch, tmp_path, capsys):
    from perf.cli import main

    schedule = tmp_path / "schedule.yaml"
    schedule.write_text("notebooks: [briefing]\nperiods: ['2024-25']\nareas: [Dudley]\n")
    monkeypatch.setitem(sys.modules, "distributed", None)
    monkeypatch.delitem(sys.modules, "perf.render.cluster", raising=False)
    code = main(["batch", str(schedule), "--cluster", "local", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip() == (
        "perf batch: Rendering on a Dask cluster (perf batch --cluster) needs the Python "
        'package distributed, which is not installed. Install it with pip install "perf[dask]" '
        "(make setup installs every extra)."
    )


def test_a_package_that_is_there_passes():
    require(parse_formats("html,pdf,docx") if Path("/usr/bin/chromium").exists() else ("docx",))
    from perf.render.formats import require_package

    require_package(Package("yaml", "pyyaml", "none"), "anything")
