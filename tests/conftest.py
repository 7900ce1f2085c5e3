"""Shared fixtures: small tidy frames (3 authorities x 4 quarters) and paths to real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from perf import config
from perf.periods import financial_quarter
from perf.schema import Observations

AUTHORITIES = [("E08000027", "Dudley"), ("E08000035", "Leeds"), ("E08000028", "Sandwell")]


@pytest.fixture
def observations_small() -> pd.DataFrame:
    """3 authorities x 4 quarters of 2012-13 for one local indicator, validated."""
    rows = []
    for i, (code, name) in enumerate(AUTHORITIES):
        for q in range(1, 5):
            p = financial_quarter(2012, q)
            rows.append({
                "indicator": "dudley_lac_rate", "area_code": code, "area_name": name,
                "area_level": "la", "period": p.label, "period_kind": p.kind,
                "period_start": pd.Timestamp(p.start), "period_end": pd.Timestamp(p.end),
                "value": 90.0 + 5 * i + q, "numerator": float("nan"),
                "denominator": float("nan"), "flag": None, "source": "fixture",
            })
    return Observations.validate(pd.DataFrame(rows))


@pytest.fixture
def bad_input_dir() -> Path:
    return config.TESTS_DIR / "bad_input"


@pytest.fixture
def raw_dir() -> Path:
    return config.RAW_DIR
