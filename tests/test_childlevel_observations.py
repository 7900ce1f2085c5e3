"""The returns' figures as tidy observations, through perf.load, perf tidy and load_all.

The first test is the issue's "done when": for each borough of the MIT sample, children
looked after at each 31 March and starts in each year, counted here independently with
plain pandas from the CSV files as a person would by hand."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from childlevel_files import SECRET, cin_child, cin_details, episode, minimal_return, write_cin

from perf import cli, config, loaders
from perf.childlevel.common import MARKER
from perf.loaders.combine import computed_yields

SAMPLE = config.TESTS_DIR / "fixtures" / "returns" / "ssda903_sample"
BOROUGHS = {"Bromley": "E09000006", "Hillingdon": "E09000017", "Southwark": "E09000028"}


def _by_hand() -> tuple[dict, dict]:
    """Children looked after on each 31 March and children starting in each year, counted
    from episodes.csv with plain pandas and a loop, following the issue's rules:

    * the five years' returns sit together: an episode (child and start date) that more
      than one year's return holds is counted once, as the latest return records it;
    * in this sample YEAR Y is the return for the year from 1 April Y to 31 March Y+1
      (every one of its episodes falls in that year; many do not fall in the year ending
      in Y);
    * a return holds every child looked after during its year, so an episode open at the
      end of one year's return and missing from the next year's has ended by then;
    * short breaks (legal status V3, V4) are left out; each child is counted once.

    The returns are synthetic and not consistent from year to year (27 of the children
    Bromley's 2018-19 return shows looked after on 31 March 2018 are missing from its
    2017-18 return), so counting each year's rows alone gives other numbers."""
    raw = pd.read_csv(SAMPLE / "episodes.csv", dtype=str, keep_default_na=False)
    raw["YEAR"] = raw["YEAR"].astype(int)
    last_return = raw.groupby("LA")["YEAR"].max().to_dict()
    latest: dict[tuple, dict] = {}
    for row in raw.sort_values("YEAR", kind="mergesort").to_dict("records"):
        latest[(row["LA"], row["CHILD"], row["DECOM"])] = row  # a later year overwrites
    looked_after: dict[tuple, set] = {}
    starts: dict[tuple, set] = {}
    for (la, child, decom), row in latest.items():
        if row["LS"] in ("V3", "V4"):
            continue
        end = row["DEC"]
        if not end and row["YEAR"] < last_return[la]:
            end = f"{row['YEAR'] + 1}-04-01"  # not in the next year's return
        for year in range(2017, 2022):
            day = f"{year + 1}-03-31"  # ISO dates compare as text
            key = (la, f"31 March {year + 1}")
            looked_after.setdefault(key, set())
            if decom <= day and (not end or end > day):
                looked_after[key].add(child)
            key = (la, f"{year}-{(year + 1) % 100:02d}")
            starts.setdefault(key, set())
            if row["RNE"] == "S" and f"{year}-04-01" <= decom <= day:
                starts[key].add(child)
    return (
        {k: len(v) for k, v in looked_after.items()},
        {k: len(v) for k, v in starts.items()},
    )


def _figures(obs: pd.DataFrame, indicator: str) -> dict:
    rows = obs[obs["indicator"] == indicator]
    names = {v: k for k, v in BOROUGHS.items()}
    return {(names[a], p): v for a, p, v in zip(rows["area_code"], rows["period"], rows["value"])}


def test_the_sample_gives_each_borough_s_looked_after_and_starts_as_counted_by_hand():
    looked_after, starts = _by_hand()
    obs = loaders.load(SAMPLE)
    computed = _figures(obs, "cla_count")
    assert {k: computed[k] for k in looked_after} == looked_after
    computed = _figures(obs, "cla_start_count")
    assert {k: computed[k] for k in starts} == starts
    assert len(looked_after) == len(starts) == 15  # 3 boroughs x 5 years
    assert sum(starts.values()) > 0 and sum(looked_after.values()) > 0


