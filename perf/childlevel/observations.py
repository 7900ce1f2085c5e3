"""The returns' figures as tidy observations: the readers :mod:`perf.loaders` registers.

:data:`SSDA903_MEASURES` and :data:`CIN_MEASURES` list every figure computed, each with
its indicator id (DfE's own series' id where the definition is DfE's, so a council's own
quarter and its published year line up: ``cla_count``, ``cla_rate``, ``cla_start_count``,
LAIT's ``ReReferral`` ...), the definition that computes it and the periods it is given
for:

==============  ========================================================  ===============
kind            figure                                                    periods
==============  ========================================================  ===============
``snapshot``    on the last day of each quarter (children looked after,   "30 September
                in need, on a plan)                                       2025"
``flow``        what happened during a period (starts, referrals,         quarters, years,
                timeliness)                                               twelve months
``cohort``      the children of the period's last day, looking back       quarters, years
                (long-term stability, plans open two years)
``year``        the children of the last day, over the twelve months to   years, twelve
                it (three or more placements)                             months
==============  ========================================================  ===============

**Which periods.** Figures are given only for periods that lie within the collection
years the return covers (:class:`perf.childlevel.common.Span`: an SSDA903 return for year
Y covers 1 April Y-1 to 31 March Y, an in-year extract up to its extract date), quarters,
financial years and the twelve months to each quarter's end. Records before the window are
still used where a definition looks back (a referral's previous one, a plan's length,
placements in the year). The definitions themselves take any period.

**Rates** are per 10,000 children aged 0 to 17, from the ONS mid-year estimates
(data/raw): as DfE does, a figure for a day or period in the collection year ending 31
March Y is divided by the mid-year Y-1 estimate (the latest published one when that is not
out yet; its ``source`` says which). ``numerator`` and ``denominator`` are given for every
rate and percentage, so disclosure control and significance tests can use them.

**Source and flag.** ``source`` names the return (its folder or XML file) and says
"computed from the council's SSDA903 return" (or CIN census); the figures of a synthetic
worked example (:data:`perf.childlevel.common.MARKER`) carry flag ``ex`` and say
"SYNTHETIC worked example: made-up children, not <council>'s data".
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache, partial
from pathlib import Path

import numpy as np
import pandas as pd

from perf import config
from perf.areas import find_area
from perf.childlevel import in_need, looked_after
from perf.childlevel.cin import read_cin
from perf.childlevel.common import (
    CIN_SOURCE,
    SSDA903_SOURCE,
    SYNTHETIC_SOURCE,
    DisagreeingReturnsError,
    Span,
    area_in_names,
    collection_year,
)
from perf.childlevel.ssda903 import read_ssda903, table_of
from perf.config import get_logger
from perf.errors import PerfError
from perf.loaders import load
from perf.loaders._frame import finish
from perf.loaders.common import file_header, read_csv_strings
from perf.periods import Period, date_range, financial_quarter, financial_year, snapshot
from perf.schema import OBSERVATION_COLUMNS

__all__ = [
    "CIN_MEASURES",
    "compute",
    "cin_areas",
    "ssda903_areas",
    "Measure",
    "SSDA903_MEASURES",
    "cin_observations",
    "periods_within",
    "ssda903_observations",
]

log = get_logger()

SYNTHETIC = SYNTHETIC_SOURCE + ": made-up children, not {area}'s data"


@dataclass(frozen=True)
class Measure:
    """One computed figure: its id, its definition (frames by name, then periods) and the
    kind of periods it is given for; ``rate_of``: a count per 10,000 children aged 0-17."""

    indicator: str
    compute: Callable[..., pd.DataFrame]
    needs: tuple[str, ...]
    kind: str
    rate_of: str | None = None


def _m(indicator, compute, needs, kind, rate_of=None) -> Measure:
    return Measure(indicator, compute, tuple(needs.split()), kind, rate_of)


#: Every figure computed from an SSDA903 return (see the module docstring).
SSDA903_MEASURES: tuple[Measure, ...] = (
    _m("cla_count", looked_after.cla_count, "episodes", "snapshot"),
    _m("cla_rate", looked_after.cla_count, "episodes", "snapshot", rate_of="cla_count"),
    _m("cla_start_count", looked_after.cla_starts, "episodes", "flow"),
    _m("cla_start_rate", looked_after.cla_starts, "episodes", "flow", "cla_start_count"),
    _m("cla_cease_count", looked_after.ceased, "episodes", "flow"),
    _m("cla_cease_rate", looked_after.ceased, "episodes", "flow", "cla_cease_count"),
    _m("No_of LAC Adopted", looked_after.adopted, "episodes", "flow"),
    _m("%_of LAC Adopted", looked_after.adopted_share, "episodes", "flow"),
    _m("cla_placements_3plus", looked_after.placements_3plus, "episodes", "year"),
    _m("cla_long_term_stability", looked_after.long_term_stability, "episodes header", "cohort"),
    _m("Children_missing", looked_after.children_missing, "episodes missing", "flow"),
    _m("Children_Away", looked_after.children_away, "episodes missing", "flow"),
    _m(
        "care_leavers_eet_17_18",
        partial(looked_after.care_leavers_eet, ages=(17, 18)),
        "oc3",
        "flow",
    ),
    _m(
        "care_leavers_eet_19_21",
        partial(looked_after.care_leavers_eet, ages=(19, 20, 21)),
        "oc3",
        "flow",
    ),
    _m(
        "care_leavers_suitable_17_18",
        partial(looked_after.care_leavers_suitable, ages=(17, 18)),
        "oc3",
        "flow",
    ),
    _m(
        "care_leavers_suitable_19_21",
        partial(looked_after.care_leavers_suitable, ages=(19, 20, 21)),
        "oc3",
        "flow",
    ),
    _m("adoption_care_to_placed_days", looked_after.adoption_care_to_placed, "episodes", "flow"),
    _m(
        "adoption_authority_to_match_days",
        looked_after.adoption_authority_to_match,
        "episodes ad1",
        "flow",
    ),
)

#: Every figure computed from a CIN census (see the module docstring).
CIN_MEASURES: tuple[Measure, ...] = (
    _m("CPP_Total_NumRef", in_need.referral_count, "referrals", "flow"),
    _m(
        "CPP_Total_Rateper10,000",
        in_need.referral_count,
        "referrals",
        "flow",
        rate_of="CPP_Total_NumRef",
    ),
    _m("ReReferral", in_need.re_referrals, "referrals", "flow"),
    _m("Continue_Assess_Comp", in_need.assessments_45_days, "assessments", "flow"),
    _m("s47_count", in_need.s47_count, "section47", "flow"),
    _m("Section_47", in_need.s47_count, "section47", "flow", rate_of="s47_count"),
    _m("CP_conf_15days", in_need.conferences_15_days, "section47", "flow"),
    _m("cin_count", in_need.cin_count, "referrals", "snapshot"),
    _m("CIN", in_need.cin_count, "referrals", "snapshot", rate_of="cin_count"),
    _m("CPP_Num", in_need.cpp_count, "plans", "snapshot"),
    _m("CPP_rate", in_need.cpp_count, "plans", "snapshot", rate_of="CPP_Num"),
    _m("PrevRegCPR", in_need.second_plans, "plans", "flow"),
    _m("CPPlans2yrs", in_need.plans_2_years_ceased, "plans", "flow"),
    _m("CPPlans2yrsActive", in_need.plans_2_years_open, "plans", "cohort"),
)


# -- periods -----------------------------------------------------------------------------


def _quarters(span: Span) -> list[Period]:
    out: list[Period] = []
    year = span.start.year - 1
    while True:
        for q in range(1, 5):
            quarter = financial_quarter(year, q)
            if quarter.start > span.end:
                return out
            if span.holds(quarter.start, quarter.end):
                out.append(quarter)
        year += 1


def periods_within(spans: Sequence[Span], kind: str) -> list[Period]:
    """The periods a figure of ``kind`` is given for, inside ``spans`` (see the module).

    >>> from datetime import date
    >>> s = [Span(date(2025, 4, 1), date(2025, 9, 30))]
    >>> [p.label for p in periods_within(s, "snapshot")]
    ['30 June 2025', '30 September 2025']
    >>> [p.label for p in periods_within(s, "flow")]
    ['2025-26 Q1', '2025-26 Q2']
    >>> s = [Span(date(2024, 4, 1), date(2025, 6, 30))]
    >>> [p.label for p in periods_within(s, "year")]
    ['2024-25', '01/07/2024 to 30/06/2025']
    """
    found: dict[str, Period] = {}
    for span in spans:
        quarters = _quarters(span)
        ends = [q.end for q in quarters]
        years = [financial_year(q.start.year - 1) for q in quarters if q.end.month == 3]
        years = [y for y in years if span.holds(y.start, y.end)]
        twelve = []
        for end in ends:
            first = date(end.year - 1, end.month, end.day) + timedelta(days=1)
            if end.month == 2 and end.day == 29:  # never a quarter's end; kept for safety
                first = date(end.year - 1, 3, 1)
            if span.holds(first, end):
                twelve.append(date_range(first, end))
        if kind == "snapshot":
            chosen = [snapshot(e) for e in ends]
        elif kind == "flow":
            chosen = quarters + years + twelve
        elif kind == "cohort":
            chosen = quarters + years
        elif kind == "year":
            chosen = years + twelve
        else:
            raise ValueError(f"unknown kind of figure {kind!r}")
        for period in chosen:
            found.setdefault(period.label, period)
    return sorted(found.values())


# -- population --------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _population(raw_dir: Path) -> dict[str, dict[int, float]]:
    """ONS mid-year estimates of children aged 0 to 17 from data/raw: council -> mid-year
    -> population."""
    files = sorted(raw_dir.rglob("ons_mid-year_population_estimates*.csv"))
    if not files:
        return {}
    obs = load(files[-1])
    obs = obs[(obs["indicator"] == "population_0_17") & obs["value"].notna()]
    table: dict[str, dict[int, float]] = {}
    for area, year, value in zip(obs["area_code"], obs["period"], obs["value"]):
        table.setdefault(str(area), {})[int(year)] = float(value)
    return table


def _population_for(area_code: str, period: Period) -> tuple[float, int | None]:
    """The mid-year estimate DfE divides a figure ending on ``period``'s last day by (the
    year before its collection year ends), else the latest before it: (population,
    mid-year); NaN when there is none."""
    years = _population(config.RAW_DIR).get(area_code, {})
    wanted = collection_year(period.end) - 1
    usable = [y for y in years if y <= wanted]
    if not usable:
        return np.nan, None
    return years[max(usable)], max(usable)


# -- observations ------------------------------------------------------------------------


def _area_name(area_code: str) -> str:
    return str(find_area(area_code)["area_name"])


def compute(
    frames: Mapping[str, pd.DataFrame | None],
    spans: Sequence[Span],
    measures: Sequence[Measure],
    *,
    name: str = "the return",
) -> pd.DataFrame:
    """Every measure of ``measures`` that ``frames`` (one council's, by table name) can
    give, for the periods of its kind within ``spans``: one row per figure, ``indicator``,
    ``period`` (a :class:`perf.periods.Period`), ``value``, ``numerator``, ``denominator``
    and ``rate_of`` (for a rate: the count, still to be divided by the population). Each
    definition runs once for all its periods (a rate shares its count's run)."""
    parts = []
    done: dict[tuple, pd.DataFrame] = {}
    for measure in measures:
        if any(frames.get(n) is None for n in measure.needs):
            log.info(
                "%s: %s not computed (the return has no %s table)",
                name,
                measure.indicator,
                "/".join(measure.needs),
            )
            continue
        periods = periods_within(spans, measure.kind)
        if not periods:
            continue
        key = (measure.compute, measure.needs, measure.kind)
        if key not in done:
            done[key] = measure.compute(*(frames[n] for n in measure.needs), periods)
        result = done[key][["value", "numerator", "denominator"]].copy()
        result.insert(0, "period", periods)
        result.insert(0, "indicator", measure.indicator)
        result["rate_of"] = measure.rate_of
        parts.append(result)
    columns = ["indicator", "period", "value", "numerator", "denominator", "rate_of"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _observations(
    *,
    name: str,
    frames: dict[str, pd.DataFrame | None],
    spans: Sequence[Span],
    area_code: str,
    measures: Sequence[Measure],
    source: str,
    synthetic: bool,
) -> list[dict]:
    area_name = _area_name(area_code)
    note = f"; {SYNTHETIC.format(area=area_name)}" if synthetic else ""
    rows: list[dict] = []
    for figure in compute(frames, spans, measures, name=name).itertuples(index=False):
        period, value = figure.period, figure.value
        numerator, denominator, extra = figure.numerator, figure.denominator, ""
        if figure.rate_of is not None:
            population, year = _population_for(area_code, period)
            if year is None:
                continue
            numerator, denominator = value, population
            value = value / population * 10_000 if population else np.nan
            extra = f"; per 10,000 children aged 0 to 17, ONS mid-{year} population"
        if np.isnan(value):
            continue
        rows.append(
            {
                "indicator": figure.indicator,
                "area_code": area_code,
                "area_name": area_name,
                "area_level": "la",
                "period": period.label,
                "period_kind": period.kind,
                "period_start": pd.Timestamp(period.start),
                "period_end": pd.Timestamp(period.end),
                "value": float(value),
                "numerator": float(numerator),
                "denominator": float(denominator),
                "flag": "ex" if synthetic else np.nan,
                "source": f"{name} ({source}{extra}{note})",
            }
        )
    return rows


def _finish(rows: list[dict], name: str, validate: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    # A computed figure comes from the whole return, not from one row of it: row 0.
    return finish(
        frame,
        file=name,
        row_numbers=pd.Series(np.zeros(len(frame), dtype=int)),
        validate=validate,
    )


def ssda903_observations(path: str | Path, *, validate: bool = True) -> pd.DataFrame:
    """The registered reader of an SSDA903 return (a folder of its CSV tables, or its XML
    file): every figure of :data:`SSDA903_MEASURES` for each council it holds and each
    period it covers, as tidy observations."""
    path = Path(path)
    ret = read_ssda903(path)
    described = ", ".join(ret.files)
    source = (
        f"SSDA903 tables {described}: {SSDA903_SOURCE}"
        if len(ret.files) > 1
        else (f"{described}: {SSDA903_SOURCE}")
    )
    rows = []
    for area_code, spans in ret.spans.items():

        def mine(frame):
            return None if frame is None else frame[frame["area_code"] == area_code]

        frames = {
            "episodes": mine(ret.episodes),
            "header": mine(ret.header),
            "missing": mine(ret.missing),
            "oc3": mine(ret.oc3),
            "ad1": mine(ret.ad1),
        }
        rows += _observations(
            name=ret.name,
            frames=frames,
            spans=spans,
            area_code=area_code,
            measures=SSDA903_MEASURES,
            source=source,
            synthetic=ret.synthetic,
        )
    return _finish(rows, ret.name, validate)


def cin_observations(path: str | Path, *, validate: bool = True) -> pd.DataFrame:
    """The registered reader of a CIN census XML file: every figure of
    :data:`CIN_MEASURES` for each period it covers, as tidy observations."""
    census = read_cin(path)
    rows = _observations(
        name=census.file,
        frames={
            "referrals": census.referrals,
            "assessments": census.assessments,
            "section47": census.section47,
            "plans": census.plans,
        },
        spans=[census.span],
        area_code=census.area_code,
        measures=CIN_MEASURES,
        source=CIN_SOURCE,
        synthetic=census.synthetic,
    )
    return _finish(rows, census.file, validate)


# -- whose return (for isolation: a council's bad return stops only its own briefings) -------


def ssda903_areas(path: str | Path) -> frozenset[str]:
    """The councils an SSDA903 return is about, read without checking it: the councils of
    its ``LA`` column, else the council its folder is named for."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    found: set[str] = set()
    for table in sorted(folder.glob("*.csv")):
        try:
            if table_of(file_header(table)) and "LA" in [
                c.strip().upper() for c in file_header(table)
            ]:
                raw = read_csv_strings(table)
                column = next(c for c in raw.columns if c.strip().upper() == "LA")
                for value in raw[column].str.strip().unique():
                    try:
                        found.add(str(find_area(value)["area_code"]))
                    except PerfError:  # a bad cell is the reader's to report
                        continue
        except (PerfError, OSError, UnicodeError, ValueError):  # the reader's to report
            continue
    if not found:
        named = area_in_names([path.name, folder.name, folder.parent.name])
        if named is not None:
            found.add(str(named["area_code"]))
    return frozenset(found)


def _head(path: Path) -> str:
    """The start of an XML file, where a census's header sits (read as text, unchecked)."""
    with path.open("rb") as f:
        return f.read(8192).decode("utf-8", "replace")


def cin_areas(path: str | Path) -> frozenset[str]:
    """The council a CIN census is about, read without checking it: its header's LEA,
    else the council its file or folder is named for."""
    path = Path(path)
    try:
        head = _head(path)
        lea = re.search(r"<LEA>\s*(\d{3})\s*</LEA>", head)
        if lea:
            return frozenset({str(find_area(lea[1])["area_code"])})
    except (PerfError, OSError):  # an unreadable file is the reader's to report
        pass
    named = area_in_names([path.name, path.parent.name, path.parent.parent.name])
    return frozenset() if named is None else frozenset({str(named["area_code"])})


def cin_conflicts(paths: list[Path]) -> dict[Path, PerfError]:
    """Of ``paths`` (every CIN census XML in the data folder, at any depth), those that are
    one of two or more censuses for the same council and collection year, each with an
    error naming the others (the registry's ``conflicts`` rule): their figures would stand
    for the same quarters, and perf cannot tell the corrected census from a draft, an
    earlier extract or a copy. A file whose header cannot be read is left to its reader.

    Examples:
        >>> cin_conflicts([])
        {}
    """
    seen: dict[tuple[str, int], list[Path]] = {}
    for path in map(Path, paths):
        try:
            given = re.search(r"<Year>\s*(\d{4})\s*</Year>", _head(path))
        except OSError:
            continue
        areas = cin_areas(path)
        if given and len(areas) == 1:
            seen.setdefault((next(iter(areas)), int(given[1])), []).append(path)
    found: dict[Path, PerfError] = {}
    for (code, year), same in seen.items():
        if len(same) < 2:
            continue
        root = Path(os.path.commonpath([p.parent for p in same]))
        names = ", ".join(p.relative_to(root).as_posix() for p in same)
        how = "are copies of one census" if len({p.read_bytes() for p in same}) == 1 else "disagree"
        for path in same:
            found[path] = DisagreeingReturnsError(
                f"{len(same)} CIN censuses for {_area_name(code)} in the {year - 1}-"
                f"{year % 100:02d} collection year ({names}) {how}: perf reads one census "
                "per council and year",
                file=path.name,
                hint="Keep the latest, corrected census (or extract) in data/ and move the "
                "others out.",
            )
    return found
