"""Render a seed's briefing once (the real notebook, as `perf render` runs it) and give its
text with tags removed and entities decoded, for the seed statement lists."""

from __future__ import annotations

import html
import re
from pathlib import Path

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
