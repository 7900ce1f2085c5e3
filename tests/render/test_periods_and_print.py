"""Periods beyond the data stop before any kernel starts; printed tables repeat their
headers (issue 13, items 10 and 11)."""

from __future__ import annotations

import re

import pytest

from perf.errors import ParameterError
from perf.render.api import render
from perf.render.registry import validate_parameters

# DfE's in-year attendance releases in data/raw run to 10 July 2026, a cut-off in 2026-27
# (perf.alignment: the year to a cut-off belongs to the reporting year holding it), so
# 2026-27 (its Q1) is the latest period with figures for Dudley.
LATEST = "the latest reporting period with figures for Dudley is 2026-27"


@pytest.mark.parametrize(
    "period, message",
    [
        ("2027-28", f"no figures for Dudley in 2027-28: {LATEST}"),
        ("1990-91", f"no figures for Dudley in 1990-91: {LATEST}"),
        ("2024-26", f"'2024-26' reads as a span of years .* {LATEST}"),
        ("2024/25", "'2024/25' reads as a school \\(academic\\) year .*Did you mean 2024-25\\?"),
        (
            "2026-27 Q2",
            "no figures for Dudley in 2026-27 Q2: .*the latest quarter with figures is 2026-27 Q1",
        ),
    ],
)
def test_a_period_beyond_the_data_stops_before_any_kernel_starts(
    period, message, tmp_path, monkeypatch
):
    import perf.render.runner

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started for a period with no data")

    monkeypatch.setattr(perf.render.runner.Renderer, "__init__", no_kernel)
    with pytest.raises(ParameterError, match=message):
        render("briefing", area="Dudley", period=period, out=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_periods_with_figures_pass_and_choices_are_checked():
    assert (
        validate_parameters("briefing", {"area": "Leeds", "period": "2012-13 Q2"})["period"]
        == "2012-13 Q2"
    )
    assert (
        validate_parameters("briefing", {"area": "Dudley", "period": "2024/25 Q4"})["period"]
        == "2024-25 Q4"
    )
    with pytest.raises(ParameterError, match="small_counts_in_text.*one of redact, stop"):
        validate_parameters("briefing", {"small_counts_in_text": "warn"})
    assert (
        validate_parameters("briefing", {"area": "Dudley", "period": "2025-26"})["period"]
        == "2025-26"
    )  # in-year attendance only
    with pytest.raises(ParameterError, match="no figures for Dudley in 2027-28"):
        validate_parameters("quarter_comparison", {"area": "Dudley", "period": "2027-28"})


def test_printed_tables_repeat_headers_and_keep_their_first_rows_with_the_caption():
    from perf.render.html import _CSS

    screen, printed = re.sub(r"/\*.*?\*/", "", _CSS, flags=re.S).split("@media print", 1)
    rules = {sel.strip(): body for sel, body in re.findall(r"([^{}]+)\{([^}]*)\}", printed)}
    assert "table-header-group" in rules["thead"]
    assert "break-inside: auto" in rules["table"]  # a long table may break between rows
    assert "break-inside: avoid" in rules["tr"]
    assert "break-after: avoid" in rules["caption, thead"]
    assert "break-before: avoid" in rules["tbody tr:nth-child(-n+3)"]
    avoid_whole = [
        sel
        for sel, body in rules.items()
        if "break-inside: avoid" in body and re.search(r"(^|,)\s*table\s*(,|$)", sel)
    ]
    assert avoid_whole == []  # a whole table pushed to the next page leaves an empty stub
    assert "table-header-group" not in screen and "nth-child" not in screen
