"""perf.catalogue."""

import csv
import io

import pytest

from perf import config
from perf.catalogue import catalogue, indicator, local_catalogue
from perf.errors import UnknownIndicatorError
from perf.loaders import load_all
from perf.schema import CARD_COLUMNS, Indicators


def test_catalogue_valid_and_covers_every_indicator_in_data():
    cat = Indicators.validate(catalogue())
    obs = load_all(config.DATA_DIR)
    assert set(obs["indicator"]) <= set(cat["indicator"])


def test_polarity_from_lait_dictionary_and_declared():
    assert indicator("LAC")["polarity"] == "neither"  # LAIT: '-'
    assert indicator("PriTotAbs")["polarity"] == "low"
    assert indicator("Continue_Assess_Comp")["polarity"] == "high"
    assert indicator("cla_rate")["polarity"] == "low"
    assert "lower rate as better" in indicator("cla_rate")["definition"]


def test_local_indicators_have_declared_tolerances():
    for ind in [
        "dudley_lac_rate",
        "dudley_care_leavers_eet",
        "dudley_cp_plan_rate",
        "dudley_adoption_match_days",
        "dudley_initial_assessments_10d",
    ]:
        row = indicator(ind)
        assert row["tolerance"] > 0
        assert "declared by perf" in row["definition"]
    assert indicator("dudley_adoption_match_days")["tolerance_type"] == "relative"


def test_unknown_indicator():
    with pytest.raises(UnknownIndicatorError, match="Did you mean: LAC"):
        indicator("LACC")


def test_every_shipped_indicator_has_its_card_filled():
    shipped = local_catalogue()
    assert list(shipped.columns[-len(CARD_COLUMNS) :]) == CARD_COLUMNS  # at the end of the file
    for column in CARD_COLUMNS:
        blank = shipped.loc[shipped[column].isna(), "indicator"].tolist()
        assert not blank, f"{column} blank for {blank}"
    assert set(shipped["measure"]) == {"national", "local"}
    assert indicator("cla_rate")["measure"] == "national"
    assert indicator("dudley_lac_rate")["measure"] == "local"
    assert "SSDA903" in indicator("cla_rate")["collection"]
    assert indicator("dudley_initial_assessments_10d")["comparator"].startswith("No:")


def test_lait_cards_have_honest_defaults():
    cat = catalogue()
    lait = cat[cat["source"].str.startswith("lait_data_dictionary.csv")]
    assert (lait["measure"] == "national").all() and lait["summary"].notna().all()
    assert not lait["summary"].str.startswith("This Statistical First Release").any()
    assert indicator("PriTotAbs")["summary"].startswith("The percentage of possible half-day")
    assert indicator("LAC")["summary"].startswith("Number of children looked after on 31 March")
    assert "Local Authority Interactive Tool" in indicator("LAC")["release"]
    assert indicator("LAC")["collection"].startswith("SSDA903")
    assert indicator("PriTotAbs")["target_set_by"].startswith("No target")


def test_a_council_catalogue_without_card_columns_still_loads(tmp_path):
    lines = (config.CATALOGUE_FILE.read_text(encoding="utf-8")).splitlines()
    header = lines[0].split(",")
    keep = header.index(CARD_COLUMNS[0])  # every column before the cards'
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    out = io.StringIO()
    csv.writer(out).writerows(r[:keep] for r in rows)
    path = tmp_path / "catalogue.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    frame = local_catalogue(path)
    assert frame["summary"].isna().all() and frame["comparator"].isna().all()
    assert len(Indicators.validate(frame)) == len(rows) - 1


# --- issue 24: the measures councils report now ------------------------------------------

#: The DfE ids issue 24 adds, and the LAIT measure each is published again as.
NEW_IDS = {
    "sw_agency_rate": "Work_Force_Agecy_Rate",
    "sw_vacancy_rate": "Work_Force_Vac_Rate",
    "sw_turnover_rate": "Work_Force_TO_Rate",
    "sw_caseload": "Work_Force_AvgNumCase_SW",
    "sw_absence_rate": "Work_Force_SWAbsence",
    "sw_agency_cover_rate": "Work_Force_AgencyCover",
    "sw_fte": "Work_Force_NoSW",
    "cla_placements_3plus": "LACStable_2016on",
    "cla_long_term_stability": "LAC_LongStable%",
    "care_leavers_eet_17_18": None,
    "care_leavers_eet_19_21": "CareLeaverEET",
    "care_leavers_suitable_17_18": None,
    "care_leavers_suitable_19_21": "CareLeaverAcc",
}
#: The LAIT measures of issue 24's list (its primary ids), with the period each covers.
CORE_LAIT = {
    "SEN_EHC_Excpt_20wks": "calendar year",
    "ReReferral": "year to 31 March",
    "Continue_Assess_Comp": "year to 31 March",
    "CPP_rate": "at 31 March",
    "PrevRegCPR": "year to 31 March",
    "CPPlans2yrsActive": "at 31 March",
    "CPPlans2yrs": "year to 31 March",
    "CP_conf_15days": "year to 31 March",
    "Section_47": "year to 31 March",
    "CIN": "at 31 March",
    "FirstYJS": "calendar year",
    "Children_missing": "year to 31 March",
    "TotFixedEx": "academic year",
    "Total_ Pup_FixedEx": "academic year",
    "TotPermEx": "academic year",
    "TotPerAbNew": "academic year",
}


