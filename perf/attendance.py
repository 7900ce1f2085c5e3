"""In-year attendance benchmarking: DfE's fortnightly "Pupil attendance in schools" figures for
a council against England, its region and its statistical neighbours, at a financial
quarter's end.

Every other national figure perf has is annual; these are in-year. A year-to-date figure is
a figure *to a cut-off date* (``2024/25 to 20 December 2024``), from one release. Which release
a quarter reports:

* each release maps to a financial quarter by :func:`perf.periods.reporting_quarter` (its
  cut-off, or the quarter that ended at most three weeks before it: the release after a
  quarter's end carries that quarter);
* of the releases mapped to a quarter, the one with the latest cut-off on or before the
  quarter's end, else the earliest after it (:func:`release_for_quarter`).

"The same point last year" is the release carrying the same quarter a year earlier.

**Comparisons** (:func:`in_year_attendance`, one row per measure and phase):

* rank and quartile among local authorities by :func:`perf.benchmarking.benchmark` (LAIT's
  rules: 1 = best by polarity, ties share the smallest rank, quartile A = top); England, the
  region and the statistical-neighbour mean (neighbours from :mod:`perf.areas`);
* changes and gaps in **percentage points**, computed from the figures as published to the
  catalogue's decimals (so the words agree with the figures a reader sees: 94.8% against
  England's 94.8% is "the same as England");
* ``direction``: ``improving``/``worsening``/``no change`` by polarity (attendance: higher is
  better; absence and persistent absence: lower is better), ``not comparable`` without last
  year's figure;
* a gap's trend against last year: ``narrowed``, ``widened``, ``closed`` (no gap now),
  ``opened`` (no gap then), ``reversed`` (the other side now), ``unchanged``, or missing;
* ``record``: ``best`` or ``worst`` when the figure beats (or trails) every earlier year's at the
  same point of the year, with at least :data:`RECORD_MINIMUM_YEARS` earlier years held.

Provenance: each row names its release file, publication date, cut-off and how the cut-off
was known, for this year's figure and last year's. These in-year ids (``attendance_ytd_*``,
``pa_ytd_*``) are never LAIT's full-year absence (``PriTotAbs``...), which stays for long-run
trends.

Examples:
    >>> import perf
    >>> obs = perf.load_all()
    >>> out = in_year_attendance(obs, "Leeds", "2024-25 Q3")
    >>> row = out[(out["measure"] == "attendance") & (out["phase"] == "primary")].iloc[0]
    >>> row["period"], row["release"], str(row["cutoff"])
    ('2024/25 to 20 December 2024', 'EES_ytd_data_published_2025-01-09.csv', '2024-12-20')
    >>> float(round(row["value"], 1)), float(round(row["england_value"], 1))
    (94.8, 94.8)
    >>> int(row["rank"]), int(row["n_ranked"]), row["quartile"], row["gap_england_trend"]
    (80, 151, 'C', 'closed')
    >>> print(sentence(row))  # doctest: +NORMALIZE_WHITESPACE
    Attendance in Leeds primary schools was 94.8% in the year to 20 December 2024, an
    improvement of 0.3 percentage points on the same point last year (94.5%, year to 22
    December 2023), and the highest at this point of the year since 2022/23. This is the same
    as England (94.8%) and the regional average (Yorkshire and The Humber, 94.8%) and above
    statistical neighbours (94.7%); Leeds is ranked 80th of 151 local authorities (1st =
    highest attendance), in the third quartile. The gap to England has closed (it was 0.2
    percentage points below at the same point last year). A gap of 0.1 percentage points
    above statistical neighbours has opened (there was none at the same point last year).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from perf._numbers import is_missing, ordinal, plural, round_half_up
from perf.areas import find_area
from perf.benchmarking import QUARTILE_WORDS, benchmark
from perf.catalogue import catalogue as _catalogue
from perf.catalogue import indicator_info
from perf.compare import direction_of
from perf.errors import PerfError, UnknownAreaError
from perf.loaders.attendance import publication_date, release_label
from perf.periods import Period, parse_period, reporting_quarter, same_period_last_year
from perf.schema import rows_of
from perf.spc import xmr

__all__ = [
    "ATTENDANCE_COLUMNS",
    "MEASURES",
    "PHASES",
    "RECORD_MINIMUM_YEARS",
    "AttendanceError",
    "gap_trend",
    "in_year_attendance",
    "paragraphs",
    "quarter_points",
    "quarter_releases",
    "release_for_quarter",
    "releases",
    "sentence",
    "weekly_spc",
]

#: Measure -> (indicator stem, words for a sentence).
MEASURES: dict[str, tuple[str, str]] = {
    "attendance": ("attendance", "attendance"),
    "pa": ("pa", "persistent absence"),
}
PHASES = ("primary", "secondary", "special")
_PHASE_WORDS = {
    "primary": "primary schools",
    "secondary": "secondary schools",
    "special": "special schools",
    "total": "state-funded schools",
}
#: Earlier years at the same point a figure must beat to be "the highest since ...".
RECORD_MINIMUM_YEARS = 2
#: Quartile band -> words (A is the best: "top quartile", as council reports say).
_QUARTILE = {**QUARTILE_WORDS, "A": "top", "D": "bottom"}
#: Position of each financial quarter's end in the academic year (September first).
_POINT = {2: 1, 3: 2, 4: 3, 1: 4}
_POINT_LABEL = {1: "Sep", 2: "Dec", 3: "Mar", 4: "Jun"}

ATTENDANCE_COLUMNS = [
    "area_code",
    "area_name",
    "quarter",
    "measure",
    "phase",
    "indicator",
    "polarity",
    "decimals",
    "period",
    "academic_year",
    "cutoff",
    "cutoff_basis",
    "release",
    "published",
    "source",
    "value",
    "flag",
    "england_value",
    "region_code",
    "region_name",
    "region_value",
    "sn_mean",
    "sn_n",
    "rank",
    "n_ranked",
    "quartile",
    "last_year_quarter",
    "last_year_period",
    "last_year_cutoff",
    "last_year_release",
    "last_year_source",
    "last_year_value",
    "change_pp",
    "direction",
    "record",
    "record_years",
    "series_from",
    "record_against",
    "gap_england_pp",
    "last_year_gap_england_pp",
    "gap_england_trend",
    "gap_region_pp",
    "last_year_gap_region_pp",
    "gap_region_trend",
    "gap_sn_pp",
    "last_year_gap_sn_pp",
    "gap_sn_trend",
]


class AttendanceError(PerfError):
    """In-year attendance cannot be compared as asked."""


# --- releases ---------------------------------------------------------------------------------


def _basis(source: str) -> str:
    if source.endswith("cut-off estimated from the publication date)"):
        return "estimated from the publication date"
    if source.endswith("cut-off as stated)"):
        return "as stated"
    return "from the file"


def releases(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per year-to-date release (and cut-off) in ``obs``, oldest first: ``period``,
    ``academic_year``, ``cutoff`` (date), ``release`` (file), ``published`` (date or None),
    ``cutoff_basis``, ``source``, ``quarter`` (the financial quarter it maps to).

    Does not mutate ``obs``.
    """
    ytd = obs[obs["period_kind"] == "academic_year_to_date"]
    if ytd.empty:
        return pd.DataFrame(
            columns=[
                "period",
                "academic_year",
                "cutoff",
                "release",
                "published",
                "cutoff_basis",
                "source",
                "quarter",
            ]
        )
    first = ytd.drop_duplicates("period")[["period", "source"]]
    rows = []
    for period, source in zip(first["period"].astype(str), first["source"].astype(str)):
        p = parse_period(period)
        file = source.split(" (", 1)[0]
        rows.append(
            {
                "period": period,
                "academic_year": period.split(" ", 1)[0],
                "cutoff": p.end,
                "release": file,
                "published": publication_date(file),
                "cutoff_basis": _basis(source),
                "source": source,
                "quarter": reporting_quarter(p).label,
            }
        )
    return pd.DataFrame(rows).sort_values("cutoff", kind="stable").reset_index(drop=True)


