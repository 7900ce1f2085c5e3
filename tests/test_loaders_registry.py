"""The input-format registry: a new format is one reader plus one registration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from perf import config, loaders
from perf.errors import FileFormatError
from perf.loaders import registry
from perf.loaders.local import read_long
from perf.loaders.registry import Format


def _toy_reader(path: Path, *, validate: bool = True) -> pd.DataFrame:
    """A toy observation format: ``toy_indicator,toy_area,toy_period,toy_value`` columns
    (``path`` is a file, or for the together format a folder of such files)."""
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    raw = pd.concat([pd.read_csv(f, dtype=str) for f in files], ignore_index=True)
    long = raw.drop(columns=["toy_part"], errors="ignore").rename(
        columns={
            "toy_indicator": "indicator",
            "toy_area": "area_code",
            "toy_period": "period",
            "toy_value": "value",
        }
    )
    out = Path(files[0]).with_name("long.csv.tmp")
    long.to_csv(out, index=False)
    try:
        frame = read_long(out, validate=validate)
    finally:
        out.unlink()
    name = path.name
    frame["source"] = frame["source"].astype(str).str.replace("long.csv.tmp", name)
    return frame


@pytest.fixture
def toy():
    """Register the toy format (and a together variant) for one test, then remove them."""
    registry.register(
        Format(
            "toy",
            "observations",
            lambda s: "toy_value" in s.cols and "toy_part" not in s.cols,
            _toy_reader,
            describe="toy_value column",
            options=frozenset({"validate"}),
        ),
        before="local",
    )
    registry.register(
        Format(
            "toy_parts",
            "observations",
            lambda s: {"toy_value", "toy_part"} <= s.cols,
            _toy_reader,
            describe="a folder of toy tables",
            options=frozenset({"validate"}),
            together=True,
        ),
        before="local",
    )
    yield
    registry.unregister("toy")
    registry.unregister("toy_parts")


def _data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "local").mkdir(parents=True)
    shutil.copy(config.LOCAL_DIR / "observations.csv", data / "local" / "observations.csv")
    return data


def test_a_registered_format_is_detected_listed_and_loaded_with_no_other_edit(toy, tmp_path):
    data = _data_dir(tmp_path)
    (data / "local" / "toy.csv").write_text(
        "toy_indicator,toy_area,toy_period,toy_value\ncla_rate,E08000027,2012-13 Q1,104.9\n"
    )
    assert loaders.detect_format(data / "local" / "toy.csv") == "toy"
    assert "toy" in loaders.FORMATS and "toy" in loaders.OBSERVATION_FORMATS
    obs = loaders.load_all(data)
    row = obs[(obs["indicator"] == "cla_rate") & (obs["area_code"] == "E08000027")]
    assert row["value"].tolist() == [104.9]
    assert row["source"].astype(str).str.startswith("toy.csv").all()


def test_the_tables_of_a_together_format_are_read_once_as_their_folder(toy, tmp_path):
    data = _data_dir(tmp_path)
    folder = data / "local" / "toy_return"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "toy_part,toy_indicator,toy_area,toy_period,toy_value\n"
        "1,cla_rate,E08000027,2012-13 Q1,104.9\n"
    )
    (folder / "b.csv").write_text(
        "toy_part,toy_indicator,toy_area,toy_period,toy_value\n"
        "2,cla_rate,E08000027,2012-13 Q2,109.4\n"
    )
    assert loaders.detect_format(folder) == "toy_parts"
    obs = loaders.load_all(data)
    rows = obs[(obs["indicator"] == "cla_rate") & (obs["area_code"] == "E08000027")]
    assert sorted(rows["value"]) == [104.9, 109.4]
    assert set(rows["source"].astype(str)) == {"toy_return"}
    assert len(loaders.load(folder)) == 2


def test_a_folder_of_mixed_files_is_no_format(toy, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.csv").write_text("toy_part,toy_value\n1,2\n")
    shutil.copy(config.LOCAL_DIR / "observations.csv", folder / "observations.csv")
    assert registry.detect(folder) is None
    with pytest.raises(FileFormatError, match="matches no supported format"):
        loaders.detect_format(folder)


def test_registering_a_taken_name_or_before_an_unknown_one_is_refused():
    with pytest.raises(ValueError, match="already registered"):
        registry.register(registry.get("local"))
    with pytest.raises(ValueError, match="no format 'nonsense'"):
        registry.register(
            Format("x", "lookup", lambda s: False, "perf.loaders:read"), before="nonsense"
        )
    assert "x" not in registry.names()


def test_an_option_the_format_does_not_take_is_a_clear_error():
    path = config.LOCAL_DIR / "observations.csv"
    with pytest.raises(FileFormatError, match="takes no option cutoff"):
        registry.get("local").read(path, cutoff="2024-12-20")
    with pytest.raises(FileFormatError, match="attendance year-to-date files, not local"):
        loaders.load(path, cutoff="2024-12-20")


def test_every_builtin_format_is_in_the_module_table():
    doc = loaders.__doc__ or ""
    missing = [n for n in loaders.FORMATS if f"``{n}``" not in doc]
    assert missing == []


def test_suffixes_follow_the_registry(toy):
    assert {".csv", ".xlsx", ".parquet"} <= registry.suffixes()
    registry.register(Format("odd", "lookup", lambda s: False, _toy_reader, suffixes={".odd"}))
    try:
        assert ".odd" in registry.suffixes()
    finally:
        registry.unregister("odd")
    assert ".odd" not in registry.suffixes()
