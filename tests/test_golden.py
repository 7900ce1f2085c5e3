"""What a user sees does not change by accident: the briefings of the shipped examples,
rendered with ``SOURCE_DATE_EPOCH`` pinned, equal their golden copies in tests/golden/.

The golden copies are the whole HTML page with two normalisations, so that they stay small
and readable in a diff: each embedded PNG is replaced by the SHA-256 of its bytes (a chart
that draws differently still fails), and the code version in the footer by ``perf X``.
The environment is locked (uv.lock), so the bytes are the same on every machine.

An intended change (a fixed bug, a new section) updates them, said in the commit message:
``PERF_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py``.
"""

from __future__ import annotations

import base64
import hashlib
import html as htmllib
import os
import re
from pathlib import Path

import pytest

from perf.render.registry import validate_parameters
from perf.render.runner import Renderer

GOLDEN_DIR = Path(__file__).parent / "golden"
EPOCH = "1767225600"  # 1 January 2026 00:00 UTC
EXAMPLES = {
    "dudley_2012-13_q1": {"area": "Dudley", "period": "2012-13 Q1"},
    "dudley_2024-25": {"area": "Dudley", "period": "2024-25"},
    "leeds_2012-13_q2": {"area": "Leeds", "period": "2012-13 Q2"},
}
_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_VERSION = re.compile(r"perf \d[^<]*?(?: \(git [^)<]*\))?(?=</dd>)")


def normalise(html: str) -> str:
    """The page with each PNG as its digest and the code version as ``perf X``."""
    html = _PNG.sub(
        lambda m: (
            "data:image/png;sha256," + hashlib.sha256(base64.b64decode(m.group(1))).hexdigest()
        ),
        html,
    )
    return _VERSION.sub("perf X", html)


def test_normalise_keeps_what_matters():
    page = '<img src="data:image/png;base64,iVBORw0KGgo="><dd>perf 0.1.0 (git 1a2b3c-dirty)</dd>'
    out = normalise(page)
    assert "base64" not in out and "sha256," in out and "<dd>perf X</dd>" in out
    assert normalise(page.replace("iVBORw0KGgo=", "iVBORw0LGgo=")) != out


#: The published folder of each example's render (filled by the ``rendered`` fixture).
folders: dict[str, Path] = {}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    pages = {}
    try:
        with Renderer() as renderer:
            renderer.prepare()
            for name, params in EXAMPLES.items():
                out = tmp_path_factory.mktemp(name)  # alone: no earlier briefing to compare
                result = renderer.run("briefing", validate_parameters("briefing", params), out=out)
                assert result.status == "ok", result.error
                pages[name] = normalise(open(result.html, encoding="utf-8").read())
                folders[name] = Path(result.html).parent
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    return pages


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_briefing_is_byte_identical_to_its_golden_copy(rendered, name):
    golden = GOLDEN_DIR / f"briefing_{name}.html"
    if os.environ.get("PERF_UPDATE_GOLDEN"):
        golden.write_text(rendered[name], encoding="utf-8")
    assert golden.is_file(), f"no golden copy {golden}: run with PERF_UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    if rendered[name] != expected:
        for n, (a, b) in enumerate(zip(rendered[name].splitlines(), expected.splitlines()), 1):
            if a != b:
                pytest.fail(
                    f"{golden.name} differs first at line {n}:\n  now:    {a[:300]}\n"
                    f"  golden: {b[:300]}"
                )
        pytest.fail(f"{golden.name}: one page is a prefix of the other")


_BLOCK = re.compile(
    r"</?(?:p|div|td|th|tr|li|ul|ol|h\d|caption|br|table|thead|tbody|figure|"
    r"figcaption|dd|dt|dl|section|footer|nav|main)\b[^>]*>",
    re.I,
)


def _visible_text(html: str) -> str:
    """What a reader of the page can see or hear: text and every image's alt text (table
    cells and paragraphs kept apart, as a reader sees them)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S | re.I)
    alts = " | ".join(m.group(1) for m in re.finditer(r'\balt="([^"]*)"', html))
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", _BLOCK.sub(" | ", html)) + " | " + alts)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_public_render_names_no_count_of_one_to_five_people_anywhere(rendered, name):
    """Everything in the published folder of a public render: the page (text and alt text),
    the executed notebook's outputs, the frozen record and every other companion file."""
    import json

    import pandas as pd

    from perf.catalogue import catalogue
    from perf.disclosure import small_counts_in_text

    folder = folders[name]
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    assert any(p.suffix == ".html" for p in files)
    for path in files:
        raw = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":
            cells = json.loads(raw)["cells"]
            parts = []
            for cell in cells:
                for output in cell.get("outputs", []):
                    for value in output.get("data", {}).values():
                        parts.append(
                            value
                            if isinstance(value, str)
                            else "".join(value)
                            if isinstance(value, list)
                            else json.dumps(value)
                        )
                    parts.append("".join(output.get("text", "")))
            text = _visible_text("\n".join(parts))
        elif path.suffix in (".html", ".htm"):
            text = _visible_text(raw)
        else:
            text = raw
        found = [text[max(0, a - 40) : b + 40] for a, b in small_counts_in_text(text)]
        assert not found, f"{path.name}: {found}"
    cat = catalogue().set_index("indicator")
    for record in folder.glob("*.frozen.csv"):
        shown = pd.read_csv(record)
        people = shown["indicator"].map(cat["counts"]).eq("people") & shown["indicator"].map(
            cat["unit"]
        ).isin(["count", "number"])
        small = shown["value"].between(1, 5)
        assert not (people & small).any(), shown[people & small]
