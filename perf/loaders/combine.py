"""One rule for combining computed figures with given ones: the given figure stands.

The council's statutory returns give figures computed from child-level records
(:mod:`perf.childlevel`, formats registered ``computed=True``). Some of them share a key
(indicator, area, period) with a figure published elsewhere (DfE's children looked after
on 31 March 2025, ``cla_count``) or keyed in by the council (its returned collection
workbook). That is not a duplicate to refuse: the published (or keyed-in) figure stands in
the tidy frame, and the computed one is set aside with both values, so that ``perf check``
can say where they differ (:func:`perf.collection.superseded_findings`).

Examples:
    >>> import pandas as pd
    >>> given = pd.DataFrame({"indicator": ["cla_count"], "area_code": ["E08000027"],
    ...     "area_name": ["Dudley"], "period": ["31 March 2025"], "value": [575.0],
    ...     "flag": [None], "source": ["cla.csv (DfE)"]})
    >>> computed = pd.DataFrame({"indicator": ["cla_count", "cla_count"],
    ...     "area_code": ["E08000027"] * 2, "area_name": ["Dudley"] * 2,
    ...     "period": ["31 March 2025", "30 June 2025"], "value": [581.0, 590.0],
    ...     "flag": [None, None], "source": ["ssda903 (computed)"] * 2})
    >>> kept, superseded = computed_yields(given, computed)
    >>> kept["period"].tolist()
    ['30 June 2025']
    >>> superseded[["computed_value", "given_value", "given_source"]].values.tolist()
    [[581.0, 575.0, 'cla.csv (DfE)']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["SUPERSEDED_COLUMNS", "computed_yields"]

_KEY = ["indicator", "area_code", "period"]
#: One row per computed figure set aside: its key, both values and both sources.
SUPERSEDED_COLUMNS = [
    "indicator",
    "area_code",
    "area_name",
    "period",
    "computed_value",
    "computed_source",
    "given_value",
    "given_flag",
    "given_source",
]


def computed_yields(
    given: pd.DataFrame, computed: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the computed rows whose key no given row has, the computed figures set aside with
    the given ones that stand: :data:`SUPERSEDED_COLUMNS`). Neither input is modified."""
    if computed.empty or given.empty:
        return computed, pd.DataFrame(columns=SUPERSEDED_COLUMNS)
    # Only the given rows that could clash are looked at (700,000 LAIT rows are not keyed).
    near = given[
        given["indicator"].isin(pd.unique(computed["indicator"].astype(str)))
        & given["area_code"].isin(pd.unique(computed["area_code"].astype(str)))
    ]
    keys = near[_KEY].astype(str).assign(_given=np.arange(len(near)))
    mine = computed[_KEY].astype(str).assign(_computed=np.arange(len(computed)))
    pairs = mine.merge(keys, on=_KEY, how="inner")
    clash = np.zeros(len(computed), dtype=bool)
    clash[pairs["_computed"].to_numpy()] = True
    left = computed.iloc[pairs["_computed"].to_numpy()]
    right = near.iloc[pairs["_given"].to_numpy()]
    superseded = pd.DataFrame(
        {
            "indicator": pairs["indicator"].to_numpy(),
            "area_code": pairs["area_code"].to_numpy(),
            "area_name": left["area_name"].astype(str).to_numpy(),
            "period": pairs["period"].to_numpy(),
            "computed_value": left["value"].to_numpy(dtype=float),
            "computed_source": left["source"].astype(str).to_numpy(),
            "given_value": right["value"].to_numpy(dtype=float),
            "given_flag": right["flag"].astype(object).to_numpy(),
            "given_source": right["source"].astype(str).to_numpy(),
        },
        columns=SUPERSEDED_COLUMNS,
    )
    return computed[~clash], superseded
