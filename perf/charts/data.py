"""What each chart selects from the frames it is given: series, comparators, targets, the
SPC frame's columns and special causes. Frames in, frames out; inputs are never modified.

A chart with too little to draw raises :class:`perf.errors.NoDataToChart` from here or
from its own module, never a bare ``ValueError`` or ``KeyError``: the report turns that
one error into a sentence (:func:`perf.report.common.chart_or_note`) and lets any other
surface.

Examples:
    >>> obs = pd.DataFrame({"indicator": "x", "area_code": ["A", "A", "B"],
    ...     "area_name": ["Here", "Here", "There"], "period": ["2024", "2023", "2024"],
    ...     "period_end": pd.to_datetime(["2024-12-31", "2023-12-31", "2024-12-31"]),
    ...     "value": [4.0, 3.0, 5.0]})
    >>> series(obs, "x", "A")[["period", "value"]].to_dict("list")
    {'period': ['2023', '2024'], 'value': [3.0, 4.0]}
    >>> neighbour_mean(obs, "x", ["A", "B"])["value"].tolist()
    [3.0, 4.5]
    >>> area_name(obs, "B", "B"), area_name(obs, "C", "C")
    ('There', 'C')
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from perf.catalogue import indicator_info
from perf.errors import NoDataToChart

__all__ = [
    "LIMIT_ALIASES",
    "area_name",
    "catalogue_info",
    "limit_column",
    "neighbour_mean",
    "only_region",
    "require",
    "series",
    "special_causes",
    "target_frame",
]

_SERIES_COLUMNS = (
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "area_name",
    "flag",
)


def require(frame: pd.DataFrame, message: str) -> pd.DataFrame:
    """``frame`` when it has rows; else :class:`NoDataToChart` saying ``message``.

    >>> require(pd.DataFrame(), "no cla_rate values for E08000027 to chart")
    Traceback (most recent call last):
    perf.errors.NoDataToChart: no cla_rate values for E08000027 to chart.
    """
    if frame.empty:
        raise NoDataToChart(message)
    return frame


def series(obs: pd.DataFrame, indicator: str, code: str) -> pd.DataFrame:
    """One area's figures for one indicator, oldest first (the columns a chart reads)."""
    rows = obs[(obs["indicator"] == indicator) & (obs["area_code"] == code)]
    return rows.sort_values("period_end")[
        [c for c in _SERIES_COLUMNS if c in rows.columns]
    ].reset_index(drop=True)


def neighbour_mean(obs: pd.DataFrame, indicator: str, codes: Sequence[str]) -> pd.DataFrame:
    """The mean of the figures of ``codes`` per period (``period_end``, ``period``,
    ``value``), periods where none has a figure left out."""
    rows = obs[(obs["indicator"] == indicator) & (obs["area_code"].isin(list(codes)))]
    if rows.empty:
        return pd.DataFrame(columns=["period", "period_end", "value"])
    grouped = rows.groupby(["period_end", "period"], as_index=False)["value"].mean()
    return grouped.sort_values("period_end").dropna(subset=["value"]).reset_index(drop=True)


def area_name(obs: pd.DataFrame, code: str, default: str) -> str:
    """The area's name as ``obs`` gives it, else ``default``."""
    if "area_name" not in obs:
        return default
    names = obs.loc[obs["area_code"] == code, "area_name"].dropna()
    return str(names.iloc[0]) if len(names) else default


def only_region(obs: pd.DataFrame, indicator: str) -> str | None:
    """The region's code when ``obs`` holds figures for exactly one region, else None.

    >>> only_region(pd.DataFrame({"indicator": ["x"], "area_code": ["R"],
    ...     "area_level": ["region"]}), "x")
    'R'
    """
    if "area_level" not in obs.columns:
        return None
    regions = obs.loc[
        (obs["indicator"] == indicator) & (obs["area_level"] == "region"), "area_code"
    ].unique()
    return regions[0] if len(regions) == 1 else None


