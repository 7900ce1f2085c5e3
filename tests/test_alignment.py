"""perf.alignment: the reporting year or quarter a published period belongs to."""

from __future__ import annotations

from datetime import date

import perf.alignment as alignment
from perf.alignment import latest_reporting_period


def test_latest_reporting_period_places_each_distinct_span_once(monkeypatch) -> None:
    spans = [
        ("snapshot", date(2025, 3, 31), date(2025, 3, 31)),
        ("calendar_year", date(2024, 1, 1), date(2024, 12, 31)),
        ("financial_year", date(2023, 4, 1), date(2024, 3, 31)),
    ] * 500  # a council's figures: thousands of rows, a few periods
    placed = []
    original = alignment.reporting_year

    def counted(kind, start, end):
        placed.append((kind, start, end))
        return original(kind, start, end)

    monkeypatch.setattr(alignment, "reporting_year", counted)
    latest = latest_reporting_period(iter(spans))  # any iterable, read once
    assert latest is not None and latest.label == "2024-25"
    assert sorted(placed) == sorted(set(spans))  # each once
    assert latest_reporting_period([]) is None
    quarter = latest_reporting_period(spans, "financial_quarter")
    assert quarter is not None and quarter.label == "2024-25 Q4"
