"""The briefing's ``neighbours`` parameter (issue 16 §3): validated before any kernel
starts, one of the statistical-neighbour models perf.areas knows."""

from __future__ import annotations

import pytest

from perf.errors import ParameterError
from perf.render.registry import coerce_parameters, validate_parameters


def test_neighbours_parameter_is_2025_or_2021():
    assert validate_parameters("briefing", {})["neighbours"] == "2025"
    assert validate_parameters("briefing", {"neighbours": " 2021 "})["neighbours"] == "2021"
    for bad in ("2019", "", "latest"):
        with pytest.raises(ParameterError, match="unknown statistical-neighbour set"):
            validate_parameters("briefing", {"neighbours": bad})


def test_registry_knows_the_neighbour_models_perf_areas_has():
    from perf.areas import NEIGHBOUR_MODELS as in_areas
    from perf.render.registry import NEIGHBOUR_MODELS

    assert NEIGHBOUR_MODELS == tuple(in_areas)


def test_the_trends_notebooks_neighbours_is_the_same_model_or_none():
    # one name, one meaning in schedules and `perf render -p`: the model, "" for no line
    assert validate_parameters("trends", {})["neighbours"] == "2025"
    assert validate_parameters("trends", {"neighbours": " 2021 "})["neighbours"] == "2021"
    assert validate_parameters("trends", {"neighbours": ""})["neighbours"] == ""
    with pytest.raises(ParameterError, match="unknown statistical-neighbour set"):
        validate_parameters("trends", {"neighbours": "2019"})


@pytest.mark.parametrize(
    ("old", "instead"), [(True, '"2025"'), (False, '""'), ("true", '"2025"'), ("false", '""')]
)
def test_the_old_trends_switch_says_what_to_write_instead(old, instead):
    # a schedule (YAML true/false) or `-p neighbours=false` written for the old switch
    for check in (validate_parameters, coerce_parameters):
        with pytest.raises(ParameterError) as caught:
            check("trends", {"neighbours": old})
        assert "no longer on or off" in caught.value.message
        assert f"neighbours: {instead}" in caught.value.hint
    with pytest.raises(ParameterError, match="'briefing' is not on or off"):
        validate_parameters("briefing", {"neighbours": True})