def test_perf_tidy_prints_the_computed_indicators(capsys):
    assert cli.main(["tidy", str(SAMPLE)]) == 0
    printed = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    march = printed[(printed["indicator"] == "cla_count") & (printed["period"] == "31 March 2022")]
    assert sorted(march["area_name"]) == sorted(BOROUGHS)
    assert printed["source"].str.contains("computed from the council's SSDA903 return").all()
    assert printed["flag"].isna().all()


def test_rates_carry_numerator_and_denominator():
    obs = loaders.load(SAMPLE)
    rate = obs[(obs["indicator"] == "cla_rate") & (obs["period"] == "31 March 2022")]
    count = obs[(obs["indicator"] == "cla_count") & (obs["period"] == "31 March 2022")]
    merged = rate.merge(count, on="area_code", suffixes=("", "_count"))
    assert (merged["numerator"] == merged["value_count"]).all()
    # DfE divides a year ending 31 March 2022 by the mid-2021 ONS estimate
    assert (merged["source"].astype(str).str.contains("ONS mid-2021 population")).all()
    assert (
        (merged["value"] - merged["numerator"] / merged["denominator"] * 1e4).abs() < 1e-9
    ).all()


def test_figures_only_for_the_periods_an_in_year_extract_covers(tmp_path):
    # history back to 2023, but the return is the 2025-26 extract to 30 September 2025
    folder = tmp_path / "case" / "dudley_ssda903_2025-26_to_2025-09-30"
    minimal_return(
        folder,
        [
            episode(f"{SECRET}1", "01/06/2023"),
            episode(f"{SECRET}2", "01/05/2025", dec="01/08/2025", rec="E13"),
        ],
        year=2026,
    )
    obs = loaders.load(folder)
    assert sorted(set(obs["period"])) == [
        "2025-26 Q1",
        "2025-26 Q2",
        "30 June 2025",
        "30 September 2025",
    ]
    looked_after = obs[obs["indicator"] == "cla_count"].set_index("period")["value"]
    assert looked_after.to_dict() == {"30 June 2025": 2.0, "30 September 2025": 1.0}
    assert set(obs["area_code"]) == {"E08000027"}


def test_a_synthetic_worked_example_is_flagged_and_says_so(tmp_path):
    folder = tmp_path / "case" / "dudley_ssda903"
    minimal_return(folder, [episode(f"{SECRET}1", "01/06/2023")])
    (folder / MARKER).write_text("made up\n")
    obs = loaders.load(folder)
    assert (obs["flag"] == "ex").all()
    assert (
        obs["source"]
        .astype(str)
        .str.contains("SYNTHETIC worked example: made-up children, not Dudley's data")
        .all()
    )


def test_a_census_is_loaded_through_the_registry(tmp_path):
    path = tmp_path / "case" / "dudley" / "cin_census_2025.xml"
    write_cin(path, [cin_child(f"{SECRET}1", cin_details("2024-05-01"))])
    assert loaders.detect_format(path) == "cin_census"
    obs = loaders.load(path)
    referrals = obs[obs["indicator"] == "CPP_Total_NumRef"].set_index("period")["value"]
    assert referrals["2024-25"] == 1.0 and referrals["2024-25 Q1"] == 1.0
    assert (
        obs["source"]
        .astype(str)
        .str.startswith("cin_census_2025.xml (computed from the council's CIN census")
        .all()
    )


