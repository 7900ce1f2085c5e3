"""Render a seed's briefing once (the real notebook, as `perf render` runs it) and give its
text with tags removed and entities decoded, for the seed statement lists; and add the
illustrative Dudley 2024-25 year (a test fixture since issue 24) to a copy of data/local."""

from __future__ import annotations

import html
import re
from pathlib import Path

from perf import config
from perf.render.registry import validate_parameters
from perf.render.runner import Renderer


def render_text(params: dict, out: Path) -> str:
    with Renderer() as renderer:
        renderer.prepare()
        result = renderer.run("briefing", validate_parameters("briefing", params), out=out)
    assert result.status == "ok", result.error
    page = Path(result.html).read_text(encoding="utf-8")
    page = re.sub(r"<style.*?</style>|data:image/png;base64,[A-Za-z0-9+/=]+", "", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


#: The illustrative Dudley 2024-25 year that was the default briefing until issue 24: made-up
#: council figures (flag ex) for five 2012 indicators, kept as a fixture data folder so that
#: the contradictions it showed (issue 25) stay tested, never in data/local.
EXAMPLE_DIR = config.TESTS_DIR / "fixtures" / "example_2024-25"


def add_example_year(local: Path) -> None:
    """Add the fixture's files to ``local`` (a copy of data/local): a table both hold gets
    the fixture's rows after its own."""
    local.mkdir(parents=True, exist_ok=True)
    for path in (EXAMPLE_DIR / "local").iterdir():
        if not path.is_file():
            continue
        target = local / path.name
        if target.exists():
            extra = path.read_text(encoding="utf-8").split("\n", 1)[1]
            target.write_text(target.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra)
        else:
            target.write_bytes(path.read_bytes())