def _choose(candidates: pd.DataFrame, quarter: Period) -> pd.Series | None:
    if candidates.empty:
        return None
    within = candidates[candidates["cutoff"] <= quarter.end]
    if len(within):
        return within.iloc[-1]
    return candidates.iloc[0]


def release_for_quarter(obs_or_releases: pd.DataFrame, quarter: str) -> pd.Series | None:
    """The year-to-date release a financial quarter's briefing reports (a row of
    :func:`releases`), or None when no release held carries the quarter.

    Accepts observations or a :func:`releases` frame.
    """
    table = obs_or_releases if "cutoff" in obs_or_releases.columns else releases(obs_or_releases)
    q = parse_period(quarter)
    if q.kind != "financial_quarter":
        raise AttendanceError(
            f"{quarter!r} is not a financial quarter", hint="Give a quarter such as '2024-25 Q3'."
        )
    return _choose(table[table["quarter"] == q.label], q)


def quarter_releases(obs: pd.DataFrame) -> pd.DataFrame:
    """The release carrying each quarter in ``obs``: :func:`releases` with one row per quarter."""
    table = releases(obs)
    chosen = [_choose(group, parse_period(q)) for q, group in table.groupby("quarter", sort=True)]
    return pd.DataFrame(chosen).sort_values("cutoff").reset_index(drop=True) if chosen else table


