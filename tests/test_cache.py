"""perf.cache: entries keyed on their inputs (every data file and the perf source below the
presentation layers), kept a few per kind, rebuilt when stale or unreadable."""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path

import pytest

import perf.cache as cache
from perf import config
from perf.cache import KEEP_PER_KIND, UNKEYED, cache_dir, cached_json, cached_pickle, input_key

# What is keyed is checked against the layer contract in tests/test_architecture.py.


def test_presentation_assets_do_not_key_the_cache():
    assert "style" in UNKEYED


# --- input_key ---------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project of its own: data/ with one file, perf/ with a keyed and unkeyed module each."""
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "a.csv").write_text("x\n1\n")
    for name in (
        "scoring.py",
        "charts/trend.py",
        "report/context.py",
        "render/runner.py",
        "loaders/ees.py",
        "__pycache__/scoring.cpython-311.pyc",
    ):
        path = tmp_path / "perf" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# v1\n")
    monkeypatch.setattr(config, "PROJ_ROOT", tmp_path)
    monkeypatch.setattr(config, "DATA_DIR", tmp_path / "data")
    return tmp_path


def _touch(path: Path, text: str = "# v2, longer\n") -> None:
    path.write_text(text)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_the_key_is_short_hex_and_depends_on_kind_and_extra(project):
    key = input_key("observations")
    assert re.fullmatch(r"[0-9a-f]{20}", key)
    assert key == input_key("observations")
    assert len({key, input_key("catalogue"), input_key("observations", extra="2.2")}) == 3


@pytest.mark.parametrize("edited", ["data/raw/a.csv", "perf/scoring.py", "perf/loaders/ees.py"])
def test_editing_data_or_keyed_code_changes_the_key(project, edited):
    before = input_key("k")
    _touch(project / edited)
    assert input_key("k") != before


def test_a_new_data_file_changes_the_key(project):
    before = input_key("k")
    (project / "data" / "raw" / "b.csv").write_text("y\n")
    assert input_key("k") != before


@pytest.mark.parametrize(
    "edited",
    [
        "perf/charts/trend.py",
        "perf/report/context.py",
        "perf/render/runner.py",
        "perf/__pycache__/scoring.cpython-311.pyc",
    ],
)
def test_editing_a_layer_above_analysis_keeps_the_key(project, edited):
    before = input_key("k")
    _touch(project / edited)
    assert input_key("k") == before


# --- entries -----------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path, monkeypatch, project):
    folder = tmp_path / "cache"
    monkeypatch.setenv("PERF_CACHE_DIR", str(folder))
    return folder


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "given"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "given"
    monkeypatch.delenv("PERF_CACHE_DIR")
    assert cache_dir() == tmp_path / "xdg" / "perf"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "perf"


def test_an_entry_is_built_once_and_read_back_from_disk(store):
    build, calls = _counting({"rows": [1, 2]})
    assert cached_pickle("frame", build) == {"rows": [1, 2]}
    assert cached_pickle("frame", build) == {"rows": [1, 2]} and calls == [1]
    (path,) = store.glob("frame-*.pkl")
    assert pickle.loads(path.read_bytes()) == {"rows": [1, 2]}
    assert oct(path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_json_entries_too(store):
    build, calls = _counting({"dudley": "Dudley"})
    assert cached_json("index", build) == cached_json("index", build) == {"dudley": "Dudley"}
    assert calls == [1] and len(list(store.glob("index-*.json"))) == 1


def test_an_edited_input_rebuilds(store, project):
    build, calls = _counting([1])
    cached_pickle("frame", build)
    _touch(project / "data" / "raw" / "a.csv")
    cached_pickle("frame", build)
    assert calls == [1, 1]


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05K"])
def test_an_unreadable_entry_is_rebuilt(store, damage):
    build, calls = _counting("value")
    cached_pickle("frame", build)
    (path,) = store.glob("frame-*.pkl")
    path.write_bytes(damage)
    assert cached_pickle("frame", build) == "value" and calls == [1, 1]
    assert pickle.loads(path.read_bytes()) == "value"


def test_a_few_entries_are_kept_per_kind_the_newest(store):
    store.mkdir()
    other = store / f"frame-public-{'0' * 20}.pkl"  # another kind whose name begins alike
    other.write_bytes(pickle.dumps("other"))
    for n in range(KEEP_PER_KIND + 2):
        cached_pickle("frame", lambda n=n: n, extra=str(n))
        for path in store.glob("frame-*.pkl"):  # the clock may not tick between writes
            if pickle.loads(path.read_bytes()) == n:
                os.utime(path, ns=(n * 10**9, (n + 1) * 10**9))
    kept = sorted(pickle.loads(p.read_bytes()) for p in store.glob("frame-*.pkl") if p != other)
    assert kept == list(range(2, KEEP_PER_KIND + 2))
    assert other.exists()


def test_a_cache_that_cannot_be_written_is_no_reason_to_fail(
    tmp_path, monkeypatch, project, caplog
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("PERF_CACHE_DIR", str(blocker))
    build, calls = _counting(7)
    with caplog.at_level("INFO", logger="perf"):
        assert cached_pickle("frame", build) == 7
        assert cached_pickle("frame", build) == 7
    assert calls == [1, 1] and "could not cache frame" in caplog.text


def test_the_cache_imports_nothing_heavy():
    source = Path(cache.__file__).read_text()
    imported = set(re.findall(r"^(?:from|import) (\S+)", source, flags=re.M))
    assert imported <= {
        "__future__",
        "contextlib",
        "hashlib",
        "json",
        "os",
        "pickle",
        "re",
        "collections.abc",
        "pathlib",
        "typing",
        "perf",
        "perf.fileio",
    }


def test_within_steady_inputs_the_tree_is_walked_once(project, monkeypatch):
    walks = []
    real = cache._inputs
    monkeypatch.setattr(cache, "_inputs", lambda all_code: walks.append(all_code) or real(all_code))
    outside = input_key("k")
    with cache.steady_inputs():
        keys = {input_key("k", extra=str(n)) for n in range(5)}
        with cache.steady_inputs():  # nested: the outer one counts
            assert input_key("k") == outside
        _touch(project / "data" / "raw" / "a.csv")
        assert input_key("k") == outside  # taken as unchanged until the block ends
        assert cache.in_steady_inputs()
    assert len(keys) == 5 and walks == [False, False]
    assert not cache.in_steady_inputs()
    assert input_key("k") != outside  # the edit is seen once the block is left


# --- the environment ---------------------------------------------------------------------------


def test_the_key_changes_with_the_packages_that_shape_a_frame(monkeypatch):
    # A frame pickled without pyarrow holds python-storage strings; loaded where pandas
    # stores strings in pyarrow, its dtypes no longer match the schema. So where pandas,
    # pyarrow, numpy and pandera are installed (and when) is part of every key.
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
