"""England's working days: weekends and England's bank holidays (the holidays package)."""

from __future__ import annotations

import numpy as np

from perf.childlevel.workdays import bank_holidays, is_working_day, working_days_after


def _days(*texts: str) -> np.ndarray:
    return np.array(texts, dtype="datetime64[D]")


def test_christmas_2024_by_hand():
    # Monday 23 December 2024 -> Thursday 2 January 2025. Working days after the 23rd:
    # Tue 24 (1), Wed 25 Christmas (bank holiday), Thu 26 Boxing Day (bank holiday),
    # Fri 27 (2), Sat 28, Sun 29, Mon 30 (3), Tue 31 (4), Wed 1 January (bank holiday),
    # Thu 2 (5): 5 working days.
    assert working_days_after(_days("2024-12-23"), _days("2025-01-02")).tolist() == [5.0]


def test_a_substitute_bank_holiday_and_a_one_off():
    # Christmas Day 2021 fell on a Saturday: Monday 27 and Tuesday 28 December were the
    # bank holidays; the coronation of 8 May 2023 was a one-off bank holiday.
    assert not is_working_day(_days("2021-12-27", "2021-12-28", "2023-05-08")).any()
    assert is_working_day(_days("2021-12-29")).all()


def test_the_same_day_and_backwards():
    assert working_days_after(
        _days("2025-03-03", "2025-03-10"), _days("2025-03-03", "2025-03-03")
    ).tolist() == [0.0, -5.0]


def test_scotland_s_holidays_are_not_england_s():
    # 2 January is a bank holiday in Scotland only; St Andrew's Day (30 November) too
    assert np.datetime64("2025-01-02") not in bank_holidays()
    assert is_working_day(_days("2025-01-02")).all()


def test_45_working_days_from_an_assessment_start_by_hand():
    # Start Thursday 1 May 2025. May has 22 weekdays; after the 1st: 21, less Monday
    # 5 May (early May) and Monday 26 May (spring) = 19 by 31 May. June: 21 weekdays,
    # 40 by 30 June; 1-7 July gives Tue 1, Wed 2, Thu 3, Fri 4, Mon 7: the 45th is 7 July.
    start = _days("2025-05-01")
    assert working_days_after(start, _days("2025-07-07")).tolist() == [45.0]
    assert working_days_after(start, _days("2025-07-08")).tolist() == [46.0]