# --- the comparison ----------------------------------------------------------------------------


def gap_trend(before: float, now: float) -> str | None:
    """How a gap (area minus comparator, signed) moved from ``before`` to ``now``.

    >>> [gap_trend(-1.2, -0.8), gap_trend(-0.8, -1.2), gap_trend(0.3, 0.0), gap_trend(0, 0.4),
    ...  gap_trend(-0.3, 0.2), gap_trend(0.5, 0.5), gap_trend(float("nan"), 0.1)]
    ['narrowed', 'widened', 'closed', 'opened', 'reversed', 'unchanged', None]
    """
    if is_missing(before) or is_missing(now):
        return None
    if now == 0 and before == 0:
        return "unchanged"
    if now == 0:
        return "closed"
    if before == 0:
        return "opened"
    if (now > 0) != (before > 0):
        return "reversed"
    if abs(now) < abs(before):
        return "narrowed"
    if abs(now) > abs(before):
        return "widened"
    return "unchanged"


def _rounded(value: float, decimals: int) -> float:
    return np.nan if is_missing(value) else round_half_up(float(value), decimals)


def _diff(a: float, b: float, decimals: int) -> float:
    """a - b as published: both rounded first, the difference rounded again (no float noise)."""
    if is_missing(a) or is_missing(b):
        return np.nan
    return round_half_up(_rounded(a, decimals) - _rounded(b, decimals), decimals)


def _area(area: str, areas: pd.DataFrame | None) -> pd.Series:
    if areas is None:
        return find_area(area)
    names = areas["area_name"].astype(str).str.lower()
    hit = areas[(areas["area_code"] == area) | (names == str(area).lower())]
    if hit.empty:
        raise UnknownAreaError(f"no area called {area!r}", hint="Give an ONS code or a name.")
    return hit.iloc[0]


def _bench_row(
    ytd: pd.DataFrame,
    indicator: str,
    period: str,
    area_code: str,
    areas: pd.DataFrame | None,
    polarity: str,
) -> pd.Series | None:
    data = rows_of(ytd, indicator, period)
    if data.empty or not (data["area_code"] == area_code).any():
        return None
    bench = _benchmark(data, indicator, period, areas, polarity)
    return bench[bench["area_code"] == area_code].iloc[0]


#: Every council's table of one measure and period, by what it was built from: each council's
#: briefing in a batch asks for the same tables (16 a quarter), which are built once.
_BENCHMARKS: dict[tuple[str, str, str, str], tuple[pd.DataFrame | None, pd.DataFrame]] = {}


