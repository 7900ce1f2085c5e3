"""Shared fixtures: a small world (a catalogue, an area table, three authorities by four
quarters) for tests about logic, a small briefing :class:`~perf.report.context.Context` built
from it without any data file, one warm renderer per test process, and paths to real files.
Every test reads a copy of the committed data/, not the user's own files there
(tests/pristine_data.py, imported before perf).

The small world (all figures made up):

* areas: England, the West Midlands and three of its authorities, Dudley, Sandwell and
  Walsall, each the other two's statistical neighbours;
* the four headline indicators for all five areas, the four quarters of 2012-13 (children
  looked after also in the two quarters before, so that it alone has enough points for a
  control chart), with catalogue decimals that differ from the default (1), so a test can
  tell the catalogue's decimals were used;
* Dudley's own figures for 2012-13 Q4: three scored against targets (one below), two key
  activities and a comment.

Each test gets its own copy of a frame, so a test cannot spoil another's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
import pristine_data  # tests/pristine_data.py: sets PERF_DATA_DIR, so before any perf import
import pytest

from perf import config
from perf.assessment import place_and_compare, plan_of_activities
from perf.benchmarking import benchmark
from perf.compare import match_period
from perf.periods import financial_quarter, parse_period
from perf.report.context import SET_COLUMNS, Context, with_verdicts
from perf.schema import Areas, Commentary, Indicators, KeyActivities, Observations, Targets
from perf.scoring import score_activities, score_against_target

ENGLAND = (config.ENGLAND, "England")
REGION = ("E12000005", "West Midlands")
AUTHORITIES = [("E08000027", "Dudley"), ("E08000028", "Sandwell"), ("E08000030", "Walsall")]
DUDLEY = AUTHORITIES[0][0]
#: The quarters every small series covers (2012-13 Q1 to Q4), and the small briefing's period.
QUARTERS = [financial_quarter(2012, q) for q in range(1, 5)]
PERIOD = "2012-13 Q4"

# --- the catalogue --------------------------------------------------------------------

_CATALOGUE_COLUMNS = [
    "indicator",
    "title",
    "unit",
    "polarity",
    "decimals",
    "tolerance",
    "tolerance_type",
    "frequency",
    "cumulative",
    "quartiles",
    "definition",
    "source",
]
_CATALOGUE = [
    (
        "cla_rate",
        "Children looked after per 10,000 children",
        "rate per 10,000",
        "low",
        0,
        None,
        "Children looked after per 10,000 children aged 0 to 17; a lower rate is better.",
    ),
    (
        "neet_16_17",
        "16-17 year olds not in education, employment or training",
        "%",
        "low",
        1,
        None,
        "Share of 16-17 year olds known to the council who are NEET.",
    ),
    (
        "PriTotAbs",
        "Primary school overall absence",
        "%",
        "low",
        2,
        None,
        "Sessions missed as a share of possible sessions, primary schools.",
    ),
    ("SecTotAbs", "Secondary school overall absence", "%", "low", 2, None, None),
    (
        "dudley_lac_rate",
        "Number of LAC per 10k of the child population",
        "rate per 10,000",
        "low",
        1,
        2.0,
        "Dudley's own count of children looked after per 10,000 children.",
    ),
    (
        "dudley_care_leavers_eet",
        "Care leavers in employment, education or training",
        "%",
        "high",
        0,
        5.0,
        "Care leavers aged 19 to 21 in employment, education or training.",
    ),
    (
        "dudley_cp_plan_rate",
        "Children subject to a child protection plan per 10,000",
        "rate per 10,000",
        "low",
        1,
        1.0,
        None,
    ),
]


def small_catalogue() -> pd.DataFrame:
    """Seven indicators (the four headline ones and three of Dudley's), validated."""
    return _small_catalogue().copy()


@cache  # validated once per process; callers get copies
def _small_catalogue() -> pd.DataFrame:
    rows = [
        {
            "indicator": i,
            "title": t,
            "unit": u,
            "polarity": p,
            "decimals": d,
            "tolerance": tol,
            "tolerance_type": "absolute",
            "frequency": "quarterly" if i.startswith("dudley") else "annual",
            "cumulative": False,
            "quartiles": not i.startswith("dudley"),
            "definition": defn,
            "source": "fixture catalogue",
            "counts": "people",
            "definition_plain": defn,
            "same_as": None,
            "break_at": None,
            "break_note": None,
        }
        for i, t, u, p, d, tol, defn in _CATALOGUE
    ]
    columns = [
        *_CATALOGUE_COLUMNS,
        *(c for c in Indicators.to_schema().columns if c not in _CATALOGUE_COLUMNS),
    ]
    return Indicators.validate(pd.DataFrame(rows).reindex(columns=columns))


# --- the areas ------------------------------------------------------------------------


def small_areas() -> pd.DataFrame:
    """England, the West Midlands and three authorities with neighbours, validated."""
    return _small_areas().copy()


@cache
def _small_areas() -> pd.DataFrame:
    rows = [
        {
            "area_code": ENGLAND[0],
            "la_number": 970,
            "area_name": "England",
            "area_level": "england",
            "region_code": None,
            "region_name": None,
            "neighbours": None,
        },
        {
            "area_code": REGION[0],
            "la_number": 984,
            "area_name": REGION[1],
            "area_level": "region",
            "region_code": None,
            "region_name": None,
            "neighbours": None,
        },
    ]
    for number, (code, name) in zip((332, 333, 335), AUTHORITIES):
        others = ";".join(c for c, _ in AUTHORITIES if c != code)
        rows.append(
            {
                "area_code": code,
                "la_number": number,
                "area_name": name,
                "area_level": "la",
                "region_code": REGION[0],
                "region_name": REGION[1],
                "neighbours": others,
            }
        )
    frame = pd.DataFrame(rows)
    frame["la_number"] = frame["la_number"].astype("Int64")
    return Areas.validate(frame)


# --- observations ---------------------------------------------------------------------

#: Headline figures, one list per area (England, region, Dudley, Sandwell, Walsall), one value
#: per quarter of :data:`QUARTERS` (children looked after: two earlier quarters first).
HEADLINE = {
    "cla_rate": (
        "cla_fixture.csv (fixture CLA release)",
        {
            ENGLAND[0]: [59.0, 59.5, 60.0, 60.2, 60.4, 60.6],
            REGION[0]: [70.0, 70.5, 71.0, 71.4, 71.8, 72.0],
            "E08000027": [99.0, 98.0, 100.0, 101.0, 98.0, 96.4],
            "E08000028": [88.0, 89.0, 90.0, 91.0, 92.0, 93.0],
            "E08000030": [70.0, 72.0, 71.0, 73.0, 74.0, 75.0],
        },
    ),
    "neet_16_17": (
        "neet_fixture.csv (fixture NCCIS release)",
        {
            ENGLAND[0]: [6.0, 5.9, 5.8, 5.7],
            REGION[0]: [6.5, 6.4, 6.3, 6.2],
            "E08000027": [7.2, 7.0, 6.9, 6.66],
            "E08000028": [8.0, 8.1, 8.2, 8.3],
            "E08000030": [5.0, 5.1, 5.2, 5.3],
        },
    ),
    "PriTotAbs": (
        "absence_fixture.csv (fixture absence release)",
        {
            ENGLAND[0]: [4.0, 4.0, 4.1, 4.1],
            REGION[0]: [4.2, 4.2, 4.3, 4.3],
            "E08000027": [4.5, 4.4, 4.3, 4.137],
            "E08000028": [4.9, 4.8, 4.7, 4.6],
            "E08000030": [3.9, 3.8, 3.7, 3.6],
        },
    ),
    "SecTotAbs": (
        "absence_fixture.csv (fixture absence release)",
        {
            ENGLAND[0]: [5.0, 5.1, 5.2, 5.3],
            REGION[0]: [5.4, 5.5, 5.6, 5.7],
            "E08000027": [5.2, 5.3, 5.4, 5.551],
            "E08000028": [6.0, 6.1, 6.2, 6.3],
            "E08000030": [4.8, 4.9, 5.0, 5.1],
        },
    ),
}

_NAMES = {ENGLAND[0]: ENGLAND, REGION[0]: REGION, **{c: (c, n) for c, n in AUTHORITIES}}
_LEVELS = {ENGLAND[0]: "england", REGION[0]: "region"}


def _row(
    indicator: str, code: str, period, value: float, source: str, flag: str | None = None
) -> dict:
    return {
        "indicator": indicator,
        "area_code": code,
        "area_name": _NAMES[code][1],
        "area_level": _LEVELS.get(code, "la"),
        "period": period.label,
        "period_kind": period.kind,
        "period_start": pd.Timestamp(period.start),
        "period_end": pd.Timestamp(period.end),
        "value": value,
        "numerator": float("nan"),
        "denominator": float("nan"),
        "flag": flag,
        "source": source,
    }


def headline_frame() -> pd.DataFrame:
    """:data:`HEADLINE` as tidy observations, validated."""
    return _headline_frame().copy()


@cache
def _headline_frame() -> pd.DataFrame:
    rows = []
    for indicator, (source, by_area) in HEADLINE.items():
        for code, values in by_area.items():
            quarters = (
                QUARTERS
                if len(values) == 4
                else [financial_quarter(2011, 3), financial_quarter(2011, 4), *QUARTERS]
            )
            rows += [_row(indicator, code, p, v, source) for p, v in zip(quarters, values)]
    return Observations.validate(pd.DataFrame(rows))


#: Dudley's own figures for 2012-13 Q4: (indicator, value, target, priority).
LOCAL = [
    ("dudley_lac_rate", 104.94, 98.8, "Young people"),
    ("dudley_care_leavers_eet", 71.5, 65.0, "Young people"),
    ("dudley_cp_plan_rate", 35.55, 36.0, "Safeguarding"),
]
LOCAL_SOURCE = "dudley_fixture_scorecard.csv (Dudley fixture scorecard, 2012-13 Q4)"


def local_frame(flag: str | None = None) -> pd.DataFrame:
    """Dudley's own figures for 2012-13 Q4 (no targets here: see :func:`local_tables`)."""
    return _local_frame(flag).copy()


@cache
def _local_frame(flag: str | None) -> pd.DataFrame:
    p = parse_period(PERIOD)
    rows = [_row(i, DUDLEY, p, v, LOCAL_SOURCE, flag) for i, v, _, _ in LOCAL]
    return Observations.validate(pd.DataFrame(rows))


def local_tables() -> dict[str, pd.DataFrame]:
    """Dudley's targets, key activities and commentary for 2012-13 Q4, validated."""
    return {name: frame.copy() for name, frame in _local_tables().items()}


@cache
def _local_tables() -> dict[str, pd.DataFrame]:
    targets = Targets.validate(
        pd.DataFrame(
            [
                {"indicator": i, "area_code": DUDLEY, "period": PERIOD, "target": t}
                for i, _, t, _ in LOCAL
            ]
        )
    )
    activities = KeyActivities.validate(
        pd.DataFrame(
            [
                {
                    "ref": "YP1a",
                    "area_code": DUDLEY,
                    "period": PERIOD,
                    "priority": "Young people",
                    "objective": "Objective 1 Improve outcomes",
                    "activity": "Improve early years outcomes",
                    "status": "good",
                    "progress": "Work with schools is under way.",
                    "lead_officer": "Director",
                },
                {
                    "ref": "YP1b",
                    "area_code": DUDLEY,
                    "period": PERIOD,
                    "priority": "Young people",
                    "objective": "Objective 1 Improve outcomes",
                    "activity": "Improve attainment at 16",
                    "status": "excellent",
                    "progress": "Ahead of plan.",
                    "lead_officer": "Director",
                },
            ]
        )
    )
    commentary = Commentary.validate(
        pd.DataFrame(
            [
                {
                    "indicator": "dudley_lac_rate",
                    "area_code": DUDLEY,
                    "period": PERIOD,
                    "text": "Admissions rose in the quarter.\n\nFewer children left care.",
                },
            ]
        )
    )
    return {"targets": targets, "activities": activities, "commentary": commentary}


@pytest.fixture
def catalogue_small() -> pd.DataFrame:
    return small_catalogue()


@pytest.fixture
def areas_small() -> pd.DataFrame:
    return small_areas()


@pytest.fixture
def observations_small() -> pd.DataFrame:
    """3 authorities x 4 quarters of 2012-13 for one local indicator, validated."""
    rows = []
    for i, (code, _) in enumerate(AUTHORITIES):
        for q, p in enumerate(QUARTERS, start=1):
            rows.append(_row("dudley_lac_rate", code, p, 90.0 + 5 * i + q, "fixture"))
    return Observations.validate(pd.DataFrame(rows))


@pytest.fixture
def headline_small() -> pd.DataFrame:
    """The four headline indicators for England, the region and three authorities."""
    return headline_frame()


@pytest.fixture
def local_small() -> pd.DataFrame:
    """Dudley's own figures for 2012-13 Q4."""
    return local_frame()


# --- a small briefing context ---------------------------------------------------------


#: The small world's indicator set: its four headline indicators, as a core set.
SMALL_SET = pd.DataFrame(
    {
        "indicator": list(HEADLINE),
        "plan": "Children's services core set",
        "scheme": "tolerance",
        "priority": [
            "Children in care",
            "Young people NEET",
            "School attendance",
            "School attendance",
        ],
        "role": "kpi",
    }
).reindex(columns=SET_COLUMNS)


def with_positions(ctx: Context) -> Context:
    """``ctx`` with its verdicts and neighbour positions, as prepare() computes them (from
    its final obs, latest, codes and model): :func:`perf.report.context.with_verdicts`."""
    return with_verdicts(ctx)


def build_context(
    *,
    area_code: str = DUDLEY,
    period: str = PERIOD,
    local: str | None = "scored",
    public: bool = True,
    obs: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    local_flag: str | None = None,
    **changes,
) -> Context:
    """A :class:`Context` from the small world, as :func:`perf.report.context.prepare` would
    make it, without reading a file.

    ``local``: ``"scored"`` (Dudley's figures with targets, key activities and a comment),
    ``"untargeted"`` (the figures without targets) or None (no local figures). ``obs``
    replaces the headline observations; ``changes`` replace any other field.
    """
    catalogue = small_catalogue() if catalogue is None else catalogue
    areas = small_areas()
    here = areas.set_index("area_code").loc[area_code]
    period_obj = parse_period(period)
    headline = headline_frame() if obs is None else obs
    local_obs = local_frame(local_flag) if local and area_code == DUDLEY else None
    every = (
        pd.concat([headline, local_obs], ignore_index=True) if local_obs is not None else headline
    )
    area_obs = every[every["area_code"] == area_code]
    latest = match_period(area_obs, period_obj.label).set_index("indicator")
    benchmarks = {}
    for indicator in HEADLINE:
        if indicator in latest.index:
            benchmarks[indicator] = benchmark(
                every,
                indicator,
                str(latest.loc[indicator, "period"]),
                areas=areas,
                catalogue=catalogue,
            )
    scored = activities = commentary = untargeted = None
    if local_obs is not None and local == "scored":
        tables = local_tables()
        scored = score_against_target(local_obs, tables["targets"], catalogue)
        scored = scored.merge(
            catalogue[["indicator", "title", "unit", "decimals"]], on="indicator", how="left"
        )
        scored["flag"] = scored["indicator"].map(local_obs.set_index("indicator")["flag"])
        # as prepare(): placed in no plan (the council declared none), perf's own status shown
        scored = place_and_compare(scored, None, None).drop(columns="priority")
        scored["priority"] = scored["indicator"].map({i: p for i, _, _, p in LOCAL})
        scored["target_flag"] = None
        scored["cumulative"] = False
        activities = score_activities(plan_of_activities(tables["activities"], None))
        commentary = tables["commentary"]
    elif local_obs is not None and local == "untargeted":
        untargeted = local_obs
    ctx = Context(
        area_code=area_code,
        area_name=str(here["area_name"]),
        region_code=str(here["region_code"]) if pd.notna(here["region_code"]) else None,
        region_name=str(here["region_name"]) if pd.notna(here["region_name"]) else None,
        neighbour_codes=tuple(str(here["neighbours"] or "").split(";"))
        if pd.notna(here["neighbours"])
        else (),
        period=period_obj.label,
        period_obj=period_obj,
        committee="Children's Services Scrutiny Committee",
        meeting_date="",
        author="Fixture team",
        public=public,
        catalogue=catalogue,
        obs=every,
        area_obs=area_obs,
        latest=latest,
        local_obs=local_obs if local_obs is not None else every.iloc[0:0],
        scored=scored,
        untargeted=untargeted,
        activities=activities,
        commentary=commentary,
        benchmarks=benchmarks,
        neighbour_positions={},
        revised={},
        indicator_set=SMALL_SET.copy(),
        core_set=True,
    )
    ctx = replace(ctx, **changes) if changes else ctx
    if "neighbour_positions" in changes or "verdicts" in changes:
        return ctx
    return with_positions(ctx)


@pytest.fixture(scope="session")
def make_context() -> Callable[..., Context]:
    """:func:`build_context`: ``make_context(local=None, public=False, ...)``."""
    return build_context


@pytest.fixture
def small_context() -> Context:
    """Dudley, 2012-13 Q4, in the small world, with its own scored figures."""
    return build_context()


# --- the data every test reads: a copy of the committed data/ (tests/pristine_data.py) ------


def pytest_report_header(config) -> str:
    return pristine_data.report_header()


# --- one warm kernel per test process -------------------------------------------------


@pytest.fixture(scope="session")
def renderer():
    """One :class:`perf.render.runner.Renderer` (a warm kernel: seconds to start) for every
    test in this process that executes a notebook."""
    # Lazy: only the tests that execute notebooks pay for papermill and jupyter_client.
    from perf.render.runner import Renderer

    with Renderer() as r:
        yield r


# --- real files -----------------------------------------------------------------------


@pytest.fixture
def bad_input_dir() -> Path:
    return config.TESTS_DIR / "bad_input"


@pytest.fixture
def raw_dir() -> Path:
    return config.RAW_DIR


# --- a small briefing context, built directly (no data files read) -------------------------

ENGLAND_CODE = "E92000001"  # (DUDLEY as above)
#: Dudley's neighbours in the 2025 and 2021 models (real codes: perf.areas reads them).
SN_2025 = [
    "E08000036",
    "E06000020",
    "E06000004",
    "E08000018",
    "E08000016",
    "E06000035",
    "E08000008",
    "E10000017",
    "E06000005",
    "E10000019",
]
SN_2021 = [
    "E08000018",
    "E06000020",
    "E06000035",
    "E08000010",
    "E08000017",
    "E10000017",
    "E06000013",
    "E10000007",
    "E08000008",
    "E10000024",
]
#: Every council in the small frame but Dudley, each with its own cla_rate for 2025.
PEERS = sorted(set(SN_2025) | set(SN_2021))
PEER_CLA_2025 = {code: 60.0 + 5 * i for i, code in enumerate(PEERS)}
#: The one 2025 neighbour without a published figure for 31 March 2025.
SUPPRESSED_PEER = "E06000004"  # Stockton-on-Tees

SMALL_CATALOGUE = pd.DataFrame(
    [
        {
            "indicator": "cla_rate",
            "title": "Children looked after per 10,000",
            "unit": "rate per 10,000",
            "decimals": 0,
            "polarity": "low",
            "tolerance": float("nan"),
            "tolerance_type": "absolute",
            "definition": "Long definition of cla_rate.",
            "source": "cla.csv (DfE)",
            "summary": "Children looked after per 10,000 children.",
            "release": "DfE CLA 2025",
            "measure": "national",
            "collection": "SSDA903",
            "target_set_by": "No target: a national measure.",
            "comparator": "Yes: England and every council.",
        },
        {
            "indicator": "neet_16_17",
            "title": "NEET 16-17 (%)",
            "unit": "%",
            "decimals": 1,
            "polarity": "low",
            "tolerance": float("nan"),
            "tolerance_type": "absolute",
            "definition": None,
            "source": "nccis.csv (DfE)",
            "summary": "NEET 16 and 17 year olds.",
            "release": "DfE NCCIS 2025",
            "measure": "national",
            "collection": "NCCIS",
            "target_set_by": "No target: a national measure.",
            "comparator": "Yes: England and every council.",
        },
        {
            "indicator": "dudley_lac_rate",
            "title": "LAC per 10k (local)",
            "unit": "rate per 10,000",
            "decimals": 1,
            "polarity": "low",
            "tolerance": 3.0,
            "tolerance_type": "absolute",
            "definition": "Local LAC rate.",
            "source": "scorecard.csv",
            "summary": None,
            "release": "Dudley quarterly report",
            "measure": "local",
            "collection": "Dudley's own records",
            "target_set_by": "Dudley MBC cabinet, March 2023.",
            "comparator": "No: a quarterly local figure.",
        },
    ]
).assign(counts="people", definition_plain=None, same_as=None, break_at=None, break_note=None)


def _neighbour_row(
    indicator: str,
    code: str,
    period: str,
    value: float,
    numerator=float("nan"),
    denominator=float("nan"),
    flag=None,
    source="small.csv (fixture)",
) -> dict:
    from perf.areas import areas
    from perf.periods import parse_period

    p = parse_period(period)
    names = areas().set_index("area_code")["area_name"]
    return {
        "indicator": indicator,
        "area_code": code,
        "area_name": "England" if code == ENGLAND_CODE else str(names[code]),
        "area_level": "england" if code == ENGLAND_CODE else "la",
        "period": p.label,
        "period_kind": p.kind,
        "period_start": pd.Timestamp(p.start),
        "period_end": pd.Timestamp(p.end),
        "value": value,
        "numerator": numerator,
        "denominator": denominator,
        "flag": flag,
        "source": source,
    }


def small_observations() -> pd.DataFrame:
    """A fresh copy of :func:`_small_observations`."""
    return _small_observations().copy()


@lru_cache(maxsize=1)
def _small_observations() -> pd.DataFrame:
    """cla_rate 31 March 2021-2025 (Dudley, England; the 15 neighbours in 2024 and 2025, one
    suppressed in 2025), NEET 2024-2025 with cohorts, and 8 quarters of a local LAC rate."""
    rows = []
    for year, dudley, england in zip(range(2021, 2026), [91, 85, 85, 82, 81], [70, 70, 71, 70, 67]):
        period = f"31 March {year}"
        rows.append(
            _neighbour_row("cla_rate", DUDLEY, period, float(dudley), dudley * 7.0, 70_000.0)
        )
        rows.append(
            _neighbour_row(
                "cla_rate", ENGLAND_CODE, period, float(england), england * 1200.0, 12_000_000.0
            )
        )
        if year >= 2024:
            for code, value in PEER_CLA_2025.items():
                value = value + (year - 2025) * 2
                if year == 2025 and code == SUPPRESSED_PEER:
                    rows.append(
                        _neighbour_row(
                            "cla_rate", code, period, float("nan"), flag="c", denominator=50_000.0
                        )
                    )
                else:
                    rows.append(
                        _neighbour_row("cla_rate", code, period, value, value * 5.0, 50_000.0)
                    )
    for year, dudley, england in ((2024, 2.5, 3.2), (2025, 2.4, 3.4)):
        rows.append(_neighbour_row("neet_16_17", DUDLEY, str(year), dudley, denominator=7_700.0))
        rows.append(
            _neighbour_row("neet_16_17", ENGLAND_CODE, str(year), england, denominator=1_000_000.0)
        )
        if year == 2025:
            for i, code in enumerate(PEERS):
                rows.append(
                    _neighbour_row(
                        "neet_16_17", code, str(year), 2.0 + 0.3 * i, denominator=5_000.0
                    )
                )
    local = [100.0, 102.0, 99.0, 101.0, 100.0, 103.0, 98.0, 104.9]
    for i, value in enumerate(local):
        year, quarter = 2023 + i // 4, i % 4 + 1
        rows.append(
            _neighbour_row(
                "dudley_lac_rate",
                DUDLEY,
                f"{year}-{str(year + 1)[2:]} Q{quarter}",
                value,
                source="scorecard.csv (Dudley)",
            )
        )
    return Observations.validate(pd.DataFrame(rows))


@pytest.fixture
def make_neighbour_context():
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
        local_obs = area_obs[
            (area_obs["indicator"] == "dudley_lac_rate") & (area_obs["period"] == period.label)
        ]
        status = score(104.9, 98.8, "low", 3.0)
        scored = pd.DataFrame(
            [
                {
                    "indicator": "dudley_lac_rate",
                    "area_code": DUDLEY,
                    "period": period.label,
                    "value": 104.9,
                    "target": 98.8,
                    "status": status.status,
                    "symbol": status.symbol,
                    "status_word": status.word,
                    "rag": status.rag,
                    "basis": "period",
                    "title": "LAC per 10k (local)",
                    "unit": "rate per 10,000",
                    "decimals": 1,
                    "flag": None,
                    "priority": "Young people",
                }
            ]
        )
        codes = SN_2025 if neighbour_model == "2025" else SN_2021
        lookup = pd.DataFrame(
            {
                "area_code": [DUDLEY, *PEERS],
                "region_code": "E12000005",
                "neighbours": [";".join(codes)] + [None] * len(PEERS),
            }
        )
        benchmarks = {
            i: benchmark(obs, i, p, catalogue=cat, areas=lookup)
            for i, p in (("cla_rate", "31 March 2025"), ("neet_16_17", "2025"))
        }
        funnels = {
            i: funnel(obs, i, p, catalogue=cat)
            for i, p in (("cla_rate", "31 March 2025"), ("neet_16_17", "2025"))
        }
        ctx = Context(
            area_code=DUDLEY,
            area_name="Dudley",
            region_code="E12000005",
            region_name="West Midlands",
            neighbour_codes=tuple(codes),
            period=period.label,
            period_obj=period,
            committee="Scrutiny",
            meeting_date="",
            author="Team",
            public=True,
            catalogue=cat,
            obs=obs,
            area_obs=area_obs,
            latest=latest,
            local_obs=local_obs,
            scored=scored,
            untargeted=None,
            activities=None,
            commentary=None,
            benchmarks=benchmarks,
            neighbour_positions={},
            revised={},
            neighbour_model=neighbour_model,
            funnels=funnels,
            indicator_set=NEIGHBOUR_SET.copy(),
            core_set=True,
        )
        ctx = replace(ctx, **changes) if changes else ctx
        return ctx if "neighbour_positions" in changes else with_positions(ctx)

    return make


#: The neighbour context's indicator set (a core set of two published indicators).
NEIGHBOUR_SET = pd.DataFrame(
    {
        "indicator": ["cla_rate", "neet_16_17"],
        "plan": "Children's services core set",
        "scheme": "tolerance",
        "priority": ["Children in care", "Young people not in education, employment or training"],
        "role": "kpi",
    }
).reindex(columns=SET_COLUMNS)
