"""England's working days: Monday to Friday, less England's bank holidays.

DfE's timeliness measures count working days: an assessment "should be completed within 45
working days", an initial child protection conference held "within 15 working days" of the
strategy discussion that started the section 47 enquiry (Working Together to Safeguard
Children; LAIT's data dictionary, measures ``Continue_Assess_Comp`` and ``CP_conf_15days``).
The bank holidays come from the maintained ``holidays`` package (``country_holidays("GB",
subdiv="ENG")``: New Year's Day, Good Friday, Easter Monday, the May and August bank
holidays, Christmas and Boxing Day with their substitute days, and one-off days such as the
coronation of 7 May 2023), not a hand-kept list.

:func:`working_days_after` counts the working days *after* the first date up to and
including the second, the way a timescale is counted ("within 45 working days of the
start": the 45th working day after the start is the last day in time). It is vectorised:
numpy's ``busday_count`` with the holidays as an array.

Examples:
    >>> import numpy as np
    >>> # Thursday 17 April 2025 -> Tuesday 22 April 2025: Good Friday and Easter Monday
    >>> # are bank holidays, so only Tuesday counts.
    >>> working_days_after(np.array(["2025-04-17"], dtype="datetime64[D]"),
    ...                    np.array(["2025-04-22"], dtype="datetime64[D]")).tolist()
    [1.0]
    >>> bool(is_working_day(np.datetime64("2023-05-08")))  # the coronation bank holiday
    False
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

__all__ = ["bank_holidays", "is_working_day", "working_days_after"]

#: The ``holidays`` package's code for England among the UK's nations.
ENGLAND_SUBDIVISION = "ENG"
#: The years whose bank holidays are looked up (a date outside them is an error below).
_FIRST_YEAR, _LAST_YEAR = 1990, 2060


@lru_cache(maxsize=1)
def bank_holidays() -> np.ndarray:
    """England's bank holidays from 1990 to 2060, sorted, as ``datetime64[D]``.

    >>> days = bank_holidays()
    >>> np.datetime64("2025-12-25") in days, np.datetime64("2025-12-24") in days
    (True, False)
    """
    # lazy: the holidays package builds its calendars on import (tens of milliseconds),
    # which only a reader of the council's returns needs
    import holidays

    calendar = holidays.country_holidays(
        "GB", subdiv=ENGLAND_SUBDIVISION, years=range(_FIRST_YEAR, _LAST_YEAR + 1)
    )
    return np.array(sorted(calendar), dtype="datetime64[D]")


def is_working_day(days) -> np.ndarray:
    """Whether each day is a working day in England (a weekday that is not a bank holiday)."""
    return np.is_busday(np.asarray(days, dtype="datetime64[D]"), holidays=bank_holidays())


def working_days_after(start, end) -> np.ndarray:
    """For each pair, the number of working days after ``start`` up to and including
    ``end`` (negative when ``end`` is before ``start``; NaN where either is missing).

    >>> import pandas as pd
    >>> s = pd.to_datetime(pd.Series(["2025-01-06", None])).to_numpy()  # a Monday
    >>> e = pd.to_datetime(pd.Series(["2025-01-13", "2025-01-13"])).to_numpy()
    >>> working_days_after(s, e).tolist()  # Tue-Fri and Monday 13th
    [5.0, nan]
    """
    start = np.asarray(start).astype("datetime64[D]")
    end = np.asarray(end).astype("datetime64[D]")
    known = ~(np.isnat(start) | np.isnat(end))
    out = np.full(start.shape, np.nan)
    if known.any():
        one = np.timedelta64(1, "D")
        out[known] = np.busday_count(start[known] + one, end[known] + one, holidays=bank_holidays())
    return out
