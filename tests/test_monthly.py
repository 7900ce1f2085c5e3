"""Monthly figures in the wide layout (perf.loaders.monthly)."""

from __future__ import annotations

import pytest

from perf import config, loaders
from perf.errors import BadValueError, UnknownIndicatorError
from perf.loaders.monthly import is_month_header, month_period, read_monthly


def test_month_headers_in_the_shapes_councils_use():
    assert [month_period(h) for h in ("Apr 2024", "April 2024", "Apr-24", "2024-04")] == \
        ["01/04/2024 to 30/04/2024"] * 4
    assert month_period("Feb 2024") == "01/02/2024 to 29/02/2024"
    assert not is_month_header("2024-25") and not is_month_header("Q1 2024")


def test_a_wide_file_becomes_one_row_per_reported_month(tmp_path):
    path = tmp_path / "months.csv"
    path.write_text("indicator,area_code,Apr 2024,May 2024,Jun 2024,flag\n"
                    "dudley_lac_rate,E08000027,82.1,,x,ex\n", encoding="utf-8")
    assert loaders.detect_format(path) == "monthly"
    obs = read_monthly(path)
    assert obs["period"].tolist() == ["01/04/2024 to 30/04/2024", "01/06/2024 to 30/06/2024"]
    assert obs["value"].tolist()[0] == 82.1 and obs["flag"].tolist() == ["ex", "ex"]
    assert (obs["period_kind"] == "date_range").all()


def test_a_bad_cell_names_its_row_and_month(tmp_path):
    path = tmp_path / "months.csv"
    path.write_text("indicator,area_code,Apr 2024,May 2024\n"
                    "dudley_lac_rate,E08000027,82.1,about 80\n", encoding="utf-8")
    with pytest.raises(BadValueError) as caught:
        read_monthly(path)
    assert caught.value.row == 2 and caught.value.column == "May 2024"
    path.write_text("indicator,area_code,Apr 2024\nnope,E08000027,1\n", encoding="utf-8")
    with pytest.raises(UnknownIndicatorError):
        read_monthly(path)


def test_the_shipped_example_series():
    obs = read_monthly(config.LOCAL_DIR / "example_dudley_monthly.csv")
    assert len(obs) == 48 and (obs["flag"] == "ex").all()
