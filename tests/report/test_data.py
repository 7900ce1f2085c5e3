"""perf.report.data: the data a report reads, loaded once per process and cached on disk.

The loaders and the on-disk cache are replaced by small stand-ins: these tests are about
which cache entry holds what, and what "absent" looks like, not about the real files."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import perf.report.data as data
from perf import loaders


@pytest.fixture(autouse=True)
def fresh_process_caches():
    """Each test starts (and leaves the next test) with empty per-process caches."""
    caches = (
        data.observations,
        data._loaded,
        data.catalogue_frame,
        data._local,
        data.plausibility_findings,
        data._observation_failures,
        data.own_sources,
    )
    for f in caches:
        f.cache_clear()
    yield
    for f in caches:
        f.cache_clear()


@pytest.fixture
def disk(monkeypatch):
    """The on-disk cache replaced by a record of what was asked of it."""
    asked = []

    def cached_pickle(kind, build, extra=""):
        asked.append((kind, extra))
        return build()

    monkeypatch.setattr(data, "cached_pickle", cached_pickle)
    return asked


def test_observations_are_loaded_once_per_process_under_their_own_cache_entry(
    disk, monkeypatch, observations_small
):
    calls = []
    monkeypatch.setattr(
        data.loaders,
        "load_all_isolated",
        lambda: calls.append(1) or loaders.Loaded(observations_small, ()),
    )
    first = data.observations()
    assert data.observations() is first and calls == [1]
    assert_frame_equal(first, observations_small)
    assert disk == [("observations", pd.__version__)]


def test_public_observations_are_the_published_view_of_the_same_frame(
    disk, monkeypatch, observations_small, catalogue_small
):
    own = frozenset({"dudley_q1 (1).xlsx (the council's return for 2012-13 Q1)"})
    monkeypatch.setattr(
        data.loaders, "load_all_isolated", lambda: loaders.Loaded(observations_small, (), own)
    )
    monkeypatch.setattr(data, "catalogue", lambda: catalogue_small)
    seen = {}

    def for_publication(frame, *, own, catalogue):
        seen.update(frame=frame, own=own, catalogue=catalogue)
        return frame.assign(value=0.0)

    monkeypatch.setattr(data, "for_publication", for_publication)
    public = data.observations(True)
    assert (public["value"] == 0.0).all()
    assert seen["frame"] is data.observations(False)
    assert seen["own"] == own  # the loaders' word on which figures are the council's own
    assert_frame_equal(seen["catalogue"], catalogue_small)
    assert [kind for kind, _ in disk] == [
        "observations-public",
        "observations",
        "observation-own",
        "catalogue",
    ]
    assert data.observations(True) is public  # once per process


def test_catalogue_is_cached_under_its_own_entry(disk, monkeypatch, catalogue_small):
    monkeypatch.setattr(data, "catalogue", lambda: catalogue_small)
    assert data.catalogue_frame() is data.catalogue_frame()
    assert disk == [("catalogue", pd.__version__)]


def test_local_table_is_the_loaders_frame(disk, monkeypatch):
    targets = pd.DataFrame(
        {"indicator": ["a"], "area_code": ["X"], "period": ["2024-25"], "target": [1.0]}
    )
    monkeypatch.setattr(
        data.loaders, "load_local_isolated", lambda name: loaders.Loaded(targets, ())
    )
    assert data.local_table("load_targets") is targets
    assert disk == [("local-load_targets", pd.__version__)]  # its own entry on disk


@pytest.mark.parametrize("absent", ["no file", "empty"])
def test_local_table_is_none_when_the_council_supplied_none(disk, monkeypatch, absent):
    def load(name):
        if absent == "no file":
            raise FileNotFoundError("data/local")
        return loaders.Loaded(pd.DataFrame({"text": []}), ())

    monkeypatch.setattr(data.loaders, "load_local_isolated", load)
    assert data.local_table("load_commentary") is None


@pytest.mark.parametrize("name", ["load_key_activities", "load_commentary"])
def test_local_table_is_none_for_a_local_folder_without_that_file(
    disk, tmp_path, monkeypatch, name
):
    # Was a strict xfail: pd.concat([]) raised when data/local had no such file.
    (tmp_path / "local").mkdir()
    real = loaders.load_local_isolated
    monkeypatch.setattr(data.loaders, "load_local_isolated", lambda n: real(n, tmp_path))
    assert data.local_table(name) is None


def test_a_councils_failure_is_found_by_its_area(monkeypatch):
    error = loaders.PerfError("bad", file="dudley.csv", row=3, column="value")
    failure = loaders.FileFailure("dudley.csv", frozenset({"E08000027"}), error)
    empty = pd.DataFrame()
    monkeypatch.setattr(
        data.loaders, "load_all_isolated", lambda: loaders.Loaded(empty, (failure,))
    )
    monkeypatch.setattr(
        data.loaders, "load_local_isolated", lambda name, **_: loaders.Loaded(empty, ())
    )
    monkeypatch.setattr(data, "cached_pickle", lambda kind, build, extra="": build())
    assert data.failure_for("E08000027") is failure
    assert data.failure_for("E08000035") is None


def test_failures_come_from_their_own_cache_entry_not_the_unprotected_frame(monkeypatch):
    # a public briefing asks whether its council's files failed: with the entry on disk, the
    # unprotected observations (about 55 MB in every kernel) are never loaded for that
    error = loaders.PerfError("bad", file="dudley.csv", row=3, column="value")
    failure = loaders.FileFailure("dudley.csv", frozenset({"E08000027"}), error)
    on_disk = {"observation-failures": (failure,)}
    monkeypatch.setattr(
        data,
        "cached_pickle",
        lambda kind, build, extra="": on_disk.get(kind) if kind in on_disk else build(),
    )
    monkeypatch.setattr(data, "_loaded", lambda: pytest.fail("loaded the whole frame"))
    monkeypatch.setattr(data.loaders, "load_local_isolated", lambda name, **_: None)
    assert data.failure_for("E08000027") is failure


def test_preload_reads_everything_a_briefing_needs(monkeypatch):
    done = []
    monkeypatch.setattr(data, "catalogue_frame", lambda: done.append("catalogue"))
    monkeypatch.setattr(data, "observations", lambda public: done.append(("obs", public)))
    monkeypatch.setattr(data, "own_sources", lambda: done.append("own"))
    monkeypatch.setattr(data, "plausibility_findings", lambda: done.append("plausibility"))
    monkeypatch.setattr(data, "areas", lambda: done.append("areas"))
    monkeypatch.setattr(data, "local_table", lambda name: done.append(name))
    monkeypatch.setattr(data, "inspections", lambda: done.append("inspections"))
    data.preload()
    assert done == [
        "catalogue",
        ("obs", True),
        "own",
        "plausibility",
        "inspections",
        "areas",
        *data.LOCAL_TABLES,
    ]
    assert set(data.LOCAL_TABLES) == {
        "load_targets",
        "load_key_activities",
        "load_commentary",
        "load_plans",
        "load_statuses",
        "load_assessments",
        "load_narrative",
    }


_PLANS = "area_code,plan,scheme,priority,objective,kind,item,ref,lead_officer\n"


def test_a_bad_plan_file_is_read_and_listed_once(tmp_path, monkeypatch):
    # the statuses are checked against the plans already read: the bad plan file is not
    # read again for them, nor listed again among the council's failures
    from perf.loaders import plans

    local = tmp_path / "local"
    local.mkdir()
    (local / "plans_leeds.csv").write_text(
        _PLANS + "E08000035,Best Council Plan,rag,Children,,indicator,leeds_homes_good,,\n"
    )
    (local / "plans_dudley.csv").write_text(
        _PLANS + "E08000027,Council Plan,traffic lights,Young people,,indicator,x,,\n"
    )
    (local / "statuses_leeds.csv").write_text(
        "indicator,area_code,period,status\nleeds_homes_good,E08000035,2012-13 Q2,amber\n"
    )
    real = loaders.load_local_isolated
    monkeypatch.setattr(
        data.loaders, "load_local_isolated", lambda name, **kw: real(name, tmp_path, **kw)
    )
    monkeypatch.setattr(data, "cached_pickle", lambda kind, build, extra="": build())
    reads = []
    real_read = plans.read_plans
    monkeypatch.setattr(
        plans, "read_plans", lambda path: reads.append(path.name) or real_read(path)
    )
    failures = [f for name in data.LOCAL_TABLES if (got := data._local(name)) for f in got.failures]
    assert [(f.file, f.areas) for f in failures] == [("plans_dudley.csv", frozenset({"E08000027"}))]
    assert sorted(reads) == ["plans_dudley.csv", "plans_leeds.csv"]
    assert data.local_table("load_statuses")["status"].tolist() == ["amber"]
    assert data.failure_for("E08000027") is failures[0]
