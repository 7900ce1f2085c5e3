"""The synthetic return: fixed seed, any size, every definition exercised, and what it
writes reads back to the same figures."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from perf import cli, loaders
from perf.childlevel import in_need, looked_after
from perf.childlevel.common import MARKER, Span
from perf.childlevel.observations import CIN_MEASURES, SSDA903_MEASURES, compute
from perf.childlevel.ssda903 import CODES
from perf.childlevel.synthetic import generate, write
from perf.periods import parse_period

SPAN = [Span(date(2022, 4, 1), date(2025, 9, 30))]


@pytest.fixture(scope="module")
def made():
    return generate(children=80, referrals=300, seed=7)


def _frames(made) -> tuple[dict, dict]:
    return (
        {
            "episodes": made.episodes,
            "header": made.header,
            "missing": made.missing,
            "oc3": made.oc3,
            "ad1": made.ad1,
        },
        {
            "referrals": made.referrals,
            "assessments": made.assessments,
            "section47": made.section47,
            "plans": made.plans,
        },
    )


def test_a_fixed_seed_gives_the_same_return_and_another_seed_another(made):
    again = generate(children=80, referrals=300, seed=7)
    other = generate(children=80, referrals=300, seed=8)
    pd.testing.assert_frame_equal(again.episodes, made.episodes)
    pd.testing.assert_frame_equal(again.referrals, made.referrals)
    assert not other.episodes.equals(made.episodes)


def test_any_size(made):
    small = generate(children=10, referrals=20, seed=1)
    assert small.header["child"].nunique() == 10 + 5  # and the five showcase children
    assert len(made.referrals) <= 300 + 6 and len(made.referrals) > 250


def test_every_definition_has_something_to_count(made):
    q2 = parse_period("2025-26 Q2")
    twelve = parse_period("01/10/2024 to 30/09/2025")
    eps = made.episodes
    # several placements: three or more in the twelve months to 30 September 2025
    assert looked_after.placements_3plus(eps, [twelve])["numerator"].iloc[0] >= 1
    # adoptions by new adopters (E11) and by the foster carers (E12), and short breaks
    assert {"E11", "E12"} <= set(eps["rec"]) and {"V3", "V4"} <= set(eps["ls"])
    assert looked_after.adopted(eps, [parse_period("2025-26 Q1"), q2])["value"].sum() >= 2
    # a missing and an away episode
    assert set(made.missing["missing"]) == {"M", "A"}
    # a care leaver of every activity and every accommodation code
    assert set(made.oc3["activ"]) == CODES["ACTIV"]
    assert set(made.oc3["accom"]) == CODES["ACCOM"]
    # re-referrals within 12 months of the last and beyond
    again = in_need.re_referrals(made.referrals, [twelve])
    assert 0 < again["numerator"].iloc[0] < again["denominator"].iloc[0]
    # plans of every length: ended after two years or more and sooner; open for two years
    # or more; a second plan
    plans = made.plans
    length = (plans["end"] - plans["start"]).dt.days
    assert (length >= 731).any() and (length < 120).any()
    assert in_need.plans_2_years_open(plans, [q2])["numerator"].iloc[0] >= 1
    assert in_need.second_plans(plans, [parse_period("2025-26 Q1")])["numerator"].iloc[0] >= 1
    assert in_need.plans_2_years_ceased(plans, [parse_period("2024-25")])["numerator"].iloc[0]
    # timeliness over and under the thresholds
    took = in_need.assessments_45_days(made.assessments, [twelve])
    assert 0 < took["numerator"].iloc[0] < took["denominator"].iloc[0]


def test_every_measure_is_computed(made):
    frames_903, frames_cin = _frames(made)
    found = set(compute(frames_903, SPAN, SSDA903_MEASURES)["indicator"])
    found |= set(compute(frames_cin, SPAN, CIN_MEASURES)["indicator"])
    assert found == {m.indicator for m in (*SSDA903_MEASURES, *CIN_MEASURES)}


def test_what_it_writes_reads_back_to_the_same_figures(made, tmp_path):
    out = write(made, tmp_path / "case" / "example_dudley_returns")
    assert (out / MARKER).is_file()
    folder = out / "ssda903_2025-26_to_2025-09-30"
    census = out / "cin_census_2025-26_to_2025-09-30.xml"
    obs = pd.concat([loaders.load(folder), loaders.load(census)], ignore_index=True)
    # an in-year extract for 2025-26 to 30 September 2025: that year's quarters only
    assert set(obs["period"]) <= {"2025-26 Q1", "2025-26 Q2", "30 June 2025", "30 September 2025"}
    assert (obs["flag"] == "ex").all()
    frames_903, frames_cin = _frames(made)
    direct = pd.concat(
        [
            compute(frames_903, [Span(date(2025, 4, 1), date(2025, 9, 30))], SSDA903_MEASURES),
            compute(frames_cin, [Span(date(2025, 4, 1), date(2025, 9, 30))], CIN_MEASURES),
        ]
    )
    direct = direct[direct["rate_of"].isna() & direct["value"].notna()]
    direct["period"] = [p.label for p in direct["period"]]
    both = direct.merge(obs, on=["indicator", "period"], suffixes=("", "_read"))
    assert len(both) == len(direct)
    assert np.allclose(both["value"], both["value_read"])


def test_perf_synth_writes_a_return(tmp_path):
    out = tmp_path / "case" / "synth_dudley"
    assert (
        cli.main(
            ["synth", "--out", str(out), "--children", "12", "--referrals", "30", "--seed", "3"]
        )
        == 0
    )
    assert sorted(p.name for p in out.iterdir()) == [
        MARKER,
        "cin_census_2025-26_to_2025-09-30.xml",
        "ssda903_2025-26_to_2025-09-30",
    ]
    assert "not Dudley's data" in (out / MARKER).read_text()


def test_the_committed_worked_example_is_the_generator_s_output(tmp_path):
    # data/local/example_dudley_returns is `perf synth` with its defaults (fixed seed):
    # regenerated here, every file is byte for byte the one committed
    from perf import config

    committed = config.LOCAL_DIR / "example_dudley_returns"
    out = write(generate(), tmp_path / "example_dudley_returns")
    mine = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(committed) for p in committed.rglob("*") if p.is_file())
    assert mine == theirs and len(mine) == 7
    for name in mine:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), name