def catalogue_info(
    catalogue: pd.DataFrame | None,
    indicator: str,
    label: str | None,
    unit: str | None,
    decimals: int | None,
) -> tuple[str, str, int]:
    """Title, unit and decimals: those given, else the catalogue's (one default).

    >>> catalogue_info(None, "made_up", "Label", "%", None)
    ('Label', '%', 1)
    """
    info = indicator_info(indicator, catalogue)
    return (
        label or info.title,
        unit or info.unit,
        int(info.decimals if decimals is None else decimals),
    )


def target_frame(target: float | pd.DataFrame | None, area: pd.DataFrame) -> pd.DataFrame:
    """Targets as ``period_end``, ``target`` rows: one at the area's last period for a single
    figure; a frame's rows matched on ``period`` when it has no ``period_end``.

    >>> area = pd.DataFrame({"period": ["2024"], "period_end": pd.to_datetime(["2024-12-31"])})
    >>> target_frame(5, area)["target"].tolist(), len(target_frame(None, area))
    ([5.0], 0)
    """
    if target is None:
        return pd.DataFrame(columns=["period_end", "target"])
    if isinstance(target, pd.DataFrame):
        frame = target.copy()
        if "period_end" not in frame.columns:
            frame = frame.merge(area[["period", "period_end"]], on="period", how="inner")
        return (
            frame[["period_end", "target"]]
            .dropna()
            .sort_values("period_end")
            .reset_index(drop=True)
        )
    return pd.DataFrame({"period_end": [area["period_end"].iloc[-1]], "target": [float(target)]})


#: The names an SPC frame's centre line and limits go by (perf.spc.xmr, NHS tools).
LIMIT_ALIASES = {
    "mean": ("mean", "centre", "center", "centre_line", "cl"),
    "upper": ("upper", "ucl", "upl", "upper_limit", "unpl", "upper_process_limit"),
    "lower": ("lower", "lcl", "lpl", "lower_limit", "lnpl", "lower_process_limit"),
}


def limit_column(frame: pd.DataFrame, role: str) -> str:
    """The column of an SPC frame holding ``role`` (mean, upper, lower).

    >>> limit_column(pd.DataFrame(columns=["value", "unpl"]), "upper")
    'unpl'

    Raises:
        KeyError: the frame has no such column: the caller passed the wrong frame (a
            programming error, so it is not turned into "no data").
    """
    for name in LIMIT_ALIASES[role]:
        if name in frame.columns:
            return name
    raise KeyError(f"SPC frame has no {role} column (looked for {', '.join(LIMIT_ALIASES[role])})")


def special_causes(data: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Which points are special causes of improvement, of concern, or unclassified, from
    ``special_cause_improvement``/``special_cause_concern`` bools, or one
    ``special_cause`` bool (with ``direction``, as :func:`perf.spc.xmr` gives it).

    >>> frame = pd.DataFrame({"special_cause": [True, True, False],
    ...     "direction": ["improvement", None, None]})
    >>> [s.tolist() for s in special_causes(frame)]
    [[True, False, False], [False, False, False], [False, True, False]]
    """
    if "special_cause_improvement" in data.columns or "special_cause_concern" in data.columns:
        improve = data.get("special_cause_improvement", pd.Series(False, index=data.index))
        concern = data.get("special_cause_concern", pd.Series(False, index=data.index))
        neutral = pd.Series(False, index=data.index)
    else:
        improve = concern = pd.Series(False, index=data.index)
        neutral = data.get("special_cause", pd.Series(False, index=data.index))
        if "direction" in data.columns:  # perf.spc.xmr: special_cause + direction
            flagged = neutral.fillna(False).astype(bool)
            direction = data["direction"].astype("string")
            improve = flagged & direction.eq("improvement").fillna(False).astype(bool)
            concern = flagged & direction.eq("concern").fillna(False).astype(bool)
            neutral = flagged & ~improve & ~concern
    improve, concern, neutral = (s.fillna(False).astype(bool) for s in (improve, concern, neutral))
    return improve, concern, neutral
