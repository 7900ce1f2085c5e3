"""Shared fixtures: small tidy frames (3 authorities x 4 quarters) and paths to real files."""

from __future__ import annotations

from functools import lru_cache
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


# --- a small briefing context, built directly (no data files read) -------------------------

DUDLEY, ENGLAND_CODE = "E08000027", "E92000001"
#: Dudley's neighbours in the 2025 and 2021 models (real codes: perf.areas reads them).
SN_2025 = ["E08000036", "E06000020", "E06000004", "E08000018", "E08000016", "E06000035",
           "E08000008", "E10000017", "E06000005", "E10000019"]
SN_2021 = ["E08000018", "E06000020", "E06000035", "E08000010", "E08000017", "E10000017",
           "E06000013", "E10000007", "E08000008", "E10000024"]
#: Every council in the small frame but Dudley, each with its own cla_rate for 2025.
PEERS = sorted(set(SN_2025) | set(SN_2021))
PEER_CLA_2025 = {code: 60.0 + 5 * i for i, code in enumerate(PEERS)}
#: The one 2025 neighbour without a published figure for 31 March 2025.
SUPPRESSED_PEER = "E06000004"  # Stockton-on-Tees

SMALL_CATALOGUE = pd.DataFrame([
    {"indicator": "cla_rate", "title": "Children looked after per 10,000",
     "unit": "rate per 10,000", "decimals": 0, "polarity": "low", "tolerance": float("nan"),
     "tolerance_type": "absolute", "definition": "Long definition of cla_rate.",
     "source": "cla.csv (DfE)", "summary": "Children looked after per 10,000 children.",
     "release": "DfE CLA 2025", "measure": "national", "collection": "SSDA903",
     "target_set_by": "No target: a national measure.",
     "comparator": "Yes: England and every council."},
    {"indicator": "neet_16_17", "title": "NEET 16-17 (%)", "unit": "%", "decimals": 1,
     "polarity": "low", "tolerance": float("nan"), "tolerance_type": "absolute",
     "definition": None, "source": "nccis.csv (DfE)", "summary": "NEET 16 and 17 year olds.",
     "release": "DfE NCCIS 2025", "measure": "national", "collection": "NCCIS",
     "target_set_by": "No target: a national measure.",
     "comparator": "Yes: England and every council."},
    {"indicator": "dudley_lac_rate", "title": "LAC per 10k (local)", "unit": "rate per 10,000",
     "decimals": 1, "polarity": "low", "tolerance": 3.0, "tolerance_type": "absolute",
     "definition": "Local LAC rate.", "source": "scorecard.csv", "summary": None,
     "release": "Dudley quarterly report", "measure": "local",
     "collection": "Dudley's own records", "target_set_by": "Dudley MBC cabinet, March 2023.",
     "comparator": "No: a quarterly local figure."},
])


def _row(indicator: str, code: str, period: str, value: float, numerator=float("nan"),
         denominator=float("nan"), flag=None, source="small.csv (fixture)") -> dict:
    from perf.areas import areas
    from perf.periods import parse_period

    p = parse_period(period)
    names = areas().set_index("area_code")["area_name"]
    return {"indicator": indicator, "area_code": code,
            "area_name": "England" if code == ENGLAND_CODE else str(names[code]),
            "area_level": "england" if code == ENGLAND_CODE else "la", "period": p.label,
            "period_kind": p.kind, "period_start": pd.Timestamp(p.start),
            "period_end": pd.Timestamp(p.end), "value": value, "numerator": numerator,
            "denominator": denominator, "flag": flag, "source": source}


def small_observations() -> pd.DataFrame:
    """A fresh copy of :func:`_small_observations`."""
    return _small_observations().copy()