def test_a_published_figure_stands_where_a_computed_one_has_its_key():
    given = pd.DataFrame(
        {
            "indicator": ["cla_count", "neet_16_17"],
            "area_code": ["E08000027"] * 2,
            "area_name": ["Dudley"] * 2,
            "period": ["31 March 2025", "2024-25"],
            "value": [575.0, 3.1],
            "flag": [None, None],
            "source": ["cla.csv (DfE)", "n.csv"],
        }
    )
    computed = pd.DataFrame(
        {
            "indicator": ["cla_count"] * 2,
            "area_code": ["E08000027"] * 2,
            "area_name": ["Dudley"] * 2,
            "period": ["31 March 2025", "30 June 2025"],
            "value": [581.0, 590.0],
            "flag": [None] * 2,
            "source": ["ssda903 (computed)"] * 2,
        }
    )
    kept, superseded = computed_yields(given, computed)
    assert kept["period"].tolist() == ["30 June 2025"]
    assert superseded[["period", "computed_value", "given_value"]].values.tolist() == [
        ["31 March 2025", 581.0, 575.0]
    ]


def test_load_all_keeps_the_published_figure_and_perf_check_reports_the_difference(
    tmp_path, capsys
):
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shutil.copy(config.CATALOGUE_FILE, data / "catalogue.csv")
    shutil.copy(
        config.RAW_DIR / "dfe" / "cla_number_and_rate_per_10k_children.csv", data / "cla.csv"
    )
    shutil.copytree(SAMPLE, data / "local" / "ssda903_sample")
    obs = loaders.load_all(data)
    key = (obs["indicator"] == "cla_count") & (obs["area_code"] == "E09000006")
    march_2022 = obs[key & (obs["period"] == "31 March 2022")]
    assert march_2022["source"].astype(str).str.startswith("cla.csv").all()  # published
    assert march_2022["value"].tolist() == [328.0]
    assert len(obs[key & (obs["period"] == "30 June 2021")]) == 1  # computed, no clash
    superseded = loaders.superseded_figures(data)
    row = superseded[
        (superseded["indicator"] == "cla_count")
        & (superseded["area_code"] == "E09000006")
        & (superseded["period"] == "31 March 2022")
    ]
    assert row[["computed_value", "given_value"]].values.tolist() == [[16.0, 328.0]]
    assert cli.main(["check", str(data)]) in (0, 1)
    out = capsys.readouterr().out
    assert (
        "WARNING ssda903_sample, column 'value': cla_count E09000006 31 March 2022: the return "
        "gives 16; the published figure, 328 (cla.csv), stands" in out
    )


@pytest.mark.parametrize("public", [True, False])
def test_small_computed_counts_are_suppressed_in_public_output(tmp_path, public):
    from perf.catalogue import catalogue
    from perf.disclosure import for_publication

    folder = tmp_path / "local" / "dudley_ssda903"
    minimal_return(folder, [episode(f"{SECRET}{i}", "01/06/2023") for i in range(3)])
    loaded = loaders.load_all_isolated(tmp_path)
    obs = loaded.frame
    shown = for_publication(obs, own=loaded.own, catalogue=catalogue()) if public else obs
    count = shown[(shown["indicator"] == "cla_count") & (shown["period"] == "31 March 2025")]
    if public:
        assert count["flag"].tolist() == ["c"] and count["value"].isna().all()
    else:
        assert count["value"].tolist() == [3.0]


@pytest.mark.parametrize("where", ["local/example/dudley_ssda903", "returns/dudley_ssda903"])
def test_a_return_anywhere_in_the_data_folder_is_the_council_s_own(tmp_path, where):
    # the format says so (own=True): a public edition suppresses its small counts wherever
    # the return sits, in a subfolder of local/ or outside it
    minimal_return(tmp_path / where, [episode(f"{SECRET}1", "01/06/2023")])
    loaded = loaders.load_all_isolated(tmp_path)
    assert loaded.failures == ()
    sources = set(loaded.frame["source"].astype(str))
    assert sources and all(s.startswith("dudley_ssda903 (") for s in sources)
    assert sources <= loaded.own


