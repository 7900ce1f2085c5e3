"""The council's plans and its own view beside perf's: where each indicator sits, which
status the briefing shows, and where perf's calculation disagrees.

Rule (never a silent override): an indicator's *shown* status is the council's own when it
supplied one (``status_by = "council"``), else perf's calculation from the declared
target and tolerance (``status_by = "perf"``), else none. perf's calculation is always
kept beside it (``perf_status``, in the plan's scheme: the four tolerance levels for a
``tolerance`` plan, the RAG colour for a ``rag`` plan), and ``disagrees`` is True where
both exist and differ: the internal view shows it, the public briefing does not.

An indicator no plan places is in plan ``Other indicators``, priority ``Other
indicators``, scheme ``tolerance``.

Examples:
    >>> scored = pd.DataFrame({"indicator": ["a", "b"], "area_code": "X", "period": "2012-13 Q2",
    ...     "status": ["below", "on_target_lower"], "rag": ["red", "amber"]})
    >>> plans = pd.DataFrame({"area_code": "X", "plan": "P", "scheme": "rag", "priority": "Q",
    ...     "objective": None, "kind": "indicator", "item": ["b", "a"], "ref": ["B1", "A1"],
    ...     "lead_officer": None, "order": [0, 1]})
    >>> own = pd.DataFrame({"indicator": ["a"], "area_code": ["X"], "period": ["2012-13 Q2"],
    ...     "status": ["amber"]})
    >>> out = place_and_compare(scored, plans, own)
    >>> out[["indicator", "ref", "shown_status", "status_by", "perf_status", "disagrees"]]
      indicator ref shown_status status_by perf_status  disagrees
    0         b  B1        amber      perf       amber      False
    1         a  A1        amber   council         red       True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from perf.loaders.plans import SCHEMES

__all__ = [
    "OFF_TARGET",
    "OTHER",
    "counts_in_scheme",
    "off_target",
    "place_and_compare",
    "plan_of_activities",
]

#: The plan and priority of an indicator that no plan places.
OTHER = "Other indicators"
#: Statuses that make an indicator an exception (red, or below target tolerance).
OFF_TARGET = frozenset({"below", "red"})

_PLACEMENT = ["plan", "scheme", "priority", "objective", "ref", "lead_officer", "order"]


def _placements(plans: pd.DataFrame | None, kind: str) -> pd.DataFrame:
    """area_code, item and the placement columns of ``kind`` (indicator or activity)."""
    if plans is None or not len(plans):
        return pd.DataFrame(columns=["area_code", "item"] + _PLACEMENT)
    rows = plans[plans["kind"] == kind]
    return rows[["area_code", "item"] + _PLACEMENT].drop_duplicates(["area_code", "item"])


def place_and_compare(
    scored: pd.DataFrame, plans: pd.DataFrame | None, statuses: pd.DataFrame | None
) -> pd.DataFrame:
    """``scored`` (from :func:`perf.scoring.score_against_target`: indicator, area_code,
    period, status, rag) with its plan placement, the council's status and perf's, in the
    plan's order (indicators no plan places last, in their own order). Does not mutate.

    ``statuses`` are the council's own for the reporting period (indicator, area_code,
    status; the last row of an indicator wins), matched on indicator and area.

    Adds: plan, scheme, priority, objective, ref, lead_officer, order, council_status,
    perf_status, shown_status, status_by, disagrees.
    """
    placed = _placements(plans, "indicator").rename(columns={"item": "indicator"})
    out = scored.drop(columns=[c for c in _PLACEMENT if c in scored.columns]).merge(
        placed, on=["area_code", "indicator"], how="left"
    )
    unplaced = out["plan"].isna()
    out.loc[unplaced, ["plan", "priority"]] = OTHER
    out.loc[unplaced, "scheme"] = "tolerance"
    out["order"] = out["order"].astype("float64").fillna(np.inf)
    if statuses is not None and len(statuses):
        own = (
            statuses[["indicator", "area_code", "status"]]
            .drop_duplicates(["indicator", "area_code"], keep="last")
            .rename(columns={"status": "council_status"})
        )
        out = out.merge(own, on=["indicator", "area_code"], how="left")
    else:
        out["council_status"] = pd.Series(None, index=out.index, dtype="object")
    perf = np.where(out["scheme"] == "rag", out["rag"], out["status"])
    out["perf_status"] = pd.Series(perf, index=out.index).where(~out["status"].eq("no_data"), None)
    has_own = out["council_status"].notna()
    out["shown_status"] = out["council_status"].where(has_own, out["perf_status"])
    out["status_by"] = np.select(
        [has_own, out["perf_status"].notna()], ["council", "perf"], default=np.array(None)
    )
    out["status_by"] = out["status_by"].replace({"None": None})
    out["disagrees"] = (
        has_own & out["perf_status"].notna() & (out["council_status"] != out["perf_status"])
    )
    position = pd.Series(np.arange(len(out)), index=out.index)
    out = out.assign(_pos=position).sort_values(["order", "_pos"], kind="mergesort")
    return out.drop(columns="_pos").reset_index(drop=True)


def plan_of_activities(activities: pd.DataFrame, plans: pd.DataFrame | None) -> pd.DataFrame:
    """Key activities with their plan, priority and objective from the plan file where it
    places them (the activity's own priority and objective otherwise), in the plan's order.

    >>> acts = pd.DataFrame({"ref": ["YP1a"], "area_code": ["X"], "priority": ["Young"],
    ...                      "objective": ["O1"], "lead_officer": ["A"]})
    >>> plan_of_activities(acts, None)[["ref", "plan", "priority"]].values.tolist()
    [['YP1a', 'Other indicators', 'Young']]
    """
    placed = _placements(plans, "activity").drop(columns=["scheme", "lead_officer", "ref"])
    placed = placed.rename(
        columns={
            "item": "ref",
            "plan": "_plan",
            "priority": "_priority",
            "objective": "_objective",
            "order": "_order",
        }
    )
    out = activities.merge(placed, on=["area_code", "ref"], how="left")
    out["plan"] = out["_plan"].fillna(OTHER)
    out["priority"] = out["_priority"].where(out["_priority"].notna(), out["priority"])
    out["objective"] = out["_objective"].where(out["_objective"].notna(), out["objective"])
    out["order"] = out["_order"].astype("float64").fillna(np.inf)
    out = out.drop(columns=[c for c in out.columns if c.startswith("_")])
    position = pd.Series(np.arange(len(out)), index=out.index)
    return (
        out.assign(_pos=position)
        .sort_values(["order", "_pos"], kind="mergesort")
        .drop(columns="_pos")
        .reset_index(drop=True)
    )


def off_target(frame: pd.DataFrame) -> pd.Series:
    """True where the shown status is red or below target tolerance."""
    return frame["shown_status"].isin(OFF_TARGET)


def counts_in_scheme(statuses: pd.Series, scheme: str) -> dict[str, int]:
    """How many of each status of ``scheme`` (best first), zeros included; statuses of
    another scheme or missing are left out.

    >>> counts_in_scheme(pd.Series(["green", "red", "green", None]), "rag")
    {'green': 2, 'amber': 0, 'red': 1}
    """
    levels = SCHEMES[scheme].labels
    found = statuses.dropna().astype(str).value_counts()
    return {level: int(found.get(level, 0)) for level in levels}
