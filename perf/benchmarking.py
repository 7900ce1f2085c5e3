"""Benchmarking one indicator across local authorities, following DfE's LAIT rules exactly.

Rules (so an analyst's figures match the department's LA Interactive Tool):

* **Who is ranked.** Rows with ``area_level == "la"`` for the indicator and period. An LA with
  no value (missing or suppressed: ``NaN``, with the GSS symbol in ``flag``) gets no rank and
  no quartile, and is counted out loud (``excluded_reason`` and ``frame.attrs``). Any other
  exclusion (e.g. City of London and the Isles of Scilly for rates) happens only when the
  caller lists the area in ``exclude=``; the output says so in ``excluded_reason``.
* **Rank.** 1 = best by polarity: descending values when higher is better, ascending when
  lower is better; ties share the smallest rank (R's ``ties.method = "min"``). For polarity
  ``neither`` ranks are ascending (1 = lowest value) and carry no judgement
  (``attrs["rank_order"]`` says so).
* **Quartile band.** Thresholds Q1, median, Q3 are the 25/50/75% quantiles of all ranked LA
  values for the period with linear interpolation (R type 7, numpy's default). Lower is
  better: A = value <= Q1, B <= median, C <= Q3, D above. Higher is better: A = value > Q3,
  B > median, C > Q1, D <= Q1. No band for polarity ``neither``. A is the first (top)
  quartile, D the fourth (bottom).
* **Comparators.** England (the ``england`` row), the LA's region (``region_code`` from the
  area lookup) and the statistical-neighbour mean: the plain mean of the values of the LA's
  10 neighbours that have a value (``sn_n`` says how many). Gaps are ``value - comparator``
  in the indicator's units (positive = the LA's figure is higher).

Examples:
    >>> frame = _example_frame()
    >>> out = benchmark(frame, "cla_rate", "31 March 2025", areas=_example_areas(), polarity="low")
    >>> out[["area_code", "value", "rank", "quartile", "gap_england"]]
      area_code  value  rank quartile  gap_england
    0        L1   50.0     1        A        -17.0
    1        L2   70.0     2        B          3.0
    2        L3   90.0     3        C         23.0
    3        L4  110.0     4        D         43.0
    4        L5    NaN  <NA>     <NA>          NaN
    >>> quartile_sentence(out, "L3")
    'third quartile of 4 local authorities'
    >>> rank_sentence(out, "L3")
    'ranked 3rd of 4 local authorities (1st = lowest rate, best)'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from perf._numbers import ordinal, plural
from perf.areas import areas as load_areas
from perf.catalogue import catalogue as load_catalogue
from perf.catalogue import catalogue_position, cell_at
from perf.config import ENGLAND
from perf.errors import PerfError, UnknownAreaError
from perf.schema import rows_of

__all__ = [
    "QUARTILE_WORDS",
    "BenchmarkError",
    "benchmark",
    "lait_quartile",
    "lait_rank",
    "quartile_phrase",
    "quartile_sentence",
    "quartile_thresholds",
    "rank_sentence",
]

QUARTILE_WORDS = {"A": "first", "B": "second", "C": "third", "D": "fourth"}

BENCHMARK_COLUMNS = [
    "area_code",
    "area_name",
    "value",
    "flag",
    "rank",
    "quartile",
    "n_ranked",
    "england_value",
    "region_code",
    "region_name",
    "region_value",
    "sn_mean",
    "sn_n",
    "gap_england",
    "gap_region",
    "gap_sn",
    "excluded_reason",
]


class BenchmarkError(PerfError):
    """A benchmark cannot be computed as asked (no data for the indicator and period...)."""


def lait_rank(values: pd.Series, polarity: str) -> pd.Series:
    """LAIT rank: 1 = best, ties share the smallest rank, missing values unranked.

    >>> lait_rank(pd.Series([3.0, 1.0, 3.0, None]), "high").tolist()
    [1, 3, 1, <NA>]
    >>> lait_rank(pd.Series([3.0, 1.0, 3.0, None]), "low").tolist()
    [2, 1, 2, <NA>]
    """
    _check_polarity(polarity)
    ranks = values.astype("float64").rank(
        method="min", ascending=polarity != "high", na_option="keep"
    )
    return ranks.astype("Int64")


def quartile_thresholds(values: pd.Series) -> tuple[float, float, float]:
    """Q1, median and Q3 of the non-missing values (numpy default = R type 7).

    >>> quartile_thresholds(pd.Series([50.0, 70.0, 90.0, 110.0, None]))
    (65.0, 80.0, 95.0)
    """
    v = values.astype("float64").dropna().to_numpy()
    if v.size == 0:
        raise BenchmarkError("no values to compute quartiles from")
    q1, q2, q3 = np.percentile(v, [25, 50, 75])
    return float(q1), float(q2), float(q3)


def lait_quartile(
    values: pd.Series, polarity: str, thresholds: tuple[float, float, float] | None = None
) -> pd.Series:
    """LAIT quartile band A (best) to D; missing for no value or polarity ``neither``.

    >>> s = pd.Series([50.0, 65.0, 80.0, 95.0, 110.0])
    >>> lait_quartile(s, "low").tolist()
    ['A', 'A', 'B', 'C', 'D']
    >>> lait_quartile(s, "high").tolist()
    ['D', 'D', 'C', 'B', 'A']
    """
    _check_polarity(polarity)
    v = values.astype("float64").to_numpy()
    has = ~np.isnan(v)
    if polarity == "neither" or not has.any():
        return pd.Series(pd.NA, index=values.index, dtype="string")
    q1, q2, q3 = thresholds if thresholds is not None else quartile_thresholds(values)
    if polarity == "low":
        band = np.select([v <= q1, v <= q2, v <= q3], ["A", "B", "C"], "D")
    else:
        band = np.select([v > q3, v > q2, v > q1], ["A", "B", "C"], "D")
    return pd.Series(
        pd.array(np.where(has, band, np.array(None)), dtype="string"), index=values.index
    )


def _check_polarity(polarity: str) -> None:
    if polarity not in ("high", "low", "neither"):
        raise BenchmarkError(f"unknown polarity {polarity!r}", hint="Use high, low or neither.")


def _exclusions(exclude: Iterable[str] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(exclude, Mapping):
        return {str(k): str(v) for k, v in exclude.items()}
    return {str(code): "excluded by configuration" for code in exclude}


def _neighbour_lists(areas: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if "neighbours" not in areas.columns:
        return out
    for code, joined in zip(areas["area_code"], areas["neighbours"]):
        if isinstance(joined, str) and joined.strip():
            out[str(code)] = [c.strip() for c in joined.split(";") if c.strip()]
    return out


def benchmark(
    frame: pd.DataFrame,
    indicator: str,
    period: str,
    *,
    areas: pd.DataFrame | None = None,
    catalogue: pd.DataFrame | None = None,
    polarity: str | None = None,
    exclude: Iterable[str] | Mapping[str, str] = (),
    neighbours: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """One row per local authority with rank, quartile band and comparators (LAIT rules).
    Does not modify its inputs.

    Args:
        frame: tidy observations (any indicators, periods and levels).
        indicator, period: what to benchmark (period as its canonical label).
        areas: area lookup with ``area_code``, ``area_name``, ``region_code``, ``neighbours``
            (';'-joined ONS codes); default :func:`perf.areas.areas`.
        catalogue: indicator catalogue for the polarity; default :func:`perf.catalogue.catalogue`
            (ignored when ``polarity`` is given).
        polarity: ``high``, ``low`` or ``neither``, overriding the catalogue.
        exclude: ONS codes to leave out of rank and quartiles, or ``{code: reason}``.
        neighbours: ``{area_code: its neighbours' ONS codes}``, overriding the lookup's
            ``neighbours`` column for those areas in ``sn_mean``/``sn_n`` (another model's
            set for the council a briefing is about; an empty sequence: no neighbours).

    Returns:
        DataFrame (columns :data:`BENCHMARK_COLUMNS`; ``rank``/``n_ranked``/``sn_n`` Int64,
        ``quartile`` string with missing), ordered by rank then area_code, unranked last.
        ``attrs`` holds indicator, period, polarity, rank_order, thresholds (q1, median, q3),
        n_las, n_ranked, n_no_value, no_value (codes), excluded ({code: reason}).

    Examples:
        >>> frame, lookup = _example_frame(), _example_areas()
        >>> plain = benchmark(frame, "cla_rate", "31 March 2025", areas=lookup, polarity="low")
        >>> plain[["area_code", "sn_mean", "sn_n"]].head(2)
          area_code  sn_mean  sn_n
        0        L1     80.0     2
        1        L2     70.0     2
        >>> other = benchmark(frame, "cla_rate", "31 March 2025", areas=lookup, polarity="low",
        ...                   neighbours={"L1": ["L4", "L5"]})
        >>> other[["area_code", "sn_mean", "sn_n"]].head(2)
          area_code  sn_mean  sn_n
        0        L1    110.0     1
        1        L2     70.0     2
    """
    if polarity is None:
        if catalogue is None:
            catalogue = load_catalogue()
        position = catalogue_position(catalogue, indicator)
        if position is None:
            raise BenchmarkError(
                f"indicator {indicator!r} is not in the catalogue",
                hint="Pass polarity= or add it to the catalogue.",
            )
        polarity = str(cell_at(catalogue, position, "polarity"))
    _check_polarity(polarity)
    if areas is None:
        areas = load_areas()

    data = rows_of(frame, indicator, period)
    if data.empty:
        raise BenchmarkError(
            f"no rows for indicator {indicator!r} in period {period!r}",
            hint="Check the period label (e.g. '31 March 2025').",
        )
    if data.duplicated("area_code").any():
        raise BenchmarkError(
            "more than one row per area for this indicator and period",
            value=data.loc[data.duplicated("area_code"), "area_code"].iloc[0],
        )
    value_of = dict(zip(data["area_code"].astype(str), data["value"].astype("float64")))
    excluded = _exclusions(exclude)

    # Columns are built as arrays and the frame once (a frame built column by column cost
    # every briefing a few hundred milliseconds: it benchmarks about twenty times).
    la = data[data["area_level"] == "la"]
    code = la["area_code"].astype(str).to_numpy(dtype=object)
    value = la["value"].astype("float64").to_numpy()
    flag = (
        (la["flag"] if "flag" in la else pd.Series(pd.NA, index=la.index))
        .astype("string")
        .to_numpy()
    )
    is_excluded = np.array([c in excluded for c in code], dtype=bool)
    no_value = np.isnan(value)
    ranked = ~is_excluded & ~no_value
    reason = [
        excluded[c]
        if out_
        else ("no value" + (f" (flag {f})" if isinstance(f, str) and f else ""))
        if nv
        else None
        for c, out_, nv, f in zip(code, is_excluded, no_value, flag)
    ]

    ranked_values = pd.Series(np.where(ranked, value, np.nan))
    rank = lait_rank(ranked_values, polarity)
    thresholds = quartile_thresholds(ranked_values) if ranked.any() else (np.nan,) * 3
    quartile = lait_quartile(ranked_values, polarity, thresholds if ranked.any() else None)
    n_ranked = int(ranked.sum())

    england = data.loc[data["area_level"] == "england", "value"]
    england_value = float(england.iloc[0]) if len(england) else np.nan
    region_of = (
        dict(zip(areas["area_code"].astype(str), areas["region_code"]))
        if "region_code" in areas
        else {}
    )
    region = [region_of.get(c) for c in code]
    region = [r if isinstance(r, str) else None for r in region]
    names = (
        dict(zip(data["area_code"].astype(str), data["area_name"].astype(str)))
        if "area_name" in data
        else {}
    )
    if "region_name" in areas:
        names |= {
            str(c): str(n)
            for c, n in zip(areas["region_code"], areas["region_name"])
            if pd.notna(c) and pd.notna(n)
        }
    region_value = np.array(
        [value_of.get(r, np.nan) if r is not None else np.nan for r in region], dtype="float64"
    )
    nbrs = _neighbour_lists(areas)
    if neighbours is not None:
        nbrs |= {str(code): [str(c) for c in codes] for code, codes in neighbours.items()}
    lists = [nbrs.get(c, []) for c in code]
    sn = np.full((len(lists), max(map(len, lists), default=0)), np.nan)  # one row per LA
    for i, codes in enumerate(lists):
        sn[i, : len(codes)] = [value_of.get(n, np.nan) for n in codes]
    with_value = np.isfinite(sn)
    sn_n = with_value.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # the plain mean of the neighbours with a figure (np.nanmean's sum and division)
        sn_mean = np.where(sn_n > 0, np.where(with_value, sn, 0.0).sum(axis=1) / sn_n, np.nan)

    rank_values = rank.to_numpy(dtype="float64", na_value=np.inf)
    order = np.lexsort((code, rank_values)) if len(code) else np.arange(0)  # rank, then code
    columns = {
        "area_code": code,
        "area_name": la["area_name"].astype(str).to_numpy() if "area_name" in la else code,
        "value": value,
        "flag": flag,
        "rank": rank.array,
        "quartile": quartile.array,
        "n_ranked": pd.array([n_ranked] * len(code), dtype="Int64"),
        "england_value": np.full(len(code), england_value),
        "region_code": pd.array(region, dtype="string"),
        "region_name": pd.array(
            [names.get(r) if r is not None else None for r in region], dtype="string"
        ),
        "region_value": region_value,
        "sn_mean": sn_mean,
        "sn_n": pd.array(sn_n, dtype="Int64"),
        "gap_england": value - england_value,
        "gap_region": value - region_value,
        "gap_sn": value - sn_mean,
        "excluded_reason": pd.array(reason, dtype="string"),
    }
    out = pd.DataFrame({k: v[order] for k, v in columns.items()})[BENCHMARK_COLUMNS]
    out.attrs = {
        "indicator": indicator,
        "period": period,
        "polarity": polarity,
        "rank_order": {
            "high": "1st = highest value, best",
            "low": "1st = lowest value, best",
            "neither": "1st = lowest value, no judgement (polarity neither)",
        }[polarity],
        "thresholds": {"q1": thresholds[0], "median": thresholds[1], "q3": thresholds[2]},
        "n_las": len(out),
        "n_ranked": n_ranked,
        "n_no_value": int(no_value.sum()),
        "no_value": sorted(code[no_value]),
        "excluded": {k: v for k, v in excluded.items() if k in set(code)},
    }
    return out


def _row(bench: pd.DataFrame, area: str) -> pd.Series:
    at = np.flatnonzero(bench["area_code"].to_numpy() == area)  # by code: one array compare
    if len(at):
        return bench.iloc[int(at[0])]
    hit = bench[bench["area_name"].str.lower() == str(area).lower()]
    if hit.empty:
        raise UnknownAreaError(
            f"area {area!r} is not in this benchmark",
            hint="Use the ONS code or the name as in the data.",
        )
    return hit.iloc[0]


def quartile_sentence(bench: pd.DataFrame, area: str) -> str:
    """``"third quartile of 148 local authorities"`` for one area of a :func:`benchmark` frame.

    Says why when there is no band (no value, excluded, or an indicator with no polarity).
    """
    row = _row(bench, area)
    return quartile_phrase(row["quartile"], row["n_ranked"], row["excluded_reason"])


def quartile_phrase(quartile: Any, n_ranked: Any, excluded_reason: Any = None) -> str:
    """:func:`quartile_sentence` from a council's quartile, how many were ranked and why it
    was not placed (the words every table uses, from a verdict's cells).

    >>> quartile_phrase("C", 151), quartile_phrase(None, 151, "no value (flag x)")
    ('third quartile of 151 local authorities', 'not placed in a quartile (no value (flag x))')
    >>> quartile_phrase(None, 151)
    'context: not placed in a quartile (neither direction is better)'
    """
    if quartile is None or pd.isna(quartile):
        if excluded_reason is not None and pd.notna(excluded_reason):
            return f"not placed in a quartile ({excluded_reason})"
        return "context: not placed in a quartile (neither direction is better)"
    n = int(n_ranked)
    return f"{QUARTILE_WORDS[quartile]} quartile of {n} {plural('local authority', n)}"


def rank_sentence(bench: pd.DataFrame, area: str, noun: str = "rate") -> str:
    """``"ranked 3rd of 148 local authorities (1st = lowest rate, best)"``."""
    row = _row(bench, area)
    if pd.isna(row["rank"]):
        return f"not ranked ({row['excluded_reason']})"
    polarity = bench.attrs.get("polarity", "neither")
    key = {
        "high": f"1st = highest {noun}, best",
        "low": f"1st = lowest {noun}, best",
        "neither": f"1st = lowest {noun}",
    }[polarity]
    n = int(row["n_ranked"])
    return f"ranked {ordinal(int(row['rank']))} of {n} {plural('local authority', n)} ({key})"


def _example_frame() -> pd.DataFrame:
    codes = [ENGLAND, "R1", "L1", "L2", "L3", "L4", "L5"]
    return pd.DataFrame(
        {
            "indicator": "cla_rate",
            "area_code": codes,
            "area_name": ["England", "Region", "One", "Two", "Three", "Four", "Five"],
            "area_level": ["england", "region", "la", "la", "la", "la", "la"],
            "period": "31 March 2025",
            "value": [67.0, 80.0, 50.0, 70.0, 90.0, 110.0, np.nan],
            "flag": [None, None, None, None, None, None, "c"],
        }
    )


def _example_areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": ["L1", "L2", "L3", "L4", "L5"],
            "region_code": "R1",
            "neighbours": ["L2;L3", "L1;L3", "L1;L2;L5", "L3", None],
        }
    )