def test_the_census_rates_are_per_10000_children_as_worked_by_hand(tmp_path):
    # four children referred in 2024-25, counted by hand:
    #   1: referred May, a section 47 enquiry, on a plan from June, still open at 31 March
    #   2: referred July, closed in December (not in need at 31 March)
    #   3: referred September, a section 47 enquiry, still open at 31 March
    #   4: referred January, no further action (never a child in need)
    def s47(start: str) -> str:
        return (
            f"<Section47><S47ActualStartDate>{start}</S47ActualStartDate>"
            "<ICPCnotRequired>true</ICPCnotRequired></Section47>"
        )

    plan = (
        "<ChildProtectionPlans><CPPstartDate>2024-06-01</CPPstartDate>"
        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>"
    )
    path = tmp_path / "dudley" / "cin_census_2025.xml"
    write_cin(
        path,
        [
            cin_child(f"{SECRET}1", cin_details("2024-05-01", inner=s47("2024-05-02") + plan)),
            cin_child(f"{SECRET}2", cin_details("2024-07-01", closure="2024-12-01")),
            cin_child(f"{SECRET}3", cin_details("2024-09-01", inner=s47("2024-09-03"))),
            cin_child(f"{SECRET}4", cin_details("2025-01-10", closure="2025-01-10", nfa="true")),
        ],
    )
    # DfE divides 2024-25's figures by ONS's mid-2024 estimate of children aged 0 to 17
    ons = pd.read_csv(config.RAW_DIR / "dfe" / "ons_mid-year_population_estimates_2012_to_2024.csv")
    children = float(
        ons[
            (ons["new_la_code"] == "E08000027")
            & (ons["time_period"] == 2024)
            & (ons["age_group"] == "Children aged 0 to 17 years")
        ]["population_estimate"].item()
    )
    assert children == 71_124  # as the file says for Dudley in mid-2024
    obs = loaders.load(path)
    year = obs[obs["period"].isin(["2024-25", "31 March 2025"])].set_index("indicator")
    by_hand = {
        "CPP_Total_NumRef": 4,
        "s47_count": 2,
        "cin_count": 2,
        "CPP_Num": 1,
    }
    rates = {
        "CPP_Total_Rateper10,000": 4,
        "Section_47": 2,
        "CIN": 2,
        "CPP_rate": 1,
    }
    assert {k: year.loc[k, "value"] for k in by_hand} == by_hand
    for indicator, count in rates.items():
        assert year.loc[indicator, "value"] == pytest.approx(count / children * 10_000)
        assert (year.loc[indicator, "numerator"], year.loc[indicator, "denominator"]) == (
            count,
            children,
        )


@pytest.mark.parametrize("same", [False, True])
def test_two_censuses_for_one_council_and_year_are_both_named(tmp_path, same):
    data = tmp_path / "data"
    first = write_cin(
        data / "local" / "dudley" / "cin_census_2025.xml",
        [cin_child(f"{SECRET}1", cin_details("2024-05-01"))],
    )
    second = data / "local" / "archive" / "cin_census_2025_draft.xml"
    if same:
        second.parent.mkdir(parents=True)
        second.write_bytes(first.read_bytes())
    else:
        write_cin(second, [cin_child(f"{SECRET}2", cin_details("2024-06-01"))])
    # a census for another year sits beside them, read as usual
    write_cin(
        data / "local" / "dudley" / "cin_census_2024.xml",
        [cin_child(f"{SECRET}3", cin_details("2023-05-01"))],
        year=2024,
    )
    loaded = loaders.load_all_isolated(data)
    failures = {f.file: f for f in loaded.failures}
    assert sorted(failures) == ["cin_census_2025.xml", "cin_census_2025_draft.xml"]
    how = "are copies of one census" if same else "disagree"
    for failure in failures.values():
        assert failure.areas == frozenset({"E08000027"})
        assert (
            f"2 CIN censuses for Dudley in the 2024-25 collection year "
            f"(archive/cin_census_2025_draft.xml, dudley/cin_census_2025.xml) {how}: perf "
            "reads one census per council and year" in str(failure.error)
        )
        assert SECRET not in str(failure.error)
    assert set(loaded.frame["period"]) >= {"2023-24"}
    assert "2024-25" not in set(loaded.frame["period"])
