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
