"""Issue 27's last check: a public render of every shipped example names no count of 1 to 5
people in any file it publishes. test_golden reads the page (text and alt text), the executed
notebook and the companion files; this reads what a committee is sent as well: the Word
pack's paragraphs and table cells, the outputs index and the log it links. (The PDF is
Chromium's print of the page test_golden reads; poppler's text of it runs table columns
together, so a scan of it finds neighbouring cells, not counts.)

The Dudley 2012-13 Q1 seed's commentary holds "3 out of the 6" care leavers: redacted in the
page, it must be redacted in the packs too.
"""

from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest

from perf.disclosure import small_counts_in_text
from perf.render.registry import validate_parameters

EXAMPLES = {
    "dudley_2012-13_q1": {"area": "Dudley", "period": "2012-13 Q1"},
    "dudley_2024-25": {"area": "Dudley", "period": "2024-25"},
    "leeds_2012-13_q2": {"area": "Leeds", "period": "2012-13 Q2"},
}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """Each shipped example rendered public to HTML and Word (one warm kernel), and the
    outputs index written over them."""
    from perf.render.index import write_index
    from perf.render.runner import Renderer

    out = tmp_path_factory.mktemp("outputs")
    results = {}
    with Renderer() as renderer:
        renderer.prepare(("html", "docx"))
        for name, params in EXAMPLES.items():
            result = renderer.run(
                "briefing",
                validate_parameters("briefing", {**params, "public": True}),
                out=out,
                formats="html,docx",
            )
            assert result.status == "ok", result.error
            results[name] = result
    return results, write_index(out)


def _word_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    # cells and paragraphs kept apart, as a reader meets them (test_golden's " | ")
    return " | ".join(parts)


def _found(text: str) -> list[str]:
    return [text[max(0, a - 40) : b + 40] for a, b in small_counts_in_text(text)]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_word_pack_names_no_count_of_one_to_five_people(published, name):
    results, _ = published
    word = Path(results[name].outputs["docx"])
    word_text = _word_text(word)
    assert len(word_text) > 2000  # the pack was read
    assert _found(word_text) == [], f"{word.name}"
    if name == "dudley_2012-13_q1":
        # the seed's sentence is in the pack, its count withheld
        assert "care leavers" in word_text and "3 out of the 6" not in word_text


def test_the_index_and_the_logs_it_links_name_no_count_of_one_to_five_people(published):
    results, index = published
    texts = {index.name: index.read_text(encoding="utf-8")}
    for result in results.values():
        texts[os.path.relpath(result.log, index.parent)] = Path(result.log).read_text(
            encoding="utf-8"
        )
    for name, text in texts.items():
        assert _found(text) == [], name
