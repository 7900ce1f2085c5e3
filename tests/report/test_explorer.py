"""perf.explorer: driven from Python as a person drives it in JupyterLab (set a widget's
value), the chart, the table and the sentence change together and "Copy as code" prints
a call that draws the same chart."""

from __future__ import annotations

import re

import pytest

import perf
from perf.report.explorer import Explorer

LEEDS, DUDLEY = "E08000035", "E08000027"


@pytest.fixture(scope="module")
def ex() -> Explorer:
    # to the last published year: Dudley's latest cla_rate is the synthetic worked
    # example's quarter (30 September 2025, data/local/example_dudley_returns), which
    # England has no figure for
    return perf.explorer("Dudley", "cla_rate", end="31 March 2025")


def _shown(ex: Explorer) -> tuple[str, str, str]:
    return ex.sentence.value, ex.chart.value, ex.table.value


def test_it_starts_where_asked_with_everything_shown(ex):
    assert (ex.area.value, ex.indicator.value) == (DUDLEY, "cla_rate")
    assert ex.comparators == ("England", "region", "neighbours")
    sentence, chart, table = _shown(ex)
    assert "in Dudley" in sentence and "England" in sentence
    assert chart.startswith('<figure class="perf-chart"') and 'alt="Line chart.' in chart
    assert "<caption>" in table and ">Dudley</th>" in table
    assert ex.periods.value == (ex.periods.options[0], "31 March 2025")


def test_changing_the_area_changes_the_indicators_offered_and_what_is_shown(ex):
    before = _shown(ex)
    ex.area.value = LEEDS
    after = _shown(ex)
    assert all(a != b for a, b in zip(before, after))
    assert "in Leeds" in after[0] and ">Leeds</th>" in after[2]
    offered = {value for _, value in ex.indicator.options}
    assert "leeds_homes_good" in offered  # Leeds's own figures
    assert ex.indicator.value == "cla_rate"  # kept: Leeds has it too


def test_unticking_a_comparator_takes_it_out_of_the_chart_table_and_code(ex):
    ex.comparator["England"].value = False
    sentence, chart, table = _shown(ex)
    assert "England" not in table and "England" not in sentence
    assert 'comparators=("region", "neighbours")' in ex.code()
    ex.comparator["England"].value = True
    assert "England" in ex.table.value


def test_changing_the_indicator_resets_the_periods_and_redraws(ex):
    ex.indicator.value = "PriTotAbs"
    assert all("/" in p for p in ex.periods.options)  # academic years
    assert ex.periods.value == (ex.periods.options[0], ex.periods.options[-1])
    assert "Total absence from Primary Schools" in ex.sentence.value
    ex.periods.value = ("2016/17", "2018/19")
    assert "in 2016/17 to" in ex.sentence.value and "2018/19" in ex.sentence.value
    assert "2019/20" not in ex.table.value and "2017/18" in ex.table.value
    assert ex.code().endswith('start="2016/17", end="2018/19")')


def test_copy_as_code_prints_a_call_that_draws_the_same_chart(ex, capsys):
    # set the state this test needs itself: under pytest-xdist the module's other tests may
    # run on another worker, with another Explorer
    ex.area.value = LEEDS
    ex.indicator.value = "PriTotAbs"
    ex.periods.value = ("2016/17", "2018/19")
    capsys.readouterr()
    ex.copy_button.click()
    # outside a kernel the Output widget passes print() through (after clear_output's
    # terminal escapes)
    printed = re.findall(r"perf\.trend_chart\(.*\)", capsys.readouterr().out)[-1]
    assert printed == ex.code() and printed.startswith('perf.trend_chart("Leeds", "PriTotAbs"')
    chart = eval(printed, {"perf": perf})
    assert chart.alt_text == ex.view.chart.alt_text


def test_a_share_of_homes_is_shown_not_suppressed(ex):
    # 36% of 11 children's homes counts homes, not children: public output shows it (issue 13
    # item 6; it used to be [c], the range then had no figures to draw)
    ex.area.value = LEEDS  # its own figures (see the comment above)
    ex.indicator.value = "leeds_homes_good"
    ex.periods.value = ("2012-13 Q2", "2012-13 Q2")
    assert ex.view is not None and "was 36% in 2012-13 Q2" in ex.sentence.value
    assert "[c]" not in ex.table.value and 'role="alert"' not in ex.sentence.value
    ex.periods.value = ("2011-12 Q4", "2012-13 Q2")
    assert ex.view is not None and ex.chart.value


def test_it_is_a_widget_jupyterlab_can_show(ex):
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert isinstance(perf.explorer, type(perf.changes)) and isinstance(ex, Explorer)
