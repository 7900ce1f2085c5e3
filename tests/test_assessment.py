"""Plans and the council's own status beside perf's (perf.assessment): shown as given,
never overridden, disagreements kept for the internal view."""

from __future__ import annotations

import pandas as pd

from perf.assessment import OTHER, counts_in_scheme, off_target, place_and_compare

SCORED = pd.DataFrame(
    {
        "indicator": ["a", "b", "c"],
        "area_code": "X",
        "period": "2012-13 Q2",
        "status": ["below", "exceeds", "no_data"],
        "rag": ["red", "green", "no data"],
    }
)
PLANS = pd.DataFrame(
    {
        "area_code": "X",
        "plan": ["P", "P"],
        "scheme": ["tolerance"] * 2,
        "priority": ["Q", "Q"],
        "objective": None,
        "kind": "indicator",
        "item": ["b", "a"],
        "ref": ["B1", "A1"],
        "lead_officer": None,
        "order": [0, 1],
    }
)


def test_council_status_is_shown_as_given_and_perfs_kept_beside_it():
    own = pd.DataFrame({"indicator": ["a"], "area_code": ["X"], "status": ["on_target_lower"]})
    out = place_and_compare(SCORED, PLANS, own).set_index("indicator")
    assert out.loc["a", "shown_status"] == "on_target_lower"
    assert out.loc["a", "status_by"] == "council" and out.loc["a", "perf_status"] == "below"
    assert bool(out.loc["a", "disagrees"])
    assert out.loc["b", "status_by"] == "perf" and not bool(out.loc["b", "disagrees"])
    assert SCORED["status"].tolist() == ["below", "exceeds", "no_data"]  # not mutated


def test_plan_order_then_unplaced_indicators_under_other():
    out = place_and_compare(SCORED, PLANS, None)
    assert out["indicator"].tolist() == ["b", "a", "c"]
    assert out["plan"].tolist() == ["P", "P", OTHER] and out["ref"].tolist()[:2] == ["B1", "A1"]
    assert out.loc[2, "shown_status"] is None or pd.isna(out.loc[2, "shown_status"])


def test_rag_plans_compare_in_rag():
    plans = PLANS.assign(scheme="rag")
    own = pd.DataFrame({"indicator": ["b"], "area_code": ["X"], "status": ["amber"]})
    out = place_and_compare(SCORED, plans, own).set_index("indicator")
    assert out.loc["b", "perf_status"] == "green" and bool(out.loc["b", "disagrees"])
    assert off_target(out).tolist() == [False, True, False]
    assert counts_in_scheme(out["shown_status"], "rag") == {"green": 0, "amber": 1, "red": 1}
