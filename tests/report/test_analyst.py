"""perf.report.analyst: perf.changes, perf.trend_chart, perf.benchmark_chart,
perf.indicators; every period kind aligned, on small frames and on the real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import perf
from perf.compare import with_period_dates
from perf.config import ENGLAND
from perf.errors import ParameterError, UnknownAreaError
from perf.periods import parse_period
from perf.report import analyst
from perf.report.data import observations

LEEDS = "E08000035"


# --- small frames: one indicator per period kind ------------------------------------

#: (indicator, unit, polarity, [(period, here, other council, England)]): this council
#: and two others; "local" has only this council's figures.
_SERIES = [
    (
        "stock",
        "rate per 10,000",
        "low",
        [("31 March 2024", 80, 60, 70), ("31 March 2025", 85, 61, 69)],
    ),
    ("starts", "count", "neither", [("2023-24", 100, 90, 3000), ("2024-25", 120, 95, 3100)]),
    ("absence", "%", "low", [("2023/24", 7.5, 6.0, 6.8), ("2024/25", 7.0, 6.1, 6.7)]),
    ("neet", "%", "low", [("2023", 4.0, 3.0, 3.2), ("2024", 4.4, 3.1, 3.3)]),
    (
        "quarterly",
        "%",
        "high",
        [("2023-24 Q4", 50, 40, 45), ("2024-25 Q3", 52, 41, 46), ("2024-25 Q4", 55, 42, 47)],
    ),
    ("local", "count", "low", [("2011-12 Q2", 1487, None, None), ("2012-13 Q2", 1466, None, None)]),
]


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = []
    for ind, _, _, points in _SERIES:
        for period, here, other, england in points:
            for code, name, level, value in (
                ("L1", "Here", "la", here),
                ("L2", "There", "la", other),
                ("L3", "Elsewhere", "la", other),
                (ENGLAND, "England", "england", england),
            ):
                if value is not None:
                    rows.append(
                        {
                            "indicator": ind,
                            "area_code": code,
                            "area_name": name,
                            "area_level": level,
                            "period": period,
                            "value": float(value) + (1 if code == "L3" else 0),
                            "flag": None,
                            "source": "fixture",
                        }
                    )
    obs = with_period_dates(pd.DataFrame(rows))
    catalogue = pd.DataFrame(
        [(i, i.title(), u, p, 1 if u == "%" else 0) for i, u, p, _ in _SERIES],
        columns=["indicator", "title", "unit", "polarity", "decimals"],
    )
    areas = pd.DataFrame(
        {
            "area_code": ["L1", "L2", "L3"],
            "area_name": ["Here", "There", "Elsewhere"],
            "region_code": None,
            "neighbours": ["L2;L3", "L1", "L1"],
        }
    )
    return obs, catalogue, areas


def test_changes_frame_aligns_every_kind_and_gives_the_change_in_the_units_it_needs():
    obs, catalogue, areas = _frames()
    before = obs.copy()
    out = analyst.changes_frame(obs, catalogue, areas, "L1", "2024-25").set_index("indicator")
    assert_frame_equal(obs, before)
    assert list(out.reset_index().columns) == analyst.CHANGE_COLUMNS
    assert out["period"].to_dict() == {
        "absence": "2024/25",
        "local": "2012-13 Q2",
        "neet": "2024",
        "quarterly": "2024-25 Q4",
        "starts": "2024-25",
        "stock": "31 March 2025",
    }
    assert out["previous_period"].to_dict() == {
        "absence": "2023/24",
        "local": "2011-12 Q2",
        "neet": "2023",
        "quarterly": "2023-24 Q4",
        "starts": "2023-24",
        "stock": "31 March 2024",
    }
    # percentages change by percentage points, everything else by its unit and per cent
    assert out.loc["absence", "change_unit"] == "percentage points"
    assert out.loc["absence", "change_text"] == "-0.5 percentage points"
    assert out.loc["stock", ["change", "change_unit", "change_text"]].tolist() == [
        5.0,
        "rate per 10,000",
        "+5 (+6%)",  # the one rounding rule: whole per cent from 2%
    ]
    assert out.loc["starts", "change_pct"] == pytest.approx(20.0)
    assert out["direction"].to_dict() == {
        "absence": "improving",
        "local": "improving",
        "neet": "worsening",
        "quarterly": "improving",
        "starts": "no polarity",
        "stock": "worsening",
    }


def test_changes_frame_compares_with_england_and_the_neighbours_and_ranks():
    obs, catalogue, areas = _frames()
    out = analyst.changes_frame(obs, catalogue, areas, "L1", "2024-25").set_index("indicator")
    # stock at 31 March 2025: here 85, neighbours 61 and 62, England 69; lower is better
    assert out.loc["stock", ["england", "neighbours"]].tolist() == [69.0, 61.5]
    assert (out.loc["stock", "rank"], out.loc["stock", "n_ranked"]) == (3, 3)
    assert out.loc["stock", "quartile"] == "D"
    assert pd.isna(out.loc["starts", "quartile"])  # no polarity: ranked, no quartile
    # only this council has the local indicator: no rank "1st of 1", no England
    local = out.loc["local"]
    assert pd.isna(local["rank"]) and pd.isna(local["quartile"]) and np.isnan(local["england"])


def test_changes_frame_refuses_an_area_without_figures():
    obs, catalogue, areas = _frames()
    with pytest.raises(ParameterError, match="no figures for area L9 up to 2024-25"):
        analyst.changes_frame(obs, catalogue, areas, "L9", "2024-25")


def test_trend_window_keeps_the_comparators_asked_for_and_the_area_s_periods():
    obs, _, _ = _frames()
    window = analyst.trend_window(
        obs, "stock", "L1", neighbours=["L2", "L3"], comparators=("England",), end="2024-25"
    )
    assert set(window["area_code"]) == {"L1", ENGLAND}
    window = analyst.trend_window(
        obs, "stock", "L1", neighbours=["L2", "L3"], comparators=("neighbours",), start="2024-25"
    )
    assert set(window["area_code"]) == {"L1", "L2", "L3"}
    assert set(window["period"]) == {"31 March 2025"}
    with pytest.raises(ParameterError, match="unknown comparator 'county'") as caught:
        analyst.trend_window(obs, "stock", "L1", comparators=("county",))
    assert "England, region, neighbours" in caught.value.hint


# --- the real data ------------------------------------------------------------------


def test_changes_for_leeds_2024_25_has_every_indicator_with_figures_up_to_then():
    leeds = perf.changes("Leeds", "2024-25")
    obs = observations(True)
    end = pd.Timestamp(parse_period("2024-25").end)
    expected = set(obs.loc[(obs["area_code"] == LEEDS) & (obs["period_start"] <= end), "indicator"])
    assert set(leeds["indicator"]) == expected and len(leeds) == len(expected)
    assert len(leeds) >= 45  # 45 on main when perf.changes arrived (compare_periods gave 16)
    kinds = obs.drop_duplicates(["indicator", "period"]).set_index(["indicator", "period"])
    used = {kinds.loc[(i, p), "period_kind"] for i, p in zip(leeds["indicator"], leeds["period"])}
    assert {
        "snapshot",
        "financial_year",
        "academic_year",
        "calendar_year",
        "financial_quarter",
    } <= used
    lac = leeds.set_index("indicator").loc["cla_rate"]
    assert (lac["period"], lac["previous_period"]) == ("31 March 2025", "31 March 2024")
    assert lac["change"] == pytest.approx(lac["value"] - lac["previous_value"])
    assert (
        lac["england"]
        == obs.loc[
            (obs["indicator"] == "cla_rate")
            & (obs["period"] == "31 March 2025")
            & (obs["area_code"] == ENGLAND),
            "value",
        ].iloc[0]
    )
    assert 1 <= lac["rank"] <= lac["n_ranked"] and lac["quartile"] in {"A", "B", "C", "D"}


def test_changes_names_unknown_areas():
    with pytest.raises(UnknownAreaError):
        perf.changes("Atlantis", "2024-25")


def test_trend_chart_draws_only_the_comparators_asked_for():
    chart = perf.trend_chart("Dudley", "cla_rate", comparators=("England",))
    gids = {line.get_gid() for ax in chart.figure.axes for line in ax.get_lines()}
    assert {"area", "england"} <= gids and not gids & {"region", "neighbours"}
    full = perf.trend_chart("Dudley", "cla_rate")
    gids = {line.get_gid() for ax in full.figure.axes for line in ax.get_lines()}
    assert {"area", "england", "region", "neighbours"} <= gids
    html = full._repr_html_()
    assert 'src="data:image/png;base64,' in html and f'alt="{full.alt_text}"' in html


def test_trend_chart_suggests_an_indicator_for_a_typo():
    with pytest.raises(ParameterError, match="no figures for indicator 'cla_rat'") as caught:
        perf.trend_chart("Dudley", "cla_rat")
    assert "cla_rate" in caught.value.hint


def test_a_trend_view_s_code_draws_the_same_chart():
    view = analyst.trend_view(
        "Leeds", "PriTotAbs", ("England", "neighbours"), start="2016/17", end="2023/24"
    )
    code = view.code()
    assert code == (
        'perf.trend_chart("Leeds", "PriTotAbs", comparators=("England", '
        '"neighbours"), start="2016/17", end="2023/24")'
    )
    again = eval(code, {"perf": perf})
    assert again.alt_text == view.chart.alt_text
    assert "Change since 2022/23" in view.sentence


def test_benchmark_chart_takes_the_indicator_s_own_period():
    chart = perf.benchmark_chart("Leeds", "cla_rate", "2024-25")
    row = perf.changes("Leeds", "2024-25").set_index("indicator").loc["cla_rate"]
    assert chart.title.startswith(f"Leeds ranked {row['rank']}")
    assert "31 March 2025" in chart.title and f"(quartile {row['quartile']})" in chart.title


def test_indicators_and_areas_list_what_can_be_asked_for():
    everything = perf.indicators()
    assert everything["indicator"].is_unique and "cla_rate" in set(everything["indicator"])
    leeds = perf.indicators("Leeds")
    assert set(perf.changes("Leeds", "2024-25")["indicator"]) <= set(leeds["indicator"])
    assert leeds.set_index("indicator").loc["PriTotAbs", "period_kind"] == "academic_year"
    las = perf.areas("la")
    assert "Leeds" in set(las["area_name"]) and set(las["area_level"]) == {"la"}
