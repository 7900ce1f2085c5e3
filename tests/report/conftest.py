"""Fixtures for the report tests: the small context compared with an earlier briefing."""

from __future__ import annotations

import pytest

from perf.report.context import _with_revisions
from perf.revisions import freeze

#: What the earlier briefing showed differently: (indicator, period) -> the old value.
EARLIER = {("cla_rate", "2012-13 Q3"): 97.0, ("dudley_lac_rate", "2012-13 Q4"): 101.0}


@pytest.fixture
def revised_context(small_context, tmp_path):
    """The small Dudley context compared with the frozen record of a briefing ("2012-13 Q3
    (January 2013)") that showed two of its figures differently."""
    shown = small_context.shown_figures()
    for (indicator, period), old in EARLIER.items():
        at = (
            (shown["indicator"] == indicator)
            & (shown["period"] == period)
            & (shown["area_code"] == small_context.area_code)
        )
        assert at.sum() == 1
        shown.loc[at, "value"] = old
    path = freeze(shown, tmp_path / "briefing.frozen.csv", briefing="2012-13 Q3 (January 2013)")
    return _with_revisions(small_context, str(path))
