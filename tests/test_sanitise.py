"""perf.sanitise: safe formatting survives, nothing executable does."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from perf.sanitise import clean_html

DUDLEY_PROGRESS = (
    "<p>Action plans in response to the OFSTED inspection of safeguarding are being "
    "implemented across the Directorate and partner agencies. .</p> <p>A quality assurance "
    "framework has been implemented.</p>"
)

# Payloads an attacker (or a careless copy-paste from a web page) could put in a cell.
INJECTION_CORPUS = [
    "<script>alert('xss')</script>Progress",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="java\tscript:alert(1)">tab</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="width: expression(alert(1))">css expression</div>',
    '<style>body{background:url("javascript:alert(1)")}</style>text',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></math>",
    '<math href="javascript:alert(1)">CLICKME</math>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<p onmouseover="alert(1)"<b>malformed</b>',
    "<b onclick=alert(1)>bold</b>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="vbscript:msgbox(1)">vb</a>',
    '<img src="x" style="x:expression(alert(1))">',
    "<template><script>alert(1)</script></template>",
    '<a href="https://ok.example" onclick="alert(1)" style="color:red" target="_blank">ok</a>',
    "javascript:alert(1)",  # plain text: harmless as text, must not become a link
]

_EVENT_HANDLER = re.compile(r"\bon\w+\s*=", re.IGNORECASE)


def _hrefs(cleaned: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', cleaned)]


@pytest.mark.parametrize("payload", INJECTION_CORPUS)
def test_injection_corpus_yields_no_executable_content(payload: str) -> None:
    cleaned = clean_html(payload)
    lowered = cleaned.lower()
    assert "<script" not in lowered
    # an event handler can only be an attribute inside a tag; text mentioning 'onerror=' is
    # escaped by the cleaner, so look at the tags only
    tags = re.findall(r"<[^>]*>", cleaned)
    assert not any(_EVENT_HANDLER.search(tag) for tag in tags), cleaned
    assert not any("style" in tag.lower() for tag in tags), cleaned
    for href in _hrefs(cleaned):
        assert href.split(":", 1)[0].strip().lower() in {"http", "https", "mailto"}, cleaned
    for tag in re.findall(r"<\s*([a-zA-Z0-9]+)", cleaned):
        assert tag.lower() in {"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a"}, cleaned
    for banned in ("<iframe", "<img", "<svg", "<math", "<object", "<embed", "<style", "<form"):
        assert banned not in lowered, cleaned


def test_corpus_is_large_enough() -> None:
    assert len(INJECTION_CORPUS) >= 15


def test_dudley_paragraphs_kept() -> None:
    cleaned = clean_html(DUDLEY_PROGRESS)
    assert cleaned.count("<p>") == 2
    assert cleaned.startswith("<p>Action plans in response")


def test_safe_formatting_kept() -> None:
    text = "<ul><li><em>one</em></li><li><strong>two</strong></li></ul><ol><li>x</li></ol><br>"
    assert clean_html(text) == text


def test_safe_link_gets_rel_and_loses_other_attributes() -> None:
    cleaned = clean_html('<a href="mailto:perf@dudley.gov.uk" target="_blank" id="x">mail</a>')
    assert cleaned == '<a href="mailto:perf@dudley.gov.uk" rel="noopener noreferrer">mail</a>'


def test_script_content_removed_not_just_tags() -> None:
    assert clean_html("<p>ok</p><script>var secret = 1;</script>") == "<p>ok</p>"
    assert "alert" not in clean_html("<style>p{}</style><iframe>alert</iframe>ok")


def test_plain_text_becomes_paragraphs() -> None:
    assert clean_html("One\r\ntwo\n\n\nThree") == "<p>One<br>two</p><p>Three</p>"


def test_plain_text_is_escaped() -> None:
    assert clean_html("Tom & Jerry <3") == "<p>Tom &amp; Jerry &lt;3</p>"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, "", "   "])
def test_missing_gives_empty_string(missing: object) -> None:
    assert clean_html(missing) == ""


def test_cleaning_cleaned_html_changes_nothing() -> None:
    # Output that is HTML is a fixed point; output that is bare text (every tag stripped)
    # is treated as plain text on a second pass and gains a <p>, then stays put.
    for payload in INJECTION_CORPUS + [DUDLEY_PROGRESS]:
        second = clean_html(clean_html(payload))
        assert clean_html(second) == second, payload