def _benchmark(
    data: pd.DataFrame, indicator: str, period: str, areas: pd.DataFrame | None, polarity: str
) -> pd.DataFrame:
    """:func:`perf.benchmarking.benchmark` of ``data``, reused while the figures and the area
    lookup are the same (the figures by their digest, the lookup by identity; the cached
    table is never handed out to be changed: callers take a row of it)."""
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes()
    ).hexdigest()
    key = (indicator, period, polarity, digest)
    hit = _BENCHMARKS.get(key)
    if hit is not None and hit[0] is areas:
        return hit[1]
    bench = benchmark(data, indicator, period, areas=areas, polarity=polarity)
    if len(_BENCHMARKS) >= 512:  # a long-lived kernel's many quarters: start again
        _BENCHMARKS.clear()
    _BENCHMARKS[key] = (areas, bench)
    return bench


def in_year_attendance(
    obs: pd.DataFrame,
    area: str,
    quarter: str,
    *,
    measures: Sequence[str] = tuple(MEASURES),
    phases: Sequence[str] = PHASES,
    areas: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """In-year attendance (and persistent absence, where the release has it) year to date at a
    financial quarter's end, for one local authority against England, its region and its
    statistical neighbours, with rank, quartile, change on the same point last year and the
    gaps' trends.

    Args:
        obs: tidy observations holding the attendance releases (``perf.load_all()``).
        area: the council (name or ONS code).
        quarter: the financial quarter, e.g. ``"2024-25 Q3"``.
        measures: keys of :data:`MEASURES`; phases: of ``primary``, ``secondary``, ``special``,
            ``total``.
        areas: area lookup (``area_code``, ``area_name``, ``region_code``, ``region_name``,
            ``neighbours``); default :func:`perf.areas.areas`.
        catalogue: for polarity and decimals; default :func:`perf.catalogue.catalogue`.

    Returns:
        One row per measure and phase the release has (columns :data:`ATTENDANCE_COLUMNS`),
        or None when no release held carries the quarter. ``attrs``: ``quarter``,
        ``release``, ``not_in_release`` (indicators the release does not publish, e.g.
        persistent absence in autumn releases). Does not mutate ``obs``.

    Raises:
        AttendanceError: the area is not a local authority, or the quarter is not a quarter.
        UnknownAreaError: no such area.
    """
    if catalogue is None:
        catalogue = _catalogue()
    place = _area(area, areas)
    if place["area_level"] != "la":
        raise AttendanceError(
            f"{place['area_name']} is not a local authority",
            hint="In-year benchmarking compares one council with others.",
        )
    code, name = str(place["area_code"]), str(place["area_name"])
    region_name = place.get("region_name")
    q = parse_period(quarter)
    table = releases(obs)
    now = release_for_quarter(table, q.label)
    if now is None:
        return None
    last = release_for_quarter(table, same_period_last_year(q).label)
    ytd = obs[obs["period_kind"] == "academic_year_to_date"]
    earlier = [
        r
        for r in (
            release_for_quarter(table, quarter_label)
            for quarter_label in sorted(set(table["quarter"]))
        )
        if r is not None and r["quarter"].endswith(q.label[-2:]) and r["cutoff"] < now["cutoff"]
    ]

    rows, missing = [], []
    for measure in measures:
        stem, _ = MEASURES[measure]
        for phase in phases:
            indicator = f"{stem}_ytd_{phase}"
            info = indicator_info(indicator, catalogue)
            polarity, d = info.polarity, info.decimals
            b = _bench_row(ytd, indicator, now["period"], code, areas, polarity)
            if b is None:
                missing.append(indicator)
                continue
            b_last = (
                _bench_row(ytd, indicator, last["period"], code, areas, polarity)
                if last is not None
                else None
            )
            row = {
                "area_code": code,
                "area_name": name,
                "quarter": q.label,
                "measure": measure,
                "phase": phase,
                "indicator": indicator,
                "polarity": polarity,
                "decimals": d,
                "period": now["period"],
                "academic_year": now["academic_year"],
                "cutoff": now["cutoff"],
                "cutoff_basis": now["cutoff_basis"],
                "release": now["release"],
                "published": now["published"],
                "source": now["source"],
                "value": b["value"],
                "flag": b["flag"] if not is_missing(b["flag"]) else None,
                "england_value": b["england_value"],
                "region_code": b["region_code"],
                "region_name": region_name if isinstance(region_name, str) else None,
                "region_value": b["region_value"],
                "sn_mean": b["sn_mean"],
                "sn_n": b["sn_n"],
                "rank": b["rank"],
                "n_ranked": b["n_ranked"],
                "quartile": b["quartile"],
                "last_year_quarter": same_period_last_year(q).label,
                "last_year_period": last["period"] if last is not None else None,
                "last_year_cutoff": last["cutoff"] if last is not None else None,
                "last_year_release": last["release"] if last is not None else None,
                "last_year_source": last["source"] if last is not None else None,
                "last_year_value": b_last["value"] if b_last is not None else np.nan,
            }
            row["change_pp"] = _diff(row["value"], row["last_year_value"], d)
            row["direction"] = direction_of(row["change_pp"], polarity)[1]
            row.update(_record(ytd, indicator, code, row["value"], earlier, polarity, d))
            for key, column in (
                ("england", "england_value"),
                ("region", "region_value"),
                ("sn", "sn_mean"),
            ):
                gap = _diff(row["value"], row[column], d)
                before = _diff(b_last["value"], b_last[column], d) if b_last is not None else np.nan
                row[f"gap_{key}_pp"] = gap
                row[f"last_year_gap_{key}_pp"] = before
                row[f"gap_{key}_trend"] = gap_trend(before, gap)
            rows.append(row)
    out = pd.DataFrame(rows, columns=ATTENDANCE_COLUMNS)
    for column in ("rank", "n_ranked", "sn_n", "record_years"):
        out[column] = out[column].astype("Int64")
    out.attrs = {
        "quarter": q.label,
        "release": now["release"],
        "period": now["period"],
        "not_in_release": missing,
    }
    return out


def _record(
    ytd: pd.DataFrame,
    indicator: str,
    code: str,
    value: float,
    earlier: list[pd.Series],
    polarity: str,
    decimals: int,
) -> dict[str, object]:
    """Best or worst at this point of the year against every earlier year held."""
    values = []
    for release in earlier:
        hit = rows_of(ytd, indicator, release["period"])
        hit = hit[hit["area_code"] == code]
        if len(hit) and not is_missing(hit["value"].iloc[0]):
            values.append((release["academic_year"], _rounded(hit["value"].iloc[0], decimals)))
    out: dict[str, object] = {
        "record": None,
        "record_years": len(values),
        "series_from": min((y for y, _ in values), default=None),
        "record_against": ", ".join(sorted(y for y, _ in values)) or None,
    }
    if is_missing(value) or len(values) < RECORD_MINIMUM_YEARS or polarity not in ("high", "low"):
        return out
    mine, others = _rounded(value, decimals), [v for _, v in values]
    higher, lower = mine > max(others), mine < min(others)
    if higher or lower:
        out["record"] = "best" if higher == (polarity == "high") else "worst"
    return out


# --- sentences ------------------------------------------------------------------------------


def _pct(value: float, decimals: int) -> str:
    return f"{round_half_up(float(value), decimals):.{decimals}f}%"


def _pp(value: float, decimals: int) -> str:
    size = abs(round_half_up(float(value), decimals))
    return f"{size:.{decimals}f} percentage point{'' if size == 1 else 's'}"


def _day(value: object) -> str:
    day = pd.Timestamp(value).date() if not isinstance(value, date) else value
    return f"{day.day} {day:%B} {day.year}"


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _side(gap: float) -> str:
    return "above" if gap > 0 else "below" if gap < 0 else "same"


def sentence(row: Mapping[str, Any]) -> str:
    """Two or three sentences on one row of :func:`in_year_attendance`, in the register of a
    council's performance report: the figure and its change on the same point last year (and
    whether it is the highest at this point of the year), England, region and neighbours, rank
    and quartile, then how the gaps to England and to neighbours moved. Changes and gaps in
    percentage points, never "%".
    """
    d = int(row["decimals"])
    high = row["polarity"] == "high"
    _, words = MEASURES[str(row["measure"])]
    subject = f"{words.capitalize()} in {row['area_name']} {_PHASE_WORDS[str(row['phase'])]}"
    to = f"the year to {_day(row['cutoff'])}"
    if is_missing(row["value"]):
        flag = f" (suppressed: {row['flag']})" if row.get("flag") else ""
        return (
            f"No figure is published for {words} in {row['area_name']} "
            f"{_PHASE_WORDS[str(row['phase'])]} for {to}{flag}."
        )

    first = f"{subject} was {_pct(row['value'], d)} in {to}"
    change, last_value = row["change_pp"], row["last_year_value"]
    if is_missing(change):
        first += " (no figure is held for the same point last year)"
    else:
        then = f"({_pct(last_value, d)}, year to {_day(row['last_year_cutoff'])})"
        if change == 0:
            first += f", the same as at the same point last year {then}"
        elif change > 0:
            first += (
                f", an improvement of {_pp(change, d)} on the same point last year {then}"
                if high
                else f", a rise of {_pp(change, d)} on the same point last year {then}"
            )
        else:
            first += f", a fall of {_pp(change, d)} on the same point last year {then}" + (
                "" if high else ", an improvement"
            )
    if row.get("record") and row.get("record_against"):
        extreme = "highest" if (row["record"] == "best") == high else "lowest"
        first += f", and the {extreme} at this point of the year {_held(row)}"
    parts = [first + "."]

    region = row.get("region_name")
    comparators = [
        ("england", f"England ({_pct(row['england_value'], d)})"),
        (
            "region",
            f"the regional average ({region + ', ' if region else ''}"
            f"{_pct(row['region_value'], d)})"
            if not is_missing(row["region_value"])
            else "",
        ),
        ("sn", f"statistical neighbours ({_pct(row['sn_mean'], d)})"),
    ]
    # comparators in a fixed order, neighbours on the same side said together
    groups: list[tuple[str, list[str]]] = []
    for key, label in comparators:
        gap = row[f"gap_{key}_pp"]
        if is_missing(gap):
            continue
        side = _side(gap)
        if groups and groups[-1][0] == side:
            groups[-1][1].append(label)
        else:
            groups.append((side, [label]))
    word = {"above": "above", "below": "below", "same": "the same as"}
    second = ""
    for i, (side, labels) in enumerate(groups):
        if i:
            contrast = {side, groups[i - 1][0]} == {"above", "below"}
            second += " but " if contrast else (" and " if i == len(groups) - 1 else ", ")
        second += f"{word[side]} {_join(labels)}"
    second = ("This is " + second) if second else ""
    if not is_missing(row["rank"]):
        best = "highest" if high else "lowest"
        quart = row["quartile"]
        where = "" if is_missing(quart) else f", in the {_QUARTILE[quart]} quartile"
        second += (
            ("; " if second else "") + f"{row['area_name']} is ranked "
            f"{ordinal(int(row['rank']))} of {int(row['n_ranked'])} "
            f"{plural('local authority', int(row['n_ranked']))} "
            f"(1st = {best} {words}){where}"
        )
    if second:
        parts.append(second[0].upper() + second[1:] + ".")
    third = _gap_sentences(row, d, high)
    if third:
        parts.append(third)
    return " ".join(parts)


def _held(row: Mapping[str, Any]) -> str:
    """``since 2022/23`` when every year since is held, else the years compared."""
    years = [str(y) for y in str(row["record_against"]).split(", ")]
    starts = [int(y[:4]) for y in years]
    current = int(str(row["academic_year"])[:4])
    if starts == list(range(starts[0], current)):
        return f"since {years[0]}"
    return f"of the years held ({_join(years + [str(row['academic_year'])])})"


def _gap_sentences(row: Mapping[str, Any], d: int, high: bool) -> str:
    """How the gaps to England and to statistical neighbours moved since last year."""
    items = []
    for key, label in (("england", "England"), ("sn", "statistical neighbours")):
        trend = row[f"gap_{key}_trend"]
        if trend is None or is_missing(trend):
            continue
        items.append(
            (
                str(trend),
                _side(row[f"gap_{key}_pp"]),
                _side(row[f"last_year_gap_{key}_pp"]),
                label,
                row[f"last_year_gap_{key}_pp"],
                row[f"gap_{key}_pp"],
            )
        )
    # England and neighbours moving alike are said once ("England and statistical neighbours")
    grouped: list[list[tuple]] = []
    for item in items:
        if grouped and grouped[-1][0][:3] == item[:3]:
            grouped[-1].append(item)
        else:
            grouped.append([item])
    return " ".join(_gap_sentence(group, d, high) for group in grouped)


def _gap_sentence(group: list[tuple], d: int, high: bool) -> str:
    trend, now_side, then_side = group[0][:3]
    names = _join([g[3] for g in group])

    def detail(fmt) -> str:
        bits = [fmt(before, now) for *_, before, now in group]
        if len(group) == 1:
            return bits[0]
        return "; ".join(f"against {g[3]} {b}" for g, b in zip(group, bits))

    def span(before: float, now: float) -> str:
        return f"from {abs(before):.{d}f} to {_pp(now, d)}"

    worse = (now_side == "below") == high
    higher = {"above": "higher", "below": "lower"}
    if trend in ("narrowed", "widened"):
        gaps = "gaps have" if len(group) > 1 else "gap has"
        if worse and trend == "narrowed":
            return (
                f"Whilst this remains {higher[now_side]} than {names}, the {gaps} narrowed "
                f"({detail(span)})."
            )
        if worse:
            return (
                f"This remains {higher[now_side]} than {names} and the {gaps} widened "
                f"({detail(span)})."
            )
        noun, verb = gaps.split()
        return f"The {noun} {now_side} {names} {verb} {trend} ({detail(span)})."
    if trend == "closed":
        was = detail(lambda before, now: f"{_pp(before, d)} {then_side}")
        return f"The gap to {names} has closed (it was {was} at the same point last year)."
    if trend == "opened":
        size = detail(lambda before, now: _pp(now, d))
        return (
            f"A gap of {size} {now_side} {names} has opened (there was none at the same "
            "point last year)."
        )
    if trend == "reversed":
        moves = detail(
            lambda before, now: f"from {_pp(before, d)} {then_side} to {_pp(now, d)} {now_side}"
        )
        return f"This has moved {moves} {names} since the same point last year."
    if now_side == "same":
        return f"This is the same as {names}, as it was at the same point last year."
    size = detail(lambda before, now: _pp(now, d))
    return f"The gap {now_side} {names} is unchanged at {size}."


def paragraphs(frame: pd.DataFrame | None) -> list[str]:
    """One paragraph per measure of an :func:`in_year_attendance` frame (its rows' sentences,
    phase by phase), then a note of measures the release does not publish. Empty for None."""
    if frame is None or frame.empty:
        return []
    out = [
        " ".join(sentence(row) for _, row in group.iterrows())
        for _, group in frame.groupby("measure", sort=False)
    ]
    missing = sorted({i.split("_ytd_")[0] for i in frame.attrs.get("not_in_release", [])})
    if "pa" in missing:
        out.append(
            f"Persistent absence is not published in the "
            f"{release_label(frame['published'].iloc[0])} ({frame['release'].iloc[0]}): "
            "DfE gives it in the spring and summer releases, once enough of the year "
            "has passed."
        )
    return out


# --- series for charts ------------------------------------------------------------------------


def quarter_points(
    obs: pd.DataFrame,
    area: str,
    indicator: str,
    quarter: str,
    *,
    areas: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
) -> pd.DataFrame | None:
    """The year-to-date figure at each financial quarter's end, for every academic year held
    up to ``quarter``'s release: the council, England, its region and the statistical-neighbour
    mean, one row per release (a chart of this year against the same point in earlier years).

    Columns: ``area_code``, ``area_name``, ``indicator``, ``academic_year``, ``point`` (1 = end
    of September, 2 = December, 3 = March, 4 = June), ``point_label``, ``quarter``, ``period``,
    ``cutoff``, ``release``, ``published``, ``cutoff_basis``, ``source``, ``value``,
    ``england_value``, ``region_value``, ``sn_mean``, ``current`` (the reporting quarter's
    academic year). None when no release carries ``quarter``. Does not mutate ``obs``.
    """
    if catalogue is None:
        catalogue = _catalogue()
    place = _area(area, areas)
    code = str(place["area_code"])
    table = quarter_releases(obs)
    now = release_for_quarter(releases(obs), quarter)
    if now is None:
        return None
    polarity = indicator_info(indicator, catalogue).polarity
    ytd = obs[obs["period_kind"] == "academic_year_to_date"]
    rows = []
    for _, release in table[table["cutoff"] <= now["cutoff"]].iterrows():
        b = _bench_row(ytd, indicator, release["period"], code, areas, polarity)
        if b is None:
            continue
        point = _POINT[int(release["quarter"][-1])]
        rows.append(
            {
                "area_code": code,
                "area_name": str(place["area_name"]),
                "indicator": indicator,
                "academic_year": release["academic_year"],
                "point": point,
                "point_label": _POINT_LABEL[point],
                "quarter": release["quarter"],
                "period": release["period"],
                "cutoff": release["cutoff"],
                "release": release["release"],
                "published": release["published"],
                "cutoff_basis": release["cutoff_basis"],
                "source": release["source"],
                "value": b["value"],
                "england_value": b["england_value"],
                "region_value": b["region_value"],
                "sn_mean": b["sn_mean"],
                "current": release["academic_year"] == now["academic_year"],
            }
        )
    if not rows:
        return None
    return pd.DataFrame(rows).sort_values(["academic_year", "point"]).reset_index(drop=True)


def weekly_spc(
    obs: pd.DataFrame,
    area: str,
    indicator: str = "attendance_week_primary",
    *,
    quarter: str | None = None,
    catalogue: pd.DataFrame | None = None,
    baseline: int | None = None,
) -> pd.DataFrame | None:
    """A weekly series with its statistical process control (XmR) numbers
    (:func:`perf.spc.xmr`, polarity from the catalogue), one row per week in order, with
    ``period``, ``period_start``, ``period_end``, ``flag`` and ``source`` beside the SPC columns.
    Weeks with no figure (a half term: flag ``z``) stay as rows without a value and take no
    part in the limits. With ``quarter`` (e.g. ``"2022-23 Q3"``), only the weeks of the
    academic year holding the quarter's end, up to that end. None when fewer than two weeks
    have a figure.

    ``attrs``: xmr's (polarity, warnings, trial_limits, phases) plus ``indicator``,
    ``area_code``, ``area_name`` and ``releases`` (the release files).
    """
    if catalogue is None:
        catalogue = _catalogue()
    rows = obs[(obs["indicator"] == indicator) & (obs["period_kind"] == "week")]
    code = (
        str(area) if (rows["area_code"] == str(area)).any() else str(_area(area, None)["area_code"])
    )
    rows = rows[rows["area_code"] == code].sort_values("period_start")
    if quarter is not None:
        end = parse_period(quarter).end
        year_start = date(end.year if end.month >= 9 else end.year - 1, 9, 1)
        rows = rows[
            (rows["period_end"] <= pd.Timestamp(end))
            & (rows["period_start"] >= pd.Timestamp(year_start))
        ]
    if int(rows["value"].notna().sum()) < 2:
        return None
    series = pd.Series(rows["value"].to_numpy(dtype="float64"), index=rows["period"].to_numpy())
    chart = xmr(series, polarity=indicator_info(indicator, catalogue).polarity, baseline=baseline)
    attrs = dict(chart.attrs)
    for column in ("period_start", "period_end", "flag", "source"):
        chart[column] = rows[column].to_numpy()
    chart.insert(0, "period", rows["period"].to_numpy())
    chart = chart.reset_index(drop=True)
    attrs.update(
        {
            "indicator": indicator,
            "area_code": code,
            "area_name": str(rows["area_name"].iloc[0]),
            "releases": sorted({s.split(" (", 1)[0] for s in rows["source"]}),
        }
    )
    chart.attrs = attrs
    return chart
