"""perf.cache: a cached frame is rebuilt when its inputs or the environment change."""

from __future__ import annotations

from perf import cache


def test_the_key_changes_with_the_packages_that_shape_a_frame(monkeypatch):
    # A frame pickled without pyarrow holds python-storage strings; loaded where pandas
    # stores strings in pyarrow, its dtypes no longer match the schema. So the versions of
    # pandas, pyarrow, numpy and pandera are part of every key.
    before = cache.input_key("demo")
    assert cache.input_key("demo") == before
    monkeypatch.setattr(cache, "_environment", lambda: "pandas=3;pyarrow=none")
    assert cache.input_key("demo") != before
    assert "pyarrow" in cache.ENVIRONMENT_PACKAGES


def test_environment_names_each_package_where_installed():
    import pyarrow

    text = cache._environment()
    for name in cache.ENVIRONMENT_PACKAGES:
        assert f"{name}=" in text
    assert f"pyarrow={pyarrow.__file__}@" in text
