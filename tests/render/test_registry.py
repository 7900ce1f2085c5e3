"""perf.render.registry: the notebooks perf knows, their parameters cells, validation before
any kernel starts, output paths and page titles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from perf import config
from perf.errors import ParameterError, RenderError
from perf.render.registry import (
    NOTEBOOKS,
    area_key,
    coerce_parameters,
    notebook_name,
    notebook_parameters,
    notebook_path,
    run_paths,
    title_for,
    validate_parameters,
)

from .conftest import TINY

#: What Jupyter writes into a notebook it saves: the kernel, and so the language.
KERNELSPEC = {"name": "perf", "display_name": "Python 3 (perf)", "language": "python"}


def _notebook(path: Path, cells: list[dict], metadata: dict | None = None) -> Path:
    metadata = {"kernelspec": KERNELSPEC} if metadata is None else metadata
    path.write_text(
        json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    return path


def test_parameters_are_read_with_types_defaults_and_help():
    specs = {p.name: p for p in notebook_parameters("briefing")}
    assert (specs["area"].type_name, specs["area"].default) == ("str", "Dudley")
    assert specs["period"].default == "2024-25"
    assert specs["public"].type_name == "bool" and specs["public"].default is True
    assert "local authority" in specs["area"].help


def test_misspelt_parameter_is_an_error_with_a_suggestion():
    with pytest.raises(ParameterError, match=r"unknown parameter 'peroid'.*Did you mean: period"):
        coerce_parameters("briefing", {"peroid": "2024-25"})


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("repeats", "5", 5),
        ("sleep", "0.5", 0.5),
        ("sleep", 2, 2.0),
        ("area", "1", "1"),
    ],
)
def test_command_line_strings_take_the_declared_type(name, value, expected):
    params = coerce_parameters(TINY, {name: value})
    assert params[name] == expected and type(params[name]) is type(expected)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("repeats", "many"),
        ("repeats", "2.5"),
        ("repeats", True),
        ("area", 3),
        ("sleep", "[1]"),
    ],
)
def test_wrong_type_is_an_error(name, value):
    with pytest.raises(ParameterError, match=f"parameter '{name}'.*must be"):
        coerce_parameters(TINY, {name: value})


def test_a_value_that_is_not_yaml_is_an_error():
    with pytest.raises(
        ParameterError, match="parameter 'repeats' of notebook 'tiny' could not be read as int"
    ):
        coerce_parameters(TINY, {"repeats": "[1"})


def test_defaults_merge_with_overrides():
    assert coerce_parameters(TINY, {"repeats": "4"}) == {
        "area": "Dudley",
        "period": "2024-25",
        "fail_area": "",
        "sleep": 0.0,
        "repeats": 4,
    }


def test_area_by_code_or_number_becomes_its_name_and_period_its_canonical_label():
    params = validate_parameters("briefing", {"area": "E08000027", "period": "Q1 2012/13"})
    assert (params["area"], params["period"]) == ("Dudley", "2012-13 Q1")
    assert validate_parameters("briefing", {"area": "332"})["area"] == "Dudley"


def test_area_and_period_like_names_are_checked_and_blanks_kept():
    params = validate_parameters(TINY, {"fail_area": "leeds", "area": "E08000035"})
    assert (params["area"], params["fail_area"]) == ("Leeds", "Leeds")
    assert validate_parameters(TINY, {"fail_area": ""})["fail_area"] == ""
    with pytest.raises(ParameterError, match="parameter 'fail_area'.*Dudly"):
        validate_parameters(TINY, {"fail_area": "Dudly"})


def test_unknown_area_and_unreadable_period_are_parameter_errors():
    with pytest.raises(ParameterError, match="Dudly.*Did you mean: Dudley"):
        validate_parameters("briefing", {"area": "Dudly"})
    with pytest.raises(ParameterError, match="cannot read period 'next year'"):
        validate_parameters("briefing", {"period": "next year"})


def test_unknown_notebook_is_a_parameter_error():
    with pytest.raises(ParameterError, match="no notebook 'breifing'"):
        notebook_parameters("breifing")


def test_notebooks_by_name_or_path_and_the_jupytext_pair_finds_its_ipynb():
    assert notebook_path("briefing") == (config.NOTEBOOKS_DIR / "briefing.ipynb").resolve()
    assert notebook_path(TINY.with_suffix(".py")) == TINY
    assert notebook_name(str(TINY)) == "tiny"
    assert all(notebook_path(n).is_file() for n in NOTEBOOKS)


def test_a_notebook_without_a_parameters_cell(tmp_path):
    path = _notebook(
        tmp_path / "plain.ipynb",
        [
            {
                "cell_type": "code",
                "metadata": {},
                "source": "x = 1",
                "outputs": [],
                "execution_count": None,
            }
        ],
    )
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        notebook_parameters(path)


def test_an_unreadable_notebook_is_a_render_error(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(RenderError, match="cannot read notebook"):
        notebook_parameters(path)


def test_parameters_without_annotations_take_their_defaults_type(tmp_path):
    path = _notebook(
        tmp_path / "untyped.ipynb",
        [
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": ["years = 5  # how many\n", "names: list[str] = ['a']\n"],
                "outputs": [],
                "execution_count": None,
            }
        ],
    )
    specs = notebook_parameters(path)
    assert [(s.name, s.type_name, s.default, s.help) for s in specs] == [
        ("years", "int", 5, "how many"),
        ("names", "list", ["a"], ""),
    ]


def test_parameters_are_read_by_papermills_inspect_notebook(tmp_path, monkeypatch):
    # what papermill reads is what it injects: perf asks it rather than parsing the cell
    path = _notebook(
        tmp_path / "asked.ipynb",
        [
            {
                "cell_type": "code",
                "metadata": {"tags": ["parameters"]},
                "source": "a: int = 1  # the help",
                "outputs": [],
                "execution_count": None,
            }
        ],
    )
    asked = []

    def inspect_notebook(notebook_path, parameters=None):
        asked.append(notebook_path)
        return {"b": {"name": "b", "inferred_type_name": "float", "default": "2", "help": "h"}}

    monkeypatch.setattr("papermill.inspect_notebook", inspect_notebook)
    specs = notebook_parameters(path)
    assert asked == [str(path)]
    assert [(s.name, s.type_name, s.default, s.help) for s in specs] == [("b", "float", 2, "h")]


def test_a_statement_papermill_reads_into_a_default_is_refused(tmp_path):
    # papermill's inspection joins a line that is not an assignment onto the default above
    # it; the default it would report (and perf would pass back) is not the notebook's
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": "names: list[str] = ['a']\nprint(1)\n",
        "outputs": [],
        "execution_count": None,
    }
    path = _notebook(tmp_path / "code.ipynb", [cell])
    with pytest.raises(ParameterError, match="default of parameter 'names'"):
        notebook_parameters(path)


def test_a_notebook_naming_no_kernel_says_what_to_do(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": "a: int = 1",
        "outputs": [],
        "execution_count": None,
    }
    path = _notebook(tmp_path / "bare.ipynb", [cell], metadata={})
    with pytest.raises(ParameterError, match="No kernel name found") as caught:
        notebook_parameters(path)
    assert caught.value.file == str(path) and "'perf'" in caught.value.hint


def test_an_edited_parameters_cell_is_read_again(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": "a: int = 1",
        "outputs": [],
        "execution_count": None,
    }
    path = _notebook(tmp_path / "edited.ipynb", [cell])
    assert notebook_parameters(path)[0].default == 1
    _notebook(path, [cell | {"source": "a: int = 2\nb: str = ''"}])
    os.utime(path, ns=(1, 2_000_000_000_000_000_000))  # a different mtime, whatever the clock
    assert [s.default for s in notebook_parameters(path)] == [2, ""]


def test_run_paths_follow_period_area_notebook():
    paths = run_paths("/o", "briefing", {"area": "Bristol, City of", "period": "2012-13 Q1"})
    assert paths.html == Path("/o/2012-13_Q1/Bristol_City_of/briefing.html")
    assert paths.notebook.name == "briefing.ipynb" and paths.log.name == "briefing.log"
    assert paths.failed_notebook.name == "briefing.failed.ipynb"
    assert paths.status.name == "briefing.run.json"
    assert run_paths("/o", TINY, {}).directory == Path("/o/all/all")


def test_titles_name_the_area_and_period():
    params = {"area": "Dudley", "period": "2024-25"}
    assert title_for("briefing", params) == (
        "Children's services performance briefing: Dudley, 2024-25"
    )
    assert title_for("trends", params) == "Children's services trends: Dudley, to 2024-25"
    assert title_for("tiny_report", params) == "Tiny report: Dudley, 2024-25"


def test_area_key_matches_as_find_area_does():
    assert area_key(" Bristol,  City of ") == "bristol city of"
    assert area_key("Telford & Wrekin") == "telford and wrekin"
    assert area_key("0332") == area_key("332") == "332"


# --- the registry's own cached entries ----------------------------------------------------


def test_the_period_check_is_rebuilt_when_the_registrys_code_changes(tmp_path, monkeypatch):
    # perf/render is outside the disk-cache key (perf.cache.UNKEYED), so an entry built by
    # the registry's own code is keyed on registry.py itself: an edit to the period check
    # must not reuse a stale "passed"
    import perf.render.registry as registry

    source = tmp_path / "registry.py"
    source.write_text("# v1\n")
    monkeypatch.setattr(registry, "_KEY_SOURCE", source)
    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(registry, "_pandas_loaded", lambda: False)  # the cold path: cached
    calls = []

    def covered(notebook, area, periods):
        calls.append(area)
        return {"period": "2024-25"}

    monkeypatch.setattr(registry, "_covered_periods", covered)
    for _ in range(2):
        registry._check_coverage("briefing", {"area": "Dudley", "period": "2024-25"})
    assert calls == ["Dudley"]
    source.write_text("# v2: the check changed\n")
    st = source.stat()
    os.utime(source, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    registry._check_coverage("briefing", {"area": "Dudley", "period": "2024-25"})
    assert calls == ["Dudley", "Dudley"]


def test_every_registry_cache_entry_is_keyed_on_the_registry():
    import inspect

    import perf.render.registry as registry

    # one call of cached_json, in the helper that adds registry.py's size and mtime
    assert inspect.getsource(registry).count("cached_json(") == 1
    assert "cached_json(" in inspect.getsource(registry._cached)


def test_each_querys_cache_entries_are_its_own(tmp_path, monkeypatch):
    # A schedule of every council checks 153 areas; under one kind (KEEP_PER_KIND entries)
    # each check evicted the others and every batch checked them all again, with pandas.
    import perf.render.registry as registry
    from perf.cache import KEEP_PER_KIND

    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(registry, "_pandas_loaded", lambda: False)
    calls = []
    monkeypatch.setattr(
        registry, "_covered_periods", lambda notebook, area, periods: calls.append(area) or periods
    )
    areas = [f"Area {n}" for n in range(KEEP_PER_KIND + 3)]
    for _ in range(2):
        for area in areas:
            registry._check_coverage("briefing", {"area": area, "period": "2024-25"})
    assert calls == areas


def test_within_steady_inputs_every_check_is_cached_even_with_pandas_loaded(tmp_path, monkeypatch):
    # Otherwise the first check a batch had not cached imports pandas, and no check after
    # it is written: the next batch's parent imports pandas again.
    import perf.render.registry as registry
    from perf.cache import steady_inputs

    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    monkeypatch.setattr(
        registry, "_covered_periods", lambda notebook, area, periods: calls.append(area) or periods
    )
    assert registry._pandas_loaded()  # this test process has pandas: checks go direct
    registry._check_coverage("briefing", {"area": "Dudley", "period": "2024-25"})
    assert not list((tmp_path / "cache").glob("period-check-*.json"))
    for _ in range(2):
        with steady_inputs():
            registry._check_coverage("briefing", {"area": "Leeds", "period": "2024-25"})
    assert calls == ["Dudley", "Leeds"]
    assert len(list((tmp_path / "cache").glob("period-check-*.json"))) == 1


def test_the_cached_council_list_is_the_current_local_authorities_frame(tmp_path, monkeypatch):
    # one source of truth: the pandas path (perf.areas) and the cheap path (a cached list,
    # read without pandas) agree on the bundled data
    import perf.render.registry as registry
    from perf.areas import current_local_authorities

    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "cache"))
    frame = current_local_authorities()
    expected = list(zip(frame["area_code"], frame["area_name"]))
    built = registry.current_councils()
    monkeypatch.setattr(registry, "_councils", lambda: pytest.fail("built again"))
    assert built == registry.current_councils() == expected
    assert len(expected) == 153 and ("E06000063", "Cumberland") in expected
    (entry,) = (tmp_path / "cache").glob("current-councils-*.json")
    assert json.loads(entry.read_text())[0] == list(expected[0])


def test_a_period_span_is_cached_and_a_folder_that_is_no_period_has_none(tmp_path, monkeypatch):
    import perf.render.registry as registry

    monkeypatch.setenv("PERF_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(registry, "_pandas_loaded", lambda: False)
    from datetime import date

    assert registry.period_span("2012-13 Q2") == (
        date(2012, 7, 1).toordinal(),
        date(2012, 9, 30).toordinal(),
    )
    assert registry.period_span("misc") is None
    monkeypatch.setattr(registry, "_span", lambda label: pytest.fail("not cached"))
    assert registry.period_span("2012-13 Q2")[0] == date(2012, 7, 1).toordinal()
    assert registry.period_span("misc") is None
