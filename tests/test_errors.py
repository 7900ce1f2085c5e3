"""perf.errors: one root, and every error perf raises on purpose says what was wrong, where
(file, row, column) and what to do."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from pathlib import Path

import pytest

import perf
from perf.errors import BadValueError, DataError, PerfError


def _every_module() -> None:
    for info in pkgutil.walk_packages(perf.__path__, prefix="perf."):
        if info.name != "perf.__main__":
            importlib.import_module(info.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


_every_module()
ERRORS = sorted(_subclasses(PerfError) | {PerfError}, key=lambda c: (c.__module__, c.__name__))


def test_the_errors_of_every_layer_are_found():
    names = {c.__name__ for c in ERRORS}
    assert {
        "ParameterError",
        "RenderError",
        "UnknownAreaError",
        "BenchmarkError",
        "ScoringError",
        "SPCError",
        "CompareError",
        "SummaryError",
    } <= names
    assert len(ERRORS) >= 20


@pytest.mark.parametrize("error", ERRORS, ids=lambda c: c.__name__)
def test_every_error_names_file_row_column_value_and_what_to_do(error):
    err = error(
        "must be a number",
        file="data/local/q1.csv",
        row=4,
        column="value",
        value="12,3x",
        hint="Remove the stray characters.",
    )
    assert str(err) == (
        "data/local/q1.csv, row 4, column 'value': must be a number "
        "(found '12,3x'). Remove the stray characters."
    )
    assert (err.message, err.file, err.row, err.column, err.value, err.hint) == (
        "must be a number",
        "data/local/q1.csv",
        4,
        "value",
        "12,3x",
        "Remove the stray characters.",
    )
    assert isinstance(err, PerfError) and isinstance(err, Exception)


@pytest.mark.parametrize("error", ERRORS, ids=lambda c: c.__name__)
def test_every_error_survives_a_trip_to_another_process(error):
    err = error("bad", file="a.csv", row=2, column="x", hint="Fix it.")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is error and str(back) == str(err) and back.row == 2


def test_only_the_parts_given_are_named():
    assert str(PerfError("no figures")) == "no figures."
    assert str(PerfError("no figures.", hint="Load data first.")) == "no figures. Load data first."
    assert str(PerfError("bad", column="period")) == "column 'period': bad."
    assert str(PerfError("bad", row=1)) == "row 1: bad."
    assert str(PerfError("bad", value=0)) == "bad (found '0')."


def test_a_long_value_is_quoted_short_and_a_path_as_text():
    err = BadValueError("too long", file=Path("data") / "x.csv", value="y" * 200)
    assert err.file == "data/x.csv"
    assert f"(found '{'y' * 80}')" in str(err)


def test_the_hierarchy():
    assert issubclass(BadValueError, DataError) and issubclass(DataError, PerfError)
    assert {c.__name__ for c in PerfError.__subclasses__()} >= {
        "DataError",
        "PeriodError",
        "UnknownAreaError",
        "ParameterError",
        "RenderError",
    }
