"""perf.catalogue."""

import pytest

from perf import config
from perf.catalogue import catalogue, indicator
from perf.errors import UnknownIndicatorError
from perf.loaders import load_all
from perf.schema import Indicators


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
    for ind in ["dudley_lac_rate", "dudley_care_leavers_eet", "dudley_cp_plan_rate",
                "dudley_adoption_match_days", "dudley_initial_assessments_10d"]:
        row = indicator(ind)
        assert row["tolerance"] > 0
        assert "declared by perf" in row["definition"]
    assert indicator("dudley_adoption_match_days")["tolerance_type"] == "relative"


def test_unknown_indicator():
    with pytest.raises(UnknownIndicatorError, match="Did you mean: LAC"):
        indicator("LACC")
