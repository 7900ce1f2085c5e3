"""perf.areas: lookup, find_area, neighbours."""

import pytest

from perf.areas import areas, find_area, la_number_to_code, neighbours
from perf.errors import UnknownAreaError
from perf.schema import Areas


def test_areas_validates_and_has_england_regions_las():
    a = Areas.validate(areas())
    assert set(a["area_level"]) == {"england", "region", "la"}
    assert (a["area_level"] == "la").sum() >= 153


@pytest.mark.parametrize("query", ["Dudley", "DUDLEY", "E08000027", 332, "332"])
def test_find_area_by_name_code_number(query):
    assert find_area(query)["area_code"] == "E08000027"


def test_find_area_leeds_and_district():
    assert find_area("leeds")["area_code"] == "E08000035"
    assert find_area("Bolsover")["area_code"] == find_area("Derbyshire")["area_code"]


def test_unknown_area_suggests():
    with pytest.raises(UnknownAreaError, match="Did you mean: Leeds"):
        find_area("Leeds City")


def test_trafford_neighbours_published_order():
    # Trafford's ten statistical neighbours (2025 model) as DfE numbers -> names.
    names = [find_area(c)["area_name"] for c in neighbours(find_area("Trafford")["area_code"])]
    assert names == ["Hertfordshire", "Stockport", "Buckinghamshire", "Oxfordshire", "Surrey",
                     "Bromley", "Cheshire East", "Cambridgeshire", "Gloucestershire", "Solihull"]


def test_lait_numbers_map_including_former_authorities():
    got = la_number_to_code(__import__("pandas").Series([970, 987, 928, 837, 332]))
    assert got["area_code"].tolist() == ["E92000001", "E13000001", "E10000021", "E06000028",
                                         "E08000027"]
