"""Monthly figures in the wide layout (perf.loaders.monthly)."""

from __future__ import annotations

import pandas as pd
import pytest

from perf import config, loaders
from perf.catalogue import indicator_info, local_catalogue
from perf.errors import BadValueError, UnknownIndicatorError
from perf.loaders.monthly import is_month_header, month_period, read_monthly
from perf.spc import xmr

#: The illustrative Dudley 2024-25 year, a test fixture since issue 24 (not data/local).
EXAMPLE = config.TESTS_DIR / "fixtures" / "example_2024-25" / "local"


def test_month_headers_in_the_shapes_councils_use():
    assert [month_period(h) for h in ("Apr 2024", "April 2024", "Apr-24", "2024-04")] == [
        "01/04/2024 to 30/04/2024"
    ] * 4
    assert month_period("Feb 2024") == "01/02/2024 to 29/02/2024"
    assert not is_month_header("2024-25") and not is_month_header("Q1 2024")


def test_a_wide_file_becomes_one_row_per_reported_month(tmp_path):
    path = tmp_path / "months.csv"
    path.write_text(
        "indicator,area_code,Apr 2024,May 2024,Jun 2024,flag\n"
        "dudley_lac_rate,E08000027,82.1,,x,ex\n",
        encoding="utf-8",
    )
    assert loaders.detect_format(path) == "monthly"
    obs = read_monthly(path)
    assert obs["period"].tolist() == ["01/04/2024 to 30/04/2024", "01/06/2024 to 30/06/2024"]
    assert obs["value"].tolist()[0] == 82.1 and obs["flag"].tolist() == ["ex", "ex"]
    assert (obs["period_kind"] == "date_range").all()


def test_a_bad_cell_names_its_row_and_month(tmp_path):
    path = tmp_path / "months.csv"
    path.write_text(
        "indicator,area_code,Apr 2024,May 2024\ndudley_lac_rate,E08000027,82.1,about 80\n",
        encoding="utf-8",
    )
    with pytest.raises(BadValueError) as caught:
        read_monthly(path)
    assert caught.value.row == 2 and caught.value.column == "May 2024"
    path.write_text("indicator,area_code,Apr 2024\nnope,E08000027,1\n", encoding="utf-8")
    with pytest.raises(UnknownIndicatorError):
        read_monthly(path)


def test_the_shipped_example_series():
    obs = read_monthly(EXAMPLE / "example_dudley_monthly.csv")
    assert len(obs) == 48 and (obs["flag"] == "ex").all()


def test_the_shipped_example_series_vary_as_real_months_do():
    # The briefing's monthly control charts are drawn from this file: an illustrative series
    # that moves steadily one way with almost no month-to-month noise puts every point
    # beyond the limits or in a run (24 of 24 special cause), which no real month-by-month
    # series of a council this size shows. Each series must change direction often and
    # leave most of its points common cause.
    obs = read_monthly(EXAMPLE / "example_dudley_monthly.csv")
    catalogue = local_catalogue()
    for indicator, rows in obs.sort_values("period_end").groupby("indicator"):
        values = rows["value"].to_numpy()
        steps = pd.Series(values).diff().dropna()
        turns = int((steps.shift().mul(steps) < 0).sum())
        assert turns >= len(values) // 3, (indicator, turns)
        chart = xmr(values, polarity=indicator_info(indicator, catalogue).polarity)
        special = int(chart["special_cause"].sum())
        assert special <= len(values) // 2, (indicator, special)


def test_the_shipped_months_reproduce_the_example_quarters():
    # the same indicators as example_dudley_2024-25.csv: a month-end rate is the quarter's
    # figure at its last month; in-month percentages average to the year to date
    months = read_monthly(EXAMPLE / "example_dudley_monthly.csv")
    quarters = pd.read_csv(EXAMPLE / "example_dudley_2024-25.csv")
    lac = months[months["indicator"] == "dudley_lac_rate"].set_index("period_end")["value"]
    at = {
        "2023-24 Q4": "2024-03-31",
        "2024-25 Q1": "2024-06-30",
        "2024-25 Q2": "2024-09-30",
        "2024-25 Q3": "2024-12-31",
        "2024-25 Q4": "2025-03-31",
    }
    shown = quarters[quarters["indicator"] == "dudley_lac_rate"].set_index("period")["value"]
    assert {q: lac[pd.Timestamp(day)] for q, day in at.items()} == shown.to_dict()
    ia = months[months["indicator"] == "dudley_initial_assessments_10d"]
    ia = ia.set_index("period_end")["value"].sort_index()
    ytd = quarters[quarters["indicator"] == "dudley_initial_assessments_10d"]
    ytd = ytd.set_index("period")["value"].to_dict()
    assert round(ia[:"2024-03-31"].mean(), 1) == ytd["2023-24 Q4"]
    for n, q in enumerate(["2024-25 Q1", "2024-25 Q2", "2024-25 Q3", "2024-25 Q4"], start=1):
        assert round(ia["2024-04-01":].iloc[: 3 * n].mean(), 1) == ytd[q], q
