"""Fixtures for the report tests: the small context compared with an earlier briefing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from seeds import EXAMPLE_DIR, add_example_year  # tests/seeds.py (pytest puts tests/ on the path)

from perf import config, loaders
from perf.disclosure import for_publication
from perf.loaders._frame import concat_observations
from perf.report import context, data
from perf.report.context import Context, _with_revisions
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


def example_context(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, period: str = "2024-25", **options
) -> Context:
    """:func:`perf.report.context.prepare` for Dudley with the illustrative 2024-25 year:
    the committed data/local and the fixture's files as one local folder, the published
    figures as they are (read from the cache; the national tables are not affected)."""
    local = tmp_path / "data" / "local"
    shutil.copytree(config.DATA_DIR / "local", local)
    add_example_year(local)
    own = loaders.load_all(EXAMPLE_DIR)
    every = concat_observations(
        [data.observations(False), own.reindex(columns=data.observations(False).columns)]
    )
    tables = {
        name: loaders.load_local_isolated(name, tmp_path / "data").frame
        for name in data.LOCAL_TABLES
    }

    # the council's own figures: the committed ones and the fixture's (by their source)
    own_sources = frozenset(data.own_sources()) | frozenset(own["source"].astype(str))

    def observations(public: bool = False) -> pd.DataFrame:
        if not public:
            return every
        return for_publication(every, own=own_sources, catalogue=data.catalogue_frame())

    monkeypatch.setattr(config, "LOCAL_DIR", local)
    monkeypatch.setattr(context, "own_sources", lambda: own_sources)
    monkeypatch.setattr(context, "observations", observations)
    monkeypatch.setattr(
        context, "local_table", lambda name: tables[name] if len(tables[name]) else None
    )
    return context.prepare("Dudley", period, **options)
