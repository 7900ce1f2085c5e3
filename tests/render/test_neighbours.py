"""The briefing's ``neighbours`` parameter (issue 16 §3): validated before any kernel
starts, one of the statistical-neighbour models perf.areas knows."""

from __future__ import annotations

import pytest

from perf.errors import ParameterError
from perf.render.registry import validate_parameters


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


def test_the_trends_notebooks_neighbours_switch_is_not_a_set():
    assert validate_parameters("trends", {"neighbours": False})["neighbours"] is False
