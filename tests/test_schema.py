"""perf.schema: the tidy model's pandera models, strict about columns, coercing text, unique
on their keys; on the small frames from conftest."""

from __future__ import annotations

import pandas as pd
import pandera.errors
import pytest
from pandas.testing import assert_frame_equal

from perf.periods import KINDS
from perf.schema import (
    AREA_LEVELS,
    FLAGS,
    KEY,
    OBSERVATION_COLUMNS,
    PERIOD_KINDS,
    Areas,
    Commentary,
    Indicators,
    KeyActivities,
    Observations,
    Targets,
    empty_observations,
)
from perf.tables import SYMBOL_MEANINGS

Invalid = (pandera.errors.SchemaError, pandera.errors.SchemaErrors)


def test_observation_columns_in_order():
    assert OBSERVATION_COLUMNS == [
        "indicator",
        "area_code",
        "area_name",
        "area_level",
        "period",
        "period_kind",
        "period_start",
        "period_end",
        "value",
        "numerator",
        "denominator",
        "flag",
        "source",
    ]
    assert KEY == ["indicator", "area_code", "period"]


def test_empty_observations_are_valid_and_typed():
    empty = empty_observations()
    assert empty.empty and list(empty.columns) == OBSERVATION_COLUMNS
    assert str(empty["value"].dtype) == "float64"
    assert str(empty["period_end"].dtype).startswith("datetime64")


def test_the_small_observations_are_valid_and_validation_does_not_change_them(
    observations_small, headline_small
):
    for frame in (observations_small, headline_small):
        assert_frame_equal(Observations.validate(frame.copy()), frame)


def test_text_figures_are_coerced(observations_small):
    frame = observations_small.assign(value=observations_small["value"].astype(str))
    assert Observations.validate(frame)["value"].dtype == "float64"


def test_an_extra_or_missing_column_is_refused(observations_small):
    with pytest.raises(Invalid, match="target"):
        Observations.validate(observations_small.assign(target=1.0))
    with pytest.raises(Invalid, match="flag"):
        Observations.validate(observations_small.drop(columns="flag"))


def test_columns_out_of_order_are_refused(observations_small):
    with pytest.raises(Invalid):
        Observations.validate(observations_small[OBSERVATION_COLUMNS[::-1]])


def test_one_row_per_indicator_area_and_period(observations_small):
    with pytest.raises(Invalid):
        Observations.validate(
            pd.concat([observations_small, observations_small.head(1)], ignore_index=True)
        )


def test_a_period_that_ends_before_it_starts_is_refused(observations_small):
    frame = observations_small.copy()
    frame.loc[0, "period_end"] = frame.loc[0, "period_start"] - pd.Timedelta(days=1)
    with pytest.raises(Invalid, match="period_end is before period_start"):
        Observations.validate(frame)


@pytest.mark.parametrize(
    ("column", "bad"),
    [("area_level", "ward"), ("period_kind", "fortnight"), ("indicator", ""), ("period", "")],
)
def test_values_outside_their_vocabulary_are_refused(observations_small, column, bad):
    frame = observations_small.copy()
    frame[column] = frame[column].astype(object)  # a categorical refuses a new value
    frame.loc[1, column] = bad
    with pytest.raises(Invalid):
        Observations.validate(frame)


def test_missing_values_and_flags_are_allowed(observations_small):
    frame = observations_small.copy()
    frame.loc[0, ["value", "flag"]] = [float("nan"), "c"]
    assert Observations.validate(frame)["flag"].iloc[0] == "c"


def test_vocabularies_are_the_ones_the_rest_of_perf_uses():
    assert PERIOD_KINDS == list(KINDS)
    assert AREA_LEVELS == ["england", "region", "la"]
    assert set(SYMBOL_MEANINGS) <= set(FLAGS)  # every flag a table explains is a valid flag


def test_the_small_catalogue_is_valid(catalogue_small):
    assert catalogue_small["decimals"].dtype == "int64"
    assert set(catalogue_small["polarity"]) <= {"high", "low", "neither"}


@pytest.mark.parametrize(
    ("column", "bad"),
    [
        ("unit", "furlongs"),
        ("polarity", "up"),
        ("decimals", 5),
        ("decimals", -1),
        ("tolerance", -0.5),
        ("tolerance_type", "percent"),
        ("frequency", "hourly"),
    ],
)
def test_a_catalogue_value_outside_its_range_is_refused(catalogue_small, column, bad):
    frame = catalogue_small.copy()
    frame.loc[0, column] = bad
    with pytest.raises(Invalid):
        Indicators.validate(frame)