@lru_cache(maxsize=1)
def _small_observations() -> pd.DataFrame:
    """cla_rate 31 March 2021-2025 (Dudley, England; the 15 neighbours in 2024 and 2025, one
    suppressed in 2025), NEET 2024-2025 with cohorts, and 8 quarters of a local LAC rate."""
    rows = []
    for year, dudley, england in zip(range(2021, 2026), [91, 85, 85, 82, 81],
                                     [70, 70, 71, 70, 67]):
        period = f"31 March {year}"
        rows.append(_row("cla_rate", DUDLEY, period, float(dudley), dudley * 7.0, 70_000.0))
        rows.append(_row("cla_rate", ENGLAND_CODE, period, float(england), england * 1200.0,
                         12_000_000.0))
        if year >= 2024:
            for code, value in PEER_CLA_2025.items():
                value = value + (year - 2025) * 2
                if year == 2025 and code == SUPPRESSED_PEER:
                    rows.append(_row("cla_rate", code, period, float("nan"), flag="c",
                                     denominator=50_000.0))
                else:
                    rows.append(_row("cla_rate", code, period, value, value * 5.0, 50_000.0))
    for year, dudley, england in ((2024, 2.5, 3.2), (2025, 2.4, 3.4)):
        rows.append(_row("neet_16_17", DUDLEY, str(year), dudley, denominator=7_700.0))
        rows.append(_row("neet_16_17", ENGLAND_CODE, str(year), england,
                         denominator=1_000_000.0))
        if year == 2025:
            for i, code in enumerate(PEERS):
                rows.append(_row("neet_16_17", code, str(year), 2.0 + 0.3 * i,
                                 denominator=5_000.0))
    local = [100.0, 102.0, 99.0, 101.0, 100.0, 103.0, 98.0, 104.9]
    for i, value in enumerate(local):
        year, quarter = 2023 + i // 4, i % 4 + 1
        rows.append(_row("dudley_lac_rate", DUDLEY, f"{year}-{str(year + 1)[2:]} Q{quarter}",
                         value, source="scorecard.csv (Dudley)"))
    return Observations.validate(pd.DataFrame(rows))


@pytest.fixture
def make_context():
    """A function building a small :class:`perf.report.context.Context` directly (period
    2024-25 Q4, a year of neighbour-model change): Dudley's figures, England's and its
    neighbours', one scored local indicator; ``**changes`` replace fields."""
    from dataclasses import replace

    from perf.benchmarking import benchmark
    from perf.compare import match_period
    from perf.periods import parse_period
    from perf.report.context import Context
    from perf.scoring import score
    from perf.significance import funnel

    def make(neighbour_model: str = "2025", **changes):
        obs = small_observations()
        cat = SMALL_CATALOGUE
        period = parse_period("2024-25 Q4")
        area_obs = obs[obs["area_code"] == DUDLEY]
        latest = match_period(area_obs, period.label).set_index("indicator")
        local_obs = area_obs[(area_obs["indicator"] == "dudley_lac_rate")
                             & (area_obs["period"] == period.label)]
        status = score(104.9, 98.8, "low", 3.0)
        scored = pd.DataFrame([{
            "indicator": "dudley_lac_rate", "area_code": DUDLEY, "period": period.label,
            "value": 104.9, "target": 98.8, "status": status.status, "symbol": status.symbol,
            "status_word": status.word, "rag": status.rag, "basis": "period",
            "title": "LAC per 10k (local)", "unit": "rate per 10,000", "decimals": 1,
            "flag": None, "priority": "Young people"}])
        codes = SN_2025 if neighbour_model == "2025" else SN_2021
        lookup = pd.DataFrame({"area_code": [DUDLEY, *PEERS], "region_code": "E12000005",
                               "neighbours": [";".join(codes)] + [None] * len(PEERS)})
        benchmarks = {i: benchmark(obs, i, p, catalogue=cat, areas=lookup)
                      for i, p in (("cla_rate", "31 March 2025"), ("neet_16_17", "2025"))}
        funnels = {i: funnel(obs, i, p, catalogue=cat)
                   for i, p in (("cla_rate", "31 March 2025"), ("neet_16_17", "2025"))}
        ctx = Context(
            area_code=DUDLEY, area_name="Dudley", region_code="E12000005",
            neighbour_codes=tuple(codes), period=period.label, period_obj=period,
            committee="Scrutiny", meeting_date="", author="Team", public=True, catalogue=cat,
            obs=obs, area_obs=area_obs, latest=latest, local_obs=local_obs, scored=scored,
            untargeted=None, activities=None, commentary=None, benchmarks=benchmarks,
            revised={}, neighbour_model=neighbour_model, funnels=funnels)
        return replace(ctx, **changes) if changes else ctx

    return make
