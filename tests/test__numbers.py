"""perf._numbers: is it missing, half-up rounding as published, ordinals; examples and
properties (hypothesis)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from perf._numbers import is_missing, ordinal, plural, round_half_up, round_half_up_each


@pytest.mark.parametrize(
    "value", [None, float("nan"), np.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")]
)
def test_missing(value):
    assert is_missing(value) is True


@pytest.mark.parametrize(
    "value",
    [
        0,
        0.0,
        -0.0,
        "",
        "nan",
        "NA",
        "c",
        False,
        np.int64(0),
        float("inf"),
        pd.Timestamp("2025-03-31"),
        [1],
        {"a": 1},
    ],
)
def test_not_missing(value):
    assert is_missing(value) is False


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.5, 0, 1.0),
        (1.5, 0, 2.0),
        (2.05, 1, 2.1),
        (2.675, 2, 2.68),
        (35.55, 1, 35.6),
        (104.25, 1, 104.3),
        (4.125, 2, 4.13),
        (-0.04, 1, -0.0),
        (12345.5, 0, 12346.0),
        (1e-7, 3, 0.0),
        (7.0, 3, 7.0),
    ],
)
def test_halves_round_away_from_zero_as_published(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_non_finite_values_pass_through():
    assert math.isnan(round_half_up(float("nan"), 1))
    assert round_half_up(float("inf"), 1) == float("inf")
    assert round_half_up(np.float64(2.5)) == 3.0 and type(round_half_up(np.int64(2))) is float


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=0, max_value=4),
)
def test_rounding_is_the_decimal_rounding_of_the_shortest_repr(value, decimals):
    expected = float(
        Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    )
    got = round_half_up(value, decimals)
    assert got == expected
    assert abs(got - value) <= 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(value))


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9),
    st.integers(min_value=0, max_value=3),
)
def test_rounding_is_symmetric_and_idempotent(value, decimals):
    once = round_half_up(value, decimals)
    assert round_half_up(-value, decimals) == -once
    assert round_half_up(once, decimals) == once


def test_round_each_with_its_own_decimals_negative_means_as_it_is():
    assert round_half_up_each([2.5, 1.25, 7.04, 0.125], [0, 1, -1, 2]) == [3.0, 1.3, 7.04, 0.13]
    assert round_half_up_each(np.array([2.5]), np.array([0])) == [3.0]
    assert round_half_up_each([], []) == []


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "0th"),
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (101, "101st"),
        (111, "111th"),
        (112, "112th"),
        (123, "123rd"),
        (np.int64(22), "22nd"),
        ("3", "3rd"),
    ],
)
def test_ordinal(n, text):
    assert ordinal(n) == text


@given(st.integers(min_value=0, max_value=10**6))
def test_ordinal_is_the_number_and_one_english_suffix(n):
    text = ordinal(n)
    assert text[:-2] == str(n) and text[-2:] in {"st", "nd", "rd", "th"}
    if 11 <= n % 100 <= 13:
        assert text.endswith("th")


@pytest.mark.parametrize(
    ("noun", "n", "text"),
    [
        ("indicator", 1, "indicator"),
        ("indicator", 0, "indicators"),
        ("indicator", 2, "indicators"),
        ("directorate priority", 5, "directorate priorities"),
        ("day", 3, "days"),
        ("box", 2, "boxes"),
        ("match", 2, "matches"),
        ("status", 2, "statuses"),
        ("local authority", 1, "local authority"),
    ],
)
def test_plural(noun, n, text):
    assert plural(noun, n) == text