def test_every_new_indicator_is_described_for_a_committee():
    cat = catalogue().set_index("indicator")
    for ind in [*NEW_IDS, *CORE_LAIT]:
        row = cat.loc[ind]
        for column in ("definition_plain", "period_type", "release", "collection", "comparator"):
            assert isinstance(row[column], str) and row[column], (ind, column)
        assert row["definition_plain"].endswith(".") and row["definition_plain"].count(". ") == 0
    assert cat.loc["sw_agency_rate", "period_type"] == "at 30 September"
    assert cat.loc["sw_turnover_rate", "period_type"] == "year to 30 September"
    assert cat.loc["cla_long_term_stability", "period_type"] == "at 31 March"
    assert cat.loc["sw_fte", "counts"] == "staff" and cat.loc["sw_fte", "polarity"] == "neither"
    assert cat.loc["care_leavers_eet_19_21", "polarity"] == "high"
    assert cat.loc["care_leavers_eet_19_21", "decimals"] == 0
    for lait_id, period_type in CORE_LAIT.items():
        assert cat.loc[lait_id, "period_type"] == period_type, lait_id


def test_lait_measures_published_twice_name_their_primary_id():
    cat = catalogue().set_index("indicator")
    for ours, lait_id in NEW_IDS.items():
        if lait_id:
            assert cat.loc[lait_id, "same_as"] == ours
    assert cat.loc["Work_Force_NoSW", "counts"] == "staff"
    assert cat.loc["Work_Force_TO_Rate", "period_type"] == "year to 30 September"


def test_catalogue_lait_declares_what_the_dictionary_gets_wrong():
    cat = catalogue().set_index("indicator")
    # LAIT's England figure for first-time entrants is ten times the published rate
    assert "ten times" in cat.loc["FirstYJS", "comparator"]
    assert cat.loc["FirstYJS", "decimals"] == 0
    assert cat.loc["SEN_EHC_Excpt_20wks", "collection"].startswith("SEN2")
    assert cat.loc["Work_Force_AvgNumCase_SW", "unit"] == "number"
    # a blank override keeps the dictionary's value
    assert cat.loc["LAC", "unit"] == "rate per 10,000"
    assert cat.loc["LAC", "collection"].startswith("SSDA903")
    # period_type by default from LAIT's Year_Type
    assert cat.loc["PriTotAbs", "period_type"] == "academic year"
    assert cat.loc["16-17 NEET", "period_type"] == "December to February average"


#: Core measures whose England figure in LAIT cannot be right (neither the councils' average
#: nor their total): first-time entrants to youth justice, 1,258 per 100,000 for 2024 where
#: the councils' run from 63 to 189.
ENGLAND_SET_ASIDE = {"FirstYJS"}


def test_every_core_measure_has_recent_figures_for_dudley_and_england():
    obs = load_all(config.DATA_DIR)
    # published figures: not the quarters computed from the worked example's synthetic returns
    published = obs[~obs["source"].astype(str).str.contains("SYNTHETIC worked example")]
    for ind in [*NEW_IDS, *CORE_LAIT]:
        rows = published[published["indicator"] == ind]
        latest = rows[rows["period_end"] == rows["period_end"].max()]
        assert latest["period_end"].iloc[0].year >= 2024, ind
        england = latest[latest["area_code"] == "E92000001"]
        dudley = latest[latest["area_code"] == "E08000027"]
        assert len(england) == 1, ind
        if ind in ENGLAND_SET_ASIDE:  # read as no figure, flag x (perf.loaders.lait)
            assert england["value"].isna().all() and (england["flag"] == "x").all(), ind
        else:
            assert england["value"].notna().all(), ind
        assert len(dudley) == 1, ind
        # Dudley's figure, or DfE's symbol where it is suppressed (never a dropped row)
        assert dudley["value"].notna().all() or dudley["flag"].notna().all(), ind


def test_an_older_catalogue_lait_without_the_override_columns_still_loads(tmp_path):
    from perf.catalogue import lait_notes

    lines = config.CATALOGUE_LAIT_FILE.read_text(encoding="utf-8").splitlines()
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    keep = rows[0].index("period_type")
    out = io.StringIO()
    csv.writer(out).writerows(r[:keep] for r in rows)
    path = tmp_path / "catalogue_lait.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    notes = lait_notes(path)
    assert notes["period_type"].isna().all() and notes["unit"].isna().all()


def test_each_look_up_by_position_answers_as_the_first_matching_row():
    import pandas as pd

    from perf.catalogue import (
        catalogue_cell,
        catalogue_position,
        cell_at,
        first_rows,
        indicator_info,
        indicator_info_at,
    )

    cat = pd.DataFrame(
        {
            "indicator": ["a", "b", "a", None],
            "title": ["Rate", "Count", "Second a", "No id"],
            "unit": ["%", "number", "%", "%"],
            "decimals": [2, 0, 3, 1],
            "polarity": ["high", "low", "low", "high"],
        }
    ).astype({"indicator": "str", "title": "str"})
    rows = first_rows(cat)
    assert rows["a"] == 0 and rows["b"] == 1  # a listed twice: its first row
    for ident in ("a", "b", "zz"):
        mask = (cat["indicator"] == ident).to_numpy(dtype=bool, na_value=False)
        expected = cat.loc[mask, "title"].iloc[0] if mask.any() else None
        assert catalogue_position(cat, ident) == rows.get(ident)
        assert cell_at(cat, rows.get(ident), "title") == expected
        assert catalogue_cell(cat, ident, "title") == expected
        assert indicator_info_at(ident, cat, rows.get(ident)) == indicator_info(ident, cat)
    assert indicator_info("a", cat).decimals == 2
    assert cell_at(cat, 0, "no_such_column") is None and cell_at(None, 0, "title") is None
    assert first_rows(cat.drop(columns="indicator")) == {}
    assert catalogue_position(cat.drop(columns="indicator"), "a") is None
