"""perf.charts.style: one palette that charts, the page, Word, tables, the matrix and the
collection workbook read; contrast; every stylesheet's colour is one the palette names."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from afcharts.af_colours import get_af_colours

from perf.charts import style
from perf.charts.style import (
    DIRECTION_STYLE,
    PALETTE,
    SECONDARY_TEXT,
    SERIES_STYLE,
    STYLE_DIR,
    TEXT,
    bare_hex,
    contrast_ratio,
    rgb,
    text_colour,
)

_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b")


def _palette() -> set[str]:
    """Every colour the style module names, as #rrggbb lower case."""
    named = {
        "#" + bare_hex(v).lower()
        for k, v in vars(style).items()
        if k.isupper() and isinstance(v, str) and v.startswith("#")
    }
    return named | {"#" + bare_hex(c).lower() for c in style.AF_CATEGORICAL}


def _colours(text: str) -> set[str]:
    return {"#" + bare_hex(m.group(0)).lower() for m in _HEX.finditer(text)}


def test_the_chart_palette_is_afcharts_own():
    assert list(style.AF_CATEGORICAL) == get_af_colours("categorical")
    assert style.AF_FOCUS_GREY == get_af_colours("focus")[1]


def test_palette_contrast() -> None:
    for role in ("area", "england", "region", "neighbours", "target"):
        assert contrast_ratio(SERIES_STYLE[role]["color"]) >= 3.0, role  # graphics
    for entry in DIRECTION_STYLE.values():
        assert contrast_ratio(entry["color"]) >= 4.5  # the direction word is text
    for colour in (TEXT, SECONDARY_TEXT, style.MUTED, style.LINK, style.ACCENT, style.WARNING):
        assert contrast_ratio(colour) >= 4.5, colour


def test_contrast_ratio_values():
    assert contrast_ratio("black", "white") == pytest.approx(21.0)
    assert contrast_ratio("#0b0c0c") == pytest.approx(contrast_ratio("#0b0c0c", "#fff"))
    assert round(contrast_ratio("#767676"), 2) == 4.54  # the usual AA boundary grey


def test_text_colour_falls_back_to_ink_below_aa():
    assert text_colour(PALETTE["neighbours"]) == TEXT  # turquoise: 3.2:1
    assert text_colour(PALETTE["region"]) == PALETTE["region"]


def test_hex_helpers():
    assert rgb("#FD0") == (255, 221, 0) and bare_hex("#12436d") == "12436D"
    with pytest.raises(ValueError):
        rgb("#12436")


def test_report_css_is_the_page_stylesheet_and_uses_only_palette_colours():
    from perf.render.html import _CSS

    css = (STYLE_DIR / "report.css").read_text(encoding="utf-8")
    assert css.endswith(_CSS) and _CSS.lstrip().startswith(":root")
    assert _colours(css) <= _palette(), _colours(css) - _palette()
    variables = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-f]+)", css))
    assert variables == {
        "ink": TEXT,
        "muted": style.MUTED,
        "rule": style.RULE,
        "panel": style.PANEL,
        "link": style.LINK,
        "accent": style.ACCENT,
    }


def test_a_colour_outside_the_palette_would_be_caught():
    assert not _colours("a { color: #123456; }") <= _palette()


def test_chart_style_file_tables_and_matrix_use_only_palette_colours():
    from perf.report.matrix import _STYLE
    from perf.tables import _BASE_CSS

    mplstyle = (STYLE_DIR / "perf.mplstyle").read_text(encoding="utf-8")
    bare = {"#" + m.lower() for m in re.findall(r":\s*([0-9a-fA-F]{6})\b", mplstyle)}
    assert bare and bare <= _palette(), bare - _palette()
    for text in (_STYLE, _BASE_CSS.format(id="t", ink=TEXT)):
        assert _colours(text) and _colours(text) <= _palette(), _colours(text) - _palette()


def test_the_palette_loads_neither_matplotlib_nor_pandas_nor_a_chart_kind():
    """The HTML export imports it in a batch's parent process."""
    code = (
        "import sys, perf.charts.style, perf.charts; "
        "print(sorted(m for m in ('matplotlib', 'pandas', 'perf.charts.trend') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
