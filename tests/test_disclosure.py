"""Disclosure control: each test shows a table that would disclose a child without the rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from perf import config
from perf.disclosure import (
    INTERNAL_BANNER,
    for_audience,
    is_suppressed,
    mode_banner,
    suppress,
)
from perf.errors import ParameterError, PerfError, UnknownIndicatorError

CATALOGUE = pd.DataFrame(
    {
        "indicator": ["cla_count", "cla_rate", "neet_16_17", "referrals"],
        "unit": ["count", "rate per 10,000", "%", "number"],
    }
)
REGION = {"A": "R1", "B": "R1", "C": "R1", "D": "R1", "R1": "E92000001"}


def frame(rows, indicator="cla_count", period="31 March 2024"):
    """rows: list of (area_code, value) or (area_code, value, numerator, denominator)."""
    records = []
    for row in rows:
        code, value, *rest = row
        numerator, denominator = (rest + [np.nan, np.nan])[:2]
        records.append(
            {
                "indicator": indicator,
                "area_code": code,
                "area_name": code,
                "period": period,
                "value": float(value),
                "numerator": float(numerator),
                "denominator": float(denominator),
                "flag": None,
            }
        )
    out = pd.DataFrame(records)
    out["flag"] = out["flag"].astype(pd.StringDtype(na_value=np.nan))
    return out


def hidden_codes(out):
    return sorted(out.loc[is_suppressed(out), "area_code"])


def recoverable_cells(out, groups, threshold=config.SUPPRESSION_THRESHOLD):
    """The attacker: for each published total, total minus published parts = hidden parts'
    sum. A table discloses if exactly one part is hidden, or the hidden sum is itself small."""
    found = []
    children = {}
    for child, parent in groups.items():
        children.setdefault(parent, []).append(child)
    for (ind, per), table in out.groupby(["indicator", "period"]):
        by_code = table.set_index("area_code")
        for parent, kids in children.items():
            if parent not in by_code.index or is_suppressed(by_code.loc[[parent]]).iloc[0]:
                continue
            kids = [k for k in kids if k in by_code.index]
            hidden = [k for k in kids if is_suppressed(by_code.loc[[k]]).iloc[0]]
            if not hidden:
                continue
            residual = (
                by_code.loc[parent, "value"]
                - by_code.loc[[k for k in kids if k not in hidden], "value"].sum()
            )
            if len(hidden) == 1 or residual <= threshold:
                found.append((ind, per, parent, tuple(hidden), residual))
    return found


# --- primary suppression -------------------------------------------------------------


def test_counts_one_to_threshold_withheld_zero_and_above_shown():
    f = frame([("A", 0), ("B", 1), ("C", 5), ("D", 6)])
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert hidden_codes(out) == ["B", "C"]
    assert out["value"].tolist()[0] == 0.0 and out["value"].tolist()[3] == 6.0
    assert out["value"].isna().tolist() == [False, True, True, False]
    assert out["flag"].tolist()[1:3] == ["c", "c"]


def test_threshold_is_a_parameter():
    f = frame([("A", 3), ("B", 7), ("C", 10)])
    out = suppress(f, catalogue=CATALOGUE, groups=None, threshold=9)
    assert hidden_codes(out) == ["A", "B"]


@pytest.mark.parametrize("bad", [-1, 2.5, "5", True])
def test_bad_threshold_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="threshold"):
        suppress(frame([("A", 3)]), catalogue=CATALOGUE, groups=None, threshold=bad)


def test_rate_from_a_small_numerator_is_withheld():
    # 3 children out of 918: the rate 32.7 per 10,000 and the population give back the 3.
    f = frame([("A", 32.7, 3, 918), ("B", 76.0, 7, 918), ("C", 0.0, 0, 918)], indicator="cla_rate")
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert hidden_codes(out) == ["A"]
    row = out.set_index("area_code").loc["A"]
    assert np.isnan(row["value"]) and np.isnan(row["numerator"])
    assert row["denominator"] == 918.0  # a population is not disclosive


def test_percentage_of_a_handful_is_withheld():
    # 100% of 4 young people NEET says something about each of the four.
    f = frame([("A", 100.0, 4, 4), ("B", 2.5, 20, 800)], indicator="neet_16_17")
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert hidden_codes(out) == ["A"]
    assert np.isnan(out.set_index("area_code").loc["A", "denominator"])


def test_rate_linked_to_suppressed_count_is_withheld():
    count = frame([("A", 4), ("B", 60)])
    rate = frame([("A", 40.0), ("B", 600.0)], indicator="cla_rate")  # no numerator given
    out = suppress(pd.concat([count, rate], ignore_index=True), catalogue=CATALOGUE, groups=None)
    hidden = out.loc[is_suppressed(out), ["indicator", "area_code"]].values.tolist()
    assert sorted(map(tuple, hidden)) == [("cla_count", "A"), ("cla_rate", "A")]


def test_source_suppressed_rows_stay_suppressed_and_are_protected():
    f = frame([("R1", 40), ("A", 20), ("B", 12), ("C", 8)])
    f.loc[1, ["value", "flag"]] = [np.nan, "c"]
    out = suppress(f, catalogue=CATALOGUE, groups=REGION)
    assert hidden_codes(out) == ["A", "C"]


# --- secondary suppression across areas -----------------------------------------------


def test_region_total_with_one_la_suppressed_hides_the_next_smallest():
    f = frame([("R1", 100), ("A", 3), ("B", 9), ("C", 40), ("D", 48)])
    # Without secondary suppression the table discloses A: 100 - 9 - 40 - 48 = 3.
    primary_only = suppress(f, catalogue=CATALOGUE, groups=None)
    assert recoverable_cells(primary_only, REGION) == [
        ("cla_count", "31 March 2024", "R1", ("A",), 3.0)
    ]
    out = suppress(f, catalogue=CATALOGUE, groups=REGION)
    assert hidden_codes(out) == ["A", "B"]
    assert recoverable_cells(out, REGION) == []
    assert out.set_index("area_code").loc["R1", "value"] == 100.0


def test_hidden_parts_must_not_sum_to_a_small_count():
    # A and B hidden leave 2 + 3 = 5 recoverable as a pair: hide C as well.
    f = frame([("R1", 75), ("A", 2), ("B", 3), ("C", 30), ("D", 40)])
    out = suppress(f, catalogue=CATALOGUE, groups=REGION)
    assert hidden_codes(out) == ["A", "B", "C"]
    assert recoverable_cells(out, REGION) == []


def test_zero_is_never_chosen_as_secondary_cell():
    f = frame([("R1", 53), ("A", 3), ("B", 0), ("C", 50)])
    out = suppress(f, catalogue=CATALOGUE, groups={"A": "R1", "B": "R1", "C": "R1"})
    assert hidden_codes(out) == ["A", "C"]
    assert out.set_index("area_code").loc["B", "value"] == 0.0


def test_no_part_left_to_hide_suppresses_the_total_and_protects_it_above():
    # Region R1 = A + B(0): hiding A alone is recoverable and B is zero, so R1 itself goes;
    # R1 and R2 make England, so R2 goes too.
    groups = {"A": "R1", "B": "R1", "R1": "E92000001", "R2": "E92000001"}
    f = frame([("E92000001", 400), ("R1", 4), ("R2", 396), ("A", 4), ("B", 0)])
    out = suppress(f, catalogue=CATALOGUE, groups=groups)
    assert hidden_codes(out) == ["A", "R1", "R2"]
    assert recoverable_cells(out, groups) == []


def test_secondary_count_suppression_carries_to_its_rate():
    count = frame([("R1", 100), ("A", 3), ("B", 9), ("C", 40), ("D", 48)])
    rate = frame(
        [("R1", 50.0), ("A", 30.0), ("B", 45.0), ("C", 60.0), ("D", 70.0)], indicator="cla_rate"
    )
    out = suppress(pd.concat([count, rate], ignore_index=True), catalogue=CATALOGUE, groups=REGION)
    rates = out[out["indicator"] == "cla_rate"]
    assert hidden_codes(rates) == ["A", "B"]


def test_groups_as_a_frame_and_bad_groups():
    f = frame([("R1", 100), ("A", 3), ("B", 9), ("C", 88)])
    edges = pd.DataFrame({"area_code": ["A", "B", "C"], "parent_code": ["R1"] * 3})
    assert hidden_codes(suppress(f, catalogue=CATALOGUE, groups=edges)) == ["A", "B"]
    with pytest.raises(ParameterError):
        suppress(f, catalogue=CATALOGUE, groups="regions")
    with pytest.raises(ParameterError):
        suppress(f, catalogue=CATALOGUE, groups=pd.DataFrame({"x": [1]}))


# --- time series, judgements --------------------------------------------------------


def test_published_change_cannot_give_back_a_suppressed_value():
    periods = ["2023-24 Q1", "2023-24 Q2", "2023-24 Q3"]
    f = pd.concat(
        [frame([("A", v)], indicator="referrals", period=p) for p, v in zip(periods, [12, 4, 15])],
        ignore_index=True,
    )
    f["period_start"] = pd.to_datetime(["2023-04-01", "2023-07-01", "2023-10-01"])
    f["change"] = [np.nan, -8.0, 11.0]  # Q2 = 12 - 8 and Q2 = 15 - 11
    f["status"] = ["good", "bad", "good"]
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert out["value"].isna().tolist() == [False, True, False]
    assert out["change"].isna().tolist() == [True, True, True]
    assert out["status"].isna().tolist() == [False, True, False]
    assert out["value"].iloc[2] == 15.0


def test_change_order_uses_period_labels_when_no_start_column():
    f = pd.concat(
        [
            frame([("A", v)], indicator="referrals", period=p)
            for p, v in [("2023-24 Q2", 3), ("2023-24 Q1", 20), ("2023-24 Q3", 30)]
        ],
        ignore_index=True,
    )
    f["change"] = [-17.0, np.nan, 27.0]
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert out["change"].isna().tolist() == [True, True, True]


def test_suppressed_rows_get_no_status_rank_or_narrative():
    f = frame([("A", 2), ("B", 30)])
    f["status"] = ["red", "green"]
    f["rank"] = [1, 2]
    f["narrative"] = ["A had 2 children looked after.", "B had 30."]
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    assert out["status"].isna().tolist() == [True, False]
    assert out["rank"].isna().tolist() == [True, False]
    assert out["narrative"].isna().tolist() == [True, False]


# --- contract ------------------------------------------------------------------------


def test_input_never_mutated():
    f = frame([("R1", 100), ("A", 3), ("B", 9), ("C", 88)])
    before = f.copy(deep=True)
    suppress(f, catalogue=CATALOGUE, groups=REGION)
    assert_frame_equal(f, before)


def test_empty_frame_and_unsuppressed_frame_unchanged():
    f = frame([("A", 30), ("B", 0)])
    assert_frame_equal(suppress(f, catalogue=CATALOGUE, groups=None), f)
    assert suppress(f.iloc[0:0], catalogue=CATALOGUE, groups=None).empty


def test_unknown_indicator_is_refused_not_guessed():
    f = frame([("A", 3)], indicator="mystery")
    with pytest.raises(UnknownIndicatorError, match="mystery"):
        suppress(f, catalogue=CATALOGUE, groups=None)


def test_missing_columns_refused():
    with pytest.raises(ParameterError, match="value"):
        suppress(
            pd.DataFrame({"indicator": ["a"], "area_code": ["A"], "period": ["2024"]}),
            catalogue=CATALOGUE,
            groups=None,
        )


def test_modes_and_banner():
    f = frame([("A", 3)])
    assert for_audience(f, public=False, catalogue=CATALOGUE)["value"].tolist() == [3.0]
    assert for_audience(f, public=True, catalogue=CATALOGUE, groups=None)["value"].isna().all()
    assert mode_banner(public=False) == INTERNAL_BANNER
    assert "not for publication" in mode_banner(public=False)
    assert mode_banner(public=True) is None


def test_is_suppressed_without_flag_column():
    assert is_suppressed(pd.DataFrame({"value": [1.0]})).tolist() == [False]


# --- property: no random table discloses --------------------------------------------


@st.composite
def region_tables(draw):
    n_regions = draw(st.integers(1, 3))
    rows, groups = [], {}
    england = 0
    for r in range(n_regions):
        region = f"R{r}"
        values = draw(st.lists(st.integers(0, 30), min_size=1, max_size=6))
        for i, v in enumerate(values):
            code = f"{region}L{i}"
            rows.append((code, v))
            groups[code] = region
        rows.append((region, sum(values)))
        groups[region] = "E92000001"
        england += sum(values)
    rows.append(("E92000001", england))
    return frame(rows), groups, draw(st.integers(0, 6))


@settings(max_examples=150, deadline=None)
@given(region_tables())
def test_property_no_suppressed_cell_recoverable_from_totals(case):
    f, groups, threshold = case
    out = suppress(f, catalogue=CATALOGUE, groups=groups, threshold=threshold)
    assert recoverable_cells(out, groups, threshold) == []
    original = f.set_index("area_code")["value"]
    hidden = out.set_index("area_code")["flag"].eq("c")
    small = (original > 0) & (original <= threshold)
    assert hidden[small].all()  # every primary cell is hidden
    assert not hidden[original == 0].any()  # zeros never are
    published = out.set_index("area_code")["value"][~hidden]
    assert_frame_equal(published.to_frame(), original[~hidden].to_frame())


# --- the real DfE file --------------------------------------------------------------


def ees_cla(year: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """Children looked after on 31 March from the real EES file, as a tidy count frame,
    with its own area hierarchy (LA -> region or Inner/Outer London -> London -> England)."""
    raw = pd.read_csv(
        config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv",
        dtype=str,
        encoding="utf-8-sig",
    )
    raw = raw[
        (raw["time_period"] == str(year))
        & raw["population_type"].str.startswith("Children looked after on 31 March")
    ]
    level = raw["geographic_level"]
    code = np.where(
        level == "Local authority",
        raw["new_la_code"],
        np.where(level == "Regional", raw["region_code"], raw["country_code"]),
    )
    count = pd.to_numeric(raw["children_count"], errors="coerce")
    out = pd.DataFrame(
        {
            "indicator": "cla_count",
            "area_code": code,
            "area_name": raw["la_name"].fillna(""),
            "period": f"31 March {year}",
            "value": count.astype(float),
            "numerator": np.nan,
            "denominator": np.nan,
            "flag": raw["children_count"]
            .where(count.isna())
            .astype(pd.StringDtype(na_value=np.nan)),
        }
    ).reset_index(drop=True)
    groups = {
        c: r
        for c, r, lvl in zip(raw["new_la_code"], raw["region_code"], level)
        if lvl == "Local authority"
    }
    for region in raw.loc[level == "Regional", "region_code"]:
        groups[region] = "E12000007" if region.startswith("E13") else "E92000001"
    return out, groups


def test_real_file_city_of_london_2025_is_protected_within_inner_london():
    # DfE withheld City of London's 2025 count (c) but publishes the Inner London total:
    # a public table of Inner London's LAs with its total must hide a second LA.
    f, groups = ees_cla(2025)
    catalogue = pd.DataFrame({"indicator": ["cla_count"], "unit": ["count"]})
    before = recoverable_cells(f.assign(flag=f["flag"]), groups)
    assert [r[3] for r in before] == [("E09000001",)]  # City of London, alone: disclosive
    out = suppress(f, catalogue=catalogue, groups=groups)
    assert recoverable_cells(out, groups) == []
    inner = out[out["area_code"].map(groups) == "E13000001"]
    assert sorted(inner.loc[is_suppressed(inner), "area_name"]) == [
        "City of London",
        "Kensington and Chelsea",
    ]  # K&C, 106, the next smallest
    # Every other figure is published exactly as released.
    shown = ~is_suppressed(out)
    assert_frame_equal(out.loc[shown, ["area_code", "value"]], f.loc[shown, ["area_code", "value"]])


def test_real_file_2024_city_of_london_seven_is_not_suppressed():
    f, groups = ees_cla(2024)
    catalogue = pd.DataFrame({"indicator": ["cla_count"], "unit": ["count"]})
    out = suppress(f, catalogue=catalogue, groups=groups)
    assert out.set_index("area_code").loc["E09000001", "value"] == 7.0
    assert not is_suppressed(out).any()


def test_errors_are_perf_errors():
    assert issubclass(UnknownIndicatorError, PerfError) and issubclass(ParameterError, PerfError)


def test_defaults_use_the_catalogue_and_area_lookup_on_the_loaded_file():
    # perf.load's frame, the real catalogue (cla_count is a count, cla_rate is derived from
    # it) and the real area hierarchy: the source's own c cells get their complements.
    import perf

    obs = perf.load(config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv")
    out = suppress(obs)
    hidden = out.loc[is_suppressed(out), ["indicator", "area_name", "period"]]
    assert sorted(map(tuple, hidden.values.tolist())) == [
        ("cla_cease_count", "Bath and North East Somerset", "2020-21"),
        ("cla_cease_count", "Isles of Scilly", "2020-21"),
        ("cla_cease_rate", "Bath and North East Somerset", "2020-21"),
        ("cla_cease_rate", "Isles of Scilly", "2020-21"),
        ("cla_count", "City of London", "31 March 2025"),
        ("cla_count", "Kensington and Chelsea", "31 March 2025"),
        ("cla_rate", "City of London", "31 March 2025"),
        ("cla_rate", "Kensington and Chelsea", "31 March 2025"),
    ]
    from perf.schema import Observations

    Observations.validate(out)  # still the tidy model


def test_compare_and_benchmark_columns_are_blanked():
    f = frame([("A", 2), ("B", 30)])
    f["gap_england"] = [-40.0, -12.0]  # England 42: the gap gives A's 2 back
    f["comparison_value"] = [9.0, 25.0]
    f["change_pp"] = [-7.0, 5.0]
    out = suppress(f, catalogue=CATALOGUE, groups=None)
    for column in ("gap_england", "comparison_value", "change_pp"):
        assert out[column].isna().tolist() == [True, False], column


def test_public_briefing_keeps_published_dfe_figures_so_ranks_match_the_department():
    # Regression: suppressing DfE's already-published rates (Kensington and Chelsea, as
    # secondary to City of London's [c]) made Dudley 100th of 150, where DfE says 101st of 151.
    import perf
    from perf.catalogue import catalogue
    from perf.disclosure import for_publication

    obs = perf.load_all()
    public = for_publication(obs, catalogue=catalogue())
    published = public[public["source"].str.startswith("cla_number_and_rate")]
    original = obs[obs["source"].str.startswith("cla_number_and_rate")]
    pd.testing.assert_frame_equal(published, original)
    dudley = perf.benchmark(public, "cla_rate", "31 March 2025").query("area_code == 'E08000027'")
    assert (int(dudley["rank"].iloc[0]), int(dudley["n_ranked"].iloc[0])) == (101, 151)


def test_public_briefing_still_suppresses_the_councils_own_small_counts():
    from perf.disclosure import for_publication

    cat = pd.DataFrame({"indicator": ["care_leavers_eet_count"], "unit": ["count"]})
    local = pd.DataFrame(
        {
            "indicator": ["care_leavers_eet_count"] * 2,
            "area_code": ["E08000027"] * 2,
            "period": ["2012-13 Q1", "2012-13 Q2"],
            "value": [3.0, 12.0],
            "numerator": [None, None],
            "denominator": [None, None],
            "flag": [None, None],
            "source": ["observations.csv (Dudley quarterly return)"] * 2,
        }
    )
    own = ["observations.csv (Dudley quarterly return)"]
    out = for_publication(local, own=own, catalogue=cat, groups=None)
    assert out["value"].isna().tolist() == [True, False]
    assert out["flag"].tolist()[0] == "c"


# --- what is counted: people are protected, homes, schools, complaints and staff are not ----


def test_suppression_knows_what_is_counted():
    cat = pd.DataFrame(
        {
            "indicator": [
                "homes_good",
                "complaints_20d",
                "care_leavers_eet",
                "homes",
                "staff",
                "children",
            ],
            "unit": ["%", "%", "%", "count", "count", "count"],
            "counts": ["settings", "events", "people", "settings", "staff", "people"],
        }
    )
    rows = pd.DataFrame(
        {
            "indicator": cat["indicator"],
            "area_code": "E08000035",
            "period": "2012-13 Q2",
            "value": [36.0, 56.0, 50.0, 4.0, 3.0, 4.0],
            "numerator": [4.0, 5.0, 3.0, None, None, None],
            "denominator": [11.0, 9.0, 6.0, None, None, None],
            "flag": None,
        }
    )
    out = suppress(rows, catalogue=cat, groups=None).set_index("indicator")
    # 4 of 11 children's homes, 5 of 9 complaints, 4 homes, 3 staff: no child is disclosed
    assert out.loc["homes_good", "value"] == 36.0 and pd.isna(out.loc["homes_good", "flag"])
    assert out.loc["complaints_20d", "value"] == 56.0
    assert out.loc["homes", "value"] == 4.0 and out.loc["staff", "value"] == 3.0
    # 3 of 6 care leavers and 4 children are
    assert is_suppressed(out.loc[["care_leavers_eet", "children"]].reset_index()).all()


def test_catalogue_without_counts_column_protects_as_if_people():
    rows = frame([("A", 36.0, 4.0, 11.0)], indicator="neet_16_17")
    assert hidden_codes(suppress(rows, catalogue=CATALOGUE, groups=None)) == ["A"]


def test_real_catalogue_declares_what_each_indicator_counts():
    from perf.catalogue import catalogue

    counts = catalogue().set_index("indicator")["counts"]
    assert counts["leeds_homes_good"] == "settings"
    assert counts["leeds_complaints_20d"] == "events"
    assert counts["dudley_care_leavers_eet"] == "people"
    assert counts["PriTotAbs"] == "people"  # a LAIT measure: the declared default


def test_leeds_homes_36_percent_of_11_homes_is_published():
    from perf.catalogue import catalogue
    from perf.disclosure import for_publication
    from perf.loaders import load

    local = load(config.LOCAL_DIR / "observations.csv")
    out = for_publication(local, own=local["source"].unique(), catalogue=catalogue())
    homes = out[(out["indicator"] == "leeds_homes_good") & (out["period"] == "2012-13 Q2")]
    assert homes["value"].tolist() == [36.0] and not is_suppressed(homes).any()


# --- free text: counts of 1 to 5 people --------------------------------------------------


#: Phrasings that count people (each small number must be withheld) ...
POSITIVE = [
    (
        "PI – 1180 3 out of the 6 care leavers who had their 19th birthday in Qtr 1 2012-13 were in "
        "employment, education or training",
        ["3", "6"],
    ),
    ("five children were placed out of area", ["five"]),
    ("2 young people started apprenticeships", ["2"]),
    ("One child was adopted", ["One"]),
    ("Three pupils were permanently excluded", ["Three"]),
    ("4 looked-after children moved school", ["4"]),
    ("5 of the 12 young people were NEET", ["5", "12"]),
    ("2 referrals to troubled families programme", ["2"]),
    ("care leavers: 3", ["3"]),
    ("1 family and 2 adults were supported", ["1", "2"]),
    ("two of the children", ["two"]),
]
#: ... and numbers that count no one (never redacted).
NEGATIVE = [
    "5 priorities for the year",
    "Q1 performance",
    "2012-13",
    "36% of homes",
    "4 children's homes were inspected",
    "Key Stage 4 percentage of pupils attaining 5 A* -C GCSE (including English and maths) 59",
    "23% of local authority young people achieved 5A*-C",
    "Year 6 pupils",
    "1 in 5 children",
    "the 2 critical age group 0-4 & 10-15",
    "Four additional social workers have been appointed",
    "13 test purchases for alcohol were carried out, with 3 sales for alcohol",
    "One license review was requested",
    "aged 0-11",
    "30 children ceased to be looked after",
    "1.5 children per household",
    "PI - 1176 a 10 day timescale",
    "(1 outstanding + 3 good of 11 homes; 7 adequate)",
    "Counts of 1 to 5 children and young people are shown as [c]",
    "between 1 and 5 young people",
]


@pytest.mark.parametrize("text, numbers", POSITIVE)
def test_counts_of_people_in_free_text_are_found(text, numbers):
    from perf.disclosure import redact_text, small_counts_in_text

    assert [text[a:b] for a, b in small_counts_in_text(text)] == numbers
    redacted = redact_text(text)
    assert redacted.count("[c]") == len(numbers)


@pytest.mark.parametrize("text", NEGATIVE)
def test_numbers_that_count_no_one_are_left_alone(text):
    from perf.disclosure import redact_text, small_counts_in_text

    assert small_counts_in_text(text) == [] and redact_text(text) == text


def test_free_text_redacts_or_stops_naming_the_field():
    from perf.disclosure import DisclosureError, protect_text

    notes = pd.DataFrame(
        {
            "indicator": ["dudley_care_leavers_eet"],
            "period": ["2012-13 Q1"],
            "text": ["3 out of the 6 care leavers were in work"],
        }
    )
    out = protect_text(notes, ["text"], field="commentary")
    assert out["text"].tolist() == ["[c] out of the [c] care leavers were in work"]
    assert notes["text"].tolist() == ["3 out of the 6 care leavers were in work"]  # a copy
    with pytest.raises(DisclosureError) as err:
        protect_text(notes, ["text"], field="commentary", mode="stop", key=["indicator", "period"])
    assert "commentary (indicator dudley_care_leavers_eet, period 2012-13 Q1)" in str(err.value)
    assert err.value.column == "text"
    with pytest.raises(ParameterError):
        protect_text(notes, ["text"], field="commentary", mode="warn")


# --- issue 27 item 2: counts in words and odd forms ----------------------------------------
#: Each phrasing names a count of 1 to 5 people: (text, the pieces withheld). The first ten
#: were printed by public briefings on main (HTML, PDF and Word).
MUST_REDACT = [
    ("Two new entrants to care", ["Two"]),
    ("three of whom were placed with parents", ["three"]),
    ("3 YP entered care and 2 CYP left", ["3", "2"]),
    ("4 looked after at home", ["4"]),
    ("children - 3", ["3"]),
    ("5 (five) children", ["5", "five"]),
    ("3.0 children", ["3.0"]),
    ("3 NEET", ["3"]),
    ("2 adopted", ["2"]),
    ("a single child", ["a single"]),
    ("a couple of families moved away", ["a couple"]),
    ("One single child was missing", ["One single"]),
    ("three (3) young people", ["three", "3"]),
    ("2.00 care leavers", ["2.00"]),
    ("4 LAC moved placement", ["4"]),
    ("5 CLA", ["5"]),
    ("1 CIN case closed", ["1"]),
    ("2 UASC arrived", ["2"]),
    ("3 care-leavers", ["3"]),
    ("four looked-after", ["four"]),
    ("five in care on 31 March", ["five"]),
    ("2 fostered by relatives", ["2"]),
    ("three excluded", ["three"]),
    ("Boys: 2", ["2"]),
    ("girls - 4", ["4"]),
    ("young people – 5", ["5"]),
    ("pupils = 1", ["1"]),
    ("NEET: 3", ["3"]),
    ("two new adopters approved", ["two"]),
    ("1 newborn", ["1"]),
    ("four of the twelve families", ["four", "twelve"]),
    ("3 out of 40 pupils", ["3", "40"]),
    ("one of the children", ["one"]),
    ("Four siblings were placed together", ["Four"]),
    ("2 unaccompanied asylum seeking children", ["2"]),
    ("one young person", ["one"]),
    ("5 mothers", ["5"]),
    ("three teenagers", ["three"]),
    ("1 entrant", ["1"]),
    ("2 YP", ["2"]),
    ("Two CYP", ["Two"]),
    ("4 (four) care leavers", ["4", "four"]),
    ("a single family", ["a single"]),
]
#: ... and phrasings whose numbers count no one, or no small number of people (never redacted).
MUST_NOT_REDACT = [
    "children aged 3 and 4",
    "3-year-olds in funded early education",
    "3 year olds",
    "children with at least one fixed term exclusion",
    "at most one placement move",
    "in 2024 children were seen faster",
    "on 3 March 2025 the service",
    "3% of children",
    "5 per cent of young people",
    "one of the best councils in the region",
    "one of the key priorities",
    "Key Stage 2 pupils",
    "Year 6 pupils",
    "ranked 3 of 152 authorities",
    "3rd of 11 neighbours",
    "rank 2 children's services",
    "per 10,000 children",
    "£5 per child",
    "5 pounds for each child",
    "Quarter 3",
    "Qtr 2 children",
    "Objective 2 children and young people",
    "PI 1176 children seen",
    "PI - 1176 a 10 day timescale",
    "the 2 critical age group 0-4 & 10-15",
    "1.5 children per household",
    "2.5 children",
    "a few children",
    "several families",
    "a handful of young people",
    "a single point of contact for families",
    "a couple of weeks",
    "4 children's homes",
    "5 priorities for the year",
    "children - 5 years and under",
    "children: 3 and 4-year olds",
    "Four additional social workers",
    "30 children ceased to be looked after",
    "between 1 and 5 young people",
    "1 in 5 children",
    "Counts of 1 to 5 children are shown as [c]",
    "5 A* -C GCSE pupils",
    "3 nights in a row",
    "2 improvements in care planning",
    "3 homes looked at by Ofsted",
    "children (aged 0-4)",
    "pupils (Year 6)",
    "2012-13 Q1 children",
    "3.5% of care leavers",
]


def test_corpus_is_large_enough_both_ways():
    assert len(MUST_REDACT) >= 40 and len(MUST_NOT_REDACT) >= 40


@pytest.mark.parametrize("text, withheld", MUST_REDACT)
def test_counts_in_words_and_odd_forms_are_withheld(text, withheld):
    from perf.disclosure import redact_text, small_counts_in_text

    assert [text[a:b] for a, b in small_counts_in_text(text)] == withheld
    assert redact_text(text).count("[c]") == len(withheld)


@pytest.mark.parametrize("text", MUST_NOT_REDACT)
def test_known_false_alarms_stay_unredacted(text):
    from perf.disclosure import redact_text, small_counts_in_text

    assert small_counts_in_text(text) == [] and redact_text(text) == text


def test_redaction_reads_as_a_sentence():
    from perf.disclosure import redact_text

    assert redact_text("a single child and 5 (five) children") == (
        "[c] child and [c] ([c]) children"
    )


# --- issue 27 item 3: a complement or an interval gives back a small count -------------------

PCT_CATALOGUE = pd.DataFrame(
    {
        "indicator": ["eet", "homes", "rate"],
        "unit": ["%", "%", "rate per 10,000"],
        "counts": ["people", "settings", "people"],
    }
)


@pytest.mark.parametrize(
    "value, numerator, denominator, hidden",
    [
        (95.0, 57, 60, True),  # 3 of 60 not in work: the interval 86% to 98% gives it back
        (95.0, np.nan, 60, True),  # the value and the denominator imply 57 of 60
        (91.7, np.nan, 60, True),  # 55 of 60: 5 are not
        (90.0, 54, 60, False),  # 6 are not
        (100.0, 60, 60, False),  # none is not: 0 is never withheld
        (6.7, np.nan, 60, True),  # implies 4 of 60
        (50.0, 30, 60, False),
        (99.6, np.nan, 1000, True),  # 996 of 1,000: 4 are not
    ],
)
def test_a_percentage_whose_complement_is_small_is_withheld(value, numerator, denominator, hidden):
    f = frame([("A", value, numerator, denominator)], indicator="eet")
    out = suppress(f, catalogue=PCT_CATALOGUE, groups=None)
    assert is_suppressed(out).tolist() == [hidden]
    if hidden:
        row = out.iloc[0]
        assert np.isnan(row["value"]) and np.isnan(row["numerator"])


def test_a_complement_of_settings_and_of_a_population_is_not_withheld():
    homes = frame([("A", 90.9, 10, 11)], indicator="homes")  # 1 home of 11 not good
    # 9,996 per 10,000: population minus the count is an estimate, not a group of people
    rate = frame([("A", 9_996.0, 9_996, 10_000)], indicator="rate")
    out = suppress(pd.concat([homes, rate]), catalogue=PCT_CATALOGUE, groups=None)
    assert not is_suppressed(out).any()


def test_a_rate_implying_a_small_count_is_withheld():
    # 5.0 per 10,000 of 8,000 children is 4 children, with or without the numerator printed
    f = frame([("A", 5.0, np.nan, 8_000), ("B", 50.0, np.nan, 8_000)], indicator="rate")
    out = suppress(f, catalogue=PCT_CATALOGUE, groups=None)
    assert hidden_codes(out) == ["A"]


def test_a_withheld_figure_keeps_no_status_interval_or_verdict():
    from perf.disclosure import withhold

    f = frame([("A", 95.0, 57, 60), ("B", 50.0, 30, 60)], indicator="eet").assign(
        status=["green", "red"],
        ci_lower=[86.0, 37.7],
        ci_upper=[98.0, 62.3],
        significance=["higher_95", "not_different"],
        variation=["special_cause_improving", "common_cause"],
    )
    out = suppress(f, catalogue=PCT_CATALOGUE, groups=None)
    for column in ("status", "ci_lower", "ci_upper", "significance", "variation"):
        assert pd.isna(out[column].iloc[0]) and not pd.isna(out[column].iloc[1]), column
    again = withhold(out.assign(status=["green", "red"]))
    assert pd.isna(again["status"].iloc[0]) and again["status"].iloc[1] == "red"


def test_public_briefing_hides_care_leavers_95_percent_of_60_and_its_interval(tmp_path):
    """The issue's case end to end: a council return gives care leavers 57 of 60 (95%); the
    public matrix printed "95%" and "86% to 98%", and only 57 of 60 fits that interval."""
    import json
    import shutil
    import subprocess
    import sys

    from seeds import add_example_year  # tests/seeds.py (pytest puts tests/ on the path)

    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    add_example_year(data / "local")  # the illustrative year, a test fixture since issue 24
    example = data / "local" / "example_dudley_2024-25.csv"
    lines = example.read_text(encoding="utf-8").splitlines()
    hit = [i for i, line in enumerate(lines) if line.startswith("dudley_care_leavers_eet,")]
    hit = [i for i in hit if ",2024-25 Q4," in lines[i]]
    assert len(hit) == 1
    parts = lines[hit[0]].split(",")
    parts[3:6] = ["95.0", "57", "60"]
    lines[hit[0]] = ",".join(parts)
    example.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = (
        "import json\n"
        "from perf.report.context import prepare\n"
        "from perf.report.matrix import matrix_display, matrix_frame, matrix_record\n"
        "c = prepare('Dudley', '2024-25 Q4')\n"
        "frame = matrix_frame(c)\n"
        "shown = matrix_display(c, frame)\n"
        "row = shown[frame['indicator'].eq('dudley_care_leavers_eet').to_numpy()].iloc[0]\n"
        "record = matrix_record(c, shown, frame, 'x')\n"
        "print(json.dumps({'row': row.to_dict(), 'record': json.dumps(record, default=str)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            **__import__("os").environ,
            "PERF_DATA_DIR": str(data),
            "PERF_CACHE_DIR": str(tmp_path / "cache"),
        },
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    row = got["row"]
    assert "[c]" in row["Latest"] and "95" not in row["Latest"]
    for column in ("Status against target", "95% confidence interval"):
        assert row[column] == "Not shown: the figure is suppressed", column
    # the matrix CSV/XLSX: the row's cells as shown, then the numbers, all empty
    record = next(iter(json.loads(got["record"]).values()))
    columns = record["columns"]
    mine = [r for r in record["rows"] if "dudley_care_leavers_eet" in r]
    assert len(mine) == 1
    numbers = dict(zip(columns, mine[0]))
    for column in (
        "Latest (number)",
        "Confidence interval, lower (number)",
        "Confidence interval, upper (number)",
    ):
        assert numbers[column] is None, column
