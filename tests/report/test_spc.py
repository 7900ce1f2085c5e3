"""perf.report.spc: control charts for the headline indicators with at least five points,
rendered alone from the small context."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from perf.periods import financial_quarter
from perf.report.spc import spc, spc_finding

TOO_FEW = (
    "<p>There are too few periods of figures for statistical process control "
    "charts (at least 5 needed).</p>"
)


@pytest.fixture(scope="module")
def section(make_context):
    return spc(make_context())


def test_every_verdict_with_five_points_is_in_the_table_and_no_chart_without_a_story(section):
    # children looked after has six quarters; the others four; its variation is common cause
    table = re.search(r'<table id="spc-summary">.*?</table>', section.html).group(0)
    rows = re.findall(r'<th scope="row">(.*?)</th>', table)
    assert rows == ["Children looked after per 10,000 children"]
    assert "Common cause: no sign of change" in table
    assert section.html.startswith(
        "<p>Statistical process control separates the usual ups and downs of a figure"
    )
    assert section.html.count("<figure") == 0


def test_too_few_points_anywhere_is_one_sentence(make_context):
    assert "spc-summary" in spc(make_context(period="2012-13 Q3")).html  # five points
    section = spc(make_context(period="2012-13 Q2"))
    assert section.html == TOO_FEW and section.sources == frozenset()


def _longer(obs: pd.DataFrame, indicator: str, values: list[float]) -> pd.DataFrame:
    """``obs`` with Dudley's ``indicator`` given ``values`` for the quarters before 2012-13."""
    template = obs[(obs["indicator"] == indicator) & (obs["area_code"] == "E08000027")].iloc[0]
    rows = []
    for n, value in enumerate(values):
        p = financial_quarter(2010 + (n // 4), n % 4 + 1)
        rows.append(
            template.to_dict()
            | {
                "period": p.label,
                "period_start": pd.Timestamp(p.start),
                "period_end": pd.Timestamp(p.end),
                "value": value,
            }
        )
    return pd.concat([obs, pd.DataFrame(rows)], ignore_index=True)


def test_a_special_cause_gets_a_chart_from_the_verdicts_series(make_context, headline_small):
    obs = _longer(headline_small, "PriTotAbs", [4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5])
    ctx = make_context(obs=obs)
    section = spc(ctx)
    assert re.findall(r"<h3>(.*?)</h3>", section.html) == ["Primary school overall absence"]
    assert ctx.verdicts.loc["PriTotAbs", "variation"] == "special cause improving"
    alt = re.search(r'alt="([^"]*)"', section.html).group(1)
    assert alt.startswith("SPC chart of Primary school overall absence in Dudley")
    # eight quarters at 4.5, then 4.5, 4.4, 4.3, 4.137: the fall is special cause, an improvement
    assert (
        "Primary school overall absence in Dudley: the latest point shows special-cause "
        "variation, an improvement"
    ) in section.html
    assert "absence_fixture.csv (fixture absence release)" in section.sources


def test_spc_finding_counts_the_earlier_special_causes():
    chart = pd.DataFrame(
        {"value": [1.0, 9.0, 2.0, None], "special_cause": [True, True, False, None]}
    )
    assert spc_finding(chart, "X", "common cause") == (
        "X: the latest point shows common-cause variation (2 earlier points were special cause)"
    )
    assert spc_finding(chart, "X", "special cause neither") == (
        "X: the latest point shows special-cause variation (2 of 3 points are special cause)"
    )


def test_a_suppressed_latest_figure_gets_no_control_chart_verdict(make_context, headline_small):
    # Issue 27 item 3: with the latest figure suppressed, "the latest point shows ..." judged
    # the figure before it and was printed beside the [c].
    obs = _longer(headline_small, "PriTotAbs", [4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5, 4.5])
    mine = (obs["indicator"] == "PriTotAbs") & (obs["area_code"] == "E08000027")
    last = obs[mine]["period_end"].max()
    obs.loc[mine & (obs["period_end"] == last), ["value", "flag"]] = [float("nan"), "c"]
    html = spc(make_context(obs=obs)).html
    part = html.split("<h3>Primary school overall absence</h3>", 1)[1].split("<h3>", 1)[0]
    assert "latest point" not in part and "<figure" not in part
    assert "the latest figure is suppressed to protect individuals" in part
