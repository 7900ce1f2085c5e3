"""The one implementation of four small helpers for numbers, and words about them, that
every layer needs.

- :func:`is_missing`: is this scalar absent (None, ``pd.NA``, NaN, NaT)?
- :func:`round_half_up`: published statistics round halves away from zero (2.5 -> 3,
  -2.5 -> -3); Python's ``round`` and format strings round the binary float to even.
- :func:`ordinal`: 1st, 2nd, 3rd, 11th, 101st.
- :func:`plural`: the noun for a count (``1 indicator``, ``2 indicators``), so that no
  sentence says "1 indicators".

Standard library only (numpy arrays are handled without importing numpy here), so the
fast command-line path can use them.

Examples:
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0), is_missing("x")
    (True, True, False, False)
    >>> round_half_up(2.5, 0), round_half_up(-2.5, 0), round_half_up(2.05, 1)
    (3.0, -3.0, 2.1)
    >>> ordinal(1), ordinal(12), ordinal(101)
    ('1st', '12th', '101st')
    >>> f"{1} {plural('indicator', 1)}, {3} {plural('local authority', 3)}"
    '1 indicator, 3 local authorities'
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["is_missing", "ordinal", "plural", "round_half_up", "round_half_up_each"]


def is_missing(value: object) -> bool:
    """True for None, ``pd.NA``, ``pd.NaT`` and a float NaN (numpy's included); False for
    anything else, text included (text is never "missing", it is text).

    >>> import pandas as pd, numpy as np
    >>> [is_missing(v) for v in (pd.NA, pd.NaT, np.float64("nan"), np.int64(3), "", 0)]
    [True, True, True, False, False, False]
    """
    if value is None:
        return True
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float):  # numpy.float64 is a float subclass
        return math.isnan(value)
    try:
        return bool(value != value)  # NaN-like scalars of other numeric types
    except (TypeError, ValueError):
        return False


def round_half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded to ``decimals`` places, halves away from zero, as published.

    The float's shortest repr is rounded as a decimal, so 2.675 (stored as 2.67499...)
    still rounds to 2.68, as a reader of "2.675" expects. NaN and infinities pass through.

    >>> round_half_up(12.5), round_half_up(0.125, 2), round_half_up(2.675, 2), round_half_up(-0.04, 1)
    (13.0, 0.13, 2.68, -0.0)
    """
    value = float(value)
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-int(decimals))
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def round_half_up_each(values: Any, decimals: Any) -> list[float]:
    """:func:`round_half_up` of each value, with one decimals per value (negative: not
    rounded). For the short arrays of shown figures that revisions compare.

    >>> round_half_up_each([2.5, 1.25, 7.0], [0, 1, -1])
    [3.0, 1.3, 7.0]
    """
    return [float(v) if int(d) < 0 else round_half_up(v, int(d)) for v, d in zip(values, decimals)]


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 112th.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 112, 148)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st', '112th', '148th']
    """
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(noun: str, n: int) -> str:
    """The noun for ``n`` of it: ``measure`` -> ``measures``; ``directorate priority`` ->
    ``directorate priorities``; unchanged for 1.

    >>> plural("directorate priority", 5), plural("measure", 1), plural("home", 2)
    ('directorate priorities', 'measure', 'homes')
    >>> plural("indicator", 0), plural("status", 2)
    ('indicators', 'statuses')
    """
    if n == 1:
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "x", "ch", "sh")) else "s")