def test_an_indicator_id_appears_once_in_the_catalogue(catalogue_small):
    with pytest.raises(Invalid):
        Indicators.validate(
            pd.concat([catalogue_small, catalogue_small.head(1)], ignore_index=True)
        )


def test_the_small_area_table_is_valid_with_numbers_and_neighbours(areas_small):
    assert str(areas_small["la_number"].dtype) == "Int64"
    assert areas_small.set_index("area_name").loc["Dudley", "neighbours"] == "E08000028;E08000030"
    assert areas_small["region_code"].isna().sum() == 2  # England and the region


def test_an_area_code_appears_once(areas_small):
    with pytest.raises(Invalid):
        Areas.validate(pd.concat([areas_small, areas_small.tail(1)], ignore_index=True))


def test_numbers_as_text_become_nullable_integers(areas_small):
    frame = areas_small.assign(la_number=["970", "984", "332", "333", None])
    assert Areas.validate(frame)["la_number"].tolist()[-1] is pd.NA


def test_local_tables(catalogue_small):
    targets = pd.DataFrame(
        {
            "indicator": ["a", "a"],
            "area_code": ["X", "X"],
            "period": ["2012-13 Q1", "2012-13 Q1"],
            "target": ["1", "2"],
        }
    )
    with pytest.raises(Invalid):
        Targets.validate(targets)  # two targets for one figure
    assert Targets.validate(targets.head(1))["target"].tolist() == [1.0]
    activity = {
        "ref": "YP1",
        "area_code": "X",
        "period": "2012-13 Q1",
        "priority": "P",
        "objective": None,
        "activity": "A",
        "status": "good",
        "progress": None,
        "lead_officer": None,
    }
    assert len(KeyActivities.validate(pd.DataFrame([activity]))) == 1
    with pytest.raises(Invalid):
        KeyActivities.validate(pd.DataFrame([activity | {"status": "ahead"}]))
    with pytest.raises(Invalid):
        Commentary.validate(
            pd.DataFrame(
                [
                    {
                        "indicator": "a",
                        "area_code": "X",
                        "period": "2012-13 Q1",
                        "text": "t",
                        "by": "me",
                    }
                ]
            )
        )


def test_the_column_lists_are_the_models():
    assert OBSERVATION_COLUMNS == list(Observations.to_schema().columns)
    from perf.schema import CARD_COLUMNS

    # the card's columns close the model, before the optional short title (a council's own
    # catalogue has none)
    columns = list(Indicators.to_schema().columns)
    assert columns[-1] == "short_title"
    assert CARD_COLUMNS == columns[-len(CARD_COLUMNS) - 1 : -1]


def test_a_briefing_that_reads_the_cache_never_imports_pandera():
    # pandera (a third of a second and 13 MB a kernel) loads only to validate a frame
    import subprocess
    import sys

    from perf import config

    code = (
        "import sys\nfrom perf.report import briefing\n"
        "b = briefing.Briefing('Dudley', '2024-25')\n"
        "for n in ('matrix', 'trends', 'attendance', 'benchmarking', 'funnels', 'spc'):\n"
        "    getattr(b, n)()\n"
        "print('pandera' in sys.modules)"
    )
    for _ in range(2):  # the first run may build the cache (and validate, with pandera)
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=config.NOTEBOOKS_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
    assert done.stdout.split()[-1] == "False", done.stderr[-2000:]


def test_an_unknown_name_is_still_an_attribute_error():
    import perf.schema

    with pytest.raises(AttributeError, match="no attribute 'Observation'"):
        perf.schema.Observation  # noqa: B018
    assert "Observations" in dir(perf.schema)


def test_rows_of_is_the_combined_mask_on_the_bundled_observations():
    from perf.loaders import load_all
    from perf.schema import rows_of

    obs = load_all()
    for indicator, period in [
        ("cla_rate", "31 March 2024"),
        ("neet_nk", "2023"),
        (str(obs["indicator"].iloc[-1]), str(obs["period"].iloc[-1])),
        ("no_such_indicator", "2024"),
        ("cla_rate", "no such period"),
    ]:
        expected = obs[(obs["indicator"] == indicator) & (obs["period"] == period)]
        pd.testing.assert_frame_equal(rows_of(obs, indicator, period), expected)
    pd.testing.assert_frame_equal(rows_of(obs, "cla_rate"), obs[obs["indicator"] == "cla_rate"])
    assert len(rows_of(obs, str(obs["indicator"].iloc[-1]), str(obs["period"].iloc[-1])))
