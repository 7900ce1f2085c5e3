"""Counting dated records over many periods at once, on sorted arrays (no loop over
children): the building blocks every definition in :mod:`perf.childlevel.looked_after` and
:mod:`perf.childlevel.in_need` uses.

Days are ``datetime64[ns]``; an interval is ``[start, end)`` (its end day is the first day
it no longer holds: an episode that ends on 31 March does not hold 31 March), a missing end
is open. A period is any :class:`perf.periods.Period` (its start and end days inclusive).

Examples:
    >>> import numpy as np
    >>> from perf.periods import parse_period
    >>> day = lambda s: np.array(s, dtype="datetime64[ns]")
    >>> child = np.array([1, 1, 2])
    >>> start = day(["2024-01-01", "2024-03-01", "2024-02-01"])
    >>> end = day(["2024-03-01", "NaT", "2024-02-10"])
    >>> c, s, e = union_intervals(child, start, end)  # child 1's two episodes touch: one spell
    >>> c.tolist(), s.astype(str).tolist()
    ([1, 2], ['2024-01-01T00:00:00.000000000', '2024-02-01T00:00:00.000000000'])
    >>> count_open(s, e, day(["2024-02-05", "2024-02-10", "2025-01-01"])).tolist()
    [2, 1, 1]
    >>> q = [parse_period("2023-24 Q4"), parse_period("2024-25 Q1")]
    >>> distinct_in(child, start, q).tolist()  # children with a start day in each quarter
    [2, 0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from perf.periods import Period

__all__ = [
    "FOREVER",
    "bounds",
    "count_in",
    "count_open",
    "distinct_in",
    "ends",
    "group_first",
    "minus_years",
    "union_intervals",
]

#: The end of an open interval.
FOREVER = np.datetime64("2262-01-01", "ns")
_DAY = np.timedelta64(1, "D")


def ends(end: np.ndarray) -> np.ndarray:
    """``end`` with a missing end (still open) as :data:`FOREVER`."""
    end = np.asarray(end, dtype="datetime64[ns]")
    return np.where(np.isnat(end), FOREVER, end)


def bounds(periods: Sequence[Period]) -> tuple[np.ndarray, np.ndarray]:
    """Each period's first day and the day after its last, as ``datetime64[ns]``."""
    first = np.array([p.start for p in periods], dtype="datetime64[D]").astype("datetime64[ns]")
    after = (np.array([p.end for p in periods], dtype="datetime64[D]") + _DAY).astype(
        "datetime64[ns]"
    )
    return first, after


def last_days(periods: Sequence[Period]) -> np.ndarray:
    """Each period's last day (a snapshot's day), as ``datetime64[ns]``."""
    return np.array([p.end for p in periods], dtype="datetime64[D]").astype("datetime64[ns]")


def minus_years(days: np.ndarray, years: float) -> np.ndarray:
    """``days`` less a number of years (whole years by the calendar; a half year as six
    months), e.g. for "within 12 months" and "2.5 years"."""
    whole, months = int(years), int(round((years - int(years)) * 12))
    shifted = pd.DatetimeIndex(days) - pd.DateOffset(years=whole, months=months)
    return shifted.to_numpy(dtype="datetime64[ns]")


def union_intervals(
    child: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each child's intervals joined where they overlap or touch: (child, start, end) of
    disjoint spells, sorted by child then start (so at most one spell of a child holds any
    day)."""
    end = ends(end)
    order = np.lexsort((start, child))
    child, start, end = child[order], start[order], end[order]
    if not len(child):
        return child, start, end
    new_child = np.r_[True, child[1:] != child[:-1]]
    # the running latest end within each child, to the previous episode
    reach = pd.Series(end.view("i8")).groupby(child).cummax().to_numpy().view("datetime64[ns]")
    previous = np.r_[np.datetime64("NaT", "ns"), reach[:-1]]
    opens = new_child | (start > previous)
    spell = np.cumsum(opens) - 1
    first = np.flatnonzero(opens)
    spell_end = pd.Series(end.view("i8")).groupby(spell).max().to_numpy().view("datetime64[ns]")
    return child[first], start[first], spell_end


def count_open(start: np.ndarray, end: np.ndarray, days: np.ndarray) -> np.ndarray:
    """How many intervals hold each day (``start <= day < end``)."""
    starts = np.sort(np.asarray(start, dtype="datetime64[ns]"))
    finishes = np.sort(ends(end))
    return np.searchsorted(starts, days, side="right") - np.searchsorted(
        finishes, days, side="right"
    )


def count_in(days: np.ndarray, periods: Sequence[Period]) -> np.ndarray:
    """How many of ``days`` fall in each period."""
    days = np.sort(np.asarray(days, dtype="datetime64[ns]"))
    days = days[~np.isnat(days)]
    first, after = bounds(periods)
    return np.searchsorted(days, after, side="left") - np.searchsorted(days, first, side="left")


def distinct_in(child: np.ndarray, days: np.ndarray, periods: Sequence[Period]) -> np.ndarray:
    """How many different children have a day in each period."""
    days = np.asarray(days, dtype="datetime64[ns]")
    known = ~np.isnat(days)
    child, days = np.asarray(child)[known], days[known]
    order = np.argsort(days, kind="stable")
    child, days = child[order], days[order]
    first, after = bounds(periods)
    lo = np.searchsorted(days, first, side="left")
    hi = np.searchsorted(days, after, side="left")
    return np.array([len(np.unique(child[a:b])) for a, b in zip(lo, hi)], dtype=np.int64)


def group_first(keys: np.ndarray) -> np.ndarray:
    """Whether each row is the first of its run of equal ``keys`` (rows sorted by key)."""
    keys = np.asarray(keys)
    return np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
